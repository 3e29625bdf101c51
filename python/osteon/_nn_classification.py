"""ResNet family and multi-view fusion for osteon.nn: torchvision's ResNets, written in C++.

Every network here is a ``torch.nn.Module`` (bound with ``torch::python::bind_module``): it has
``parameters()``, ``state_dict()`` / ``load_state_dict()`` with torchvision's key names, ``to()``
(device, dtype, ``memory_format=torch.channels_last``), ``train()`` / ``eval()``, and works with
``torch.optim`` and ``DistributedDataParallel``.
"""
import os
import tempfile
import warnings
from collections import OrderedDict

import torch

from ._C import nn as _cnn
from ._cpp_module import CppNetwork as _CppNetwork

__all__ = [
    "BasicResNet2d", "BottleneckResNet2d", "BasicResNet3d", "BottleneckResNet3d",
    "ResNet18", "ResNet34", "ResNet50", "ResNet101", "ResNet152",
    "BasicMultiViewResNet", "BottleneckMultiViewResNet", "BasicMultiViewResNet3d",
    "BottleneckMultiViewResNet3d", "MultiViewResNet",
    "load_torchvision_weights", "save_state_dict", "load_state_dict",
    "save_weights", "load_weights",  # deprecated aliases (one release)
]

# torchvision's resnet<depth>: blocks per stage and block type.
_DEPTHS = {18: ([2, 2, 2, 2], "basic"), 34: ([3, 4, 6, 3], "basic"),
           50: ([3, 4, 6, 3], "bottleneck"), 101: ([3, 4, 23, 3], "bottleneck"),
           152: ([3, 8, 36, 3], "bottleneck")}


def _public(cpp_class, name, doc):
    cls = type(name, (_CppNetwork, cpp_class), {"__doc__": doc, "__module__": "osteon.nn"})
    return cls


BasicResNet2d = _public(_cnn._BasicResNet2d, "BasicResNet2d",
                        "2-D ResNet of BasicBlocks (ResNet-18/34); build with ResNet18/ResNet34.")
BottleneckResNet2d = _public(_cnn._BottleneckResNet2d, "BottleneckResNet2d",
                             "2-D ResNet of Bottlenecks (ResNet-50/101/152); build with ResNet50...")
BasicResNet3d = _public(_cnn._BasicResNet3d, "BasicResNet3d",
                        "3-D ResNet of BasicBlocks; build with ResNet18(spatial_dims=3).")
BottleneckResNet3d = _public(_cnn._BottleneckResNet3d, "BottleneckResNet3d",
                             "3-D ResNet of Bottlenecks; build with ResNet50(spatial_dims=3).")
BasicMultiViewResNet = _public(_cnn._BasicMultiViewResNet, "BasicMultiViewResNet",
                               "Multi-view ResNet-18/34; build with MultiViewResNet(depth=18).")
BottleneckMultiViewResNet = _public(_cnn._BottleneckMultiViewResNet, "BottleneckMultiViewResNet",
                                    "Multi-view ResNet-50/101/152; build with MultiViewResNet().")
BasicMultiViewResNet3d = _public(_cnn._BasicMultiViewResNet3d, "BasicMultiViewResNet3d",
                                 "Multi-view 3-D ResNet-18/34; build with "
                                 "MultiViewResNet(depth=18, spatial_dims=3).")
BottleneckMultiViewResNet3d = _public(_cnn._BottleneckMultiViewResNet3d, "BottleneckMultiViewResNet3d",
                                      "Multi-view 3-D ResNet-50/101/152; build with "
                                      "MultiViewResNet(spatial_dims=3).")

_RESNET_CLASSES = {("basic", 2): BasicResNet2d, ("bottleneck", 2): BottleneckResNet2d,
                   ("basic", 3): BasicResNet3d, ("bottleneck", 3): BottleneckResNet3d}
_MULTIVIEW_CLASSES = {("basic", 2): BasicMultiViewResNet, ("bottleneck", 2): BottleneckMultiViewResNet,
                      ("basic", 3): BasicMultiViewResNet3d, ("bottleneck", 3): BottleneckMultiViewResNet3d}


def _layers_and_block(depth, spatial_dims):
    if depth not in _DEPTHS:
        raise ValueError(f"depth must be one of 18, 34, 50, 101, 152, got {depth!r}")
    if spatial_dims not in (2, 3):
        raise ValueError(f"spatial_dims must be 2 or 3, got {spatial_dims!r}")
    return _DEPTHS[depth]


