#pragma once
/// @file
/// Stratified, group-safe holdout (train / test) split.

#include <cmath>
#include <cstdint>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/rng.hpp"
#include "osteon/split/assign.hpp"
#include "osteon/split/cohort.hpp"
#include "osteon/split/indices.hpp"
#include "osteon/split/options.hpp"

namespace osteon::split {
namespace detail {

/// Refuses a test_size that leaves a side empty or a class on one side only.
inline void check_holdout(const char* function, const Cohort& cohort, const SplitOptions& options, double test_size) {
  OSTEON_CHECK_ARG(std::isfinite(test_size) && test_size > 0.0 && test_size < 1.0, function,
                   ": test_size must be a fraction in (0, 1), got ", test_size);
  const std::int64_t n_test = std::llround(test_size * static_cast<double>(cohort.n_samples));
  OSTEON_CHECK_ARG(n_test >= 1 && n_test <= cohort.n_samples - 1, function, ": test_size = ", test_size,
                   " leaves the ", n_test < 1 ? "test" : "train", " side empty (round(", test_size, " × ",
                   cohort.n_samples, " samples) = ", n_test, ")");
  for (std::size_t c = 0; c < cohort.stratum_groups.size(); ++c) {
    OSTEON_CHECK_ARG(cohort.stratum_groups[c] >= 2, function, ": the class (",
                     describe_stratum(cohort, options, cohort.stratum_example[c]),
                     ") has only 1 group; a holdout needs 2 so that both sides see every class");
  }
}

/// Holdout assignment of a validated cohort: part 0 = train, 1 = test, per group.
inline std::vector<std::int64_t> holdout_parts(const Cohort& cohort, double test_size, bool shuffle, Pcg32& rng) {
  return assign_groups(cohort, holdout_targets(cohort, test_size), shuffle, rng);
}

template <typename Labels, typename GroupValue>
Split stratified_holdout_impl(const Labels& y, const std::vector<GroupValue>* groups, double test_size,
                              const SplitOptions& options, std::uint64_t stream) {
  const Cohort cohort = make_cohort("stratified_holdout", y, groups, options);
  check_holdout("stratified_holdout", cohort, options, test_size);
  Pcg32 rng(options.seed(), stream);
  const std::vector<std::int64_t> parts = holdout_parts(cohort, test_size, options.shuffle(), rng);
  return Split{samples_in_part(cohort, parts, 0), samples_in_part(cohort, parts, 1)};
}

}  // namespace detail

/// Stratified holdout over groups: every group lies wholly on one side; the test side holds
/// round(test_size × N) samples as closely as whole groups allow, with every class (and
/// label × strata combination) in the same proportion on both sides and present on both.
///
/// Example:
///   // 432 hips, two radiographs each (AP and frog-leg): both views of a hip on one side, 3:1.
///   auto split = osteon::split::stratified_holdout(outcome_per_image, hip_of_image, 0.25,
///                                                  osteon::split::SplitOptions().seed(2024));
template <typename Labels, typename GroupValue>
Split stratified_holdout(const Labels& y, const std::vector<GroupValue>& groups, double test_size = 0.25,
                         const SplitOptions& options = {}) {
  return detail::stratified_holdout_impl(y, &groups, test_size, options, 0);
}

/// Stratified holdout where every sample is its own group.
///
/// Example:
///   auto split = osteon::split::stratified_holdout(std::vector<int>{0, 1, 0, 1, 0, 1, 0, 1}, 0.25);
template <typename Labels>
Split stratified_holdout(const Labels& y, double test_size = 0.25, const SplitOptions& options = {}) {
  return detail::stratified_holdout_impl<Labels, std::int64_t>(y, nullptr, test_size, options, 0);
}

/// `n_repeats` independent holdouts (a stratified group "shuffle split"); repeat r draws from
/// Pcg32(seed, stream r), so repeat 0 equals stratified_holdout with the same seed.
///
/// Example:
///   auto splits = osteon::split::repeated_stratified_holdout(y, 20, patient_ids, 0.2);
template <typename Labels, typename GroupValue>
std::vector<Split> repeated_stratified_holdout(const Labels& y, std::int64_t n_repeats,
                                               const std::vector<GroupValue>& groups, double test_size = 0.25,
                                               const SplitOptions& options = {}) {
  OSTEON_CHECK_ARG(n_repeats >= 1, "repeated_stratified_holdout: n_repeats must be >= 1, got ", n_repeats);
  OSTEON_CHECK_ARG(options.shuffle() || n_repeats == 1, "repeated_stratified_holdout: shuffle is false, so all ",
                   "n_repeats = ", n_repeats, " repeats would be identical");
  const detail::Cohort cohort = detail::make_cohort("repeated_stratified_holdout", y, &groups, options);
  detail::check_holdout("repeated_stratified_holdout", cohort, options, test_size);
  std::vector<Split> out;
  for (std::int64_t repeat = 0; repeat < n_repeats; ++repeat) {
    Pcg32 rng(options.seed(), static_cast<std::uint64_t>(repeat));
    const auto parts = detail::holdout_parts(cohort, test_size, options.shuffle(), rng);
    out.push_back(Split{detail::samples_in_part(cohort, parts, 0), detail::samples_in_part(cohort, parts, 1)});
  }
  return out;
}

}  // namespace osteon::split
