"""Regenerates the fixtures of tests/cpp/nn_resnet (run from the repository root):

    /usr/bin/python3 tests/data/nn_resnet/make_fixtures.py

Writes, next to this script:
  sequential_state_dict.pt  torch.save(model.state_dict()) of a small Conv2d + BatchNorm2d, i.e.
                            an OrderedDict with `_metadata`, as every PyTorch user saves weights;
  tensor_views.pt           torch.save of a dict whose tensors share one storage with offsets and
                            strides (transpose, slice), plus bfloat16 and int64 entries;
  reference.json            the values of both files (row-major), and the state-dict keys and
                            shapes of torchvision's resnet18 / resnet50 (torchvision 0.14).
Deterministic (torch.manual_seed(0)); needs torch and torchvision, not network access.
"""
import json
import os

import torch
import torchvision

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)

model = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3))
model.train()
model(torch.randn(4, 2, 5, 5))  # running statistics move off their initial values
torch.save(model.state_dict(), os.path.join(here, "sequential_state_dict.pt"))

base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 8
views = {
    "base": base,
    "transposed": base.t(),
    "tail": base[1:, 1:],
    "bf16": torch.tensor([1.5, -2.25, 3.0], dtype=torch.bfloat16),
    "long": torch.tensor([7, -3, 1 << 40], dtype=torch.int64),
}
torch.save(views, os.path.join(here, "tensor_views.pt"))


def describe(tensors):
    return {name: {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
                   "values": [float(v) if t.is_floating_point() else int(v)
                              for v in t.detach().float().flatten().tolist()]
                   if t.is_floating_point() else [int(v) for v in t.flatten().tolist()]}
            for name, t in tensors.items()}


def keys(net):
    return [[name, list(t.shape)] for name, t in net.state_dict().items()]


reference = {
    "torch": torch.__version__,
    "torchvision": torchvision.__version__,
    "sequential_state_dict": describe(model.state_dict()),
    "tensor_views": describe(views),
    "resnet18_keys": keys(torchvision.models.resnet18(weights=None)),
    "resnet50_keys": keys(torchvision.models.resnet50(weights=None)),
    "parameter_counts": {depth: sum(p.numel() for p in getattr(torchvision.models, f"resnet{depth}")(weights=None).parameters())
                         for depth in (18, 34, 50, 101, 152)},
}
with open(os.path.join(here, "reference.json"), "w") as out:
    json.dump(reference, out, indent=1)
    out.write("\n")
