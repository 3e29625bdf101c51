#!/usr/bin/python3
"""Regenerate tests/data/calibration_sklearn_reference.json: scikit-learn's brier_score_loss and
calibration_curve (strategies "uniform" and "quantile", several n_bins) on the datasets stored in
tests/data/calibration_reference.json (written by scripts/make_reference_calibration.R).

Usage (from the repository root):  /usr/bin/python3 scripts/make_reference_calibration_sklearn.py
(produced with scikit-learn 1.2.1, numpy 1.24.2). Floats are written with repr (exact).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SOURCE = os.path.join(ROOT, "tests", "data", "calibration_reference.json")
TARGET = os.path.join(ROOT, "tests", "data", "calibration_sklearn_reference.json")


def main():
    with open(SOURCE) as f:
        data = json.load(f)
    out = {"generator": f"scripts/make_reference_calibration_sklearn.py with scikit-learn {sklearn.__version__}, "
                        f"numpy {np.__version__}", "datasets": []}
    for d in data["datasets"]:
        y = np.asarray(d["y"], dtype=float)
        p = np.asarray(d["p"], dtype=float)
        curves = []
        for strategy in ("uniform", "quantile"):
            for n_bins in (5, 10, 13):
                prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
                curves.append({"strategy": strategy, "n_bins": n_bins, "prob_true": prob_true.tolist(),
                               "prob_pred": prob_pred.tolist()})
        out["datasets"].append({"name": d["name"], "brier_score_loss": float(brier_score_loss(y, p)),
                                "calibration_curve": curves})
    tmp = TARGET + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    os.replace(tmp, TARGET)
    print("wrote", TARGET)


if __name__ == "__main__":
    main()
