"""Threshold metrics, operating-point choice, proportion CIs, multi-class AUCs, partial AUCs and
the results table (see docs/classification.md). The C++ core (osteon/metrics/classification/ and
roc/partial_auc.hpp) does the work in double precision on the host; these wrappers accept numpy
arrays, lists, pandas Series or torch tensors (tensors are copied to the host: every function here
returns a handful of numbers) and return osteon's result records."""
from __future__ import annotations

import dataclasses
import math
from typing import Dict, List, Mapping, Optional, Tuple, Union

import numpy as np

from . import _convert
from ._C import metrics as _m
from ._metrics_roc import AucCi, auc_ci
from ._results import Result

__all__ = [
    "BinaryReport", "ProportionCi", "ThresholdChoice", "PartialAuc", "ClassAucTable", "ClassDelongTable",
    "ModelResult", "ResultsTable",
    "binary_report", "proportion_ci",
    "youden_threshold", "closest_topleft_threshold", "threshold_at_sensitivity", "threshold_at_specificity",
    "multiclass_auc", "per_class_auc", "per_class_delong_test", "partial_auc", "results_table",
]


@dataclasses.dataclass(frozen=True, repr=False)
class ProportionCi(Result):
    """A proportion k/n with its confidence interval; iterates as (estimate, ci_low, ci_high)."""

    estimate: float
    ci_low: float
    ci_high: float
    k: int
    n: int
    level: float
    method: str

    def __iter__(self):
        return iter((self.estimate, self.ci_low, self.ci_high))


@dataclasses.dataclass(frozen=True, repr=False)
class BinaryReport(Result):
    """Threshold metrics at one operating point; NaN and a name in ``undefined`` where a
    denominator is 0 (scikit-learn would return 0 there)."""

    threshold: float
    tp: int
    fp: int
    tn: int
    fn: int
    accuracy: float
    precision: float
    recall: float
    specificity: float
    f1: float
    npv: float
    balanced_accuracy: float
    mcc: float
    youden_j: float
    accuracy_ci: ProportionCi
    precision_ci: ProportionCi
    recall_ci: ProportionCi
    specificity_ci: ProportionCi
    npv_ci: ProportionCi
    undefined: Tuple[str, ...]

    @property
    def sensitivity(self) -> float:
        """= recall."""
        return self.recall

    @property
    def ppv(self) -> float:
        """= precision."""
        return self.precision

    @classmethod
    def _from_cpp(cls, report, **overrides):
        cis = {name: ProportionCi._from_cpp(getattr(report, name))
               for name in ("accuracy_ci", "precision_ci", "recall_ci", "specificity_ci", "npv_ci")}
        return super()._from_cpp(report, undefined=tuple(report.undefined), **cis)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ThresholdChoice(Result):
    """Operating points chosen on a ROC curve (every tied optimum for Youden / closest-topleft,
    in curve order). ``threshold`` gives the single value and raises when several points tie."""

    criterion: str
    thresholds: np.ndarray
    sensitivity: np.ndarray
    specificity: np.ndarray
    true_positives: np.ndarray
    false_positives: np.ndarray

    @property
    def threshold(self) -> float:
        """The single chosen threshold; ValueError when several points tie."""
        if len(self.thresholds) != 1:
            raise ValueError(f"ThresholdChoice.threshold: {len(self.thresholds)} operating points tie on the "
                             f"{self.criterion} criterion; pick one from .thresholds")
        return float(self.thresholds[0])

    def __len__(self) -> int:
        return len(self.thresholds)

    def to_frame(self):
        """One row per chosen point."""
        import pandas as pd

        return pd.DataFrame({"threshold": self.thresholds, "sensitivity": self.sensitivity,
                             "specificity": self.specificity})


@dataclasses.dataclass(frozen=True, repr=False)
class PartialAuc(Result):
    """A partial AUC; ``value`` is McClish-standardised when ``corrected`` (NaN with
    ``below_diagonal`` where that is undefined); ``float(result)`` is ``value``."""

    value: float
    area: float
    range_low: float
    range_high: float
    focus: str
    corrected: bool
    below_diagonal: bool

    def __float__(self) -> float:
        return self.value


