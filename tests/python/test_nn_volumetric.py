"""osteon.nn.VNet / UNet against MONAI 1.3.2 (fixtures from scripts/make_reference_nn_monai.py):
same parameter counts, same state-dict keys in the same order, same outputs after
load_monai_weights; and the torch.nn.Module contract (state dicts, to(), optim, DDP)."""
import json
import pathlib

import pytest
import torch

import osteon
from osteon.nn import UNet, VNet, load_monai_weights

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "nn_monai"
MANIFEST = json.loads((DATA / "manifest.json").read_text())["cases"]

NO_DROPOUT = {"VNet": dict(dropout_prob_down=None, dropout_prob_up=(None, None), dropout_prob_skip=None),
              "UNet": dict(dropout=0.0)}


def build(case, without_dropout=False):
    kwargs = dict(case["kwargs"])
    kwargs = {k: tuple(v) if isinstance(v, list) and len(v) == 2 and isinstance(v[1], dict) else v
              for k, v in kwargs.items()}
    if without_dropout:
        kwargs.update(NO_DROPOUT[case["class"]])
    return {"VNet": VNet, "UNet": UNet}[case["class"]](**kwargs)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_outputs_equal_monai(name):
    case = MANIFEST[name]
    net = build(case, without_dropout=True)
    assert sum(p.numel() for p in net.parameters()) == case["n_parameters"]
    monai_state = torch.load(DATA / f"{name}.pt")
    assert list(net.state_dict()) == list(monai_state)  # MONAI's names, MONAI's order
    load_monai_weights(net, DATA / f"{name}.pt")
    io = torch.load(DATA / f"{name}_io.pt")
    net.eval()
    with torch.no_grad():
        torch.testing.assert_close(net(io["input"]), io["output_eval"], rtol=1e-4, atol=1e-5)  # oneDNN order: AVX2 vs AVX-512
    net.train()
    with torch.no_grad():
        torch.testing.assert_close(net(io["input"]), io["output_train"], rtol=1e-4, atol=1e-5)


def test_full_size_parameter_counts_equal_monai():
    vnet = VNet(spatial_dims=3, in_channels=1, out_channels=2)
    assert sum(p.numel() for p in vnet.parameters()) == 45_597_898
    unet = UNet(2, 1, 2, channels=(16, 32, 64, 128, 256), strides=(2, 2, 2, 2), num_res_units=2)
    assert sum(p.numel() for p in unet.parameters()) == 1_625_161


def test_monai_layer_specs():
    # MONAI: act="prelu" -> one slope per channel in V-Net; any other PReLU spelling -> nn.PReLU().
    per_channel = VNet(spatial_dims=2, act="prelu", base_channels=2)
    shared = VNet(spatial_dims=2, act="PRELU", base_channels=2)
    assert per_channel.state_dict()["in_tr.act_function.weight"].shape == (2,)
    assert shared.state_dict()["in_tr.act_function.weight"].shape == (1,)
    slope = VNet(spatial_dims=2, act=("prelu", {"num_parameters": 2, "init": 0.1}), base_channels=2)
    assert torch.all(slope.state_dict()["in_tr.act_function.weight"] == 0.1)
    grouped = UNet(2, 1, 4, (8, 16), (2,), norm=("group", {"num_groups": 4, "eps": 1e-3}))
    assert "model.0.adn.N.weight" in grouped.state_dict()
    affine = UNet(3, 1, 1, (4, 8), (2,), norm=("instance", {"affine": True}), kernel_size=(3, 3, 1))
    assert affine.state_dict()["model.0.conv.weight"].shape == (4, 1, 3, 3, 1)
    assert "model.0.adn.N.weight" in affine.state_dict()


def test_bad_arguments_raise_value_error_naming_them():
    with pytest.raises(ValueError, match="'swish'"):
        UNet(2, 1, 1, (4, 8), (2,), act="swish")
    with pytest.raises(ValueError, match="takes no argument 'slope'"):
        UNet(2, 1, 1, (4, 8), (2,), act=("leakyrelu", {"slope": 0.1}))
    with pytest.raises(ValueError, match="num_groups must divide"):
        UNet(2, 1, 1, (4, 8), (2,), norm=("group", {"num_groups": 3}))
    with pytest.raises(ValueError, match="strides"):
        UNet(2, 1, 1, (4, 8, 16), (2,))
    with pytest.raises(ValueError, match="in_channels must divide base_channels"):
        VNet(in_channels=3)
    with pytest.raises(ValueError, match="dropout_prob_up"):
        VNet(dropout_prob_up=(0.5,))


def test_input_size_error_names_the_nearest_valid_sizes():
    net = VNet(spatial_dims=2, base_channels=2)
    with pytest.raises(RuntimeError, match=r"size 50; nearest valid sizes: 48 or 64"):
        net(torch.zeros(1, 1, 50, 64))
    with pytest.raises(RuntimeError, match="in_channels=1"):
        net(torch.zeros(1, 2, 32, 32))


