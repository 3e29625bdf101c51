"""osteon.data: study data (C++: ``osteon/data/``; docs/data.md).

- Synthetic cohorts, deterministic from a seed, in memory or written to a folder of real files
  plus ``manifest.csv``: ``synthetic_hip_cohort`` (AP + frog-leg radiographs, PNG),
  ``synthetic_femur_cohort`` (QCT proximal femur, NIfTI), ``synthetic_vertebra_cohort`` (CT L1/L2,
  3-class bone density, NIfTI), ``synthetic_sij_cohort`` (SIJ MRI, fat metaplasia, axSpA, two
  centres, NIfTI) and their ``write_synthetic_*`` twins.
- Datasets: ``ManifestDataset`` (a CSV with one row per sample), ``TensorDataset``, ``Subset``;
  ``len(d)`` and ``d[i]`` → a sample dict ``{"image", "mask", "label", "id", "group", "spacing", "meta"}``.
- ``transforms``: MONAI's names and keywords (``Compose``, ``Spacing``, ``Resize``, ``SpatialPad``,
  ``DivisiblePad``, ``CenterSpatialCrop``, ``CropForeground``, ``ScaleIntensityRange``,
  ``ScaleIntensityRangePercentiles``, ``NormalizeIntensity``, ``RandFlip``, ``RandRotate90``,
  ``RandAffine``, ``RandGaussianNoise``, ``RandShiftIntensity``, ``RandScaleIntensity``,
  ``RandSpatialCrop``, ``RandCropByPosNegLabel``), called as ``t(sample, seed=0)``.
- ``DataLoader``: batches, seeded shuffling, worker threads (the GIL is released while loading),
  cache, group-aware batches.
- ``sliding_window_inference``: MONAI's function and keywords.
"""
from __future__ import annotations

from typing import Callable, List, NamedTuple, Optional, Sequence, Union

import torch

from . import _cpp_module
from ._C import data as _c
from ._C import io as _io

# --- image / volume files (osteon/io, docs/io.md): Python functions with the binding's signature ---
Image = _io.Image
read_image = _cpp_module.python_function(_io.read_image, "read_image", __name__, returns="Image", doc="""\
Reads an image or volume file, choosing the format by its content (magic bytes), not its name.

PNG, JPEG, TIFF, NIfTI-1 / -2 (``.nii``, ``.nii.gz``) and DICOM files; a folder is read as a DICOM
series (read_dicom_series). The GIL is released while reading.

Args:
    path: a file or folder (str or os.PathLike).
    space: None keeps the file's world frame; "RAS" or "LPS" converts the geometry to that frame.
    rescale: apply DICOM Rescale Slope / Intercept and NIfTI scl_slope / scl_inter.
    invert_monochrome1: show MONOCHROME1 DICOM (white = low) as MONOCHROME2.

Returns:
    Image: pixels (``image.array`` numpy, ``image.tensor()``), ``spacing``, ``origin``,
    ``direction``, ``space`` and ``dtype``.

Raises:
    FileNotFoundError: the path does not exist.
    ValueError: naming the file: an unknown or truncated format, an unsupported pixel type.

Example:
    >>> ct = osteon.data.read_image("ct.nii.gz")
    >>> ct.spacing, ct.array.shape
""")
read_dicom_series = _cpp_module.python_function(_io.read_dicom_series, "read_dicom_series", __name__,
                                                returns="Image", doc="""\
Reads one DICOM series from a folder as a volume: slices sorted by position along the slice
normal, HU applied (Rescale Slope / Intercept), shaped (slices, rows, columns) in LPS.

The GIL is released while reading.

Args:
    folder: the folder of the series' files (str or os.PathLike).
    space: None keeps DICOM's LPS; "RAS" converts the geometry.
    rescale: apply Rescale Slope / Intercept (HU for CT).
    invert_monochrome1: show MONOCHROME1 (white = low) as MONOCHROME2.

Returns:
    Image: the volume with its spacing (slice spacing from the positions), origin and direction.

Raises:
    FileNotFoundError: the folder does not exist.
    ValueError: naming the folder and slice: several series, mixed geometry, a missing slice.

Example:
    >>> ct = osteon.data.read_dicom_series("patient_001/ct")
    >>> ct.shape          # (slices, rows, columns)
""")
write_image = _cpp_module.python_function(_io.write_image, "write_image", __name__, returns="None", doc="""\
Writes an Image by the file name's extension, atomically (a reader never sees half a file).

``.nii`` / ``.nii.gz`` keep the geometry and any pixel type; ``.png`` takes 2-D uint8 / uint16.

Args:
    path: the file to write (str or os.PathLike).
    image: an Image (``read_image(...)``, or ``image.with_array(prediction)`` for a mask in the
        input's geometry).

Raises:
    ValueError: naming the file: an unknown extension, a pixel type the format cannot hold.

Example:
    >>> osteon.data.write_image("mask.nii.gz", ct.with_array(mask))
""")

