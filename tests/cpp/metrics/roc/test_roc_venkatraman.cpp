// Venkatraman's tests, binormal smoothing and multi-class ROC against pROC 1.18
// (tests/data/roc_venkatraman_reference.json, scripts/make_reference_roc_venkatraman.R) and
// scikit-learn 1.2.1 (tests/data/multiclass_sklearn_reference.json,
// scripts/make_reference_multiclass_sklearn.py). Venkatraman's statistic E is exact; its permutation
// p-value is compared to pROC's (R's RNG, 4000 permutations) within 4.5 Monte-Carlo standard errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "osteon/metrics/classification/multiclass.hpp"
#include "osteon/metrics/roc/multiclass_univariate.hpp"
#include "osteon/metrics/roc/roc.hpp"
#include "osteon/metrics/roc/smooth.hpp"
#include "osteon/metrics/roc/venkatraman.hpp"
#include "test_support.hpp"

namespace {
namespace m = osteon::metrics;
using osteon::test::close;
using osteon::test::message_of;
using osteon::test::number;
using osteon::test::numbers;
using osteon::test::contains;

const nlohmann::json& fixture() {
  static const nlohmann::json data = osteon::test::load_fixture("roc_venkatraman_reference.json");
  return data;
}
std::vector<double> predictor(const std::string& name) { return numbers(fixture()["predictors"][name]); }

// |p − p_pROC| within 4.5 standard errors of the difference of two independent Monte-Carlo p-values.
void check_p_value(double p, double expected, double b) {
  const double q = std::max(expected, 1.0 / b);
  const double se = std::sqrt(2.0 * q * (1.0 - q) / b);
  CHECK_MESSAGE(std::abs(p - expected) <= 4.5 * se + 1e-12, "p = " << p << ", pROC " << expected);
}

std::vector<double> subset(const std::vector<double>& v, const std::vector<double>& mask, bool keep) {
  std::vector<double> out;
  for (std::size_t i = 0; i < v.size(); ++i)
    if ((mask[i] != 0.0) == keep) out.push_back(v[i]);
  return out;
}
}  // namespace

TEST_CASE("venkatraman_test (paired) equals pROC: E exactly, p within Monte-Carlo error") {
  const auto y = numbers(fixture()["y"]);
  const double b = number(fixture()["boot_n"]);
  for (const auto& t : fixture()["venkatraman_paired"]) {
    INFO(t["predictors"].dump());
    const auto result = m::venkatraman_test(y, predictor(t["predictors"][0]), predictor(t["predictors"][1]),
                                            m::VenkatramanOptions().n_permutations(4000).seed(3));
    CHECK(result.statistic == number(t["statistic"]));
    CHECK(result.paired);
    check_p_value(result.p_value, number(t["p_value"]), b);
  }
}

TEST_CASE("venkatraman_test_unpaired equals pROC: E to 1e-12, p within Monte-Carlo error") {
  const auto y = numbers(fixture()["y"]);
  const auto women = numbers(fixture()["women"]);
  const double b = number(fixture()["boot_n"]);
  for (const auto& t : fixture()["venkatraman_unpaired"]) {
    INFO(t["predictors"].dump());
    const auto result = m::venkatraman_test_unpaired(subset(y, women, true), subset(predictor(t["predictors"][0]), women, true),
                                                     subset(y, women, false), subset(predictor(t["predictors"][1]), women, false),
                                                     m::VenkatramanOptions().n_permutations(4000).seed(5));
    CHECK(close(result.statistic, number(t["statistic"]), 1e-12));
    CHECK_FALSE(result.paired);
    check_p_value(result.p_value, number(t["p_value"]), b);
  }
}

TEST_CASE("venkatraman tests: independent of the thread count, identical predictors, bad input") {
  const auto y = numbers(fixture()["y"]);
  const auto a = predictor("ndka"), s = predictor("s100b");
  const auto one = m::venkatraman_test(y, a, s, m::VenkatramanOptions().n_permutations(300).seed(9).n_threads(1));
  const auto two = m::venkatraman_test(y, a, s, m::VenkatramanOptions().n_permutations(300).seed(9).n_threads(2));
  CHECK(one.p_value == two.p_value);
  const auto same = m::venkatraman_test(y, s, s, m::VenkatramanOptions().n_permutations(200));
  CHECK(same.statistic == 0.0);
  CHECK(same.p_value == 1.0);  // every permuted E ≥ 0
  CHECK(contains(message_of([&] { m::venkatraman_test(std::vector<int>{0, 1, 2}, a, s); }), "y_true[2]"));
  CHECK(contains(message_of([&] { m::venkatraman_test(std::vector<int>{0, 1}, std::vector<double>{1, 2}, std::vector<double>{1}); }),
                 "score_b differ in length"));
  CHECK(contains(message_of([&] { m::venkatraman_test(std::vector<int>{1, 1}, std::vector<double>{1, 2}, std::vector<double>{1, 2}); }),
                 "needs both cases and controls"));
  CHECK(contains(message_of([&] { m::venkatraman_test(y, a, s, m::VenkatramanOptions().n_permutations(0)); }),
                 "n_permutations must be >= 1, got 0"));
}

