"""Calibration and decision-curve analysis of predicted probabilities (see docs/classification.md).

Host inputs (numpy arrays, lists; tensors are copied to the host) in double precision. Numbers equal
R's rms::val.prob and scikit-learn's brier_score_loss / calibration_curve; net benefit follows
Vickers & Elkin (2006).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ._C import metrics as _m
from . import _convert


def _host(value):
    # float64 host copy with the package's one conversion (text labels get its advice).
    return _convert.host(value, "osteon.metrics", "input")

__all__ = [
    "Calibration", "ReliabilityCurve", "LogisticRecalibration", "NetBenefit",
    "brier_score", "logistic_recalibration", "reliability_curve", "calibration", "net_benefit",
]

Calibration = _m.Calibration
ReliabilityCurve = _m.ReliabilityCurve
LogisticRecalibration = _m.LogisticRecalibration
NetBenefit = _m.NetBenefit


def brier_score(y_true, y_prob) -> float:
    """Brier score mean((p - y)^2), equal to sklearn.metrics.brier_score_loss.

    Example:
        >>> brier_score([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])
        0.0375
    """
    return _m._brier_score(_host(y_true), _host(y_prob))


def logistic_recalibration(y_true, y_prob) -> LogisticRecalibration:
    """Calibration intercept and slope: logit P(y) = intercept + slope * logit(p), fitted as
    rms::val.prob does (its Intercept and Slope); probabilities of exactly 0 or 1 are left out.

    Example:
        >>> fit = logistic_recalibration(y, p); fit.intercept, fit.slope
    """
    return _m._logistic_recalibration(_host(y_true), _host(y_prob))


def reliability_curve(y_true, y_prob, n_bins: int = 10, strategy: str = "uniform",
                      level: float = 0.95) -> ReliabilityCurve:
    """Reliability curve as sklearn.calibration.calibration_curve (``prob_true``, ``prob_pred`` over
    the non-empty bins), with per-bin counts, Wilson intervals of ``prob_true``, ECE and MCE.

    Args:
        n_bins: number of bins; strategy: "uniform" (edges k/n_bins) or "quantile".

    Example:
        >>> curve = reliability_curve(y, p, n_bins=5); curve.prob_true, curve.ece
    """
    return _m._reliability_curve(_host(y_true), _host(y_prob), n_bins, strategy, level)


def calibration(y_true, y_prob, n_bins: int = 10, strategy: str = "uniform", level: float = 0.95) -> Calibration:
    """Calibration summary: ``brier`` (with a normal-approximation CI), ``intercept`` and ``slope``
    (logistic recalibration), Spiegelhalter's z and p, ``emax`` / ``e90`` / ``eavg`` (as
    rms::val.prob), ``ece`` / ``mce`` and the reliability ``curve``.

    Example:
        >>> c = calibration([0, 0, 1, 1, 0, 1], [0.2, 0.3, 0.7, 0.6, 0.4, 0.9])
        >>> round(c.brier, 4)
        0.0917
    """
    return _m._calibration(_host(y_true), _host(y_prob), n_bins, strategy, level)


def net_benefit(y_true, y_prob, thresholds: Sequence[float], n_boot: int = 2000, seed: int = 0,
                level: float = 0.95, stratified: bool = True, n_threads: int = 0) -> NetBenefit:
    """Decision curve (Vickers & Elkin 2006): net benefit TP/n - FP/n * t/(1 - t) of treating when
    p >= t, for the model, treat-all and treat-none, the net reduction in interventions per 100,
    and bootstrap percentile CIs (stratified by outcome by default; n_boot=0 for none). The same
    seed gives the same intervals on any number of threads.

    Example:
        >>> dca = net_benefit(y, p, [0.05, 0.1, 0.2], n_boot=500, seed=1)
        >>> dca.model, dca.treat_all, dca.model_ci_low
    """
    return _m._net_benefit(_host(y_true), _host(y_prob), np.asarray(thresholds, dtype=np.float64).ravel(),
                           n_boot, seed, level, stratified, n_threads)


# --- pROC methods beyond DeLong: Obuchowski and bootstrap (co)variance, bootstrap tests --------------
RocBootstrapTest = _m.RocBootstrapTest
__all__ += ["RocBootstrapTest", "obuchowski_variance", "obuchowski_cov", "auc_variance_bootstrap",
            "auc_cov_bootstrap", "roc_bootstrap_test", "roc_bootstrap_test_unpaired", "ideal_bootstrap_auc_variance"]


def obuchowski_variance(y_true, y_score, direction: str = "<") -> float:
    """pROC's var(roc, method="obuchowski"): the binormal (Obuchowski & McClish 1997) variance of the AUC.

    Example:
        >>> obuchowski_variance([0, 0, 1, 0, 1, 1], [0.1, 0.4, 0.35, 0.2, 0.8, 0.7])
    """
    return _m._obuchowski_variance(_host(y_true), _host(y_score), direction)


def obuchowski_cov(y_true, y_score_a, y_score_b, direction: str = "<") -> float:
    """pROC's cov(roc1, roc2, method="obuchowski") of two predictors on the same samples."""
    return _m._obuchowski_cov(_host(y_true), _host(y_score_a), _host(y_score_b), direction)


def auc_variance_bootstrap(y_true, y_score, n_boot: int = 2000, seed: int = 0, n_threads: int = 0,
                           direction: str = "<") -> float:
    """pROC's var(roc, method="bootstrap"): sample variance of stratified bootstrap AUCs
    (own PCG32 streams: equal to pROC to Monte-Carlo error, not draw for draw)."""
    return _m._auc_variance_bootstrap(_host(y_true), _host(y_score), n_boot, seed, n_threads, direction)


