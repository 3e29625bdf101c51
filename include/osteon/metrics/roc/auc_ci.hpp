#pragma once
/// @file
/// Confidence interval of one AUC: DeLong's Wald interval (default) or the stratified bootstrap.

#include <string_view>

#include "osteon/metrics/roc/bootstrap.hpp"
#include "osteon/metrics/roc/delong.hpp"

namespace osteon::metrics {

/// How auc_ci computes the interval.
enum class AucCiMethod { DeLong, Bootstrap };

/// Parses "delong" or "bootstrap".
inline AucCiMethod parse_auc_ci_method(std::string_view text) {
  if (text == "delong") return AucCiMethod::DeLong;
  if (text == "bootstrap") return AucCiMethod::Bootstrap;
  throw std::invalid_argument(osteon::detail::concat("auc_ci: method must be \"delong\" or \"bootstrap\", got \"", text, "\""));
}

/// Confidence interval of the AUC at `level`. DeLong: equal to pROC's ci.auc(method = "delong")
/// (clamped to [0, 1]). Bootstrap: percentile interval of `options.n_boot` stratified replicates.
///
/// Example:
///   auto ci = osteon::metrics::auc_ci(y, s100b);  // pROC (aSAH): 0.7314 [0.6301, 0.8326]
///   auto boot = osteon::metrics::auc_ci(y, s100b, 0.95, AucCiMethod::Bootstrap,
///                                        osteon::metrics::BootstrapOptions().n_boot(2000).seed(7));
template <typename Labels, typename Scores>
AucCi auc_ci(const Labels& y_true, const Scores& y_score, double level = 0.95,
             AucCiMethod method = AucCiMethod::DeLong, const BootstrapOptions& options = {},
             Direction direction = Direction::CasesHigher) {
  stats::require_level(level, "auc_ci");
  const SplitScores split = detail::split_by_label(y_true, y_score, direction, "auc_ci");
  if (method == AucCiMethod::DeLong) {
    const DelongComponents parts = delong_components(split);
    return delong_ci_from_moments(parts.auc, delong_cov(std::vector<DelongComponents>{parts})(0, 0), level);
  }
  std::vector<double> replicates = bootstrap_aucs(split, options);
  const double auc = delong_components(split).auc;
  const double low = quantile_type7(replicates, (1.0 - level) / 2.0);
  const double high = quantile_type7(replicates, stats::two_sided_probability(level));
  return AucCi{auc, low, high, level, "bootstrap"};
}

}  // namespace osteon::metrics
