#pragma once
/// @file
/// Nested design: a held-out test set, then stratified group k-fold on the rest.

#include <cstdint>
#include <vector>

#include "osteon/core/rng.hpp"
#include "osteon/split/assign.hpp"
#include "osteon/split/cohort.hpp"
#include "osteon/split/holdout.hpp"
#include "osteon/split/indices.hpp"
#include "osteon/split/kfold.hpp"
#include "osteon/split/options.hpp"

namespace osteon::split {
namespace detail {

/// The cohort restricted to the groups whose part is `part` (group ids renumbered in order);
/// `kept` receives the original id of every kept group.
inline Cohort sub_cohort(const Cohort& cohort, const std::vector<std::int64_t>& part_of_group, std::int64_t part,
                         std::vector<std::int64_t>& kept) {
  Cohort sub;
  sub.n_strata = cohort.n_strata;
  sub.stratum_samples.assign(static_cast<std::size_t>(cohort.n_strata), 0);
  sub.stratum_groups.assign(static_cast<std::size_t>(cohort.n_strata), 0);
  sub.stratum_example.assign(static_cast<std::size_t>(cohort.n_strata), -1);
  sub.labels = cohort.labels;
  std::vector<std::int64_t> first_sample(static_cast<std::size_t>(cohort.n_groups()), -1);
  for (std::int64_t i = cohort.n_samples - 1; i >= 0; --i) {
    first_sample[static_cast<std::size_t>(cohort.sample_group[static_cast<std::size_t>(i)])] = i;
  }
  kept.clear();
  for (std::int64_t group = 0; group < cohort.n_groups(); ++group) {
    const auto g = static_cast<std::size_t>(group);
    if (part_of_group[g] != part) continue;
    kept.push_back(group);
    const auto stratum = static_cast<std::size_t>(cohort.group_stratum[g]);
    sub.group_size.push_back(cohort.group_size[g]);
    sub.group_stratum.push_back(cohort.group_stratum[g]);
    sub.n_samples += cohort.group_size[g];
    sub.stratum_samples[stratum] += cohort.group_size[g];
    ++sub.stratum_groups[stratum];
    if (sub.stratum_example[stratum] < 0) sub.stratum_example[stratum] = first_sample[g];
  }
  return sub;
}

template <typename Labels, typename GroupValue>
NestedSplit nested_split_impl(const Labels& y, std::int64_t n_splits, const std::vector<GroupValue>* groups,
                              double test_size, const SplitOptions& options) {
  const Cohort cohort = make_cohort("nested_split", y, groups, options);
  check_holdout("nested_split", cohort, options, test_size);
  Pcg32 rng(options.seed(), 0);
  const std::vector<std::int64_t> sides = holdout_parts(cohort, test_size, options.shuffle(), rng);

  std::vector<std::int64_t> development_groups;
  const Cohort development = sub_cohort(cohort, sides, 0, development_groups);
  check_fold_count("nested_split", development, options, n_splits);
  const std::vector<std::int64_t> fold_of_development = kfold_parts(development, n_splits, options.shuffle(), rng);
  std::vector<std::int64_t> fold_of_group(static_cast<std::size_t>(cohort.n_groups()), -1);
  for (std::size_t i = 0; i < development_groups.size(); ++i) {
    fold_of_group[static_cast<std::size_t>(development_groups[i])] = fold_of_development[i];
  }

  NestedSplit out;
  out.holdout = Split{samples_in_part(cohort, sides, 0), samples_in_part(cohort, sides, 1)};
  out.folds = splits_from_parts(cohort, fold_of_group, n_splits);
  return out;
}

}  // namespace detail

/// Holds out `test_size` of the cohort (stratified, group-safe), then splits the remaining
/// development set into `n_splits` stratified group folds: the design of the proximal-femur
/// study (10 % held out, 10-fold CV on the other 90 %). One Pcg32(seed) stream drives both steps.
///
/// Example:
///   auto design = osteon::split::nested_split(y, 10, subject_ids, 0.10);
///   // design.holdout.test: held-out subjects; design.folds[f]: CV fold f of the rest.
///   // Men and women separately: call it on each subset (see docs/split.md).
template <typename Labels, typename GroupValue>
NestedSplit nested_split(const Labels& y, std::int64_t n_splits, const std::vector<GroupValue>& groups,
                         double test_size = 0.1, const SplitOptions& options = {}) {
  return detail::nested_split_impl(y, n_splits, &groups, test_size, options);
}

/// Nested split where every sample is its own group.
template <typename Labels>
NestedSplit nested_split(const Labels& y, std::int64_t n_splits, double test_size = 0.1,
                         const SplitOptions& options = {}) {
  return detail::nested_split_impl<Labels, std::int64_t>(y, n_splits, nullptr, test_size, options);
}

}  // namespace osteon::split
