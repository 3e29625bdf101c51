#pragma once
/// @file
/// Options shared by every splitter: the seed, whether to shuffle, the policy for groups whose
/// samples carry different labels, and extra stratification keys (e.g. sex beside the outcome).

#include <cstdint>
#include <utility>
#include <vector>

namespace osteon::split {

/// What to do when the samples of one group (patient, hip) carry different labels or strata.
/// Stratification works on group-level labels, so such a group has no single label.
enum class MixedLabels {
  error,     ///< throw std::invalid_argument naming the group's samples (default)
  majority,  ///< label the group by its most frequent label (ties: the smallest label)
};

/// Options of the splitters; chainable setters as in torch's options structs.
///
/// Example:
///   auto options = osteon::split::SplitOptions().seed(7).strata({sex});
///   auto folds = osteon::split::stratified_kfold(y, 10, hip_ids, options);
struct SplitOptions {
  /// Seed of the Pcg32 stream that breaks ties between equally good choices.
  SplitOptions& seed(std::uint64_t value) { seed_ = value; return *this; }
  std::uint64_t seed() const { return seed_; }

  /// false: no randomness at all; ties go to the group listed first (smallest group id) and the
  /// lowest fold index, as sklearn's StratifiedGroupKFold(shuffle=False) does. The seed is ignored.
  SplitOptions& shuffle(bool value) { shuffle_ = value; return *this; }
  bool shuffle() const { return shuffle_; }

  /// Policy for a group whose samples carry different labels or strata values.
  SplitOptions& mixed_labels(MixedLabels value) { mixed_labels_ = value; return *this; }
  MixedLabels mixed_labels() const { return mixed_labels_; }

  /// Extra stratification keys, one integer code per sample each (e.g. sex as 0/1): the splitter
  /// balances every combination label × key1 × key2 … (see osteon::split::codes for strings).
  SplitOptions& strata(std::vector<std::vector<std::int64_t>> keys) { strata_ = std::move(keys); return *this; }
  const std::vector<std::vector<std::int64_t>>& strata() const { return strata_; }

 private:
  std::uint64_t seed_ = 0;
  bool shuffle_ = true;
  MixedLabels mixed_labels_ = MixedLabels::error;
  std::vector<std::vector<std::int64_t>> strata_;
};

}  // namespace osteon::split
