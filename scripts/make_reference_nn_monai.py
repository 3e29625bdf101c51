#!/usr/bin/python3
"""Regenerate tests/data/nn_monai/: MONAI VNet and UNet weights, a fixed input and MONAI's outputs.

Usage (from the repository root, with a MONAI source tree on PYTHONPATH, e.g. the 1.3.2 tag):
    PYTHONPATH=/tmp/monai-src /usr/bin/python3 scripts/make_reference_nn_monai.py
Needs torch + numpy only (MONAI's networks import nothing else). Produced with MONAI 1.3.2 and
torch 1.13.1 (Debian); the versions used are written to manifest.json. The output is
deterministic, and MONAI 1.5.0 writes byte-identical .pt files (only manifest.json's version
string differs).

For every case in CASES, writes <name>.pt (torch.save of the MONAI model's state_dict) and
<name>_io.pt (torch.save of {"input", "output_eval", "output_train"}):
  - every floating tensor of the state dict is redrawn from a seeded generator (batch-norm
    statistics and affine terms included), so that an import which mixed up two keys of the
    same shape could not go unnoticed;
  - output_eval is the model in eval() mode; output_train the model in train() mode (batch
    statistics) with every dropout probability set to 0.
manifest.json lists each case's MONAI class and keyword arguments, which are also osteon's.

MONAI's VNet has no width option; the small V-Net cases are MONAI's own VNet class whose
transitions are built with MONAI's own InputTransition / DownTransition / UpTransition /
OutputTransition at base width `base_channels` instead of 16 (osteon's `base_channels`), which
keeps the files under a megabyte (2 MB in all).
"""
import json
import os
import sys

import torch
from torch import nn

import monai
from monai.networks.nets import UNet, VNet
from monai.networks.nets import vnet as monai_vnet

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "nn_monai")

CASES = [
    # name, class, keyword arguments (MONAI's = osteon's), input shape
    ("unet2d_res2", "UNet",
     dict(spatial_dims=2, in_channels=1, out_channels=2, channels=[4, 8, 16, 32, 64],
          strides=[2, 2, 2, 2], num_res_units=2),
     [2, 1, 32, 32]),
    ("unet3d_batch_leaky", "UNet",
     dict(spatial_dims=3, in_channels=2, out_channels=3, channels=[4, 8, 16], strides=[2, 2],
          num_res_units=0, norm="batch", act=["leakyrelu", {"negative_slope": 0.1}], dropout=0.1),
     [2, 2, 8, 8, 8]),
    ("unet2d_group_k5", "UNet",
     dict(spatial_dims=2, in_channels=1, out_channels=2, channels=[4, 8, 8], strides=[2, 1],
          kernel_size=5, up_kernel_size=3, num_res_units=1,
          norm=["group", {"num_groups": 2}], act="relu", adn_ordering="ADN", bias=False),
     [2, 1, 16, 16]),
    ("vnet2d_base2", "VNet",
     dict(spatial_dims=2, in_channels=2, out_channels=2, base_channels=2),
     [2, 2, 32, 32]),
    ("vnet3d_base1_prelu", "VNet",
     dict(spatial_dims=3, in_channels=1, out_channels=3, act="prelu", bias=True, base_channels=1),
     [2, 1, 16, 16, 16]),
]


def as_monai_arg(value):
    """JSON lists back to the tuples MONAI expects for (name, {args}) layer specs."""
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], dict):
        return (value[0], value[1])
    return value


