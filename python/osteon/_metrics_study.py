"""Calibration and decision-curve analysis of predicted probabilities, pROC's methods beyond DeLong,
and scikit-learn's sample_weight (see docs/classification.md).

Host inputs (numpy arrays, lists, pandas Series; tensors are copied to the host) in double
precision. Numbers equal R's rms::val.prob and scikit-learn's brier_score_loss / calibration_curve;
net benefit follows Vickers & Elkin (2006). Results are osteon records (attributes, ``to_dict()``,
``to_frame()``).
"""
from __future__ import annotations

import dataclasses
from typing import Sequence

import numpy as np

from ._C import metrics as _m
from . import _convert
from ._metrics_roc import AucCi
from ._results import Result


def _host(value):
    # float64 host copy with the package's one conversion (text labels get its advice).
    return _convert.host(value, "osteon.metrics", "input")

__all__ = [
    "Calibration", "ReliabilityCurve", "LogisticRecalibration", "NetBenefit",
    "brier_score", "logistic_recalibration", "reliability_curve", "calibration", "net_benefit",
]


@dataclasses.dataclass(frozen=True, repr=False)
class LogisticRecalibration(Result):
    """Calibration intercept and slope (rms::val.prob's Intercept and Slope) and the fit's size."""

    intercept: float
    slope: float
    n_used: int
    iterations: int


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ReliabilityCurve(Result):
    """A reliability curve (sklearn's calibration_curve) over the non-empty bins, with per-bin
    counts, Wilson intervals of ``prob_true``, ECE and MCE; ``to_frame()`` has one row per bin."""

    prob_true: np.ndarray
    prob_pred: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    count: np.ndarray
    bin_edges: np.ndarray
    ece: float
    mce: float

    def to_frame(self):
        """One row per non-empty bin: prob_pred, prob_true, ci_low, ci_high, count."""
        import pandas as pd

        return pd.DataFrame({"prob_pred": self.prob_pred, "prob_true": self.prob_true, "ci_low": self.ci_low,
                             "ci_high": self.ci_high, "count": self.count})


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Calibration(Result):
    """Calibration summary (rms::val.prob and scikit-learn names); ``curve`` is the ReliabilityCurve."""

    brier: float
    brier_ci_low: float
    brier_ci_high: float
    intercept: float
    slope: float
    spiegelhalter_z: float
    spiegelhalter_p: float
    emax: float
    e90: float
    eavg: float
    ece: float
    mce: float
    n: int
    level: float
    curve: ReliabilityCurve

    @classmethod
    def _from_cpp(cls, record, **overrides):
        return super()._from_cpp(record, curve=ReliabilityCurve._from_cpp(record.curve), **overrides)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class NetBenefit(Result):
    """A decision curve (Vickers & Elkin 2006): net benefit per threshold of the model, treat-all and
    treat-none, interventions avoided per 100, bootstrap CIs; ``to_frame()`` has one row per threshold."""

    thresholds: np.ndarray
    model: np.ndarray
    treat_all: np.ndarray
    treat_none: np.ndarray
    interventions_avoided: np.ndarray
    model_ci_low: np.ndarray
    model_ci_high: np.ndarray
    treat_all_ci_low: np.ndarray
    treat_all_ci_high: np.ndarray
    true_positives: np.ndarray
    false_positives: np.ndarray
    prevalence: float
    n: int
    n_boot: int
    level: float

    def to_frame(self):
        """One row per threshold: the net benefits, their CIs, interventions avoided, TP and FP."""
        import pandas as pd

        names = ("thresholds", "model", "model_ci_low", "model_ci_high", "treat_all", "treat_all_ci_low",
                 "treat_all_ci_high", "treat_none", "interventions_avoided", "true_positives", "false_positives")
        frame = pd.DataFrame({name: getattr(self, name) for name in names})
        return frame.rename(columns={"thresholds": "threshold"})


