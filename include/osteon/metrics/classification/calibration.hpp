#pragma once
/// @file
/// Calibration of predicted probabilities against binary outcomes:
/// - Brier score (Brier 1950, Monthly Weather Review 78:1–3), mean (p − y)², as scikit-learn's
///   `brier_score_loss`, with a normal-approximation interval B ± z·sd((p − y)²)/√n;
/// - logistic recalibration (Cox 1958, Biometrika 45:562–565): logit P(y = 1) = a + b·logit(p), the
///   calibration intercept a and slope b, fitted as R's `rms::val.prob` fits them (rms 6.5's
///   lrm.fit: Newton–Raphson from (logit ȳ, 0), stopping once −2 log L changes by ≤ 0.025, so the
///   digits are val.prob's, not only the MLE's to ~1e-8); probabilities of exactly 0 or 1 are left
///   out of this fit, as val.prob does;
/// - Spiegelhalter's z test of calibration (Spiegelhalter 1986, Statistics in Medicine 5:421–433):
///   z = Σ (y − p)(1 − 2p) / √Σ (1 − 2p)² p (1 − p), two-sided p-value;
/// - Emax, E90, Eavg: the maximum, 90th percentile and mean of |p − lowess(p, y, iter = 0)(p)|
///   (Harrell, Regression Modeling Strategies; Austin & Steyerberg 2019, Statistics in Medicine
///   38:4051–4065), as val.prob reports them;
/// - the reliability curve of scikit-learn's `calibration_curve` ("uniform" or "quantile" bins),
///   with a Wilson interval for the observed fraction of each bin, and the expected calibration
///   error ECE = Σ_b (n_b / n) |observed_b − predicted_b| over the non-empty bins (Naeini, Cooper &
///   Hauskrecht 2015, AAAI) and its maximum (MCE).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/host_array.hpp"
#include "osteon/core/options.hpp"
#include "osteon/metrics/classification/proportion_ci.hpp"
#include "osteon/stats/alternative.hpp"
#include "osteon/stats/distributions.hpp"
#include "osteon/stats/lowess.hpp"
#include "osteon/stats/quantile.hpp"

