"""osteon.nn ResNets and multi-view fusion against torchvision 0.14 (same libtorch, same input)."""
import os

import pytest
import torch
import torchvision

import osteon


@pytest.fixture(scope="module")
def torchvision_resnet50(tmp_path_factory):
    """A torchvision ResNet-50 with non-trivial BN statistics, and its state dict on disk."""
    torch.manual_seed(0)
    reference = torchvision.models.resnet50(weights=None)
    with torch.no_grad():
        for module in reference.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.1, 0.1)
                module.running_var.uniform_(0.5, 1.5)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.1, 0.1)
    reference.eval()
    path = tmp_path_factory.mktemp("weights") / "resnet50.pt"
    torch.save(reference.state_dict(), path)  # an OrderedDict with _metadata, as users save
    return reference, path


def test_resnet50_loads_torchvision_weights_and_matches_its_output(torchvision_resnet50):
    reference, path = torchvision_resnet50
    model = osteon.nn.ResNet50()
    keys = osteon.nn.load_torchvision_weights(model, path)
    assert keys.missing_keys == [] and keys.unexpected_keys == []
    model.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(model(x), reference(x), rtol=1e-5, atol=1e-5)


def test_state_dict_keys_shapes_and_parameter_count_equal_torchvision(torchvision_resnet50):
    reference, _ = torchvision_resnet50
    model = osteon.nn.ResNet50()
    ours, theirs = model.state_dict(), reference.state_dict()
    assert list(ours) == list(theirs)
    assert all(ours[k].shape == theirs[k].shape and ours[k].dtype == theirs[k].dtype for k in ours)
    assert sum(p.numel() for p in model.parameters()) == 25_557_032
    for depth in (18, 34, 101):
        ours = getattr(osteon.nn, f"ResNet{depth}")(num_classes=10)
        theirs = getattr(torchvision.models, f"resnet{depth}")(num_classes=10)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert sum(p.numel() for p in ours.parameters()) == sum(p.numel() for p in theirs.parameters())


def test_one_channel_stem_is_the_sum_of_the_rgb_kernels(torchvision_resnet50):
    reference, path = torchvision_resnet50
    model = osteon.nn.ResNet50(num_classes=2, in_channels=1)
    keys = osteon.nn.load_torchvision_weights(model, path)
    assert keys.missing_keys == ["fc.weight", "fc.bias"]
    torch.testing.assert_close(model.state_dict()["conv1.weight"],
                               reference.conv1.weight.sum(dim=1, keepdim=True), rtol=0, atol=0)
    model.eval()
    grey = torch.randn(1, 1, 64, 64)
    backbone = torch.nn.Sequential(*list(reference.children())[:-1])  # torchvision minus fc
    with torch.no_grad():  # a grey image gives the RGB network's features for (x, x, x)
        # equal up to float32 rounding: the summed kernel adds in another order, over 50 layers
        torch.testing.assert_close(model.forward_features(grey),
                                   backbone(grey.expand(1, 3, 64, 64)).flatten(1),
                                   rtol=1e-3, atol=1e-3)


def test_wrong_weights_raise_value_errors_naming_keys(torchvision_resnet50, tmp_path):
    _, path = torchvision_resnet50
    with pytest.raises(ValueError, match=r"Shape mismatch.*layer1\.0\.conv1\.weight"):
        osteon.nn.load_torchvision_weights(osteon.nn.ResNet18(), path)
    with pytest.raises(ValueError, match="cannot open path"):
        osteon.nn.load_torchvision_weights(osteon.nn.ResNet50(), tmp_path / "absent.pt")
    legacy = tmp_path / "legacy.pt"
    torch.save(torchvision.models.resnet18().state_dict(), legacy, _use_new_zipfile_serialization=False)
    with pytest.raises(ValueError, match="not a torch.save zip archive"):
        osteon.nn.load_torchvision_weights(osteon.nn.ResNet18(), legacy)
    with pytest.raises(ValueError, match="depth must be one of"):
        osteon.nn.MultiViewResNet(depth=20)


