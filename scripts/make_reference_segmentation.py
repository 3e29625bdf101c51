"""Writes tests/data/segmentation_monai_reference.json: inputs and outside references for the
segmentation metrics (scipy.ndimage's exact EDT and binary erosion; MONAI's compute_dice,
compute_hausdorff_distance, compute_average_surface_distance and compute_surface_dice).

Run from the repository root with Debian's Python and a MONAI source tree on PYTHONPATH
(MONAI is not a Debian package; never commit it):

    git --git-dir=<MONAI mirror> archive 1.4.0 | tar -x -C /tmp/monai14
    PYTHONPATH=/tmp/monai14 /usr/bin/python3 scripts/make_reference_segmentation.py

Deterministic: inputs come from numpy's PCG64 with fixed seeds. Non-finite numbers are written
as the strings "Inf", "-Inf", "NaN" (as the other fixtures of tests/data).
"""
import sys

import numpy as np
import scipy
import scipy.ndimage as ndi
import torch

from reference_json import encode, write_json

import monai
from monai.metrics import (compute_average_surface_distance, compute_dice, compute_hausdorff_distance,
                           compute_surface_dice)

OUT = "tests/data/segmentation_monai_reference.json"


def enc(x):
    """Float or nested list → JSON-ready, non-finite numbers as strings (integers as floats)."""
    return encode(x, integers_as_float=True)


def blobs(rng, shape, n, sigma, level):
    """n smooth random 0/1 masks of `shape`: a Gaussian-filtered noise field above `level`."""
    field = ndi.gaussian_filter(rng.standard_normal((n,) + shape), sigma=(0,) + (sigma,) * len(shape))
    return (field > level * field.std()).astype(np.uint8)


def edt_cases(rng):
    cases = []
    for name, shape, spacing, p in [("3d_anisotropic", (9, 11, 13), (0.5, 1.3, 2.0), 0.85),
                                    ("2d_isotropic", (17, 23), (1.0, 1.0), 0.9),
                                    ("2d_sparse", (31, 7), (0.3, 2.2), 0.98),
                                    ("1d", (40,), (0.75,), 0.8)]:
        x = (rng.random(shape) < p).astype(np.uint8)  # 1 = foreground, 0 = the features
        x.flat[0] = 0  # at least one zero
        d = ndi.distance_transform_edt(x, sampling=spacing)
        cases.append({"name": name, "shape": list(shape), "spacing": list(spacing),
                      "input": x.ravel().tolist(), "distance": enc(d.ravel())})
    return cases


def surface_case(name, pred, target, spacing, tolerance, description):
    """pred, target: (B, C, spatial...) 0/1 numpy arrays."""
    p = torch.as_tensor(pred, dtype=torch.float32)
    t = torch.as_tensor(target, dtype=torch.float32)
    sp = list(spacing)
    n_classes = pred.shape[1]
    # scipy: surfaces and exact directed distances, as our convention defines them.
    erosion = [[(ndi.binary_erosion(m) ^ m.astype(bool)).astype(np.uint8) for m in row] for row in pred.astype(bool)]
    erosion_t = [[(ndi.binary_erosion(m) ^ m.astype(bool)).astype(np.uint8) for m in row] for row in target.astype(bool)]
    return {
        "name": name, "description": description,
        "shape": list(pred.shape), "spacing": sp, "tolerance": tolerance,
        "prediction": pred.ravel().tolist(), "target": target.ravel().tolist(),
        "scipy_surface_prediction": np.array(erosion).ravel().tolist(),
        "scipy_surface_target": np.array(erosion_t).ravel().tolist(),
        "monai": {
            "dice_ignore_empty_true": enc(compute_dice(p, t, include_background=True, ignore_empty=True).numpy()),
            "dice_ignore_empty_false": enc(compute_dice(p, t, include_background=True, ignore_empty=False).numpy()),
            "hausdorff": enc(compute_hausdorff_distance(p, t, include_background=True, spacing=sp).numpy()),
            "hausdorff95": enc(compute_hausdorff_distance(p, t, include_background=True, percentile=95,
                                                          spacing=sp).numpy()),
            "hausdorff90": enc(compute_hausdorff_distance(p, t, include_background=True, percentile=90,
                                                          spacing=sp).numpy()),
            "assd": enc(compute_average_surface_distance(p, t, include_background=True, symmetric=True,
                                                         spacing=sp).numpy()),
            "surface_dice": enc(compute_surface_dice(p, t, [tolerance] * n_classes, include_background=True,
                                                     spacing=sp).numpy()),
        },
    }


def main():
    rng = np.random.default_rng(20261123)
    cases = []
    # Non-empty 3-D masks, anisotropic spacing, 2 samples × 2 classes.
    pred = blobs(rng, (14, 12, 10), 4, 1.6, 0.3).reshape(2, 2, 14, 12, 10)
    target = blobs(rng, (14, 12, 10), 4, 1.6, 0.3).reshape(2, 2, 14, 12, 10)
    cases.append(surface_case("3d_anisotropic", pred, target, (0.8, 1.1, 2.5), 1.5,
                              "smooth random blobs; every mask non-empty"))
    # 2-D masks that overlap well (a prediction that is a perturbed target).
    target2 = blobs(rng, (24, 20), 3, 2.0, 0.2)
    noise = blobs(rng, (24, 20), 3, 1.0, 1.2)
    pred2 = target2 ^ noise
    cases.append(surface_case("2d_close", pred2.reshape(3, 1, 24, 20), target2.reshape(3, 1, 24, 20),
                              (1.0, 0.6), 1.0, "prediction = target with speckle flipped"))
    # The empty-mask cases, one per sample: both empty / empty target with FPs / empty prediction.
    shape = (9, 8, 7)
    full = np.zeros((3, 1) + shape, np.uint8)
    blob = np.zeros(shape, np.uint8)
    blob[2:6, 3:6, 1:5] = 1
    pred3, target3 = full.copy(), full.copy()
    pred3[1, 0] = blob       # sample 1: target empty, prediction has false positives
    target3[2, 0] = blob     # sample 2: prediction empty, target not
    cases.append(surface_case("empty_masks", pred3, target3, (1.0, 1.0, 1.0), 1.0,
                              "sample 0 both empty; 1 empty target + FP; 2 empty prediction"))
    # Masks touching the image border (border voxels are surface).
    pred4 = np.zeros((1, 1, 10, 10), np.uint8)
    target4 = np.zeros((1, 1, 10, 10), np.uint8)
    pred4[0, 0, 0:6, 0:10] = 1
    target4[0, 0, 0:5, 2:10] = 1
    cases.append(surface_case("border", pred4, target4, (1.0, 1.0), 0.0, "masks touching the border; tolerance 0"))

    out = {
        "generator": "scripts/make_reference_segmentation.py",
        "versions": {"monai": monai.__version__, "torch": torch.__version__, "scipy": scipy.__version__,
                     "numpy": np.__version__, "python": sys.version.split()[0]},
        "conventions": "arrays are row-major (C order) flattened; surfaces = m ^ binary_erosion(m) (cross "
                       "structure, border_value 0); distances are scipy.ndimage.distance_transform_edt(x, "
                       "sampling=spacing) (distance to the nearest 0); MONAI metrics with include_background=True",
        "edt": edt_cases(rng),
        "surface": cases,
    }
    write_json(out, OUT, indent=None, allow_nan=True, separators=(",", ":"))


if __name__ == "__main__":
    main()
