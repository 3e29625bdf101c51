#!/usr/bin/python3
"""Regenerate tests/data/multiclass_sklearn_reference.json: scikit-learn's roc_auc_score with
multi_class="ovr" / "ovo" and average="macro" / "weighted" on seeded probability matrices (stored in
the JSON), including one case with labels= naming a class absent from y_true (ovo only: sklearn's
ovr refuses it) and one with string class labels.

Usage (from the repository root):  /usr/bin/python3 scripts/make_reference_multiclass_sklearn.py
(produced with scikit-learn 1.2.1, numpy 1.24.2). Floats are written with repr (exact).
"""
import os

import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score

from reference_json import write_json

TARGET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                      "multiclass_sklearn_reference.json")


def probabilities(rng, n, k, y, ties):
    logits = rng.normal(size=(n, k)) + 1.2 * np.eye(k)[y]
    if ties:
        logits = np.round(logits, 1)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def case(name, y, p, labels=None, schemes=("ovr", "ovo")):
    out = {"name": name, "y": list(y), "score": p.tolist(), "n_classes": int(p.shape[1])}
    if labels is not None:
        out["labels"] = list(labels)
    for scheme in schemes:
        for average in ("macro", "weighted"):
            out[f"{scheme}_{average}"] = float(roc_auc_score(y, p, multi_class=scheme, average=average,
                                                           labels=labels))
    return out


def main():
    rng = np.random.default_rng(2026)
    cases = []
    for n, k, ties in ((60, 3, False), (200, 4, True), (37, 5, False)):
        y = rng.integers(0, k, size=n)
        y[:k] = np.arange(k)  # every class present
        cases.append(case(f"n{n}_k{k}{'_ties' if ties else ''}", [int(v) for v in y], probabilities(rng, n, k, y, ties)))
    # labels= with a class (index 2, "c") absent from y_true: only ovo is defined.
    y = rng.integers(0, 3, size=50)
    y[y == 2] = 3
    y[:3] = [0, 1, 3]
    p = probabilities(rng, 50, 4, y, False)
    names = np.array(["a", "b", "c", "d"])
    cases.append(case("absent_class", [str(v) for v in names[y]], p, labels=["a", "b", "c", "d"], schemes=("ovo",)))
    # string class labels, sorted by sklearn (np.unique) as the columns are ordered
    y = rng.integers(0, 3, size=40)
    y[:3] = [0, 1, 2]
    cases.append(case("strings", [str(v) for v in np.array(["benign", "fracture", "tumour"])[y]],
                      probabilities(rng, 40, 3, y, False)))
    write_json({"generator": f"scripts/make_reference_multiclass_sklearn.py with scikit-learn {sklearn.__version__}, "
                             f"numpy {np.__version__}", "cases": cases}, TARGET)


if __name__ == "__main__":
    main()
