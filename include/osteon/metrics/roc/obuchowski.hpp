#pragma once
/// @file
/// Obuchowski's variance and covariance of AUCs from a binormal fit of the empirical curves, as
/// pROC 1.18's `var(roc, method = "obuchowski")` and `cov(roc1, roc2, method = "obuchowski")`
/// compute them (Obuchowski & McClish 1997, Statistics in Medicine 16:1529–1542, eq. 4–6):
/// - the binormal parameters come from pROC's `smooth(method = "binormal")`: the least-squares line
///   Φ⁻¹(specificity) = A + B·Φ⁻¹(sensitivity) through the curve's finite points;
/// - var = V(A, B, κ) / n_cases and cov = C(A₁, B₁, A₂, B₂, r_n, r_a, κ) / n_cases, with κ =
///   n_controls / n_cases and r_n, r_a the Pearson correlations of the two predictors' scores among
///   controls and among cases. Full AUCs only (pROC's partial-AUC form is not provided here).

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/roc/roc.hpp"
#include "osteon/stats/distributions.hpp"
#include "osteon/stats/power.hpp"
#include "osteon/stats/regression.hpp"

namespace osteon::metrics {

/// Binormal parameters of a ROC curve (pROC's smooth(method = "binormal")$model coefficients).
struct BinormalFit {
  double a = 0.0;  ///< intercept of Φ⁻¹(sp) on Φ⁻¹(se)
  double b = 0.0;  ///< slope
};

/// Least-squares binormal line through the finite probit points of the curve (those with
/// 0 < se < 1 and 0 < sp < 1). Throws when fewer than two distinct points remain.
///
/// Example:
///   auto fit = osteon::metrics::binormal_fit(osteon::metrics::roc_curve(y, s100b));
inline BinormalFit binormal_fit(const RocCurve& curve) {
  std::vector<double> x, y;
  for (std::size_t i = 0; i < curve.sensitivity.size(); ++i) {
    const double se = curve.sensitivity[i], sp = curve.specificity[i];
    if (se > 0.0 && se < 1.0 && sp > 0.0 && sp < 1.0) {
      x.push_back(stats::normal_quantile(se));
      y.push_back(stats::normal_quantile(sp));
    }
  }
  OSTEON_CHECK_ARG(x.size() >= 2, "binormal_fit: the ROC curve is not smoothable (", x.size(),
                   " point(s) with 0 < sensitivity < 1 and 0 < specificity < 1; 2 are needed)");
  const auto m = stats::detail::centered_moments(x, y);
  OSTEON_CHECK_ARG(m.sxx > 0.0, "binormal_fit: the ROC curve is not smoothable (all points share one sensitivity)");
  BinormalFit fit;
  fit.b = m.sxy / m.sxx;
  fit.a = m.y_mean - fit.b * m.x_mean;
  return fit;
}

namespace detail {

inline double pearson_r(const std::vector<double>& a, const std::vector<double>& b, const char* function,
                        const char* what) {
  const auto m = stats::detail::centered_moments(a, b);
  OSTEON_CHECK_ARG(m.sxx > 0.0 && m.syy > 0.0, function, ": a predictor is constant among the ", what,
                   "; their correlation is undefined");
  return stats::detail::correlation(m);
}

}  // namespace detail

/// Obuchowski variance of the AUC of one predictor (pROC: var(roc, method = "obuchowski")).
///
/// Example:
///   double v = osteon::metrics::obuchowski_variance(y, s100b);
template <typename Labels, typename Scores>
double obuchowski_variance(const Labels& y_true, const Scores& y_score, Direction direction = Direction::CasesHigher) {
  RocCurveOptions options;
  options.direction(direction);
  const RocCurve curve = roc_curve(y_true, y_score, options);
  const BinormalFit fit = binormal_fit(curve);
  const double kappa = static_cast<double>(curve.n_controls) / static_cast<double>(curve.n_cases);
  const auto fg = stats::detail::binormal_fg(fit.a, fit.b, std::nullopt, std::nullopt);
  return stats::detail::var_binormal(fit.a, fit.b, kappa, fg) / static_cast<double>(curve.n_cases);
}

/// Obuchowski covariance of the AUCs of two predictors on the same cases and controls (pROC:
/// cov(roc1, roc2, method = "obuchowski")).
///
/// Example:
///   double c = osteon::metrics::obuchowski_cov(y, wfns, s100b);
template <typename Labels, typename ScoresA, typename ScoresB>
double obuchowski_cov(const Labels& y_true, const ScoresA& score_a, const ScoresB& score_b,
                      Direction direction = Direction::CasesHigher) {
  RocCurveOptions options;
  options.direction(direction);
  const BinormalFit fit_a = binormal_fit(roc_curve(y_true, score_a, options));
  const BinormalFit fit_b = binormal_fit(roc_curve(y_true, score_b, options));
  const SplitScores a = detail::split_by_label(y_true, score_a, direction, "obuchowski_cov");
  const SplitScores b = detail::split_by_label(y_true, score_b, direction, "obuchowski_cov");
  const double n_cases = static_cast<double>(a.cases.size());
  const double kappa = static_cast<double>(a.controls.size()) / n_cases;
  const double ra = detail::pearson_r(a.cases, b.cases, "obuchowski_cov", "cases");
  const double rn = detail::pearson_r(a.controls, b.controls, "obuchowski_cov", "controls");
  const auto fg_a = stats::detail::binormal_fg(fit_a.a, fit_a.b, std::nullopt, std::nullopt);
  const auto fg_b = stats::detail::binormal_fg(fit_b.a, fit_b.b, std::nullopt, std::nullopt);
  return stats::detail::cov_binormal(fit_a.a, fit_a.b, fit_b.a, fit_b.b, rn, ra, kappa, fg_a, fg_b) / n_cases;
}

}  // namespace osteon::metrics
