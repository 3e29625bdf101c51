"""osteon.metrics threshold / multi-class / partial-AUC functions against the committed pROC and
scikit-learn fixtures (tests/data/classification_*reference.json) and live scikit-learn."""
import json
import math
import os

import numpy as np
import pytest
import torch

import osteon
from osteon import metrics

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def _load(name):
    with open(os.path.join(DATA, name)) as f:
        return json.load(f)


def _num(v):
    if v is None:
        return math.nan
    return {"Inf": math.inf, "-Inf": -math.inf, "NaN": math.nan}.get(v, v) if isinstance(v, str) else v


def close(actual, expected, rel=1e-12, abs_=1e-14):
    expected = _num(expected)
    if math.isnan(expected):
        return math.isnan(actual)
    if math.isinf(expected):
        return actual == expected
    return abs(actual - expected) <= rel * abs(expected) + abs_


PROC = _load("classification_reference.json")
SKLEARN = _load("classification_sklearn_reference.json")


def test_binary_report_equals_sklearn_and_flags_zero_division():
    for case in SKLEARN["binary_report"]:
        r = metrics.binary_report(case["y"], case["score"], threshold=_num(case["threshold"])
                                  if case["threshold"] is not None else None)
        assert (r.tp, r.fp, r.tn, r.fn) == tuple(case["confusion"][k] for k in ("tp", "fp", "tn", "fn"))
        for name, expected in case["sklearn"].items():
            value = getattr(r, name)
            if name in case["zero_denominator"]:
                assert math.isnan(value) and name in r.undefined, (case["name"], name)
            else:
                assert close(value, expected), (case["name"], name, value, expected)


def test_binary_report_accepts_tensors_and_live_sklearn_agrees():
    sk = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    s = rng.normal(size=200) + y
    r = metrics.binary_report(torch.as_tensor(y), torch.as_tensor(s), threshold=0.4)
    pred = (s >= 0.4).astype(int)
    assert close(r.f1, sk.f1_score(y, pred)) and close(r.mcc, sk.matthews_corrcoef(y, pred))
    assert close(r.sensitivity, sk.recall_score(y, pred)) and r.ppv == r.precision
    assert r.recall_ci.k == r.tp and r.recall_ci.n == r.tp + r.fn
    assert r.to_dict()["accuracy"] == r.accuracy


def test_proportion_ci_equals_r():
    for case in PROC["proportions"]:
        for level, methods in case["levels"].items():
            for method, (low, high) in methods.items():
                ci = metrics.proportion_ci(case["k"], case["n"], level=float(level), method=method)
                assert close(ci.ci_low, low) and close(ci.ci_high, high), (case, level, method)
    estimate, low, high = metrics.proportion_ci(45, 50)
    assert estimate == 0.9 and low < 0.9 < high


def test_thresholds_equal_proc():
    for ds in PROC["binary"]:
        y, s = ds["y"], [_num(v) for v in ds["scores"]]
        for fn, key in ((metrics.youden_threshold, "best_youden"),
                        (metrics.closest_topleft_threshold, "best_closest_topleft")):
            choice = fn(y, s)
            expected = [_num(v) for v in ds[key]["threshold"]]
            assert len(choice) == len(expected)
            assert all(close(a, b) for a, b in zip(choice.thresholds, expected)), (ds["name"], key)
        weighted = metrics.youden_threshold(y, s, cost=2.0, prevalence=0.3)
        assert all(close(a, _num(b)) for a, b in zip(weighted.thresholds, ds["best_youden_weights_2_0.3"]["threshold"]))


