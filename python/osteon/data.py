"""osteon.data: study data. The built-in synthetic hip-preservation cohort (C++:
``osteon/data/synthetic_hips.hpp``; docs/data.md) — radiograph-like AP and frog-leg views with a
known outcome model, for demos, tutorials and tests; no patient data ships with the library.
"""
from __future__ import annotations

from typing import List, NamedTuple

import torch

from ._C import data as _c
from ._C import io as _io

Image, read_image, read_dicom_series, write_image = (  # image / volume files: docs/io.md
    _io.Image, _io.read_image, _io.read_dicom_series, _io.write_image)

__all__ = ["Image", "SyntheticHipCohort", "read_dicom_series", "read_image", "synthetic_hip_cohort", "write_image"]


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