namespace osteon::metrics {

/// Options of calibration() and reliability_curve().
struct CalibrationOptions {
  OSTEON_ARG(std::int64_t, n_bins) = 10;             ///< bins of the reliability curve (sklearn's n_bins)
  OSTEON_ARG(std::string, strategy) = "uniform";     ///< "uniform" or "quantile" (sklearn's strategy)
  OSTEON_ARG(double, level) = 0.95;                  ///< of the Brier and per-bin intervals
  OSTEON_ARG(ProportionCiMethod, ci_method) = ProportionCiMethod::Wilson;  ///< per-bin interval
};

/// scikit-learn's calibration_curve, with the counts and an interval per non-empty bin.
struct ReliabilityCurve {
  std::vector<double> prob_true;  ///< observed fraction of positives per non-empty bin
  std::vector<double> prob_pred;  ///< mean predicted probability per non-empty bin
  std::vector<double> ci_low;     ///< interval of prob_true (Wilson by default)
  std::vector<double> ci_high;
  std::vector<std::int64_t> count;  ///< samples per non-empty bin
  std::vector<double> bin_edges;    ///< all n_bins + 1 edges
  double ece = 0.0;  ///< expected calibration error
  double mce = 0.0;  ///< maximum calibration error over the non-empty bins
};

/// The logistic recalibration fit logit P(y) = intercept + slope·logit(p).
struct LogisticRecalibration {
  double intercept = 0.0;
  double slope = 0.0;
  std::int64_t n_used = 0;     ///< samples with 0 < p < 1 (the others are left out, as val.prob)
  std::int64_t iterations = 0;
};

/// Everything calibration() reports (val.prob's names in snake case, plus the binned summaries).
struct Calibration {
  double brier = 0.0;
  double brier_ci_low = 0.0;
  double brier_ci_high = 0.0;
  double intercept = 0.0;  ///< calibration intercept (val.prob "Intercept")
  double slope = 0.0;      ///< calibration slope (val.prob "Slope")
  double spiegelhalter_z = 0.0;  ///< val.prob "S:z"
  double spiegelhalter_p = 0.0;  ///< val.prob "S:p"
  double emax = 0.0;  ///< val.prob "Emax"
  double e90 = 0.0;   ///< val.prob "E90"
  double eavg = 0.0;  ///< val.prob "Eavg"
  double ece = 0.0;
  double mce = 0.0;
  std::int64_t n = 0;
  double level = 0.95;
  ReliabilityCurve curve;
};

namespace detail {

/// Labels (0/1) and probabilities in [0, 1] of the same length, at least `min_n` of them.
struct LabelledProbabilities {
  std::vector<double> y;
  std::vector<double> p;
};

template <typename Labels, typename Probabilities>
LabelledProbabilities labelled_probabilities(const Labels& y_true, const Probabilities& y_prob, const char* function) {
  LabelledProbabilities out;
  for (std::uint8_t label : osteon::detail::binary_labels(y_true, function, "y_true")) out.y.push_back(label);
  out.p = osteon::detail::finite_scores(y_prob, function, "y_prob");
  OSTEON_CHECK_ARG(out.y.size() == out.p.size(), function, ": y_true and y_prob differ in length (", out.y.size(),
                   " vs ", out.p.size(), ")");
  OSTEON_CHECK_ARG(!out.y.empty(), function, ": y_true is empty");
  for (std::size_t i = 0; i < out.p.size(); ++i)
    OSTEON_CHECK_ARG(out.p[i] >= 0.0 && out.p[i] <= 1.0, function, ": y_prob[", i,
                     "] must be a probability in [0, 1], got ", out.p[i]);
  return out;
}

inline double logit(double p) { return std::log(p / (1.0 - p)); }

/// rms's inverse logit, clamped at ±30 as lrm.fit's PROB statement.
inline double clamped_inverse_logit(double eta) { return 1.0 / (1.0 + std::exp(-std::min(std::max(eta, -30.0), 30.0))); }

}  // namespace detail

/// Brier score mean (p − y)², equal to sklearn.metrics.brier_score_loss(y_true, y_prob).
///
/// Example:
///   double b = osteon::metrics::brier_score(std::vector<int>{0, 1, 1, 0},
///                                           std::vector<double>{0.1, 0.9, 0.8, 0.3});  // 0.0375
template <typename Labels, typename Probabilities>
double brier_score(const Labels& y_true, const Probabilities& y_prob) {
  const auto d = detail::labelled_probabilities(y_true, y_prob, "brier_score");
  double sum = 0.0;
  for (std::size_t i = 0; i < d.y.size(); ++i) sum += (d.p[i] - d.y[i]) * (d.p[i] - d.y[i]);
  return sum / static_cast<double>(d.y.size());
}

/// Logistic recalibration of `y_prob` (rms::val.prob's Intercept and Slope). With one distinct
/// probability the slope is 0 and the intercept logit(ȳ), as val.prob returns.
///
/// Example:
///   auto fit = osteon::metrics::logistic_recalibration(y, p);  // fit.intercept, fit.slope
template <typename Labels, typename Probabilities>
LogisticRecalibration logistic_recalibration(const Labels& y_true, const Probabilities& y_prob) {
  const auto d = detail::labelled_probabilities(y_true, y_prob, "logistic_recalibration");
  LogisticRecalibration fit;
  if (std::all_of(d.p.begin(), d.p.end(), [&](double v) { return v == d.p[0]; })) {
    double mean_y = 0.0;
    for (double v : d.y) mean_y += v;
    mean_y /= static_cast<double>(d.y.size());
    fit.intercept = detail::logit(mean_y);
    fit.n_used = static_cast<std::int64_t>(d.y.size());
    return fit;
  }
  std::vector<double> x, y;
  for (std::size_t i = 0; i < d.p.size(); ++i) {
    if (d.p[i] > 0.0 && d.p[i] < 1.0) x.push_back(detail::logit(d.p[i])), y.push_back(d.y[i]);
  }
  fit.n_used = static_cast<std::int64_t>(x.size());
  double positives = 0.0;
  for (double v : y) positives += v;
  OSTEON_CHECK_ARG(x.size() >= 3 && positives > 0.0 && positives < static_cast<double>(y.size()),
                   "logistic_recalibration: needs at least 3 probabilities strictly between 0 and 1 with both "
                   "outcomes among them, got ", x.size(), " with ", positives, " positive");
  // Newton–Raphson as rms 6.5's lrm.fit (defaults maxit = 12, eps = 0.025): step halving when −2 log L
  // rises, stop when it changed by ≤ eps over the last full step (or the score is ~0).
  constexpr double change_tolerance = 0.025;
  constexpr int max_iterations = 12;
  const double pp = positives / static_cast<double>(y.size());
  double beta[2] = {std::log(pp / (1.0 - pp)), 0.0};
  double step[2] = {0.0, 0.0};
  double old_deviance = 1e30, step_size = 1.0;
  bool converged = false;
  for (int iteration = 1; iteration <= max_iterations - 1; ++iteration) {
    fit.iterations = iteration;
    double deviance = 0.0, u0 = 0.0, u1 = 0.0, v00 = 0.0, v01 = 0.0, v11 = 0.0;
    bool diverged = false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double prob = detail::clamped_inverse_logit(beta[0] + beta[1] * x[i]);
      const double variance = prob * (1.0 - prob);
      if (y[i] == 0.0) {
        if (prob >= 1.0) { diverged = true; break; }
        deviance += std::log(1.0 - prob);
      } else {
        if (prob <= 0.0) { diverged = true; break; }
        deviance += std::log(prob);
      }
      const double residual = y[i] - prob;
      u0 += residual;
      u1 += residual * x[i];
      v00 += variance;
      v01 += variance * x[i];
      v11 += variance * x[i] * x[i];
    }
    deviance *= -2.0;
    const double max_score = std::max(std::fabs(u0), std::fabs(u1));
    if (!diverged && max_score < 1e-9 && std::fabs(deviance - old_deviance) < 0.1 * change_tolerance) {
      converged = true;
      break;
    }
    if (deviance > old_deviance || diverged) {
      OSTEON_CHECK_ARG(iteration > 1, "logistic_recalibration: the fit diverged at the first step");
      step_size /= 2.0;
      beta[0] -= step_size * step[0];
      beta[1] -= step_size * step[1];
      continue;
    }
    step_size = 1.0;
    const double determinant = v00 * v11 - v01 * v01;
    OSTEON_CHECK_ARG(determinant > 0.0, "logistic_recalibration: singular information matrix (logit(y_prob) is "
                                        "constant among the probabilities strictly between 0 and 1)");
    step[0] = (v11 * u0 - v01 * u1) / determinant;
    step[1] = (v00 * u1 - v01 * u0) / determinant;
    beta[0] += step[0];
    beta[1] += step[1];
    if (std::fabs(old_deviance - deviance) <= change_tolerance) {
      converged = true;
      break;
    }
    old_deviance = deviance;
  }
  OSTEON_CHECK_ARG(converged, "logistic_recalibration: no convergence in ", max_iterations,
                   " Newton steps (is the outcome separated by y_prob?)");
  fit.intercept = beta[0];
  fit.slope = beta[1];
  return fit;
}

