// Hand-computed cases and the error policy of the threshold, multi-class and partial-AUC code.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "osteon/metrics/classification/binary_report.hpp"
#include "osteon/metrics/classification/multiclass.hpp"
#include "osteon/metrics/roc/partial_auc.hpp"
#include "osteon/metrics/classification/proportion_ci.hpp"
#include "osteon/metrics/classification/thresholds.hpp"
#include "test_support.hpp"

namespace m = osteon::metrics;
using Vec = std::vector<double>;
using Labels = std::vector<int>;

using osteon::test::contains;
using osteon::test::message_of;

TEST_CASE("binary_report: hand-computed 2x2 table") {
  // TP 40, FP 10, TN 50, FN 8
  const auto r = m::binary_report(m::ConfusionCounts{40, 10, 50, 8});
  CHECK(r.accuracy == doctest::Approx(90.0 / 108.0));
  CHECK(r.precision == doctest::Approx(0.8));
  CHECK(r.recall == doctest::Approx(40.0 / 48.0));
  CHECK(r.specificity == doctest::Approx(50.0 / 60.0));
  CHECK(r.npv == doctest::Approx(50.0 / 58.0));
  CHECK(r.f1 == doctest::Approx(80.0 / 98.0));
  CHECK(r.youden_j == doctest::Approx(40.0 / 48.0 + 50.0 / 60.0 - 1.0));
  CHECK(r.mcc == doctest::Approx((40.0 * 50.0 - 10.0 * 8.0) / std::sqrt(50.0 * 48.0 * 60.0 * 58.0)));
  CHECK(r.undefined.empty());
  CHECK(r.recall_ci.k == 40);
  CHECK(r.recall_ci.n == 48);
  CHECK(r.accuracy_ci.n == 108);
}

TEST_CASE("binary_report: score >= threshold is positive; direction '>' flips it") {
  const Labels y{0, 0, 1, 1};
  const Vec s{0.1, 0.4, 0.35, 0.8};
  auto r = m::binary_report(y, s, 0.35);  // 0.4, 0.35, 0.8 positive
  CHECK(r.counts.tp == 2);
  CHECK(r.counts.fp == 1);
  m::BinaryReportOptions lower;
  lower.direction(m::Direction::CasesLower);
  r = m::binary_report(y, s, 0.35, lower);  // 0.1, 0.35 positive
  CHECK(r.counts.tp == 1);
  CHECK(r.counts.fp == 1);
}

TEST_CASE("binary_report: the zero-division policy is NaN plus a flag, never a silent 0") {
  const auto r = m::binary_report_from_predictions(Labels{0, 1, 1, 0}, Labels{0, 0, 0, 0});
  CHECK(std::isnan(r.precision));
  CHECK(std::isnan(r.mcc));
  CHECK(std::isnan(r.precision_ci.ci_low));
  CHECK(r.f1 == 0.0);  // 2TP / (2TP + FP + FN) = 0 / 2: defined
  CHECK(r.undefined == std::vector<std::string>{"precision", "mcc"});
  CHECK(contains(message_of([] { m::binary_report_from_predictions(Labels{0, 1}, Vec{0.0, 0.7}); }),
                 "y_pred[1] must be 0 (control) or 1 (case), got 0.7"));
  CHECK(contains(message_of([] { m::binary_report(Labels{0, 1, 1}, Vec{0.2, 0.4}, 0.5); }),
                 "differ in length (3 vs 2)"));
}

TEST_CASE("proportion_ci: bounds at k = 0 and k = n, and argument checks") {
  const auto zero = m::proportion_ci(0, 20, 0.95, m::ProportionCiMethod::ClopperPearson);
  CHECK(zero.ci_low == 0.0);
  CHECK(zero.ci_high == doctest::Approx(1.0 - std::pow(0.025, 1.0 / 20.0)));  // closed form at k = 0
  const auto all = m::proportion_ci(20, 20, 0.95, m::ProportionCiMethod::WilsonCC);
  CHECK(all.ci_high == 1.0);
  CHECK(contains(message_of([] { m::proportion_ci(5, 4); }), "k must be in [0, n=4], got 5"));
  CHECK(contains(message_of([] { m::proportion_ci(0, 0); }), "n must be >= 1, got 0"));
  CHECK_THROWS_AS(m::parse_proportion_ci_method("agresti"), std::invalid_argument);
}

