#!/usr/bin/python3
"""Regenerate tests/data/losses_monai_reference.json and tests/data/losses_soft_label_monai_reference.json:
MONAI's loss values on seeded inputs.

Usage (from the repository root), with MONAI's source fetched outside the repository:

    git --git-dir=<MONAI mirror> archive d388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83 | tar x -C /tmp/monai
    MONAI_COMMIT=d388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83 PYTHONPATH=/tmp/monai \
        /usr/bin/python3 scripts/make_reference_losses.py

MONAI is never committed or installed; its losses need only torch and numpy. Produced with MONAI
1.5.0 (commit d388d1c6, its `monai/losses` run unchanged under Debian's torch 1.13.1).

The second file holds the `soft_label=True` cases of DiceLoss, GeneralizedDiceLoss and
TverskyLoss (Wang et al. 2023's semimetric overlaps, MONAI's compute_tp_fp_fn; MONAI 1.4.0 does
not have them), on inputs of their own, so that the first file stays byte-identical.

Every tensor (inputs and targets) comes from numpy's PCG64 generator with a fixed seed, is stored
in float32-exact values (repr of the float32 value, so C++ and Python read identical inputs),
and MONAI is evaluated in float32, the precision the tests compare in. `expected` is MONAI's raw
output (flattened, with its shape); `scale` is the factor by which our loss differs on purpose
(1 where we match MONAI; see `note` and docs/losses.md for the others).
"""
import json
import os
import sys

import numpy as np
import torch

import monai
from monai.losses import DiceCELoss, DiceFocalLoss, DiceLoss, FocalLoss, GeneralizedDiceLoss, TverskyLoss

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data")
OUTPUT = os.path.join(DATA, "losses_monai_reference.json")
SOFT_LABEL_OUTPUT = os.path.join(DATA, "losses_soft_label_monai_reference.json")
ACTIVATIONS = {"tanh": torch.tanh}
LOSSES = {cls.__name__: cls for cls in
          (DiceLoss, GeneralizedDiceLoss, TverskyLoss, FocalLoss, DiceCELoss, DiceFocalLoss)}


def make_tensors(seed=20240601):
    """Named inputs and targets; every value float32-exact."""
    rng = np.random.default_rng(seed)
    t = {}

    def logits(name, shape, scale=2.0):
        t[name] = (rng.standard_normal(shape) * scale).astype(np.float32)

    def labels(name, shape, n_classes):
        t[name] = rng.integers(0, n_classes, size=shape).astype(np.int64)

    def one_hot(name, labels_name, n_classes):
        lab = t[labels_name]
        t[name] = (np.arange(n_classes).reshape(1, -1, *([1] * (lab.ndim - 2))) == lab).astype(np.float32)

    logits("x2d", (2, 3, 4, 5))
    labels("y2d", (2, 1, 4, 5), 3)
    one_hot("y2d_onehot", "y2d", 3)
    t["y2d_soft"] = rng.uniform(0, 1, (2, 3, 4, 5)).astype(np.float32)
    logits("x3d", (2, 4, 3, 4, 5))
    labels("y3d", (2, 1, 3, 4, 5), 4)
    logits("xbin", (2, 1, 6, 6))
    t["ybin"] = (rng.uniform(0, 1, (2, 1, 6, 6)) < 0.3).astype(np.float32)
    # Class 2 absent from the first sample, class 1 absent from the whole batch.
    logits("xempty", (2, 3, 4, 4))
    yempty = rng.choice(np.array([0, 2]), size=(2, 1, 4, 4)).astype(np.int64)
    yempty[0] = 0
    t["yempty"] = yempty
    logits("xcls", (16, 2))
    labels("ycls", (16, 1), 2)
    # Saturated logits: MONAI's focal is log-space as well, so both stay finite.
    big = rng.choice(np.array([-1e4, 1e4], dtype=np.float32), size=(2, 2, 3, 3))
    t["xbig"] = big
    t["ybig"] = (rng.uniform(0, 1, (2, 2, 3, 3)) < 0.5).astype(np.float32)
    return t