def _resnet(depth, num_classes, in_channels, zero_init_residual, dropout, spatial_dims):
    layers, block = _layers_and_block(depth, spatial_dims)
    return _RESNET_CLASSES[(block, spatial_dims)](
        layers=layers, num_classes=num_classes, in_channels=in_channels,
        zero_init_residual=zero_init_residual, dropout=dropout)


_FACTORY_DOC = """ResNet-{depth} with torchvision's structure, initialisation and state-dict names.

    Args:
        num_classes: outputs of the head ``fc``; 0 drops the head (forward returns the pooled
            features, {features} wide).
        in_channels: input channels (1 for radiographs; load_torchvision_weights adapts the
            ImageNet stem by summing its RGB kernels).
        zero_init_residual: start each residual branch at zero (torchvision's option).
        dropout: dropout probability on the pooled features, before ``fc``.
        spatial_dims: 2 for images (N, C, H, W), 3 for volumes (N, C, D, H, W).

    Returns:
        a torch.nn.Module ({cls}).

    Example:
        >>> model = osteon.nn.ResNet{depth}(num_classes=2, in_channels=1)
        >>> model(torch.randn(2, 1, 64, 64)).shape
        torch.Size([2, 2])
    """


def ResNet18(num_classes=1000, in_channels=3, zero_init_residual=False, dropout=0.0, spatial_dims=2):  # noqa: N802
    return _resnet(18, num_classes, in_channels, zero_init_residual, dropout, spatial_dims)


def ResNet34(num_classes=1000, in_channels=3, zero_init_residual=False, dropout=0.0, spatial_dims=2):  # noqa: N802
    return _resnet(34, num_classes, in_channels, zero_init_residual, dropout, spatial_dims)


def ResNet50(num_classes=1000, in_channels=3, zero_init_residual=False, dropout=0.0, spatial_dims=2):  # noqa: N802
    return _resnet(50, num_classes, in_channels, zero_init_residual, dropout, spatial_dims)


def ResNet101(num_classes=1000, in_channels=3, zero_init_residual=False, dropout=0.0, spatial_dims=2):  # noqa: N802
    return _resnet(101, num_classes, in_channels, zero_init_residual, dropout, spatial_dims)


def ResNet152(num_classes=1000, in_channels=3, zero_init_residual=False, dropout=0.0, spatial_dims=2):  # noqa: N802
    return _resnet(152, num_classes, in_channels, zero_init_residual, dropout, spatial_dims)


for _factory, _depth in ((ResNet18, 18), (ResNet34, 34), (ResNet50, 50), (ResNet101, 101), (ResNet152, 152)):
    _factory.__doc__ = _FACTORY_DOC.format(
        depth=_depth, features=512 if _depth < 50 else 2048,
        cls="BasicResNet2d / BasicResNet3d" if _depth < 50 else "BottleneckResNet2d / BottleneckResNet3d")


def MultiViewResNet(depth=50, num_classes=2, in_channels=3, num_views=2, shared_backbone=True,  # noqa: N802
                    fusion="features", zero_init_residual=False, dropout=0.0, spatial_dims=2):
    """Multi-view classifier: the views of a case (e.g. AP and frog-leg) through ResNet backbones.

    Args:
        depth: backbone depth, 18, 34, 50, 101 or 152.
        num_classes: classes of the fused output (and of each view's logits in late fusion).
        in_channels: channels of every view.
        num_views: views per case.
        shared_backbone: one backbone for all views (``backbone.*``) or one per view
            (``backbones.<v>.*``).
        fusion: ``"features"`` (concatenate pooled features, then one linear ``head``),
            ``"mean_logits"`` (mean of per-view logits) or ``"mean_probs"`` (mean of per-view
            probabilities, returned as logits: log of the mean softmax, or logit of the mean
            sigmoid when num_classes is 1).
        zero_init_residual: as in ResNet50.
        dropout: dropout before the classifier(s).
        spatial_dims: 2 for radiographs, views (N, V, C, H, W); 3 for volumes, views
            (N, V, C, D, H, W) through 3-D ResNet backbones (e.g. two MRI sequences of a joint).

    Returns:
        a torch.nn.Module. ``model(views)`` gives the fused logits; ``model.forward_views(views)``
        a dict with ``fused`` (N, K), ``view_logits`` (N, V, K; None for feature fusion) and
        ``view_features`` (N, V, F).

    Example:
        >>> model = osteon.nn.MultiViewResNet(depth=18, num_classes=2, fusion="mean_probs")
        >>> out = model.forward_views(torch.randn(4, 2, 3, 64, 64))
        >>> out["fused"].shape, out["view_logits"].shape
        (torch.Size([4, 2]), torch.Size([4, 2, 2]))
        >>> volumes = osteon.nn.MultiViewResNet(depth=18, in_channels=1, spatial_dims=3)
        >>> volumes(torch.randn(2, 2, 1, 32, 32, 32)).shape
        torch.Size([2, 2])
    """
    layers, block = _layers_and_block(depth, spatial_dims)
    cls = _MULTIVIEW_CLASSES[(block, spatial_dims)]
    return cls(layers=layers, num_classes=num_classes, in_channels=in_channels, num_views=num_views,
               shared_backbone=shared_backbone, fusion=fusion,
               zero_init_residual=zero_init_residual, dropout=dropout)


