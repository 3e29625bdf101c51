// pROC methods beyond DeLong (tests/data/roc_methods_reference.json, scripts/make_reference_roc_methods.R):
// Obuchowski var / cov exactly (1e-10); bootstrap var / cov / roc.test(method = "bootstrap")
// statistically — pROC draws with R's RNG — against pROC at boot.n = 10000 and against the closed-form
// ideal-bootstrap variance within 4 Monte-Carlo standard errors; exact on degenerate cases; the fast
// resampling equal to a naive one on the same PCG32 streams; results independent of the thread count.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "osteon/metrics/roc/coords.hpp"
#include "osteon/metrics/roc/obuchowski.hpp"
#include "osteon/metrics/roc/roc.hpp"
#include "osteon/metrics/roc/roc_tests.hpp"
#include "test_support.hpp"

namespace {
namespace m = osteon::metrics;
using osteon::test::number;
using osteon::test::numbers;

const nlohmann::json& fixture() {
  static const nlohmann::json data = osteon::test::load_fixture("roc_methods_reference.json");
  return data;
}
std::vector<double> predictor(const std::string& name) { return numbers(fixture()["predictors"][name]); }
std::vector<double> labels() { return numbers(fixture()["y"]); }

// Relative Monte-Carlo SE of a sample variance from B replicates (≈ normal replicates): sqrt(2/(B−1)).
double variance_rel_se(double b) { return std::sqrt(2.0 / (b - 1.0)); }
}  // namespace

TEST_CASE("obuchowski_variance and obuchowski_cov equal pROC exactly") {
  const auto y = labels();
  for (const auto& [name, expected] : fixture()["obuchowski_var"].items()) {
    INFO(name);
    CHECK(osteon::test::close(m::obuchowski_variance(y, predictor(name)), number(expected), 1e-10));
  }
  for (const auto& c : fixture()["obuchowski_cov"]) {
    const auto a = predictor(c["predictors"][0].get<std::string>()), b = predictor(c["predictors"][1].get<std::string>());
    INFO(c["predictors"].dump());
    CHECK(osteon::test::close(m::obuchowski_cov(y, a, b), number(c["cov"]), 1e-10));
  }
}

TEST_CASE("bootstrap variance agrees with pROC and with the ideal bootstrap to Monte-Carlo error") {
  const auto y = labels();
  const double b = number(fixture()["boot_n"]);
  for (const auto& c : fixture()["bootstrap_var"]) {
    const auto name = c["predictor"].get<std::string>();
    INFO(name);
    const auto s = predictor(name);
    const double ideal = m::ideal_bootstrap_auc_variance(y, s);
    const double ours = m::auc_variance_bootstrap(y, s, m::RocBootstrapOptions().n_boot(10000).seed(3));
    const double proc = number(c["var"]);
    const double se = variance_rel_se(b);
    CHECK(std::abs(ours / ideal - 1.0) < 4.0 * se);
    CHECK(std::abs(proc / ideal - 1.0) < 4.0 * se);
    CHECK(std::abs(ours / proc - 1.0) < 4.0 * std::sqrt(2.0) * se);
  }
}