transforms = _c.transforms
Dataset = _c.Dataset
TensorDataset = _c.TensorDataset
ManifestDataset = _c.ManifestDataset
Subset = _c.Subset
#: ``DataLoader(dataset, transform=None, batch_size=1, shuffle=False, seed=0, num_workers=0,
#: prefetch_factor=2, drop_last=False, cache=False, group_batches=False)``: batches of an osteon dataset
#: (PyTorch's keywords where it has them). Each ``for batch in loader`` is one epoch; batches are
#: dicts ``{"image": (B, C, ...), "images": [per view], "mask", "label", "ids", "groups", "indices",
#: "meta"}``. The worker threads run C++ (reading and transforms) without the GIL; the order and the
#: augmentation are the same for any ``num_workers``. Example::
#:
#:     loader = osteon.data.DataLoader(dataset, transforms.Compose([transforms.RandFlip(prob=0.5)]),
#:                                     batch_size=8, shuffle=True, seed=1, num_workers=2)
#:     for batch in loader:
#:         logits = model(batch["image"])
DataLoader = _c.DataLoader

__all__ = [
    "DataLoader", "Dataset", "Image", "ManifestDataset", "Subset", "SyntheticFemurCohort", "SyntheticHipCohort",
    "SyntheticSijCohort", "SyntheticVertebraCohort", "TensorDataset", "read_dicom_series", "read_image", "sliding_window_inference",
    "synthetic_femur_cohort", "synthetic_hip_cohort", "synthetic_sij_cohort", "synthetic_vertebra_cohort",
    "transforms", "write_synthetic_femur_cohort", "write_synthetic_hip_cohort", "write_synthetic_sij_cohort",
    "write_image", "write_synthetic_vertebra_cohort",
]


class SyntheticHipCohort(NamedTuple):
    """One entry per hip; the two hips of a patient are adjacent (left, then right)."""

    images: torch.Tensor          #: (hips, 2, 1, size, size) float32; view 0 AP, view 1 frog-leg
    outcome: torch.Tensor         #: (hips,) int64, 1 = failure of hip preservation
    hip_ids: List[str]            #: "P001-L", "P001-R", ...
    patient_ids: List[str]        #: "P001", ...: the groups a split must keep whole
    joint_space_mm: torch.Tensor  #: true joint-space width (float64)
    cam_size: torch.Tensor        #: true cam bump size, 0 = spherical head (float64)
    risk: torch.Tensor            #: true outcome probability of the logistic model (float64)


def synthetic_hip_cohort(patients: int = 216, image_size: int = 64, noise: float = 0.08,
                         intercept: float = -1.0, seed: int = 2024) -> SyntheticHipCohort:
    """The synthetic cohort of the demo study: ``patients`` patients with two hips each (216 → the
    study's 432 hips), deterministic from ``seed`` on every platform (osteon's PCG32).

    Example:
        >>> cohort = osteon.data.synthetic_hip_cohort(patients=216, seed=2024)
        >>> cohort.images.shape
        torch.Size([432, 2, 1, 64, 64])
        >>> train, test = osteon.split.stratified_holdout(cohort.outcome.numpy(), groups=cohort.patient_ids,
        ...                                               test_size=0.25, mixed_labels="majority")
    """
    return SyntheticHipCohort(**_c.synthetic_hip_cohort(patients, image_size, noise, intercept, seed))