def brier_score(y_true, y_prob) -> float:
    """Brier score mean((p - y)^2), equal to sklearn.metrics.brier_score_loss.

    Args:
        y_true: 0/1 outcomes (N,).
        y_prob: predicted probabilities of outcome 1 (N,), in [0, 1].

    Returns:
        The Brier score (float).

    Raises:
        ValueError: naming the argument: lengths differ, labels other than 0/1, probabilities
            outside [0, 1] or not finite.

    Example:
        >>> osteon.metrics.brier_score([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])
        0.0375
    """
    return _m._brier_score(_host(y_true), _host(y_prob))


def logistic_recalibration(y_true, y_prob) -> LogisticRecalibration:
    """Calibration intercept and slope: logit P(y) = intercept + slope * logit(p), fitted as
    rms::val.prob does (its Intercept and Slope); probabilities of exactly 0 or 1 are left out.

    Args:
        y_true: 0/1 outcomes (N,).
        y_prob: predicted probabilities (N,).

    Returns:
        LogisticRecalibration with ``intercept``, ``slope``, ``n_used`` (cases in the fit) and the
        Newton ``iterations``.

    Example:
        >>> fit = osteon.metrics.logistic_recalibration([0, 0, 1, 1, 0, 1], [0.2, 0.3, 0.7, 0.6, 0.4, 0.9])
        >>> fit.intercept, fit.slope
    """
    return LogisticRecalibration._from_cpp(_m._logistic_recalibration(_host(y_true), _host(y_prob)))


def reliability_curve(y_true, y_prob, n_bins: int = 10, strategy: str = "uniform",
                      level: float = 0.95) -> ReliabilityCurve:
    """Reliability curve as sklearn.calibration.calibration_curve (``prob_true``, ``prob_pred`` over
    the non-empty bins), with per-bin counts, Wilson intervals of ``prob_true``, ECE and MCE.

    Args:
        y_true: 0/1 outcomes (N,).
        y_prob: predicted probabilities (N,).
        n_bins: number of bins.
        strategy: "uniform" (edges k/n_bins) or "quantile" (equal counts).
        level: confidence level of the Wilson intervals.

    Returns:
        ReliabilityCurve (``to_frame()``: one row per non-empty bin).

    Example:
        >>> curve = osteon.metrics.reliability_curve(y, p, n_bins=5)
        >>> curve.prob_true, curve.ece
    """
    return ReliabilityCurve._from_cpp(_m._reliability_curve(_host(y_true), _host(y_prob), n_bins, strategy, level))


def calibration(y_true, y_prob, n_bins: int = 10, strategy: str = "uniform", level: float = 0.95) -> Calibration:
    """Calibration summary: ``brier`` (with a normal-approximation CI), ``intercept`` and ``slope``
    (logistic recalibration), Spiegelhalter's z and p, ``emax`` / ``e90`` / ``eavg`` (as
    rms::val.prob), ``ece`` / ``mce`` and the reliability ``curve``.

    Args:
        y_true: 0/1 outcomes (N,).
        y_prob: predicted probabilities (N,).
        n_bins: bins of the reliability curve (ECE / MCE).
        strategy: "uniform" or "quantile" bins.
        level: confidence level of the Brier CI and the per-bin intervals.

    Returns:
        Calibration (``to_dict()`` nests the curve; ``to_frame()`` is one row of the scalars).

    Example:
        >>> c = osteon.metrics.calibration([0, 0, 1, 1, 0, 1], [0.2, 0.3, 0.7, 0.6, 0.4, 0.9])
        >>> round(c.brier, 4)
        0.0917
    """
    return Calibration._from_cpp(_m._calibration(_host(y_true), _host(y_prob), n_bins, strategy, level))


