"""Segmentation metrics (osteon.metrics): Dice, IoU, sensitivity, specificity, precision, volumes,
surface distances (Hausdorff, HD95, ASSD, surface Dice), the exact distance transform, and the
aggregation of per-subject values over folds and cohorts. See docs/segmentation.md.

Every mask metric takes ``(B, C, spatial...)`` tensors — one-hot masks (bool or 0/1 integers),
probabilities (floating; foreground where ``value > threshold``, or the ``argmax`` over C), or
label maps ``(B, 1, spatial...)`` with ``num_classes`` — and returns a ``(B, C)`` float64 tensor on
the inputs' device. What a 0/0 becomes is the ``empty`` policy (docs/segmentation.md has the full table):

* ``"nan"`` (default): undefined stays NaN — both masks empty gives NaN Dice and NaN distances;
* ``"perfect"``: 0/0 takes the best value — both empty gives Dice 1 and distances 0;
* ``"nan_when_target_empty"``: also NaN whenever the target is empty (MONAI's ``ignore_empty=True``).

Defined cases keep their value under every policy: false positives on an empty target give Dice 0,
an empty prediction gives Dice 0, and one empty surface gives Hausdorff, HD95 and ASSD = +inf
(``one_side_empty="diagonal"`` caps them at the image diagonal), never NaN.
"""
import math

import numpy as np
import torch

from . import _C
from ._metrics_roc import _host  # summaries run on the host: tensors are copied there

_m = _C.metrics

__all__ = [
    "dice", "iou", "sensitivity", "specificity", "precision", "confusion_counts", "segmentation_report",
    "volume", "hausdorff", "hausdorff95", "average_surface_distance", "assd", "surface_dice",
    "surface_distances", "distance_transform_edt", "reduce_metric", "summarize", "fold_table",
    "volume_agreement",
]


def _spacing(spacing, spatial_dims):
    if spacing is None:
        return []
    if isinstance(spacing, (int, float)):
        return [float(spacing)] * spatial_dims
    return [float(s) for s in spacing]


def _mask_options(prediction, num_classes, threshold, argmax, include_background):
    if not isinstance(prediction, torch.Tensor):
        raise ValueError(f"prediction must be a torch.Tensor (B, C, spatial...), got {type(prediction).__name__}")
    return dict(num_classes=0 if num_classes is None else int(num_classes), threshold=float(threshold),
                argmax=bool(argmax), include_background=bool(include_background))


def _overlap(metric, prediction, target, num_classes, threshold, argmax, include_background, empty):
    options = _mask_options(prediction, num_classes, threshold, argmax, include_background)
    return _m._seg_overlap(metric, prediction, target, empty=empty, **options)


def dice(prediction, target, *, num_classes=None, threshold=0.5, argmax=False, include_background=True,
         empty="nan"):
    """Dice 2TP / (2TP + FP + FN) per sample and class.

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        num_classes: set for label maps (one channel of class indices).
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: probabilities become the one-hot of their argmax over C (softmax outputs).
        include_background: False drops channel 0.
        empty: "nan" (default), "perfect" or "nan_when_target_empty" (see the module docstring).

    Returns:
        (B, C) float64 tensor on the inputs' device.

    Example:
        >>> t = torch.zeros(1, 1, 4, 4, dtype=torch.bool); t[0, 0, :2] = True
        >>> p = torch.zeros_like(t); p[0, 0, 1:3] = True
        >>> osteon.metrics.dice(p, t)
        tensor([[0.5000]], dtype=torch.float64)
    """
    return _overlap("dice", prediction, target, num_classes, threshold, argmax, include_background, empty)


def iou(prediction, target, *, num_classes=None, threshold=0.5, argmax=False, include_background=True,
        empty="nan"):
    """IoU (Jaccard) TP / (TP + FP + FN) per sample and class; arguments as :func:`dice`.

    Example:
        >>> osteon.metrics.iou(p, t)  # tensor([[0.3333]], dtype=torch.float64)
    """
    return _overlap("iou", prediction, target, num_classes, threshold, argmax, include_background, empty)


