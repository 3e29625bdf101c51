"""ROC / AUC / DeLong, dispatching torch tensors to the device backend and host arrays to the
double-precision host backend. Both give the same numbers (equal to pROC 1.18 and scikit-learn)."""
from __future__ import annotations

import dataclasses
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import torch

from . import _convert
from ._C import metrics as _m
from ._results import Result

__all__ = [
    "RocCurve", "AucCi", "DelongTest", "DelongContrastTest", "DelongPlacements",
    "roc_curve", "roc_auc", "auc_variance", "auc_ci", "delong_cov", "delong_placements",
    "delong_test", "delong_test_unpaired", "delong_contrast_test",
]

_DEFAULTS = _m._roc_defaults  # read from the C++ options (BootstrapOptions)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class RocCurve(Result):
    """ROC curve points, in the order of decreasing threshold (pROC's order reversed)."""

    thresholds: np.ndarray
    sensitivity: np.ndarray        #: = tpr
    specificity: np.ndarray
    fpr: np.ndarray
    tpr: np.ndarray
    true_positives: np.ndarray
    false_positives: np.ndarray
    n_cases: int
    n_controls: int

    def to_frame(self):
        """One row per point: threshold, sensitivity, specificity, fpr, true / false positives."""
        import pandas as pd

        return pd.DataFrame({"threshold": self.thresholds, "sensitivity": self.sensitivity,
                             "specificity": self.specificity, "fpr": self.fpr,
                             "true_positives": self.true_positives, "false_positives": self.false_positives})


@dataclasses.dataclass(frozen=True, repr=False)
class AucCi(Result):
    """An AUC with its confidence interval; iterates as (ci_low, auc, ci_high)."""

    auc: float
    ci_low: float
    ci_high: float
    level: float
    method: str

    def __iter__(self):
        return iter((self.ci_low, self.auc, self.ci_high))

    def __str__(self) -> str:
        return f"{self.auc:.3f} [{self.ci_low:.3f}, {self.ci_high:.3f}]"


def _r_format(values, digits: int = 7):
    """R's format() of a numeric vector: `digits` significant digits for the element that needs
    most, trailing zeros dropped, the same decimals and width for all (as print.htest shows)."""
    decimals = 0
    for v in values:
        text = f"{v:.{digits}g}"
        if "e" in text:
            return [f"{v:.{digits - 1}e}" for v in values]
        if "." in text:
            decimals = max(decimals, len(text.split(".")[1].rstrip("0")))
    texts = [f"{v:.{decimals}f}" for v in values]
    width = max(len(t) for t in texts)
    return [t.rjust(width) for t in texts]


_ALTERNATIVE_TEXT = {"two-sided": "not equal to", "less": "less than", "greater": "greater than"}


@dataclasses.dataclass(frozen=True, repr=False)
class DelongTest(Result):
    """DeLong's comparison of two AUCs (pROC's roc.test, method="delong").

    ``statistic`` is Z when paired, D (t-distributed with ``df``) when unpaired; ``ci_low`` /
    ``ci_high`` bound auc_a - auc_b. ``repr()`` prints pROC's summary.
    """

    auc_a: float
    auc_b: float
    statistic: float
    p_value: float
    df: float
    ci_low: float
    ci_high: float
    level: float
    alternative: str
    paired: bool
    name_a: str = "a"
    name_b: str = "b"

    def __repr__(self) -> str:
        title = "DeLong's test for two correlated ROC curves" if self.paired else "DeLong's test for two ROC curves"
        if self.paired:
            statistic = f"Z = {self.statistic:.5g}, p-value = {self.p_value:.4g}"
        else:
            statistic = f"D = {self.statistic:.5g}, df = {self.df:.5g}, p-value = {self.p_value:.4g}"
        head_a, head_b = f"AUC of {self.name_a}", f"AUC of {self.name_b}"
        auc_a, auc_b = _r_format([self.auc_a, self.auc_b])
        width_a, width_b = max(len(head_a), len(auc_a)), max(len(head_b), len(auc_b))
        return "\n".join([
            "",
            f"\t{title}",
            "",
            f"data:  {self.name_a} and {self.name_b}",
            statistic,
            f"alternative hypothesis: true difference in AUC is {_ALTERNATIVE_TEXT[self.alternative]} 0",
            f"{100 * self.level:g} percent confidence interval:",
            " " + " ".join(_r_format([self.ci_low, self.ci_high])),
            "sample estimates:",
            f"{head_a:>{width_a}} {head_b:>{width_b}} ",
            f"{auc_a:>{width_a}} {auc_b:>{width_b}} ",
            "",
        ])


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class DelongContrastTest(Result):
    """Chi-square test of a contrast of K correlated AUCs (DeLong 1988)."""

    aucs: np.ndarray
    statistic: float
    df: float
    p_value: float


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class DelongPlacements(Result):
    """DeLong's structural components; iterates as (auc, case_placements, control_placements)."""

    auc: float
    case_placements: np.ndarray     #: V10, one per case
    control_placements: np.ndarray  #: V01, one per control

    def __iter__(self):
        return iter((self.auc, self.case_placements, self.control_placements))


