#pragma once
/// @file
/// Bootstrap variance, covariance and comparison of AUCs, as pROC 1.18's `var(method = "bootstrap")`,
/// `cov(method = "bootstrap")` and `roc.test(method = "bootstrap")` (Robin et al. 2011; Hanley &
/// McNeil 1983 for the test statistic): stratified resampling — cases and controls drawn separately
/// with replacement, the same draws for every predictor of a paired design —
///   var = sample variance (n − 1) of the replicate AUCs, cov = their sample covariance,
///   D = (θ₁ − θ₂) / sd(θ₁* − θ₂*) (paired) or (θ₁ − θ₂) / √(var θ₁* + var θ₂*) (unpaired),
/// referred to the standard normal. Replicate r draws from Pcg32(seed, r + 1) (stats/replicates.hpp),
/// so results do not depend on the thread count; they differ from pROC's draw for draw (R's RNG),
/// and agree with it to Monte-Carlo error. Each replicate costs O(n) per predictor: scores are sorted
/// once and a resample is a vector of draw counts walked by metrics/roc/placements.hpp.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"
#include "osteon/metrics/roc/coords.hpp"
#include "osteon/metrics/roc/delong.hpp"
#include "osteon/metrics/roc/partial_auc.hpp"
#include "osteon/metrics/roc/placements.hpp"
#include "osteon/metrics/roc/roc.hpp"
#include "osteon/stats/quantile.hpp"
#include "osteon/stats/alternative.hpp"
#include "osteon/stats/distributions.hpp"
#include "osteon/stats/replicates.hpp"