def net_benefit(y_true, y_prob, thresholds: Sequence[float], n_boot: int = 2000, seed: int = 0,
                level: float = 0.95, stratified: bool = True, n_threads: int = 0) -> NetBenefit:
    """Decision curve (Vickers & Elkin 2006): net benefit TP/n - FP/n * t/(1 - t) of treating when
    p >= t, for the model, treat-all and treat-none, the net reduction in interventions per 100,
    and bootstrap percentile CIs (stratified by outcome by default; n_boot=0 for none). The same
    seed gives the same intervals on any number of threads.

    Args:
        y_true: 0/1 outcomes (N,).
        y_prob: predicted probabilities (N,).
        thresholds: threshold probabilities t in (0, 1).
        n_boot: bootstrap replicates of the CIs (0: no CIs).
        seed: seed of the bootstrap.
        level: confidence level.
        stratified: resample cases and controls separately.
        n_threads: worker threads (0: all cores).

    Returns:
        NetBenefit (``to_frame()``: one row per threshold).

    Example:
        >>> dca = osteon.metrics.net_benefit(y, p, [0.05, 0.1, 0.2], n_boot=500, seed=1)
        >>> dca.model, dca.treat_all, dca.model_ci_low
    """
    return NetBenefit._from_cpp(_m._net_benefit(_host(y_true), _host(y_prob),
                                                np.asarray(thresholds, dtype=np.float64).ravel(),
                                                n_boot, seed, level, stratified, n_threads))


# --- pROC methods beyond DeLong: Obuchowski and bootstrap (co)variance, bootstrap tests --------------
@dataclasses.dataclass(frozen=True, repr=False)
class RocBootstrapTest(Result):
    """Result of a bootstrap comparison of two ROC curves (pROC's roc.test, method="bootstrap", or at
    a sensitivity / specificity): the compared values ``auc_a`` / ``auc_b``, D, p and the SD of the
    bootstrap differences."""

    auc_a: float
    auc_b: float
    statistic: float
    p_value: float
    sd_difference: float
    n_boot: int
    paired: bool


__all__ += ["RocBootstrapTest", "obuchowski_variance", "obuchowski_cov", "auc_variance_bootstrap",
            "auc_cov_bootstrap", "roc_bootstrap_test", "roc_bootstrap_test_unpaired", "ideal_bootstrap_auc_variance"]

# Argument sections shared by the docstrings below (one text per argument family).
_ARGS = {
    "score": "\n        y_true: 0/1 labels (N,).\n        y_score: scores (N,).",
    "paired": ("\n        y_true: 0/1 labels (N,).\n        y_score_a: the first predictor's scores (N,)."
               "\n        y_score_b: the second predictor's scores on the same samples (N,)."),
    "boot": ("\n        n_boot: bootstrap replicates (pROC's boot.n).\n        seed: seed of the bootstrap (the same"
             " intervals on any number of threads).\n        n_threads: worker threads (0: all cores)."),
    "direction": '\n        direction: "<" (controls score lower) or ">".',
    "alternative": '\n        alternative: "two-sided" (pROC\'s "two.sided"), "less" or "greater".',
}


def _document(function, summary, args, returns, example):
    """Sets ``function.__doc__`` from its parts (Args / Returns / Example) and returns it."""
    function.__doc__ = (f"{summary}\n\n    Args:{''.join(_ARGS.get(a, a) for a in args)}\n\n"
                        f"    Returns:\n        {returns}\n\n    Example:\n        {example}\n    ")
    return function


def obuchowski_variance(y_true, y_score, direction: str = "<") -> float:
    return _m._obuchowski_variance(_host(y_true), _host(y_score), direction)


def obuchowski_cov(y_true, y_score_a, y_score_b, direction: str = "<") -> float:
    return _m._obuchowski_cov(_host(y_true), _host(y_score_a), _host(y_score_b), direction)


def auc_variance_bootstrap(y_true, y_score, n_boot: int = 2000, seed: int = 0, n_threads: int = 0,
                           direction: str = "<") -> float:
    return _m._auc_variance_bootstrap(_host(y_true), _host(y_score), n_boot, seed, n_threads, direction)


def auc_cov_bootstrap(y_true, y_score_a, y_score_b, n_boot: int = 2000, seed: int = 0, n_threads: int = 0,
                      direction: str = "<") -> float:
    return _m._auc_cov_bootstrap(_host(y_true), _host(y_score_a), _host(y_score_b), n_boot, seed, n_threads, direction)