def test_single_threshold_accessor_refuses_ties():
    choice = metrics.youden_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    with pytest.raises(ValueError, match="2 operating points tie"):
        choice.threshold
    assert metrics.threshold_at_specificity([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 1.0).threshold == (0.4 + 0.8) / 2


def test_multiclass_equals_sklearn_and_proc():
    for ds, sk in zip(PROC["multiclass"], SKLEARN["multiclass"]):
        y = np.asarray(ds["y"])
        for model in ("model_a", "model_b"):
            p = np.asarray(ds[model])
            e = sk[model]
            assert np.allclose(metrics.multiclass_auc(y, p, average=None), e["ovr_none"], rtol=1e-12, atol=0)
            for mc, avg in (("ovr", "macro"), ("ovr", "weighted"), ("ovr", "micro"), ("ovo", "macro"),
                            ("ovo", "weighted")):
                assert close(metrics.multiclass_auc(y, p, multi_class=mc, average=avg), e[f"{mc}_{avg}"])
            assert close(metrics.multiclass_auc(y, torch.as_tensor(p), multi_class="ovo"),
                         ds[f"proc_{model}"]["hand_till"])
        table = metrics.per_class_delong_test(y, np.asarray(ds["model_a"]), np.asarray(ds["model_b"]))
        for k, expected in enumerate(ds["per_class_delong_a_vs_b"]):
            assert close(table.statistic[k], expected["statistic"])
            assert close(table.p_value[k], expected["p_value"])
        rows = metrics.per_class_auc(y, np.asarray(ds["model_a"]))
        for k, expected in enumerate(ds["proc_model_a"]["per_class"]):
            assert close(rows.ci_low[k], expected["ci_delong_95"][0])


def test_partial_auc_equals_proc_and_sklearn_max_fpr():
    for ds, sk in zip(PROC["binary"], SKLEARN["max_fpr"]):
        y, s = ds["y"], [_num(v) for v in ds["scores"]]
        for p in ds["partial_auc"]:
            high, low = p["range"]
            res = metrics.partial_auc(y, s, low, high, focus=p["focus"])
            assert close(res.value, p["corrected"]) and res.below_diagonal == (p["corrected"] is None)
            assert close(metrics.partial_auc(y, s, low, high, focus=p["focus"], correct=False).value, p["area"])
        for max_fpr, expected in sk["max_fpr"].items():
            res = metrics.partial_auc(y, s, 1 - float(max_fpr), allow_invalid_correction=True)
            assert close(float(res), expected)


def test_results_table_formats_a_seed_style_row():
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 120)
    ap, frog = rng.normal(size=120) + y, rng.normal(size=120) + 0.5 * y
    table = metrics.results_table(y, {"AP": ap, "Frog": frog})
    assert [r.model for r in table] == ["AP", "Frog"]
    r0 = table[0]
    assert r0.auc == metrics.roc_auc(y, ap)
    assert r0.threshold == metrics.youden_threshold(y, ap).thresholds[0]
    assert r0.accuracy == metrics.binary_report(y, ap, threshold=r0.threshold).accuracy
    assert r0.specificity == r0.report.specificity
    printed = repr(table).splitlines()
    assert printed[1].split() == ["Model", "AUC", "[95", "%", "CI]", "Accuracy", "Precision", "Recall", "Specificity",
                                  "F1", "Threshold"]
    assert f"{r0.auc:.3f} [{r0.auc_ci[0]:.3f}, {r0.auc_ci[1]:.3f}]" in printed[3]
    assert printed[3].split()[0] == "AP" and f"{r0.f1:.3f}" in printed[3]


@pytest.mark.parametrize("call, fragment", [
    (lambda: metrics.binary_report([0, 1, 1], [0.2, 0.4], threshold=0.5), "differ in length (3 vs 2)"),
    (lambda: metrics.binary_report([0, 1], [0, 2]), "y_pred[1] must be 0 (control) or 1 (case), got 2"),
    (lambda: metrics.proportion_ci(5, 4), "k must be in [0, n=4], got 5"),
    (lambda: metrics.proportion_ci(1, 4, method="agresti"), "agresti"),
    (lambda: metrics.multiclass_auc([0, 1, 1], [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]]),
     "class 2 is absent from y_true"),
    (lambda: metrics.multiclass_auc([0, 1, 2], [[2.0, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]]),
     "row 0 sums to 2.3"),
    (lambda: metrics.multiclass_auc([0, 1, 2], [0.1, 0.2, 0.3]), "must be 2-D"),
    (lambda: metrics.multiclass_auc([0, 1, 2], np.eye(3), multi_class="ovo", average=None), "average=None"),
    (lambda: metrics.partial_auc([0, 1], [0.1, 0.2], 0.9, 0.8), "0 <= low < high <= 1"),
    (lambda: metrics.youden_threshold([0, 1], [0.1, 0.2], prevalence=1.5), "prevalence must be in (0, 1), got 1.5"),
])
def test_bad_input_raises_value_error(call, fragment):
    with pytest.raises(ValueError) as info:
        call()
    assert fragment in str(info.value)


def test_worked_example_of_the_docs_equals_proc():
    """docs/classification.md's results table (study 1 style) against pROC on the same CSV."""
    import csv
    rows = list(csv.DictReader(open(os.path.join(DATA, "..", "..", "examples", "data", "hip_outcome_scores.csv"))))
    y = np.array([int(r["outcome"]) for r in rows])
    ap = np.array([float(r["ap_score"]) for r in rows])
    frog = np.array([float(r["frog_score"]) for r in rows])
    models = {"AP": ap, "Frog": frog, "AP+Frog": (ap + frog) / 2}
    table = metrics.results_table(y, models)
    expected = PROC["worked_example"]
    for row, e in zip(table, expected["rows"]):
        assert row.model == e["model"]
        assert close(row.auc, e["auc"]) and close(row.auc_ci[0], e["ci"][0]) and close(row.auc_ci[1], e["ci"][1])
        assert close(row.threshold, e["threshold"])
        for key in ("accuracy", "precision", "recall"):
            assert close(getattr(row, key), e[key]), (row.model, key)
    for e in expected["delong_tests"]:
        t = metrics.delong_test(y, models[e["a"]], models[e["b"]])
        assert close(t.statistic, e["statistic"]) and close(t.p_value, e["p_value"], rel=1e-11)
        assert close(t.ci_low, e["conf_int"][0]) and close(t.ci_high, e["conf_int"][1])
