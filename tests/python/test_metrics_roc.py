"""osteon.metrics ROC / AUC / DeLong from Python: pROC fixtures, live scikit-learn, tensors."""
import numpy as np
import pytest
import torch
from sklearn.metrics import roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve

import osteon
from osteon import metrics as om

from conftest import close


def _datasets(proc_reference):
    for dataset in proc_reference["datasets"]:
        yield dataset, np.asarray(dataset["y"]), [np.asarray(p["scores"]) for p in dataset["predictors"]]


def test_import_order_and_submodules():
    for name in ("metrics", "split", "losses", "nn", "stats"):
        assert hasattr(osteon, name)


def test_tensors_cross_the_binding_zero_copy():
    # Through the public API (the release package has no test-only module): a bound network's
    # parameters are the C++ module's tensors, both ways.
    model = osteon.nn.ResNet18(num_classes=2, in_channels=1).eval()
    cpp_items = dict(model.cpp_module._state_dict_items())
    assert cpp_items["fc.weight"].data_ptr() == model.fc.weight.data_ptr()  # C++ -> Python: same storage
    with torch.no_grad():
        model.fc.weight.zero_()  # in place on the Python side, used by the C++ forward
        model.fc.bias.copy_(torch.tensor([1.5, -2.0]))
        out = model(torch.randn(3, 1, 32, 32))
    assert torch.equal(out, torch.tensor([[1.5, -2.0]] * 3))
    # a tensor metric's result lives on the input's device
    assert om.roc_auc(torch.tensor([0, 1, 1]), torch.tensor([0.1, 0.9, 0.4])).device.type == "cpu"


def test_auc_variance_ci_equal_proc(proc_reference):
    for dataset, y, rows in _datasets(proc_reference):
        for predictor, s in zip(dataset["predictors"], rows):
            assert close(om.roc_auc(y, s), predictor["auc"])
            assert close(om.auc_variance(y, s), predictor["var_delong"])
            ci = om.auc_ci(y, s)
            assert close(ci.ci_low, predictor["ci_delong_95"]["lower"])
            assert close(ci.ci_high, predictor["ci_delong_95"]["upper"])
            ci90 = om.auc_ci(y, s, level=0.9)
            assert close(ci90.ci_low, predictor["ci_delong_90"]["lower"])
            curve = om.roc_curve(y, s)
            np.testing.assert_allclose(curve.thresholds, predictor["roc"]["thresholds"], rtol=1e-12)
            np.testing.assert_allclose(curve.sensitivity, predictor["roc"]["sensitivities"], rtol=1e-12)
            np.testing.assert_allclose(curve.specificity, predictor["roc"]["specificities"], rtol=1e-12)


def test_paired_and_unpaired_tests_equal_proc(proc_reference):
    by_name = {}
    for dataset, y, rows in _datasets(proc_reference):
        for predictor, s in zip(dataset["predictors"], rows):
            by_name[(dataset["name"], predictor["name"])] = (y, s)
        cov = om.delong_cov(y, np.stack(rows))
        np.testing.assert_allclose(cov, dataset["cov_matrix_delong"], rtol=1e-12, atol=1e-14)
        for pair in dataset["pairs"]:
            for alternative in ("two.sided", "less", "greater"):
                ref = pair["roc_test_paired"][alternative]
                t = om.delong_test(y, rows[pair["i"]], rows[pair["j"]], alternative=alternative)
                assert close(t.statistic, ref["statistic"])
                assert close(t.p_value, ref["p_value"])
                assert close(t.ci_low, ref["conf_int"][0]) and close(t.ci_high, ref["conf_int"][1])
    for entry in proc_reference["unpaired"]:
        y_a, s_a = by_name[(entry["roc1"]["dataset"], entry["roc1"]["predictor"])]
        y_b, s_b = by_name[(entry["roc2"]["dataset"], entry["roc2"]["predictor"])]
        for alternative in ("two.sided", "less", "greater"):
            ref = entry["roc_test_unpaired"][alternative]
            t = om.delong_test_unpaired(y_a, s_a, y_b, s_b, alternative=alternative)
            assert close(t.statistic, ref["statistic"]) and close(t.df, ref["df"]) and close(t.p_value, ref["p_value"])


def test_unpaired_interval_is_welchs():
    from scipy import stats
    rng = np.random.default_rng(1)
    y_a, y_b = rng.integers(0, 2, 80), rng.integers(0, 2, 60)
    s_a, s_b = y_a + rng.normal(size=80), 0.5 * y_b + rng.normal(size=60)
    t = om.delong_test_unpaired(y_a, s_a, y_b, s_b, level=0.9)
    se = (t.auc_a - t.auc_b) / t.statistic
    half = stats.t.ppf(0.95, t.df) * se
    assert close(t.ci_low, t.auc_a - t.auc_b - half, 1e-10) and close(t.ci_high, t.auc_a - t.auc_b + half, 1e-10)