/// Reliability curve (sklearn.metrics… `calibration_curve(y_true, y_prob, n_bins, strategy)`:
/// uniform edges k/n_bins or quantile edges of y_prob; a probability on an inner edge falls in the
/// lower bin), with per-bin intervals, ECE and MCE. Empty bins are dropped, as sklearn does.
///
/// Example:
///   auto curve = osteon::metrics::reliability_curve(y, p, osteon::metrics::CalibrationOptions().n_bins(5));
///   // curve.prob_true, curve.prob_pred as sklearn; curve.ece
template <typename Labels, typename Probabilities>
ReliabilityCurve reliability_curve(const Labels& y_true, const Probabilities& y_prob,
                                   const CalibrationOptions& options = {}) {
  const auto d = detail::labelled_probabilities(y_true, y_prob, "reliability_curve");
  OSTEON_CHECK_ARG(options.n_bins() >= 1, "reliability_curve: n_bins must be >= 1, got ", options.n_bins());
  OSTEON_CHECK_ARG(options.strategy() == "uniform" || options.strategy() == "quantile",
                   "reliability_curve: strategy must be \"uniform\" or \"quantile\", got \"", options.strategy(), "\"");
  stats::require_level(options.level(), "reliability_curve");
  const auto n_bins = static_cast<std::size_t>(options.n_bins());
  ReliabilityCurve curve;
  curve.bin_edges.resize(n_bins + 1);
  const double step = 1.0 / static_cast<double>(n_bins);  // numpy.linspace(0, 1, n_bins + 1)
  if (options.strategy() == "uniform") {
    for (std::size_t k = 0; k < n_bins; ++k) curve.bin_edges[k] = static_cast<double>(k) * step;
    curve.bin_edges[n_bins] = 1.0;
  } else {
    std::vector<double> sorted = d.p;
    std::sort(sorted.begin(), sorted.end());
    // numpy.percentile(y_prob, linspace(0, 1, n_bins + 1) * 100): the percentages divided by 100 again
    for (std::size_t k = 0; k <= n_bins; ++k) {
      const double q = k == n_bins ? 1.0 : static_cast<double>(k) * step;
      curve.bin_edges[k] = stats::quantile_sorted(sorted, std::min(1.0, q * 100.0 / 100.0));
    }
  }
  std::vector<double> sum_prob(n_bins, 0.0);
  std::vector<std::int64_t> positives(n_bins, 0), total(n_bins, 0);
  for (std::size_t i = 0; i < d.p.size(); ++i) {
    // numpy.searchsorted(edges[1:-1], p, side="left"): the number of inner edges below p
    const auto bin = static_cast<std::size_t>(
        std::lower_bound(curve.bin_edges.begin() + 1, curve.bin_edges.end() - 1, d.p[i]) - (curve.bin_edges.begin() + 1));
    sum_prob[bin] += d.p[i];
    positives[bin] += static_cast<std::int64_t>(d.y[i]);
    ++total[bin];
  }
  const double n = static_cast<double>(d.p.size());
  for (std::size_t b = 0; b < n_bins; ++b) {
    if (total[b] == 0) continue;
    const double observed = static_cast<double>(positives[b]) / static_cast<double>(total[b]);
    const double predicted = sum_prob[b] / static_cast<double>(total[b]);
    const ProportionCi ci = proportion_ci(positives[b], total[b], options.level(), options.ci_method());
    curve.prob_true.push_back(observed);
    curve.prob_pred.push_back(predicted);
    curve.ci_low.push_back(ci.ci_low);
    curve.ci_high.push_back(ci.ci_high);
    curve.count.push_back(total[b]);
    const double gap = std::fabs(observed - predicted);
    curve.ece += static_cast<double>(total[b]) / n * gap;
    curve.mce = std::max(curve.mce, gap);
  }
  return curve;
}

