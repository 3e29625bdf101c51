"""osteon.stats.or_mrmc on the Van Dyke et al. (1993) study against the published OR-DBM MRMC 2.5
(jackknife) and MRMCaov 0.3.0 (DeLong) outputs, to their printed digits."""
import csv

import numpy as np
import pytest

from osteon import stats
from conftest import DATA, load_fixture

PUB = load_fixture("mrmc_vandyke_published.json")


def _van_dyke():
    scores = np.zeros((2, 5, 114))
    truth = np.zeros(114)
    with open(DATA / "vandyke1993_mrmc.csv") as f:
        for row in csv.DictReader(f):
            scores[int(row["modality"]), int(row["reader"]), int(row["case"])] = float(row["rating"])
            truth[int(row["case"])] = float(row["truth"])
    return truth, scores


def _rounds_to(actual, printed):
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return abs(actual - float(printed)) <= 0.5 * 10 ** -decimals * (1 + 1e-9) + 1e-15


def test_jackknife_equals_or_dbm_mrmc():
    truth, scores = _van_dyke()
    p = PUB["or_dbm_jackknife"]
    r = stats.or_mrmc(truth, scores)
    assert r.foms.shape == (2, 5)
    for i in range(2):
        for j in range(5):
            assert _rounds_to(r.foms[i, j], p["foms"][i][j])
    pairs = [(r.f_statistic, p["random_readers"]["f"]), (r.ddf, p["random_readers"]["ddf"]),
             (r.p_value, p["random_readers"]["p"]), (r.ci_low, p["random_readers"]["ci_low"]),
             (r.ci_high, p["random_readers"]["ci_high"]), (r.difference, p["difference"]),
             (r.cov1, p["cov1"]), (r.cov2, p["cov2"]), (r.cov3, p["cov3"]), (r.var_error, p["var_error"]),
             (r.var_reader, p["var_reader"]), (r.var_treatment_reader, p["var_treatment_reader"]),
             (r.fixed_readers.statistic, p["fixed_readers"]["x2"]), (r.fixed_readers.p_value, p["fixed_readers"]["p"]),
             (r.fixed_cases.statistic, p["fixed_cases"]["f"]), (r.fixed_cases.p_value, p["fixed_cases"]["p"])]
    for actual, printed in pairs:
        assert _rounds_to(actual, printed), (actual, printed)
    assert _rounds_to(r.random_readers.modalities[0].df, p["random_readers"]["modalities"][0]["df"])
    assert _rounds_to(r.fixed_readers.reader_differences[4].p_value, p["fixed_readers"]["readers"][4]["p"])
    assert set(r.to_dict()) >= {"f_statistic", "ddf", "p_value", "ci_low", "ci_high", "modality_foms"}


def test_delong_equals_mrmcaov():
    truth, scores = _van_dyke()
    p = PUB["mrmcaov_delong"]
    r = stats.or_mrmc(truth, scores, covariance="delong")
    for actual, printed in [(r.f_statistic, p["random_readers"]["f"]), (r.ddf, p["random_readers"]["ddf"]),
                            (r.p_value, p["random_readers"]["p"]), (r.ci_low, p["random_readers"]["ci_low"]),
                            (r.ci_high, p["random_readers"]["ci_high"]), (r.cov2, p["cov2"]),
                            (r.var_reader, p["var_reader"])]:
        assert _rounds_to(actual, printed), (actual, printed)


def test_from_moments_and_per_case_agree_with_or_mrmc():
    truth, scores = _van_dyke()
    r = stats.or_mrmc(truth, scores, covariance="delong")
    # Rebuild the DeLong covariance through osteon.metrics.delong_cov and go through from_moments.
    from osteon import metrics
    cov = np.asarray(metrics.delong_cov(truth, scores.reshape(10, 114)))
    again = stats.or_mrmc_from_moments(r.foms, cov)
    assert abs(again.f_statistic - r.f_statistic) <= 1e-12 * r.f_statistic
    correct = (scores >= 3) == (truth[None, None, :] == 1)
    per_case = stats.or_mrmc_per_case(correct.astype(float))
    assert np.allclose(per_case.foms, correct.mean(axis=2), rtol=0, atol=1e-15)


def test_bad_shapes_raise():
    truth, scores = _van_dyke()
    with pytest.raises(ValueError, match="3-D"):
        stats.or_mrmc(truth, scores[0])
    with pytest.raises(ValueError, match="covariance"):
        stats.or_mrmc(truth, scores, covariance="bootstrap")