def test_checkpoints_round_trip_between_cpp_and_python(tmp_path):
    torch.manual_seed(1)
    model = osteon.nn.ResNet18(num_classes=3)
    # C++ writes, Python reads (also with the safe weights_only loader)
    model.cpp_module.save_state_dict(str(tmp_path / "cpp.pt"))
    from_cpp = torch.load(tmp_path / "cpp.pt", weights_only=True)
    assert list(from_cpp) == list(model.state_dict())
    assert all(torch.equal(from_cpp[k], v) for k, v in model.state_dict().items())
    twin = torchvision.models.resnet18(num_classes=3)
    twin.load_state_dict(from_cpp)  # torchvision takes our checkpoint as is
    # Python writes, C++ reads
    osteon.nn.save_state_dict(twin, tmp_path / "python.pt")
    other = osteon.nn.ResNet18(num_classes=3)
    missing, unexpected = other.cpp_module.load_state_dict_file(str(tmp_path / "python.pt"))
    assert missing == [] and unexpected == []
    # and the Python helpers on our own model
    osteon.nn.load_state_dict(other, tmp_path / "cpp.pt")
    model.eval(), other.eval()
    x = torch.randn(1, 3, 32, 32)
    assert torch.equal(model(x), other(x))
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_load_state_dict_is_strict_and_reports_keys():
    model = osteon.nn.ResNet18(num_classes=3)
    state = model.state_dict()
    del state["fc.bias"]
    with pytest.raises(ValueError, match=r"Missing keys \(1\): fc\.bias"):
        model.load_state_dict(state)
    keys = model.load_state_dict(state, strict=False)
    assert keys.missing_keys == ["fc.bias"] and keys.unexpected_keys == []


def test_usable_with_torch_optim_and_train_eval():
    torch.manual_seed(2)
    model = osteon.nn.ResNet18(num_classes=2, in_channels=1)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, betas=(0.5, 0.999))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    loss = torch.nn.functional.cross_entropy(model(torch.randn(4, 1, 32, 32)), torch.tensor([0, 1, 0, 1]))
    loss.backward()
    optimizer.step()
    after = model.state_dict()
    assert not torch.equal(before["fc.weight"], after["fc.weight"])
    assert not torch.equal(before["conv1.weight"], after["conv1.weight"])
    assert not torch.equal(before["bn1.running_mean"], after["bn1.running_mean"])  # train mode
    assert model.training
    model.eval()
    assert not model.training


