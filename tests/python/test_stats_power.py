"""osteon.stats.power_roc_test / power_roc_test_curves against pROC 1.18's power.roc.test
(tests/data/power_reference.json, scripts/make_reference_power.R), at 1e-10 relative."""
import math

import numpy as np
import pytest

from osteon import stats
from conftest import close, load_fixture

REL = 1e-10
FIX = load_fixture("power_reference.json")


def _kwargs(case):
    a = case["args"] or {}  # R writes an empty argument list as []
    out = {"sig_level": None if case["sig_level_unset"] else a.get("sig.level", 0.05)}
    for key in ("auc", "ncases", "ncontrols", "power", "kappa", "alternative"):
        if key in a:
            out[key] = a[key]
    return out


def _check(result, expected):
    for key in ("ncases", "ncontrols", "sig_level", "power"):
        assert close(getattr(result, key), expected[key], rel=REL), (key, getattr(result, key), expected[key])
    if expected.get("auc") is not None:
        assert close(result.auc, expected["auc"], rel=REL)


@pytest.mark.parametrize("case", FIX["one_curve"], ids=lambda c: str(c["args"]))
def test_one_curve_equals_proc(case):
    _check(stats.power_roc_test(**_kwargs(case)), case["result"])


@pytest.mark.parametrize("case", FIX["binormal"], ids=lambda c: c["name"] + str(c["args"]))
def test_binormal_pairs_equal_proc(case):
    p = case["pars"]
    fpr = (p["FPR11"], p["FPR12"]) if "FPR11" in p else None
    r = stats.power_roc_test(a1=p["A1"], b1=p["B1"], a2=p["A2"], b2=p["B2"], rn=p["rn"], ra=p["ra"],
                             delta=p["delta"], fpr=fpr, **_kwargs(case))
    _check(r, case["result"])


@pytest.mark.parametrize("case", FIX["roc_pairs"], ids=lambda c: "-".join(c["predictors"]) + c["method"] + str(c["args"]))
def test_observed_pairs_equal_proc(case):
    y = np.array(FIX["asah"]["y"])
    a = np.array(FIX["asah"]["predictors"][case["predictors"][0]])
    b = np.array(FIX["asah"]["predictors"][case["predictors"][1]])
    kw = _kwargs(case)
    r = stats.power_roc_test_curves(y, a, b, method=case["method"], **kw)
    _check(r, case["result"])
    assert close(r.auc1, case["result"]["auc1"], rel=REL)
    assert close(r.auc2, case["result"]["auc2"], rel=REL)


@pytest.mark.parametrize("case", FIX["one_roc"], ids=lambda c: c["predictor"] + str(c["args"]))
def test_one_observed_curve_equals_proc(case):
    y = np.array(FIX["asah"]["y"])
    s = np.array(FIX["asah"]["predictors"][case["predictor"]])
    _check(stats.power_roc_test_curves(y, s, **_kwargs(case)), case["result"])


def test_auc1_auc2_convenience_matches_binormal_parameters():
    # A = qnorm(AUC) * sqrt(1 + B^2); delta defaults to auc1 - auc2.
    from statistics import NormalDist
    a1 = NormalDist().inv_cdf(0.85) * math.sqrt(2.0)
    a2 = NormalDist().inv_cdf(0.75) * math.sqrt(2.0)
    by_auc = stats.power_roc_test(auc1=0.85, auc2=0.75, rn=0.3, ra=0.4, power=0.8)
    by_a = stats.power_roc_test(a1=a1, a2=a2, rn=0.3, ra=0.4, delta=0.1, power=0.8)
    assert close(by_auc.ncases, by_a.ncases, rel=1e-12)
    assert close(by_auc.auc1, 0.85, rel=1e-12)


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="power must be in"):
        stats.power_roc_test(auc=0.8, power=2.0)
    with pytest.raises(ValueError, match="left unset"):
        stats.power_roc_test(auc=0.8, ncases=10, ncontrols=10, power=0.8)
    with pytest.raises(ValueError, match="method"):
        stats.power_roc_test_curves([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], [0.2, 0.1, 0.4, 0.3], method="bootstrap")