def _delong(test, name_a: str, name_b: str) -> DelongTest:
    return DelongTest._from_cpp(test, alternative=_convert.alternative(test.alternative, "delong_test"),
                                name_a=name_a, name_b=name_b)


def roc_curve(y_true, y_score, direction: str = "<", thresholds: str = "midpoint",
              drop_intermediate: bool = False) -> RocCurve:
    """ROC curve points.

    Args:
        y_true: 0/1 labels (1 = case), shape (N,): numpy, list, pandas Series or torch tensor.
        y_score: scores, shape (N,). Tensors are copied to the host (the curve has a
            data-dependent length).
        direction: "<" (higher score = case, default) or ">"; never guessed.
        thresholds: "midpoint" (pROC: -inf, midpoints between distinct scores, +inf) or
            "sklearn" (the distinct scores, decreasing, after +inf).
        drop_intermediate: sklearn's option, with thresholds="sklearn".

    Returns:
        RocCurve with numpy arrays thresholds, sensitivity (= tpr), specificity, fpr, tpr,
        true_positives, false_positives, and n_cases, n_controls; ``to_frame()`` gives the points.

    Raises:
        ValueError: labels not 0/1 (text labels included), NaN / Inf scores, unequal lengths.

    Example:
        >>> c = osteon.metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> c.thresholds
        array([ -inf, 0.225, 0.375, 0.6  ,   inf])
    """
    f = "roc_curve"
    curve = _m.roc_curve(_convert.host(y_true, f, "y_true", "labels"), _convert.host(y_score, f, "y_score"),
                         direction, thresholds, drop_intermediate)
    return RocCurve(**curve)


def roc_auc(y_true, y_score, direction: str = "<", validate: bool = True) -> Union[float, torch.Tensor]:
    """Area under the ROC curve (Mann-Whitney; ties count 1/2).

    Args:
        y_true: 0/1 labels, shape (N,).
        y_score: scores (N,), or (K, N) for K predictors when a tensor.
        direction: "<" (default) or ">".
        validate: tensors only; False skips the label/finiteness check and its one host sync.

    Returns:
        float for host input; a float64 tensor on the input's device for tensor input
        (0-dim, or (K,)).

    Raises:
        ValueError: host input that is not 0/1 labels with both classes, NaN / Inf scores.
        RuntimeError: the same for tensors (TORCH_CHECK).

    Example:
        >>> osteon.metrics.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.75
    """
    tensors = _convert.on_device(y_true, y_score)
    if tensors:
        return _m.roc_auc_tensor(*tensors, direction, validate)
    f = "roc_auc"
    return _m.roc_auc(_convert.host(y_true, f, "y_true", "labels"), _convert.host(y_score, f, "y_score"), direction)


def auc_variance(y_true, y_score, direction: str = "<") -> Union[float, torch.Tensor]:
    """DeLong variance of the AUC (pROC's var(roc, method="delong")).

    Args:
        y_true: 0/1 labels, shape (N,).
        y_score: scores, shape (N,).
        direction: "<" (default) or ">".

    Returns:
        float for host input, a float64 tensor on the input's device for tensors.

    Raises:
        ValueError: as roc_auc.

    Example:
        >>> osteon.metrics.auc_variance([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.7])
    """
    tensors = _convert.on_device(y_true, y_score)
    if tensors:
        return _m.auc_variance_tensor(*tensors, direction)
    f = "auc_variance"
    return _m.auc_variance(_convert.host(y_true, f, "y_true", "labels"), _convert.host(y_score, f, "y_score"),
                           direction)


