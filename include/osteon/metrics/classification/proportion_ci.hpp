#pragma once
/// @file
/// Confidence intervals of a binomial proportion k/n — sensitivity, specificity, accuracy, PPV,
/// NPV in a results table. Three methods (Newcombe 1998, "Two-sided confidence intervals for the
/// single proportion: comparison of seven methods", Stat Med 17:857–872):
///   Wilson score (Wilson 1927), equal to R's prop.test(k, n, correct = FALSE)$conf.int;
///   Wilson with continuity correction (Newcombe's method 4), equal to prop.test(correct = TRUE)
///   wherever R applies the full ½ correction (|k − n·p0| ≥ ½);
///   Clopper–Pearson "exact" (Clopper & Pearson 1934), equal to R's binom.test(k, n)$conf.int.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "osteon/core/check.hpp"
#include "osteon/stats/alternative.hpp"
#include "osteon/stats/distributions.hpp"

namespace osteon::metrics {

/// Interval method of proportion_ci.
enum class ProportionCiMethod { Wilson, WilsonCC, ClopperPearson };

/// Parses "wilson", "wilson_cc" or "clopper_pearson" (alias "exact").
inline ProportionCiMethod parse_proportion_ci_method(std::string_view text) {
  if (text == "wilson") return ProportionCiMethod::Wilson;
  if (text == "wilson_cc") return ProportionCiMethod::WilsonCC;
  if (text == "clopper_pearson" || text == "exact") return ProportionCiMethod::ClopperPearson;
  throw std::invalid_argument(osteon::detail::concat(
      "proportion_ci: method must be \"wilson\", \"wilson_cc\" or \"clopper_pearson\", got \"", text, "\""));
}

inline const char* to_string(ProportionCiMethod method) {
  switch (method) {
    case ProportionCiMethod::Wilson: return "wilson";
    case ProportionCiMethod::WilsonCC: return "wilson_cc";
    default: return "clopper_pearson";
  }
}

/// A proportion k/n with its confidence interval. An undefined proportion (n = 0, e.g. the
/// specificity of a sample without controls) is NaN in all three numbers.
struct ProportionCi {
  double estimate = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
  std::int64_t k = 0;
  std::int64_t n = 0;
  double level = 0.95;
  std::string method;
};

namespace detail {

/// Wilson score limits with a continuity correction of `yates` (0 or ½) in R's prop.test form:
/// (p_c + z²/2n ± z·sqrt(p_c(1 − p_c)/n + z²/4n²)) / (1 + z²/n), p_c = p̂ ± yates/n, clamped
/// to [0, 1] where p_c leaves it.
inline void wilson_limits(double k, double n, double z, double yates, double& low, double& high) {
  const double estimate = k / n;
  const double z22n = z * z / (2.0 * n);
  double shifted = estimate + yates / n;
  high = shifted >= 1.0 ? 1.0
                        : (shifted + z22n + z * std::sqrt(shifted * (1.0 - shifted) / n + z22n / (2.0 * n))) /
                              (1.0 + 2.0 * z22n);
  shifted = estimate - yates / n;
  low = shifted <= 0.0 ? 0.0
                       : (shifted + z22n - z * std::sqrt(shifted * (1.0 - shifted) / n + z22n / (2.0 * n))) /
                             (1.0 + 2.0 * z22n);
}

}  // namespace detail

/// Confidence interval of the proportion k/n at `level` (two-sided).
///
/// Example:
///   auto sens = osteon::metrics::proportion_ci(45, 50);
///   // sens.estimate == 0.9, Wilson [0.7864, 0.9565]
///   auto cp = osteon::metrics::proportion_ci(45, 50, 0.95, ProportionCiMethod::ClopperPearson);
///   // [0.7819, 0.9667], as R's binom.test(45, 50)
inline ProportionCi proportion_ci(std::int64_t k, std::int64_t n, double level = 0.95,
                                  ProportionCiMethod method = ProportionCiMethod::Wilson) {
  OSTEON_CHECK_ARG(n >= 1, "proportion_ci: n must be >= 1, got ", n);
  OSTEON_CHECK_ARG(k >= 0 && k <= n, "proportion_ci: k must be in [0, n=", n, "], got ", k);
  stats::require_level(level, "proportion_ci");
  ProportionCi out;
  out.k = k;
  out.n = n;
  out.level = level;
  out.method = to_string(method);
  const auto successes = static_cast<double>(k), trials = static_cast<double>(n);
  out.estimate = successes / trials;
  const double alpha = 1.0 - level;
  switch (method) {
    case ProportionCiMethod::Wilson:
    case ProportionCiMethod::WilsonCC: {
      const double z = stats::normal_quantile(1.0 - alpha / 2.0);
      // Newcombe (1998) method 4: the full ½ correction at every k. (R's prop.test caps it at
      // |k − n·p0| for its null p0, which at the default p0 = 0.5 removes it when k = n/2.)
      detail::wilson_limits(successes, trials, z, method == ProportionCiMethod::WilsonCC ? 0.5 : 0.0, out.ci_low,
                            out.ci_high);
      break;
    }
    case ProportionCiMethod::ClopperPearson:
      out.ci_low = k == 0 ? 0.0 : stats::beta_quantile(alpha / 2.0, successes, trials - successes + 1.0);
      out.ci_high = k == n ? 1.0 : stats::beta_quantile(1.0 - alpha / 2.0, successes + 1.0, trials - successes);
      break;
  }
  return out;
}

/// The NaN interval of an undefined proportion (0/0): what reports carry instead of throwing.
inline ProportionCi undefined_proportion(double level, ProportionCiMethod method) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return ProportionCi{nan, nan, nan, 0, 0, level, to_string(method)};
}

}  // namespace osteon::metrics
