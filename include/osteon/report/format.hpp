#pragma once
/// @file
/// Numbers as study reports print them: fixed decimals, p-values ("0.032", "< 0.001" as "4.1e-05"),
/// "AUC [low, high]", "mean ± SD". Every table of report/ formats through these, so a report reads
/// the same everywhere and a test can rebuild the text from the numbers.

#include <cmath>
#include <cstdio>
#include <string>

#include "osteon/metrics/roc/delong.hpp"
#include "osteon/metrics/segmentation/host/aggregation.hpp"

namespace osteon::report {

/// `value` with `digits` decimals; NaN prints as "n/a" (an undefined metric, never a silent 0).
///
/// Example:
///   osteon::report::fixed(0.81234);    // "0.812"
///   osteon::report::fixed(NAN);        // "n/a"
inline std::string fixed(double value, int digits = 3) {
  if (std::isnan(value)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", digits, value);
  return text;
}

/// A p-value: three decimals, or scientific notation below 0.001 (so 1e-12 is not printed "0.000").
///
/// Example:
///   osteon::report::p_value_text(0.0321);   // "0.032"
///   osteon::report::p_value_text(4.1e-05);  // "4.1e-05"
inline std::string p_value_text(double p) {
  if (std::isnan(p)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof(text), p < 0.001 ? "%.1e" : "%.3f", p);
  return text;
}

/// "estimate [low, high]".
///
/// Example:
///   osteon::report::interval_text(0.81, 0.74, 0.88);  // "0.810 [0.740, 0.880]"
inline std::string interval_text(double estimate, double low, double high, int digits = 3) {
  return fixed(estimate, digits) + " [" + fixed(low, digits) + ", " + fixed(high, digits) + "]";
}

/// An AUC with its confidence interval: "0.810 [0.740, 0.880]".
///
/// Example:
///   auto text = osteon::report::auc_ci_text(osteon::metrics::auc_ci(y, s));
inline std::string auc_ci_text(const metrics::AucCi& ci, int digits = 3) {
  return interval_text(ci.auc, ci.ci_low, ci.ci_high, digits);
}

/// "mean ± SD" of a summary (the fold tables of segmentation papers); "n/a" when undefined.
///
/// Example:
///   osteon::report::mean_sd_text(osteon::metrics::summarize(std::vector<double>{0.9, 0.8}));  // "0.850 ± 0.071"
inline std::string mean_sd_text(const metrics::Summary& summary, int digits = 3) {
  if (std::isnan(summary.mean)) return "n/a";
  return fixed(summary.mean, digits) + " ± " + fixed(summary.sd, digits);
}

}  // namespace osteon::report
