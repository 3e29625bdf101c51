"""Comparing and summarising ROC curves beyond DeLong (see docs/stats.md): Venkatraman's permutation
tests, the binormal smoothed ROC curve and multi-class ROC AUC.

Host inputs (numpy arrays, lists; tensors are copied to the host) in double precision. Numbers equal
pROC 1.18's roc.test(method="venkatraman") (statistic exactly, p-value to Monte-Carlo error),
smooth(method="binormal") and multiclass.roc, and scikit-learn's roc_auc_score(multi_class=...).
"""
from __future__ import annotations

import dataclasses
from typing import Optional, Sequence, Tuple

import numpy as np

from . import _convert
from ._C import metrics as _m
from ._results import Result

__all__ = ["VenkatramanTest", "SmoothRoc", "MulticlassRocPair", "MulticlassRoc", "venkatraman_test",
           "smooth_roc_binormal", "multiclass_roc", "multiclass_roc_auc"]


def _host(value, argument):
    return _convert.host(value, "osteon.metrics", argument)


@dataclasses.dataclass(frozen=True, repr=False)
class VenkatramanTest(Result):
    """Result of venkatraman_test: the statistic E, the permutation p-value #{E* >= E} / n."""

    statistic: float
    p_value: float
    n_permutations: int
    paired: bool


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class SmoothRoc(Result):
    """A binormal smoothed ROC curve: Phi^-1(sp) = a + b Phi^-1(se); points from se = 1 to se = 0."""

    a: float
    b: float
    sensitivity: np.ndarray
    specificity: np.ndarray
    auc: float
    auc_trapezoid: float


@dataclasses.dataclass(frozen=True, repr=False)
class MulticlassRocPair(Result):
    """One pair of classes of a univariate multi-class ROC (the lower class are the controls)."""

    control_level: object
    case_level: object
    direction: str
    auc: float


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class MulticlassRoc(Result):
    """pROC's multiclass.roc of one score: the pair curves' AUCs and their mean (Hand & Till 2001)."""

    levels: Tuple[object, ...]
    pairs: Tuple[MulticlassRocPair, ...]
    auc: float

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([p.to_dict() for p in self.pairs])


def venkatraman_test(y_true, y_score_a, y_score_b=None, *, y_true_b=None, n_permutations: int = 2000,
                     seed: int = 0, n_threads: int = 0) -> VenkatramanTest:
    """Venkatraman's permutation test that two ROC curves are equal at every operating point
    (pROC's ``roc.test(roc1, roc2, method="venkatraman")``; Venkatraman & Begg 1996 for paired
    predictors, Venkatraman 2000 for curves on different samples). Two-sided only; the curves'
    direction plays no part (the ranks of the scores as given, as in pROC).

    Args:
        y_true: 0/1 labels (1 = case) of the first (or only) sample.
        y_score_a: scores of the first predictor on ``y_true``.
        y_score_b: scores of the second predictor: on ``y_true`` (paired), or on ``y_true_b``.
        y_true_b: labels of the second sample; given, the test is unpaired.
        n_permutations: permutations (pROC's ``boot.n``).
        seed: permutation r draws from PCG32(seed, r + 1): the same result on any thread count.
        n_threads: 0 = all cores.

    Returns:
        VenkatramanTest(statistic, p_value, n_permutations, paired).

    Example:
        >>> y = [0, 0, 1, 1, 0, 1]
        >>> t = venkatraman_test(y, [0.1, 0.4, 0.35, 0.8, 0.2, 0.7], [0.3, 0.1, 0.9, 0.6, 0.5, 0.4], seed=1)
        >>> t.statistic, t.p_value
    """
    if y_score_b is None:
        raise ValueError("venkatraman_test: y_score_b is required")
    if y_true_b is None:
        out = _m._venkatraman_test(_host(y_true, "y_true"), _host(y_score_a, "y_score_a"), _host(y_score_b, "y_score_b"),
                                   n_permutations, seed, n_threads)
    else:
        out = _m._venkatraman_test_unpaired(_host(y_true, "y_true"), _host(y_score_a, "y_score_a"),
                                            _host(y_true_b, "y_true_b"), _host(y_score_b, "y_score_b"),
                                            n_permutations, seed, n_threads)
    return VenkatramanTest(**out)