TEST_CASE("bootstrap covariance and paired / unpaired roc.test(method = 'bootstrap') agree with pROC") {
  const auto y = labels();
  const double se = variance_rel_se(number(fixture()["boot_n"]));
  for (const auto& c : fixture()["bootstrap_cov"]) {
    const auto a = predictor(c["predictors"][0].get<std::string>()), b = predictor(c["predictors"][1].get<std::string>());
    INFO(c["predictors"].dump());
    const double ours = m::auc_cov_bootstrap(y, a, b, m::RocBootstrapOptions().n_boot(10000).seed(5));
    const double proc = number(c["cov"]);
    // The SE of a covariance estimate: sqrt((σa²σb² + c²)/(B − 1)); bounded here by var_a·var_b.
    const double va = m::ideal_bootstrap_auc_variance(y, a), vb = m::ideal_bootstrap_auc_variance(y, b);
    const double cov_se = std::sqrt((va * vb + proc * proc) / (10000.0 - 1.0));
    CHECK(std::abs(ours - proc) < 4.0 * std::sqrt(2.0) * cov_se);
  }
  for (const auto& c : fixture()["bootstrap_test"]) {
    const auto a = predictor(c["predictors"][0].get<std::string>()), b = predictor(c["predictors"][1].get<std::string>());
    INFO(c["predictors"].dump());
    const auto t = m::roc_bootstrap_test(y, a, b, m::RocBootstrapOptions().n_boot(10000).seed(8));
    const double proc = number(c["statistic"]);
    // D = d / sd: the relative SE of an SD is about half that of a variance.
    CHECK(std::abs(t.statistic / proc - 1.0) < 4.0 * std::sqrt(2.0) * se / 2.0);
    CHECK(t.auc_a == m::roc_auc(y, a));
    CHECK(std::abs(t.p_value - number(c["p_value"])) < 0.01);
  }
  std::vector<double> ya(y.begin(), y.begin() + 60), yb(y.begin() + 60, y.end());
  const auto s = predictor("s100b"), w = predictor("wfns");
  std::vector<double> sa(s.begin(), s.begin() + 60), wb(w.begin() + 60, w.end());
  const auto tu = m::roc_bootstrap_test_unpaired(ya, sa, yb, wb, m::RocBootstrapOptions().n_boot(10000).seed(2));
  const double proc = number(fixture()["bootstrap_test_unpaired"]["statistic"]);
  CHECK(std::abs(tu.statistic / proc - 1.0) < 4.0 * std::sqrt(2.0) * se / 2.0);
  CHECK_FALSE(tu.paired);
}

TEST_CASE("bootstrap: degenerate cases are exact, seeds are thread-count independent") {
  // Perfect separation: every replicate has AUC 1, variance exactly 0; identical predictors: D = 0.
  const std::vector<int> y{0, 0, 0, 1, 1, 1};
  const std::vector<double> s{0.1, 0.2, 0.3, 0.7, 0.8, 0.9};
  CHECK(m::auc_variance_bootstrap(y, s, m::RocBootstrapOptions().n_boot(200)) == 0.0);
  const auto t = m::roc_bootstrap_test(y, s, s, m::RocBootstrapOptions().n_boot(200));
  CHECK(t.statistic == 0.0);
  CHECK(t.p_value == 1.0);
  const auto yy = labels();
  const auto a = predictor("wfns"), b = predictor("s100b");
  const auto one = m::auc_cov_bootstrap(yy, a, b, m::RocBootstrapOptions().n_boot(500).seed(4).n_threads(1));
  const auto many = m::auc_cov_bootstrap(yy, a, b, m::RocBootstrapOptions().n_boot(500).seed(4).n_threads(3));
  CHECK(one == many);
  CHECK(m::auc_cov_bootstrap(yy, a, a, m::RocBootstrapOptions().n_boot(500).seed(4)) ==
        doctest::Approx(m::auc_variance_bootstrap(yy, a, m::RocBootstrapOptions().n_boot(500).seed(4))).epsilon(1e-12));
}

TEST_CASE("bootstrap replicate AUCs equal a naive resample on the same streams") {
  const auto y = labels();
  const auto s = predictor("ndka");
  std::vector<double> cases, controls;
  for (std::size_t i = 0; i < y.size(); ++i) (y[i] == 1.0 ? cases : controls).push_back(s[i]);
  const auto aucs = m::detail::paired_bootstrap_aucs({m::SplitScores{cases, controls}}, m::RocBootstrapOptions().n_boot(50).seed(6));
  for (std::int64_t r = 0; r < 50; ++r) {
    osteon::Pcg32 rng(6, static_cast<std::uint64_t>(r) + 1u);
    std::vector<double> rc, rn;
    for (std::size_t i = 0; i < cases.size(); ++i) rc.push_back(cases[rng.uniform_below(cases.size())]);
    for (std::size_t j = 0; j < controls.size(); ++j) rn.push_back(controls[rng.uniform_below(controls.size())]);
    double u = 0;
    for (double x : rc)
      for (double z : rn) u += x > z ? 1.0 : (x == z ? 0.5 : 0.0);
    CHECK(aucs[static_cast<std::size_t>(r)] == doctest::Approx(u / (rc.size() * rn.size())).epsilon(1e-14));
  }
}