/// Calibration summary of predicted probabilities: Brier score with its interval, logistic
/// calibration intercept and slope, Spiegelhalter's z, Emax / E90 / Eavg (as rms::val.prob), and the
/// reliability curve with ECE / MCE (as sklearn's calibration_curve).
///
/// Example:
///   auto c = osteon::metrics::calibration(y, p);
///   // c.brier, c.intercept, c.slope, c.curve.prob_true ...
template <typename Labels, typename Probabilities>
Calibration calibration(const Labels& y_true, const Probabilities& y_prob, const CalibrationOptions& options = {}) {
  const auto d = detail::labelled_probabilities(y_true, y_prob, "calibration");
  stats::require_level(options.level(), "calibration");
  Calibration out;
  out.n = static_cast<std::int64_t>(d.y.size());
  out.level = options.level();
  const double n = static_cast<double>(d.y.size());
  std::vector<double> squared(d.y.size());
  for (std::size_t i = 0; i < d.y.size(); ++i) squared[i] = (d.p[i] - d.y[i]) * (d.p[i] - d.y[i]);
  double sum = 0.0;
  for (double v : squared) sum += v;
  out.brier = sum / n;
  double ss = 0.0;
  for (double v : squared) ss += (v - out.brier) * (v - out.brier);
  const double half_width = d.y.size() > 1
                                ? stats::normal_quantile(stats::two_sided_probability(options.level())) *
                                      std::sqrt(ss / (n - 1.0) / n)
                                : std::numeric_limits<double>::quiet_NaN();
  out.brier_ci_low = std::max(0.0, out.brier - half_width);
  out.brier_ci_high = std::min(1.0, out.brier + half_width);

  const LogisticRecalibration fit = logistic_recalibration(d.y, d.p);
  out.intercept = fit.intercept;
  out.slope = fit.slope;

  double numerator = 0.0, denominator = 0.0;
  for (std::size_t i = 0; i < d.y.size(); ++i) {
    numerator += (d.y[i] - d.p[i]) * (1.0 - 2.0 * d.p[i]);
    denominator += (1.0 - 2.0 * d.p[i]) * (1.0 - 2.0 * d.p[i]) * d.p[i] * (1.0 - d.p[i]);
  }
  out.spiegelhalter_z = numerator / std::sqrt(denominator);
  out.spiegelhalter_p = 2.0 * stats::normal_cdf(-std::fabs(out.spiegelhalter_z));

  // |p − smoothed calibration at p|; lowess keeps ties together, so each p reads its own fitted value.
  std::vector<double> errors;
  if (std::all_of(d.p.begin(), d.p.end(), [&](double v) { return v == d.p[0]; })) {
    double mean_y = 0.0;
    for (double v : d.y) mean_y += v;
    errors.assign(d.y.size(), std::fabs(d.p[0] - mean_y / n));
  } else {
    const stats::Lowess smooth = stats::lowess(d.p, d.y, 2.0 / 3.0, 0);
    errors.resize(smooth.x.size());
    for (std::size_t i = 0; i < errors.size(); ++i) errors[i] = std::fabs(smooth.x[i] - smooth.fitted[i]);
    out.emax = *std::max_element(errors.begin(), errors.end());
  }
  double error_sum = 0.0;
  for (double e : errors) error_sum += e;
  out.eavg = error_sum / n;
  std::sort(errors.begin(), errors.end());
  out.e90 = stats::quantile_sorted(errors, 0.9);
  if (out.emax == 0.0) out.e90 = 0.0;  // a constant prediction: val.prob reports Emax = E90 = 0

  out.curve = reliability_curve(d.y, d.p, options);
  out.ece = out.curve.ece;
  out.mce = out.curve.mce;
  return out;
}

}  // namespace osteon::metrics
