"""Input conversion shared by the Python modules (private): host arrays from numpy, lists, pandas
Series and tensors on any device; tensors kept on their device where the C++ has a tensor
backend; and the checks that turn pybind11's "incompatible function arguments" and numpy's
conversion errors into ValueErrors naming the function, the argument and the value."""
from __future__ import annotations

import numbers
from typing import Any, List, Optional, Sequence

import numpy as np
import torch

__all__: List[str] = []  # private: nothing here is part of the public API

_UINT64_END = 2 ** 64


def on_device(*values) -> Optional[list]:
    """If any value is a torch tensor, all values as tensors on its device (detached); else None."""
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    if not tensors:
        return None
    device = tensors[0].device
    return [v.detach() if isinstance(v, torch.Tensor) else torch.as_tensor(_array(v), device=device)
            for v in values]


def _array(value) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    # pandas Series / DataFrame columns, lists, tuples, numpy arrays: numpy reads them all.
    return np.asarray(value)


def _text_example(array: np.ndarray) -> str:
    values = sorted({str(v) for v in array.ravel()[:1000].tolist()})
    return ", ".join(repr(v) for v in values[:4]) + (", ..." if len(values) > 4 else "")


def host(value, function: str, argument: str, kind: str = "values") -> np.ndarray:
    """A float64 host array of `value` (tensors are copied from their device).

    kind: "labels" (0/1 with 1 the case class), "classes" (indices 0..K-1) or "values"; it
    chooses the advice of the error raised for text input.
    """
    array = _array(value)
    if array.dtype.kind in "US" or (array.dtype.kind == "O" and any(isinstance(v, str) for v in array.ravel()[:1000])):
        example = _text_example(array)
        if kind == "labels":
            advice = ("osteon needs 0/1 labels with 1 the case (positive) class and never guesses which "
                      f"text is positive: pass e.g. ({argument} == 'yes').astype(int)")
        elif kind == "classes":
            advice = ("osteon needs class indices 0..K-1 in the column order of the scores: pass e.g. "
                      f"np.unique({argument}, return_inverse=True)[1] (sorted class names) or "
                      f"pandas.Categorical({argument}, categories=[...]).codes")
        else:
            advice = "pass numbers"
        raise ValueError(f"{function}: {argument} holds text ({example}); {advice}")
    if np.iscomplexobj(array) or (array.dtype.kind == "O" and any(isinstance(v, complex) for v in array.ravel()[:1000])):
        raise ValueError(f"{function}: {argument} must be real, got complex values (the imaginary part would be "
                         "dropped; pass .real or abs() explicitly)")
    try:
        return np.asarray(array, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{function}: {argument} must be numbers, got {type(value).__name__} ({error})") from None


def seed(value: Any, function: str, argument: str = "seed") -> int:
    """An unsigned 64-bit seed; anything else is a ValueError naming the argument and value."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{function}: {argument} must be an integer in [0, 2**64), got {value!r}")
    value = int(value)
    if not 0 <= value < _UINT64_END:
        raise ValueError(f"{function}: {argument} must be an integer in [0, 2**64), got {value}")
    return value


def integer(value: Any, function: str, argument: str, minimum: Optional[int] = None) -> int:
    """An int (numpy integers too) of at least `minimum`, else a ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{function}: {argument} must be an integer, got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{function}: {argument} must be >= {minimum}, got {value}")
    if abs(value) >= 2 ** 63:
        raise ValueError(f"{function}: {argument} is out of the 64-bit range, got {value}")
    return value


_ALTERNATIVES = {"two-sided": "two-sided", "two.sided": "two-sided", "two_sided": "two-sided",
                 "less": "less", "greater": "greater"}


def alternative(value: Any, function: str) -> str:
    """The alternative hypothesis in osteon's one Python spelling ("two-sided", "less",
    "greater"); pROC's "two.sided" is accepted as a synonym."""
    if isinstance(value, str) and value in _ALTERNATIVES:
        return _ALTERNATIVES[value]
    raise ValueError(f"{function}: alternative must be 'two-sided', 'less' or 'greater', got {value!r}")


def proc_alternative(value: Any, function: str) -> str:
    """The alternative in the spelling of the C++ ROC functions (pROC's)."""
    return {"two-sided": "two.sided"}.get(alternative(value, function), alternative(value, function))


def choice(value: Any, function: str, argument: str, allowed: Sequence[str]) -> str:
    """`value` if it is one of `allowed` (lower-case), else a ValueError listing them."""
    if isinstance(value, str) and value in allowed:
        return value
    listed = ", ".join(repr(a) for a in allowed)
    raise ValueError(f"{function}: {argument} must be one of {listed}, got {value!r}")
