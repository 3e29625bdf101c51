// Host-side aggregation of per-subject metrics; expected values are hand-computed (numpy's
// nanmean / nanstd(ddof) / nanpercentile give the same numbers; the Python tests check them live).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "osteon/metrics/segmentation/host/aggregation.hpp"
#include "osteon/metrics/segmentation/host/volume_agreement.hpp"

namespace om = osteon::metrics;

TEST_CASE("summarize leaves NaN out, counts it, and keeps ddof explicit") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto s = om::summarize(std::vector<double>{0.91, nan, 0.93, 0.95, 0.97});
  CHECK(s.n == 4);
  CHECK(s.n_nan == 1);
  CHECK(s.mean == doctest::Approx(0.94).epsilon(1e-14));
  // Σ(x − 0.94)² = 0.002 → SD = sqrt(0.002 / 3) with ddof 1, sqrt(0.002 / 4) with ddof 0.
  CHECK(s.sd == doctest::Approx(std::sqrt(0.002 / 3.0)).epsilon(1e-12));
  CHECK(om::summarize(std::vector<double>{0.91, 0.93, 0.95, 0.97}, 0).sd ==
        doctest::Approx(std::sqrt(0.002 / 4.0)).epsilon(1e-12));
  CHECK(s.median == doctest::Approx(0.94).epsilon(1e-14));
  CHECK(s.q1 == doctest::Approx(0.925).epsilon(1e-14));  // position 0.75 between 0.91 and 0.93
  CHECK(s.q3 == doctest::Approx(0.955).epsilon(1e-14));
  CHECK(om::format_mean_sd(om::summarize(std::vector<double>{0.8, 0.84}), 2, 100.0) == "82.00 ± 2.83");

  const auto all_nan = om::summarize(std::vector<double>{nan, nan});
  CHECK(all_nan.n == 0);
  CHECK(all_nan.n_nan == 2);
  CHECK(std::isnan(all_nan.mean));
  const auto single = om::summarize(std::vector<double>{0.9});
  CHECK(single.mean == 0.9);
  CHECK(std::isnan(single.sd));  // no sample SD from one value
  const double inf = std::numeric_limits<double>::infinity();
  const auto missed = om::summarize(std::vector<double>{2.0, inf, 3.0});
  CHECK(missed.mean == inf);
  CHECK(std::isnan(missed.sd));
  CHECK(missed.median == 3.0);
  CHECK(missed.n_infinite == 1);
  CHECK_THROWS_AS(om::summarize(std::vector<double>{1.0}, -1), std::invalid_argument);
}

TEST_CASE("fold_table: per fold, pooled, and across fold means") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::vector<double>> folds{{0.80, 0.84}, {0.90, nan, 0.86}, {0.70}};
  const auto table = om::fold_table(folds);
  REQUIRE(table.folds.size() == 3);
  CHECK(table.folds[1].n_nan == 1);
  CHECK(table.folds[1].mean == doctest::Approx(0.88).epsilon(1e-14));
  CHECK(table.pooled.n == 5);
  CHECK(table.pooled.mean == doctest::Approx((0.80 + 0.84 + 0.90 + 0.86 + 0.70) / 5).epsilon(1e-14));
  // Fold means 0.82, 0.88, 0.70: mean 0.8, SD sqrt((0.0004 + 0.0064 + 0.01) / 2).
  CHECK(table.across_folds.mean == doctest::Approx(0.8).epsilon(1e-14));
  CHECK(table.across_folds.sd == doctest::Approx(std::sqrt(0.0168 / 2.0)).epsilon(1e-12));
}

TEST_CASE("volume_agreement wires linear_regression and bland_altman") {
  // predicted = 2 · true + 1 exactly: R² = 1, slope 2, intercept 1; differences = true + 1.
  const std::vector<double> truth{1, 2, 3, 4}, predicted{3, 5, 7, 9};
  const auto a = om::volume_agreement(predicted, truth);
  CHECK(a.regression.slope == doctest::Approx(2.0).epsilon(1e-14));
  CHECK(a.regression.intercept == doctest::Approx(1.0).epsilon(1e-14));
  CHECK(a.regression.r2 == doctest::Approx(1.0).epsilon(1e-14));
  CHECK(a.bland_altman.bias == doctest::Approx(3.5).epsilon(1e-14));
  CHECK(a.bland_altman.n == 4);
}
