"""Networks: ResNet family and multi-view fusion, V-Net, UNet; each is a torch.nn.Module whose
forward runs in C++ (with the GIL released) and whose state dict uses the reference names."""
from . import _nn_classification, _nn_segmentation
from ._nn_classification import *  # noqa: F401,F403  (each module lists its __all__)
from ._nn_segmentation import *  # noqa: F401,F403

__all__ = [*_nn_classification.__all__, *_nn_segmentation.__all__]

for _name in __all__:
    _object = globals()[_name]
    if getattr(_object, "__module__", "").startswith("osteon._nn"):
        _object.__module__ = __name__
del _name, _object