def sensitivity(prediction, target, *, num_classes=None, threshold=0.5, argmax=False, include_background=True,
                empty="nan"):
    """Sensitivity TP / (TP + FN); 0/0 (empty target) follows ``empty``. Arguments as :func:`dice`.

    Example:
        >>> osteon.metrics.sensitivity(p, t)  # tensor([[0.5000]], dtype=torch.float64)
    """
    return _overlap("sensitivity", prediction, target, num_classes, threshold, argmax, include_background, empty)


def specificity(prediction, target, *, num_classes=None, threshold=0.5, argmax=False, include_background=True,
                empty="nan"):
    """Specificity TN / (TN + FP); defined for an empty target. Arguments as :func:`dice`.

    Example:
        >>> osteon.metrics.specificity(p, t)  # tensor([[0.5000]], dtype=torch.float64)
    """
    return _overlap("specificity", prediction, target, num_classes, threshold, argmax, include_background, empty)


def precision(prediction, target, *, num_classes=None, threshold=0.5, argmax=False, include_background=True,
              empty="nan"):
    """Precision TP / (TP + FP); 0/0 (empty prediction) follows ``empty``. Arguments as :func:`dice`.

    Example:
        >>> osteon.metrics.precision(p, t)  # tensor([[0.5000]], dtype=torch.float64)
    """
    return _overlap("precision", prediction, target, num_classes, threshold, argmax, include_background, empty)


def segmentation_report(prediction, target, *, spacing=None, num_classes=None, threshold=0.5, argmax=False,
                        include_background=True, empty="nan"):
    """Every overlap and volume metric from one pass: confusion counts (int64), dice, iou, sensitivity,
    specificity, precision, volume_prediction, volume_target (count × voxel volume), volume_difference
    (pred − target), absolute_volume_difference, relative_volume_difference ((pred − target) / target).

    Args:
        spacing: voxel spacing per spatial axis (or one number); None means 1.
        others: as :func:`dice`.

    Returns:
        dict of (B, C) tensors on the inputs' device.

    Example:
        >>> r = osteon.metrics.segmentation_report(logits.softmax(1), labels, num_classes=2, argmax=True,
        ...                                        include_background=False, spacing=(0.74, 0.74, 1.0))
        >>> r["dice"], r["sensitivity"], r["volume_prediction"]
    """
    options = _mask_options(prediction, num_classes, threshold, argmax, include_background)
    return _m._seg_report(prediction, target, empty=empty, spacing=_spacing(spacing, prediction.dim() - 2), **options)


def confusion_counts(prediction, target, **kwargs):
    """(TP, FP, FN, TN), each a (B, C) int64 tensor; keyword arguments as :func:`dice`.

    Example:
        >>> tp, fp, fn, tn = osteon.metrics.confusion_counts(p, t)
    """
    r = segmentation_report(prediction, target, **kwargs)
    return r["true_positives"], r["false_positives"], r["false_negatives"], r["true_negatives"]


def volume(mask, *, spacing=None, num_classes=None, threshold=0.5, argmax=False, include_background=True):
    """Foreground voxel count × voxel volume, (B, C) float64.

    Example:
        >>> ml = osteon.metrics.volume(mask, spacing=(0.5, 0.5, 1.0)) / 1000
    """
    options = _mask_options(mask, num_classes, threshold, argmax, include_background)
    return _m._seg_volume(mask, spacing=_spacing(spacing, mask.dim() - 2), **options)


def _surface(prediction, target, with_percentile, spacing, percentile, tolerance, num_classes, threshold, argmax,
             include_background, empty, one_side_empty, method, dtype):
    options = _mask_options(prediction, num_classes, threshold, argmax, include_background)
    names = {torch.float64: "float64", torch.float32: "float32"}
    if dtype not in names:
        raise ValueError(f"dtype must be torch.float64 or torch.float32, got {dtype}")
    return _m._seg_surface(prediction, target, empty=empty, spacing=_spacing(spacing, prediction.dim() - 2),
                           percentile=float(percentile), tolerance=float(tolerance), one_side_empty=one_side_empty,
                           method=method, dtype=names[dtype], with_percentile=with_percentile, **options)


