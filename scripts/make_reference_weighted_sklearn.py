#!/usr/bin/python3
"""Regenerate tests/data/weighted_sklearn_reference.json: scikit-learn's roc_auc_score, roc_curve and
threshold metrics with sample_weight, on seeded data (stored in the JSON).

Usage (from the repository root):  /usr/bin/python3 scripts/make_reference_weighted_sklearn.py
(produced with scikit-learn 1.2.1, numpy 1.24.2). Floats are written with repr (exact).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, precision_score, recall_score,
                             roc_auc_score, roc_curve)

TARGET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                      "weighted_sklearn_reference.json")


def case(name, y, s, w, threshold):
    pred = (s >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, pred, sample_weight=w, labels=[0, 1]).ravel()
    fpr, tpr, thr = roc_curve(y, s, sample_weight=w)
    fpr_all, tpr_all, thr_all = roc_curve(y, s, sample_weight=w, drop_intermediate=False)
    return {"name": name, "y": y.tolist(), "score": s.tolist(), "weight": w.tolist(), "threshold": threshold,
            "roc_auc": float(roc_auc_score(y, s, sample_weight=w)),
            "roc_curve": {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": thr.tolist()},
            "roc_curve_all": {"fpr": fpr_all.tolist(), "tpr": tpr_all.tolist(), "thresholds": thr_all.tolist()},
            "tp": float(tp), "fp": float(fp), "tn": float(tn), "fn": float(fn),
            "accuracy": float(accuracy_score(y, pred, sample_weight=w)),
            "precision": float(precision_score(y, pred, sample_weight=w)),
            "recall": float(recall_score(y, pred, sample_weight=w)),
            "f1": float(f1_score(y, pred, sample_weight=w))}


def main():
    rng = np.random.default_rng(17)
    cases = []
    y = (rng.uniform(size=200) < 0.4).astype(int)
    cases.append(case("continuous", y, rng.normal(size=200) + y, rng.uniform(0.1, 3.0, size=200), 0.5))
    y = (rng.uniform(size=150) < 0.5).astype(int)
    cases.append(case("ties", y, np.round(rng.normal(size=150) + 0.7 * y, 1), rng.integers(0, 4, size=150).astype(float), 0.3))
    y = (rng.uniform(size=80) < 0.2).astype(int)
    cases.append(case("probabilities", y, 1 / (1 + np.exp(-(rng.normal(size=80) + 1.5 * y - 1))),
                      rng.exponential(size=80), 0.25))
    out = {"generator": f"scripts/make_reference_weighted_sklearn.py with scikit-learn {sklearn.__version__}, numpy {np.__version__}",
           "cases": cases}
    with open(TARGET + ".tmp", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    os.replace(TARGET + ".tmp", TARGET)
    print("wrote", TARGET)


if __name__ == "__main__":
    main()
