"""osteon.metrics calibration / decision curves against rms::val.prob (fixture, R), scikit-learn
(fixture, and live where installed) and the net-benefit formula."""
import numpy as np
import pytest

from osteon import metrics
from conftest import close, load_fixture

R = load_fixture("calibration_reference.json")
SK = load_fixture("calibration_sklearn_reference.json")


@pytest.mark.parametrize("d", R["datasets"], ids=lambda d: d["name"])
def test_calibration_equals_val_prob(d):
    c = metrics.calibration(d["y"], d["p"])
    v = d["val_prob"]
    for key in ("brier", "intercept", "slope", "emax", "e90", "eavg", "spiegelhalter_z", "spiegelhalter_p"):
        assert close(getattr(c, key), v[key], rel=1e-10), (key, getattr(c, key), v[key])
    assert c.brier_ci_low < c.brier < c.brier_ci_high


@pytest.mark.parametrize("k", range(len(R["datasets"])), ids=lambda k: R["datasets"][k]["name"])
def test_reliability_curve_equals_sklearn(k):
    d, s = R["datasets"][k], SK["datasets"][k]
    assert close(metrics.brier_score(d["y"], d["p"]), s["brier_score_loss"], rel=1e-12)
    for c in s["calibration_curve"]:
        curve = metrics.reliability_curve(d["y"], d["p"], n_bins=c["n_bins"], strategy=c["strategy"])
        np.testing.assert_allclose(curve.prob_true, c["prob_true"], rtol=1e-12, atol=0)
        np.testing.assert_allclose(curve.prob_pred, c["prob_pred"], rtol=1e-12, atol=0)
        assert curve.count.sum() == len(d["y"])


def test_live_sklearn_on_fresh_data():
    sklearn_calibration = pytest.importorskip("sklearn.calibration")
    from sklearn.metrics import brier_score_loss
    rng = np.random.default_rng(5)
    p = rng.uniform(size=777)
    y = (rng.uniform(size=777) < p ** 1.3).astype(float)
    assert close(metrics.brier_score(y, p), brier_score_loss(y, p), rel=1e-12)
    for strategy in ("uniform", "quantile"):
        pt, pp = sklearn_calibration.calibration_curve(y, p, n_bins=8, strategy=strategy)
        curve = metrics.reliability_curve(y, p, n_bins=8, strategy=strategy)
        np.testing.assert_allclose(curve.prob_true, pt, rtol=1e-12)
        np.testing.assert_allclose(curve.prob_pred, pp, rtol=1e-12)


def test_net_benefit_formula_and_determinism():
    d = R["datasets"][0]
    y, p = np.array(d["y"], float), np.array(d["p"], float)
    t = np.linspace(0.0, 0.9, 19)
    nb = metrics.net_benefit(y, p, t, n_boot=300, seed=2)
    n = len(y)
    for k, th in enumerate(t):
        treated = p >= th
        expected = (treated & (y == 1)).sum() / n - (treated & (y == 0)).sum() / n * th / (1 - th)
        assert close(nb.model[k], expected, rel=1e-13, abs_=1e-15)
        assert close(nb.treat_all[k], y.mean() - (1 - y.mean()) * th / (1 - th), rel=1e-13, abs_=1e-15)
    assert np.all(nb.treat_none == 0)
    again = metrics.net_benefit(y, p, t, n_boot=300, seed=2, n_threads=1)
    np.testing.assert_array_equal(nb.model_ci_low, again.model_ci_low)
    assert np.all(nb.model_ci_low <= nb.model + 1e-15) and np.all(nb.model <= nb.model_ci_high + 1e-15)


def test_errors():
    with pytest.raises(ValueError, match="y_prob"):
        metrics.calibration([0, 1], [0.2, 1.2])
    with pytest.raises(ValueError, match="thresholds"):
        metrics.net_benefit([0, 1], [0.2, 0.7], [1.0])


W = load_fixture("weighted_sklearn_reference.json")


@pytest.mark.parametrize("c", W["cases"], ids=lambda c: c["name"])
def test_sample_weight_equals_sklearn(c):
    assert close(metrics.weighted_roc_auc(c["y"], c["score"], c["weight"]), c["roc_auc"])
    fpr, tpr, thr = metrics.weighted_roc_curve(c["y"], c["score"], c["weight"])
    np.testing.assert_allclose(fpr, c["roc_curve"]["fpr"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(tpr, c["roc_curve"]["tpr"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(thr, c["roc_curve"]["thresholds"], rtol=1e-12)
    r = metrics.weighted_binary_report(c["y"], c["score"], c["weight"], c["threshold"])
    for key in ("tp", "fp", "tn", "fn", "accuracy", "precision", "recall", "f1"):
        assert close(getattr(r, key), c[key]), key


PT = load_fixture("roc_point_tests_reference.json")


def test_point_test_and_partial_auc_ci_agree_with_proc_to_monte_carlo_error():
    y = PT["y"]
    for c in PT["point_tests"]:
        a, b = PT["predictors"][c["predictors"][0]], PT["predictors"][c["predictors"][1]]
        t = metrics.roc_point_test(y, a, b, c["input"], c["at"], n_boot=5000, seed=3)
        assert abs(t.statistic / c["statistic"] - 1) < 4 / np.sqrt(PT["boot_n"]), (t.statistic, c["statistic"])
    for c in PT["partial_auc_ci"]:
        ci = metrics.partial_auc_ci_bootstrap(y, PT["predictors"][c["predictor"]], c["low"], c["high"], n_boot=5000, seed=4)
        width = c["ci_high"] - c["ci_low"]
        assert abs(ci.ci_low - c["ci_low"]) < 0.1 * width and abs(ci.ci_high - c["ci_high"]) < 0.1 * width


def test_bootstrap_variance_near_the_ideal_bootstrap():
    M = load_fixture("roc_methods_reference.json")
    y, s = M["y"], M["predictors"]["s100b"]
    ideal = metrics.ideal_bootstrap_auc_variance(y, s)
    v = metrics.auc_variance_bootstrap(y, s, n_boot=10000, seed=9)
    assert abs(v / ideal - 1) < 4 * np.sqrt(2 / 9999)
    assert abs(M["bootstrap_var"][0]["var"] / ideal - 1) < 4 * np.sqrt(2 / 9999)
    assert close(metrics.obuchowski_variance(y, s), M["obuchowski_var"]["s100b"], rel=1e-10)
    thr, se, sp = metrics.coords_at(y, s, "specificity", [0.9])
    assert 0 < se[0] < 1
