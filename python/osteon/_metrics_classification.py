"""Threshold metrics, operating-point choice, proportion CIs, multi-class AUCs and partial AUCs
(see docs/classification.md). The C++ core (osteon/metrics/{binary_report, proportion_ci,
thresholds, multiclass, partial_auc}.hpp) does the work in double precision on the host; these
wrappers accept numpy arrays, lists or torch tensors (tensors are copied to the host: every
function here returns a handful of numbers) and shape the results."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from ._C import metrics as _m
from ._metrics_roc import _host  # tensors (any device) are copied to the host
from ._metrics_roc import auc_ci

__all__ = [
    "BinaryReport", "ProportionCi", "ThresholdChoice", "PartialAuc",
    "binary_report", "proportion_ci",
    "youden_threshold", "closest_topleft_threshold", "threshold_at_sensitivity", "threshold_at_specificity",
    "multiclass_auc", "per_class_auc", "per_class_delong_test", "partial_auc", "results_table",
]

BinaryReport = _m.BinaryReport
ProportionCi = _m.ProportionCi
ThresholdChoice = _m.ThresholdChoice
PartialAuc = _m.PartialAuc
proportion_ci = _m.proportion_ci




def binary_report(y_true, y_score, threshold: Optional[float] = None, level: float = 0.95,
                  ci_method: str = "wilson", direction: str = "<") -> BinaryReport:
    """Threshold metrics of a binary classifier at one operating point.

    Args:
        y_true: 0/1 labels (1 = case / positive), shape (N,).
        y_score: scores, shape (N,) — or hard 0/1 predictions when ``threshold`` is None.
        threshold: operating point; a sample is positive iff score >= threshold (direction "<",
            pROC's and scikit-learn's rule) or score <= threshold (">"). None: ``y_score`` holds
            hard predictions.
        level: confidence level of the proportion intervals.
        ci_method: "wilson", "wilson_cc" or "clopper_pearson" (see proportion_ci).
        direction: "<" (higher score = case, default) or ">".

    Returns:
        BinaryReport with tp, fp, tn, fn, accuracy, precision (= ppv), recall (= sensitivity),
        specificity, f1, npv, balanced_accuracy, mcc, youden_j, the intervals accuracy_ci,
        precision_ci, recall_ci, specificity_ci, npv_ci (ProportionCi), and ``undefined``: the
        names of the metrics that are NaN because their denominator is 0 (scikit-learn would
        return 0 there).

    Example:
        >>> r = osteon.metrics.binary_report([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], threshold=0.375)
        >>> r.tp, r.fp, r.accuracy
        (1, 1, 0.5)
    """
    return _m._binary_report(_host(y_true), _host(y_score), threshold, level, ci_method, direction)


def _choose(criterion, y_true, y_score, value=0.0, direction="<", cost=1.0, prevalence=0.5):
    return _m._choose_threshold(_host(y_true), _host(y_score), criterion, value, direction, cost, prevalence)


def youden_threshold(y_true, y_score, direction: str = "<", cost: float = 1.0,
                     prevalence: float = 0.5) -> ThresholdChoice:
    """Thresholds maximising Youden's J = sensitivity + specificity - 1 (pROC's coords "best").

    Args:
        y_true, y_score: 0/1 labels and scores, shape (N,).
        direction: "<" (default) or ">".
        cost, prevalence: pROC's best.weights; the criterion is se + r*sp with
            r = (1 - prevalence) / (cost * prevalence), r = 1 by default.

    Returns:
        ThresholdChoice with arrays ``thresholds`` (pROC's midpoints), ``sensitivity``,
        ``specificity``: every tied optimum, as pROC returns them. ``.threshold`` gives the
        single value, and raises ValueError when several points tie.

    Example:
        >>> osteon.metrics.youden_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).thresholds
        array([0.225, 0.6  ])
    """
    return _choose("youden_threshold", y_true, y_score, 0.0, direction, cost, prevalence)


def closest_topleft_threshold(y_true, y_score, direction: str = "<", cost: float = 1.0,
                              prevalence: float = 0.5) -> ThresholdChoice:
    """Thresholds minimising (1 - se)^2 + r (1 - sp)^2 (pROC's best.method = "closest.topleft").

    Args and Returns as youden_threshold.

    Example:
        >>> osteon.metrics.closest_topleft_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).thresholds
        array([0.225, 0.6  ])
    """
    return _choose("closest_topleft_threshold", y_true, y_score, 0.0, direction, cost, prevalence)


def threshold_at_sensitivity(y_true, y_score, min_sensitivity: float, direction: str = "<") -> ThresholdChoice:
    """The most specific operating point whose sensitivity is >= ``min_sensitivity``.

    Example:
        >>> round(osteon.metrics.threshold_at_sensitivity([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 1.0).threshold, 3)
        0.225
    """
    return _choose("threshold_at_sensitivity", y_true, y_score, min_sensitivity, direction)


def threshold_at_specificity(y_true, y_score, min_specificity: float, direction: str = "<") -> ThresholdChoice:
    """The most sensitive operating point whose specificity is >= ``min_specificity``.

    Example:
        >>> round(osteon.metrics.threshold_at_specificity([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 1.0).threshold, 3)
        0.6
    """
    return _choose("threshold_at_specificity", y_true, y_score, min_specificity, direction)


def multiclass_auc(y_true, y_score, multi_class: str = "ovr", average: Optional[str] = "macro"):
    """Multi-class AUC, equal to scikit-learn's roc_auc_score(y_true, y_score, multi_class, average).

    Args:
        y_true: class indices 0..K-1, shape (N,); every class must occur.
        y_score: class probabilities, shape (N, K); rows must sum to 1 (as sklearn requires; use
            per_class_auc for raw scores or logits).
        multi_class: "ovr" (one-vs-rest) or "ovo" (one-vs-one; with "macro" this is Hand & Till's
            M, equal to pROC's multiclass.roc).
        average: "macro", "weighted" (OvR: by class support; OvO: by pair prevalence), "micro"
            (OvR only), or None for the per-class OvR AUCs.

    Returns:
        float, or a numpy array of K per-class AUCs when ``average`` is None.

    Example:
        >>> p = [[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6], [0.5, 0.3, 0.2]]
        >>> osteon.metrics.multiclass_auc([0, 1, 2, 0], p, multi_class="ovo")
        1.0
    """
    y, p = _host(y_true), _host(y_score)
    if average is None:
        if multi_class != "ovr":
            raise ValueError(f"multiclass_auc: average=None (per-class AUCs) needs multi_class='ovr', got {multi_class!r}")
        _m._multiclass_auc(y, p, multi_class, "macro")  # validates probabilities as sklearn does
        return _m._one_vs_rest_aucs(y, p)
    return _m._multiclass_auc(y, p, multi_class, average)


def per_class_auc(y_true, y_score, level: float = 0.95) -> dict:
    """One-vs-rest AUC of every class with its DeLong variance and confidence interval.

    Args:
        y_true: class indices 0..K-1, shape (N,).
        y_score: scores, shape (N, K) (probabilities or logits; column k scores class k).
        level: confidence level.

    Returns:
        dict of numpy columns ``label``, ``n_cases``, ``n_controls``, ``auc``, ``variance``,
        ``ci_low``, ``ci_high`` (pandas.DataFrame(result) gives the table).

    Example:
        >>> t = osteon.metrics.per_class_auc(y, probs)
        >>> t["auc"][2], t["ci_low"][2], t["ci_high"][2]   # osteoporosis vs rest
    """
    return _m._per_class_auc(_host(y_true), _host(y_score), level)


def per_class_delong_test(y_true, y_score_a, y_score_b, level: float = 0.95,
                          alternative: str = "two.sided") -> dict:
    """Per-class paired DeLong tests between two models scored on the same samples.

    For each class k, model A's column k against model B's column k on (y == k), equal to pROC's
    roc.test(roc(y == k, a[, k]), roc(y == k, b[, k]), method="delong", paired=TRUE). P-values
    are unadjusted; correct for K comparisons if the study needs it.

    Args:
        y_true: class indices 0..K-1, shape (N,).
        y_score_a, y_score_b: scores of the two models, shape (N, K) each.
        level: confidence level of the AUC intervals and of the difference's interval.
        alternative: "two.sided", "less" or "greater".

    Returns:
        dict of numpy columns ``label``, ``n_cases``, ``n_controls``, ``auc_a``, ``ci_low_a``,
        ``ci_high_a``, ``auc_b``, ``ci_low_b``, ``ci_high_b``, ``statistic`` (Z), ``p_value``,
        ``difference_ci_low``, ``difference_ci_high`` (of auc_a - auc_b).

    Example:
        >>> table = osteon.metrics.per_class_delong_test(y, probs_model1, probs_model2)
        >>> table["p_value"]    # one per class
    """
    return _m._per_class_delong_test(_host(y_true), _host(y_score_a), _host(y_score_b), level, alternative)


def partial_auc(y_true, y_score, low: float, high: float = 1.0, focus: str = "specificity",
                correct: bool = True, direction: str = "<", allow_invalid_correction: bool = False) -> PartialAuc:
    """Partial AUC over [low, high] of specificity (or sensitivity), McClish-standardised.

    Equal to pROC's auc(roc, partial.auc=c(high, low), partial.auc.focus=focus,
    partial.auc.correct=correct). ``partial_auc(y, s, 1 - max_fpr)`` equals scikit-learn's
    roc_auc_score(y, s, max_fpr=max_fpr) (except below the diagonal, where the standardised value
    is undefined: NaN with ``below_diagonal`` set, unless ``allow_invalid_correction``).

    Args:
        y_true, y_score: 0/1 labels and scores, shape (N,).
        low, high: the range on the ``focus`` axis, 0 <= low < high <= 1.
        focus: "specificity" or "sensitivity".
        correct: McClish standardisation (0.5 = chance, 1 = perfect); False gives the raw area.
        direction: "<" (default) or ">".
        allow_invalid_correction: standardise even below the diagonal (as sklearn does).

    Returns:
        PartialAuc with ``value``, ``area`` (raw), ``range_low``, ``range_high``, ``focus``,
        ``corrected``, ``below_diagonal``; float(result) is ``value``.

    Example:
        >>> osteon.metrics.partial_auc([0, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6], 0.8).value
        1.0
    """
    return _m._partial_auc(_host(y_true), _host(y_score), low, high, focus, correct, direction,
                           allow_invalid_correction)


def results_table(y_true, scores: dict, threshold="youden", level: float = 0.95, digits: int = 3) -> list:
    """A results table as studies print it: AUC [95 % CI] (DeLong), accuracy, precision, recall, F1.

    Args:
        y_true: 0/1 labels, shape (N,).
        scores: {model name: scores of shape (N,)}.
        threshold: a number, "youden" (the Youden-optimal threshold; when points tie, the lowest),
            or {model name: threshold}.
        level: confidence level of the AUC interval.
        digits: rounding of the printed strings.

    Returns:
        list of dicts, one per model: ``model``, ``auc``, ``auc_ci`` (low, high), ``threshold``,
        ``accuracy``, ``precision``, ``recall``, ``f1``, ``report`` (the BinaryReport) and
        ``row``: the formatted strings (``"0.824 [0.746, 0.902]"``, ...).

    Example:
        >>> rows = osteon.metrics.results_table(y, {"AP": ap, "Frog": frog, "AP+Frog": both})
        >>> for r in rows: print(r["model"], *r["row"].values())
    """
    y = _host(y_true)
    out = []
    for name, s in scores.items():
        s = _host(s)
        ci = auc_ci(y, s, level=level)
        if isinstance(threshold, dict):
            t = float(threshold[name])
        elif threshold == "youden":
            t = float(youden_threshold(y, s).thresholds[0])
        else:
            t = float(threshold)
        r = binary_report(y, s, threshold=t)
        fmt = f"{{:.{digits}f}}"
        out.append({
            "model": name, "auc": ci.auc, "auc_ci": (ci.ci_low, ci.ci_high), "threshold": t,
            "accuracy": r.accuracy, "precision": r.precision, "recall": r.recall, "f1": r.f1, "report": r,
            "row": {
                "AUC [95% CI]": f"{fmt.format(ci.auc)} [{fmt.format(ci.ci_low)}, {fmt.format(ci.ci_high)}]",
                "Acc": fmt.format(r.accuracy), "Pre": fmt.format(r.precision),
                "Rec": fmt.format(r.recall), "F1": fmt.format(r.f1)},
        })
    return out
