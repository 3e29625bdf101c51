// Decision-curve analysis (Vickers & Elkin 2006): net benefit against hand-computed cases and the
// formula evaluated naively on the calibration fixture's data; the fast bootstrap against a naive
// bootstrap drawing from the same PCG32 streams; determinism across thread counts.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "osteon/metrics/classification/decision_curve.hpp"
#include "test_support.hpp"

namespace {
namespace m = osteon::metrics;
using osteon::test::numbers;

// NB = TP/n − FP/n · t/(1 − t), treat when p ≥ t, by a direct loop.
double naive_net_benefit(const std::vector<double>& y, const std::vector<double>& p, double t) {
  double tp = 0, fp = 0;
  for (std::size_t i = 0; i < y.size(); ++i)
    if (p[i] >= t) (y[i] == 1.0 ? tp : fp) += 1.0;
  const double n = static_cast<double>(y.size());
  return tp / n - fp / n * t / (1.0 - t);
}
}  // namespace

TEST_CASE("net_benefit on a hand-computed case") {
  // 10 patients, 4 events. At t = 0.25 (odds 1/3): treated p ≥ 0.25 → 3 events + 2 non-events:
  // NB = 3/10 − 2/10 · 1/3 = 0.2333…; treat all: 0.4 − 0.6/3 = 0.2; avoided = 100·(0.0333…)/(1/3) = 10.
  const std::vector<int> y{1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
  const std::vector<double> p{0.9, 0.6, 0.3, 0.1, 0.5, 0.25, 0.2, 0.1, 0.05, 0.0};
  const auto nb = m::net_benefit(y, p, std::vector<double>{0.0, 0.25, 0.95}, m::NetBenefitOptions().n_boot(0));
  CHECK(nb.prevalence == 0.4);
  CHECK(nb.model[1] == doctest::Approx(0.3 - 0.2 / 3.0).epsilon(1e-15));
  CHECK(nb.treat_all[1] == doctest::Approx(0.4 - 0.6 / 3.0).epsilon(1e-15));
  CHECK(nb.interventions_avoided[1] == doctest::Approx(10.0).epsilon(1e-13));
  CHECK(nb.true_positives[1] == 3);
  CHECK(nb.false_positives[1] == 2);
  // t = 0: everyone treated, NB = prevalence for the model and treat-all alike.
  CHECK(nb.model[0] == 0.4);
  CHECK(nb.treat_all[0] == 0.4);
  // t = 0.95: nobody treated by the model.
  CHECK(nb.model[2] == 0.0);
  CHECK(nb.treat_none[2] == 0.0);
  CHECK(std::isnan(nb.model_ci_low[0]));
}

TEST_CASE("net_benefit equals the formula on the fixture data, and the bootstrap equals a naive one") {
  const auto data = osteon::test::load_fixture("calibration_reference.json");
  std::vector<double> thresholds;
  for (int k = 0; k <= 40; ++k) thresholds.push_back(k * 0.02);
  for (const auto& d : data["datasets"]) {
    INFO(d["name"].get<std::string>());
    const auto y = numbers(d["y"]), p = numbers(d["p"]);
    const auto opts = m::NetBenefitOptions().n_boot(200).seed(9);
    const auto nb = m::net_benefit(y, p, thresholds, opts);
    for (std::size_t k = 0; k < thresholds.size(); ++k) {
      CHECK(osteon::test::close(nb.model[k], naive_net_benefit(y, p, thresholds[k]), 1e-14, 1e-15));
      CHECK(nb.treat_all_ci_low[k] == doctest::Approx(nb.treat_all[k]).epsilon(1e-14));  // stratified: fixed prevalence
    }
    // Naive stratified bootstrap with replicate r drawing from Pcg32(seed, r + 1), cases first.
    std::vector<std::size_t> order(y.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    std::vector<std::size_t> cases, controls;
    for (std::size_t i : order) (y[i] == 1.0 ? cases : controls).push_back(i);
    std::vector<std::vector<double>> reps(thresholds.size());
    for (std::int64_t r = 0; r < 200; ++r) {
      osteon::Pcg32 rng(9, static_cast<std::uint64_t>(r) + 1u);
      std::vector<double> ry, rp;
      for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto j = cases[rng.uniform_below(cases.size())];
        ry.push_back(y[j]), rp.push_back(p[j]);
      }
      for (std::size_t i = 0; i < controls.size(); ++i) {
        const auto j = controls[rng.uniform_below(controls.size())];
        ry.push_back(y[j]), rp.push_back(p[j]);
      }
      for (std::size_t k = 0; k < thresholds.size(); ++k) reps[k].push_back(naive_net_benefit(ry, rp, thresholds[k]));
    }
    for (std::size_t k = 0; k < thresholds.size(); ++k) {
      std::sort(reps[k].begin(), reps[k].end());
      CHECK(osteon::test::close(nb.model_ci_low[k], osteon::stats::quantile_sorted(reps[k], 0.025), 1e-13, 1e-15));
      CHECK(osteon::test::close(nb.model_ci_high[k], osteon::stats::quantile_sorted(reps[k], 0.975), 1e-13, 1e-15));
    }
  }
}

TEST_CASE("net_benefit bootstrap: same seed, same intervals on 1 and 4 threads; unstratified varies treat-all") {
  const auto data = osteon::test::load_fixture("calibration_reference.json");
  const auto& d = data["datasets"][0];
  const auto y = numbers(d["y"]), p = numbers(d["p"]);
  const std::vector<double> t{0.1, 0.3, 0.5};
  const auto one = m::net_benefit(y, p, t, m::NetBenefitOptions().n_boot(300).seed(3).n_threads(1));
  const auto four = m::net_benefit(y, p, t, m::NetBenefitOptions().n_boot(300).seed(3).n_threads(4));
  CHECK(one.model_ci_low == four.model_ci_low);
  CHECK(one.model_ci_high == four.model_ci_high);
  const auto other = m::net_benefit(y, p, t, m::NetBenefitOptions().n_boot(300).seed(4));
  CHECK(other.model_ci_low != one.model_ci_low);
  const auto free = m::net_benefit(y, p, t, m::NetBenefitOptions().n_boot(300).stratified(false));
  for (std::size_t k = 0; k < t.size(); ++k) {
    CHECK(free.treat_all_ci_low[k] < free.treat_all[k]);
    CHECK(free.treat_all_ci_high[k] > free.treat_all[k]);
    CHECK(one.model_ci_low[k] <= one.model[k]);
    CHECK(one.model_ci_high[k] >= one.model[k]);
  }
}

TEST_CASE("net_benefit rejects bad thresholds and options") {
  const std::vector<int> y{0, 1, 1, 0};
  const std::vector<double> p{0.1, 0.9, 0.8, 0.3};
  CHECK_THROWS_WITH_AS(m::net_benefit(y, p, std::vector<double>{0.2, 1.0}),
                       doctest::Contains("thresholds[1] must be in [0, 1), got 1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(m::net_benefit(y, p, std::vector<double>{}), doctest::Contains("thresholds is empty"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(m::net_benefit(y, p, std::vector<double>{0.2}, m::NetBenefitOptions().n_boot(-1)),
                       doctest::Contains("n_boot"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(m::net_benefit(std::vector<int>{1, 1}, std::vector<double>{0.2, 0.4}, std::vector<double>{0.2}),
                       doctest::Contains("both classes"), std::invalid_argument);
}