def roc_bootstrap_test(y_true, y_score_a, y_score_b, n_boot: int = 2000, seed: int = 0, n_threads: int = 0,
                       direction: str = "<", alternative: str = "two-sided") -> RocBootstrapTest:
    return RocBootstrapTest._from_cpp(_m._roc_bootstrap_test(_host(y_true), _host(y_score_a), _host(y_score_b),
                                                             n_boot, seed, n_threads, direction, alternative))


def roc_bootstrap_test_unpaired(y_true_a, y_score_a, y_true_b, y_score_b, n_boot: int = 2000, seed: int = 0,
                                n_threads: int = 0, direction: str = "<",
                                alternative: str = "two-sided") -> RocBootstrapTest:
    return RocBootstrapTest._from_cpp(_m._roc_bootstrap_test_unpaired(
        _host(y_true_a), _host(y_score_a), _host(y_true_b), _host(y_score_b), n_boot, seed, n_threads, direction,
        alternative))


def ideal_bootstrap_auc_variance(y_true, y_score, direction: str = "<") -> float:
    return _m._ideal_bootstrap_auc_variance(_host(y_true), _host(y_score), direction)


_document(obuchowski_variance,
          'pROC\'s var(roc, method="obuchowski"): the binormal (Obuchowski & McClish 1997) variance of the AUC.',
          ("score", "direction"), "The variance (float).",
          ">>> osteon.metrics.obuchowski_variance([0, 0, 1, 0, 1, 1], [0.1, 0.4, 0.35, 0.2, 0.8, 0.7])")
_document(obuchowski_cov, 'pROC\'s cov(roc1, roc2, method="obuchowski") of two predictors on the same samples.',
          ("paired", "direction"), "The covariance of the two AUCs (float).",
          ">>> osteon.metrics.obuchowski_cov(y, score_a, score_b)")
_document(auc_variance_bootstrap,
          'pROC\'s var(roc, method="bootstrap"): sample variance of stratified bootstrap AUCs (own PCG32\n'
          '    streams: equal to pROC to Monte-Carlo error, not draw for draw).',
          ("score", "boot", "direction"), "The variance (float).",
          ">>> osteon.metrics.auc_variance_bootstrap(y, score, n_boot=2000, seed=1)")
_document(auc_cov_bootstrap, 'pROC\'s cov(roc1, roc2, method="bootstrap") with paired stratified resamples.',
          ("paired", "boot", "direction"), "The covariance of the two AUCs (float).",
          ">>> osteon.metrics.auc_cov_bootstrap(y, score_a, score_b, n_boot=2000, seed=1)")
_document(roc_bootstrap_test,
          'pROC\'s roc.test(roc1, roc2, method="bootstrap") (paired): D = (auc_a - auc_b) / sd(bootstrap\n'
          '    differences).',
          ("paired", "boot", "direction", "alternative"),
          "RocBootstrapTest (``statistic`` D, ``p_value``, ``auc_a``, ``auc_b``, ``sd_difference``).",
          ">>> t = osteon.metrics.roc_bootstrap_test(y, score_a, score_b, n_boot=2000, seed=1)\n"
          "        >>> t.statistic, t.p_value")
_document(roc_bootstrap_test_unpaired,
          'pROC\'s roc.test(..., method="bootstrap", paired=FALSE) for curves on different samples.',
          ("\n        y_true_a: labels of the first sample.\n        y_score_a: scores of the first sample."
           "\n        y_true_b: labels of the second sample.\n        y_score_b: scores of the second sample.",
           "boot", "direction", "alternative"),
          "RocBootstrapTest (``paired`` False).",
          ">>> t = osteon.metrics.roc_bootstrap_test_unpaired(y_a, s_a, y_b, s_b, n_boot=2000, seed=1)")
