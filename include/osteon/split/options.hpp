#pragma once
/// @file
/// Options shared by every splitter: the seed, whether to shuffle, the policy for groups whose
/// samples carry different labels, and extra stratification keys (e.g. sex beside the outcome).

#include <cstdint>
#include <utility>
#include <vector>

#include "osteon/core/options.hpp"

namespace osteon::split {

/// What to do when the samples of one group (patient, hip) carry different labels or strata.
/// Stratification works on group-level labels, so such a group has no single label.
enum class MixedLabels {
  Error,     ///< throw std::invalid_argument naming the group's samples (default)
  Majority,  ///< label the group by its most frequent label (ties: the smallest label)
  // Deprecated in 0.2 (enumerators are PascalCase); removed in 0.3.
  error [[deprecated("use MixedLabels::Error")]] = Error,
  majority [[deprecated("use MixedLabels::Majority")]] = Majority,
};

/// Options of the splitters; `OSTEON_ARG` chained setters, as torch's options structs.
///
/// Example:
///   auto options = osteon::split::SplitOptions().seed(7).strata({sex});
///   auto folds = osteon::split::stratified_kfold(y, 10, hip_ids, options);
struct SplitOptions {
  /// Seed of the Pcg32 stream that breaks ties between equally good choices.
  OSTEON_ARG(std::uint64_t, seed) = 0;
  /// false: no randomness at all; ties go to the group listed first (smallest group id) and the
  /// lowest fold index, as sklearn's StratifiedGroupKFold(shuffle=False) does. The seed is ignored.
  OSTEON_ARG(bool, shuffle) = true;
  /// Policy for a group whose samples carry different labels or strata values.
  OSTEON_ARG(MixedLabels, mixed_labels) = MixedLabels::Error;
  /// Extra stratification keys, one integer code per sample each (e.g. sex as 0/1): the splitter
  /// balances every combination label × key1 × key2 … (see osteon::split::codes for strings).
  OSTEON_ARG(std::vector<std::vector<std::int64_t>>, strata) = {};
};

}  // namespace osteon::split
