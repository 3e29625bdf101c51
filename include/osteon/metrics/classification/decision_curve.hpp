#pragma once
/// @file
/// Decision-curve analysis (Vickers & Elkin 2006, "Decision curve analysis: a novel method for
/// evaluating prediction models", Medical Decision Making 26:565–574). At a threshold probability
/// p_t a patient is treated when the predicted probability is ≥ p_t, and with n patients
///   net benefit (model)     = TP/n − FP/n · p_t / (1 − p_t),
///   net benefit (treat all) = π − (1 − π) · p_t / (1 − p_t)   (π the prevalence),
///   net benefit (treat none) = 0,
/// and the net reduction in interventions per 100 patients (Vickers et al. 2008, BMC Medical
/// Informatics and Decision Making 8:53) is 100 · (NB_model − NB_all) / (p_t / (1 − p_t)).
/// Intervals are bootstrap percentile intervals (R's quantile type 7): stratified by default
/// (cases and controls resampled separately, as pROC does, so the prevalence — and with it the
/// treat-all curve — is fixed and its interval has zero width) or over the whole sample. Replicates
/// draw from per-replicate PCG32 streams (stats/replicates.hpp): the same seed gives the same
/// intervals on any number of threads.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"
#include "osteon/metrics/classification/calibration.hpp"
#include "osteon/stats/alternative.hpp"
#include "osteon/stats/quantile.hpp"
#include "osteon/stats/replicates.hpp"