def make_soft_label_tensors(seed=20250613):
    """Inputs and soft targets of the soft_label cases; every value float32-exact."""
    rng = np.random.default_rng(seed)
    t = {}

    def logits(name, shape, scale=2.0):
        t[name] = (rng.standard_normal(shape) * scale).astype(np.float32)

    def class_probabilities(name, shape):
        # Soft labels that sum to 1 over the channels (axis 1), as from label smoothing or
        # averaged annotators.
        n_classes = shape[1]
        draws = rng.dirichlet(np.ones(n_classes), size=(shape[0],) + shape[2:])
        t[name] = np.moveaxis(draws, -1, 1).astype(np.float32)

    logits("x2d", (2, 3, 4, 5))
    class_probabilities("y2d_soft", (2, 3, 4, 5))
    t["y2d_independent"] = rng.uniform(0, 1, (2, 3, 4, 5)).astype(np.float32)
    t["y2d_labels"] = rng.integers(0, 3, size=(2, 1, 4, 5)).astype(np.int64)
    logits("x3d", (2, 4, 3, 4, 5))
    class_probabilities("y3d_soft", (2, 4, 3, 4, 5))
    logits("xbin", (2, 1, 6, 6))
    t["ybin_soft"] = rng.uniform(0, 1, (2, 1, 6, 6)).astype(np.float32)
    # Probabilities given directly (no activation), and soft targets with exact 0 / 1 entries.
    t["p2d"] = rng.uniform(0, 1, (2, 3, 4, 5)).astype(np.float32)
    mixed = rng.uniform(0, 1, (2, 3, 4, 5))
    mixed[rng.uniform(0, 1, mixed.shape) < 0.3] = 0.0
    mixed[rng.uniform(0, 1, mixed.shape) < 0.2] = 1.0
    t["y2d_mixed"] = mixed.astype(np.float32)
    return t


def case(name, loss, kwargs, x, y, scale=1.0, note=""):
    return {"name": name, "loss": loss, "kwargs": kwargs, "input": x, "target": y,
            "scale": scale, "note": note}


