"""Venkatraman's tests, binormal smoothing and multi-class ROC AUC against pROC 1.18 fixtures
(tests/data/roc_venkatraman_reference.json) and scikit-learn's roc_auc_score run directly."""
import json
import math
import pathlib

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

import osteon.metrics as om

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
REF = json.loads((DATA / "roc_venkatraman_reference.json").read_text())
Y = np.array(REF["y"], dtype=float)
P = {k: np.array(v, dtype=float) for k, v in REF["predictors"].items()}
B = REF["boot_n"]


def within_mc(p, expected):
    q = max(expected, 1.0 / B)
    return abs(p - expected) <= 4.5 * math.sqrt(2 * q * (1 - q) / B) + 1e-12


@pytest.mark.parametrize("t", REF["venkatraman_paired"], ids=lambda t: "-".join(t["predictors"]))
def test_venkatraman_paired_matches_proc(t):
    r = om.venkatraman_test(Y, P[t["predictors"][0]], P[t["predictors"][1]], n_permutations=B, seed=2)
    assert r.statistic == t["statistic"] and r.paired
    assert within_mc(r.p_value, t["p_value"])
    assert r.to_dict()["n_permutations"] == B


@pytest.mark.parametrize("t", REF["venkatraman_unpaired"], ids=lambda t: "-".join(t["predictors"]))
def test_venkatraman_unpaired_matches_proc(t):
    w = np.array(REF["women"], dtype=bool)
    r = om.venkatraman_test(Y[w], P[t["predictors"][0]][w], P[t["predictors"][1]][~w], y_true_b=Y[~w],
                            n_permutations=B, seed=4)
    assert r.statistic == pytest.approx(t["statistic"], rel=1e-12) and not r.paired
    assert within_mc(r.p_value, t["p_value"])


def test_venkatraman_errors_name_the_argument():
    with pytest.raises(ValueError, match="n_permutations must be >= 1, got 0"):
        om.venkatraman_test(Y, P["s100b"], P["ndka"], n_permutations=0)
    with pytest.raises(ValueError, match=r"y_true\[0\]"):
        om.venkatraman_test([2, 0, 1], [1, 2, 3], [3, 2, 1])


@pytest.mark.parametrize("r", REF["binormal"], ids=lambda r: r["predictor"])
def test_smooth_binormal_matches_proc(r):
    s = om.smooth_roc_binormal(Y, P[r["predictor"]], n=r["n"])
    assert s.a == pytest.approx(r["a"], rel=1e-10) and s.b == pytest.approx(r["b"], rel=1e-10)
    assert s.auc == pytest.approx(r["auc"], rel=1e-10)
    np.testing.assert_allclose(s.sensitivity, r["sensitivities"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(s.specificity, r["specificities"], rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("r", REF["multiclass"], ids=lambda r: r["predictor"])
def test_multiclass_roc_matches_proc(r):
    grade = np.array(REF["grade"])
    for mode, direction in (("auto", "auto"), ("less", "<")):
        mc = om.multiclass_roc(grade, P[r["predictor"]], direction=direction)
        assert mc.auc == pytest.approx(r[mode]["auc"], rel=1e-12)
        for pair, e in zip(mc.pairs, r[mode]["pairs"]):
            assert [pair.control_level, pair.case_level] == e["levels"]
            assert pair.direction == e["direction"] and pair.auc == pytest.approx(e["auc"], rel=1e-12)
    assert len(mc.to_frame()) == 10


def test_multiclass_roc_string_levels():
    names = np.array(["I", "II", "III", "IV", "V"])[np.array(REF["grade"]) - 1]
    mc = om.multiclass_roc(names, P["s100b"])
    assert mc.levels == ("I", "II", "III", "IV", "V")
    assert mc.auc == pytest.approx(REF["multiclass"][0]["auto"]["auc"], rel=1e-12)


def _probabilities(rng, n, k, y):
    logits = rng.normal(size=(n, k)) + 1.3 * np.eye(k)[y]
    p = np.exp(np.round(logits, 1))
    return p / p.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("multi_class", ["ovr", "ovo"])
@pytest.mark.parametrize("average", ["macro", "weighted"])
def test_multiclass_roc_auc_equals_sklearn(multi_class, average):
    rng = np.random.default_rng(5)
    y = rng.integers(0, 4, size=150)
    p = _probabilities(rng, 150, 4, y)
    expected = roc_auc_score(y, p, multi_class=multi_class, average=average)
    assert om.multiclass_roc_auc(y, p, multi_class=multi_class, average=average) == pytest.approx(expected, rel=1e-12)
    names = np.array(["benign", "fracture", "oedema", "tumour"])[y]
    expected = roc_auc_score(names, p, multi_class=multi_class, average=average)
    assert om.multiclass_roc_auc(names, p, multi_class=multi_class, average=average) == pytest.approx(expected, rel=1e-12)


def test_multiclass_roc_auc_labels_with_an_absent_class():
    rng = np.random.default_rng(8)
    y = rng.choice(np.array(["a", "b", "d"]), size=80)
    p = _probabilities(rng, 80, 4, np.searchsorted(["a", "b", "c", "d"], y))
    labels = ["a", "b", "c", "d"]
    for average in ("macro", "weighted"):
        expected = roc_auc_score(y, p, multi_class="ovo", average=average, labels=labels)
        got = om.multiclass_roc_auc(y, p, multi_class="ovo", average=average, labels=labels)
        assert got == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError):  # sklearn refuses ovr with an absent class, and so does osteon
        roc_auc_score(y, p, multi_class="ovr", labels=labels)
    with pytest.raises(ValueError, match="class 2 is absent from y_true"):
        om.multiclass_roc_auc(y, p, multi_class="ovr", labels=labels)
    with pytest.raises(ValueError, match="'x', which is not in labels"):
        om.multiclass_roc_auc(np.append(y[:-1], "x"), p, labels=labels)
    with pytest.raises(ValueError, match="raise"):
        om.multiclass_roc_auc(y, p, multi_class="raise", labels=labels)