def smooth_roc_binormal(y_true, y_score, n: int = 512, direction: str = "<") -> SmoothRoc:
    """Binormal smoothed ROC curve (pROC's ``smooth(roc, method="binormal", n=n)``; Metz 1978): the
    least-squares line Phi^-1(sp) = a + b Phi^-1(se) through the empirical curve's finite points,
    evaluated at n sensitivities i/(n - 1), with (1, 0) in front and (0, 1) at the end.

    Args:
        y_true: 0/1 labels (1 = case).
        y_score: scores.
        n: points of the smoothed curve (pROC's default 512).
        direction: "<" (cases score higher) or ">".

    Returns:
        SmoothRoc(a, b, sensitivity, specificity, auc, auc_trapezoid); ``auc`` is pROC's
        Phi(a / sqrt(1 + b^2)), ``auc_trapezoid`` the area of the points.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> y = np.r_[np.zeros(50), np.ones(50)]
        >>> s = smooth_roc_binormal(y, np.r_[rng.normal(0, 1, 50), rng.normal(1, 1, 50)], n=64)
        >>> s.auc, s.sensitivity[:3]
    """
    out = _m._smooth_roc_binormal(_host(y_true, "y_true"), _host(y_score, "y_score"), n, direction)
    return SmoothRoc(a=out["a"], b=out["b"], sensitivity=np.asarray(out["sensitivity"]),
                     specificity=np.asarray(out["specificity"]), auc=out["auc"], auc_trapezoid=out["auc_trapezoid"])


def _class_codes(y_true, labels: Optional[Sequence], function: str):
    y = np.asarray(y_true)
    if y.ndim != 1:
        raise ValueError(f"{function}: y_true must be 1-D, got shape {y.shape}")
    classes = np.unique(y) if labels is None else np.asarray(list(labels))
    if labels is not None and len(np.unique(classes)) != len(classes):
        raise ValueError(f"{function}: labels must be unique, got {list(labels)}")
    codes = np.empty(len(y), dtype=np.float64)
    for k, c in enumerate(classes):
        codes[y == c] = k
    unknown = ~np.isin(y, classes)
    if unknown.any():
        raise ValueError(f"{function}: y_true contains {y[unknown][0]!r}, which is not in labels={list(classes)}")
    return classes, codes


def multiclass_roc(y_true, y_score, direction: str = "auto") -> MulticlassRoc:
    """Univariate multi-class ROC (pROC's ``multiclass.roc(response, predictor)``; Hand & Till 2001):
    a ROC curve for each pair of classes (sorted; the lower class the controls), the AUC their mean.

    Args:
        y_true: class of each sample (numbers or strings; sorted as numpy sorts them).
        y_score: one score per sample.
        direction: "auto" (pROC's: "<" for a pair when median(controls) <= median(cases)), "<" or ">".

    Returns:
        MulticlassRoc(levels, pairs, auc); ``to_frame()`` gives one row per pair.

    Example:
        >>> mc = multiclass_roc(["a", "a", "b", "b", "c", "c"], [0.1, 0.3, 0.2, 0.6, 0.5, 0.9])
        >>> mc.auc, mc.pairs[0].auc
    """
    classes, codes = _class_codes(y_true, None, "multiclass_roc")
    out = _m._multiclass_roc_univariate(codes, _host(y_score, "y_score"), direction)
    name = lambda code: classes[int(code)].item() if hasattr(classes[int(code)], "item") else classes[int(code)]
    pairs = tuple(MulticlassRocPair(control_level=name(p["control_level"]), case_level=name(p["case_level"]),
                                    direction=p["direction"], auc=p["auc"]) for p in out["pairs"])
    return MulticlassRoc(levels=tuple(name(c) for c in out["levels"]), pairs=pairs, auc=out["auc"])


def multiclass_roc_auc(y_true, y_score, multi_class: str = "ovr", average: str = "macro",
                       labels: Optional[Sequence] = None) -> float:
    """Multi-class AUC of a probability matrix with class names and scikit-learn's ``labels=``:
    ``roc_auc_score(y_true, y_score, multi_class=..., average=..., labels=...)``; "ovo" is Hand &
    Till's (2001) M. The classes are mapped to column indices and osteon.metrics.multiclass_auc
    computes the value (rows must sum to 1, as scikit-learn requires).

    Args:
        y_true: class of each sample (numbers or strings).
        y_score: (n_samples, n_classes) scores, column k for class k of ``labels``.
        multi_class: "ovr" (one-vs-rest) or "ovo" (one-vs-one, Hand & Till).
        average: "macro" or "weighted" (by prevalence).
        labels: the classes in column order (default: the sorted classes of y_true). A class absent
            from y_true is left out of the "ovo" pairs; "ovr" refuses it, as scikit-learn does.

    Returns:
        The multi-class AUC (float).

    Example:
        >>> p = [[0.8, 0.1, 0.1], [0.3, 0.5, 0.2], [0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]
        >>> multiclass_roc_auc(["a", "b", "c", "c"], p, multi_class="ovo")
    """
    scores = np.ascontiguousarray(_host(y_score, "y_score"), dtype=np.float64)
    if scores.ndim != 2:
        raise ValueError(f"multiclass_roc_auc: y_score must be 2-D (n_samples, n_classes), got shape {scores.shape}")
    classes, codes = _class_codes(y_true, labels, "multiclass_roc_auc")
    if scores.shape[1] != len(classes):
        raise ValueError(f"multiclass_roc_auc: y_score has {scores.shape[1]} columns but there are {len(classes)} "
                         f"classes ({list(classes)})")
    return _m._multiclass_auc(codes, scores, multi_class, average)