CASES = [
    # DiceLoss
    case("dice_softmax_onehot_y", "DiceLoss", {"softmax": True, "to_onehot_y": True}, "x2d", "y2d"),
    case("dice_softmax_dense", "DiceLoss", {"softmax": True}, "x2d", "y2d_onehot"),
    case("dice_no_background", "DiceLoss", {"softmax": True, "to_onehot_y": True, "include_background": False}, "x2d", "y2d"),
    case("dice_sigmoid_soft", "DiceLoss", {"sigmoid": True}, "x2d", "y2d_soft"),
    case("dice_squared_pred", "DiceLoss", {"softmax": True, "to_onehot_y": True, "squared_pred": True}, "x3d", "y3d"),
    case("dice_jaccard", "DiceLoss", {"softmax": True, "to_onehot_y": True, "jaccard": True}, "x3d", "y3d"),
    case("dice_batch", "DiceLoss", {"softmax": True, "to_onehot_y": True, "batch": True}, "x2d", "y2d"),
    case("dice_smooth", "DiceLoss", {"sigmoid": True, "smooth_nr": 0.0, "smooth_dr": 1e-6}, "xbin", "ybin"),
    case("dice_weight", "DiceLoss", {"softmax": True, "to_onehot_y": True, "weight": [0.5, 1.0, 2.0]}, "x2d", "y2d"),
    case("dice_weight_no_background", "DiceLoss", {"softmax": True, "to_onehot_y": True, "include_background": False, "weight": [1.0, 3.0]}, "x2d", "y2d"),
    case("dice_reduction_none", "DiceLoss", {"softmax": True, "to_onehot_y": True, "reduction": "none"}, "x3d", "y3d"),
    case("dice_reduction_sum", "DiceLoss", {"sigmoid": True, "reduction": "sum"}, "xbin", "ybin"),
    case("dice_other_act", "DiceLoss", {"other_act": "tanh"}, "x2d", "y2d_soft"),
    case("dice_empty_class", "DiceLoss", {"softmax": True, "to_onehot_y": True, "reduction": "none"}, "xempty", "yempty"),
    # GeneralizedDiceLoss
    case("gdl_square", "GeneralizedDiceLoss", {"softmax": True, "to_onehot_y": True}, "x3d", "y3d"),
    case("gdl_simple", "GeneralizedDiceLoss", {"softmax": True, "to_onehot_y": True, "w_type": "simple"}, "x2d", "y2d"),
    case("gdl_uniform", "GeneralizedDiceLoss", {"sigmoid": True, "w_type": "uniform"}, "x2d", "y2d_soft"),
    case("gdl_batch", "GeneralizedDiceLoss", {"softmax": True, "to_onehot_y": True, "batch": True}, "x2d", "y2d"),
    case("gdl_empty_class", "GeneralizedDiceLoss", {"softmax": True, "to_onehot_y": True, "reduction": "none"}, "xempty", "yempty"),
    case("gdl_empty_class_batch", "GeneralizedDiceLoss", {"softmax": True, "to_onehot_y": True, "batch": True}, "xempty", "yempty"),
    case("gdl_no_background", "GeneralizedDiceLoss", {"softmax": True, "to_onehot_y": True, "include_background": False, "reduction": "sum"}, "x3d", "y3d"),
    # TverskyLoss
    case("tversky_softmax", "TverskyLoss", {"softmax": True, "to_onehot_y": True, "alpha": 0.3, "beta": 0.7}, "x3d", "y3d"),
    case("tversky_sigmoid", "TverskyLoss", {"sigmoid": True, "alpha": 0.7, "beta": 0.3}, "xbin", "ybin"),
    case("tversky_batch_no_background", "TverskyLoss", {"softmax": True, "to_onehot_y": True, "batch": True, "include_background": False}, "x2d", "y2d"),
    case("tversky_none", "TverskyLoss", {"softmax": True, "to_onehot_y": True, "reduction": "none"}, "x2d", "y2d"),
    # FocalLoss, sigmoid
    case("focal_sigmoid", "FocalLoss", {}, "xbin", "ybin"),
    case("focal_sigmoid_gamma0", "FocalLoss", {"gamma": 0.0}, "x2d", "y2d_onehot"),
    case("focal_sigmoid_alpha", "FocalLoss", {"gamma": 1.5, "alpha": 0.25}, "xbin", "ybin"),
    case("focal_sigmoid_weight", "FocalLoss", {"to_onehot_y": True, "weight": [0.2, 1.0, 3.0]}, "x2d", "y2d"),
    case("focal_sigmoid_no_background", "FocalLoss", {"to_onehot_y": True, "include_background": False}, "x3d", "y3d"),
    case("focal_sigmoid_soft", "FocalLoss", {"gamma": 2.0}, "x2d", "y2d_soft"),
    case("focal_sigmoid_none", "FocalLoss", {"reduction": "none", "alpha": 0.75}, "xbin", "ybin"),
    case("focal_sigmoid_saturated", "FocalLoss", {"gamma": 2.0, "reduction": "none"}, "xbig", "ybig"),
    case("focal_sigmoid_classifier", "FocalLoss", {"to_onehot_y": True}, "xcls", "ycls"),
    case("focal_sigmoid_sum", "FocalLoss", {"reduction": "sum"}, "xbin", "ybin", scale=36.0,
         note="MONAI's sum averages the spatial axes first (a backward-compatibility step); ours sums every term: x 6*6"),
    # FocalLoss, softmax: ours sums the class terms per position, MONAI averages them.
    case("focal_softmax", "FocalLoss", {"use_softmax": True, "to_onehot_y": True}, "x2d", "y2d", scale=3.0,
         note="MONAI's mean runs over the C per-class terms too; ours sums them per position (the paper's loss; = CE at gamma 0): x C"),
    case("focal_softmax_alpha", "FocalLoss", {"use_softmax": True, "to_onehot_y": True, "alpha": 0.25, "gamma": 1.0}, "xcls", "ycls", scale=2.0,
         note="x C as focal_softmax"),
    case("focal_softmax_weight", "FocalLoss", {"use_softmax": True, "to_onehot_y": True, "weight": [1.0, 2.0, 0.5, 4.0]}, "x3d", "y3d", scale=4.0,
         note="x C as focal_softmax"),
    # DiceCELoss
    case("dice_ce_softmax", "DiceCELoss", {"softmax": True, "to_onehot_y": True}, "x3d", "y3d"),
    case("dice_ce_weight_no_background", "DiceCELoss", {"softmax": True, "to_onehot_y": True, "include_background": False, "weight": [0.5, 1.0, 2.0]}, "x2d", "y2d"),
    case("dice_ce_lambdas", "DiceCELoss", {"softmax": True, "to_onehot_y": True, "lambda_dice": 0.7, "lambda_ce": 0.3, "jaccard": True, "batch": True}, "x2d", "y2d"),
    case("dice_ce_label_smoothing", "DiceCELoss", {"softmax": True, "to_onehot_y": True, "label_smoothing": 0.1}, "x3d", "y3d"),
    case("dice_ce_dense_target", "DiceCELoss", {"softmax": True}, "x2d", "y2d_onehot"),
    case("dice_ce_binary", "DiceCELoss", {"sigmoid": True, "weight": [2.0]}, "xbin", "ybin"),
    case("dice_ce_sum", "DiceCELoss", {"softmax": True, "to_onehot_y": True, "reduction": "sum"}, "x2d", "y2d"),
    # DiceFocalLoss (sigmoid focal part, as in MONAI)
    case("dice_focal_sigmoid", "DiceFocalLoss", {"sigmoid": True}, "xbin", "ybin"),
    case("dice_focal_onehot_y", "DiceFocalLoss", {"sigmoid": True, "to_onehot_y": True, "gamma": 1.5, "weight": [0.5, 1.0, 2.0]}, "x2d", "y2d"),
    case("dice_focal_alpha_no_background", "DiceFocalLoss", {"sigmoid": True, "to_onehot_y": True, "include_background": False, "alpha": 0.25}, "x3d", "y3d"),
    case("dice_focal_lambdas", "DiceFocalLoss", {"sigmoid": True, "lambda_dice": 0.4, "lambda_focal": 2.0, "squared_pred": True}, "x2d", "y2d_soft"),
    case("dice_focal_none", "DiceFocalLoss", {"sigmoid": True, "reduction": "none"}, "xbin", "ybin"),
]


