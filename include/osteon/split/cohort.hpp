#pragma once
/// @file
/// The cohort as the splitters see it: one row per group (patient, hip) with its size and its
/// group-level stratum (label × extra keys). Every splitter validates its inputs here, once.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/host_array.hpp"
#include "osteon/split/options.hpp"

namespace osteon::split {
namespace detail {

/// Dense codes 0..n_unique-1 following the sorted order of the values (what numpy's
/// np.unique(values, return_inverse=True) returns), and the number of distinct values.
template <typename T>
std::pair<std::vector<std::int64_t>, std::int64_t> dense_codes(const std::vector<T>& values) {
  std::vector<std::pair<T, std::int64_t>> sorted;
  sorted.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) sorted.emplace_back(values[i], static_cast<std::int64_t>(i));
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::int64_t> out(values.size());
  std::int64_t next = -1;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i == 0 || sorted[i - 1].first < sorted[i].first) ++next;
    out[static_cast<std::size_t>(sorted[i].second)] = next;
  }
  return {std::move(out), next + 1};
}

/// Groups and their group-level strata; built once per call by make_cohort.
struct Cohort {
  std::int64_t n_samples = 0;
  std::int64_t n_strata = 0;
  std::vector<std::int64_t> sample_group;     ///< dense group id of every sample
  std::vector<std::int64_t> group_size;       ///< samples per group
  std::vector<std::int64_t> group_stratum;    ///< group-level stratum (label × keys), dense
  std::vector<std::int64_t> stratum_samples;  ///< samples per stratum
  std::vector<std::int64_t> stratum_groups;   ///< groups per stratum
  std::vector<std::int64_t> stratum_example;  ///< one sample of each stratum, for messages
  std::vector<double> labels;                 ///< y as given, for messages

  std::int64_t n_groups() const { return static_cast<std::int64_t>(group_size.size()); }
};

/// Combines two dense codes into one dense code (a × n_b + b, re-densified).
inline std::pair<std::vector<std::int64_t>, std::int64_t> combine_codes(const std::vector<std::int64_t>& a,
                                                                        const std::vector<std::int64_t>& b,
                                                                        std::int64_t n_b) {
  std::vector<std::int64_t> joint(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) joint[i] = a[i] * n_b + b[i];
  return dense_codes(joint);
}

/// Most frequent stratum of each group (ties: the smallest stratum code).
inline std::vector<std::int64_t> majority_strata(const std::vector<std::int64_t>& sample_group,
                                                 const std::vector<std::int64_t>& sample_stratum,
                                                 std::int64_t n_groups) {
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs(sample_group.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) pairs[i] = {sample_group[i], sample_stratum[i]};
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::int64_t> best(static_cast<std::size_t>(n_groups), -1);
  std::vector<std::int64_t> best_count(static_cast<std::size_t>(n_groups), 0);
  for (std::size_t start = 0; start < pairs.size();) {
    std::size_t stop = start;
    while (stop < pairs.size() && pairs[stop] == pairs[start]) ++stop;
    const auto group = static_cast<std::size_t>(pairs[start].first);
    const auto count = static_cast<std::int64_t>(stop - start);
    if (count > best_count[group]) {  // strata come in increasing order: ties keep the smallest
      best_count[group] = count;
      best[group] = pairs[start].second;
    }
    start = stop;
  }
  return best;
}

