"""osteon's one result convention (private module; the classes are exported by the submodules
that return them).

Every function that returns more than one number returns a small typed record: fields are
attributes (``ci.auc``), ``repr()`` is readable (a DeLong test prints like pROC's ``roc.test``,
a results table like a paper's table), ``to_dict()`` gives plain Python values (JSON-serialisable
for host results; tensors stay tensors on their device) and ``to_frame()`` a pandas DataFrame.
"""
from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any, Dict, List

import numpy as np
import torch

__all__ = ["Result"]


def plain(value: Any) -> Any:
    """A field value as plain Python: records → dicts, numpy → floats / ints / lists, tuples →
    lists; tensors are returned as they are (on their device)."""
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _short(value: Any) -> str:
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.6g}"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, threshold=8, separator=", ")
    if isinstance(value, torch.Tensor):
        device = "" if value.device.type == "cpu" else f", device='{value.device}'"
        return f"tensor(shape={tuple(value.shape)}, dtype={value.dtype}{device})"
    if isinstance(value, list) and len(value) > 6:
        return "[" + ", ".join(_short(v) for v in value[:3]) + f", ... ({len(value)} items)]"
    return repr(value)


class Result:
    """Base of every osteon result record (a frozen dataclass).

    Example:
        >>> ci = osteon.metrics.auc_ci([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> ci.auc, ci.to_dict()["ci_low"]
        >>> ci.to_frame()        # one row
    """

    __slots__ = ()

    def _field_names(self) -> List[str]:
        return [f.name for f in dataclasses.fields(self) if f.repr]

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a dict of plain Python values (nested records as dicts, numpy arrays as
        lists; tensors stay tensors on their device)."""
        return {name: plain(getattr(self, name)) for name in self._field_names()}

    def to_frame(self) -> Any:
        """A pandas DataFrame: one row of the scalar fields (nested records flattened as
        ``name.field``); records that hold a table or a curve override this with one row per
        entry. Tensors are copied to the host."""
        import pandas as pd

        row: Dict[str, Any] = {}
        for name, value in self.to_dict().items():
            if isinstance(value, dict):
                for key, inner in value.items():
                    if not isinstance(inner, (list, dict)):
                        row[f"{name}.{key}"] = inner
            elif isinstance(value, torch.Tensor):
                row[name] = value.detach().cpu().numpy().tolist() if value.dim() else value.item()
            else:
                row[name] = value
        return pd.DataFrame([row])

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={_short(getattr(self, name))}" for name in self._field_names())
        return f"{type(self).__name__}({fields})"

    def __getitem__(self, name: str) -> Any:
        """Deprecated: ``result["field"]`` (the dicts of osteon 0.1); use ``result.field``."""
        if not isinstance(name, str) or name not in {f.name for f in dataclasses.fields(self)}:
            raise KeyError(name)
        warnings.warn(f"{type(self).__name__}[{name!r}] is deprecated and will be removed in the next release; "
                      f"use the attribute .{name} (or .to_dict())", DeprecationWarning, stacklevel=2)
        return getattr(self, name)

    def _asdict(self) -> Dict[str, Any]:
        """Deprecated alias of to_dict() (the namedtuple spelling of osteon 0.1)."""
        warnings.warn(f"{type(self).__name__}._asdict() is deprecated; use .to_dict()", DeprecationWarning,
                      stacklevel=2)
        return self.to_dict()

    @classmethod
    def _from_cpp(cls, record: Any, **overrides: Any):
        """The record of a bound C++ result struct (private: the wrappers call it)."""
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in overrides:
                values[f.name] = overrides[f.name]
            elif hasattr(record, f.name):
                values[f.name] = getattr(record, f.name)
        return cls(**values)


def record(cls=None, *, eq: bool = True):
    """Makes a Result subclass a frozen dataclass with Result's repr: ``@record`` or ``@record(eq=False)``
    (same as ``@dataclasses.dataclass(frozen=True, repr=False, eq=eq)``, the form the other modules use)."""
    def wrap(klass):
        return dataclasses.dataclass(frozen=True, repr=False, eq=eq)(klass)
    return wrap if cls is None else wrap(cls)