SOFT = {"soft_label": True}
SOFT_LABEL_CASES = [
    # DiceLoss
    case("dice_soft_softmax", "DiceLoss", {**SOFT, "softmax": True}, "x2d", "y2d_soft"),
    case("dice_soft_off_softmax", "DiceLoss", {"softmax": True}, "x2d", "y2d_soft",
         note="soft_label=False on the same soft targets, for contrast"),
    case("dice_soft_sigmoid", "DiceLoss", {**SOFT, "sigmoid": True}, "x2d", "y2d_independent"),
    case("dice_soft_no_background", "DiceLoss", {**SOFT, "softmax": True, "include_background": False}, "x3d", "y3d_soft"),
    case("dice_soft_jaccard", "DiceLoss", {**SOFT, "sigmoid": True, "jaccard": True}, "x2d", "y2d_independent"),
    case("dice_soft_batch", "DiceLoss", {**SOFT, "softmax": True, "batch": True}, "x2d", "y2d_soft"),
    case("dice_soft_squared_pred", "DiceLoss", {**SOFT, "softmax": True, "squared_pred": True}, "x3d", "y3d_soft"),
    case("dice_soft_weight", "DiceLoss", {**SOFT, "softmax": True, "weight": [0.5, 1.0, 2.0]}, "x2d", "y2d_soft"),
    case("dice_soft_none", "DiceLoss", {**SOFT, "sigmoid": True, "reduction": "none"}, "x3d", "y3d_soft"),
    case("dice_soft_sum_smooth", "DiceLoss", {**SOFT, "sigmoid": True, "reduction": "sum", "smooth_nr": 0.0, "smooth_dr": 1e-6}, "xbin", "ybin_soft"),
    case("dice_soft_other_act", "DiceLoss", {**SOFT, "other_act": "tanh"}, "x2d", "y2d_independent"),
    case("dice_soft_probabilities", "DiceLoss", {**SOFT}, "p2d", "y2d_mixed"),
    case("dice_soft_hard_labels", "DiceLoss", {**SOFT, "softmax": True, "to_onehot_y": True}, "x2d", "y2d_labels"),
    # GeneralizedDiceLoss
    case("gdl_soft_square", "GeneralizedDiceLoss", {**SOFT, "softmax": True}, "x3d", "y3d_soft"),
    case("gdl_soft_simple", "GeneralizedDiceLoss", {**SOFT, "sigmoid": True, "w_type": "simple"}, "x2d", "y2d_independent"),
    case("gdl_soft_uniform_batch", "GeneralizedDiceLoss", {**SOFT, "softmax": True, "w_type": "uniform", "batch": True}, "x2d", "y2d_soft"),
    case("gdl_soft_no_background_none", "GeneralizedDiceLoss", {**SOFT, "softmax": True, "include_background": False, "reduction": "none"}, "x3d", "y3d_soft"),
    case("gdl_soft_other_act", "GeneralizedDiceLoss", {**SOFT, "other_act": "tanh"}, "x2d", "y2d_mixed"),
    case("gdl_soft_hard_labels", "GeneralizedDiceLoss", {**SOFT, "softmax": True, "to_onehot_y": True}, "x2d", "y2d_labels"),
    # TverskyLoss
    case("tversky_soft_softmax", "TverskyLoss", {**SOFT, "softmax": True, "alpha": 0.3, "beta": 0.7}, "x3d", "y3d_soft"),
    case("tversky_soft_sigmoid_batch", "TverskyLoss", {**SOFT, "sigmoid": True, "batch": True, "alpha": 0.7, "beta": 0.3}, "x2d", "y2d_independent"),
    case("tversky_soft_other_act", "TverskyLoss", {**SOFT, "other_act": "tanh", "alpha": 0.4, "beta": 0.6}, "x2d", "y2d_mixed"),
    case("tversky_soft_none_no_background", "TverskyLoss", {**SOFT, "softmax": True, "include_background": False, "reduction": "none"}, "x2d", "y2d_soft"),
    case("tversky_soft_sum", "TverskyLoss", {**SOFT, "sigmoid": True, "reduction": "sum"}, "xbin", "ybin_soft"),
    case("tversky_soft_hard_labels", "TverskyLoss", {**SOFT, "softmax": True, "to_onehot_y": True, "alpha": 0.3, "beta": 0.7}, "x2d", "y2d_labels"),
]


