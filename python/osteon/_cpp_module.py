"""Helpers for objects of the compiled module (private): torch.nn.Module semantics for the C++
networks (children as modules, torch-style printing, state dicts under the C++ = reference names)
and Python functions with real signatures around bound C++ functions.

Shared by the Python modules so that none imports another's private helpers.
"""
from __future__ import annotations

import ast
import inspect
import re
from collections import OrderedDict
from typing import Any, Callable, Dict, List, Optional

import torch

__all__: List[str] = []  # private

# torch.nn.cpp.ModuleWrapper copies the C++ module's own to()/cuda()/.../train()/eval() onto the
# instance; those accept no memory_format and return None. Removing the copies restores
# torch.nn.Module's versions (chainable), which convert through ModuleWrapper._apply the very
# tensors the C++ module holds, and set `training` through the wrapper's property.
_MODULE_CONVERSIONS = ("to", "cuda", "cpu", "float", "double", "half", "train", "eval")


class CppChildren(torch.nn.cpp.OrderedDictWrapper):
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
            wrapper = CppSubmodule(child, f"{self._owner}.{name}")
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


class CppModule:
    """torch.nn.Module semantics for a wrapped C++ module, where the generic wrapper differs."""

    def _adopt(self, name):
        for method in _MODULE_CONVERSIONS:
            self.__dict__.pop(method, None)
        self._modules = CppChildren(self.cpp_module, name)

    # print(model) as torch prints a Python model: the tree of children, each leaf with its
    # arguments ("(conv1): Conv2d(1, 64, kernel_size=[7, 7], ...)"), not the C++ type name only.
    __repr__ = torch.nn.Module.__repr__

    def _get_name(self):
        return module_repr_name(self) if isinstance(self, CppSubmodule) else type(self).__name__

    def extra_repr(self):
        return module_extra_repr(self)


class CppSubmodule(CppModule, torch.nn.cpp.ModuleWrapper):
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


