"""Statistics for results tables: paired tests (t, Wilcoxon signed-rank), linear regression and
Pearson correlation, Bland–Altman agreement, mean ± SD (see docs/stats.md).

Every function takes host arrays (numpy arrays, lists, pandas Series, tensors on any device —
copied to the host) and returns an osteon record (attributes, ``to_dict()``, ``to_frame()``);
numbers equal scipy.stats to 1e-10. Signatures and docstrings are the C++ binding's.
"""
from __future__ import annotations

import dataclasses
import functools

from . import _convert, _cpp_module
from ._C import stats as _c
from ._results import Result

__all__ = [
    "paired_ttest", "wilcoxon_signed_rank", "linear_regression", "pearson", "bland_altman", "mean_sd",
    "PairedTTest", "WilcoxonSignedRank", "LinearRegression", "Pearson", "BlandAltman", "MeanSd",
]


@dataclasses.dataclass(frozen=True, repr=False)
class MeanSd(Result):
    """Mean and standard deviation (see mean_sd); ``str()`` gives "0.92 ± 0.01826"."""

    mean: float
    sd: float
    n: int
    ddof: int

    def __str__(self) -> str:
        return f"{self.mean:.4g} ± {self.sd:.4g}"


@dataclasses.dataclass(frozen=True, repr=False)
class PairedTTest(Result):
    """Result of paired_ttest (scipy.stats.ttest_rel)."""

    statistic: float
    p_value: float
    df: float
    mean_difference: float
    sd_difference: float
    ci_low: float
    ci_high: float
    level: float
    n: int


@dataclasses.dataclass(frozen=True, repr=False)
class WilcoxonSignedRank(Result):
    """Result of wilcoxon_signed_rank (scipy.stats.wilcoxon)."""

    statistic: float
    p_value: float
    z: float
    method: str
    r_plus: float
    r_minus: float
    n: int
    n_zero: int
    has_ties: bool


@dataclasses.dataclass(frozen=True, repr=False)
class LinearRegression(Result):
    """Result of linear_regression (scipy.stats.linregress)."""

    slope: float
    intercept: float
    r: float
    r2: float
    p_value: float
    slope_stderr: float
    intercept_stderr: float
    n: int


@dataclasses.dataclass(frozen=True, repr=False)
class Pearson(Result):
    """Result of pearson (scipy.stats.pearsonr with its confidence interval)."""

    r: float
    p_value: float
    ci_low: float
    ci_high: float
    level: float
    n: int


@dataclasses.dataclass(frozen=True, repr=False)
class BlandAltman(Result):
    """Result of bland_altman: bias, limits of agreement and their confidence intervals."""

    bias: float
    sd: float
    lower_limit: float
    upper_limit: float
    bias_ci_low: float
    bias_ci_high: float
    lower_limit_ci_low: float
    lower_limit_ci_high: float
    upper_limit_ci_low: float
    upper_limit_ci_high: float
    level: float
    n: int


def _sample(function, argument):
    return functools.partial(_convert.host, function=function, argument=argument)


def _alternative(function):
    return functools.partial(_convert.alternative, function=function)


def _wrap(name, result, samples, alternative=False):
    convert = {argument: _sample(name, argument) for argument in samples}
    if alternative:
        convert["alternative"] = _alternative(name)
    return _cpp_module.python_function(getattr(_c, name), name, __name__, convert=convert, result=result._from_cpp,
                                       returns=result.__name__)


mean_sd = _wrap("mean_sd", MeanSd, ("values",))
paired_ttest = _wrap("paired_ttest", PairedTTest, ("a", "b"), alternative=True)
wilcoxon_signed_rank = _wrap("wilcoxon_signed_rank", WilcoxonSignedRank, ("a", "b"), alternative=True)
linear_regression = _wrap("linear_regression", LinearRegression, ("x", "y"))
pearson = _wrap("pearson", Pearson, ("x", "y"), alternative=True)
bland_altman = _wrap("bland_altman", BlandAltman, ("a", "b"))
# --- Study statistics (issue 17): power and sample size, Obuchowski-Rockette MRMC -----------------
import math as _math

import numpy as _np

from ._C import stats as _st

PowerRocTest = _st.PowerRocTest
OrMrmc = _st.OrMrmc
MrmcInference = _st.MrmcInference
MrmcEstimate = _st.MrmcEstimate


def _host_array(value):
    if hasattr(value, "detach"):  # a torch tensor, on any device
        value = value.detach().cpu().numpy()
    return _np.asarray(value, dtype=_np.float64)