def load_torchvision_weights(model, path):
    """Loads a torchvision ResNet state dict file (``torch.save(m.state_dict(), path)``).

    The stem is adapted to the model's in_channels (1 channel: the sum of the RGB kernels, as
    timm); a head of another size (or none) keeps its initialisation and is reported missing.
    Every backbone key must match in name and shape.

    Args:
        model: a 2-D ResNet from ResNet18 ... ResNet152, or a MultiViewResNet.
        path: the file.

    Returns:
        ``_IncompatibleKeys(missing_keys, unexpected_keys)``; missing lists the heads not loaded.

    Raises:
        ValueError: the file is missing, not a torch.save zip, or not a state dict of this ResNet
            (all missing / unexpected / mis-shaped keys are listed).

    Example:
        >>> torch.save(torchvision.models.resnet50(weights=None).state_dict(), "r50.pt")
        >>> model = osteon.nn.ResNet50(num_classes=2, in_channels=1)
        >>> osteon.nn.load_torchvision_weights(model, "r50.pt").missing_keys
        ['fc.weight', 'fc.bias']
    """
    missing, unexpected = _cnn._load_torchvision_weights(model.cpp_module, os.fspath(path))
    return torch.nn.modules.module._IncompatibleKeys(missing, unexpected)


def save_state_dict(model: torch.nn.Module, path) -> None:
    """Saves ``model.state_dict()`` with ``torch.save``, atomically (temporary file + rename).

    The Python twin of C++ ``osteon::io::save_state_dict``: C++ ``osteon::io::load_state_dict``
    reads the file, and this module's ``load_state_dict`` reads what C++ writes.

    Args:
        model: any torch.nn.Module.
        path: destination file.

    Raises:
        OSError: the folder is not writable (no partial file is left behind).

    Example:
        >>> osteon.nn.save_state_dict(model, "fold3.pt")
    """
    path = os.fspath(path)
    state = OrderedDict((k, v.detach().cpu()) for k, v in model.state_dict().items())
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)),
                                         prefix=os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            torch.save(state, out)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def load_state_dict(model: torch.nn.Module, path, strict: bool = True):
    """Loads a state dict file written by save_state_dict (Python or C++) into ``model``.

    Args:
        model: the torch.nn.Module to fill (same architecture).
        path: the file.
        strict: require the same key set.

    Returns:
        ``_IncompatibleKeys(missing_keys, unexpected_keys)``.

    Raises:
        ValueError: keys or shapes that do not fit (osteon networks); RuntimeError (torch modules).

    Example:
        >>> osteon.nn.load_state_dict(model, "fold3.pt")
    """
    return model.load_state_dict(torch.load(os.fspath(path), map_location="cpu"), strict=strict)


def save_weights(model, path):
    """Deprecated alias of :func:`save_state_dict` (the C++ name), removed in the next release."""
    warnings.warn("osteon.nn.save_weights is deprecated: use osteon.nn.save_state_dict (the C++ name)",
                  DeprecationWarning, stacklevel=2)
    save_state_dict(model, path)


def load_weights(model, path, strict=True):
    """Deprecated alias of :func:`load_state_dict` (the C++ name), removed in the next release."""
    warnings.warn("osteon.nn.load_weights is deprecated: use osteon.nn.load_state_dict (the C++ name)",
                  DeprecationWarning, stacklevel=2)
    return load_state_dict(model, path, strict)