TEST_CASE("smooth_roc_binormal equals pROC's smooth(method = \"binormal\")") {
  const auto y = numbers(fixture()["y"]);
  for (const auto& r : fixture()["binormal"]) {
    INFO(r["predictor"].get<std::string>());
    const auto curve = m::roc_curve(y, predictor(r["predictor"]));
    const auto smooth = m::smooth_roc_binormal(curve, static_cast<std::int64_t>(number(r["n"])));
    CHECK(close(smooth.a, number(r["a"]), 1e-10));
    CHECK(close(smooth.b, number(r["b"]), 1e-10));
    CHECK(close(smooth.auc, number(r["auc"]), 1e-10));
    const auto se = numbers(r["sensitivities"]), sp = numbers(r["specificities"]);
    REQUIRE(smooth.sensitivity.size() == se.size());
    for (std::size_t i = 0; i < se.size(); ++i) {
      CHECK(close(smooth.sensitivity[i], se[i], 1e-12, 1e-15));
      CHECK(close(smooth.specificity[i], sp[i], 1e-10, 1e-15));
    }
    double trapezoids = 0.0;  // the trapezoidal area of pROC's own points
    for (std::size_t i = 1; i < se.size(); ++i) trapezoids += (sp[i] - sp[i - 1]) * (se[i] + se[i - 1]) / 2.0;
    CHECK(close(smooth.auc_trapezoid, trapezoids, 1e-10));
    // The closed-form binormal area is the limit of the trapezoids.
    CHECK(std::abs(m::smooth_roc_binormal(curve, 200001).auc_trapezoid - smooth.auc) < 1e-6);
  }
  CHECK(contains(message_of([&] { m::smooth_roc_binormal(m::roc_curve(y, predictor("s100b")), 1); }), "n must be >= 2, got 1"));
  CHECK(contains(message_of([] { m::smooth_roc_binormal(m::roc_curve(std::vector<int>{0, 1}, std::vector<double>{0, 1})); }),
                 "not smoothable"));
}

TEST_CASE("multiclass_roc_univariate equals pROC's multiclass.roc (per pair and the mean)") {
  const auto grade = numbers(fixture()["grade"]);
  for (const auto& r : fixture()["multiclass"]) {
    INFO(r["predictor"].get<std::string>());
    for (const char* mode : {"auto", "less"}) {
      INFO(mode);
      const auto mc = std::string(mode) == "auto"
                          ? m::multiclass_roc_univariate(grade, predictor(r["predictor"]))
                          : m::multiclass_roc_univariate(grade, predictor(r["predictor"]), m::Direction::CasesHigher);
      const auto& expected = r[mode];
      CHECK(close(mc.auc, number(expected["auc"]), 1e-12));
      REQUIRE(mc.pairs.size() == expected["pairs"].size());
      for (std::size_t k = 0; k < mc.pairs.size(); ++k) {
        const auto& e = expected["pairs"][k];
        CHECK(mc.pairs[k].control_level == number(e["levels"][0]));
        CHECK(mc.pairs[k].case_level == number(e["levels"][1]));
        CHECK((mc.pairs[k].direction == m::Direction::CasesHigher) == (e["direction"].get<std::string>() == "<"));
        CHECK(close(mc.pairs[k].auc, number(e["auc"]), 1e-12));
      }
    }
  }
  CHECK(contains(message_of([] { m::multiclass_roc_univariate(std::vector<double>{1, 1}, std::vector<double>{0, 1}); }),
                 "at least two classes, got 1"));
}

TEST_CASE("multiclass_auc equals scikit-learn's roc_auc_score(multi_class = ovr / ovo, labels = with an absent class)") {
  const auto data = osteon::test::load_fixture("multiclass_sklearn_reference.json");
  for (const auto& c : data["cases"]) {
    INFO(c["name"].get<std::string>());
    const auto k = static_cast<std::size_t>(number(c["n_classes"]));
    std::vector<double> scores;
    for (const auto& row : c["score"])
      for (const auto& v : row) scores.push_back(number(v));
    std::vector<double> y;
    if (c["y"][0].is_string()) {  // class index: position in labels=, or in the sorted class names
      std::vector<std::string> names;
      if (c.contains("labels")) {
        for (const auto& l : c["labels"]) names.push_back(l);
      } else {
        for (const auto& l : c["y"]) names.push_back(l);
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
      }
      for (const auto& l : c["y"])
        y.push_back(static_cast<double>(std::find(names.begin(), names.end(), l.get<std::string>()) - names.begin()));
    } else {
      y = numbers(c["y"]);
    }
    const auto probs = m::ClassScores::from_row_major(scores.data(), y.size(), k);
    const std::map<std::string, std::pair<m::MulticlassStrategy, m::MulticlassAverage>> modes{
        {"ovr_macro", {m::MulticlassStrategy::OneVsRest, m::MulticlassAverage::Macro}},
        {"ovr_weighted", {m::MulticlassStrategy::OneVsRest, m::MulticlassAverage::Weighted}},
        {"ovo_macro", {m::MulticlassStrategy::OneVsOne, m::MulticlassAverage::Macro}},
        {"ovo_weighted", {m::MulticlassStrategy::OneVsOne, m::MulticlassAverage::Weighted}}};
    for (const auto& [key, mode] : modes) {
      INFO(key);
      if (!c.contains(key)) {  // the absent-class case: sklearn's ovr refuses it, and so does osteon
        CHECK(contains(message_of([&] { m::multiclass_auc(y, probs, mode.first, mode.second); }),
                       "class 2 is absent from y_true"));
        continue;
      }
      CHECK(close(m::multiclass_auc(y, probs, mode.first, mode.second), number(c[key]), 1e-12));
    }
  }
  const auto two = m::ClassScores::from_rows(std::vector<std::vector<double>>{{0.5, 0.5, 0.0}, {0.6, 0.4, 0.0}});
  CHECK(contains(message_of([&] { m::multiclass_auc(std::vector<int>{0, 0}, two, m::MulticlassStrategy::OneVsOne); }),
                 "fewer than two of the 3 classes"));
}
