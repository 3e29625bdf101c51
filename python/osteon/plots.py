"""Figures for a results section, with matplotlib (Debian: python3-matplotlib; imported when a
figure is drawn, so ``import osteon`` does not need it). Every function returns the
``matplotlib.figure.Figure`` (draw into an existing Axes with ``ax=``; the figure is then the
Axes' figure) and works from numpy arrays, lists, pandas Series or tensors (copied to the host).

* ``roc_plot``: ROC curves with the DeLong AUC [CI] in the legend, a bootstrap band of
  sensitivity (pROC's ``ci.se``) drawn as a staircase, paired DeLong p-values between models;
* ``confusion_matrix_plot``, ``calibration_plot`` (reliability curve, Brier score);
* ``bland_altman_plot``, ``volume_plot`` (predicted vs true volume with R² and p);
* ``training_curves`` (from the metrics log: CSV or JSON lines with ``epoch``, ``loss``, ``val_*``);
* ``fold_box_plot`` (per-fold Dice with mean ± SD); ``slice_viewer`` (image slices with the
  mask and the prediction outlined).

Curves differ in line style as well as colour, so that they stay apart in a greyscale print.
"""
from __future__ import annotations

import itertools
import json
import math
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _convert
from . import metrics as _metrics
from . import stats as _stats
from .progress import track

__all__ = [
    "sensitivity_band", "roc_plot", "confusion_matrix_plot", "calibration_plot", "bland_altman_plot",
    "volume_plot", "training_curves", "fold_box_plot", "slice_viewer", "read_metrics_log",
]

ScoreSets = Union[Sequence[float], np.ndarray, Mapping[str, Any]]

# Colour-blind-safe colours (Okabe & Ito 2008) paired with line styles for greyscale prints.
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))


def _styles():
    return itertools.cycle(zip(_COLOURS, _STYLES))


def _figure(ax, size=(4.8, 4.5)):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=size, constrained_layout=True)
        return fig, ax
    return ax.figure, ax


def _host(value, function, argument, kind="values") -> np.ndarray:
    return _convert.host(value, function, argument, kind)


def _sensitivity_at(curve, specificities: np.ndarray) -> np.ndarray:
    """Highest sensitivity reached at specificity >= each requested value (a step ROC curve)."""
    sp, se = np.asarray(curve.specificity), np.asarray(curve.sensitivity)
    order = np.argsort(sp, kind="stable")
    sp, se = sp[order], se[order]
    best_from_here = np.maximum.accumulate(se[::-1])[::-1]  # max se over points with sp >= sp[k]
    index = np.searchsorted(sp, specificities, side="left")
    out = np.zeros_like(specificities)
    inside = index < len(sp)
    out[inside] = best_from_here[index[inside]]
    return out


