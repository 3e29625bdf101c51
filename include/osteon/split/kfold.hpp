#pragma once
/// @file
/// Stratified, group-safe k-fold cross-validation, plain and repeated.

#include <cstdint>
#include <iterator>
#include <numeric>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/rng.hpp"
#include "osteon/split/assign.hpp"
#include "osteon/split/cohort.hpp"
#include "osteon/split/indices.hpp"
#include "osteon/split/options.hpp"

namespace osteon::split {
namespace detail {

/// Refuses a fold count that some stratum cannot fill with whole groups.
inline void check_fold_count(const char* function, const Cohort& cohort, const SplitOptions& options,
                             std::int64_t n_splits) {
  OSTEON_CHECK_ARG(n_splits >= 2, function, ": n_splits must be >= 2, got ", n_splits);
  for (std::size_t c = 0; c < cohort.stratum_groups.size(); ++c) {
    OSTEON_CHECK_ARG(cohort.stratum_groups[c] >= n_splits, function, ": n_splits = ", n_splits, " but the class (",
                     describe_stratum(cohort, options, cohort.stratum_example[c]), ") has only ",
                     cohort.stratum_groups[c], " group(s); every test fold needs one: use fewer folds or merge ",
                     "rare classes");
  }
}

/// k-fold assignment of a validated cohort; the part of every group.
inline std::vector<std::int64_t> kfold_parts(const Cohort& cohort, std::int64_t n_splits, bool shuffle, Pcg32& rng) {
  return assign_groups(cohort, kfold_targets(cohort, n_splits), shuffle, rng);
}

template <typename Labels, typename GroupValue>
std::vector<Split> stratified_kfold_impl(const Labels& y, std::int64_t n_splits, const std::vector<GroupValue>* groups,
                                         const SplitOptions& options, std::uint64_t stream) {
  const Cohort cohort = make_cohort("stratified_kfold", y, groups, options);
  check_fold_count("stratified_kfold", cohort, options, n_splits);
  Pcg32 rng(options.seed(), stream);
  return splits_from_parts(cohort, kfold_parts(cohort, n_splits, options.shuffle(), rng), n_splits);
}

}  // namespace detail

/// Stratified k-fold over groups: every group (patient, hip) lies in exactly one test fold, and
/// each fold holds ~1/k of every class (and of every label × strata combination) and ~1/k of the
/// samples. Returns `n_splits` (train, test) index pairs. See docs/split.md for the algorithm.
///
/// Example:
///   std::vector<int> y{0, 0, 1, 1, 0, 1, 0, 1, 0, 1};
///   std::vector<std::string> patient{"a", "a", "b", "b", "c", "d", "e", "f", "g", "h"};
///   auto folds = osteon::split::stratified_kfold(y, 2, patient, osteon::split::SplitOptions().seed(3));
template <typename Labels, typename GroupValue>
std::vector<Split> stratified_kfold(const Labels& y, std::int64_t n_splits, const std::vector<GroupValue>& groups,
                                    const SplitOptions& options = {}) {
  return detail::stratified_kfold_impl(y, n_splits, &groups, options, 0);
}

/// Stratified k-fold where every sample is its own group.
///
/// Example:
///   auto folds = osteon::split::stratified_kfold(std::vector<int>{0, 1, 0, 1, 0, 1}, 3);
template <typename Labels>
std::vector<Split> stratified_kfold(const Labels& y, std::int64_t n_splits, const SplitOptions& options = {}) {
  return detail::stratified_kfold_impl<Labels, std::int64_t>(y, n_splits, nullptr, options, 0);
}

/// Repeated stratified group k-fold: `n_repeats` independent k-fold rounds, n_repeats × n_splits
/// splits in round-major order. Round r draws from Pcg32(seed, stream r), so round 0 equals
/// stratified_kfold with the same seed. Without shuffling every round would be the same: refused.
///
/// Example:
///   auto splits = osteon::split::repeated_stratified_kfold(y, 5, 10, hip_ids);  // 50 splits
template <typename Labels, typename GroupValue>
std::vector<Split> repeated_stratified_kfold(const Labels& y, std::int64_t n_splits, std::int64_t n_repeats,
                                             const std::vector<GroupValue>& groups, const SplitOptions& options = {}) {
  OSTEON_CHECK_ARG(n_repeats >= 1, "repeated_stratified_kfold: n_repeats must be >= 1, got ", n_repeats);
  OSTEON_CHECK_ARG(options.shuffle() || n_repeats == 1,
                   "repeated_stratified_kfold: shuffle is false, so all n_repeats = ", n_repeats,
                   " rounds would be identical");
  const detail::Cohort cohort = detail::make_cohort("repeated_stratified_kfold", y, &groups, options);
  detail::check_fold_count("repeated_stratified_kfold", cohort, options, n_splits);
  std::vector<Split> out;
  for (std::int64_t round = 0; round < n_repeats; ++round) {
    Pcg32 rng(options.seed(), static_cast<std::uint64_t>(round));
    auto splits = detail::splits_from_parts(cohort, detail::kfold_parts(cohort, n_splits, options.shuffle(), rng), n_splits);
    for (auto& split : splits) out.push_back(std::move(split));
  }
  return out;
}

/// Repeated stratified k-fold where every sample is its own group.
template <typename Labels>
std::vector<Split> repeated_stratified_kfold(const Labels& y, std::int64_t n_splits, std::int64_t n_repeats,
                                             const SplitOptions& options = {}) {
  std::vector<std::int64_t> own_group(static_cast<std::size_t>(std::distance(std::begin(y), std::end(y))));
  std::iota(own_group.begin(), own_group.end(), std::int64_t{0});
  return repeated_stratified_kfold(y, n_splits, n_repeats, own_group, options);
}

}  // namespace osteon::split
