#include <osteon/data/synthetic_hips.hpp>
#include <osteon/metrics/roc/roc.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <doctest/doctest.h>

using osteon::data::SyntheticHipOptions;
using osteon::data::synthetic_hip_cohort;

TEST_CASE("synthetic_hip_cohort: the study's shape, two hips per patient, ids in order") {
  const auto cohort = synthetic_hip_cohort();
  CHECK(cohort.hips() == 432);
  CHECK(cohort.image_size == 64);
  CHECK(cohort.images.size() == static_cast<std::size_t>(432 * 2 * 64 * 64));
  CHECK(cohort.hip_ids[0] == "P001-L");
  CHECK(cohort.hip_ids[1] == "P001-R");
  CHECK(cohort.hip_ids[431] == "P216-R");
  CHECK(cohort.patient_ids[430] == "P216");
  CHECK(cohort.patient_ids[431] == "P216");
  for (std::size_t i = 0; i < 432; ++i) {
    CHECK(cohort.joint_space_mm[i] >= 1.5);
    CHECK(cohort.joint_space_mm[i] <= 6.5);
    CHECK(cohort.cam_size[i] >= 0.0);
  }
}

TEST_CASE("synthetic_hip_cohort: the same seed gives the same cohort, another seed another") {
  const auto small = [](std::uint64_t seed) { return SyntheticHipOptions().patients(6).image_size(32).seed(seed); };
  const auto a = synthetic_hip_cohort(small(11));
  const auto b = synthetic_hip_cohort(small(11));
  const auto c = synthetic_hip_cohort(small(12));
  CHECK(a.images == b.images);
  CHECK(a.outcome == b.outcome);
  CHECK(a.images != c.images);
}

TEST_CASE("synthetic_hip_cohort: outcomes follow the logistic risk model") {
  // Outcomes are Bernoulli(risk): their mean matches the mean risk within 3 standard errors, and the
  // risk discriminates them (the generating model is informative, so a trained model can be).
  const auto cohort = synthetic_hip_cohort(SyntheticHipOptions().patients(2000).image_size(32).noise(0.0));
  const double n = static_cast<double>(cohort.hips());
  const double prevalence = std::accumulate(cohort.outcome.begin(), cohort.outcome.end(), 0.0) / n;
  const double mean_risk = std::accumulate(cohort.risk.begin(), cohort.risk.end(), 0.0) / n;
  double variance = 0.0;
  for (const double r : cohort.risk) variance += r * (1.0 - r);
  CHECK(std::abs(prevalence - mean_risk) < 3.0 * std::sqrt(variance) / n);
  CHECK(prevalence > 0.2);
  CHECK(prevalence < 0.45);
  CHECK(osteon::metrics::roc_auc(cohort.outcome, cohort.risk) > 0.75);
  // Narrow joint spaces and large cam bumps raise the risk (the two signs the views show).
  CHECK(osteon::metrics::roc_auc(cohort.outcome, cohort.cam_size) > 0.6);
  std::vector<double> narrowing(cohort.joint_space_mm.size());
  std::transform(cohort.joint_space_mm.begin(), cohort.joint_space_mm.end(), narrowing.begin(),
                 [](double js) { return -js; });
  CHECK(osteon::metrics::roc_auc(cohort.outcome, narrowing) > 0.6);
}

TEST_CASE("synthetic_hip_cohort: without noise the views hold the drawn intensities only") {
  const auto cohort = synthetic_hip_cohort(SyntheticHipOptions().patients(3).image_size(48).noise(0.0));
  const auto [low, high] = std::minmax_element(cohort.images.begin(), cohort.images.end());
  CHECK(*low >= doctest::Approx(0.15 * 0.85));  // soft tissue at the smallest gain
  CHECK(*high <= doctest::Approx(0.9 * 1.15));   // the acetabular roof at the largest gain
}

TEST_CASE("synthetic_hip_cohort: bad options name the option and the value") {
  CHECK_THROWS_WITH_AS(synthetic_hip_cohort(SyntheticHipOptions().patients(1)),
                       "synthetic_hip_cohort: patients must be >= 2, got 1", std::invalid_argument);
  CHECK_THROWS_WITH_AS(synthetic_hip_cohort(SyntheticHipOptions().image_size(16)),
                       "synthetic_hip_cohort: image_size must be in [32, 1024], got 16", std::invalid_argument);
  CHECK_THROWS_WITH_AS(synthetic_hip_cohort(SyntheticHipOptions().noise(-0.1)),
                       "synthetic_hip_cohort: noise must be finite and >= 0, got -0.1", std::invalid_argument);
}