class SyntheticFemurCohort(NamedTuple):
    """QCT-like proximal-femur volumes (HU) with exact femur masks."""

    images: torch.Tensor           #: (subjects, 1, size, size, size) float32, HU
    masks: torch.Tensor            #: (subjects, 1, size, size, size) uint8, 1 = femur
    subject_ids: List[str]         #: "F001", ...
    sex: List[str]                 #: "F" / "M"
    femur_volume_ml: torch.Tensor  #: true femur volume (float64)
    spacing: List[float]           #: (z, y, x) mm


def synthetic_femur_cohort(subjects: int = 40, size: int = 32, noise: float = 60.0, female_fraction: float = 0.5,
                           seed: int = 2024) -> SyntheticFemurCohort:
    """Proximal femur + acetabulum volumes; men's femora larger (docs/data.md describes the model).

    Example:
        >>> femur = osteon.data.synthetic_femur_cohort(subjects=10, size=32, seed=1)
        >>> femur.images.shape, femur.masks.dtype
        (torch.Size([10, 1, 32, 32, 32]), torch.uint8)
    """
    return SyntheticFemurCohort(**_c.synthetic_femur_cohort(subjects, size, noise, female_fraction, seed))


class SyntheticVertebraCohort(NamedTuple):
    """CT-like L1/L2 volumes with label masks and a 3-class bone-density label."""

    images: torch.Tensor         #: (subjects, 1, size, size, size) float32, HU
    masks: torch.Tensor          #: (subjects, 1, size, size, size) uint8: 0, 1 = L1, 2 = L2
    subject_ids: List[str]       #: "V001", ...
    sex: List[str]               #: "F" / "M"
    bmd: torch.Tensor            #: true trabecular BMD, mg/cm³ (float64)
    density_class: torch.Tensor  #: int64: 0 normal (> 120), 1 osteopenia (80–120), 2 osteoporosis (< 80)
    spacing: List[float]         #: (z, y, x) mm


def synthetic_vertebra_cohort(subjects: int = 90, size: int = 32, noise: float = 40.0, calibration_sd: float = 12.0,
                              seed: int = 2024) -> SyntheticVertebraCohort:
    """Two lumbar vertebrae per volume; the class follows the ACR QCT thresholds of the true BMD.

    Example:
        >>> spine = osteon.data.synthetic_vertebra_cohort(subjects=30, seed=3)
        >>> sorted(set(spine.density_class.tolist())) == [0, 1, 2]
        True
    """
    return SyntheticVertebraCohort(**_c.synthetic_vertebra_cohort(subjects, size, noise, calibration_sd, seed))


class SyntheticSijCohort(NamedTuple):
    """2-D T1-like sacroiliac MRI slices with fat-metaplasia masks, axSpA labels and two centres."""

    images: torch.Tensor     #: (patients, 1, size, size) float32, about 0…1
    masks: torch.Tensor      #: (patients, 1, size, size) uint8, 1 = fat metaplasia
    patient_ids: List[str]   #: "S001", ...
    axspa: torch.Tensor      #: int64, 1 = axial spondyloarthritis
    centre: List[str]        #: "internal" / "external"
    lesions: torch.Tensor    #: number of lesions drawn (int64)
    spacing: List[float]     #: (row, column) mm


def synthetic_sij_cohort(patients: int = 120, size: int = 64, prevalence: float = 0.5, external_fraction: float = 0.25,
                         noise: float = 0.05, seed: int = 2024) -> SyntheticSijCohort:
    """SIJ MRI cohort; the external centre has another scanner (gain, offset, noise, bias field).

    Example:
        >>> sij = osteon.data.synthetic_sij_cohort(patients=40, seed=2)
        >>> internal = [i for i, c in enumerate(sij.centre) if c == "internal"]
    """
    return SyntheticSijCohort(**_c.synthetic_sij_cohort(patients, size, prevalence, external_fraction, noise, seed))