def sensitivity_band(y_true, y_score, specificities=None, level: float = 0.95, n_boot: int = 500,
                     seed: int = 0, direction: str = "<", progress: Optional[bool] = None):
    """Bootstrap confidence band of sensitivity at fixed specificities (pROC's ci.se).

    Cases and controls are resampled separately (stratified), as pROC does by default, with numpy's
    generator seeded by ``seed`` (a figure; the library's own AUC bootstrap is ``metrics.auc_ci``).

    Args:
        y_true: 0/1 labels.
        y_score: scores.
        specificities: grid (default 0..1 in 101 steps).
        level: confidence level.
        n_boot: replicates.
        seed: numpy seed of the resampling, an integer in [0, 2**64).
        direction: "<" (default) or ">".
        progress: show a progress bar (None: osteon.progress's flag).

    Returns:
        (specificities, lower, median, upper) numpy arrays.

    Raises:
        ValueError: as metrics.roc_auc; level outside (0, 1); n_boot < 1; a bad seed.

    Example:
        >>> sp, lo, mid, hi = osteon.plots.sensitivity_band(y, p_ap, n_boot=200)
    """
    f = "sensitivity_band"
    _metrics.roc_auc(y_true, y_score, direction=direction)  # validates labels, scores and lengths
    y = _host(y_true, f, "y_true", "labels")
    s = _host(y_score, f, "y_score")
    if specificities is None:
        specificities = np.linspace(0.0, 1.0, 101)
    specificities = np.asarray(specificities, dtype=np.float64)
    if not 0.0 < level < 1.0:
        raise ValueError(f"sensitivity_band: level must be in (0, 1), got {level}")
    n_boot = _convert.integer(n_boot, f, "n_boot", 1)
    rng = np.random.default_rng(_convert.seed(seed, f))
    cases, controls = s[y == 1], s[y == 0]
    labels = np.r_[np.ones(len(cases)), np.zeros(len(controls))]
    draws = np.empty((n_boot, len(specificities)))
    for b in track(range(n_boot), desc="sensitivity band (bootstrap)", enabled=progress):
        resample = np.r_[rng.choice(cases, len(cases)), rng.choice(controls, len(controls))]
        draws[b] = _sensitivity_at(_metrics.roc_curve(labels, resample, direction=direction), specificities)
    alpha = (1.0 - level) / 2.0
    lower, median, upper = np.quantile(draws, [alpha, 0.5, 1.0 - alpha], axis=0)
    return specificities, lower, median, upper


