#pragma once
/// @file
/// Bland–Altman agreement between two measurements of the same subjects (Bland & Altman 1986,
/// "Statistical methods for assessing agreement between two methods of clinical measurement",
/// Lancet 327(8476)): the bias (mean difference) and the limits of agreement bias ± z·SD, with the
/// confidence intervals of both from Bland & Altman 1999, "Measuring agreement in method
/// comparison studies", Stat Methods Med Res 8(2), §2.2.

#include <cmath>
#include <cstddef>

#include "osteon/core/check.hpp"
#include "osteon/stats/alternative.hpp"
#include "osteon/stats/distributions.hpp"
#include "osteon/stats/samples.hpp"

namespace osteon::stats {

/// Bias and limits of agreement of a − b, each with its confidence interval.
struct BlandAltman {
  double bias = 0.0;          ///< mean of a − b
  double sd = 0.0;            ///< SD of a − b (ddof = 1)
  double lower_limit = 0.0;   ///< bias − z·sd, z = Φ⁻¹((1 + level)/2) (1.959964 for 95 %)
  double upper_limit = 0.0;   ///< bias + z·sd
  double bias_ci_low = 0.0;   ///< bias ∓ t_{n−1}·sd/sqrt(n)
  double bias_ci_high = 0.0;
  double lower_limit_ci_low = 0.0;  ///< limit ∓ t_{n−1}·sd·sqrt(1/n + z²/(2(n − 1)))
  double lower_limit_ci_high = 0.0;
  double upper_limit_ci_low = 0.0;
  double upper_limit_ci_high = 0.0;
  double level = 0.95;        ///< coverage of the limits and confidence of the intervals
  std::size_t n = 0;
};

/// Bland–Altman analysis of `a` − `b` (e.g. a = predicted volume, b = true volume). `level` sets
/// both the coverage of the limits of agreement and the confidence of their intervals. The
/// limits use the exact normal quantile (1.959964 at 95 %), not the rounded 1.96 of the 1986
/// paper. Needs n ≥ 2.
///
/// Example:
///   auto ba = osteon::stats::bland_altman(std::vector<double>{10.2, 11.9, 9.8, 12.5},
///                                         std::vector<double>{10.0, 12.0, 9.5, 12.0});
///   // ba.bias ≈ 0.225, ba.lower_limit ≈ -0.2650, ba.upper_limit ≈ 0.7150
template <typename A, typename B>
BlandAltman bland_altman(const A& a, const B& b, double level = 0.95) {
  require_level(level, "bland_altman");
  const auto diffs = detail::paired_differences(a, b, "bland_altman");
  const double n = static_cast<double>(diffs.values.size());
  BlandAltman out;
  out.n = diffs.values.size();
  out.level = level;
  out.bias = diffs.mean;
  out.sd = diffs.sd;
  const double z = normal_quantile(two_sided_probability(level));
  out.lower_limit = out.bias - z * out.sd;
  out.upper_limit = out.bias + z * out.sd;
  const double t = t_quantile(two_sided_probability(level), n - 1.0);
  const double bias_half_width = t * out.sd / std::sqrt(n);
  // Var(bias ± z·s) ≈ s²/n + z²·s²/(2(n − 1))  (Bland & Altman 1999, eq. in §2.2).
  const double limit_half_width = t * out.sd * std::sqrt(1.0 / n + z * z / (2.0 * (n - 1.0)));
  out.bias_ci_low = out.bias - bias_half_width;
  out.bias_ci_high = out.bias + bias_half_width;
  out.lower_limit_ci_low = out.lower_limit - limit_half_width;
  out.lower_limit_ci_high = out.lower_limit + limit_half_width;
  out.upper_limit_ci_low = out.upper_limit - limit_half_width;
  out.upper_limit_ci_high = out.upper_limit + limit_half_width;
  return out;
}

}  // namespace osteon::stats
