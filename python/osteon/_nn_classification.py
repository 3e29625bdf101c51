"""ResNet family and multi-view fusion for osteon.nn: torchvision's ResNets, written in C++.

Every network here is a ``torch.nn.Module`` (bound with ``torch::python::bind_module``): it has
``parameters()``, ``state_dict()`` / ``load_state_dict()`` with torchvision's key names, ``to()``
(device, dtype, ``memory_format=torch.channels_last``), ``train()`` / ``eval()``, and works with
``torch.optim`` and ``DistributedDataParallel``.
"""
import os
import tempfile
from collections import OrderedDict

import torch

from ._C import nn as _cnn

__all__ = [
    "BasicResNet2d", "BottleneckResNet2d", "BasicResNet3d", "BottleneckResNet3d",
    "ResNet18", "ResNet34", "ResNet50", "ResNet101", "ResNet152",
    "BasicMultiViewResNet", "BottleneckMultiViewResNet", "BasicMultiViewResNet3d",
    "BottleneckMultiViewResNet3d", "MultiViewResNet",
    "load_torchvision_weights", "save_weights", "load_weights",
]

# torchvision's resnet<depth>: blocks per stage and block type.
_DEPTHS = {18: ([2, 2, 2, 2], "basic"), 34: ([3, 4, 6, 3], "basic"),
           50: ([3, 4, 6, 3], "bottleneck"), 101: ([3, 4, 23, 3], "bottleneck"),
           152: ([3, 8, 36, 3], "bottleneck")}

# torch.nn.cpp.ModuleWrapper copies the C++ module's own to()/cuda()/.../train()/eval() onto the
# instance; those accept no memory_format and return None. Removing the copies restores
# torch.nn.Module's versions (chainable), which convert through ModuleWrapper._apply the very
# tensors the C++ module holds, and set `training` through the wrapper's property.
_MODULE_CONVERSIONS = ("to", "cuda", "cpu", "float", "double", "half", "train", "eval")


class _CppChildren(torch.nn.cpp.OrderedDictWrapper):
    """The ``_modules`` of a wrapped C++ module: each child as a torch.nn.Module wrapper.

    ModuleWrapper's own ``_modules`` hands out the raw ``torch._C.cpp.nn.Module`` children, which
    are no torch.nn.Module and have no ``weight`` attribute. Wrappers are cached per name, so
    ``model.fc is model.fc``; a new one is made only if the C++ child itself was replaced.
    """

    def __init__(self, cpp_module, owner):
        super().__init__(cpp_module, "_modules")
        self._owner = owner
        self._wrappers = {}

    def _wrap(self, name, child):
        wrapper = self._wrappers.get(name)
        if wrapper is None or wrapper.cpp_module is not child:
            wrapper = _CppSubmodule(child, f"{self._owner}.{name}")
            self._wrappers[name] = wrapper
        return wrapper

    def items(self):
        return [(name, self._wrap(name, child)) for name, child in self.cpp_dict.items()]

    def values(self):
        return [wrapper for _, wrapper in self.items()]

    def __getitem__(self, name):
        return self._wrap(name, self.cpp_dict[name])

    def get(self, name, default=None):
        return self[name] if name in self else default

    def __setitem__(self, name, module):
        raise TypeError(
            f"{self._owner}: cannot set submodule {name!r} to {type(module).__name__}: the network's "
            "forward runs in C++ and keeps its own modules; choose the head with the constructor's "
            "arguments (e.g. num_classes) and change weights in place (model.fc.weight.copy_(...))")

    def __delitem__(self, name):
        raise TypeError(f"{self._owner}: cannot delete submodule {name!r} of a C++ network")


class _CppModule:
    """torch.nn.Module semantics for a wrapped C++ module, where the generic wrapper differs."""

    def _adopt(self, name):
        for method in _MODULE_CONVERSIONS:
            self.__dict__.pop(method, None)
        self._modules = _CppChildren(self.cpp_module, name)