/// Validates labels, groups and strata and builds the group table.
/// `group_values` is nullptr when every sample is its own group.
template <typename Labels, typename GroupValue>
Cohort make_cohort(const char* function, const Labels& y, const std::vector<GroupValue>* group_values,
                   const SplitOptions& options) {
  const std::vector<double> labels = osteon::detail::copy_as<double>(y);
  const auto n = static_cast<std::int64_t>(labels.size());
  OSTEON_CHECK_ARG(n > 0, function, ": y is empty");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    OSTEON_CHECK_ARG(std::isfinite(labels[i]), function, ": y[", i, "] is not a finite label (", labels[i],
                     "); drop or impute unlabelled samples before splitting");
  }
  if (group_values != nullptr) {
    OSTEON_CHECK_ARG(static_cast<std::int64_t>(group_values->size()) == n, function,
                     ": groups must have one entry per sample: len(groups) = ", group_values->size(),
                     ", len(y) = ", n);
  }
  for (std::size_t key = 0; key < options.strata().size(); ++key) {
    OSTEON_CHECK_ARG(static_cast<std::int64_t>(options.strata()[key].size()) == n, function, ": strata[", key,
                     "] must have one entry per sample: len(strata[", key, "]) = ", options.strata()[key].size(),
                     ", len(y) = ", n);
  }

  Cohort cohort;
  cohort.n_samples = n;
  auto [label_codes, n_labels] = dense_codes(labels);
  std::vector<std::int64_t> sample_stratum = label_codes;
  cohort.n_strata = n_labels;
  std::vector<std::vector<std::int64_t>> key_codes;
  for (const auto& key : options.strata()) {
    auto [codes, n_values] = dense_codes(key);
    std::tie(sample_stratum, cohort.n_strata) = combine_codes(sample_stratum, codes, n_values);
    key_codes.push_back(std::move(codes));
  }

  std::int64_t n_groups = n;
  if (group_values != nullptr) {
    std::tie(cohort.sample_group, n_groups) = dense_codes(*group_values);
  } else {
    cohort.sample_group.resize(static_cast<std::size_t>(n));
    std::iota(cohort.sample_group.begin(), cohort.sample_group.end(), std::int64_t{0});
  }

  cohort.group_size.assign(static_cast<std::size_t>(n_groups), 0);
  cohort.group_stratum.assign(static_cast<std::size_t>(n_groups), -1);
  std::vector<std::int64_t> first_sample(static_cast<std::size_t>(n_groups), -1);
  bool mixed = false;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto sample = static_cast<std::size_t>(i);
    const auto group = static_cast<std::size_t>(cohort.sample_group[sample]);
    ++cohort.group_size[group];
    if (first_sample[group] < 0) {
      first_sample[group] = i;
      cohort.group_stratum[group] = sample_stratum[sample];
      continue;
    }
    if (sample_stratum[sample] == cohort.group_stratum[group]) continue;
    mixed = true;
    if (options.mixed_labels() == MixedLabels::Majority) continue;
    const auto first = static_cast<std::size_t>(first_sample[group]);
    if (label_codes[first] != label_codes[sample]) {
      OSTEON_CHECK_ARG(false, function, ": y: samples ", first, " and ", sample,
                       " belong to the same group but carry different labels (", labels[first], " vs ",
                       labels[sample], "); a group is split as one unit and needs one label: fix the labels "
                       "or choose the mixed-labels policy 'majority'");
    }
    for (std::size_t key = 0; key < key_codes.size(); ++key) {
      OSTEON_CHECK_ARG(key_codes[key][first] == key_codes[key][sample], function, ": strata[", key,
                       "]: samples ", first, " and ", sample, " belong to the same group but carry different ",
                       "values (", options.strata()[key][first], " vs ", options.strata()[key][sample],
                       "); fix the key or choose the mixed-labels policy 'majority'");
    }
  }
  if (mixed) cohort.group_stratum = majority_strata(cohort.sample_group, sample_stratum, n_groups);
  // Only strata that label some group count (a majority vote can leave one empty).
  std::tie(cohort.group_stratum, cohort.n_strata) = dense_codes(cohort.group_stratum);

  cohort.stratum_samples.assign(static_cast<std::size_t>(cohort.n_strata), 0);
  cohort.stratum_groups.assign(static_cast<std::size_t>(cohort.n_strata), 0);
  cohort.stratum_example.assign(static_cast<std::size_t>(cohort.n_strata), -1);
  for (std::size_t group = 0; group < cohort.group_size.size(); ++group) {
    const auto stratum = static_cast<std::size_t>(cohort.group_stratum[group]);
    cohort.stratum_samples[stratum] += cohort.group_size[group];
    ++cohort.stratum_groups[stratum];
    if (cohort.stratum_example[stratum] < 0) cohort.stratum_example[stratum] = first_sample[group];
  }
  cohort.labels = labels;
  return cohort;
}

}  // namespace detail

/// Dense integer codes (0, 1, …, in sorted order of the values) for a key of any ordered type,
/// e.g. sex as strings, to pass as a stratification key or as groups.
///
/// Example:
///   std::vector<std::string> sex{"F", "M", "F"};
///   auto keys = osteon::split::codes(sex);  // {0, 1, 0}
template <typename Iterable>
std::vector<std::int64_t> codes(const Iterable& values) {
  using std::begin;
  using Value = std::decay_t<decltype(*begin(values))>;
  std::vector<Value> copy(begin(values), std::end(values));
  return detail::dense_codes(copy).first;
}

}  // namespace osteon::split
