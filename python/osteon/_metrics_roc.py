"""ROC / AUC / DeLong, dispatching torch tensors to the device backend and host arrays to the
double-precision host backend. Both give the same numbers (equal to pROC 1.18 and scikit-learn)."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import torch

from ._C import metrics as _m

__all__ = [
    "AucCi", "DelongTest", "DelongContrastTest",
    "roc_curve", "roc_auc", "auc_variance", "auc_ci", "delong_cov", "delong_placements",
    "delong_test", "delong_test_unpaired", "delong_contrast_test",
]

AucCi = _m.AucCi
DelongTest = _m.DelongTest
DelongContrastTest = _m.DelongContrastTest


def _on_device(*values):
    """If any value is a torch tensor, returns all as tensors on its device; else None."""
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    if not tensors:
        return None
    device = tensors[0].device
    return [v.detach() if isinstance(v, torch.Tensor) else torch.as_tensor(np.asarray(v), device=device)
            for v in values]


def _host(value) -> np.ndarray:
    """A host float64 array; tensors are copied to the host (used only where documented)."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if np.iscomplexobj(value) or (not isinstance(value, np.ndarray) and np.iscomplexobj(np.asarray(value))):
        raise ValueError("host array must be real, got complex values (the imaginary part would be dropped; "
                         "pass .real or abs() explicitly)")
    return np.asarray(value, dtype=np.float64)


def roc_curve(y_true, y_score, direction: str = "<", thresholds: str = "midpoint",
              drop_intermediate: bool = False) -> dict:
    """ROC curve points.

    Args:
        y_true: 0/1 labels (1 = case), shape (N,). numpy, list or torch tensor.
        y_score: scores, shape (N,). Tensors are copied to the host (the curve has a
            data-dependent length).
        direction: "<" (higher score = case, default) or ">"; never guessed.
        thresholds: "midpoint" (pROC: -inf, midpoints between distinct scores, +inf) or
            "sklearn" (the distinct scores, decreasing, after +inf).
        drop_intermediate: sklearn's option, with thresholds="sklearn".

    Returns:
        dict of numpy arrays: thresholds, sensitivity (= tpr), specificity, fpr, tpr,
        true_positives, false_positives; and n_cases, n_controls.

    Example:
        >>> c = osteon.metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> c["thresholds"]
        array([ -inf, 0.225, 0.375, 0.6  ,   inf])
    """
    return _m.roc_curve(_host(y_true), _host(y_score), direction, thresholds, drop_intermediate)


def roc_auc(y_true, y_score, direction: str = "<", validate: bool = True):
    """Area under the ROC curve (Mann-Whitney; ties count 1/2).

    Args:
        y_true: 0/1 labels, shape (N,).
        y_score: scores (N,), or (K, N) for K predictors when a tensor.
        direction: "<" (default) or ">".
        validate: tensors only; False skips the label/finiteness check and its one host sync.

    Returns:
        float for host input; a float64 tensor on the input's device for tensor input
        (0-dim, or (K,)).

    Example:
        >>> osteon.metrics.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.75
    """
    tensors = _on_device(y_true, y_score)
    if tensors:
        return _m.roc_auc_tensor(*tensors, direction, validate)
    return _m.roc_auc(_host(y_true), _host(y_score), direction)


def auc_variance(y_true, y_score, direction: str = "<"):
    """DeLong variance of the AUC (pROC's var(roc, method="delong")).

    Returns a float for host input, a float64 tensor on the input's device for tensors.

    Example:
        >>> osteon.metrics.auc_variance(y, s100b)   # aSAH: 0.0026687
    """
    tensors = _on_device(y_true, y_score)
    if tensors:
        return _m.auc_variance_tensor(*tensors, direction)
    return _m.auc_variance(_host(y_true), _host(y_score), direction)


