"""Segmentation metrics (osteon.metrics): Dice, IoU, voxel sensitivity / specificity / precision, volumes,
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

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch

from . import _convert
from ._C import metrics as _m
from ._results import Result

__all__ = [
    "SegmentationReport", "SurfaceDistances", "VoxelCounts", "ReducedMetric", "Summary", "FoldTable",
    "VolumeAgreement",
    "dice", "iou", "voxel_sensitivity", "voxel_specificity", "voxel_precision", "voxel_confusion_counts",
    "segmentation_report", "volume", "hausdorff", "hausdorff95", "average_surface_distance", "assd",
    "surface_dice", "surface_distances", "distance_transform_edt", "reduce_metric", "summarize", "fold_table",
    "volume_agreement",
    # deprecated aliases (one release): the mask metrics under their 0.1 names
    "sensitivity", "specificity", "precision", "confusion_counts",
]

_D = _m._segmentation_defaults  # read from the C++ SegmentationOptions / SurfaceDistanceOptions
Spacing = Union[None, float, Sequence[float]]


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class VoxelCounts(Result):
    """Voxel confusion counts, each a (B, C) int64 tensor on the inputs' device; unpacks as
    (true_positives, false_positives, false_negatives, true_negatives)."""

    true_positives: torch.Tensor
    false_positives: torch.Tensor
    false_negatives: torch.Tensor
    true_negatives: torch.Tensor

    def __iter__(self):
        return iter((self.true_positives, self.false_positives, self.false_negatives, self.true_negatives))


def _long_frame(record_, names):
    """One row per (sample, class) of (B, C) tensors (copied to the host)."""
    import pandas as pd

    first = getattr(record_, names[0])
    b, c = first.shape
    columns = {"sample": np.repeat(np.arange(b), c), "class": np.tile(np.arange(c), b)}
    for name in names:
        value = getattr(record_, name)
        if value is not None:
            columns[name] = value.detach().cpu().reshape(-1).numpy()
    return pd.DataFrame(columns)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class SegmentationReport(Result):
    """Every overlap and volume metric from one pass, each a (B, C) tensor on the inputs' device."""

    true_positives: torch.Tensor
    false_positives: torch.Tensor
    false_negatives: torch.Tensor
    true_negatives: torch.Tensor
    dice: torch.Tensor
    iou: torch.Tensor
    sensitivity: torch.Tensor
    specificity: torch.Tensor
    precision: torch.Tensor
    volume_prediction: torch.Tensor
    volume_target: torch.Tensor
    volume_difference: torch.Tensor
    absolute_volume_difference: torch.Tensor
    relative_volume_difference: torch.Tensor

    def to_frame(self):
        """One row per (sample, class) with every metric (copied to the host)."""
        return _long_frame(self, self._field_names())


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class SurfaceDistances(Result):
    """Every surface metric from one distance transform, (B, C) tensors on the inputs' device."""

    hausdorff: torch.Tensor
    hausdorff_percentile: Optional[torch.Tensor]
    average_surface_distance: torch.Tensor
    surface_dice: torch.Tensor
    surface_voxels_prediction: torch.Tensor
    surface_voxels_target: torch.Tensor

    def to_frame(self):
        """One row per (sample, class) with every metric (copied to the host)."""
        return _long_frame(self, self._field_names())


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ReducedMetric(Result):
    """A NaN-aware reduction of a (B, C) metric; unpacks as (value, n_valid, n_nan)."""

    value: torch.Tensor
    n_valid: torch.Tensor
    n_nan: torch.Tensor

    def __iter__(self):
        return iter((self.value, self.n_valid, self.n_nan))


@dataclasses.dataclass(frozen=True, repr=False)
class Summary(Result):
    """NaN-aware summary of per-subject values: mean ± SD, median [Q1, Q3], range, counts."""

    n: int
    n_nan: int
    n_infinite: int
    ddof: int
    mean: float
    sd: float
    median: float
    q1: float
    q3: float
    min: float
    max: float

    def __str__(self) -> str:
        return f"{self.mean:.4g} ± {self.sd:.4g} (n = {self.n})"


