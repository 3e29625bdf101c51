#pragma once
/// @file
/// Average ranks with ties (scipy.stats.rankdata's method="average"), and the tie-group sizes that
/// rank tests need for their variance correction.

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <vector>

namespace osteon::stats::detail {

/// 1-based ranks, tied values sharing the mean of their positions, and the size of every tie
/// group of two or more.
struct AverageRanks {
  std::vector<double> ranks;              ///< in input order
  std::vector<std::size_t> tie_sizes;     ///< sizes t ≥ 2 of the tied groups
};

inline AverageRanks average_ranks(const std::vector<double>& values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return values[i] < values[j]; });
  AverageRanks out;
  out.ranks.resize(n);
  for (std::size_t start = 0; start < n;) {
    std::size_t stop = start + 1;
    while (stop < n && values[order[stop]] == values[order[start]]) ++stop;
    // positions start+1 .. stop (1-based) share their mean
    const double rank = 0.5 * static_cast<double>(start + 1 + stop);
    for (std::size_t k = start; k < stop; ++k) out.ranks[order[k]] = rank;
    if (stop - start > 1) out.tie_sizes.push_back(stop - start);
    start = stop;
  }
  return out;
}

}  // namespace osteon::stats::detail