class CppNetwork(CppModule):
    """torch.nn.Module semantics for a bound C++ network, where the generic wrapper differs.

    Submodules are reachable as attributes under the C++ (= torchvision / MONAI) names, each a
    torch.nn.Module sharing the C++ tensors (see CppSubmodule).
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


# ---- printing as torch does ------------------------------------------------------------------

def _cpp_type_name(cpp_module) -> str:
    """"torch::nn::Conv2dImpl" -> "Conv2d", "osteon::nn::BasicBlockImpl<2>" -> "BasicBlock"."""
    name = re.sub(r"<.*>$", "", repr(cpp_module)).split("::")[-1]
    return name[:-4] if name.endswith("Impl") and len(name) > 4 else name


def _leaf_arguments(cpp_module) -> str:
    """The arguments C++ pretty_print shows: "torch::nn::Conv2d(1, 64, ...)" -> "1, 64, ..."."""
    from ._C import _pretty_print

    match = re.match(r"^[^(]*\((.*)\)$", _pretty_print(cpp_module).split("\n", 1)[0])
    return match.group(1) if match else ""


def module_repr_name(module) -> str:
    return _cpp_type_name(module.cpp_module)


def module_extra_repr(module) -> str:
    return _leaf_arguments(module.cpp_module) if not len(list(module.cpp_module.children())) else ""


# ---- Python functions with real signatures around bound C++ functions ------------------------

_SIGNATURE_LINE = re.compile(r"^\s*(?:\d+\.\s*)?(\w*)\((.*)\)(?:\s*->\s*(.*))?$")
_PLAIN_ANNOTATIONS = {"str", "float", "int", "bool", "object", "None"}


def _split_top_level(text: str):
    depth, part, parts, quote = 0, "", [], None
    for ch in text:
        if quote:
            part += ch
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(part.strip())
            part = ""
            continue
        part += ch
    if part.strip():
        parts.append(part.strip())
    return parts


def pybind_signature(function: Callable, first_overload: bool = False) -> inspect.Signature:
    """The signature a pybind11 function declares in its docstring's first line (the py::arg
    names and defaults of the binding, which read them from the C++ options); with
    ``first_overload``, that of the first overload of an overloaded binding (a constructor that
    torch's bind_module also gives a copy overload)."""
    lines = (function.__doc__ or "").lstrip().split("\n")
    doc = lines[0]
    if first_overload and doc.startswith("Overloaded function"):
        doc = next((line for line in lines[1:] if _SIGNATURE_LINE.match(line)), doc)
    match = _SIGNATURE_LINE.match(doc)
    if not match:
        raise ValueError(f"{function!r} has no pybind11 signature line")
    parameters = []
    kind: Any = inspect.Parameter.POSITIONAL_OR_KEYWORD
    for item in _split_top_level(match.group(2)):
        if item.startswith("**"):
            parameters.append(inspect.Parameter(item[2:].split(":")[0].strip(), inspect.Parameter.VAR_KEYWORD))
            continue
        if item.startswith("*"):
            name = item[1:].split(":")[0].strip()
            if name:
                parameters.append(inspect.Parameter(name, inspect.Parameter.VAR_POSITIONAL))
            kind = inspect.Parameter.KEYWORD_ONLY
            continue
        # pybind11 writes "name: type = default"; a text signature ("name(a, *, b=1)\n--\n") "b=1"
        name_and_type, _, default_text = item.partition(" = ") if " = " in item else item.partition("=")
        name, _, annotation = name_and_type.partition(":")
        name, annotation = name.strip(), annotation.strip()
        if name == "self":
            continue
        default = inspect.Parameter.empty
        if default_text:
            try:
                default = ast.literal_eval(default_text.strip())
            except (ValueError, SyntaxError):
                default = default_text.strip()
        parameters.append(inspect.Parameter(
            name, kind, default=default,
            annotation=annotation if annotation in _PLAIN_ANNOTATIONS else inspect.Parameter.empty))
    return inspect.Signature(parameters)


def pybind_doc(function: Callable) -> str:
    """The docstring of a pybind11 function without its signature line."""
    doc = (function.__doc__ or "").lstrip()
    body = doc.split("\n", 1)[1] if "\n" in doc else ""
    if body.startswith("--\n"):  # the end of a text signature ("name(...)\n--\n\n")
        body = body[3:]
    return body.strip("\n")


def python_function(function: Callable, name: str, module: str,
                    convert: Optional[Dict[str, Callable[[Any], Any]]] = None,
                    result: Optional[Callable[[Any], Any]] = None, doc: Optional[str] = None,
                    returns: Optional[str] = None) -> Callable:
    """A Python function around a bound C++ function: its pybind11 signature (so that
    inspect.signature, help() and editors see the names and defaults), its docstring, argument
    conversion per parameter name and a result conversion."""
    try:
        # a binding whose docstring starts with a text signature ("name(a, *, b=1)\n--\n\n", as
        # bind_losses writes them): CPython moved it to __text_signature__ and inspect reads it
        signature = inspect.signature(function)
    except (ValueError, TypeError):
        signature = None
    try:
        signature = signature or pybind_signature(function)
    except ValueError:  # an overloaded binding: the overloads differ, so no single signature
        signature = inspect.Signature([inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL),
                                       inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)])
    if returns is not None:
        signature = signature.replace(return_annotation=returns)
    convert = convert or {}

    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        for key, value in list(bound.arguments.items()):
            if key in convert and value is not None:
                bound.arguments[key] = convert[key](value)
        out = function(*bound.args, **bound.kwargs)
        return result(out) if result else out

    wrapper.__name__ = wrapper.__qualname__ = name
    wrapper.__module__ = module
    wrapper.__doc__ = doc if doc is not None else pybind_doc(function)
    setattr(wrapper, "__signature__", signature)
    setattr(wrapper, "__text_signature__", str(signature))  # as a builtin carries it
    return wrapper
