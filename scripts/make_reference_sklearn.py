#!/usr/bin/python3
"""Regenerate tests/data/sklearn_reference.json from the inputs stored in
tests/data/roc_reference.json (written by scripts/make_reference_roc.R).

Usage (from the repository root):  /usr/bin/python3 scripts/make_reference_sklearn.py
(needs numpy + scikit-learn; produced with scikit-learn 1.2.1, numpy 1.24.2).

For every dataset/predictor stores sklearn.metrics.roc_auc_score and
sklearn.metrics.roc_curve with drop_intermediate=False and with the default True.
Note: in scikit-learn 1.2 the first roc_curve threshold is max(score) + 1
(later versions use +inf); it is stored exactly as returned.
Floats are written with Python's repr (shortest round-trip, exact). Non-finite
values (none are expected) would be written as the strings "Inf"/"-Inf"/"NaN",
matching roc_reference.json, so the file is strict JSON.
"""
import json
import math
import os
import sys

import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score, roc_curve

from reference_json import encode, write_json


enc = encode


def dec(v):
    if v == "Inf":
        return math.inf
    if v == "-Inf":
        return -math.inf
    if v == "NaN":
        return math.nan
    return float(v)


def curve(y, x, drop):
    fpr, tpr, thr = roc_curve(y, x, pos_label=1, drop_intermediate=drop)
    return {
        "fpr": enc(fpr.astype(np.float64).tolist()),
        "tpr": enc(tpr.astype(np.float64).tolist()),
        "thresholds": enc(thr.astype(np.float64).tolist()),
    }


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "tests", "data", "roc_reference.json")
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "tests", "data", "sklearn_reference.json")
    with open(src) as f:
        ref = json.load(f)

    out_ds = []
    for ds in ref["datasets"]:
        y = np.asarray(ds["y"], dtype=np.int64)
        preds = []
        for p in ds["predictors"]:
            x = np.asarray([dec(v) for v in p["scores"]], dtype=np.float64)
            preds.append({
                "name": p["name"],
                "roc_auc_score": enc(float(roc_auc_score(y, x))),
                "roc_curve_drop_intermediate_false": curve(y, x, False),
                "roc_curve_drop_intermediate_true": curve(y, x, True),
            })
        out_ds.append({"name": ds["name"], "predictors": preds})

    out = {
        "generator": "scripts/make_reference_sklearn.py",
        "inputs": "tests/data/roc_reference.json (datasets[].y, datasets[].predictors[].scores)",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "conventions": (
            "roc_curve(y, score, pos_label=1, drop_intermediate=False/True); y as 0/1, case = 1. "
            "sklearn 1.2: thresholds[0] = max(score) + 1 (stored as returned), thresholds decreasing, "
            "fpr/tpr start at 0. Floats are Python repr (round-trip exact)."
        ),
        "datasets": out_ds,
    }
    write_json(out, dst)


if __name__ == "__main__":
    main()