def power_roc_test(auc=None, ncontrols=None, ncases=None, sig_level=0.05, power=None, kappa=None,
                   alternative="two.sided", *, auc1=None, auc2=None, a1=None, b1=1.0, a2=None, b2=1.0,
                   rn=0.0, ra=0.0, delta=None, fpr=None):
    """Power and sample size of ROC studies, as pROC's ``power.roc.test`` (Obuchowski & McClish 1997).

    Leave exactly one of ``power``, ``sig_level`` (pass None), ``auc`` or both sample sizes unset;
    that one is solved for. One curve against AUC 0.5: give ``auc``. Two curves: give binormal
    parameters ``a1, b1, a2, b2`` (or ``auc1``/``auc2``, from which A = qnorm(AUC)·sqrt(1 + B²)),
    the correlations ``rn`` (controls) and ``ra`` (cases) — 0 for unpaired designs — and the
    difference to detect ``delta`` (default auc1 - auc2); ``fpr=(low, high)`` for partial AUCs.
    ``kappa`` = ncontrols / ncases (default 1).

    Example:
        >>> power_roc_test(auc=0.8, ncases=41, ncontrols=45).power
        0.9996756110438335
        >>> round(power_roc_test(auc=0.8, power=0.9).ncases, 4)
        16.6192
    """
    two_curves = any(v is not None for v in (auc1, auc2, a1, a2, delta))
    if not two_curves:
        return _st._power_roc_test_one(auc, ncontrols, ncases, sig_level, power, kappa, alternative)
    if auc is not None:
        raise ValueError("power_roc_test: auc is for one curve; two curves take auc1/auc2 (or a1/a2) and delta")

    def binormal_a(a, area, b, name):
        if a is not None:
            return float(a)
        if area is None:
            raise ValueError(f"power_roc_test: give a{name} or auc{name} for the second curve mode")
        if not 0.0 < area < 1.0:
            raise ValueError(f"power_roc_test: auc{name} must be in (0, 1), got {area}")
        from statistics import NormalDist
        return NormalDist().inv_cdf(area) * _math.sqrt(1.0 + b * b)

    A1, A2 = binormal_a(a1, auc1, b1, "1"), binormal_a(a2, auc2, b2, "2")
    if delta is None:
        from statistics import NormalDist
        phi = NormalDist().cdf
        delta = phi(A1 / _math.sqrt(1 + b1 * b1)) - phi(A2 / _math.sqrt(1 + b2 * b2))
    low = high = None
    if fpr is not None:
        low, high = fpr
    return _st._power_roc_test_binormal(A1, b1, A2, b2, rn, ra, delta, low, high, low, high, ncontrols, ncases,
                                        sig_level, power, kappa, alternative)


def power_roc_test_curves(y_true, y_score1, y_score2=None, sig_level=0.05, power=None, kappa=None,
                          alternative="two.sided", method="delong", direction="<"):
    """pROC's ``power.roc.test(roc1[, roc2])`` on observed curves: with one score, the one-curve
    test at its AUC and sizes; with two paired scores, V = n_cases·var and C = n_cases·cov of the
    AUCs (``method`` "delong" or "obuchowski"). Leave ``power`` or ``sig_level`` (None) unset to
    solve for it; with both set the sample size is solved.

    Example:
        >>> power_roc_test_curves(y, wfns, s100b, power=0.9).ncases
    """
    second = None if y_score2 is None else _host_array(y_score2)
    return _st._power_roc_test_curves(_host_array(y_true), _host_array(y_score1), second, sig_level, power, kappa,
                                      alternative, method, direction)


def or_mrmc(truth, scores, covariance="jackknife", level=0.95, direction="<"):
    """Obuchowski-Rockette MRMC analysis of the empirical AUC with Hillis' (2007) ddf.

    Args:
        truth: (cases,) 0/1 labels; scores: (modalities, readers, cases) ratings;
        covariance: "jackknife" (as OR-DBM MRMC / RJafroc) or "delong".

    Returns an OrMrmc: ``f_statistic``, ``ddf``, ``p_value``, ``difference``, ``ci_low``,
    ``ci_high`` (random readers and cases, modality 0 - modality 1), ``foms`` / ``modality_foms``
    (AUCs), the variance components, and ``random_readers`` / ``fixed_readers`` / ``fixed_cases``.

    Example:
        >>> r = or_mrmc(truth, ratings)  # Van Dyke 1993: F = 4.46, ddf = 15.26, p = 0.0517
    """
    return _st._or_mrmc(_host_array(truth), _host_array(scores), covariance, level, direction)


def or_mrmc_per_case(values, level=0.95):
    """OR analysis of a figure of merit that is a mean over cases (mean Dice, accuracy), values
    shaped (modalities, readers, cases), with the jackknife covariance.

    Example:
        >>> r = or_mrmc_per_case(dice)  # dice[modality, reader, case]
    """
    return _st._or_mrmc_per_case(_host_array(values), level)


def or_mrmc_from_moments(foms, covariance, level=0.95):
    """OR analysis from a (modalities, readers) table of figures of merit and their
    (modalities·readers)² error covariance (index modality·readers + reader).

    Example:
        >>> r = or_mrmc_from_moments(foms, cov)
    """
    return _st._or_mrmc_from_moments(_host_array(foms), _host_array(covariance), level)


__all__ += [
    "power_roc_test", "power_roc_test_curves", "or_mrmc", "or_mrmc_per_case", "or_mrmc_from_moments",
    "PowerRocTest", "OrMrmc", "MrmcInference", "MrmcEstimate",
]
