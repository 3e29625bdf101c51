#pragma once
/// @file
/// Smoothed (binormal) ROC curve, as pROC 1.18's smooth(roc, method = "binormal", n): the binormal
/// model of Metz (Metz 1978, Seminars in Nuclear Medicine 8:283–298; Dorfman & Alf 1969) fitted as
/// pROC fits it — the least-squares line Φ⁻¹(sp) = a + b·Φ⁻¹(se) through the empirical curve's
/// finite probit points (metrics/roc/obuchowski.hpp's binormal_fit, shared with Obuchowski's
/// variance) — evaluated at se = Φ(Φ⁻¹(i/(n − 1))), i = 0..n − 1, i.e. se = i/(n − 1) and
/// sp = Φ(a + b·Φ⁻¹(se)); as pROC's smooth.roc object, the points run from se = 1 to se = 0 with
/// (se, sp) = (1, 0) put in front and (0, 1) at the end (n + 2 points). `auc` is pROC's auc() of a
/// binormal smooth.roc: the closed-form area of the fitted binormal curve, Φ(a/√(1 + b²)) (Metz's
/// Φ(A/√(1 + B²)) with A = −a/b, B = −1/b for b < 0); `auc_trapezoid` is the trapezoidal area of the
/// points, which tends to `auc` as n grows.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/roc/obuchowski.hpp"
#include "osteon/metrics/roc/roc.hpp"
#include "osteon/stats/distributions.hpp"

namespace osteon::metrics {

/// A smoothed ROC curve (pROC's smooth.roc object).
struct SmoothRoc {
  double a = 0.0;                   ///< intercept of Φ⁻¹(sp) on Φ⁻¹(se) (pROC: coef(model)[1])
  double b = 0.0;                   ///< slope (pROC: coef(model)[2])
  std::vector<double> sensitivity;  ///< decreasing, 1 … 0 (n + 2 points)
  std::vector<double> specificity;  ///< increasing, 0 … 1
  double auc = 0.0;                 ///< Φ(a / √(1 + b²)) (pROC's auc(smooth))
  double auc_trapezoid = 0.0;       ///< trapezoidal area of the points
};

/// Binormal smoothing of an empirical ROC curve (pROC: smooth(roc, method = "binormal", n = n)).
/// Throws when the curve has fewer than two finite probit points or `n` < 2.
///
/// Example:
///   std::vector<int> y{0, 0, 0, 1, 1, 1};
///   std::vector<double> s{0.1, 0.4, 0.5, 0.35, 0.8, 0.9};
///   auto smooth = osteon::metrics::smooth_roc_binormal(osteon::metrics::roc_curve(y, s), 512);
///   // smooth.sensitivity / smooth.specificity: 514 points; smooth.auc, smooth.auc_trapezoid
inline SmoothRoc smooth_roc_binormal(const RocCurve& curve, std::int64_t n = 512) {
  OSTEON_CHECK_ARG(n >= 2, "smooth_roc_binormal: n must be >= 2, got ", n);
  const BinormalFit fit = binormal_fit(curve);
  SmoothRoc out;
  out.a = fit.a;
  out.b = fit.b;
  const auto count = static_cast<std::size_t>(n);
  out.sensitivity.assign(count + 2, 1.0);
  out.specificity.assign(count + 2, 0.0);
  const double step = 1.0 / static_cast<double>(n - 1);  // R: seq(0, 1, 1/(n − 1)) = i · by
  for (std::size_t i = 0; i < count; ++i) {
    const double z = stats::normal_quantile(static_cast<double>(i) * step);
    out.sensitivity[count - i] = stats::normal_cdf(z);
    out.specificity[count - i] = stats::normal_cdf(fit.a + fit.b * z);
  }
  out.sensitivity[count + 1] = 0.0;
  out.specificity[count + 1] = 1.0;
  double area = 0.0;
  for (std::size_t i = 1; i < count + 2; ++i)
    area += (out.specificity[i] - out.specificity[i - 1]) * (out.sensitivity[i] + out.sensitivity[i - 1]) / 2.0;
  out.auc_trapezoid = area;
  out.auc = stats::normal_cdf(fit.a / std::sqrt(1.0 + fit.b * fit.b));  // pROC's auc.roc for a binormal smooth
  return out;
}

}  // namespace osteon::metrics
