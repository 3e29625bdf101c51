"""Plots for a results section: ROC curves with DeLong AUC intervals in the legend and bootstrap
confidence bands of sensitivity (pROC's ci.se, stratified bootstrap), from host arrays or tensors.

Needs matplotlib (Debian: python3-matplotlib); imported lazily so `import osteon` does not need it.
"""
from __future__ import annotations

from typing import Mapping, Optional, Sequence, Union

import numpy as np

from . import metrics as _metrics
from ._metrics_roc import _host

__all__ = ["sensitivity_band", "roc_plot"]

ScoreSets = Union[Sequence[float], np.ndarray, Mapping[str, Sequence[float]]]


def _sensitivity_at(curve: dict, specificities: np.ndarray) -> np.ndarray:
    """Highest sensitivity reached at specificity >= each requested value (a step ROC curve)."""
    sp, se = curve["specificity"], curve["sensitivity"]
    order = np.argsort(sp, kind="stable")
    sp, se = sp[order], se[order]
    best_from_here = np.maximum.accumulate(se[::-1])[::-1]  # max se over points with sp >= sp[k]
    index = np.searchsorted(sp, specificities, side="left")
    out = np.zeros_like(specificities)
    inside = index < len(sp)
    out[inside] = best_from_here[index[inside]]
    return out


def sensitivity_band(y_true, y_score, specificities=None, level: float = 0.95, n_boot: int = 500,
                     seed: int = 0, direction: str = "<"):
    """Bootstrap confidence band of sensitivity at fixed specificities (pROC's ci.se).

    Cases and controls are resampled separately (stratified), as pROC does by default, with numpy's
    generator seeded by `seed` (a figure; the library's own AUC bootstrap is `metrics.auc_ci`).

    Args:
        y_true: 0/1 labels. y_score: scores. specificities: grid (default 0..1 in 101 steps).
        level: confidence level. n_boot: replicates. seed: numpy seed of the resampling.

    Returns:
        (specificities, lower, median, upper) numpy arrays.

    Example:
        >>> sp, lo, mid, hi = osteon.plots.sensitivity_band(y, p_ap, n_boot=200)
    """
    _metrics.roc_auc(y_true, y_score, direction=direction)  # validates labels, scores and lengths
    y = _host(y_true)
    s = _host(y_score)
    if specificities is None:
        specificities = np.linspace(0.0, 1.0, 101)
    specificities = np.asarray(specificities, dtype=np.float64)
    if not 0.0 < level < 1.0:
        raise ValueError(f"sensitivity_band: level must be in (0, 1), got {level}")
    if n_boot < 1:
        raise ValueError(f"sensitivity_band: n_boot must be >= 1, got {n_boot}")
    cases, controls = s[y == 1], s[y == 0]
    rng = np.random.default_rng(seed)
    labels = np.r_[np.ones(len(cases)), np.zeros(len(controls))]
    draws = np.empty((n_boot, len(specificities)))
    for b in range(n_boot):
        resample = np.r_[rng.choice(cases, len(cases)), rng.choice(controls, len(controls))]
        draws[b] = _sensitivity_at(_metrics.roc_curve(labels, resample, direction=direction), specificities)
    alpha = (1.0 - level) / 2.0
    lower, median, upper = np.quantile(draws, [alpha, 0.5, 1.0 - alpha], axis=0)
    return specificities, lower, median, upper


def roc_plot(y_true, scores: ScoreSets, ci: bool = True, level: float = 0.95, n_boot: int = 500,
             seed: int = 0, direction: str = "<", ax=None, title: Optional[str] = None):
    """ROC curves (1 - specificity on x) with the DeLong AUC CI in the legend and, with `ci`, a
    bootstrap band of sensitivity.

    Args:
        y_true: 0/1 labels shared by every predictor.
        scores: one score array, or a mapping name -> scores for several models.
        ci: draw the bootstrap sensitivity band.
        ax: a matplotlib Axes (a new figure when None).

    Returns:
        The matplotlib Axes.

    Example:
        >>> ax = osteon.plots.roc_plot(y, {"AP": p_ap, "frog-leg": p_frog, "AP + frog": p_both})
        >>> ax.figure.savefig("roc.png", dpi=200)
    """
    import matplotlib.pyplot as plt

    if not isinstance(scores, Mapping):
        scores = {"model": scores}
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    for name, s in scores.items():
        curve = _metrics.roc_curve(y_true, s, direction=direction)
        auc = _metrics.auc_ci(y_true, s, level=level, direction=direction)
        label = f"{name}: AUC {auc.auc:.3f} [{auc.ci_low:.3f}, {auc.ci_high:.3f}]"
        order = np.argsort(curve["fpr"], kind="stable")
        line, = ax.step(curve["fpr"][order], curve["sensitivity"][order], where="post", label=label)
        if ci:
            sp, lower, _, upper = sensitivity_band(y_true, s, level=level, n_boot=n_boot, seed=seed,
                                                   direction=direction)
            ax.fill_between(1.0 - sp, lower, upper, color=line.get_color(), alpha=0.18, linewidth=0, step=None)
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", linewidth=1)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.set_xlabel("1 - specificity")
    ax.set_ylabel("sensitivity")
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize="small")
    if title:
        ax.set_title(title)
    return ax