class _CppSubmodule(_CppModule, torch.nn.cpp.ModuleWrapper):
    """A submodule of a C++ network (``model.fc``, ``model.layer1[0].conv1``) as a torch.nn.Module.

    Its parameters and buffers are the C++ module's own tensors: in-place changes
    (``model.fc.weight.data.zero_()``, ``requires_grad_(False)``, ``model.layer1.to(...)``) are
    what the C++ forward uses, and ``state_dict()`` / ``load_state_dict()`` read and write them
    under the submodule's own key names. Containers (``layer1``, ``backbones``) index like
    torch.nn.Sequential (``model.layer4[-1]``). A child is called through its C++ forward when its
    C++ type is bound (the backbone of a MultiViewResNet); other children have no Python
    forward, and Python forward hooks on them do not fire, since the network's forward runs in
    C++.

    Example:
        >>> model = osteon.nn.ResNet18(num_classes=2)
        >>> model.fc.weight.shape
        torch.Size([2, 512])
        >>> for p in model.layer1.parameters():
        ...     p.requires_grad_(False)
    """

    def __init__(self, cpp_module, name):
        super().__init__(cpp_module)
        self._adopt(name)
        self._qualified_name = name  # from here on, `training` writes reach the C++ module

    @property
    def training(self):
        return self.cpp_module.training

    @training.setter
    def training(self, mode):
        # torch.nn.Module.__init__ sets training = True; on an existing child that would switch
        # the C++ subtree back to training mode behind model.eval().
        if "_qualified_name" in self.__dict__:
            self.cpp_module.train(mode)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            f"{self._qualified_name} is a submodule of a C++ network and has no Python forward; "
            "call the whole network (or its forward_features)")

    def _child_list(self):
        names = list(self._modules.keys())
        if not names or names != [str(i) for i in range(len(names))]:
            raise TypeError(f"{self._qualified_name} is not a sequence of modules "
                            f"(children {names})")
        return names

    def __getitem__(self, index):
        """The ``index``-th child of a container (torch.nn.Sequential's indexing; negative too)."""
        names = self._child_list()
        if not isinstance(index, int):
            raise TypeError(f"{self._qualified_name}: index must be an int, got {type(index).__name__}")
        if not -len(names) <= index < len(names):
            raise IndexError(f"{self._qualified_name}: index {index} out of range for {len(names)} modules")
        return self._modules[names[index]]

    def __len__(self):
        return len(self._child_list())

    def __iter__(self):
        return iter(self._modules[name] for name in self._child_list())

    def __bool__(self):  # a module is truthy whatever its number of children (__len__ above)
        return True


class _CppNetwork(_CppModule):
    """torch.nn.Module semantics for a bound C++ network, where the generic wrapper differs.

    Submodules are reachable as attributes under the C++ (= torchvision / MONAI) names, each a
    torch.nn.Module sharing the C++ tensors (see _CppSubmodule).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._adopt(type(self).__name__)

    def state_dict(self, destination=None, prefix="", keep_vars=False):
        """The parameters and buffers under torchvision's names (PyTorch's order and types).

        Args:
            destination: an OrderedDict to fill (a new one by default).
            prefix: prepended to every key.
            keep_vars: keep autograd history (as ``torch.nn.Module.state_dict``).

        Returns:
            OrderedDict mapping names such as ``layer1.0.downsample.0.weight`` to tensors.
        """
        if destination is None:
            destination = OrderedDict()
        for name, tensor in self.cpp_module._state_dict_items():
            destination[prefix + name] = tensor if keep_vars else tensor.detach()
        return destination

    def load_state_dict(self, state_dict, strict=True):
        """Copies ``state_dict`` into the network (C++ ``assign_state_dict``).

        Args:
            state_dict: mapping of names to tensors, e.g. ``torch.load(path)``.
            strict: require the same key set (shapes must always match).

        Returns:
            ``torch.nn.modules.module._IncompatibleKeys(missing_keys, unexpected_keys)``.

        Raises:
            ValueError: listing every missing, unexpected and mis-shaped key (PyTorch raises
                RuntimeError for the same condition); nothing is copied then.
        """
        missing, unexpected = self.cpp_module._assign_state_dict(list(state_dict.items()), strict)
        return torch.nn.modules.module._IncompatibleKeys(missing, unexpected)


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


def save_weights(model, path):
    """Saves ``model.state_dict()`` with ``torch.save``, atomically (temporary file + rename).

    The file is the one C++ ``osteon::nn::load_state_dict`` reads, and Python's
    ``torch.load`` reads what C++ ``osteon::nn::save_state_dict`` writes.

    Args:
        model: any torch.nn.Module.
        path: destination file.

    Example:
        >>> osteon.nn.save_weights(model, "fold3.pt")
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


def load_weights(model, path, strict=True):
    """Loads a state dict file written by save_weights (Python) or save_state_dict (C++).

    Args:
        model: the torch.nn.Module to fill (same architecture).
        path: the file.
        strict: require the same key set.

    Returns:
        ``_IncompatibleKeys(missing_keys, unexpected_keys)``.

    Example:
        >>> osteon.nn.load_weights(model, "fold3.pt")
    """
    return model.load_state_dict(torch.load(os.fspath(path), map_location="cpu"), strict=strict)