def _roc_path(curve) -> Tuple[np.ndarray, np.ndarray]:
    """The ROC path from (0, 0) to (1, 1) in the order of decreasing threshold: tied scores move
    both counts at once and give a diagonal segment, so the area under the drawn path (linear
    between points) is the AUC with ties counted one half."""
    order = np.argsort(-np.asarray(curve.thresholds), kind="stable")
    return np.asarray(curve.fpr)[order], np.asarray(curve.sensitivity)[order]


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def roc_plot(y_true, scores: ScoreSets, ci: bool = True, level: float = 0.95, n_boot: int = 500,
             seed: int = 0, direction: str = "<", compare: bool = True, ax=None, title: Optional[str] = None,
             progress: Optional[bool] = None):
    """ROC curves (1 - specificity on x) with the DeLong AUC [CI] in the legend, a bootstrap band
    of sensitivity drawn as a staircase, and paired DeLong p-values between the models.

    Args:
        y_true: 0/1 labels shared by every predictor.
        scores: one score array, or a mapping name -> scores for several models.
        ci: draw the bootstrap sensitivity band (pROC's ci.se).
        level: level of the AUC intervals and of the band.
        n_boot: bootstrap replicates of the band.
        seed: seed of the band's resampling.
        direction: "<" (default) or ">".
        compare: with several models, annotate the paired DeLong test of each pair.
        ax: a matplotlib Axes to draw into (a new figure when None).
        title: the Axes' title.
        progress: show the band's progress bar (None: osteon.progress's flag).

    Returns:
        the matplotlib Figure.

    Raises:
        ValueError: as metrics.roc_auc for any model.

    Example:
        >>> fig = osteon.plots.roc_plot(y, {"AP": p_ap, "frog-leg": p_frog, "AP + frog": p_both})
        >>> fig.savefig("roc.png", dpi=200)
    """
    if not isinstance(scores, Mapping):
        scores = {"model": scores}
    fig, ax = _figure(ax)
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", linewidth=1)
    for (name, s), (colour, style) in zip(scores.items(), _styles()):
        curve = _metrics.roc_curve(y_true, s, direction=direction)
        auc = _metrics.auc_ci(y_true, s, level=level, direction=direction)
        label = f"{name}: AUC {auc.auc:.3f} [{auc.ci_low:.3f}, {auc.ci_high:.3f}]"
        x, y = _roc_path(curve)
        ax.plot(x, y, color=colour, linestyle=style, linewidth=1.8, label=label)
        if ci:
            sp, lower, _, upper = sensitivity_band(y_true, s, level=level, n_boot=n_boot, seed=seed,
                                                   direction=direction, progress=progress)
            fpr = 1.0 - sp[::-1]  # increasing false-positive rate
            ax.fill_between(fpr, lower[::-1], upper[::-1], step="post", color=colour, alpha=0.15, linewidth=0)
    names = list(scores)
    if compare and len(names) > 1:
        lines = []
        for a, b in itertools.combinations(names, 2):
            test = _metrics.delong_test(y_true, scores[a], scores[b], direction=direction)
            lines.append(f"{a} vs {b}: {_p_text(test.p_value)}")
        ax.text(0.98, 0.40, "paired DeLong\n" + "\n".join(lines), transform=ax.transAxes, ha="right", va="bottom",
                fontsize="x-small", bbox=dict(boxstyle="round", facecolor="white", edgecolor="0.7"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.set_xlabel("1 - specificity")
    ax.set_ylabel("sensitivity")
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize="x-small")
    if title:
        ax.set_title(title)
    return fig


def confusion_matrix_plot(y_true, y_pred, labels: Optional[Sequence[str]] = None, normalize: Optional[str] = None,
                          threshold: Optional[float] = None, ax=None, title: Optional[str] = None):
    """Confusion matrix (rows: truth, columns: prediction) with counts, and row percentages.

    Args:
        y_true: class indices 0..K-1 (0/1 for a binary classifier).
        y_pred: predicted class indices, or scores with ``threshold`` (positive iff score >= threshold).
        labels: display names of the K classes.
        normalize: None (counts, with row percentages below), "true" (rows sum to 1), "pred"
            (columns sum to 1) or "all" — scikit-learn's confusion_matrix(normalize=...).
        threshold: turns scores into 0/1 predictions.
        ax: a matplotlib Axes to draw into.
        title: the Axes' title.

    Returns:
        the matplotlib Figure.

    Raises:
        ValueError: labels or predictions that are not class indices, unequal lengths, an
            unknown normalize.

    Example:
        >>> fig = osteon.plots.confusion_matrix_plot(y, p, threshold=0.5, labels=["preserved", "failed"])
    """
    f = "confusion_matrix_plot"
    truth = _host(y_true, f, "y_true", "classes")
    predicted = _host(y_pred, f, "y_pred", "classes")
    if threshold is not None:
        predicted = (predicted >= float(threshold)).astype(np.float64)
    if truth.shape != predicted.shape or truth.ndim != 1:
        raise ValueError(f"{f}: y_true and y_pred must be 1-D of one length, got {truth.shape} and {predicted.shape}")
    for name, values in (("y_true", truth), ("y_pred", predicted)):
        if np.any(values < 0) or np.any(values != np.round(values)):
            raise ValueError(f"{f}: {name} must hold class indices 0..K-1 (pass threshold= for scores)")
    k = int(max(truth.max(), predicted.max())) + 1
    if labels is not None and len(labels) < k:
        raise ValueError(f"{f}: labels names {len(labels)} classes, the data has {k}")
    k = len(labels) if labels is not None else k
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (truth.astype(int), predicted.astype(int)), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shown = {None: counts.astype(float), "true": counts / counts.sum(1, keepdims=True),
                 "pred": counts / counts.sum(0, keepdims=True), "all": counts / counts.sum()}
    if normalize not in shown:
        raise ValueError(f"{f}: normalize must be None, 'true', 'pred' or 'all', got {normalize!r}")
    values = shown[normalize]
    fig, ax = _figure(ax, (4.2, 3.8))
    image = ax.imshow(values, cmap="Blues", vmin=0)
    fig.colorbar(image, ax=ax, shrink=0.8)
    rows = counts.sum(1, keepdims=True)
    limit = np.nanmax(values) if np.isfinite(values).any() else 1.0
    for i in range(k):
        for j in range(k):
            if normalize is None:
                text = f"{counts[i, j]}\n{100 * counts[i, j] / rows[i, 0]:.0f} %" if rows[i, 0] else "0"
            else:
                text = f"{values[i, j]:.2f}"
            ax.text(j, i, text, ha="center", va="center", fontsize="small",
                    color="white" if values[i, j] > 0.6 * limit else "black")
    names = list(labels) if labels is not None else [str(i) for i in range(k)]
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    if title:
        ax.set_title(title)
    return fig


def calibration_plot(y_true, y_prob: ScoreSets, n_bins: int = 10, strategy: str = "uniform", ax=None,
                     title: Optional[str] = None):
    """Reliability curve (observed fraction of cases per bin of predicted probability, as
    scikit-learn's calibration_curve), with the Brier score per model and a histogram of the
    predictions.

    Args:
        y_true: 0/1 labels.
        y_prob: predicted probabilities in [0, 1], or a mapping name -> probabilities.
        n_bins: number of bins.
        strategy: "uniform" (equal widths) or "quantile" (equal counts).
        ax: a matplotlib Axes to draw into (the histogram then shares it).
        title: the Axes' title.

    Returns:
        the matplotlib Figure.

    Raises:
        ValueError: probabilities outside [0, 1], labels not 0/1, n_bins < 1, unknown strategy.

    Example:
        >>> fig = osteon.plots.calibration_plot(y, {"AP": p_ap, "frog": p_frog}, n_bins=8)
    """
    f = "calibration_plot"
    if not isinstance(y_prob, Mapping):
        y_prob = {"model": y_prob}
    y = _host(y_true, f, "y_true", "labels")
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"{f}: y_true must be 0/1 labels")
    n_bins = _convert.integer(n_bins, f, "n_bins", 1)
    _convert.choice(strategy, f, "strategy", ("uniform", "quantile"))
    fig, ax = _figure(ax, (4.6, 4.6))
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", linewidth=1, label="perfectly calibrated")
    histogram = ax.inset_axes([0.0, 0.0, 1.0, 0.18], sharex=ax)
    for (name, p), (colour, style) in zip(y_prob.items(), _styles()):
        p = _host(p, f, f"y_prob[{name!r}]")
        if p.shape != y.shape:
            raise ValueError(f"{f}: y_prob[{name!r}] has {p.size} values, y_true {y.size}")
        if np.any((p < 0) | (p > 1)) or not np.isfinite(p).all():
            raise ValueError(f"{f}: y_prob[{name!r}] must be probabilities in [0, 1]")
        if strategy == "quantile":
            edges = np.quantile(p, np.linspace(0, 1, n_bins + 1))
        else:
            edges = np.linspace(0.0, 1.0, n_bins + 1)
        index = np.searchsorted(edges[1:-1], p, side="right")  # sklearn's binning
        totals = np.bincount(index, minlength=len(edges))
        present = totals > 0
        observed = np.bincount(index, weights=y, minlength=len(edges))[present] / totals[present]
        predicted = np.bincount(index, weights=p, minlength=len(edges))[present] / totals[present]
        brier = float(np.mean((p - y) ** 2))
        ax.plot(predicted, observed, color=colour, linestyle=style, marker="o", markersize=4,
                label=f"{name} (Brier {brier:.3f})")
        histogram.hist(p, bins=np.linspace(0, 1, 21), color=colour, alpha=0.35, histtype="stepfilled")
    histogram.set_yticks([])
    histogram.patch.set_alpha(0)
    histogram.tick_params(labelbottom=False)
    for side in ("top", "right", "left"):
        histogram.spines[side].set_visible(False)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.22, 1.02)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_xlabel("predicted probability")
    ax.set_ylabel("observed fraction of cases")
    ax.legend(loc="upper left", fontsize="x-small")
    if title:
        ax.set_title(title)
    return fig