namespace osteon::metrics {

/// Options of the bootstrap variance, covariance and tests.
struct RocBootstrapOptions {
  OSTEON_ARG(std::int64_t, n_boot) = 2000;  ///< replicates (pROC's boot.n)
  OSTEON_ARG(std::uint64_t, seed) = 0;
  OSTEON_ARG(int, n_threads) = 0;           ///< 0 = all cores
};

/// Result of roc_bootstrap_test (pROC's htest fields for method = "bootstrap").
struct RocBootstrapTest {
  double auc_a = 0.0;
  double auc_b = 0.0;
  double statistic = 0.0;      ///< D
  double p_value = 0.0;
  double sd_difference = 0.0;  ///< the denominator of D
  std::int64_t n_boot = 0;
  bool paired = true;
  stats::Alternative alternative = stats::Alternative::TwoSided;
};

namespace detail {

/// One predictor's cases and controls, radix-sorted once, with the input position of each.
struct SortedPredictor {
  SortedWithPositions cases, controls;
};

/// AUCs of `n_boot` stratified replicates of k predictors on the same cases and controls (the same
/// draws for all k), replicate-major: out[r·k + p].
inline std::vector<double> paired_bootstrap_aucs(const std::vector<SplitScores>& predictors,
                                                 const RocBootstrapOptions& options) {
  OSTEON_CHECK_ARG(!predictors.empty(), "bootstrap: no predictor given");
  OSTEON_CHECK_ARG(options.n_boot() >= 2, "bootstrap: n_boot must be >= 2 for a variance, got ", options.n_boot());
  const std::size_t k = predictors.size();
  const std::size_t m = predictors[0].cases.size(), n = predictors[0].controls.size();
  std::vector<SortedPredictor> sorted(k);
  for (std::size_t p = 0; p < k; ++p) {
    OSTEON_CHECK_ARG(predictors[p].cases.size() == m && predictors[p].controls.size() == n,
                     "bootstrap: predictors were evaluated on different cases/controls");
    sorted[p] = SortedPredictor{sorted_with_positions(predictors[p].cases), sorted_with_positions(predictors[p].controls)};
  }
  const double denominator = 2.0 * static_cast<double>(m) * static_cast<double>(n);
  const auto n_boot = static_cast<std::size_t>(options.n_boot());
  std::vector<double> aucs(n_boot * k);
  const int threads = stats::replicate_threads(options.n_threads(), options.n_boot());
  struct Scratch {
    std::vector<std::int64_t> case_draws, control_draws, case_weights, control_weights;
  };
  std::vector<Scratch> scratch(static_cast<std::size_t>(threads));
  for (auto& s : scratch) s.case_draws.resize(m), s.control_draws.resize(n), s.case_weights.resize(m), s.control_weights.resize(n);
  stats::parallel_replicates(options.n_boot(), options.seed(), threads, [&](std::int64_t r, Pcg32& rng, int worker) {
    Scratch& s = scratch[static_cast<std::size_t>(worker)];
    std::fill(s.case_draws.begin(), s.case_draws.end(), 0);
    std::fill(s.control_draws.begin(), s.control_draws.end(), 0);
    for (std::size_t i = 0; i < m; ++i) ++s.case_draws[rng.uniform_below(m)];
    for (std::size_t j = 0; j < n; ++j) ++s.control_draws[rng.uniform_below(n)];
    for (std::size_t p = 0; p < k; ++p) {
      const SortedPredictor& sp = sorted[p];
      for (std::size_t i = 0; i < m; ++i) s.case_weights[i] = s.case_draws[sp.cases.positions[i]];
      for (std::size_t j = 0; j < n; ++j) s.control_weights[j] = s.control_draws[sp.controls.positions[j]];
      aucs[static_cast<std::size_t>(r) * k + p] =
          static_cast<double>(placement_walk(sp.cases.keys, sp.controls.keys, nullptr, nullptr, s.case_weights,
                                             s.control_weights)) /
          denominator;
    }
  });
  return aucs;
}

/// Sample covariance (n − 1) of columns a and b of a replicate-major table with k columns.
inline double column_covariance(const std::vector<double>& table, std::size_t k, std::size_t a, std::size_t b) {
  const std::size_t rows = table.size() / k;
  double mean_a = 0.0, mean_b = 0.0;
  for (std::size_t r = 0; r < rows; ++r) mean_a += table[r * k + a], mean_b += table[r * k + b];
  mean_a /= static_cast<double>(rows);
  mean_b /= static_cast<double>(rows);
  double sum = 0.0;
  for (std::size_t r = 0; r < rows; ++r) sum += (table[r * k + a] - mean_a) * (table[r * k + b] - mean_b);
  return sum / static_cast<double>(rows - 1);
}

inline double auc_of(const SplitScores& split) {
  return static_cast<double>(placement_walk(osteon::detail::sorted_keys(split.cases), osteon::detail::sorted_keys(split.controls),
                                            nullptr, nullptr)) /
         (2.0 * static_cast<double>(split.cases.size()) * static_cast<double>(split.controls.size()));
}

}  // namespace detail

/// Bootstrap variance of the AUC (pROC: var(roc, method = "bootstrap")).
///
/// Example:
///   double v = osteon::metrics::auc_variance_bootstrap(y, s100b, RocBootstrapOptions().n_boot(2000).seed(1));
template <typename Labels, typename Scores>
double auc_variance_bootstrap(const Labels& y_true, const Scores& y_score, const RocBootstrapOptions& options = {},
                              Direction direction = Direction::CasesHigher) {
  const auto aucs = detail::paired_bootstrap_aucs({detail::split_by_label(y_true, y_score, direction, "auc_variance_bootstrap")},
                                                  options);
  return detail::column_covariance(aucs, 1, 0, 0);
}

/// Bootstrap covariance of the AUCs of two predictors on the same samples (pROC: cov(roc1, roc2,
/// method = "bootstrap")).
///
/// Example:
///   double c = osteon::metrics::auc_cov_bootstrap(y, wfns, s100b);
template <typename Labels, typename ScoresA, typename ScoresB>
double auc_cov_bootstrap(const Labels& y_true, const ScoresA& score_a, const ScoresB& score_b,
                         const RocBootstrapOptions& options = {}, Direction direction = Direction::CasesHigher) {
  const auto aucs = detail::paired_bootstrap_aucs({detail::split_by_label(y_true, score_a, direction, "auc_cov_bootstrap"),
                                                   detail::split_by_label(y_true, score_b, direction, "auc_cov_bootstrap")},
                                                  options);
  return detail::column_covariance(aucs, 2, 0, 1);
}

/// Paired bootstrap test of two AUCs (pROC: roc.test(roc1, roc2, method = "bootstrap", paired = TRUE)).
/// D = 0 when both the difference and its bootstrap SD are 0 (identical predictors).
///
/// Example:
///   auto t = osteon::metrics::roc_bootstrap_test(y, wfns, s100b);  // t.statistic (D), t.p_value
template <typename Labels, typename ScoresA, typename ScoresB>
RocBootstrapTest roc_bootstrap_test(const Labels& y_true, const ScoresA& score_a, const ScoresB& score_b,
                                    const RocBootstrapOptions& options = {}, Direction direction = Direction::CasesHigher,
                                    stats::Alternative alternative = stats::Alternative::TwoSided) {
  const std::vector<SplitScores> splits{detail::split_by_label(y_true, score_a, direction, "roc_bootstrap_test"),
                                        detail::split_by_label(y_true, score_b, direction, "roc_bootstrap_test")};
  const auto aucs = detail::paired_bootstrap_aucs(splits, options);
  RocBootstrapTest t;
  t.auc_a = detail::auc_of(splits[0]);
  t.auc_b = detail::auc_of(splits[1]);
  t.n_boot = options.n_boot();
  t.alternative = alternative;
  const double variance = detail::column_covariance(aucs, 2, 0, 0) + detail::column_covariance(aucs, 2, 1, 1) -
                          2.0 * detail::column_covariance(aucs, 2, 0, 1);
  t.sd_difference = std::sqrt(std::max(0.0, variance));
  const double difference = t.auc_a - t.auc_b;
  t.statistic = (difference == 0.0 && t.sd_difference == 0.0) ? 0.0 : difference / t.sd_difference;
  t.p_value = stats::p_value(alternative, stats::normal_cdf(t.statistic), stats::normal_sf(t.statistic));
  return t;
}

/// Unpaired bootstrap test of two AUCs on different samples (pROC: roc.test(..., method =
/// "bootstrap", paired = FALSE)): each sample resampled on its own (seed and seed + 1 streams).
///
/// Example:
///   auto t = osteon::metrics::roc_bootstrap_test_unpaired(y_site1, s_site1, y_site2, s_site2);
template <typename LabelsA, typename ScoresA, typename LabelsB, typename ScoresB>
RocBootstrapTest roc_bootstrap_test_unpaired(const LabelsA& y_a, const ScoresA& score_a, const LabelsB& y_b,
                                             const ScoresB& score_b, const RocBootstrapOptions& options = {},
                                             Direction direction = Direction::CasesHigher,
                                             stats::Alternative alternative = stats::Alternative::TwoSided) {
  const SplitScores a = detail::split_by_label(y_a, score_a, direction, "roc_bootstrap_test_unpaired");
  const SplitScores b = detail::split_by_label(y_b, score_b, direction, "roc_bootstrap_test_unpaired");
  RocBootstrapOptions second = options;
  second.seed(options.seed() + 0x9e3779b97f4a7c15ULL);
  const auto aucs_a = detail::paired_bootstrap_aucs({a}, options);
  const auto aucs_b = detail::paired_bootstrap_aucs({b}, second);
  RocBootstrapTest t;
  t.paired = false;
  t.auc_a = detail::auc_of(a);
  t.auc_b = detail::auc_of(b);
  t.n_boot = options.n_boot();
  t.alternative = alternative;
  t.sd_difference = std::sqrt(detail::column_covariance(aucs_a, 1, 0, 0) + detail::column_covariance(aucs_b, 1, 0, 0));
  const double difference = t.auc_a - t.auc_b;
  t.statistic = (difference == 0.0 && t.sd_difference == 0.0) ? 0.0 : difference / t.sd_difference;
  t.p_value = stats::p_value(alternative, stats::normal_cdf(t.statistic), stats::normal_sf(t.statistic));
  return t;
}

namespace detail {

/// A statistic of the ROC curve(s) on `n_boot` stratified resamples of k predictors (the same draws
/// for all), replicate-major. Each replicate rebuilds the curves (O(n log n)); `statistic(curve, p)`
/// returns the value for predictor p.
template <typename Statistic>
std::vector<double> bootstrap_curve_statistic(const std::vector<SplitScores>& predictors, const RocBootstrapOptions& options,
                                              Statistic&& statistic) {
  OSTEON_CHECK_ARG(!predictors.empty(), "bootstrap: no predictor given");
  OSTEON_CHECK_ARG(options.n_boot() >= 2, "bootstrap: n_boot must be >= 2, got ", options.n_boot());
  const std::size_t k = predictors.size(), m = predictors[0].cases.size(), n = predictors[0].controls.size();
  const auto n_boot = static_cast<std::size_t>(options.n_boot());
  std::vector<double> values(n_boot * k);
  std::vector<double> labels(m + n, 0.0);
  std::fill(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(m), 1.0);
  const int threads = stats::replicate_threads(options.n_threads(), options.n_boot());
  std::vector<std::vector<double>> scores(static_cast<std::size_t>(threads), std::vector<double>(m + n));
  std::vector<std::vector<std::size_t>> draws(static_cast<std::size_t>(threads), std::vector<std::size_t>(m + n));
  stats::parallel_replicates(options.n_boot(), options.seed(), threads, [&](std::int64_t r, Pcg32& rng, int worker) {
    auto& d = draws[static_cast<std::size_t>(worker)];
    auto& sc = scores[static_cast<std::size_t>(worker)];
    for (std::size_t i = 0; i < m; ++i) d[i] = rng.uniform_below(m);
    for (std::size_t j = 0; j < n; ++j) d[m + j] = rng.uniform_below(n);
    for (std::size_t p = 0; p < k; ++p) {
      for (std::size_t i = 0; i < m; ++i) sc[i] = predictors[p].cases[d[i]];
      for (std::size_t j = 0; j < n; ++j) sc[m + j] = predictors[p].controls[d[m + j]];
      values[static_cast<std::size_t>(r) * k + p] = statistic(roc_curve(labels, sc), p);
    }
  });
  return values;
}

inline RocBootstrapTest curve_statistic_test(double a, double b, const std::vector<double>& reps, std::int64_t n_boot,
                                             stats::Alternative alternative) {
  RocBootstrapTest t;
  t.auc_a = a;
  t.auc_b = b;
  t.n_boot = n_boot;
  t.alternative = alternative;
  const double variance = column_covariance(reps, 2, 0, 0) + column_covariance(reps, 2, 1, 1) - 2.0 * column_covariance(reps, 2, 0, 1);
  t.sd_difference = std::sqrt(std::max(0.0, variance));
  const double difference = a - b;
  t.statistic = (difference == 0.0 && t.sd_difference == 0.0) ? 0.0 : difference / t.sd_difference;
  t.p_value = stats::p_value(alternative, stats::normal_cdf(t.statistic), stats::normal_sf(t.statistic));
  return t;
}

}  // namespace detail

/// pROC's roc.test(roc1, roc2, method = "specificity", specificity = x) (paired): compares the
/// sensitivities of two predictors at specificity `at` (input "specificity"), or their
/// specificities at sensitivity `at` (input "sensitivity", pROC's method = "sensitivity"), by a
/// stratified bootstrap: D = (v₁ − v₂)/sd(v₁* − v₂*). The compared values are in `auc_a` / `auc_b`
/// of the result (pROC's "estimate"); points are interpolated as coords_at does.
///
/// Example:
///   auto t = osteon::metrics::roc_point_test(y, a, b, "specificity", 0.9);  // sensitivities at 90 % specificity
template <typename Labels, typename ScoresA, typename ScoresB>
RocBootstrapTest roc_point_test(const Labels& y_true, const ScoresA& score_a, const ScoresB& score_b, std::string_view input,
                                double at, const RocBootstrapOptions& options = {},
                                Direction direction = Direction::CasesHigher,
                                stats::Alternative alternative = stats::Alternative::TwoSided) {
  OSTEON_CHECK_ARG(input == "sensitivity" || input == "specificity",
                   "roc_point_test: input must be \"sensitivity\" or \"specificity\", got \"", input, "\"");
  OSTEON_CHECK_ARG(at >= 0.0 && at <= 1.0, "roc_point_test: the ", input, " must be in [0, 1], got ", at);
  const std::vector<SplitScores> splits{detail::split_by_label(y_true, score_a, direction, "roc_point_test"),
                                        detail::split_by_label(y_true, score_b, direction, "roc_point_test")};
  const bool by_specificity = input == "specificity";
  const auto value_of = [&](const RocCurve& curve, std::size_t) {
    const RocPoint point = coords_at(curve, input, {at})[0];
    return by_specificity ? point.sensitivity : point.specificity;
  };
  std::vector<double> observed;
  for (const auto& split : splits) {
    std::vector<double> labels(split.cases.size(), 1.0), scores = split.cases;
    labels.resize(split.cases.size() + split.controls.size(), 0.0);
    scores.insert(scores.end(), split.controls.begin(), split.controls.end());
    observed.push_back(value_of(roc_curve(labels, scores), 0));
  }
  const auto reps = detail::bootstrap_curve_statistic(splits, options, value_of);
  return detail::curve_statistic_test(observed[0], observed[1], reps, options.n_boot(), alternative);
}

/// Percentile bootstrap interval of a partial AUC (pROC: ci.auc of a roc with partial.auc, method =
/// "bootstrap"), stratified; `correct` gives McClish's standardised value. Replicates whose
/// standardised value is undefined (below the diagonal) are dropped, as pROC drops NA replicates.
///
/// Example:
///   auto ci = osteon::metrics::partial_auc_ci_bootstrap(y, s100b, 0.8, 1.0);  // specificity 80–100 %
template <typename Labels, typename Scores>
AucCi partial_auc_ci_bootstrap(const Labels& y_true, const Scores& y_score, double low, double high,
                               PartialAucFocus focus = PartialAucFocus::Specificity, bool correct = false,
                               double level = 0.95, const RocBootstrapOptions& options = {},
                               Direction direction = Direction::CasesHigher) {
  stats::require_level(level, "partial_auc_ci_bootstrap");
  const SplitScores split = detail::split_by_label(y_true, y_score, direction, "partial_auc_ci_bootstrap");
  const auto value_of = [&](const RocCurve& curve, std::size_t) {
    return partial_auc(curve, low, high, focus, correct).value;
  };
  std::vector<double> labels(split.cases.size(), 1.0), scores = split.cases;
  labels.resize(split.cases.size() + split.controls.size(), 0.0);
  scores.insert(scores.end(), split.controls.begin(), split.controls.end());
  AucCi ci;
  ci.auc = value_of(roc_curve(labels, scores), 0);
  ci.level = level;
  ci.method = "bootstrap";
  std::vector<double> reps = detail::bootstrap_curve_statistic({split}, options, value_of);
  reps.erase(std::remove_if(reps.begin(), reps.end(), [](double v) { return std::isnan(v); }), reps.end());
  OSTEON_CHECK_ARG(!reps.empty(), "partial_auc_ci_bootstrap: every replicate's corrected partial AUC is undefined");
  std::sort(reps.begin(), reps.end());
  ci.ci_low = stats::quantile_sorted(reps, (1.0 - level) / 2.0);
  ci.ci_high = stats::quantile_sorted(reps, 1.0 - (1.0 - level) / 2.0);
  return ci;
}

/// The variance of the AUC under the ideal (infinite-replicate) stratified bootstrap, in closed form:
/// [Var(ψ) + (n − 1)·Var(V10) + (m − 1)·Var(V01)] / (m n), with ψ ∈ {0, ½, 1} the pair kernel and all
/// moments over the empirical distribution (1/m, 1/n denominators). The bootstrap estimates above
/// converge to it; the tests use it to check them against something that is not an RNG.
///
/// Example:
///   double ideal = osteon::metrics::ideal_bootstrap_auc_variance(y, s100b);
template <typename Labels, typename Scores>
double ideal_bootstrap_auc_variance(const Labels& y_true, const Scores& y_score, Direction direction = Direction::CasesHigher) {
  const SplitScores split = detail::split_by_label(y_true, y_score, direction, "ideal_bootstrap_auc_variance");
  const DelongComponents parts = delong_components(split);
  const double m = static_cast<double>(split.cases.size()), n = static_cast<double>(split.controls.size());
  double psi_squared = 0.0;  // Σ ψ² over all pairs: count(x > y) + ¼ count(x = y)
  for (double x : split.cases)
    for (double y : split.controls) psi_squared += x > y ? 1.0 : (x == y ? 0.25 : 0.0);
  const double var_psi = psi_squared / (m * n) - parts.auc * parts.auc;
  double var10 = 0.0, var01 = 0.0;
  for (double v : parts.case_placements) var10 += (v - parts.auc) * (v - parts.auc);
  for (double v : parts.control_placements) var01 += (v - parts.auc) * (v - parts.auc);
  var10 /= m;
  var01 /= n;
  return (var_psi + (n - 1.0) * var10 + (m - 1.0) * var01) / (m * n);
}

}  // namespace osteon::metrics
