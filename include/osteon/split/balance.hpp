#pragma once
/// @file
/// How balanced a partition is, in the two numbers a reader of a methods section checks:
/// the spread of the test-set sizes and the spread of the class proportions across test sets.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::split {

/// Balance of a set of test sets (the folds of a k-fold split, or the two sides of a holdout).
struct Balance {
  /// max − min of the test-set sizes (samples).
  std::int64_t size_spread = 0;
  /// max over classes c of (max − min over test sets of the fraction of class c in the test set):
  /// how much the prevalence differs between test sets.
  double class_spread = 0.0;
  /// max over classes c of (max − min over test sets of the share of class c's samples that the
  /// test set holds), the criterion sklearn's StratifiedGroupKFold minimises.
  double share_spread = 0.0;
};

namespace detail {

/// Balance from per-part class counts: counts[f][c] samples of class c in part f.
inline Balance balance_from_counts(const std::vector<std::vector<std::int64_t>>& counts) {
  Balance out;
  if (counts.empty()) return out;
  std::vector<std::int64_t> sizes(counts.size(), 0);
  for (std::size_t f = 0; f < counts.size(); ++f) {
    for (const std::int64_t count : counts[f]) sizes[f] += count;
  }
  const auto [smallest, largest] = std::minmax_element(sizes.begin(), sizes.end());
  out.size_spread = *largest - *smallest;
  for (std::size_t c = 0; c < counts.front().size(); ++c) {
    std::int64_t class_total = 0;
    std::int64_t fewest = counts.front()[c];
    std::int64_t most = fewest;
    for (const auto& part : counts) {
      class_total += part[c];
      fewest = std::min(fewest, part[c]);
      most = std::max(most, part[c]);
    }
    if (class_total > 0) {
      out.share_spread = std::max(out.share_spread, static_cast<double>(most - fewest) / static_cast<double>(class_total));
    }
    double low = 1.0;
    double high = 0.0;
    for (std::size_t f = 0; f < counts.size(); ++f) {
      // An empty part has no proportion; it shows up in size_spread instead.
      const double fraction = sizes[f] > 0 ? static_cast<double>(counts[f][c]) / static_cast<double>(sizes[f]) : 0.0;
      low = std::min(low, fraction);
      high = std::max(high, fraction);
    }
    out.class_spread = std::max(out.class_spread, high - low);
  }
  return out;
}

}  // namespace detail

/// Balance of the test sets `tests` (index lists) with respect to the class codes `classes`
/// (one integer per sample, e.g. y or the label × sex stratum).
///
/// Example:
///   auto folds = osteon::split::stratified_kfold(y, 5, groups);
///   std::vector<std::vector<std::int64_t>> tests;
///   for (const auto& fold : folds) tests.push_back(fold.test);
///   osteon::split::Balance b = osteon::split::test_balance(tests, y_codes);
inline Balance test_balance(const std::vector<std::vector<std::int64_t>>& tests,
                            const std::vector<std::int64_t>& classes) {
  std::int64_t n_classes = 0;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    OSTEON_CHECK_ARG(classes[i] >= 0, "test_balance: classes[", i, "] must be a code >= 0, got ", classes[i]);
    n_classes = std::max(n_classes, classes[i] + 1);
  }
  std::vector<std::vector<std::int64_t>> counts(tests.size(),
                                                std::vector<std::int64_t>(static_cast<std::size_t>(n_classes), 0));
  for (std::size_t f = 0; f < tests.size(); ++f) {
    for (const std::int64_t index : tests[f]) {
      OSTEON_CHECK_ARG(index >= 0 && index < static_cast<std::int64_t>(classes.size()), "test_balance: tests[", f,
                       "] holds index ", index, ", outside [0, ", classes.size(), ")");
      ++counts[f][static_cast<std::size_t>(classes[static_cast<std::size_t>(index)])];
    }
  }
  return detail::balance_from_counts(counts);
}

}  // namespace osteon::split