def test_channels_last_dtype_and_autocast():
    torch.manual_seed(3)
    model = osteon.nn.ResNet50(num_classes=4).eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        expected = model(x)
        model.to(memory_format=torch.channels_last)
        assert model.state_dict()["layer1.0.conv2.weight"].is_contiguous(memory_format=torch.channels_last)
        torch.testing.assert_close(model(x.to(memory_format=torch.channels_last)), expected,
                                   rtol=1e-4, atol=1e-4)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            assert model(x).dtype == torch.bfloat16
    volume = osteon.nn.ResNet18(num_classes=2, in_channels=1, spatial_dims=3).eval()
    v = torch.randn(1, 1, 16, 16, 16)
    with torch.no_grad():
        expected = volume(v)
        volume.to(memory_format=torch.channels_last_3d)
        torch.testing.assert_close(volume(v.to(memory_format=torch.channels_last_3d)), expected,
                                   rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("fusion", ["mean_logits", "mean_probs", "features"])
@pytest.mark.parametrize("shared", [True, False])
def test_multiview_outputs_and_fusion(fusion, shared):
    torch.manual_seed(4)
    model = osteon.nn.MultiViewResNet(depth=18, num_classes=3, fusion=fusion, shared_backbone=shared).eval()
    views = torch.randn(2, 2, 3, 32, 32)
    with torch.no_grad():
        out = model.forward_views(views)
        fused = model(views)
    torch.testing.assert_close(fused, out["fused"])
    assert out["fused"].shape == (2, 3)
    assert out["view_features"].shape == (2, 2, 512)
    state = model.state_dict()
    prefix = "backbone." if shared else "backbones.1."
    assert prefix + "layer4.1.bn2.running_var" in state
    if fusion == "features":
        assert out["view_logits"] is None
        head_w, head_b = state["head.weight"], state["head.bias"]
        torch.testing.assert_close(out["fused"], out["view_features"].flatten(1) @ head_w.T + head_b)
    else:
        logits = out["view_logits"]
        assert logits.shape == (2, 2, 3)
        if fusion == "mean_logits":
            torch.testing.assert_close(out["fused"], logits.mean(1))
        else:  # the softmax of the fused logits is the mean of the per-view probabilities
            torch.testing.assert_close(out["fused"].softmax(1), logits.softmax(2).mean(1))


def test_multiview_takes_torchvision_weights_in_every_backbone(tmp_path):
    reference = torchvision.models.resnet18(weights=None)
    torch.save(reference.state_dict(), tmp_path / "r18.pt")
    model = osteon.nn.MultiViewResNet(depth=18, num_classes=2, in_channels=1, shared_backbone=False)
    keys = osteon.nn.load_torchvision_weights(model, tmp_path / "r18.pt")
    assert keys.missing_keys == ["head.weight", "head.bias"]  # feature fusion: backbones have no fc
    stem = reference.conv1.weight.sum(1, keepdim=True)
    for v in (0, 1):
        torch.testing.assert_close(model.state_dict()[f"backbones.{v}.conv1.weight"], stem)


def test_distributed_data_parallel_wraps_the_model(tmp_path):
    import torch.distributed as dist
    dist.init_process_group("gloo", init_method=f"file://{tmp_path / 'rendezvous'}", rank=0, world_size=1)
    try:
        model = torch.nn.parallel.DistributedDataParallel(osteon.nn.ResNet18(num_classes=2))
        loss = model(torch.randn(2, 3, 32, 32)).sum()
        loss.backward()
        assert all(p.grad is not None for p in model.parameters())
    finally:
        dist.destroy_process_group()


def test_submodules_are_attributes_as_in_torchvision():
    model = osteon.nn.ResNet18(num_classes=3).eval()
    reference = torchvision.models.resnet18(num_classes=3)
    assert isinstance(model.fc, torch.nn.Module) and model.fc is model.fc
    assert [name for name, _ in model.named_children()] == [name for name, _ in reference.named_children()]
    # Same module tree and the same parameters in every submodule, reached by attribute.
    assert {name for name, _ in model.named_modules()} >= {
        name for name, m in reference.named_modules() if len(list(m.parameters(recurse=False))) > 0}
    assert model.layer2[0].downsample[0].weight.shape == reference.layer2[0].downsample[0].weight.shape
    assert len(model.layer4) == 2 and model.layer4[-1] is model.layer4[1]
    assert [block is model.layer1[i] for i, block in enumerate(model.layer1)] == [True, True]
    assert model.fc.weight.shape == (3, 512) and len(model.fc.state_dict()) == 2
    layer1 = {k[len("layer1."):]: v for k, v in model.state_dict().items() if k.startswith("layer1.")}
    assert list(model.layer1.state_dict()) == list(layer1)


def test_changes_through_submodules_are_seen_by_the_cpp_network():
    torch.manual_seed(5)
    model = osteon.nn.ResNet18(num_classes=3).eval()
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        model.fc.weight.zero_()
        model.fc.bias.copy_(torch.tensor([1.0, 2.0, 3.0]))
        torch.testing.assert_close(model(x), torch.tensor([[1.0, 2.0, 3.0]] * 2))
    assert model.fc.weight.data_ptr() == model.state_dict()["fc.weight"].data_ptr()
    reference = torchvision.models.resnet18(num_classes=3)
    model.layer1.load_state_dict(reference.layer1.state_dict())
    torch.testing.assert_close(model.state_dict()["layer1.1.bn2.weight"], reference.layer1[1].bn2.weight.detach())
    for p in model.layer1.parameters():  # freezing a stage, as in fine-tuning
        p.requires_grad_(False)
    model.train()
    model(x).sum().backward()
    assert model.layer1[0].conv1.weight.grad is None and model.fc.weight.grad is not None
    model.eval()
    model.layer1.train()
    assert model.layer1[0].bn1.training and not model.fc.training and not model.training


def test_submodules_cannot_be_replaced_or_called_from_python():
    model = osteon.nn.ResNet18(num_classes=3)
    with pytest.raises(TypeError, match="cannot set submodule 'fc' to Linear"):
        model.fc = torch.nn.Linear(512, 2)
    with pytest.raises(NotImplementedError, match="BasicResNet2d.fc .* no Python forward"):
        model.fc(torch.randn(1, 512))
    with pytest.raises(TypeError, match="not a sequence"):
        model.fc[0]
    with pytest.raises(IndexError, match="index 2 out of range"):
        model.layer1[2]
    assert bool(model.fc)


@pytest.mark.parametrize("shared", [True, False])
def test_multiview_submodules(shared):
    torch.manual_seed(6)
    model = osteon.nn.MultiViewResNet(depth=18, num_classes=2, shared_backbone=shared).eval()
    views = torch.randn(2, 2, 3, 32, 32)
    backbone = model.backbone if shared else model.backbones[1]
    assert not backbone.training  # wrapping a child after eval() keeps it in eval mode
    assert backbone.conv1.weight.shape == (64, 3, 7, 7)
    with torch.no_grad():
        out = model.forward_views(views)
        # A backbone is a bound C++ ResNet, so it runs: its output is the view's pooled features.
        torch.testing.assert_close(backbone(views[:, 1]), out["view_features"][:, 1])
        model.head.weight.zero_()
        model.head.bias.fill_(0.25)
        torch.testing.assert_close(model(views), torch.full((2, 2), 0.25))


@pytest.mark.parametrize("fusion", ["mean_logits", "mean_probs", "features"])
@pytest.mark.parametrize("shared", [True, False])
def test_multiview_3d_outputs_and_fusion(fusion, shared):
    torch.manual_seed(7)
    model = osteon.nn.MultiViewResNet(depth=18, num_classes=3, in_channels=1, fusion=fusion,
                                      shared_backbone=shared, spatial_dims=3).eval()
    assert isinstance(model, osteon.nn.BasicMultiViewResNet3d) and model.spatial_dims == 3
    views = torch.randn(2, 2, 1, 16, 16, 16)
    with torch.no_grad():
        out = model.forward_views(views)
        torch.testing.assert_close(model(views), out["fused"])
        # Each view's features are the 3-D backbone's on that view alone.
        backbone = model.backbone if shared else model.backbones[1]
        torch.testing.assert_close(backbone.forward_features(views[:, 1]), out["view_features"][:, 1])
    assert out["fused"].shape == (2, 3) and out["view_features"].shape == (2, 2, 512)
    prefix = "backbone." if shared else "backbones.1."
    assert model.state_dict()[prefix + "conv1.weight"].shape == (64, 1, 7, 7, 7)
    if fusion == "features":
        assert out["view_logits"] is None
        head = model.head
        torch.testing.assert_close(out["fused"], out["view_features"].flatten(1) @ head.weight.T + head.bias)
    elif fusion == "mean_logits":
        torch.testing.assert_close(out["fused"], out["view_logits"].mean(1))
    else:  # the softmax of the fused logits is the mean of the per-view probabilities
        torch.testing.assert_close(out["fused"].softmax(1), out["view_logits"].softmax(2).mean(1))
    if fusion != "features":
        assert out["view_logits"].shape == (2, 2, 3)


def test_multiview_3d_state_dict_round_trip(tmp_path):
    torch.manual_seed(8)
    model = osteon.nn.MultiViewResNet(depth=50, num_classes=2, in_channels=1, spatial_dims=3,
                                      shared_backbone=False).eval()
    assert isinstance(model, osteon.nn.BottleneckMultiViewResNet3d)
    views = torch.randn(1, 2, 1, 16, 16, 16)
    with torch.no_grad():
        expected = model(views)
    model.save_state_dict(str(tmp_path / "cpp.pt"))  # C++ writer -> Python reader
    osteon.nn.save_state_dict(model, tmp_path / "py.pt")  # Python writer -> C++ reader
    for path, load in ((tmp_path / "cpp.pt", osteon.nn.load_state_dict),
                       (tmp_path / "py.pt", lambda m, p: m.load_state_dict_file(str(p)))):
        torch.manual_seed(9)
        other = osteon.nn.MultiViewResNet(depth=50, num_classes=2, in_channels=1, spatial_dims=3,
                                          shared_backbone=False).eval()
        load(other, path)
        assert list(other.state_dict()) == list(model.state_dict())
        with torch.no_grad():
            torch.testing.assert_close(other(views), expected)
    with pytest.raises(ValueError, match="spatial_dims must be 2 or 3, got 4"):
        osteon.nn.MultiViewResNet(depth=18, spatial_dims=4)