def bland_altman_plot(a, b, level: float = 0.95, units: str = "", ax=None, title: Optional[str] = None):
    """Bland–Altman plot of a − b against (a + b) / 2: the bias and the limits of agreement with
    their confidence intervals (osteon.stats.bland_altman; Bland & Altman 1999).

    Args:
        a: first measurement (e.g. predicted volume).
        b: second measurement (e.g. true volume), paired with ``a``.
        level: coverage of the limits and confidence of their intervals.
        units: appended to the axis labels (e.g. "mL").
        ax: a matplotlib Axes to draw into.
        title: the Axes' title.

    Returns:
        the matplotlib Figure.

    Raises:
        ValueError: as osteon.stats.bland_altman.

    Example:
        >>> fig = osteon.plots.bland_altman_plot(predicted_ml, true_ml, units="mL")
    """
    f = "bland_altman_plot"
    x, y = _host(a, f, "a"), _host(b, f, "b")
    agreement = _stats.bland_altman(x, y, level=level)
    fig, ax = _figure(ax, (5.2, 4.0))
    mean, difference = (x + y) / 2, x - y
    ax.scatter(mean, difference, s=14, color=_COLOURS[0], alpha=0.8, edgecolor="none")
    suffix = f" ({units})" if units else ""
    for value, low, high, style, name in (
            (agreement.bias, agreement.bias_ci_low, agreement.bias_ci_high, "-", "bias"),
            (agreement.lower_limit, agreement.lower_limit_ci_low, agreement.lower_limit_ci_high, "--", "lower LoA"),
            (agreement.upper_limit, agreement.upper_limit_ci_low, agreement.upper_limit_ci_high, "--", "upper LoA")):
        ax.axhline(value, color="0.15", linestyle=style, linewidth=1.2)
        ax.axhspan(low, high, color="0.5", alpha=0.15, linewidth=0)
        ax.annotate(f"{name} {value:.3g}", xy=(1.0, value), xycoords=("axes fraction", "data"), xytext=(-4, 3),
                    textcoords="offset points", ha="right", fontsize="x-small")
    ax.axhline(0, color="0.6", linestyle=":", linewidth=1)
    ax.set_xlabel(f"mean of the two{suffix}")
    ax.set_ylabel(f"difference{suffix}")
    ax.set_title(title or f"Bland–Altman (n = {agreement.n}, {100 * level:g} % limits)", fontsize="medium")
    return fig