TEST_CASE("coords_at (interpolated) and local_maxima equal pROC's coords()") {
  const auto data = osteon::test::load_fixture("coords_reference.json");
  for (const auto& c : data["cases"]) {
    INFO(c["name"].get<std::string>());
    const auto curve = m::roc_curve(numbers(c["y"]), numbers(c["x"]));
    for (const char* input : {"specificity", "sensitivity"}) {
      INFO(input);
      const auto& e = c[std::string("at_") + input];
      const auto points = m::coords_at(curve, input, numbers(e["x"]));
      const auto thr = numbers(e["threshold"]), se = numbers(e["sensitivity"]), sp = numbers(e["specificity"]);
      for (std::size_t i = 0; i < points.size(); ++i) {
        INFO("x = " << numbers(e["x"])[i]);
        CHECK(osteon::test::close(points[i].threshold, thr[i]));
        CHECK(osteon::test::close(points[i].sensitivity, se[i]));
        CHECK(osteon::test::close(points[i].specificity, sp[i]));
      }
    }
    const auto lm = m::local_maxima(curve);
    const auto thr = numbers(c["local_maximas"]["threshold"]);
    REQUIRE(lm.size() == thr.size());
    for (std::size_t i = 0; i < lm.size(); ++i) CHECK(osteon::test::close(curve.thresholds[lm[i]], thr[i]));
  }
  CHECK_THROWS_WITH_AS(m::coords_at(m::roc_curve(std::vector<int>{0, 1}, std::vector<double>{0.1, 0.9}), "ppv", {0.5}),
                       doctest::Contains("input"), std::invalid_argument);
}

TEST_CASE("roc_point_test and partial_auc_ci_bootstrap agree with pROC to Monte-Carlo error") {
  const auto data = osteon::test::load_fixture("roc_point_tests_reference.json");
  const auto y = numbers(data["y"]);
  const auto pred = [&](const std::string& name) { return numbers(data["predictors"][name]); };
  const double b = number(data["boot_n"]);
  for (const auto& c : data["point_tests"]) {
    const auto input = c["input"].get<std::string>();
    INFO(c["predictors"].dump() << " " << input);
    const auto a = pred(c["predictors"][0].get<std::string>()), s = pred(c["predictors"][1].get<std::string>());
    const auto t = m::roc_point_test(y, a, s, input, number(c["at"]), m::RocBootstrapOptions().n_boot(5000).seed(11));
    // The compared values are the curves' points (coords_at, equal to pROC's coords); pROC's
    // "estimate" holds the two AUCs.
    const auto point_a = m::coords_at(m::roc_curve(y, a), input, {number(c["at"])})[0];
    CHECK(t.auc_a == (input == "specificity" ? point_a.sensitivity : point_a.specificity));
    CHECK(osteon::test::close(m::roc_auc(y, a), number(c["estimate"][0])));
    CHECK(osteon::test::close(m::roc_auc(y, s), number(c["estimate"][1])));
    // D = d / sd: two independent estimates of an SD, each with relative SE ≈ 1/√(2B).
    CHECK(std::abs(t.statistic / number(c["statistic"]) - 1.0) < 4.0 * std::sqrt(2.0) / std::sqrt(2.0 * b));
  }
  for (const auto& c : data["partial_auc_ci"]) {
    INFO(c["predictor"].get<std::string>());
    const auto s = pred(c["predictor"].get<std::string>());
    const auto ci = m::partial_auc_ci_bootstrap(y, s, number(c["low"]), number(c["high"]), m::PartialAucFocus::Specificity,
                                                false, 0.95, m::RocBootstrapOptions().n_boot(5000).seed(12));
    CHECK(ci.auc == m::partial_auc(m::roc_curve(y, s), number(c["low"]), number(c["high"]),
                                   m::PartialAucFocus::Specificity, false).value);
    // pROC's middle value is the replicates' median; percentile endpoints: agreement to a tenth of the interval's width at 5000 replicates each.
    const double width = number(c["ci_high"]) - number(c["ci_low"]);
    CHECK(std::abs(ci.ci_low - number(c["ci_low"])) < 0.1 * width);
    CHECK(std::abs(ci.ci_high - number(c["ci_high"])) < 0.1 * width);
  }
}