def delong_cov(y_true, y_scores, direction: str = "<"):
    """DeLong covariance matrix (K, K) of K predictors on the same samples.

    Args:
        y_true: 0/1 labels (N,).
        y_scores: (K, N) scores, one row per predictor.

    Returns:
        numpy (K, K) for host input; float64 tensor on the input's device for tensors.

    Example:
        >>> osteon.metrics.delong_cov(y, np.stack([model_a, model_b]))
    """
    tensors = _on_device(y_true, y_scores)
    if tensors:
        return _m.delong_cov_tensor(*tensors, direction)
    return _m.delong_cov(_host(y_true), _host(y_scores), direction)


def delong_placements(y_true, y_score, direction: str = "<"):
    """DeLong structural components: (auc, case placements V10, control placements V01)."""
    return _m.delong_placements(_host(y_true), _host(y_score), direction)


def auc_ci(y_true, y_score, level: float = 0.95, method: str = "delong", n_boot: int = 2000,
           seed: int = 0, direction: str = "<") -> AucCi:
    """Confidence interval of the AUC.

    Args:
        level: confidence level in (0, 1).
        method: "delong" (Wald interval with DeLong's variance, clamped to [0, 1], as pROC's
            ci.auc) or "bootstrap" (stratified percentile bootstrap, seeded; tensors are copied
            to the host for it).
        n_boot, seed: bootstrap replicates and seed.

    Returns:
        AucCi with auc, ci_low, ci_high, level, method; iterates as (low, auc, high).

    Example:
        >>> osteon.metrics.auc_ci(y, s100b)
        AucCi(auc=0.7313685636856369, ci_low=0.6301182117616226, ci_high=0.8326189156096511, ...)
    """
    tensors = _on_device(y_true, y_score)
    if tensors and method == "delong":
        return _m.auc_ci_tensor(*tensors, level, direction)
    return _m.auc_ci(_host(y_true), _host(y_score), level, method, n_boot, seed, direction)


def delong_test(y_true, score_a, score_b, direction: str = "<", alternative: str = "two.sided",
                level: float = 0.95) -> DelongTest:
    """Paired DeLong test of two predictors on the same cases (pROC's roc.test, paired).

    Args:
        y_true: 0/1 labels (N,).
        score_a, score_b: the two predictors' scores (N,).
        alternative: "two.sided", "less" or "greater" (for auc_a - auc_b).
        level: level of the interval of auc_a - auc_b.

    Returns:
        DelongTest: auc_a, auc_b, statistic (Z), p_value, df (nan), ci_low, ci_high.

    Example:
        >>> t = osteon.metrics.delong_test(y, wfns, s100b)   # aSAH: Z = 2.209, p = 0.0272
    """
    tensors = _on_device(y_true, score_a, score_b)
    if tensors:
        return _m.delong_test_tensor(*tensors, direction, alternative, level)
    return _m.delong_test(_host(y_true), _host(score_a), _host(score_b), direction, alternative, level)


def delong_test_unpaired(y_a, score_a, y_b, score_b, direction: str = "<",
                         alternative: str = "two.sided", level: float = 0.95) -> DelongTest:
    """Unpaired DeLong test of two ROC curves on different samples (pROC's roc.test, unpaired):
    statistic D with Welch-Satterthwaite df; osteon adds the Welch interval of auc_a - auc_b.

    Example:
        >>> osteon.metrics.delong_test_unpaired(y_internal, s_internal, y_external, s_external)
    """
    tensors = _on_device(y_a, score_a, y_b, score_b)
    if tensors:
        return _m.delong_test_unpaired_tensor(*tensors, direction, alternative, level)
    return _m.delong_test_unpaired(_host(y_a), _host(score_a), _host(y_b), _host(score_b), direction,
                                   alternative, level)


def delong_contrast_test(y_true, y_scores, contrast: Optional[Sequence[Sequence[float]]] = None,
                         direction: str = "<") -> DelongContrastTest:
    """Chi-square test of a contrast of K correlated AUCs (DeLong 1988); by default H0: all equal.

    Example:
        >>> osteon.metrics.delong_contrast_test(y, np.stack([ap, frog, ap_frog])).p_value
    """
    matrix = None if contrast is None else np.asarray(contrast, dtype=np.float64)
    return _m.delong_contrast_test(_host(y_true), _host(y_scores), matrix, direction)