def volume_plot(predicted, truth, units: str = "mL", ax=None, title: Optional[str] = None):
    """Predicted against true volume with the identity line, the least-squares line, and R² and
    the slope's p-value (osteon.stats.linear_regression of predicted on true).

    Args:
        predicted: predicted volume per subject.
        truth: true volume per subject.
        units: the volumes' unit, for the axis labels.
        ax: a matplotlib Axes to draw into.
        title: the Axes' title.

    Returns:
        the matplotlib Figure.

    Raises:
        ValueError: as osteon.stats.linear_regression (n >= 3, neither constant).

    Example:
        >>> fig = osteon.plots.volume_plot(report.volume_prediction[:, 1] / 1000, report.volume_target[:, 1] / 1000)
    """
    f = "volume_plot"
    y, x = _host(predicted, f, "predicted"), _host(truth, f, "truth")
    fit = _stats.linear_regression(x, y)
    fig, ax = _figure(ax, (4.5, 4.5))
    low, high = float(min(x.min(), y.min())), float(max(x.max(), y.max()))
    pad = 0.05 * (high - low or 1.0)
    line = np.array([low - pad, high + pad])
    ax.plot(line, line, color="0.6", linestyle=":", linewidth=1, label="identity")
    ax.scatter(x, y, s=16, color=_COLOURS[0], alpha=0.8, edgecolor="none")
    ax.plot(line, fit.intercept + fit.slope * line, color=_COLOURS[1], linestyle="--", linewidth=1.5,
            label=f"y = {fit.intercept:.3g} + {fit.slope:.3g} x\nR² = {fit.r2:.3f}, {_p_text(fit.p_value)}")
    ax.set_xlim(line)
    ax.set_ylim(line)
    ax.set_aspect("equal")
    ax.set_xlabel(f"true volume ({units})")
    ax.set_ylabel(f"predicted volume ({units})")
    ax.legend(loc="upper left", fontsize="x-small")
    if title:
        ax.set_title(title)
    return fig


