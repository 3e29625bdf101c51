"""Statistics for results tables: paired tests (t, Wilcoxon signed-rank), linear regression and
Pearson correlation, Bland–Altman agreement, mean ± SD (see docs/stats.md).

Every function takes host arrays (numpy arrays, lists, CPU tensors) and returns a small record
with named fields (``_asdict()`` gives a dict); numbers equal scipy.stats to 1e-10.
"""
from ._C.stats import (  # noqa: F401
    BlandAltman, LinearRegression, MeanSd, PairedTTest, Pearson, WilcoxonSignedRank,
    bland_altman, linear_regression, mean_sd, paired_ttest, pearson, wilcoxon_signed_rank,
)

__all__ = [
    "paired_ttest", "wilcoxon_signed_rank", "linear_regression", "pearson", "bland_altman", "mean_sd",
    "PairedTTest", "WilcoxonSignedRank", "LinearRegression", "Pearson", "BlandAltman", "MeanSd",
]

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