@dataclasses.dataclass(frozen=True, repr=False)
class FoldTable(Result):
    """Per-fold summaries, the pooled summary and the summary across fold means."""

    folds: Tuple[Summary, ...]
    pooled: Summary
    across_folds: Summary

    def to_frame(self):
        """One row per fold, then "pooled" and "across folds"."""
        import pandas as pd

        rows = [dict(fold=str(i), **s.to_dict()) for i, s in enumerate(self.folds)]
        rows += [dict(fold="pooled", **self.pooled.to_dict()), dict(fold="across folds", **self.across_folds.to_dict())]
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        frame = self.to_frame()[["fold", "n", "mean", "sd", "median", "q1", "q3"]]
        return f"FoldTable\n{frame.to_string(index=False)}"


@dataclasses.dataclass(frozen=True, repr=False)
class VolumeAgreement(Result):
    """Agreement of predicted with true volumes: regression of predicted on true and Bland–Altman."""

    n: int
    r2: float
    r: float
    p_value: float
    slope: float
    intercept: float
    bias: float
    sd_difference: float
    lower_limit: float
    upper_limit: float
    bias_ci: Tuple[float, float]
    lower_limit_ci: Tuple[float, float]
    upper_limit_ci: Tuple[float, float]
    level: float


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


def dice(prediction: torch.Tensor, target: torch.Tensor, *, num_classes: Optional[int] = None,
         threshold: float = _D["threshold"], argmax: bool = _D["argmax"],
         include_background: bool = _D["include_background"], empty: str = _D["empty"]) -> torch.Tensor:
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

    Raises:
        ValueError: prediction not a tensor, an unknown option.
        RuntimeError: shapes that do not fit (TORCH_CHECK).

    Example:
        >>> t = torch.zeros(1, 1, 4, 4, dtype=torch.bool); t[0, 0, :2] = True
        >>> p = torch.zeros_like(t); p[0, 0, 1:3] = True
        >>> osteon.metrics.dice(p, t)
        tensor([[0.5000]], dtype=torch.float64)
    """
    return _overlap("dice", prediction, target, num_classes, threshold, argmax, include_background, empty)


def iou(prediction: torch.Tensor, target: torch.Tensor, *, num_classes: Optional[int] = None,
        threshold: float = _D["threshold"], argmax: bool = _D["argmax"],
        include_background: bool = _D["include_background"], empty: str = _D["empty"]) -> torch.Tensor:
    """IoU (Jaccard) TP / (TP + FP + FN) per sample and class.

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.
        empty: "nan", "perfect" or "nan_when_target_empty".

    Returns:
        (B, C) float64 tensor on the inputs' device.

    Raises:
        ValueError, RuntimeError: as dice.

    Example:
        >>> osteon.metrics.iou(p, t)  # tensor([[0.3333]], dtype=torch.float64)
    """
    return _overlap("iou", prediction, target, num_classes, threshold, argmax, include_background, empty)


def voxel_sensitivity(prediction: torch.Tensor, target: torch.Tensor, *, num_classes: Optional[int] = None,
                      threshold: float = _D["threshold"], argmax: bool = _D["argmax"],
                      include_background: bool = _D["include_background"], empty: str = _D["empty"]) -> torch.Tensor:
    """Voxel-wise sensitivity TP / (TP + FN) of a mask; 0/0 (empty target) follows ``empty``.

    (The sensitivity of a classifier at a threshold is ``binary_report(...).recall``.)

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.
        empty: "nan", "perfect" or "nan_when_target_empty".

    Returns:
        (B, C) float64 tensor on the inputs' device.

    Raises:
        ValueError, RuntimeError: as dice.

    Example:
        >>> osteon.metrics.voxel_sensitivity(p, t)  # tensor([[0.5000]], dtype=torch.float64)
    """
    return _overlap("sensitivity", prediction, target, num_classes, threshold, argmax, include_background, empty)


def voxel_specificity(prediction: torch.Tensor, target: torch.Tensor, *, num_classes: Optional[int] = None,
                      threshold: float = _D["threshold"], argmax: bool = _D["argmax"],
                      include_background: bool = _D["include_background"], empty: str = _D["empty"]) -> torch.Tensor:
    """Voxel-wise specificity TN / (TN + FP) of a mask; defined for an empty target.

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.
        empty: "nan", "perfect" or "nan_when_target_empty".

    Returns:
        (B, C) float64 tensor on the inputs' device.

    Raises:
        ValueError, RuntimeError: as dice.

    Example:
        >>> osteon.metrics.voxel_specificity(p, t)  # tensor([[0.5000]], dtype=torch.float64)
    """
    return _overlap("specificity", prediction, target, num_classes, threshold, argmax, include_background, empty)


def voxel_precision(prediction: torch.Tensor, target: torch.Tensor, *, num_classes: Optional[int] = None,
                    threshold: float = _D["threshold"], argmax: bool = _D["argmax"],
                    include_background: bool = _D["include_background"], empty: str = _D["empty"]) -> torch.Tensor:
    """Voxel-wise precision TP / (TP + FP) of a mask; 0/0 (empty prediction) follows ``empty``.

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.
        empty: "nan", "perfect" or "nan_when_target_empty".

    Returns:
        (B, C) float64 tensor on the inputs' device.

    Raises:
        ValueError, RuntimeError: as dice.

    Example:
        >>> osteon.metrics.voxel_precision(p, t)  # tensor([[0.5000]], dtype=torch.float64)
    """
    return _overlap("precision", prediction, target, num_classes, threshold, argmax, include_background, empty)


def segmentation_report(prediction: torch.Tensor, target: torch.Tensor, *, spacing: Spacing = None,
                        num_classes: Optional[int] = None, threshold: float = _D["threshold"],
                        argmax: bool = _D["argmax"], include_background: bool = _D["include_background"],
                        empty: str = _D["empty"]) -> SegmentationReport:
    """Every overlap and volume metric from one pass.

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        spacing: voxel spacing per spatial axis (or one number); None means 1.
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.
        empty: "nan", "perfect" or "nan_when_target_empty".

    Returns:
        SegmentationReport: confusion counts (int64), dice, iou, sensitivity, specificity,
        precision, volume_prediction, volume_target (count × voxel volume), volume_difference
        (pred − target), absolute_volume_difference, relative_volume_difference; (B, C) tensors
        on the inputs' device. ``to_frame()`` gives one row per (sample, class).

    Raises:
        ValueError, RuntimeError: as dice; a spacing of the wrong length.

    Example:
        >>> r = osteon.metrics.segmentation_report(logits.softmax(1), labels, num_classes=2, argmax=True,
        ...                                        include_background=False, spacing=(0.74, 0.74, 1.0))
        >>> r.dice, r.sensitivity, r.volume_prediction
    """
    options = _mask_options(prediction, num_classes, threshold, argmax, include_background)
    return SegmentationReport(**_m._seg_report(prediction, target, empty=empty,
                                               spacing=_spacing(spacing, prediction.dim() - 2), **options))


def voxel_confusion_counts(prediction: torch.Tensor, target: torch.Tensor, *, num_classes: Optional[int] = None,
                           threshold: float = _D["threshold"], argmax: bool = _D["argmax"],
                           include_background: bool = _D["include_background"]) -> VoxelCounts:
    """Voxel confusion counts of masks (C++ ``osteon::metrics::voxel_confusion_counts``).

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.

    Returns:
        VoxelCounts of (B, C) int64 tensors; unpacks as (tp, fp, fn, tn).

    Raises:
        ValueError, RuntimeError: as dice.

    Example:
        >>> tp, fp, fn, tn = osteon.metrics.voxel_confusion_counts(p, t)
    """
    r = segmentation_report(prediction, target, num_classes=num_classes, threshold=threshold, argmax=argmax,
                            include_background=include_background)
    return VoxelCounts(r.true_positives, r.false_positives, r.false_negatives, r.true_negatives)


def _deprecated(old, new):
    def alias(*args, **kwargs):
        warnings.warn(f"osteon.metrics.{old} is deprecated (it works on masks only): use osteon.metrics.{new.__name__}; "
                      f"the alias will be removed in the next release", DeprecationWarning, stacklevel=2)
        return new(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old
    alias.__doc__ = f"Deprecated alias of :func:`{new.__name__}` (removed in the next release).\n\n" + new.__doc__
    import inspect

    alias.__signature__ = inspect.signature(new)
    alias.__module__ = new.__module__
    return alias


sensitivity = _deprecated("sensitivity", voxel_sensitivity)
specificity = _deprecated("specificity", voxel_specificity)
precision = _deprecated("precision", voxel_precision)
confusion_counts = _deprecated("confusion_counts", voxel_confusion_counts)


def volume(mask: torch.Tensor, *, spacing: Spacing = None, num_classes: Optional[int] = None,
           threshold: float = _D["threshold"], argmax: bool = _D["argmax"],
           include_background: bool = _D["include_background"]) -> torch.Tensor:
    """Foreground voxel count × voxel volume, (B, C) float64.

    Args:
        mask: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        spacing: voxel spacing per spatial axis (or one number); None means 1.
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.

    Returns:
        (B, C) float64 tensor on the mask's device.

    Raises:
        ValueError, RuntimeError: as dice.

    Example:
        >>> ml = osteon.metrics.volume(mask, spacing=(0.5, 0.5, 1.0)) / 1000
    """
    options = _mask_options(mask, num_classes, threshold, argmax, include_background)
    return _m._seg_volume(mask, spacing=_spacing(spacing, mask.dim() - 2), **options)


_DTYPES = {torch.float64: "float64", torch.float32: "float32"}


def _surface(prediction, target, with_percentile, spacing, percentile, tolerance, num_classes, threshold, argmax,
             include_background, empty, one_side_empty, method, dtype) -> SurfaceDistances:
    options = _mask_options(prediction, num_classes, threshold, argmax, include_background)
    if dtype not in _DTYPES:
        raise ValueError(f"dtype must be torch.float64 or torch.float32, got {dtype}")
    return SurfaceDistances(**_m._seg_surface(
        prediction, target, empty=empty, spacing=_spacing(spacing, prediction.dim() - 2), percentile=float(percentile),
        tolerance=float(tolerance), one_side_empty=one_side_empty, method=method, dtype=_DTYPES[dtype],
        with_percentile=with_percentile, **options))


def surface_distances(prediction: torch.Tensor, target: torch.Tensor, *, spacing: Spacing = None,
                      percentile: float = _D["percentile"], tolerance: float = _D["tolerance"],
                      num_classes: Optional[int] = None, threshold: float = _D["threshold"],
                      argmax: bool = _D["argmax"], include_background: bool = _D["include_background"],
                      empty: str = _D["empty"], one_side_empty: str = _D["one_side_empty"],
                      method: str = _D["method"], dtype: torch.dtype = torch.float64) -> SurfaceDistances:
    """Every surface metric from one distance transform.

    Surfaces are the voxels with a face neighbour outside the mask or the image; distances are exact
    Euclidean distances between voxel centres in spacing units (MONAI's convention without sub-voxels).

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        spacing: voxel spacing per spatial axis (or one number).
        percentile: p of ``hausdorff_percentile`` (max of the two directed p-th percentiles, numpy's
            linear interpolation).
        tolerance: surface Dice tolerance, in spacing units.
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.
        empty: "nan", "perfect" or "nan_when_target_empty".
        one_side_empty: "inf" (default) or "diagonal" (the image diagonal) when one mask is empty.
        method: distance transform, "auto" (lower envelope on CPU, brute force elsewhere),
            "lower_envelope" (CPU) or "brute_force" (any device).
        dtype: torch.float64 (default) or torch.float32 for the distances.

    Returns:
        SurfaceDistances of (B, C) tensors: hausdorff, hausdorff_percentile,
        average_surface_distance, surface_dice, surface_voxels_prediction, surface_voxels_target.

    Raises:
        ValueError, RuntimeError: as dice; an unknown method or dtype.

    Example:
        >>> s = osteon.metrics.surface_distances(pred, target, spacing=(0.7, 0.7, 1.25), tolerance=1.0)
        >>> s.hausdorff_percentile  # HD95 in mm
    """
    return _surface(prediction, target, True, spacing, percentile, tolerance, num_classes, threshold, argmax,
                    include_background, empty, one_side_empty, method, dtype)


def hausdorff(prediction: torch.Tensor, target: torch.Tensor, *, spacing: Spacing = None,
              percentile: Optional[float] = None, num_classes: Optional[int] = None,
              threshold: float = _D["threshold"], argmax: bool = _D["argmax"],
              include_background: bool = _D["include_background"], empty: str = _D["empty"],
              one_side_empty: str = _D["one_side_empty"], method: str = _D["method"],
              dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Hausdorff distance per sample and class; with ``percentile`` the percentile Hausdorff
    distance (MONAI's ``compute_hausdorff_distance(percentile=...)``). One empty side gives +inf.

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        spacing: voxel spacing per spatial axis (or one number).
        percentile: None for the maximum, else p in [0, 100].
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.
        empty: "nan", "perfect" or "nan_when_target_empty".
        one_side_empty: "inf" or "diagonal".
        method: "auto", "lower_envelope" or "brute_force".
        dtype: torch.float64 or torch.float32.

    Returns:
        (B, C) tensor on the inputs' device.

    Raises:
        ValueError, RuntimeError: as surface_distances.

    Example:
        >>> osteon.metrics.hausdorff(pred, target, spacing=(1.0, 1.0, 2.0))
    """
    with_percentile = percentile is not None
    s = _surface(prediction, target, with_percentile, spacing, percentile if with_percentile else _D["percentile"],
                 _D["tolerance"], num_classes, threshold, argmax, include_background, empty, one_side_empty, method,
                 dtype)
    return s.hausdorff_percentile if with_percentile else s.hausdorff


def hausdorff95(prediction: torch.Tensor, target: torch.Tensor, *, spacing: Spacing = None,
                num_classes: Optional[int] = None, threshold: float = _D["threshold"], argmax: bool = _D["argmax"],
                include_background: bool = _D["include_background"], empty: str = _D["empty"],
                one_side_empty: str = _D["one_side_empty"], method: str = _D["method"],
                dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """HD95: the larger of the two directed 95th percentiles of surface distances, (B, C).

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        spacing: voxel spacing per spatial axis (or one number).
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.
        empty: "nan", "perfect" or "nan_when_target_empty".
        one_side_empty: "inf" or "diagonal".
        method: "auto", "lower_envelope" or "brute_force".
        dtype: torch.float64 or torch.float32.

    Returns:
        (B, C) tensor on the inputs' device.

    Raises:
        ValueError, RuntimeError: as surface_distances.

    Example:
        >>> osteon.metrics.hausdorff95(pred, target, spacing=(0.8, 0.8, 1.0), include_background=False)
    """
    return hausdorff(prediction, target, spacing=spacing, percentile=95.0, num_classes=num_classes,
                     threshold=threshold, argmax=argmax, include_background=include_background, empty=empty,
                     one_side_empty=one_side_empty, method=method, dtype=dtype)


def average_surface_distance(prediction: torch.Tensor, target: torch.Tensor, *, spacing: Spacing = None,
                             num_classes: Optional[int] = None, threshold: float = _D["threshold"],
                             argmax: bool = _D["argmax"], include_background: bool = _D["include_background"],
                             empty: str = _D["empty"], one_side_empty: str = _D["one_side_empty"],
                             method: str = _D["method"], dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Average symmetric surface distance (ASSD), (B, C).

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        spacing: voxel spacing per spatial axis (or one number).
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.
        empty: "nan", "perfect" or "nan_when_target_empty".
        one_side_empty: "inf" or "diagonal".
        method: "auto", "lower_envelope" or "brute_force".
        dtype: torch.float64 or torch.float32.

    Returns:
        (B, C) tensor on the inputs' device.

    Raises:
        ValueError, RuntimeError: as surface_distances.

    Example:
        >>> osteon.metrics.average_surface_distance(pred, target, spacing=1.0)
    """
    return _surface(prediction, target, False, spacing, _D["percentile"], _D["tolerance"], num_classes, threshold,
                    argmax, include_background, empty, one_side_empty, method, dtype).average_surface_distance


assd = average_surface_distance


def surface_dice(prediction: torch.Tensor, target: torch.Tensor, tolerance: float, *, spacing: Spacing = None,
                 num_classes: Optional[int] = None, threshold: float = _D["threshold"], argmax: bool = _D["argmax"],
                 include_background: bool = _D["include_background"], empty: str = _D["empty"],
                 one_side_empty: str = _D["one_side_empty"], method: str = _D["method"],
                 dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Surface Dice (normalised surface distance, Nikolov et al. 2021) at ``tolerance`` spacing units.

    Args:
        prediction: (B, C, spatial...) masks or probabilities, or a (B, 1, spatial...) label map.
        target: the same for the truth.
        tolerance: in spacing units.
        spacing: voxel spacing per spatial axis (or one number).
        num_classes: set for label maps.
        threshold: probabilities are foreground where ``value > threshold``.
        argmax: one-hot of the argmax over C.
        include_background: False drops channel 0.
        empty: "nan", "perfect" or "nan_when_target_empty".
        one_side_empty: "inf" or "diagonal".
        method: "auto", "lower_envelope" or "brute_force".
        dtype: torch.float64 or torch.float32.

    Returns:
        (B, C) tensor on the inputs' device.

    Raises:
        ValueError, RuntimeError: as surface_distances.

    Example:
        >>> osteon.metrics.surface_dice(pred, target, 2.0, spacing=(1.0, 1.0, 1.0))
    """
    return _surface(prediction, target, False, spacing, _D["percentile"], tolerance, num_classes, threshold, argmax,
                    include_background, empty, one_side_empty, method, dtype).surface_dice


def distance_transform_edt(input: torch.Tensor, sampling: Optional[Sequence[float]] = None, *,
                           method: str = _D["method"], dtype: torch.dtype = torch.float64) -> torch.Tensor:
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

    Raises:
        ValueError: an unknown method or dtype.

    Example:
        >>> d = osteon.metrics.distance_transform_edt(mask, sampling=(0.8, 0.8, 2.0))
    """
    if dtype not in _DTYPES:
        raise ValueError(f"dtype must be torch.float64 or torch.float32, got {dtype}")
    spacing = [] if sampling is None else _spacing(sampling, input.dim())
    return _m._seg_distance_transform_edt(input, spacing, method, _DTYPES[dtype])


def reduce_metric(scores: torch.Tensor, reduction: str = "mean") -> ReducedMetric:
    """NaN-aware reduction of a (B, C) metric tensor on its device; an all-NaN class stays NaN.

    Args:
        scores: (B, C) floating tensor.
        reduction: "mean", "sum", "mean_batch", "sum_batch", "mean_channel", "sum_channel" or "none".

    Returns:
        ReducedMetric(value, n_valid, n_nan), tensors on the scores' device; unpacks as a 3-tuple.

    Raises:
        ValueError: an unknown reduction. RuntimeError: scores not (B, C) floating.

    Example:
        >>> per_class, n_valid, n_nan = osteon.metrics.reduce_metric(dice_bc, "mean_batch")
    """
    return ReducedMetric(*_m._seg_reduce(scores, reduction))


def _host_values(values, function, name) -> List[float]:
    array = _convert.host(values, function, name)
    if array.ndim != 1:
        raise ValueError(f"{function}: {name} must be 1-D, got shape {array.shape}")
    return array.tolist()


def summarize(values, ddof: int = 1) -> Summary:
    """NaN-aware mean ± SD (explicit ``ddof``), median [Q1, Q3], min, max, and counts of NaN / inf.

    Args:
        values: 1-D per-subject metric values (list, numpy array, pandas Series or tensor).
        ddof: delta degrees of freedom of the SD (1 = sample SD; numpy's np.std uses 0).

    Returns:
        Summary with n, n_nan, n_infinite, ddof, mean, sd, median, q1, q3, min, max.

    Raises:
        ValueError: values not 1-D numbers.

    Example:
        >>> osteon.metrics.summarize([0.91, float("nan"), 0.93, 0.95]).mean
        0.93
    """
    return Summary(**_m._seg_summarize(_host_values(values, "summarize", "values"),
                                       _convert.integer(ddof, "summarize", "ddof", 0)))


def fold_table(folds: Sequence[object], ddof: int = 1) -> FoldTable:
    """Per-fold summaries, the pooled summary, and the summary across fold means.

    Args:
        folds: sequence of 1-D per-subject values, one per fold (or cohort).
        ddof: as :func:`summarize`.

    Returns:
        FoldTable with folds (Summary per fold), pooled and across_folds; ``to_frame()`` gives
        one row each.

    Raises:
        ValueError: a fold that is not 1-D numbers.

    Example:
        >>> t = osteon.metrics.fold_table([dice_fold0, dice_fold1, dice_fold2])
        >>> "%.2f %% ± %.2f %%" % (100 * t.across_folds.mean, 100 * t.across_folds.sd)
    """
    table = _m._seg_fold_table([_host_values(f, "fold_table", f"folds[{i}]") for i, f in enumerate(folds)],
                               _convert.integer(ddof, "fold_table", "ddof", 0))
    return FoldTable(folds=tuple(Summary(**s) for s in table["folds"]), pooled=Summary(**table["pooled"]),
                     across_folds=Summary(**table["across_folds"]))


def volume_agreement(predicted, truth, level: float = 0.95) -> VolumeAgreement:
    """Agreement of predicted with true volumes across subjects: the regression of predicted on true
    (r2, p_value of the slope, slope, intercept) and the Bland–Altman bias and limits of agreement of
    predicted − true with their confidence intervals (osteon.stats.linear_regression / bland_altman).

    Args:
        predicted: 1-D per-subject predicted volumes (e.g. ``volume(...)[:, c]``), n >= 3.
        truth: 1-D per-subject true volumes.
        level: coverage of the limits of agreement and confidence of their intervals.

    Returns:
        VolumeAgreement with n, r2, r, p_value, slope, intercept, bias, sd_difference,
        lower_limit, upper_limit, bias_ci, lower_limit_ci, upper_limit_ci, level.

    Raises:
        ValueError: unequal lengths, n < 3, level outside (0, 1).

    Example:
        >>> a = osteon.metrics.volume_agreement(r.volume_prediction[:, 0], r.volume_target[:, 0])
        >>> a.r2, a.p_value, a.bias
    """
    if not (isinstance(level, (int, float)) and 0 < level < 1 and not math.isnan(level)):
        raise ValueError(f"volume_agreement: level must be in (0, 1), got {level}")
    return VolumeAgreement(**_m._seg_volume_agreement(_host_values(predicted, "volume_agreement", "predicted"),
                                                      _host_values(truth, "volume_agreement", "truth"), float(level)))