def read_metrics_log(log) -> Dict[str, np.ndarray]:
    """Columns of a training metrics log: a CSV file (header row), a JSON-lines file (one object per
    epoch), a pandas DataFrame, a list of dicts or a dict of columns.

    Args:
        log: the log or its path.

    Returns:
        dict of numpy float columns; ``epoch`` is always present (0, 1, ... when the log has none).

    Raises:
        ValueError: an empty log, or a file that is neither CSV nor JSON lines.

    Example:
        >>> columns = osteon.plots.read_metrics_log("runs/fold0/metrics.jsonl")
    """
    f = "read_metrics_log"
    rows: Optional[List[Mapping[str, Any]]] = None
    if isinstance(log, (str, os.PathLike)):
        path = os.fspath(log)
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
        stripped = text.lstrip()
        if stripped.startswith("{"):
            try:
                rows = [json.loads(line) for line in text.splitlines() if line.strip()]
            except json.JSONDecodeError as error:
                raise ValueError(f"{f}: {path} is not JSON lines ({error})") from None
        else:
            import csv
            import io

            rows = list(csv.DictReader(io.StringIO(text)))
    elif hasattr(log, "to_dict") and hasattr(log, "columns"):  # a pandas DataFrame
        rows = log.to_dict("records")
    elif isinstance(log, Mapping):
        keys = list(log)
        rows = [dict(zip(keys, values)) for values in zip(*(log[k] for k in keys))]
    else:
        rows = list(log)
    if not rows:
        raise ValueError(f"{f}: the log is empty")
    names: List[str] = []
    for row in rows:
        names += [k for k in row if k not in names]

    def number(value):
        try:
            return float(value)
        except (TypeError, ValueError):
            return math.nan

    columns = {name: np.array([number(row.get(name)) for row in rows]) for name in names}
    columns = {k: v for k, v in columns.items() if not np.isnan(v).all()}
    if "epoch" not in columns:
        columns["epoch"] = np.arange(len(rows), dtype=np.float64)
    return columns


def training_curves(log, metrics: Optional[Sequence[str]] = None, ax=None, title: Optional[str] = None):
    """Training curves from a metrics log: the losses (``loss``, ``val_loss``, ``*_loss``) on the
    left, the other metrics (``val_dice``, ``val_auc``, ...) on the right, against ``epoch``.

    Args:
        log: a CSV / JSON-lines path, a DataFrame, a list of dicts or a dict of columns (see
            read_metrics_log); columns ``epoch``, ``loss``, validation metrics...
        metrics: the non-loss columns to draw (default: every numeric column but epoch, step,
            time and learning-rate columns).
        ax: a pair of Axes (losses, metrics) to draw into; a new figure when None.
        title: the figure's title.

    Returns:
        the matplotlib Figure.

    Raises:
        ValueError: as read_metrics_log; a named metric the log does not have.

    Example:
        >>> fig = osteon.plots.training_curves("runs/fold0/metrics.csv")
    """
    import matplotlib.pyplot as plt

    columns = read_metrics_log(log)
    epoch = columns["epoch"]
    skip = {"epoch", "step", "time", "seconds", "lr", "learning_rate", "fold"}
    losses = [k for k in columns if k not in skip and "loss" in k]
    if metrics is None:
        metrics = [k for k in columns if k not in skip and "loss" not in k and not k.startswith("lr")]
    missing = [m for m in metrics if m not in columns]
    if missing:
        raise ValueError(f"training_curves: the log has no column {missing[0]!r} (it has {sorted(columns)})")
    if ax is None:
        fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.4), constrained_layout=True)
    else:
        axes = list(ax)
        fig = axes[0].figure
    for panel, names, label in ((axes[0], losses, "loss"), (axes[1], list(metrics), "metric")):
        for name, (colour, style) in zip(names, _styles()):
            keep = ~np.isnan(columns[name])
            panel.plot(epoch[keep], columns[name][keep], color=colour, linestyle=style, marker="o", markersize=3,
                       linewidth=1.5, label=name)
            if "loss" not in name and keep.any():
                best = int(np.nanargmax(np.where(keep, columns[name], -np.inf)))
                panel.plot(epoch[best], columns[name][best], marker="*", markersize=9, color=colour)
        panel.set_xlabel("epoch")
        panel.set_ylabel(label)
        if names:
            panel.legend(fontsize="x-small")
        panel.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    return fig