def delong_cov(y_true, y_scores, direction: str = "<") -> Union[np.ndarray, torch.Tensor]:
    """DeLong covariance matrix (K, K) of K predictors on the same samples.

    Args:
        y_true: 0/1 labels (N,).
        y_scores: (K, N) scores, one row per predictor.
        direction: "<" (default) or ">".

    Returns:
        numpy (K, K) for host input; float64 tensor on the input's device for tensors.

    Raises:
        ValueError: as roc_auc, or y_scores not 2-D.

    Example:
        >>> osteon.metrics.delong_cov([0, 0, 1, 1], [[0.1, 0.4, 0.35, 0.8], [0.2, 0.1, 0.6, 0.9]])
    """
    tensors = _convert.on_device(y_true, y_scores)
    if tensors:
        return _m.delong_cov_tensor(*tensors, direction)
    f = "delong_cov"
    return _m.delong_cov(_convert.host(y_true, f, "y_true", "labels"), _convert.host(y_scores, f, "y_scores"),
                         direction)


def delong_placements(y_true, y_score, direction: str = "<") -> DelongPlacements:
    """DeLong's structural components: the AUC and the case (V10) and control (V01) placements.

    Args:
        y_true: 0/1 labels (N,).
        y_score: scores (N,).
        direction: "<" (default) or ">".

    Returns:
        DelongPlacements(auc, case_placements, control_placements); unpacks as a 3-tuple.

    Raises:
        ValueError: as roc_auc.

    Example:
        >>> auc, v10, v01 = osteon.metrics.delong_placements([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    """
    f = "delong_placements"
    auc, cases, controls = _m.delong_placements(_convert.host(y_true, f, "y_true", "labels"),
                                                _convert.host(y_score, f, "y_score"), direction)
    return DelongPlacements(auc, cases, controls)


def auc_ci(y_true, y_score, level: float = 0.95, method: str = "delong", n_boot: int = _DEFAULTS["n_boot"],
           seed: int = _DEFAULTS["seed"], direction: str = "<") -> AucCi:
    """Confidence interval of the AUC.

    Args:
        y_true: 0/1 labels (N,).
        y_score: scores (N,).
        level: confidence level in (0, 1).
        method: "delong" (Wald interval with DeLong's variance, clamped to [0, 1], as pROC's
            ci.auc) or "bootstrap" (stratified percentile bootstrap, seeded; tensors are copied
            to the host for it).
        n_boot: bootstrap replicates (pROC's boot.n).
        seed: seed of the bootstrap, an integer in [0, 2**64).
        direction: "<" (default) or ">".

    Returns:
        AucCi with auc, ci_low, ci_high, level, method; iterates as (low, auc, high).

    Raises:
        ValueError: as roc_auc; level outside (0, 1); n_boot < 1; a seed that is negative or
            does not fit 64 bits.

    Example:
        >>> osteon.metrics.auc_ci([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.7])
        AucCi(auc=0.888889, ci_low=0.63..., ci_high=1, level=0.95, method='delong')
    """
    f = "auc_ci"
    seed = _convert.seed(seed, f)
    n_boot = _convert.integer(n_boot, f, "n_boot")
    tensors = _convert.on_device(y_true, y_score)
    if tensors and method == "delong":
        return AucCi._from_cpp(_m.auc_ci_tensor(*tensors, level, direction))
    return AucCi._from_cpp(_m.auc_ci(_convert.host(y_true, f, "y_true", "labels"), _convert.host(y_score, f, "y_score"),
                                     level, method, n_boot, seed, direction))


