#pragma once
/// @file
/// Stratified bootstrap of the AUC (Efron & Tibshirani 1993; pROC's ci.auc(method = "bootstrap",
/// stratified = TRUE)): cases and controls are resampled separately with replacement, so every
/// replicate keeps the study's case/control counts, and the interval is the percentile interval
/// of the replicate AUCs (R's quantile type 7). Draws come from osteon::Pcg32, so a seed gives the
/// same interval on every platform (not the same as pROC's, whose draws come from R's RNG).
///
/// Each replicate costs O(n) rather than O(n log n): cases and controls are sorted once, a
/// resample is a vector of draw counts over the sorted scores, and the weighted placement walk of
/// metrics/roc/placements.hpp counts U on it directly.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"
#include "osteon/core/radix_sort.hpp"
#include "osteon/core/rng.hpp"
#include "osteon/metrics/roc/placements.hpp"
#include "osteon/stats/quantile.hpp"

namespace osteon::metrics {

/// Options of the stratified AUC bootstrap.
struct BootstrapOptions {
  /// Replicates (pROC's default boot.n).
  OSTEON_ARG(std::int64_t, n_boot) = 2000;
  /// Seed of the Pcg32 stream of the draws.
  OSTEON_ARG(std::uint64_t, seed) = 0;
};

/// AUCs of `n_boot` stratified bootstrap replicates of one predictor.
///
/// Example:
///   auto aucs = osteon::metrics::bootstrap_aucs(split, osteon::metrics::BootstrapOptions().n_boot(500).seed(42));
inline std::vector<double> bootstrap_aucs(const SplitScores& split, const BootstrapOptions& options) {
  OSTEON_CHECK_ARG(options.n_boot() >= 1, "bootstrap: n_boot must be >= 1, got ", options.n_boot());
  const std::vector<std::uint64_t> cases = osteon::detail::sorted_keys(split.cases);
  const std::vector<std::uint64_t> controls = osteon::detail::sorted_keys(split.controls);
  const std::size_t n_cases = cases.size(), n_controls = controls.size();
  const double denominator = 2.0 * static_cast<double>(n_cases) * static_cast<double>(n_controls);

  Pcg32 rng(options.seed());
  std::vector<std::int64_t> case_draws(n_cases), control_draws(n_controls);
  std::vector<double> aucs(static_cast<std::size_t>(options.n_boot()));
  for (double& auc : aucs) {
    std::fill(case_draws.begin(), case_draws.end(), 0);
    std::fill(control_draws.begin(), control_draws.end(), 0);
    for (std::size_t i = 0; i < n_cases; ++i) ++case_draws[rng.uniform_below(n_cases)];
    for (std::size_t j = 0; j < n_controls; ++j) ++control_draws[rng.uniform_below(n_controls)];
    auc = static_cast<double>(detail::placement_walk(cases, controls, nullptr, nullptr, case_draws, control_draws)) /
          denominator;
  }
  return aucs;
}

/// R's default quantile (type 7, Hyndman & Fan 1996; numpy's "linear") of a sample. Sorts
/// `values` in place (the bootstrap calls it twice on the same replicates).
///
/// Example:
///   std::vector<double> v{1, 3, 2, 10};
///   osteon::metrics::quantile_type7(v, 0.975);  // 9.475, as R's quantile(v, 0.975)
inline double quantile_type7(std::vector<double>& values, double probability) {
  std::sort(values.begin(), values.end());
  return stats::quantile_sorted(values, probability);
}

}  // namespace osteon::metrics