class _ColumnTable(Result):
    """A table held as numpy columns: ``to_frame()`` gives one row per entry."""

    __slots__ = ()

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame({name: getattr(self, name) for name in self._field_names()})

    def __len__(self) -> int:
        return len(getattr(self, self._field_names()[0]))

    def __repr__(self) -> str:
        return f"{type(self).__name__}\n{self.to_frame().to_string(index=False)}"


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ClassAucTable(_ColumnTable):
    """One-vs-rest AUC per class with its DeLong variance and interval (numpy columns)."""

    label: np.ndarray
    n_cases: np.ndarray
    n_controls: np.ndarray
    auc: np.ndarray
    variance: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ClassDelongTable(_ColumnTable):
    """Per-class paired DeLong tests of two models (numpy columns)."""

    label: np.ndarray
    n_cases: np.ndarray
    n_controls: np.ndarray
    auc_a: np.ndarray
    ci_low_a: np.ndarray
    ci_high_a: np.ndarray
    auc_b: np.ndarray
    ci_low_b: np.ndarray
    ci_high_b: np.ndarray
    statistic: np.ndarray
    p_value: np.ndarray
    difference_ci_low: np.ndarray
    difference_ci_high: np.ndarray


@dataclasses.dataclass(frozen=True, repr=False)
class ModelResult(Result):
    """One row of a results table: a model's AUC [CI] and its metrics at the chosen threshold."""

    model: str
    auc: float
    auc_ci: Tuple[float, float]
    level: float
    threshold: float
    accuracy: float
    precision: float
    recall: float
    specificity: float
    f1: float
    report: BinaryReport


def _fmt(value: float, digits: int) -> str:
    return "NaN" if math.isnan(value) else f"{value:.{digits}f}"


@dataclasses.dataclass(frozen=True, repr=False)
class ResultsTable(Result):
    """A results table as studies print it: one row per model with AUC [CI] (DeLong), accuracy,
    precision, recall (sensitivity), specificity and F1 at each model's threshold.

    ``print(table)`` gives the paper's table, ``table.to_frame()`` a DataFrame, ``table.to_dict()``
    plain JSON-serialisable values, ``table.to_markdown()`` a Markdown table; rows index and
    iterate as ModelResult records.
    """

    rows: Tuple[ModelResult, ...]
    digits: int = 3

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, key):
        if isinstance(key, (int, slice)):
            return self.rows[key]
        if isinstance(key, str):
            for row in self.rows:
                if row.model == key:
                    return row
        raise KeyError(key)

    def _cells(self) -> Tuple[List[str], List[List[str]]]:
        d = self.digits
        level = f"{100 * self.rows[0].level:g} %" if self.rows else "95 %"
        head = ["Model", f"AUC [{level} CI]", "Accuracy", "Precision", "Recall", "Specificity", "F1", "Threshold"]
        body = [[r.model, f"{_fmt(r.auc, d)} [{_fmt(r.auc_ci[0], d)}, {_fmt(r.auc_ci[1], d)}]",
                 _fmt(r.accuracy, d), _fmt(r.precision, d), _fmt(r.recall, d), _fmt(r.specificity, d),
                 _fmt(r.f1, d), f"{r.threshold:.4g}"] for r in self.rows]
        return head, body

    def __repr__(self) -> str:
        head, body = self._cells()
        widths = [max(len(row[i]) for row in [head] + body) for i in range(len(head))]
        line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                       for i, (c, w) in enumerate(zip(cells, widths)))
        rule = "-" * len(line(head))
        return "\n".join([rule, line(head), rule] + [line(r) for r in body] + [rule])

    def to_markdown(self) -> str:
        """The table in Markdown (for a report or a notebook cell)."""
        head, body = self._cells()
        return "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] +
                         ["| " + " | ".join(r) + " |" for r in body])

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_frame(self):
        """One row per model: model, auc, ci_low, ci_high, threshold, accuracy, precision,
        recall, specificity, f1 (numbers, not strings)."""
        import pandas as pd

        return pd.DataFrame([{"model": r.model, "auc": r.auc, "ci_low": r.auc_ci[0], "ci_high": r.auc_ci[1],
                              "threshold": r.threshold, "accuracy": r.accuracy, "precision": r.precision,
                              "recall": r.recall, "specificity": r.specificity, "f1": r.f1} for r in self.rows])


