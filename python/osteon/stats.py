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
from typing import List as _List
from statistics import NormalDist as _NormalDist

import numpy as _np

from ._C import stats as _st


@dataclasses.dataclass(frozen=True, repr=False)
class PowerRocTest(Result):
    """Result of power_roc_test / power_roc_test_curves (pROC's power.htest fields): the sizes,
    AUC(s), significance level and power, one of which was solved for."""

    ncases: float
    ncontrols: float
    auc: float
    auc1: float
    auc2: float
    sig_level: float
    power: float
    alternative: str
    method: str


@dataclasses.dataclass(frozen=True, repr=False)
class MrmcEstimate(Result):
    """An MRMC estimate (a modality's figure of merit or a difference) with its standard error,
    degrees of freedom, confidence interval and (for differences) the test against 0."""

    estimate: float
    std_err: float
    df: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class MrmcInference(Result):
    """One kind of Obuchowski-Rockette inference (random readers, fixed readers or fixed cases):
    the overall test and the MrmcEstimate of each difference, modality and (fixed readers) reader."""

    statistic: float
    df1: float
    df2: float
    p_value: float
    differences: _List[MrmcEstimate]
    modalities: _List[MrmcEstimate]
    reader_differences: _List[MrmcEstimate]

    @classmethod
    def _from_cpp(cls, record, **overrides):
        lists = {name: [MrmcEstimate._from_cpp(e) for e in getattr(record, name)]
                 for name in ("differences", "modalities", "reader_differences")}
        return super()._from_cpp(record, **{**lists, **overrides})


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class OrMrmc(Result):
    """Result of or_mrmc (Obuchowski-Rockette with Hillis' ddf). The top-level ``f_statistic``,
    ``ddf``, ``p_value`` and interval are the random-reader random-case analysis of modality 0 −
    modality 1; ``foms`` is the (modalities, readers) table of figures of merit."""

    f_statistic: float
    df1: float
    ddf: float
    p_value: float
    difference: float
    ci_low: float
    ci_high: float
    level: float
    modality_foms: _np.ndarray
    foms: _np.ndarray
    var_error: float
    cov1: float
    cov2: float
    cov3: float
    var_reader: float
    var_treatment_reader: float
    ms_t: float
    ms_r: float
    ms_tr: float
    covariance: str
    random_readers: MrmcInference
    fixed_readers: MrmcInference
    fixed_cases: MrmcInference

    @property
    def aucs(self) -> _np.ndarray:
        """The reader-averaged AUC of each modality (= ``modality_foms``)."""
        return self.modality_foms

    @classmethod
    def _from_cpp(cls, record, **overrides):
        inferences = {name: MrmcInference._from_cpp(getattr(record, name))
                      for name in ("random_readers", "fixed_readers", "fixed_cases")}
        return super()._from_cpp(record, **{**inferences, **overrides})


def _host_array(value):
    if hasattr(value, "detach"):  # a torch tensor, on any device
        value = value.detach().cpu().numpy()
    return _np.asarray(value, dtype=_np.float64)


def power_roc_test(auc=None, ncontrols=None, ncases=None, sig_level=0.05, power=None, kappa=None,
                   alternative="two.sided", *, auc1=None, auc2=None, a1=None, b1=1.0, a2=None, b2=1.0,
                   rn=0.0, ra=0.0, delta=None, fpr=None) -> PowerRocTest:
    """Power and sample size of ROC studies, as pROC's ``power.roc.test`` (Obuchowski & McClish 1997).

    Leave exactly one of ``power``, ``sig_level`` (pass None), ``auc`` or both sample sizes unset;
    that one is solved for. One curve against AUC 0.5: give ``auc``. Two curves: give binormal
    parameters ``a1, b1, a2, b2`` (or ``auc1``/``auc2``), the correlations and the difference.

    Args:
        auc: one curve: its AUC (tested against 0.5); None to solve for it.
        ncontrols: number of controls (None to solve, with ``ncases`` or ``kappa``).
        ncases: number of cases (None to solve).
        sig_level: significance level (None to solve for it).
        power: power (None to solve for it).
        kappa: ncontrols / ncases when solving for the sizes (default 1).
        alternative: "two.sided" (or "two-sided"), "one.sided".
        auc1: two curves: AUC of the first, from which a1 = qnorm(auc1)·sqrt(1 + b1²).
        auc2: AUC of the second.
        a1: binormal A of the first curve (instead of auc1).
        b1: binormal B of the first curve.
        a2: binormal A of the second curve (instead of auc2).
        b2: binormal B of the second curve.
        rn: correlation of the two tests among controls (0: unpaired design).
        ra: correlation among cases.
        delta: the difference in AUC to detect (default auc1 - auc2).
        fpr: ``(low, high)`` false-positive range of a partial AUC (None: the full AUC).

    Returns:
        PowerRocTest (``ncases``, ``ncontrols``, ``auc``/``auc1``/``auc2``, ``sig_level``, ``power``).

    Raises:
        ValueError: naming the argument: not exactly one quantity left unset, an AUC outside (0, 1),
            ``auc`` given together with a second curve.

    Example:
        >>> osteon.stats.power_roc_test(auc=0.8, ncases=41, ncontrols=45).power
        0.9996756110438335
        >>> round(osteon.stats.power_roc_test(auc=0.8, power=0.9).ncases, 4)
        16.6192
    """
    two_curves = any(v is not None for v in (auc1, auc2, a1, a2, delta))
    if not two_curves:
        return PowerRocTest._from_cpp(_st._power_roc_test_one(auc, ncontrols, ncases, sig_level, power, kappa,
                                                              alternative))
    if auc is not None:
        raise ValueError("power_roc_test: auc is for one curve; two curves take auc1/auc2 (or a1/a2) and delta")

    def binormal_a(a, area, b, name):
        if a is not None:
            return float(a)
        if area is None:
            raise ValueError(f"power_roc_test: give a{name} or auc{name} for the second curve mode")
        if not 0.0 < area < 1.0:
            raise ValueError(f"power_roc_test: auc{name} must be in (0, 1), got {area}")
        return _NormalDist().inv_cdf(area) * _math.sqrt(1.0 + b * b)

    A1, A2 = binormal_a(a1, auc1, b1, "1"), binormal_a(a2, auc2, b2, "2")
    if delta is None:
        phi = _NormalDist().cdf
        delta = phi(A1 / _math.sqrt(1 + b1 * b1)) - phi(A2 / _math.sqrt(1 + b2 * b2))
    low = high = None
    if fpr is not None:
        low, high = fpr
    return PowerRocTest._from_cpp(_st._power_roc_test_binormal(A1, b1, A2, b2, rn, ra, delta, low, high, low, high,
                                                               ncontrols, ncases, sig_level, power, kappa,
                                                               alternative))


