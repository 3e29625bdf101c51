#pragma once
/// @file
/// What the splitters return: sample indices of each side, sorted ascending.

#include <cstdint>
#include <vector>

#include "osteon/split/cohort.hpp"

namespace osteon::split {

/// One train/test split: sample indices into the arrays that were split, ascending.
struct Split {
  std::vector<std::int64_t> train;
  std::vector<std::int64_t> test;
};

/// A held-out test set plus k-fold cross-validation on the rest (the "development" set).
/// All indices refer to the full cohort; `folds` partition `holdout.train`.
struct NestedSplit {
  Split holdout;             ///< train = development set, test = held-out set
  std::vector<Split> folds;  ///< k folds over the development set
};

namespace detail {

/// Turns the part of every group (−1: not in this split) into one Split per part, whose test side
/// is that part and whose train side is every other assigned part.
inline std::vector<Split> splits_from_parts(const Cohort& cohort, const std::vector<std::int64_t>& part_of_group,
                                            std::int64_t n_parts) {
  std::vector<Split> splits(static_cast<std::size_t>(n_parts));
  for (std::int64_t i = 0; i < cohort.n_samples; ++i) {
    const std::int64_t part = part_of_group[static_cast<std::size_t>(cohort.sample_group[static_cast<std::size_t>(i)])];
    if (part < 0) continue;
    for (std::int64_t f = 0; f < n_parts; ++f) {
      auto& side = f == part ? splits[static_cast<std::size_t>(f)].test : splits[static_cast<std::size_t>(f)].train;
      side.push_back(i);
    }
  }
  return splits;
}

/// Sample indices of the groups in part `part`, ascending.
inline std::vector<std::int64_t> samples_in_part(const Cohort& cohort, const std::vector<std::int64_t>& part_of_group,
                                                 std::int64_t part) {
  std::vector<std::int64_t> out;
  for (std::int64_t i = 0; i < cohort.n_samples; ++i) {
    if (part_of_group[static_cast<std::size_t>(cohort.sample_group[static_cast<std::size_t>(i)])] == part) out.push_back(i);
  }
  return out;
}

/// "y = 1" or "y = 1, strata = (0, 2)": the stratum of a sample, for messages.
inline std::string describe_stratum(const Cohort& cohort, const SplitOptions& options, std::int64_t sample) {
  const auto i = static_cast<std::size_t>(sample);
  std::string text = osteon::detail::concat("y = ", cohort.labels[i]);
  if (options.strata().empty()) return text;
  text += ", strata = (";
  for (std::size_t key = 0; key < options.strata().size(); ++key) {
    text += osteon::detail::concat(key ? ", " : "", options.strata()[key][i]);
  }
  return text + ")";
}

}  // namespace detail
}  // namespace osteon::split