def test_checkpoints_shared_between_cpp_and_python(tmp_path):
    torch.manual_seed(0)
    net = UNet(3, 1, 2, (4, 8, 16), (2, 2), num_res_units=1, norm="batch")
    net.eval()
    x = torch.randn(1, 1, 8, 8, 8)
    with torch.no_grad():
        reference = net(x)
    # C++ writes, Python reads.
    net.cpp_module.save_state_dict(str(tmp_path / "cpp.pt"))
    restored = UNet(3, 1, 2, (4, 8, 16), (2, 2), num_res_units=1, norm="batch")
    restored.eval()
    restored.load_state_dict(torch.load(tmp_path / "cpp.pt"))
    with torch.no_grad():
        assert torch.equal(restored(x), reference)
    # Python writes, C++ reads.
    torch.save(net.state_dict(), tmp_path / "py.pt")
    again = UNet(3, 1, 2, (4, 8, 16), (2, 2), num_res_units=1, norm="batch")
    again.eval()
    again.cpp_module.load_state_dict_file(str(tmp_path / "py.pt"))
    with torch.no_grad():
        assert torch.equal(again(x), reference)
    with pytest.raises(ValueError, match="Missing keys"):
        UNet(3, 1, 2, (4, 8, 16), (2, 2), num_res_units=2).load_state_dict(net.state_dict())


def test_memory_format_dtype_and_autocast():
    torch.manual_seed(0)
    net = VNet(spatial_dims=3, in_channels=1, out_channels=2, base_channels=2, dropout_prob_down=None,
               dropout_prob_up=(None, None), dropout_prob_skip=None)
    net.eval()
    x = torch.randn(1, 1, 16, 16, 16)
    with torch.no_grad():
        reference = net(x)
        net.to(memory_format=torch.channels_last_3d)
        assert net.state_dict()["in_tr.conv_block.conv.weight"].is_contiguous(
            memory_format=torch.channels_last_3d)
        out = net(x.contiguous(memory_format=torch.channels_last_3d))
        torch.testing.assert_close(out, reference, rtol=1e-4, atol=1e-5)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            low = net(x)
        assert low.dtype == torch.bfloat16
        torch.testing.assert_close(low.float(), reference, rtol=0.05, atol=0.05)
        net.to(torch.float64)
        assert net(x.double()).dtype == torch.float64


def test_optimizer_step_and_train_eval():
    torch.manual_seed(0)
    net = VNet(spatial_dims=2, in_channels=1, out_channels=2, base_channels=2, dropout_dim=2)
    x = torch.randn(2, 1, 32, 32)
    net.eval()
    assert not net.training
    with torch.no_grad():
        before = net(x)
        assert torch.equal(net(x), before)  # eval: dropout off, running statistics
    net.train()
    assert net.training
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
    loss = torch.nn.functional.cross_entropy(net(x), torch.zeros(2, 32, 32, dtype=torch.long))
    loss.backward()
    assert all(p.grad is not None for p in net.parameters())
    optimizer.step()
    net.eval()
    with torch.no_grad():
        assert not torch.equal(net(x), before)


def test_distributed_data_parallel(tmp_path):
    import torch.distributed as dist
    dist.init_process_group("gloo", init_method=f"file://{tmp_path / 'store'}", rank=0, world_size=1)
    try:
        net = UNet(2, 1, 2, (4, 8), (2,), num_res_units=1)
        ddp = torch.nn.parallel.DistributedDataParallel(net)
        optimizer = torch.optim.SGD(ddp.parameters(), lr=0.1)
        before = net.state_dict()["model.0.conv.unit0.conv.weight"].clone()
        ddp(torch.randn(2, 1, 16, 16)).square().mean().backward()
        optimizer.step()
        assert not torch.equal(net.state_dict()["model.0.conv.unit0.conv.weight"], before)
    finally:
        dist.destroy_process_group()


def test_public_names():
    assert set(osteon._nn_segmentation.__all__) == {"VNet", "UNet", "load_monai_weights"}
    assert isinstance(VNet(spatial_dims=2, base_channels=1), torch.nn.Module)
    with pytest.raises(ValueError, match="must be an osteon.nn.VNet or UNet"):
        load_monai_weights(torch.nn.Linear(2, 2), DATA / "unet2d_res2.pt")


@pytest.mark.parametrize("net", [
    VNet(spatial_dims=2, out_channels=2, base_channels=2, dropout_dim=2),
    UNet(2, 1, 2, channels=(4, 8, 16), strides=(2, 2), num_res_units=2),
], ids=["VNet", "UNet"])
def test_submodules_are_attributes_under_monai_names(net):
    # Every parameter is reachable through the submodule attributes, under MONAI's key names.
    reached = {f"{prefix}.{name}".lstrip("."): p for prefix, module in net.named_modules()
               for name, p in module.named_parameters(recurse=False)}
    assert reached.keys() == dict(net.named_parameters()).keys()
    assert all(reached[k].data_ptr() == v.data_ptr() for k, v in net.state_dict().items() if k in reached)
    net.eval()
    if isinstance(net, VNet):
        last = net.out_tr.conv2  # the final 1×1 convolution
        assert last is net.out_tr.conv2 and net.up_tr32.ops[0].conv_block.conv.weight.shape == (4, 4, 5, 5)
        with torch.no_grad():  # the C++ forward sees the change made through the attribute
            last.weight.zero_()
            last.bias.copy_(torch.tensor([0.5, -1.0]))
            out = net(torch.randn(1, 1, 32, 32))
        torch.testing.assert_close(out, torch.tensor([0.5, -1.0]).view(1, 2, 1, 1).expand(1, 2, 32, 32))
    else:
        # MONAI's top up layer ends in a ResidualUnit whose last convolution has no norm or
        # activation after it and an identity residual: its bias shifts the output.
        last = net.model[-1][1].conv.unit0.conv
        assert last is net.model[2][1].conv.unit0.conv and isinstance(last, torch.nn.Module)
        x = torch.randn(1, 1, 16, 16)
        with torch.no_grad():
            before = net(x)
            last.bias.add_(1.0)
            torch.testing.assert_close(net(x), before + 1.0)