def monai_kwargs(kwargs):
    out = dict(kwargs)
    if "other_act" in out:
        out["other_act"] = ACTIVATIONS[out["other_act"]]
    if "weight" in out and out.get("weight") is not None:
        out["weight"] = torch.tensor(out["weight"], dtype=torch.float32)
    return out


def encode(array):
    array = np.asarray(array)
    values = array.reshape(-1).tolist()
    if array.dtype.kind == "f":
        values = [float(np.float32(v)) for v in values]
    return {"shape": list(array.shape), "dtype": "int64" if array.dtype.kind == "i" else "float32",
            "values": values}


def write(path, tensors, case_list):
    cases = []
    for c in case_list:
        loss = LOSSES[c["loss"]](**monai_kwargs(c["kwargs"]))
        x = torch.from_numpy(tensors[c["input"]])
        y = torch.from_numpy(tensors[c["target"]])
        with torch.no_grad():
            value = loss(x, y).to(torch.float32).numpy()
        assert np.all(np.isfinite(value)), c["name"]
        cases.append(dict(c, expected=encode(value)))
    document = {
        "generator": "scripts/make_reference_losses.py",
        "monai_version": monai.__version__,
        # An archive has no .git: the caller names the commit it extracted.
        "monai_commit": os.environ.get("MONAI_COMMIT", "not recorded"),
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "conventions": "tensors are {shape, dtype, values (row-major)}; inputs float32-exact; "
                       "MONAI evaluated in float32; ours = scale * expected",
        "tensors": {name: encode(array) for name, array in tensors.items()},
        "cases": cases,
    }
    with open(path, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(path)}", file=sys.stderr)


def main():
    write(OUTPUT, make_tensors(), CASES)
    write(SOFT_LABEL_OUTPUT, make_soft_label_tensors(), SOFT_LABEL_CASES)


if __name__ == "__main__":
    main()
