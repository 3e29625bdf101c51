// sample_weight for the ROC curve, AUC and threshold metrics against scikit-learn 1.2
// (tests/data/weighted_sklearn_reference.json, scripts/make_reference_weighted_sklearn.py), at 1e-12.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "osteon/metrics/classification/weighted.hpp"
#include "osteon/metrics/roc/roc.hpp"
#include "osteon/metrics/roc/weighted.hpp"
#include "test_support.hpp"

namespace m = osteon::metrics;
using osteon::test::number;
using osteon::test::numbers;

TEST_CASE("weighted roc_curve, roc_auc and threshold metrics equal sklearn with sample_weight") {
  const auto data = osteon::test::load_fixture("weighted_sklearn_reference.json");
  for (const auto& c : data["cases"]) {
    INFO(c["name"].get<std::string>());
    const auto y = numbers(c["y"]), s = numbers(c["score"]), w = numbers(c["weight"]);
    OSTEON_CHECK_CLOSE(m::weighted_roc_auc(y, s, w), number(c["roc_auc"]));
    for (const auto& [key, drop] : {std::pair<const char*, bool>{"roc_curve", true}, {"roc_curve_all", false}}) {
      INFO(key);
      const auto curve = m::weighted_roc_curve(y, s, w, drop);
      osteon::test::check_all_close(curve.fpr, numbers(c[key]["fpr"]));
      osteon::test::check_all_close(curve.tpr, numbers(c[key]["tpr"]));
      osteon::test::check_all_close(curve.thresholds, numbers(c[key]["thresholds"]));
    }
    const auto r = m::weighted_binary_report(y, s, w, number(c["threshold"]));
    OSTEON_CHECK_CLOSE(r.tp, number(c["tp"]));
    OSTEON_CHECK_CLOSE(r.fp, number(c["fp"]));
    OSTEON_CHECK_CLOSE(r.tn, number(c["tn"]));
    OSTEON_CHECK_CLOSE(r.fn, number(c["fn"]));
    OSTEON_CHECK_CLOSE(r.accuracy, number(c["accuracy"]));
    OSTEON_CHECK_CLOSE(r.precision, number(c["precision"]));
    OSTEON_CHECK_CLOSE(r.recall, number(c["recall"]));
    OSTEON_CHECK_CLOSE(r.f1, number(c["f1"]));
  }
}

TEST_CASE("unit weights give the unweighted AUC; integer weights equal repeated samples") {
  const std::vector<int> y{0, 1, 0, 1, 1, 0, 0, 1};
  const std::vector<double> s{0.1, 0.9, 0.4, 0.4, 0.7, 0.3, 0.8, 0.6};
  CHECK(m::weighted_roc_auc(y, s, std::vector<double>(8, 1.0)) == doctest::Approx(m::roc_auc(y, s)).epsilon(1e-15));
  const std::vector<double> w{2, 1, 1, 3, 1, 1, 2, 1};
  std::vector<int> ry;
  std::vector<double> rs;
  for (std::size_t i = 0; i < y.size(); ++i)
    for (int k = 0; k < static_cast<int>(w[i]); ++k) ry.push_back(y[i]), rs.push_back(s[i]);
  CHECK(m::weighted_roc_auc(y, s, w) == doctest::Approx(m::roc_auc(ry, rs)).epsilon(1e-14));
  CHECK_THROWS_WITH_AS(m::weighted_roc_auc(y, s, std::vector<double>{1, 1, 1, 1, 1, 1, 1, -1}),
                       doctest::Contains("sample_weight[7] must be >= 0"), std::invalid_argument);
}