def surface_distances(prediction, target, *, spacing=None, percentile=95.0, tolerance=1.0, num_classes=None,
                      threshold=0.5, argmax=False, include_background=True, empty="nan", one_side_empty="inf",
                      method="auto", dtype=torch.float64):
    """Every surface metric from one distance transform.

    Surfaces are the voxels with a face neighbour outside the mask or the image; distances are exact
    Euclidean distances between voxel centres in spacing units (MONAI's convention without sub-voxels).

    Args:
        spacing: voxel spacing per spatial axis (or one number).
        percentile: p of ``hausdorff_percentile`` (max of the two directed p-th percentiles, numpy's
            linear interpolation).
        tolerance: surface Dice tolerance, in spacing units.
        one_side_empty: "inf" (default) or "diagonal" (the image diagonal) when one mask is empty.
        method: distance transform, "auto" (lower envelope on CPU, brute force elsewhere),
            "lower_envelope" (CPU) or "brute_force" (any device).
        dtype: torch.float64 (default) or torch.float32 for the distances.
        others: as :func:`dice`.

    Returns:
        dict of (B, C) tensors: hausdorff, hausdorff_percentile, average_surface_distance, surface_dice,
        surface_voxels_prediction, surface_voxels_target.

    Example:
        >>> s = osteon.metrics.surface_distances(pred, target, spacing=(0.7, 0.7, 1.25), tolerance=1.0)
        >>> s["hausdorff_percentile"]  # HD95 in mm
    """
    return _surface(prediction, target, True, spacing, percentile, tolerance, num_classes, threshold, argmax,
                    include_background, empty, one_side_empty, method, dtype)


def hausdorff(prediction, target, *, spacing=None, percentile=None, **kwargs):
    """Hausdorff distance per sample and class; with ``percentile`` the percentile Hausdorff distance
    (MONAI's ``compute_hausdorff_distance(percentile=...)`` convention). One empty side gives +inf.

    Example:
        >>> osteon.metrics.hausdorff(pred, target, spacing=(1.0, 1.0, 2.0))
    """
    if percentile is None:
        return _surface_metric("hausdorff", prediction, target, False, spacing, 95.0, kwargs)
    return _surface_metric("hausdorff_percentile", prediction, target, True, spacing, percentile, kwargs)


def hausdorff95(prediction, target, *, spacing=None, **kwargs):
    """HD95: the larger of the two directed 95th percentiles of surface distances, (B, C).

    Example:
        >>> osteon.metrics.hausdorff95(pred, target, spacing=(0.8, 0.8, 1.0), include_background=False)
    """
    return hausdorff(prediction, target, spacing=spacing, percentile=95.0, **kwargs)


def average_surface_distance(prediction, target, *, spacing=None, **kwargs):
    """Average symmetric surface distance (ASSD), (B, C); keyword arguments as :func:`surface_distances`.

    Example:
        >>> osteon.metrics.average_surface_distance(pred, target, spacing=1.0)
    """
    return _surface_metric("average_surface_distance", prediction, target, False, spacing, 95.0, kwargs)


assd = average_surface_distance


def surface_dice(prediction, target, tolerance, *, spacing=None, **kwargs):
    """Surface Dice (normalised surface distance, Nikolov et al. 2021) at ``tolerance`` spacing units.

    Example:
        >>> osteon.metrics.surface_dice(pred, target, 2.0, spacing=(1.0, 1.0, 1.0))
    """
    return _surface_metric("surface_dice", prediction, target, False, spacing, 95.0, dict(kwargs, tolerance=tolerance))


def _surface_metric(name, prediction, target, with_percentile, spacing, percentile, kwargs):
    defaults = dict(tolerance=1.0, num_classes=None, threshold=0.5, argmax=False, include_background=True,
                    empty="nan", one_side_empty="inf", method="auto", dtype=torch.float64)
    unknown = set(kwargs) - set(defaults)
    if unknown:
        raise TypeError(f"{name}: unexpected keyword arguments {sorted(unknown)}")
    defaults.update(kwargs)
    return _surface(prediction, target, with_percentile, spacing, percentile, **defaults)[name]