_document(ideal_bootstrap_auc_variance,
          "The infinite-replicate stratified bootstrap variance of the AUC, in closed form (O(m·n)): the\n"
          "    limit that auc_variance_bootstrap tends to as n_boot grows.",
          ("score", "direction"), "The variance (float).",
          ">>> osteon.metrics.ideal_bootstrap_auc_variance([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])")


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class RocCoords(Result):
    """ROC points from pROC's coords(): thresholds (NaN where interpolated), sensitivities and
    specificities; unpacks as ``(thresholds, sensitivity, specificity)``."""

    thresholds: np.ndarray
    sensitivity: np.ndarray
    specificity: np.ndarray

    def __iter__(self):
        return iter((self.thresholds, self.sensitivity, self.specificity))

    def to_frame(self):
        """One row per point: threshold, sensitivity, specificity."""
        import pandas as pd

        return pd.DataFrame({"threshold": self.thresholds, "sensitivity": self.sensitivity,
                             "specificity": self.specificity})


def _coords(triple) -> RocCoords:
    thresholds, sensitivity, specificity = triple
    return RocCoords(np.asarray(thresholds), np.asarray(sensitivity), np.asarray(specificity))


__all__ += ["RocCoords", "coords_at", "local_maxima"]


def coords_at(y_true, y_score, input: str, values, direction: str = "<") -> RocCoords:
    """pROC's coords(roc, x=values, input="sensitivity"|"specificity"): the ROC points at the given
    values, interpolated between points (threshold NaN there).

    Args:
        y_true: 0/1 labels (N,).
        y_score: scores (N,).
        input: "sensitivity" or "specificity" (what ``values`` are).
        values: the sensitivities or specificities, in [0, 1].
        direction: "<" or ">".

    Returns:
        RocCoords (``thresholds``, ``sensitivity``, ``specificity``; unpacks as a 3-tuple).

    Example:
        >>> thr, se, sp = osteon.metrics.coords_at(y, s, "specificity", [0.9, 0.95])
    """
    return _coords(_m._coords_at(_host(y_true), _host(y_score), input, np.asarray(values, dtype=np.float64).ravel(),
                                 direction))


def local_maxima(y_true, y_score, direction: str = "<") -> RocCoords:
    """pROC's coords(roc, "local maximas"): the corners of the ROC staircase.

    Args:
        y_true: 0/1 labels (N,).
        y_score: scores (N,).
        direction: "<" or ">".

    Returns:
        RocCoords of the corners (unpacks as ``(thresholds, sensitivity, specificity)``).

    Example:
        >>> corners = osteon.metrics.local_maxima([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> corners.to_frame()
    """
    return _coords(_m._local_maxima(_host(y_true), _host(y_score), direction))


# --- scikit-learn's sample_weight for the ROC curve, AUC and threshold metrics ------------------------
@dataclasses.dataclass(frozen=True, repr=False)
class WeightedBinaryReport(Result):
    """Weighted confusion counts (sklearn's confusion_matrix(sample_weight=...)) and the rates."""

    tp: float
    fp: float
    tn: float
    fn: float
    accuracy: float
    precision: float
    recall: float
    specificity: float
    f1: float
    threshold: float


__all__ += ["WeightedBinaryReport", "weighted_roc_auc", "weighted_roc_curve", "weighted_binary_report"]


def weighted_roc_auc(y_true, y_score, sample_weight) -> float:
    """sklearn.metrics.roc_auc_score(y_true, y_score, sample_weight=sample_weight), on the host.

    Args:
        y_true: 0/1 labels (N,).
        y_score: scores (N,).
        sample_weight: non-negative weight per sample (N,).

    Returns:
        The weighted AUC (float).

    Example:
        >>> osteon.metrics.weighted_roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [1, 2, 1, 1])
    """
    return _m._weighted_roc_auc(_host(y_true), _host(y_score), _host(sample_weight))