def fold_box_plot(folds, metric: str = "Dice", ax=None, title: Optional[str] = None):
    """Per-fold box plots of a per-subject metric with the points, and the mean ± SD across folds
    and pooled (osteon.metrics.fold_table; NaN values are left out and counted).

    Args:
        folds: a mapping fold name -> values, or a sequence of per-fold values.
        metric: the y-axis label.
        ax: a matplotlib Axes to draw into.
        title: the Axes' title (default: the pooled mean ± SD).

    Returns:
        the matplotlib Figure.

    Raises:
        ValueError: a fold that is not 1-D numbers, or no folds.

    Example:
        >>> fig = osteon.plots.fold_box_plot({f"fold {i}": d for i, d in enumerate(dice_per_fold)})
    """
    f = "fold_box_plot"
    if isinstance(folds, Mapping):
        names, values = [str(k) for k in folds], list(folds.values())
    else:
        values = list(folds)
        names = [str(i) for i in range(len(values))]
    if not values:
        raise ValueError(f"{f}: no folds")
    arrays = [_host(v, f, f"folds[{n!r}]") for n, v in zip(names, values)]
    table = _metrics.fold_table(arrays)
    fig, ax = _figure(ax, (max(4.0, 0.7 * len(arrays) + 2), 3.8))
    clean = [a[np.isfinite(a)] for a in arrays]
    ax.boxplot(clean, labels=names, widths=0.55, medianprops=dict(color="black"),
               boxprops=dict(color="0.3"), whiskerprops=dict(color="0.3"), showfliers=False)
    rng = np.random.default_rng(0)
    for i, a in enumerate(clean, start=1):
        ax.scatter(i + rng.uniform(-0.12, 0.12, len(a)), a, s=10, color=_COLOURS[0], alpha=0.7, edgecolor="none",
                   zorder=3)
        ax.scatter([i], [np.mean(a)] if len(a) else [np.nan], marker="D", s=18, color=_COLOURS[1], zorder=4)
    ax.set_ylabel(metric)
    ax.set_xlabel("fold")
    pooled, across = table.pooled, table.across_folds
    ax.set_title(title or f"{metric}: {pooled.mean:.3f} ± {pooled.sd:.3f} pooled, "
                          f"{across.mean:.3f} ± {across.sd:.3f} across folds", fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    return fig


def _volume(value, f, argument) -> np.ndarray:
    array = _convert._array(value)
    array = np.squeeze(np.asarray(array))
    if array.ndim not in (2, 3):
        raise ValueError(f"{f}: {argument} must be a 2-D image or a 3-D volume (after dropping size-1 axes), "
                         f"got shape {array.shape}")
    return array


def slice_viewer(image, mask=None, prediction=None, axis: int = 0, slices: Union[None, int, Sequence[int]] = None,
                 n_slices: int = 3, window: Optional[Tuple[float, float]] = None, ax=None,
                 title: Optional[str] = None):
    """Image (or volume slices) in grey with the true mask outlined solid and the prediction
    dashed, each slice titled with its Dice when both are given.

    Args:
        image: (H, W) image or (D, H, W) volume (size-1 axes such as batch and channel are dropped).
        mask: the true mask, the image's shape (nonzero = foreground).
        prediction: the predicted mask, the image's shape.
        axis: the volume axis to slice along.
        slices: slice indices to show (default: ``n_slices`` evenly spaced through the mask's
            extent, or through the volume without a mask).
        n_slices: how many slices when ``slices`` is None.
        window: (low, high) grey window (default: the 1st and 99th percentiles).
        ax: an Axes (for one 2-D image) to draw into.
        title: the figure's title.

    Returns:
        the matplotlib Figure.

    Raises:
        ValueError: arrays that are not 2-D / 3-D, shapes that differ, slices out of range.

    Example:
        >>> fig = osteon.plots.slice_viewer(ct, mask=femur, prediction=net_mask, n_slices=4)
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    f = "slice_viewer"
    volume = _volume(image, f, "image").astype(np.float64)
    overlays = {}
    for name, value in (("mask", mask), ("prediction", prediction)):
        if value is not None:
            overlay = _volume(value, f, name)
            if overlay.shape != volume.shape:
                raise ValueError(f"{f}: {name} has shape {overlay.shape}, image {volume.shape}")
            overlays[name] = overlay != 0
    if volume.ndim == 2:
        planes = [(None, volume, {k: v for k, v in overlays.items()})]
    else:
        if not -3 <= axis < 3:
            raise ValueError(f"{f}: axis must be 0, 1 or 2 for a volume, got {axis}")
        depth = volume.shape[axis]
        if slices is None:
            reference = overlays.get("mask", overlays.get("prediction"))
            if reference is not None and reference.any():
                present = np.flatnonzero(np.moveaxis(reference, axis, 0).reshape(depth, -1).any(1))
                low, high = present[0], present[-1]
            else:
                low, high = 0, depth - 1
            count = max(1, min(int(n_slices), high - low + 1))
            slices = np.unique(np.round(np.linspace(low, high, count + 2)[1:-1] if count < high - low + 1
                                        else np.arange(low, high + 1)).astype(int))
        elif isinstance(slices, int):
            slices = [slices]
        for index in slices:
            if not 0 <= index < depth:
                raise ValueError(f"{f}: slice {index} is outside 0..{depth - 1} along axis {axis}")
        planes = [(int(i), np.take(volume, i, axis), {k: np.take(v, i, axis) for k, v in overlays.items()})
                  for i in slices]
    low, high = window if window is not None else np.percentile(volume, [1, 99])
    if ax is not None and len(planes) == 1:
        fig, axes = ax.figure, [ax]
    else:
        fig, axes = plt.subplots(1, len(planes), figsize=(3.2 * len(planes), 3.5), squeeze=False,
                                 constrained_layout=True)
        axes = list(axes[0])
    styles = {"mask": ("#009E73", "solid"), "prediction": ("#D55E00", "dashed")}
    for panel, (index, plane, masks) in zip(axes, planes):
        panel.imshow(plane, cmap="gray", vmin=low, vmax=high, interpolation="nearest")
        for name, overlay in masks.items():
            if overlay.any():
                colour, style = styles[name]
                panel.contour(overlay.astype(float), levels=[0.5], colors=[colour], linestyles=[style], linewidths=1.5)
        label = "" if index is None else f"slice {index}"
        if "mask" in masks and "prediction" in masks:
            both = masks["mask"].sum() + masks["prediction"].sum()
            dice = 2 * np.logical_and(masks["mask"], masks["prediction"]).sum() / both if both else math.nan
            label += ("  " if label else "") + f"Dice {dice:.3f}"
        panel.set_title(label, fontsize="small")
        panel.set_xticks([])
        panel.set_yticks([])
    if overlays:
        handles = [Line2D([], [], color=styles[n][0], linestyle=styles[n][1], label=n) for n in overlays]
        axes[-1].legend(handles=handles, loc="lower right", fontsize="x-small", framealpha=0.8)
    if title:
        fig.suptitle(title)
    return fig
