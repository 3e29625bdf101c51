#pragma once
/// @file
/// check_no_leakage: the audit a reviewer runs on any split, ours or someone else's.

#include <cstdint>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/split/cohort.hpp"
#include "osteon/split/indices.hpp"

namespace osteon::split {
namespace detail {

template <typename GroupValue>
void check_split_no_leakage(const char* label, std::size_t split_index, const Split& split,
                            const std::vector<GroupValue>& groups, const std::vector<std::int64_t>& group_code,
                            std::int64_t n_groups) {
  const auto n = static_cast<std::int64_t>(groups.size());
  // For each group, one sample seen on each side (−1: none yet).
  std::vector<std::int64_t> train_sample(static_cast<std::size_t>(n_groups), -1);
  std::vector<std::uint8_t> seen(groups.size(), 0);
  auto visit = [&](const std::vector<std::int64_t>& side, const char* side_name) {
    for (const std::int64_t index : side) {
      OSTEON_CHECK_ARG(index >= 0 && index < n, "check_no_leakage: ", label, " ", split_index, ": ", side_name,
                       " holds index ", index, ", outside [0, ", n, ")");
      const auto i = static_cast<std::size_t>(index);
      OSTEON_CHECK_ARG(!seen[i], "check_no_leakage: ", label, " ", split_index, ": sample ", index,
                       " appears more than once");
      seen[i] = 1;
    }
  };
  visit(split.train, "train");
  visit(split.test, "test");
  for (const std::int64_t index : split.train) {
    train_sample[static_cast<std::size_t>(group_code[static_cast<std::size_t>(index)])] = index;
  }
  for (const std::int64_t index : split.test) {
    const std::int64_t other = train_sample[static_cast<std::size_t>(group_code[static_cast<std::size_t>(index)])];
    OSTEON_CHECK_ARG(other < 0, "check_no_leakage: ", label, " ", split_index, ": group ",
                     groups[static_cast<std::size_t>(index)], " is on both sides (sample ", other,
                     " in train, sample ", index, " in test)");
  }
}

}  // namespace detail

/// Throws std::invalid_argument if any group has samples on both sides of a split, or a split
/// repeats a sample or holds an index outside `groups`. `groups` holds one id per sample.
///
/// Example:
///   osteon::split::check_no_leakage(osteon::split::stratified_kfold(y, 5, hip_ids), hip_ids);
template <typename GroupValue>
void check_no_leakage(const std::vector<Split>& splits, const std::vector<GroupValue>& groups) {
  const auto [group_code, n_groups] = detail::dense_codes(groups);
  for (std::size_t s = 0; s < splits.size(); ++s) {
    detail::check_split_no_leakage("split", s, splits[s], groups, group_code, n_groups);
  }
}

/// One split.
template <typename GroupValue>
void check_no_leakage(const Split& split, const std::vector<GroupValue>& groups) {
  check_no_leakage(std::vector<Split>{split}, groups);
}

/// A nested design: the holdout, every fold, and no held-out group inside any fold.
template <typename GroupValue>
void check_no_leakage(const NestedSplit& design, const std::vector<GroupValue>& groups) {
  const auto [group_code, n_groups] = detail::dense_codes(groups);
  detail::check_split_no_leakage("holdout", 0, design.holdout, groups, group_code, n_groups);
  std::vector<std::int64_t> held_out_sample(static_cast<std::size_t>(n_groups), -1);
  for (const std::int64_t index : design.holdout.test) {
    held_out_sample[static_cast<std::size_t>(group_code[static_cast<std::size_t>(index)])] = index;
  }
  for (std::size_t f = 0; f < design.folds.size(); ++f) {
    detail::check_split_no_leakage("fold", f, design.folds[f], groups, group_code, n_groups);
    for (const auto* side : {&design.folds[f].train, &design.folds[f].test}) {
      for (const std::int64_t index : *side) {
        const std::int64_t held = held_out_sample[static_cast<std::size_t>(group_code[static_cast<std::size_t>(index)])];
        OSTEON_CHECK_ARG(held < 0, "check_no_leakage: fold ", f, ": group ", groups[static_cast<std::size_t>(index)],
                         " is held out (sample ", held, ") but sample ", index, " is used in cross-validation");
      }
    }
  }
}

}  // namespace osteon::split
