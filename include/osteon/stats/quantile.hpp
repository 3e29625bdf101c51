#pragma once
/// @file
/// Sample quantiles: linear interpolation between order statistics (Hyndman & Fan 1996 type 7,
/// R's default quantile() and numpy's "linear"), shared by the bootstrap intervals and the
/// median [IQR] summaries.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::stats {

/// Type-7 quantile of ascending `sorted` at probability q ∈ [0, 1]. Interpolates from the nearer
/// order statistic as numpy's _lerp does, and returns an order statistic exactly when q falls on
/// one (so ±inf values give no inf·0 or inf − inf).
///
/// Example:
///   osteon::stats::quantile_sorted(std::vector<double>{1, 2, 3, 10}, 0.975);  // 9.475 (R, numpy)
inline double quantile_sorted(const std::vector<double>& sorted, double q) {
  OSTEON_CHECK_ARG(!sorted.empty(), "quantile_sorted: sorted is empty");
  OSTEON_CHECK_ARG(q >= 0.0 && q <= 1.0, "quantile_sorted: q must be in [0, 1], got ", q);
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double low = sorted[below], high = sorted[above], fraction = position - std::floor(position);
  if (fraction == 0.0 || low == high) return low;
  return fraction < 0.5 ? low + (high - low) * fraction : high - (high - low) * (1.0 - fraction);
}

}  // namespace osteon::stats