namespace osteon::metrics {

/// Options of net_benefit.
struct NetBenefitOptions {
  OSTEON_ARG(std::int64_t, n_boot) = 2000;  ///< bootstrap replicates; 0 = no intervals
  OSTEON_ARG(std::uint64_t, seed) = 0;
  OSTEON_ARG(double, level) = 0.95;
  OSTEON_ARG(bool, stratified) = true;  ///< resample cases and controls separately
  OSTEON_ARG(int, n_threads) = 0;       ///< 0 = all cores
};

/// Net benefit of a model, treat-all and treat-none at each threshold, with intervals (NaN when
/// n_boot = 0).
struct NetBenefit {
  std::vector<double> thresholds;
  std::vector<double> model;
  std::vector<double> treat_all;
  std::vector<double> treat_none;
  std::vector<double> interventions_avoided;  ///< net reduction in interventions per 100 patients
  std::vector<double> model_ci_low, model_ci_high;
  std::vector<double> treat_all_ci_low, treat_all_ci_high;
  std::vector<std::int64_t> true_positives, false_positives;
  double prevalence = 0.0;
  std::int64_t n = 0;
  std::int64_t n_boot = 0;
  double level = 0.95;
};

namespace detail {

/// Net benefit from counts: TP/n − FP/n · odds(p_t).
inline double net_benefit_of(double tp, double fp, double n, double threshold) {
  return tp / n - fp / n * (threshold / (1.0 - threshold));
}

}  // namespace detail

/// Decision curve of predicted probabilities `y_prob` against binary outcomes `y_true` at the given
/// thresholds (each in [0, 1)).
///
/// Example:
///   auto dca = osteon::metrics::net_benefit(y, p, std::vector<double>{0.05, 0.1, 0.2},
///                                           osteon::metrics::NetBenefitOptions().n_boot(500).seed(1));
///   // dca.model[1]: TP/n − FP/n · 0.1/0.9 at p_t = 0.1; dca.treat_all[1]: π − (1 − π)/9
template <typename Labels, typename Probabilities, typename Thresholds>
NetBenefit net_benefit(const Labels& y_true, const Probabilities& y_prob, const Thresholds& thresholds,
                       const NetBenefitOptions& options = {}) {
  const auto d = detail::labelled_probabilities(y_true, y_prob, "net_benefit");
  OSTEON_CHECK_ARG(options.n_boot() >= 0, "net_benefit: n_boot must be >= 0, got ", options.n_boot());
  stats::require_level(options.level(), "net_benefit");
  NetBenefit out;
  out.thresholds = osteon::detail::finite_scores(thresholds, "net_benefit", "thresholds");
  OSTEON_CHECK_ARG(!out.thresholds.empty(), "net_benefit: thresholds is empty");
  for (std::size_t k = 0; k < out.thresholds.size(); ++k)
    OSTEON_CHECK_ARG(out.thresholds[k] >= 0.0 && out.thresholds[k] < 1.0, "net_benefit: thresholds[", k,
                     "] must be in [0, 1), got ", out.thresholds[k]);
  const std::size_t n = d.y.size(), n_thresholds = out.thresholds.size();
  out.n = static_cast<std::int64_t>(n);
  out.level = options.level();
  out.n_boot = options.n_boot();

  // Samples sorted by probability; for each threshold the first sorted position with p ≥ p_t.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return d.p[a] < d.p[b]; });
  std::vector<double> sorted_p(n);
  std::vector<std::uint8_t> sorted_y(n);
  std::vector<std::size_t> cases, controls;  // sorted positions of each class
  for (std::size_t i = 0; i < n; ++i) {
    sorted_p[i] = d.p[order[i]];
    sorted_y[i] = static_cast<std::uint8_t>(d.y[order[i]]);
    (sorted_y[i] ? cases : controls).push_back(i);
  }
  std::vector<std::size_t> first_treated(n_thresholds);
  for (std::size_t k = 0; k < n_thresholds; ++k)
    first_treated[k] = static_cast<std::size_t>(
        std::lower_bound(sorted_p.begin(), sorted_p.end(), out.thresholds[k]) - sorted_p.begin());

  // TP and FP at every threshold from per-position draw counts (weights 1 for the sample itself).
  const auto curves = [&](const std::vector<std::int64_t>& weights, std::vector<std::int64_t>& tp_suffix,
                          std::vector<std::int64_t>& fp_suffix, double* model, double* treat_all,
                          std::int64_t* tp_out, std::int64_t* fp_out) {
    tp_suffix[n] = fp_suffix[n] = 0;
    for (std::size_t i = n; i-- > 0;) {
      tp_suffix[i] = tp_suffix[i + 1] + (sorted_y[i] ? weights[i] : 0);
      fp_suffix[i] = fp_suffix[i + 1] + (sorted_y[i] ? 0 : weights[i]);
    }
    const double total = static_cast<double>(tp_suffix[0] + fp_suffix[0]);
    const double positives = static_cast<double>(tp_suffix[0]);
    for (std::size_t k = 0; k < n_thresholds; ++k) {
      const double t = out.thresholds[k];
      const auto tp = tp_suffix[first_treated[k]], fp = fp_suffix[first_treated[k]];
      model[k] = detail::net_benefit_of(static_cast<double>(tp), static_cast<double>(fp), total, t);
      treat_all[k] = detail::net_benefit_of(positives, total - positives, total, t);
      if (tp_out) tp_out[k] = tp, fp_out[k] = fp;
    }
  };
  out.model.resize(n_thresholds);
  out.treat_all.resize(n_thresholds);
  out.true_positives.resize(n_thresholds);
  out.false_positives.resize(n_thresholds);
  {
    std::vector<std::int64_t> ones(n, 1), tp_suffix(n + 1), fp_suffix(n + 1);
    curves(ones, tp_suffix, fp_suffix, out.model.data(), out.treat_all.data(), out.true_positives.data(),
           out.false_positives.data());
  }
  out.prevalence = static_cast<double>(cases.size()) / static_cast<double>(n);
  out.treat_none.assign(n_thresholds, 0.0);
  out.interventions_avoided.resize(n_thresholds);
  for (std::size_t k = 0; k < n_thresholds; ++k) {
    const double odds = out.thresholds[k] / (1.0 - out.thresholds[k]);
    out.interventions_avoided[k] =
        odds > 0.0 ? 100.0 * (out.model[k] - out.treat_all[k]) / odds : std::numeric_limits<double>::quiet_NaN();
  }

  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.model_ci_low.assign(n_thresholds, nan);
  out.model_ci_high.assign(n_thresholds, nan);
  out.treat_all_ci_low.assign(n_thresholds, nan);
  out.treat_all_ci_high.assign(n_thresholds, nan);
  if (options.n_boot() == 0) return out;
  if (options.stratified())
    OSTEON_CHECK_ARG(!cases.empty() && !controls.empty(), "net_benefit: a stratified bootstrap needs both classes, got ",
                     cases.size(), " cases and ", controls.size(), " controls (set stratified(false))");
  const auto n_boot = static_cast<std::size_t>(options.n_boot());
  std::vector<double> model_reps(n_boot * n_thresholds), all_reps(n_boot * n_thresholds);
  const int threads = stats::replicate_threads(options.n_threads(), options.n_boot());
  struct Scratch {
    std::vector<std::int64_t> weights, tp, fp;
  };
  std::vector<Scratch> scratch(static_cast<std::size_t>(threads));
  for (auto& s : scratch) s.weights.resize(n), s.tp.resize(n + 1), s.fp.resize(n + 1);
  stats::parallel_replicates(options.n_boot(), options.seed(), threads, [&](std::int64_t r, Pcg32& rng, int worker) {
    Scratch& s = scratch[static_cast<std::size_t>(worker)];
    std::fill(s.weights.begin(), s.weights.end(), 0);
    if (options.stratified()) {
      for (std::size_t i = 0; i < cases.size(); ++i) ++s.weights[cases[rng.uniform_below(cases.size())]];
      for (std::size_t j = 0; j < controls.size(); ++j) ++s.weights[controls[rng.uniform_below(controls.size())]];
    } else {
      for (std::size_t i = 0; i < n; ++i) ++s.weights[rng.uniform_below(n)];
    }
    const std::size_t offset = static_cast<std::size_t>(r) * n_thresholds;
    curves(s.weights, s.tp, s.fp, model_reps.data() + offset, all_reps.data() + offset, nullptr, nullptr);
  });
  const double low_q = (1.0 - options.level()) / 2.0, high_q = 1.0 - low_q;
  std::vector<double> column(n_boot);
  for (std::size_t k = 0; k < n_thresholds; ++k) {
    for (std::size_t r = 0; r < n_boot; ++r) column[r] = model_reps[r * n_thresholds + k];
    std::sort(column.begin(), column.end());
    out.model_ci_low[k] = stats::quantile_sorted(column, low_q);
    out.model_ci_high[k] = stats::quantile_sorted(column, high_q);
    for (std::size_t r = 0; r < n_boot; ++r) column[r] = all_reps[r * n_thresholds + k];
    std::sort(column.begin(), column.end());
    out.treat_all_ci_low[k] = stats::quantile_sorted(column, low_q);
    out.treat_all_ci_high[k] = stats::quantile_sorted(column, high_q);
  }
  return out;
}

}  // namespace osteon::metrics