TEST_CASE("threshold choice: hand-computed Youden tie and constrained points") {
  const Labels y{0, 0, 1, 1};
  const Vec s{0.1, 0.4, 0.35, 0.8};
  const auto best = m::youden_threshold(y, s);
  REQUIRE(best.thresholds.size() == 2);  // J = 0.5 at both midpoints
  CHECK(best.thresholds[0] == (0.1 + 0.35) / 2);
  CHECK(best.thresholds[1] == (0.4 + 0.8) / 2);
  const auto at_sens = m::threshold_at_sensitivity(y, s, 1.0);
  CHECK(at_sens.thresholds == Vec{(0.1 + 0.35) / 2});  // sensitivity 1 with specificity 0.5
  const auto at_spec = m::threshold_at_specificity(y, s, 1.0);
  CHECK(at_spec.thresholds == Vec{(0.4 + 0.8) / 2});  // specificity 1 with sensitivity 0.5
  CHECK(contains(message_of([] { m::threshold_at_sensitivity(Labels{0, 1}, Vec{0.2, 0.4}, 1.5); }),
                 "1.5"));
  CHECK(contains(message_of([] {
                   m::youden_threshold(Labels{0, 1}, Vec{0.2, 0.4}, m::Direction::CasesHigher, m::BestWeights{1.0, 1.0});
                 }),
                 "prevalence must be in (0, 1), got 1"));
}

TEST_CASE("multiclass: error policy names the argument and the value") {
  const auto probs = m::ClassScores::from_rows(std::vector<Vec>{{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}});
  CHECK(contains(message_of([&] { m::multiclass_auc(Labels{0, 1, 1}, probs); }),
                 "class 2 is absent from y_true"));
  CHECK(contains(message_of([&] { m::multiclass_auc(Labels{0, 1}, probs); }), "(2 vs 3 rows)"));
  CHECK(contains(message_of([&] { m::multiclass_auc(Labels{0, 1, 3}, probs); }),
                 "y_true[2] must be a class index in 0..2, got 3"));
  const auto logits = m::ClassScores::from_rows(std::vector<Vec>{{2.0, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}});
  CHECK(contains(message_of([&] { m::multiclass_auc(Labels{0, 1, 2}, logits); }),
                 "y_score row 0 sums to 2.3"));
  // Per-class tables take any scores (logits too): an OvR AUC needs no probabilities.
  CHECK(m::one_vs_rest_aucs(Labels{0, 1, 2}, logits) == Vec{1.0, 1.0, 1.0});
  CHECK(contains(message_of([&] { m::multiclass_auc(Labels{0, 1, 2}, probs, m::MulticlassStrategy::OneVsOne, m::MulticlassAverage::Micro); }),
                 "micro"));
}

TEST_CASE("partial_auc: a perfect test and the diagonal") {
  const Labels y{0, 0, 0, 1, 1, 1};
  const auto perfect = m::partial_auc(y, Vec{1, 2, 3, 4, 5, 6}, 0.8, 1.0);
  CHECK(perfect.area == doctest::Approx(0.2));
  CHECK(perfect.value == doctest::Approx(1.0));
  const auto chance = m::partial_auc(Labels{0, 1}, Vec{0.5, 0.5}, 0.8, 1.0);  // the diagonal itself
  CHECK(chance.value == doctest::Approx(0.5));
  CHECK(!chance.below_diagonal);
  CHECK(contains(message_of([&] { m::partial_auc(y, Vec{1, 2, 3, 4, 5, 6}, 0.9, 0.8); }),
                 "0 <= low < high <= 1, got [0.9"));
}

TEST_CASE("proportion_ci wilson_cc applies Newcombe's full correction at k = n/2 too") {
  // R 4.2.2: prop.test(k, n, p = 0.01, correct = TRUE)$conf.int — a null p0 far from k/n, so that
  // prop.test applies the whole ½ (its default p0 = 0.5 would cap it at |k - n/2| = 0 here).
  const auto half = m::proportion_ci(5, 10, 0.95, m::ProportionCiMethod::WilsonCC);
  CHECK(std::abs(half.ci_low - 0.20142296959860717) <= 1e-12 * 0.2014);
  CHECK(std::abs(half.ci_high - 0.79857703040139294) <= 1e-12 * 0.7986);
  const auto one_of_two = m::proportion_ci(1, 2, 0.95, m::ProportionCiMethod::WilsonCC);
  CHECK(std::abs(one_of_two.ci_low - 0.026677342008984584) <= 1e-12 * 0.0267);
  CHECK(std::abs(one_of_two.ci_high - 0.97332265799101547) <= 1e-12 * 0.9733);
}
