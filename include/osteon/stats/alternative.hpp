#pragma once
/// @file
/// The alternative hypothesis of a test, spelled as scipy.stats and R spell it.

#include <cmath>
#include <string_view>

#include "osteon/core/check.hpp"

namespace osteon::stats {

/// Which alternative a p-value is computed against.
enum class Alternative {
  TwoSided,  ///< "two-sided": the effect differs from 0
  Less,      ///< "less": the effect is below 0 (first sample lower)
  Greater,   ///< "greater": the effect is above 0 (first sample higher)
};

/// Parses "two-sided" (or R's "two.sided", or "two_sided"), "less", "greater".
inline Alternative parse_alternative(std::string_view text, const char* function) {
  if (text == "two-sided" || text == "two.sided" || text == "two_sided") return Alternative::TwoSided;
  if (text == "less") return Alternative::Less;
  if (text == "greater") return Alternative::Greater;
  throw std::invalid_argument(osteon::detail::concat(function, ": alternative must be \"two-sided\", \"less\" or \"greater\", got \"", text, "\""));
}

/// The p-value of an observed statistic from its two tail probabilities, P(T ≤ t) and P(T ≥ t):
/// "less" takes the lower tail, "greater" the upper, "two-sided" twice the smaller (at most 1).
/// Every test in osteon (t, z, DeLong, Wilcoxon, correlation) finishes through here.
///
/// Example:
///   double p = osteon::stats::p_value(Alternative::TwoSided, normal_cdf(z), normal_sf(z));
inline double p_value(Alternative alternative, double lower_tail, double upper_tail) {
  switch (alternative) {
    case Alternative::Less: return lower_tail;
    case Alternative::Greater: return upper_tail;
    case Alternative::TwoSided: break;
  }
  return std::fmin(1.0, 2.0 * std::fmin(lower_tail, upper_tail));
}

/// Checks a confidence level, which must lie in (0, 1); the message names `function`.
///
/// Example:
///   osteon::stats::require_level(level, "auc_ci");
inline void require_level(double level, const char* function) {
  OSTEON_CHECK_ARG(level > 0.0 && level < 1.0, function, ": level must be in (0, 1), got ", level);
}

/// Probability of the upper limit of a two-sided interval at `level`: 1 − (1 − level)/2
/// (0.975 for 95 %). Example: `normal_quantile(two_sided_probability(0.95))` ≈ 1.959964.
inline double two_sided_probability(double level) { return 1.0 - (1.0 - level) / 2.0; }

}  // namespace osteon::stats
