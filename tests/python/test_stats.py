"""osteon.stats against scipy.stats (the fixture tests/data/stats_reference.json pins scipy 1.10;
here scipy is also called live where it is installed) and the error policy."""
import json
import math
import os

import numpy as np
import pytest

import osteon
from osteon import stats

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "stats_reference.json")
scipy_stats = pytest.importorskip("scipy.stats")


def _num(v):
    return {"Inf": math.inf, "-Inf": -math.inf, "NaN": math.nan}.get(v, v) if isinstance(v, str) else v


@pytest.fixture(scope="module")
def ref():
    with open(DATA) as f:
        return json.load(f)


def close(actual, expected, rel=1e-10, abs_=1e-14):
    expected = _num(expected)
    if math.isinf(expected):
        return actual == expected
    return abs(actual - expected) <= rel * abs(expected) + abs_


def test_linear_regression_matches_fixture_and_live_scipy(ref):
    for case in ref["regression"]:
        fit = stats.linear_regression(case["x"], case["y"])
        e = case["linregress"]
        for field, key in [("slope", "slope"), ("intercept", "intercept"), ("r", "r"), ("p_value", "p_value"),
                           ("slope_stderr", "slope_stderr"), ("intercept_stderr", "intercept_stderr")]:
            assert close(getattr(fit, field), e[key]), (case["name"], field)
        assert close(fit.r2, e["r"] ** 2)
        live = scipy_stats.linregress(np.asarray(case["x"]), np.asarray(case["y"]))
        assert close(fit.slope, live.slope) and close(fit.p_value, live.pvalue)


def test_pearson_and_bland_altman_match_fixture(ref):
    for case in ref["regression"]:
        for alt, e in case["pearsonr"].items():
            p = stats.pearson(case["x"], case["y"], level=0.9, alternative=alt)
            assert close(p.r, e["r"]) and close(p.p_value, e["p_value"])
            assert close(p.ci_low, e["ci90"][0]) and close(p.ci_high, e["ci90"][1])
    for case in ref["bland_altman"]:
        ba = stats.bland_altman(np.asarray(case["a"], float), case["b"])
        e = case["levels"]["0.95"]
        assert close(ba.bias, e["bias"]) and close(ba.sd, e["sd"])
        assert close(ba.lower_limit, e["lower_limit"]) and close(ba.upper_limit, e["upper_limit"])
        # CIs use the t quantile, where scipy 1.10 is off by ~4e-9 (see the fixture's notes)
        assert close(ba.bias_ci_low, e["bias_ci"][0], 1e-8, 1e-8)


def test_paired_tests_match_fixture(ref):
    for case in ref["paired_ttest"]:
        for alt, e in case["results"].items():
            t = stats.paired_ttest(case["a"], case["b"], alternative=alt)
            assert close(t.statistic, e["statistic"]) and close(t.p_value, e["p_value"])
            assert t.df == e["df"]
            assert close(t.ci_low, e["ci95"][0], 1e-8, 1e-8) and close(t.ci_high, e["ci95"][1], 1e-8, 1e-8)
    for case in ref["wilcoxon"]:
        for r in case["results"]:
            w = stats.wilcoxon_signed_rank(case["a"], case["b"], **r["config"])
            assert close(w.statistic, r["statistic"]) and close(w.p_value, r["p_value"]), (case["name"], r["config"])


def test_one_sample_forms_and_torch_input():
    import torch
    d = [0.3, -0.1, 0.4, 0.2, 0.5, 0.25]
    assert close(stats.paired_ttest(d).p_value, scipy_stats.ttest_1samp(d, 0.0).pvalue)
    assert close(stats.wilcoxon_signed_rank(d).p_value, scipy_stats.wilcoxon(d).pvalue)
    assert close(stats.mean_sd(torch.tensor([0.91, 0.93, 0.90, 0.94], dtype=torch.float64)).sd,
                 np.std([0.91, 0.93, 0.90, 0.94], ddof=1))


def test_mean_sd_reports_ddof_and_formats():
    s = stats.mean_sd([0.91, 0.93, 0.90, 0.94])
    assert s.ddof == 1 and s.n == 4
    assert str(s).startswith("0.92 ± 0.01826")
    assert s.to_dict()["sd"] == s.sd
    assert "MeanSd(mean=" in repr(s)
    assert stats.mean_sd([1.0, 2.0], ddof=0).sd == 0.5


@pytest.mark.parametrize("call, fragment", [
    (lambda: stats.mean_sd([0.9]), "n=1"),
    (lambda: stats.mean_sd([[1.0, 2.0]]), "values must be 1-D"),
    (lambda: stats.paired_ttest([1, 2, 3], [1, 2]), "a and b differ in length (3 vs 2)"),
    (lambda: stats.paired_ttest([1, 2, 3], [0, 1, 2]), "every difference a - b equals 1"),
    (lambda: stats.paired_ttest([1, 2, 3], [0, 1, 5], alternative="two.tailed"), "two.tailed"),
    (lambda: stats.linear_regression([2, 2, 2], [1, 2, 3]), "x is constant"),
    (lambda: stats.pearson([1, 2, float("nan"), 4], [1, 2, 3, 4]), "x[2] is not finite"),
    (lambda: stats.bland_altman([1, 2], [1, 2], level=95), "level must be in (0, 1), got 95"),
    (lambda: stats.wilcoxon_signed_rank([1, 2, 3, -1], method="exact"), "tie"),
    (lambda: stats.wilcoxon_signed_rank([1, 2], zero_method="drop"), "zero_method"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, fragment):
    with pytest.raises(ValueError) as info:
        call()
    assert fragment in str(info.value)