def power_roc_test_curves(y_true, y_score1, y_score2=None, sig_level=0.05, power=None, kappa=None,
                          alternative="two.sided", method="delong", direction="<") -> PowerRocTest:
    """pROC's ``power.roc.test(roc1[, roc2])`` on observed curves: with one score, the one-curve
    test at its AUC and sizes; with two paired scores, V = n_cases·var and C = n_cases·cov of the
    AUCs. Leave ``power`` or ``sig_level`` (None) unset to solve for it; with both set the sample
    size is solved.

    Args:
        y_true: 0/1 labels (N,).
        y_score1: scores of the first predictor (N,).
        y_score2: scores of a second, paired predictor (None: one curve).
        sig_level: significance level (None to solve for it).
        power: power (None to solve for it).
        kappa: ncontrols / ncases when solving for the sizes (default: the observed ratio).
        alternative: "two.sided" or "one.sided".
        method: "delong" or "obuchowski" (the variance and covariance of the AUCs).
        direction: "<" or ">".

    Returns:
        PowerRocTest.

    Example:
        >>> osteon.stats.power_roc_test_curves(y, wfns, s100b, power=0.9).ncases
    """
    second = None if y_score2 is None else _host_array(y_score2)
    return PowerRocTest._from_cpp(_st._power_roc_test_curves(_host_array(y_true), _host_array(y_score1), second,
                                                             sig_level, power, kappa, alternative, method, direction))


def or_mrmc(truth, scores, covariance="jackknife", level=0.95, direction="<") -> OrMrmc:
    """Obuchowski-Rockette MRMC analysis of the empirical AUC with Hillis' (2007) ddf.

    Args:
        truth: (cases,) 0/1 labels.
        scores: (modalities, readers, cases) ratings.
        covariance: "jackknife" (as OR-DBM MRMC / RJafroc) or "delong".
        level: confidence level of the intervals.
        direction: "<" (controls rate lower) or ">".

    Returns:
        OrMrmc: ``f_statistic``, ``ddf``, ``p_value``, ``difference``, ``ci_low``, ``ci_high``
        (random readers and cases, modality 0 - modality 1), ``foms`` / ``modality_foms`` (AUCs),
        the variance components, and ``random_readers`` / ``fixed_readers`` / ``fixed_cases``.

    Raises:
        ValueError: scores not 3-dimensional, a length that differs from truth, an unknown
            covariance method.

    Example:
        >>> r = osteon.stats.or_mrmc(truth, ratings)  # Van Dyke 1993: F = 4.46, ddf = 15.26, p = 0.0517
        >>> r.to_frame()
    """
    return OrMrmc._from_cpp(_st._or_mrmc(_host_array(truth), _host_array(scores), covariance, level, direction))


def or_mrmc_per_case(values, level=0.95) -> OrMrmc:
    """OR analysis of a figure of merit that is a mean over cases (mean Dice, accuracy), with the
    jackknife covariance.

    Args:
        values: (modalities, readers, cases) per-case values (Dice of each reader on each case).
        level: confidence level of the intervals.

    Returns:
        OrMrmc (``foms`` are the per-reader means).

    Example:
        >>> r = osteon.stats.or_mrmc_per_case(dice)  # dice[modality, reader, case]
    """
    return OrMrmc._from_cpp(_st._or_mrmc_per_case(_host_array(values), level))


def or_mrmc_from_moments(foms, covariance, level=0.95) -> OrMrmc:
    """OR analysis from a table of figures of merit and their error covariance.

    Args:
        foms: (modalities, readers) figures of merit.
        covariance: (modalities·readers)² error covariance (index modality·readers + reader).
        level: confidence level of the intervals.

    Returns:
        OrMrmc.

    Example:
        >>> r = osteon.stats.or_mrmc_from_moments(foms, cov)
    """
    return OrMrmc._from_cpp(_st._or_mrmc_from_moments(_host_array(foms), _host_array(covariance), level))


__all__ += [
    "power_roc_test", "power_roc_test_curves", "or_mrmc", "or_mrmc_per_case", "or_mrmc_from_moments",
    "PowerRocTest", "OrMrmc", "MrmcInference", "MrmcEstimate",
]