def delong_test(y_true, score_a, score_b, direction: str = "<", alternative: str = "two-sided",
                level: float = 0.95, names: Tuple[str, str] = ("a", "b")) -> DelongTest:
    """Paired DeLong test of two predictors on the same cases (pROC's roc.test, paired).

    Args:
        y_true: 0/1 labels (N,).
        score_a: the first predictor's scores (N,).
        score_b: the second predictor's scores (N,).
        direction: "<" (default) or ">".
        alternative: "two-sided" (pROC's "two.sided" is accepted too), "less" or "greater"
            (for auc_a - auc_b).
        level: level of the interval of auc_a - auc_b.
        names: the two predictors' names in the printed summary.

    Returns:
        DelongTest: auc_a, auc_b, statistic (Z), p_value, df (nan), ci_low, ci_high, level,
        alternative, paired; ``print()`` shows pROC's summary.

    Raises:
        ValueError: as roc_auc; unequal lengths; an unknown alternative.

    Example:
        >>> t = osteon.metrics.delong_test(y, p_ap, p_frog, names=("AP", "frog"))
        >>> t.p_value
    """
    f = "delong_test"
    alt = _convert.proc_alternative(alternative, f)
    tensors = _convert.on_device(y_true, score_a, score_b)
    if tensors:
        return _delong(_m.delong_test_tensor(*tensors, direction, alt, level), *names)
    return _delong(_m.delong_test(_convert.host(y_true, f, "y_true", "labels"), _convert.host(score_a, f, "score_a"),
                                  _convert.host(score_b, f, "score_b"), direction, alt, level), *names)


def delong_test_unpaired(y_a, score_a, y_b, score_b, direction: str = "<", alternative: str = "two-sided",
                         level: float = 0.95, names: Tuple[str, str] = ("a", "b")) -> DelongTest:
    """Unpaired DeLong test of two ROC curves on different samples (pROC's roc.test, unpaired):
    statistic D with Welch-Satterthwaite df; osteon adds the Welch interval of auc_a - auc_b.

    Args:
        y_a: 0/1 labels of the first sample.
        score_a: scores of the first sample.
        y_b: 0/1 labels of the second sample.
        score_b: scores of the second sample.
        direction: "<" (default) or ">".
        alternative: "two-sided", "less" or "greater".
        level: level of the interval of auc_a - auc_b.
        names: the two curves' names in the printed summary.

    Returns:
        DelongTest with paired = False.

    Raises:
        ValueError: as roc_auc, for either sample.

    Example:
        >>> osteon.metrics.delong_test_unpaired(y_internal, s_internal, y_external, s_external)
    """
    f = "delong_test_unpaired"
    alt = _convert.proc_alternative(alternative, f)
    tensors = _convert.on_device(y_a, score_a, y_b, score_b)
    if tensors:
        return _delong(_m.delong_test_unpaired_tensor(*tensors, direction, alt, level), *names)
    return _delong(_m.delong_test_unpaired(_convert.host(y_a, f, "y_a", "labels"), _convert.host(score_a, f, "score_a"),
                                           _convert.host(y_b, f, "y_b", "labels"), _convert.host(score_b, f, "score_b"),
                                           direction, alt, level), *names)


def delong_contrast_test(y_true, y_scores, contrast: Optional[Sequence[Sequence[float]]] = None,
                         direction: str = "<") -> DelongContrastTest:
    """Chi-square test of a contrast of K correlated AUCs (DeLong 1988); by default H0: all equal.

    Args:
        y_true: 0/1 labels (N,).
        y_scores: (K, N) scores, one row per predictor.
        contrast: (L, K) contrast matrix; None tests that all K AUCs are equal.
        direction: "<" (default) or ">".

    Returns:
        DelongContrastTest with aucs, statistic (chi-square), df, p_value.

    Raises:
        ValueError: as roc_auc; a contrast of the wrong width or rank.

    Example:
        >>> osteon.metrics.delong_contrast_test(y, np.stack([ap, frog, ap_frog])).p_value
    """
    f = "delong_contrast_test"
    matrix = None if contrast is None else np.asarray(contrast, dtype=np.float64)
    return DelongContrastTest._from_cpp(_m.delong_contrast_test(
        _convert.host(y_true, f, "y_true", "labels"), _convert.host(y_scores, f, "y_scores"), matrix, direction))
