// osteon::metrics calibration against rms 6.5.0's val.prob and R's lowess
// (tests/data/calibration_reference.json, scripts/make_reference_calibration.R) and scikit-learn
// 1.2's brier_score_loss / calibration_curve (tests/data/calibration_sklearn_reference.json,
// scripts/make_reference_calibration_sklearn.py), to 1e-10 relative (sklearn: 1e-12).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "osteon/metrics/classification/calibration.hpp"
#include "osteon/stats/lowess.hpp"
#include "test_support.hpp"

namespace {

using osteon::test::number;
using osteon::test::numbers;
namespace m = osteon::metrics;

#define CHECK_REL(actual, expected, rel)                                                          \
  CHECK_MESSAGE(::osteon::test::close((actual), (expected), rel, 1e-14),                          \
                #actual " = " << std::setprecision(17) << (actual) << ", expected " << (expected))

const nlohmann::json& r_fixture() {
  static const nlohmann::json data = osteon::test::load_fixture("calibration_reference.json");
  return data;
}
const nlohmann::json& sklearn_fixture() {
  static const nlohmann::json data = osteon::test::load_fixture("calibration_sklearn_reference.json");
  return data;
}

}  // namespace

TEST_CASE("lowess equals R's lowess (iter 0 and 3, two spans)") {
  for (const auto& c : r_fixture()["lowess"]) {
    INFO("f = " << number(c["f"]) << ", iter = " << c["iter"].get<int>());
    const auto s = osteon::stats::lowess(numbers(c["x"]), numbers(c["y"]), number(c["f"]), c["iter"].get<int>());
    const auto x = numbers(c["fitted_x"]), fitted = numbers(c["fitted"]);
    REQUIRE(s.fitted.size() == fitted.size());
    for (std::size_t i = 0; i < fitted.size(); ++i) {
      INFO("point " << i);
      CHECK(s.x[i] == x[i]);
      CHECK_REL(s.fitted[i], fitted[i], 1e-10);
    }
  }
}

TEST_CASE("calibration equals rms::val.prob: Brier, Intercept, Slope, Emax, E90, Eavg, S:z, S:p") {
  for (const auto& d : r_fixture()["datasets"]) {
    INFO(d["name"].get<std::string>());
    const auto y = numbers(d["y"]), p = numbers(d["p"]);
    const auto c = m::calibration(y, p);
    const auto& v = d["val_prob"];
    CHECK_REL(c.brier, number(v["brier"]), 1e-12);
    CHECK_REL(c.intercept, number(v["intercept"]), 1e-10);
    CHECK_REL(c.slope, number(v["slope"]), 1e-10);
    CHECK_REL(c.emax, number(v["emax"]), 1e-10);
    CHECK_REL(c.e90, number(v["e90"]), 1e-10);
    CHECK_REL(c.eavg, number(v["eavg"]), 1e-10);
    CHECK_REL(c.spiegelhalter_z, number(v["spiegelhalter_z"]), 1e-10);
    CHECK_REL(c.spiegelhalter_p, number(v["spiegelhalter_p"]), 1e-10);
    CHECK(c.brier_ci_low < c.brier);
    CHECK(c.brier_ci_high > c.brier);
  }
}

TEST_CASE("brier_score and reliability_curve equal sklearn's brier_score_loss and calibration_curve") {
  const auto& r = r_fixture()["datasets"];
  const auto& s = sklearn_fixture()["datasets"];
  REQUIRE(r.size() == s.size());
  for (std::size_t k = 0; k < r.size(); ++k) {
    INFO(r[k]["name"].get<std::string>());
    const auto y = numbers(r[k]["y"]), p = numbers(r[k]["p"]);
    CHECK_REL(m::brier_score(y, p), number(s[k]["brier_score_loss"]), 1e-12);
    for (const auto& c : s[k]["calibration_curve"]) {
      INFO(c["strategy"].get<std::string>() << " n_bins " << c["n_bins"].get<int>());
      const auto curve = m::reliability_curve(
          y, p, m::CalibrationOptions().n_bins(c["n_bins"].get<int>()).strategy(c["strategy"].get<std::string>()));
      const auto prob_true = numbers(c["prob_true"]), prob_pred = numbers(c["prob_pred"]);
      REQUIRE(curve.prob_true.size() == prob_true.size());
      double ece = 0.0;
      std::int64_t total = 0;
      for (std::size_t b = 0; b < prob_true.size(); ++b) {
        CHECK_REL(curve.prob_true[b], prob_true[b], 1e-12);
        CHECK_REL(curve.prob_pred[b], prob_pred[b], 1e-12);
        CHECK(curve.ci_low[b] <= curve.prob_true[b]);
        CHECK(curve.ci_high[b] >= curve.prob_true[b]);
        ece += static_cast<double>(curve.count[b]) * std::abs(prob_true[b] - prob_pred[b]);
        total += curve.count[b];
      }
      CHECK(total == static_cast<std::int64_t>(y.size()));
      CHECK_REL(curve.ece, ece / static_cast<double>(y.size()), 1e-12);
    }
  }
}

TEST_CASE("calibration on hand-computed cases") {
  // Brier (0.01 + 0.01 + 0.04 + 0.09) / 4 = 0.0375; two bins [0, 0.5], (0.5, 1].
  const std::vector<int> y{0, 1, 1, 0};
  const std::vector<double> p{0.1, 0.9, 0.8, 0.3};
  CHECK(m::brier_score(y, p) == doctest::Approx(0.0375).epsilon(1e-15));
  const auto curve = m::reliability_curve(y, p, m::CalibrationOptions().n_bins(2));
  REQUIRE(curve.prob_true.size() == 2);
  CHECK(curve.prob_true[0] == 0.0);
  CHECK(curve.prob_pred[0] == doctest::Approx(0.2));
  CHECK(curve.prob_true[1] == 1.0);
  CHECK(curve.ece == doctest::Approx(0.5 * 0.2 + 0.5 * 0.15));
  // A probability on an inner edge falls in the lower bin (numpy.searchsorted, side = "left").
  const auto edge = m::reliability_curve(std::vector<int>{1, 0}, std::vector<double>{0.5, 0.7},
                                         m::CalibrationOptions().n_bins(2));
  REQUIRE(edge.count.size() == 2);
  CHECK(edge.count[0] == 1);
}

TEST_CASE("calibration rejects bad input with the argument named") {
  CHECK_THROWS_WITH_AS(m::calibration(std::vector<int>{0, 1}, std::vector<double>{0.2, 1.5}),
                       doctest::Contains("y_prob[1] must be a probability in [0, 1], got 1.5"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(m::brier_score(std::vector<int>{0, 2}, std::vector<double>{0.2, 0.5}),
                       doctest::Contains("y_true[1]"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(m::reliability_curve(std::vector<int>{0, 1}, std::vector<double>{0.2, 0.5},
                                            m::CalibrationOptions().strategy("kmeans")),
                       doctest::Contains("strategy"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(m::brier_score(std::vector<int>{0, 1, 1}, std::vector<double>{0.2, 0.5}),
                       doctest::Contains("differ in length"), std::invalid_argument);
}