def write_synthetic_hip_cohort(folder: str, patients: int = 216, image_size: int = 64, noise: float = 0.08,
                               intercept: float = -1.0, seed: int = 2024) -> str:
    """Writes the hip cohort as 16-bit PNGs + ``manifest.csv`` (sample_id, group, image_ap, image_frog,
    outcome, ...); returns the manifest's path. Pixel u decodes as ``u / 65535 * 2 - 0.25``.

    Example:
        >>> manifest = osteon.data.write_synthetic_hip_cohort("hips", patients=20)
        >>> hips = osteon.data.ManifestDataset(manifest, image_columns=["image_ap", "image_frog"],
        ...                                    label_columns=["outcome"])
    """
    return _c.write_synthetic_hip_cohort(str(folder), patients, image_size, noise, intercept, seed)


def write_synthetic_femur_cohort(folder: str, subjects: int = 40, size: int = 32, noise: float = 60.0,
                                 female_fraction: float = 0.5, seed: int = 2024) -> str:
    """Writes NIfTI volumes and masks + ``manifest.csv`` (sample_id, group, image, mask, sex, femur_volume_ml)."""
    return _c.write_synthetic_femur_cohort(str(folder), subjects, size, noise, female_fraction, seed)


def write_synthetic_vertebra_cohort(folder: str, subjects: int = 90, size: int = 32, noise: float = 40.0,
                                    calibration_sd: float = 12.0, seed: int = 2024) -> str:
    """Writes NIfTI volumes and masks + ``manifest.csv`` (sample_id, group, image, mask, sex, bmd, density_class)."""
    return _c.write_synthetic_vertebra_cohort(str(folder), subjects, size, noise, calibration_sd, seed)


def write_synthetic_sij_cohort(folder: str, patients: int = 120, size: int = 64, prevalence: float = 0.5,
                               external_fraction: float = 0.25, noise: float = 0.05, seed: int = 2024) -> str:
    """Writes 2-D NIfTI images and masks + ``manifest.csv`` (sample_id, group, image, mask, axspa, centre, lesions)."""
    return _c.write_synthetic_sij_cohort(str(folder), patients, size, prevalence, external_fraction, noise, seed)


def sliding_window_inference(inputs: torch.Tensor, roi_size: Union[int, Sequence[int]], sw_batch_size: int,
                             predictor: Callable[[torch.Tensor], torch.Tensor], overlap: Union[float, Sequence[float]] = 0.25,
                             mode: str = "constant", sigma_scale: Union[float, Sequence[float]] = 0.125,
                             padding_mode: str = "constant", cval: float = 0.0) -> torch.Tensor:
    """MONAI's ``sliding_window_inference`` (same keywords, same result to 1e-5): windows of ``roi_size``
    through ``predictor`` (any callable or module: (n, C, roi...) → (n, C_out, roi...)), ``sw_batch_size``
    at a time, blended with constant or Gaussian weights; output on the input's device.

    Example:
        >>> net = osteon.nn.UNet(spatial_dims=3, in_channels=1, out_channels=2, channels=(8, 16, 32), strides=(2, 2)).eval()
        >>> with torch.no_grad():
        ...     logits = osteon.data.sliding_window_inference(torch.randn(1, 1, 40, 40, 40), (32, 32, 32), 4, net,
        ...                                                   overlap=0.5, mode="gaussian")
    """
    roi = [roi_size] if isinstance(roi_size, int) else list(roi_size)
    over = [overlap] if isinstance(overlap, (int, float)) else list(overlap)
    sigma = [sigma_scale] if isinstance(sigma_scale, (int, float)) else list(sigma_scale)
    return _c.sliding_window_inference(inputs, roi, sw_batch_size, predictor, over, mode, sigma, padding_mode, cval)