def build_vnet(spatial_dims=3, in_channels=1, out_channels=1, act=("elu", {"inplace": True}),
               dropout_prob_down=0.5, dropout_prob_up=(0.5, 0.5), dropout_dim=3, bias=False,
               base_channels=16):
    """MONAI's VNet, with its transitions built at base width `base_channels` (MONAI: 16)."""
    if base_channels == 16:
        return VNet(spatial_dims, in_channels, out_channels, act, dropout_prob_down=dropout_prob_down,
                    dropout_prob_up=dropout_prob_up, dropout_dim=dropout_dim, bias=bias)
    w = base_channels
    net = VNet.__new__(VNet)
    nn.Module.__init__(net)
    net.in_tr = monai_vnet.InputTransition(spatial_dims, in_channels, w, act, bias=bias)
    net.down_tr32 = monai_vnet.DownTransition(spatial_dims, w, 1, act, bias=bias)
    net.down_tr64 = monai_vnet.DownTransition(spatial_dims, 2 * w, 2, act, bias=bias)
    net.down_tr128 = monai_vnet.DownTransition(spatial_dims, 4 * w, 3, act, dropout_prob=dropout_prob_down,
                                               dropout_dim=dropout_dim, bias=bias)
    net.down_tr256 = monai_vnet.DownTransition(spatial_dims, 8 * w, 2, act, dropout_prob=dropout_prob_down,
                                               dropout_dim=dropout_dim, bias=bias)
    net.up_tr256 = monai_vnet.UpTransition(spatial_dims, 16 * w, 16 * w, 2, act, dropout_prob=dropout_prob_up,
                                           dropout_dim=dropout_dim)
    net.up_tr128 = monai_vnet.UpTransition(spatial_dims, 16 * w, 8 * w, 2, act, dropout_prob=dropout_prob_up,
                                           dropout_dim=dropout_dim)
    net.up_tr64 = monai_vnet.UpTransition(spatial_dims, 8 * w, 4 * w, 1, act, dropout_dim=dropout_dim)
    net.up_tr32 = monai_vnet.UpTransition(spatial_dims, 4 * w, 2 * w, 1, act, dropout_dim=dropout_dim)
    net.out_tr = monai_vnet.OutputTransition(spatial_dims, 2 * w, out_channels, act, bias=bias)
    return net


def build(cls, kwargs):
    kwargs = {k: as_monai_arg(v) for k, v in kwargs.items()}
    if cls == "VNet":
        return build_vnet(**kwargs)
    return UNet(**kwargs)


def redraw_state(net, generator):
    """Every floating tensor redrawn: weights ~ N(0, fan-in scale), BN statistics non-trivial."""
    with torch.no_grad():
        for name, tensor in net.state_dict().items():
            if not tensor.is_floating_point():
                continue
            if name.endswith("running_var"):
                tensor.copy_(0.5 + torch.rand(tensor.shape, generator=generator))
            elif tensor.dim() >= 2:
                fan_in = tensor[0].numel()
                tensor.copy_(torch.randn(tensor.shape, generator=generator) * (2.0 / fan_in) ** 0.5)
            else:  # biases, norm affine terms, running means, PReLU slopes
                tensor.copy_(0.1 * torch.randn(tensor.shape, generator=generator))
                if name.endswith("weight"):
                    tensor.add_(1.0 if "adn.N" in name or "bn1" in name else 0.0)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    manifest = {"monai_version": monai.__version__, "torch_version": torch.__version__, "cases": {}}
    for name, cls, kwargs, shape in CASES:
        generator = torch.Generator().manual_seed(20161025)  # V-Net's arXiv date, any fixed seed
        net = build(cls, kwargs)
        redraw_state(net, generator)
        x = torch.randn(shape, generator=generator)
        net.eval()
        with torch.no_grad():
            output_eval = net(x)
        for module in net.modules():
            if isinstance(module, nn.modules.dropout._DropoutNd):
                module.p = 0.0
        state = {k: v.clone() for k, v in net.state_dict().items()}
        net.train()
        with torch.no_grad():
            output_train = net(x)
        torch.save(state, os.path.join(OUT_DIR, f"{name}.pt"))
        torch.save({"input": x, "output_eval": output_eval, "output_train": output_train},
                   os.path.join(OUT_DIR, f"{name}_io.pt"))
        n_params = sum(p.numel() for p in net.parameters())
        manifest["cases"][name] = {"class": cls, "kwargs": kwargs, "input_shape": shape,
                                   "n_parameters": n_params}
        print(f"{name}: {cls} {n_params} parameters, output {list(output_eval.shape)}", file=sys.stderr)
    with open(os.path.join(OUT_DIR, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