def auc_cov_bootstrap(y_true, y_score_a, y_score_b, n_boot: int = 2000, seed: int = 0, n_threads: int = 0,
                      direction: str = "<") -> float:
    """pROC's cov(roc1, roc2, method="bootstrap") with paired stratified resamples."""
    return _m._auc_cov_bootstrap(_host(y_true), _host(y_score_a), _host(y_score_b), n_boot, seed, n_threads, direction)


def roc_bootstrap_test(y_true, y_score_a, y_score_b, n_boot: int = 2000, seed: int = 0, n_threads: int = 0,
                       direction: str = "<", alternative: str = "two-sided") -> RocBootstrapTest:
    """pROC's roc.test(roc1, roc2, method="bootstrap") (paired): D = (auc_a - auc_b) / sd(bootstrap diffs).

    Example:
        >>> t = roc_bootstrap_test(y, score_a, score_b, n_boot=2000, seed=1); t.statistic, t.p_value
    """
    return _m._roc_bootstrap_test(_host(y_true), _host(y_score_a), _host(y_score_b), n_boot, seed, n_threads,
                                  direction, alternative)


def roc_bootstrap_test_unpaired(y_true_a, y_score_a, y_true_b, y_score_b, n_boot: int = 2000, seed: int = 0,
                                n_threads: int = 0, direction: str = "<",
                                alternative: str = "two-sided") -> RocBootstrapTest:
    """pROC's roc.test(..., method="bootstrap", paired=FALSE) for curves on different samples."""
    return _m._roc_bootstrap_test_unpaired(_host(y_true_a), _host(y_score_a), _host(y_true_b), _host(y_score_b),
                                           n_boot, seed, n_threads, direction, alternative)


def ideal_bootstrap_auc_variance(y_true, y_score, direction: str = "<") -> float:
    """The infinite-replicate stratified bootstrap variance of the AUC, in closed form (O(m·n))."""
    return _m._ideal_bootstrap_auc_variance(_host(y_true), _host(y_score), direction)


__all__ += ["coords_at", "local_maxima"]


def coords_at(y_true, y_score, input: str, values, direction: str = "<"):
    """pROC's coords(roc, x=values, input="sensitivity"|"specificity"): (thresholds, sensitivities,
    specificities) at the given values, interpolated between points (threshold NaN there).

    Example:
        >>> thr, se, sp = coords_at(y, s, "specificity", [0.9, 0.95])
    """
    return _m._coords_at(_host(y_true), _host(y_score), input, np.asarray(values, dtype=np.float64).ravel(), direction)


def local_maxima(y_true, y_score, direction: str = "<"):
    """pROC's coords(roc, "local maximas"): (thresholds, sensitivities, specificities) of the corners."""
    return _m._local_maxima(_host(y_true), _host(y_score), direction)


# --- scikit-learn's sample_weight for the ROC curve, AUC and threshold metrics ------------------------
WeightedBinaryReport = _m.WeightedBinaryReport
__all__ += ["WeightedBinaryReport", "weighted_roc_auc", "weighted_roc_curve", "weighted_binary_report"]


def weighted_roc_auc(y_true, y_score, sample_weight) -> float:
    """sklearn.metrics.roc_auc_score(y_true, y_score, sample_weight=sample_weight), on the host.

    Example:
        >>> weighted_roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [1, 2, 1, 1])
    """
    return _m._weighted_roc_auc(_host(y_true), _host(y_score), _host(sample_weight))


def weighted_roc_curve(y_true, y_score, sample_weight, drop_intermediate: bool = True):
    """sklearn.metrics.roc_curve with sample_weight: (fpr, tpr, thresholds), sklearn 1.2's first threshold."""
    return _m._weighted_roc_curve(_host(y_true), _host(y_score), _host(sample_weight), drop_intermediate)


def weighted_binary_report(y_true, y_score, sample_weight, threshold: float = 0.5) -> WeightedBinaryReport:
    """Weighted confusion counts (sklearn's confusion_matrix(sample_weight=...)) of score >= threshold,
    with accuracy, precision, recall, specificity, F1 (NaN where a denominator is 0)."""
    return _m._weighted_binary_report(_host(y_true), _host(y_score), _host(sample_weight), threshold)


__all__ += ["roc_point_test", "partial_auc_ci_bootstrap"]


def roc_point_test(y_true, y_score_a, y_score_b, input: str, at: float, n_boot: int = 2000, seed: int = 0,
                   n_threads: int = 0, direction: str = "<", alternative: str = "two-sided") -> RocBootstrapTest:
    """pROC's roc.test(roc1, roc2, method=input, <input>=at) (paired bootstrap): input="specificity"
    compares the sensitivities at specificity ``at``, "sensitivity" the specificities at sensitivity
    ``at``; the compared values are in ``auc_a`` / ``auc_b``.

    Example:
        >>> t = roc_point_test(y, a, b, "specificity", 0.9); t.statistic, t.p_value
    """
    return _m._roc_point_test(_host(y_true), _host(y_score_a), _host(y_score_b), input, at, n_boot, seed, n_threads,
                              direction, alternative)


def partial_auc_ci_bootstrap(y_true, y_score, low: float, high: float = 1.0, focus: str = "specificity",
                             correct: bool = False, level: float = 0.95, n_boot: int = 2000, seed: int = 0,
                             n_threads: int = 0, direction: str = "<"):
    """Percentile bootstrap CI of a partial AUC (pROC's ci.auc of a partial-AUC roc, method="bootstrap");
    returns an AucCi (auc = the sample's partial AUC, ci_low, ci_high)."""
    return _m._partial_auc_ci_bootstrap(_host(y_true), _host(y_score), low, high, focus, correct, level, n_boot, seed,
                                        n_threads, direction)