def proportion_ci(k: int, n: int, level: float = 0.95, method: str = "wilson") -> ProportionCi:
    """Confidence interval of the proportion k/n.

    Args:
        k: successes (e.g. true positives), 0 <= k <= n.
        n: trials (e.g. cases), n >= 1.
        level: two-sided confidence level.
        method: "wilson" (R's prop.test(correct=FALSE)), "wilson_cc" (Newcombe's continuity-corrected
            Wilson, prop.test(correct=TRUE)) or "clopper_pearson" (exact; R's binom.test).

    Returns:
        ProportionCi with estimate, ci_low, ci_high, k, n, level, method; iterating gives
        (estimate, ci_low, ci_high).

    Raises:
        ValueError: k outside [0, n], n < 1, level outside (0, 1), an unknown method.

    Example:
        >>> ci = osteon.metrics.proportion_ci(45, 50)
        >>> round(ci.ci_low, 4), round(ci.ci_high, 4)
        (0.7864, 0.9565)
    """
    f = "proportion_ci"
    return ProportionCi._from_cpp(_m.proportion_ci(_convert.integer(k, f, "k"), _convert.integer(n, f, "n"),
                                                   level, method))


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
        names of the metrics that are NaN because their denominator is 0.

    Raises:
        ValueError: labels not 0/1 (text labels included), unequal lengths, NaN scores.

    Example:
        >>> r = osteon.metrics.binary_report([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], threshold=0.375)
        >>> r.tp, r.fp, r.accuracy
        (1, 1, 0.5)
    """
    f = "binary_report"
    return BinaryReport._from_cpp(_m._binary_report(_convert.host(y_true, f, "y_true", "labels"),
                                                    _convert.host(y_score, f, "y_score"), threshold, level,
                                                    ci_method, direction))


def _choose(criterion, y_true, y_score, value=0.0, direction="<", cost=1.0, prevalence=0.5) -> ThresholdChoice:
    choice = _m._choose_threshold(_convert.host(y_true, criterion, "y_true", "labels"),
                                  _convert.host(y_score, criterion, "y_score"), criterion, value, direction, cost,
                                  prevalence)
    return ThresholdChoice._from_cpp(choice)


def youden_threshold(y_true, y_score, direction: str = "<", cost: float = 1.0,
                     prevalence: float = 0.5) -> ThresholdChoice:
    """Thresholds maximising Youden's J = sensitivity + specificity - 1 (pROC's coords "best").

    Args:
        y_true: 0/1 labels, shape (N,).
        y_score: scores, shape (N,).
        direction: "<" (default) or ">".
        cost: pROC's best.weights[1]; the criterion is se + r*sp with
            r = (1 - prevalence) / (cost * prevalence), r = 1 by default.
        prevalence: pROC's best.weights[2].

    Returns:
        ThresholdChoice with arrays ``thresholds`` (pROC's midpoints), ``sensitivity``,
        ``specificity``: every tied optimum, as pROC returns them. ``.threshold`` gives the
        single value, and raises ValueError when several points tie.

    Raises:
        ValueError: as roc_auc.

    Example:
        >>> osteon.metrics.youden_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).thresholds
        array([0.225, 0.6  ])
    """
    return _choose("youden_threshold", y_true, y_score, 0.0, direction, cost, prevalence)


def closest_topleft_threshold(y_true, y_score, direction: str = "<", cost: float = 1.0,
                              prevalence: float = 0.5) -> ThresholdChoice:
    """Thresholds minimising (1 - se)^2 + r (1 - sp)^2 (pROC's best.method = "closest.topleft").

    Args:
        y_true: 0/1 labels, shape (N,).
        y_score: scores, shape (N,).
        direction: "<" (default) or ">".
        cost: as youden_threshold.
        prevalence: as youden_threshold.

    Returns:
        ThresholdChoice (every tied optimum).

    Raises:
        ValueError: as roc_auc.

    Example:
        >>> osteon.metrics.closest_topleft_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).thresholds
        array([0.225, 0.6  ])
    """
    return _choose("closest_topleft_threshold", y_true, y_score, 0.0, direction, cost, prevalence)


def threshold_at_sensitivity(y_true, y_score, min_sensitivity: float, direction: str = "<") -> ThresholdChoice:
    """The most specific operating point whose sensitivity is >= ``min_sensitivity``.

    Args:
        y_true: 0/1 labels, shape (N,).
        y_score: scores, shape (N,).
        min_sensitivity: the required sensitivity in [0, 1].
        direction: "<" (default) or ">".

    Returns:
        ThresholdChoice with one point.

    Raises:
        ValueError: as roc_auc; min_sensitivity outside [0, 1].

    Example:
        >>> round(osteon.metrics.threshold_at_sensitivity([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 1.0).threshold, 3)
        0.225
    """
    return _choose("threshold_at_sensitivity", y_true, y_score, min_sensitivity, direction)


def threshold_at_specificity(y_true, y_score, min_specificity: float, direction: str = "<") -> ThresholdChoice:
    """The most sensitive operating point whose specificity is >= ``min_specificity``.

    Args:
        y_true: 0/1 labels, shape (N,).
        y_score: scores, shape (N,).
        min_specificity: the required specificity in [0, 1].
        direction: "<" (default) or ">".

    Returns:
        ThresholdChoice with one point.

    Raises:
        ValueError: as roc_auc; min_specificity outside [0, 1].

    Example:
        >>> round(osteon.metrics.threshold_at_specificity([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 1.0).threshold, 3)
        0.6
    """
    return _choose("threshold_at_specificity", y_true, y_score, min_specificity, direction)


def multiclass_auc(y_true, y_score, multi_class: str = "ovr",
                   average: Optional[str] = "macro") -> Union[float, np.ndarray]:
    """Multi-class AUC, equal to scikit-learn's roc_auc_score(y_true, y_score, multi_class, average).

    Args:
        y_true: class indices 0..K-1, shape (N,); every class must occur. Text class names are
            refused with the advice to pass their indices.
        y_score: class probabilities, shape (N, K); rows must sum to 1 (as sklearn requires; use
            per_class_auc for raw scores or logits).
        multi_class: "ovr" (one-vs-rest) or "ovo" (one-vs-one; with "macro" this is Hand & Till's
            M, equal to pROC's multiclass.roc).
        average: "macro", "weighted" (OvR: by class support; OvO: by pair prevalence), "micro"
            (OvR only), or None for the per-class OvR AUCs.

    Returns:
        float, or a numpy array of K per-class AUCs when ``average`` is None.

    Raises:
        ValueError: labels that are not class indices, rows not summing to 1, an unknown option.

    Example:
        >>> p = [[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6], [0.5, 0.3, 0.2]]
        >>> osteon.metrics.multiclass_auc([0, 1, 2, 0], p, multi_class="ovo")
        1.0
    """
    f = "multiclass_auc"
    y, p = _convert.host(y_true, f, "y_true", "classes"), _convert.host(y_score, f, "y_score")
    if average is None:
        if multi_class != "ovr":
            raise ValueError(f"multiclass_auc: average=None (per-class AUCs) needs multi_class='ovr', got {multi_class!r}")
        _m._multiclass_auc(y, p, multi_class, "macro")  # validates probabilities as sklearn does
        return _m._one_vs_rest_aucs(y, p)
    return _m._multiclass_auc(y, p, multi_class, average)


def per_class_auc(y_true, y_score, level: float = 0.95) -> ClassAucTable:
    """One-vs-rest AUC of every class with its DeLong variance and confidence interval.

    Args:
        y_true: class indices 0..K-1, shape (N,).
        y_score: scores, shape (N, K) (probabilities or logits; column k scores class k).
        level: confidence level.

    Returns:
        ClassAucTable with numpy columns label, n_cases, n_controls, auc, variance, ci_low,
        ci_high; ``to_frame()`` gives the table.

    Raises:
        ValueError: labels that are not class indices, a class without cases.

    Example:
        >>> t = osteon.metrics.per_class_auc(y, probs)
        >>> t.auc[2], t.ci_low[2], t.ci_high[2]   # osteoporosis vs rest
    """
    f = "per_class_auc"
    return ClassAucTable(**_m._per_class_auc(_convert.host(y_true, f, "y_true", "classes"),
                                             _convert.host(y_score, f, "y_score"), level))


def per_class_delong_test(y_true, y_score_a, y_score_b, level: float = 0.95,
                          alternative: str = "two-sided") -> ClassDelongTable:
    """Per-class paired DeLong tests between two models scored on the same samples.

    For each class k, model A's column k against model B's column k on (y == k), equal to pROC's
    roc.test(roc(y == k, a[, k]), roc(y == k, b[, k]), method="delong", paired=TRUE). P-values
    are unadjusted; correct for K comparisons if the study needs it.

    Args:
        y_true: class indices 0..K-1, shape (N,).
        y_score_a: scores of model A, shape (N, K).
        y_score_b: scores of model B, shape (N, K).
        level: confidence level of the AUC intervals and of the difference's interval.
        alternative: "two-sided", "less" or "greater".

    Returns:
        ClassDelongTable with numpy columns label, n_cases, n_controls, auc_a, ci_low_a,
        ci_high_a, auc_b, ci_low_b, ci_high_b, statistic (Z), p_value, difference_ci_low,
        difference_ci_high (of auc_a - auc_b).

    Raises:
        ValueError: labels that are not class indices, shapes that differ.

    Example:
        >>> table = osteon.metrics.per_class_delong_test(y, probs_model1, probs_model2)
        >>> table.p_value    # one per class
    """
    f = "per_class_delong_test"
    return ClassDelongTable(**_m._per_class_delong_test(
        _convert.host(y_true, f, "y_true", "classes"), _convert.host(y_score_a, f, "y_score_a"),
        _convert.host(y_score_b, f, "y_score_b"), level, _convert.proc_alternative(alternative, f)))


def partial_auc(y_true, y_score, low: float, high: float = 1.0, focus: str = "specificity",
                correct: bool = True, direction: str = "<", allow_invalid_correction: bool = False) -> PartialAuc:
    """Partial AUC over [low, high] of specificity (or sensitivity), McClish-standardised.

    Equal to pROC's auc(roc, partial.auc=c(high, low), partial.auc.focus=focus,
    partial.auc.correct=correct). ``partial_auc(y, s, 1 - max_fpr)`` equals scikit-learn's
    roc_auc_score(y, s, max_fpr=max_fpr) (except below the diagonal, where the standardised value
    is undefined: NaN with ``below_diagonal`` set, unless ``allow_invalid_correction``).

    Args:
        y_true: 0/1 labels, shape (N,).
        y_score: scores, shape (N,).
        low: lower end of the range on the ``focus`` axis, 0 <= low < high.
        high: upper end of the range, <= 1.
        focus: "specificity" or "sensitivity".
        correct: McClish standardisation (0.5 = chance, 1 = perfect); False gives the raw area.
        direction: "<" (default) or ">".
        allow_invalid_correction: standardise even below the diagonal (as sklearn does).

    Returns:
        PartialAuc with value, area (raw), range_low, range_high, focus, corrected,
        below_diagonal; float(result) is value.

    Raises:
        ValueError: as roc_auc; a range outside [0, 1] or empty.

    Example:
        >>> osteon.metrics.partial_auc([0, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6], 0.8).value
        1.0
    """
    f = "partial_auc"
    return PartialAuc._from_cpp(_m._partial_auc(_convert.host(y_true, f, "y_true", "labels"),
                                                _convert.host(y_score, f, "y_score"), low, high, focus, correct,
                                                direction, allow_invalid_correction))


def results_table(y_true, scores: Mapping[str, object], threshold: Union[float, str, Mapping[str, float]] = "youden",
                  level: float = 0.95, digits: int = 3) -> ResultsTable:
    """A results table as studies print it: AUC [95 % CI] (DeLong), accuracy, precision, recall,
    specificity, F1 per model.

    Args:
        y_true: 0/1 labels, shape (N,).
        scores: {model name: scores of shape (N,)} (numpy, lists, pandas Series or tensors).
        threshold: a number, "youden" (the Youden-optimal threshold; when points tie, the lowest),
            or {model name: threshold}.
        level: confidence level of the AUC interval.
        digits: decimals of the printed table.

    Returns:
        ResultsTable: ``print()`` gives the table, rows are ModelResult records (model, auc,
        auc_ci, level, threshold, accuracy, precision, recall, specificity, f1, report);
        ``to_dict()`` is JSON-serialisable, ``to_frame()`` a DataFrame.

    Raises:
        ValueError: as roc_auc for any model; a threshold that is neither a number, "youden",
            nor a mapping naming every model.

    Example:
        >>> table = osteon.metrics.results_table(y, {"AP": p_ap, "Frog": p_frog})
        >>> print(table)
        >>> json.dumps(table.to_dict())
    """
    f = "results_table"
    y = _convert.host(y_true, f, "y_true", "labels")
    rows = []
    for name, s in scores.items():
        s = _convert.host(s, f, f"scores[{name!r}]")
        ci = auc_ci(y, s, level=level)
        if isinstance(threshold, Mapping):
            if name not in threshold:
                raise ValueError(f"results_table: threshold has no entry for model {name!r} "
                                 f"(it names {sorted(threshold)})")
            t = float(threshold[name])
        elif isinstance(threshold, str):
            _convert.choice(threshold, f, "threshold", ("youden",))
            t = float(youden_threshold(y, s).thresholds[0])
        else:
            t = float(threshold)
        r = binary_report(y, s, threshold=t)
        rows.append(ModelResult(model=str(name), auc=ci.auc, auc_ci=(ci.ci_low, ci.ci_high), level=level,
                                threshold=t, accuracy=r.accuracy, precision=r.precision, recall=r.recall,
                                specificity=r.specificity, f1=r.f1, report=r))
    return ResultsTable(rows=tuple(rows), digits=int(digits))