def test_contrast_test_matches_numpy_scipy():
    from scipy import stats
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 150)
    scores = np.stack([y + rng.normal(size=150) * w for w in (0.8, 1.0, 1.5)])
    t = om.delong_contrast_test(y, scores)
    aucs = np.array([roc_auc_score(y, s) for s in scores])
    cov = om.delong_cov(y, scores)
    L = np.array([[1.0, -1.0, 0.0], [1.0, 0.0, -1.0]])
    d = L @ aucs
    chi2 = d @ np.linalg.pinv(L @ cov @ L.T) @ d
    assert t.df == 2
    assert close(t.statistic, chi2, 1e-10)
    assert close(t.p_value, stats.chi2.sf(chi2, 2), 1e-10)


def test_auc_and_curve_equal_live_sklearn():
    rng = np.random.default_rng(3)
    for n, ties in ((40, False), (500, True), (3000, True)):
        y = rng.integers(0, 2, n)
        s = y * 0.7 + rng.normal(size=n)
        if ties:
            s = np.round(s, 1)
        assert close(om.roc_auc(y, s), roc_auc_score(y, s))
        fpr, tpr, thr = sk_roc_curve(y, s, drop_intermediate=True)
        c = om.roc_curve(y, s, thresholds="sklearn", drop_intermediate=True)
        np.testing.assert_allclose(c.fpr, fpr, rtol=1e-12)
        np.testing.assert_allclose(c.tpr, tpr, rtol=1e-12)
        np.testing.assert_allclose(c.thresholds[1:], thr[1:], rtol=1e-12)


def test_tensor_results_stay_tensors_on_the_input_device(proc_reference):
    dataset = proc_reference["datasets"][0]
    y = torch.tensor(dataset["y"])
    scores = torch.tensor([p["scores"] for p in dataset["predictors"]], dtype=torch.float64)
    auc = om.roc_auc(y, scores[0])
    assert isinstance(auc, torch.Tensor) and auc.device == scores.device and auc.dim() == 0
    assert close(auc.item(), dataset["predictors"][0]["auc"])
    aucs = om.roc_auc(y, scores)
    assert aucs.shape == (3,)
    cov = om.delong_cov(y, scores)
    assert isinstance(cov, torch.Tensor)
    np.testing.assert_allclose(cov.numpy(), dataset["cov_matrix_delong"], rtol=1e-12, atol=1e-14)
    t = om.delong_test(y, scores[0], scores[1])
    ref = dataset["pairs"][0]["roc_test_paired"]["two.sided"]
    assert close(t.statistic, ref["statistic"]) and close(t.p_value, ref["p_value"])
    # float32 scores with a numpy label array
    assert close(om.roc_auc(np.asarray(dataset["y"]), scores[0].float()).item(),
                 roc_auc_score(dataset["y"], scores[0].float().numpy()))


def test_bootstrap_ci_is_seeded():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 200)
    s = y + rng.normal(size=200)
    a = om.auc_ci(y, s, method="bootstrap", n_boot=300, seed=5)
    b = om.auc_ci(y, s, method="bootstrap", n_boot=300, seed=5)
    d = om.auc_ci(y, s)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    # The bootstrap and DeLong intervals estimate the same thing: they agree to a few hundredths here.
    assert abs(a.ci_low - d.ci_low) < 0.03 and abs(a.ci_high - d.ci_high) < 0.03


@pytest.mark.parametrize("call, message", [
    (lambda: om.roc_auc([0, 1, 1], [0.1, 0.2]), "differ in length (3 vs 2)"),
    (lambda: om.roc_auc([0, 1], [0.1, np.inf]), "y_score[1] is not finite (inf)"),
    (lambda: om.roc_auc([0, 3], [0.1, 0.2]), "y_true[1] must be 0 (control) or 1 (case), got 3"),
    (lambda: om.roc_auc([1, 1], [0.1, 0.2]), "single class (2 cases, 0 controls)"),
    (lambda: om.roc_auc([], []), "y_true is empty"),
    (lambda: om.auc_variance([0, 1, 1], [0.1, 0.2, 0.3]), "at least 2 cases and 2 controls"),
    (lambda: om.auc_ci([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], level=0), "level must be in (0, 1), got 0"),
    (lambda: om.roc_auc([0, 1], [0.1, 0.2], direction="auto"), 'got "auto"'),
    (lambda: om.delong_test([0, 1, 0, 1], [1, 2, 3, 4], [1, 2, 3]), "differ in length"),
])
def test_bad_input_raises_value_error(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


def test_bad_tensor_input_raises_runtime_error():
    with pytest.raises(RuntimeError, match=r"y_true\[1\] must be 0"):
        om.roc_auc(torch.tensor([0, 2, 1]), torch.tensor([0.1, 0.2, 0.3]))