def distance_transform_edt(input, sampling=None, *, method="auto", dtype=torch.float64):
    """Exact Euclidean distance of every element to the nearest zero element, as
    ``scipy.ndimage.distance_transform_edt(input, sampling)``, on the tensor's device.

    Args:
        input: tensor; its trailing ``len(sampling)`` axes are spatial, leading axes batch axes
            (all axes spatial when ``sampling`` is None).
        sampling: spacing per spatial axis.
        method: "auto", "lower_envelope" (CPU; Felzenszwalb & Huttenlocher 2012) or "brute_force".
        dtype: torch.float64 or torch.float32.

    Returns:
        tensor of ``input``'s shape; +inf for a batch item without any zero.

    Example:
        >>> d = osteon.metrics.distance_transform_edt(mask, sampling=(0.8, 0.8, 2.0))
    """
    names = {torch.float64: "float64", torch.float32: "float32"}
    if dtype not in names:
        raise ValueError(f"dtype must be torch.float64 or torch.float32, got {dtype}")
    spacing = [] if sampling is None else _spacing(sampling, input.dim())
    return _m._seg_distance_transform_edt(input, spacing, method, names[dtype])


def reduce_metric(scores, reduction="mean"):
    """NaN-aware reduction of a (B, C) metric tensor on its device; an all-NaN class stays NaN.

    Args:
        scores: (B, C) floating tensor.
        reduction: "mean", "sum", "mean_batch", "sum_batch", "mean_channel", "sum_channel" or "none".

    Returns:
        (value, n_valid, n_nan): the reduction and how many values were / were not defined.

    Example:
        >>> per_class, n_valid, n_nan = osteon.metrics.reduce_metric(dice_bc, "mean_batch")
    """
    return _m._seg_reduce(scores, reduction)


def _host_values(values, name):
    array = _host(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {array.shape}")
    return array.tolist()


def summarize(values, ddof=1):
    """NaN-aware mean ± SD (explicit ``ddof``), median [Q1, Q3], min, max, and counts of NaN / inf.

    Args:
        values: 1-D per-subject metric values (list, numpy array or tensor).
        ddof: delta degrees of freedom of the SD (1 = sample SD; numpy's np.std uses 0).

    Returns:
        dict with n, n_nan, n_infinite, ddof, mean, sd, median, q1, q3, min, max.

    Example:
        >>> osteon.metrics.summarize([0.91, float("nan"), 0.93, 0.95])["mean"]
        0.93
    """
    return _m._seg_summarize(_host_values(values, "values"), int(ddof))


def fold_table(folds, ddof=1):
    """Per-fold summaries, the pooled summary, and the summary across fold means.

    Args:
        folds: sequence of 1-D per-subject values, one per fold (or cohort).
        ddof: as :func:`summarize`.

    Returns:
        dict with "folds" (list of summaries), "pooled" and "across_folds".

    Example:
        >>> t = osteon.metrics.fold_table([dice_fold0, dice_fold1, dice_fold2])
        >>> "%.2f %% ± %.2f %%" % (100 * t["across_folds"]["mean"], 100 * t["across_folds"]["sd"])
    """
    return _m._seg_fold_table([_host_values(f, f"folds[{i}]") for i, f in enumerate(folds)], int(ddof))


def volume_agreement(predicted, truth, level=0.95):
    """Agreement of predicted with true volumes across subjects: the regression of predicted on true
    (r2, p_value of the slope, slope, intercept) and the Bland–Altman bias and limits of agreement of
    predicted − true with their confidence intervals (osteon.stats.linear_regression / bland_altman).

    Args:
        predicted, truth: 1-D per-subject volumes (e.g. ``volume(...)[:, c]``), n >= 3.
        level: coverage of the limits of agreement and confidence of their intervals.

    Returns:
        dict with n, r2, r, p_value, slope, intercept, bias, sd_difference, lower_limit, upper_limit,
        bias_ci, lower_limit_ci, upper_limit_ci, level.

    Example:
        >>> a = osteon.metrics.volume_agreement(r["volume_prediction"][:, 0], r["volume_target"][:, 0])
        >>> a["r2"], a["p_value"], a["bias"]
    """
    if not (isinstance(level, (int, float)) and 0 < level < 1 and not math.isnan(level)):
        raise ValueError(f"volume_agreement: level must be in (0, 1), got {level}")
    return _m._seg_volume_agreement(_host_values(predicted, "predicted"), _host_values(truth, "truth"), float(level))