def weighted_roc_curve(y_true, y_score, sample_weight, drop_intermediate: bool = True):
    """sklearn.metrics.roc_curve with sample_weight, on the host.

    Args:
        y_true: 0/1 labels (N,).
        y_score: scores (N,).
        sample_weight: non-negative weight per sample (N,).
        drop_intermediate: drop collinear points, as sklearn does by default.

    Returns:
        ``(fpr, tpr, thresholds)`` numpy arrays, as sklearn returns them (sklearn 1.2's first
        threshold).

    Example:
        >>> fpr, tpr, thr = osteon.metrics.weighted_roc_curve(y, s, w)
    """
    return _m._weighted_roc_curve(_host(y_true), _host(y_score), _host(sample_weight), drop_intermediate)


def weighted_binary_report(y_true, y_score, sample_weight, threshold: float = 0.5) -> WeightedBinaryReport:
    """Weighted confusion counts of score >= threshold with accuracy, precision, recall,
    specificity and F1 (NaN where a denominator is 0), equal to scikit-learn's with sample_weight.

    Args:
        y_true: 0/1 labels (N,).
        y_score: scores or probabilities (N,).
        sample_weight: non-negative weight per sample (N,).
        threshold: a sample is positive when its score >= threshold.

    Returns:
        WeightedBinaryReport.

    Example:
        >>> r = osteon.metrics.weighted_binary_report([0, 1, 1], [0.2, 0.7, 0.4], [1, 2, 1])
        >>> r.recall
    """
    return WeightedBinaryReport._from_cpp(_m._weighted_binary_report(_host(y_true), _host(y_score),
                                                                     _host(sample_weight), threshold))


__all__ += ["roc_point_test", "partial_auc_ci_bootstrap"]


def roc_point_test(y_true, y_score_a, y_score_b, input: str, at: float, n_boot: int = 2000, seed: int = 0,
                   n_threads: int = 0, direction: str = "<", alternative: str = "two-sided") -> RocBootstrapTest:
    return RocBootstrapTest._from_cpp(_m._roc_point_test(_host(y_true), _host(y_score_a), _host(y_score_b), input,
                                                         at, n_boot, seed, n_threads, direction, alternative))


def partial_auc_ci_bootstrap(y_true, y_score, low: float, high: float = 1.0, focus: str = "specificity",
                             correct: bool = False, level: float = 0.95, n_boot: int = 2000, seed: int = 0,
                             n_threads: int = 0, direction: str = "<") -> AucCi:
    return AucCi._from_cpp(_m._partial_auc_ci_bootstrap(_host(y_true), _host(y_score), low, high, focus, correct,
                                                        level, n_boot, seed, n_threads, direction))


_document(roc_point_test,
          'pROC\'s roc.test(roc1, roc2, method=input, <input>=at) (paired bootstrap): input="specificity"\n'
          '    compares the sensitivities at specificity ``at``, "sensitivity" the specificities at sensitivity\n'
          '    ``at``; the compared values are in ``auc_a`` / ``auc_b``.',
          ("paired", '\n        input: "specificity" or "sensitivity".\n        at: the specificity or sensitivity'
           ' at which to compare, in [0, 1].', "boot", "direction", "alternative"),
          "RocBootstrapTest.",
          '>>> t = osteon.metrics.roc_point_test(y, a, b, "specificity", 0.9)\n        >>> t.statistic, t.p_value')
_document(partial_auc_ci_bootstrap,
          'Percentile bootstrap CI of a partial AUC (pROC\'s ci.auc of a partial-AUC roc, method="bootstrap").',
          ("score", "\n        low: lower end of the ``focus`` range of the area.\n        high: upper end of it."
           '\n        focus: "specificity" or "sensitivity".\n        correct: McClish\'s (1989) standardisation'
           " (pROC's partial.auc.correct).\n        level: confidence level.", "boot", "direction"),
          "AucCi (``auc`` is the sample's partial AUC, with ``ci_low`` and ``ci_high``).",
          ">>> ci = osteon.metrics.partial_auc_ci_bootstrap(y, s, 0.8, 1.0, n_boot=2000, seed=4)\n"
          "        >>> ci.auc, ci.ci_low, ci.ci_high")
