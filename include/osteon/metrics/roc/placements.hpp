#pragma once
/// @file
/// Placement values ("structural components") of DeLong, DeLong & Clarke-Pearson (1988), computed
/// from sorted cases and controls (radix-sorted: O(n)) as in Sun & Xu (2014), "Fast implementation of
/// DeLong's algorithm for comparing the areas under correlated receiver operating characteristic
/// curves", IEEE Signal Processing Letters 21(11). Everything in metrics/roc/roc.hpp and
/// metrics/roc/delong.hpp is built on `delong_components`.
///
/// For a case with score x, its placement is P(control < x) + ½·P(control = x) among the controls;
/// for a control with score y, the share of cases that beat it, ties counting ½. The mean of either
/// is the AUC (Mann–Whitney U / (n_cases · n_controls)). Counts are kept doubled in integers
/// (2·less + equal) and divided once, so perfect separation gives exactly 1.0.

#include <algorithm>
#include <cmath>
#include <iterator>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/host_array.hpp"
#include "osteon/core/radix_sort.hpp"

namespace osteon::metrics {

/// Which way a score points. `CasesHigher` (pROC's direction "<": controls < cases) is the default;
/// osteon never guesses it from the data, since a guessed direction biases the AUC upwards.
enum class Direction { CasesHigher, CasesLower };

/// Parses pROC's spelling: "<" (cases score higher) or ">" (cases score lower).
inline Direction parse_direction(std::string_view text) {
  if (text == "<") return Direction::CasesHigher;
  if (text == ">") return Direction::CasesLower;
  throw std::invalid_argument(osteon::detail::concat(
      "direction must be \"<\" (higher score = case) or \">\" (lower score = case), got \"", text, "\""));
}

/// Per-predictor DeLong structural components: placements of each case and of each control, in the
/// order the cases and controls were given.
struct DelongComponents {
  double auc = 0.0;                        ///< mean of either vector: the Mann–Whitney AUC
  std::vector<double> case_placements;     ///< V10: one per case
  std::vector<double> control_placements;  ///< V01: one per control
};

/// Cases and controls of one predictor, split by label.
struct SplitScores {
  std::vector<double> cases;
  std::vector<double> controls;
};

namespace detail {

/// Splits scores by binary label, flipping the sign for Direction::CasesLower so that every later
/// step can assume higher = case. Checks lengths, finiteness and labels; errors name `function`
/// and the caller's argument names (`score_a`, `y_b`, ...).
template <typename Labels, typename Scores>
SplitScores split_by_label(const Labels& labels, const Scores& scores, Direction direction,
                           const char* function, const char* labels_name = "y_true",
                           const char* scores_name = "y_score") {
  const std::vector<std::uint8_t> y = osteon::detail::binary_labels(labels, function, labels_name);
  OSTEON_CHECK_ARG(!y.empty(), function, ": ", labels_name, " is empty");
  std::size_t n_cases = 0;
  for (std::uint8_t label : y) n_cases += label;
  const double sign = direction == Direction::CasesHigher ? 1.0 : -1.0;
  SplitScores split;
  split.cases.reserve(n_cases);
  split.controls.reserve(y.size() - n_cases);
  std::size_t index = 0;
  using std::begin;
  using std::end;
  for (auto it = begin(scores); it != end(scores); ++it, ++index) {
    const auto score = static_cast<double>(*it);
    OSTEON_CHECK_ARG(std::isfinite(score), function, ": ", scores_name, "[", index, "] is not finite (", score,
                     "); remove or impute it first");
    if (index < y.size()) (y[index] ? split.cases : split.controls).push_back(sign * score);
  }
  OSTEON_CHECK_ARG(y.size() == index, function, ": ", labels_name, " and ", scores_name, " differ in length (",
                   y.size(), " vs ", index, ")");
  OSTEON_CHECK_ARG(!split.cases.empty() && !split.controls.empty(), function, ": ", labels_name,
                   " holds a single class (", split.cases.size(), " cases, ", split.controls.size(),
                   " controls); an AUC needs both");
  return split;
}

/// Weight 1 for every score (the plain walk).
struct UnitWeights {
  std::int64_t operator[](std::size_t) const { return 1; }
};

/// The two-pointer walk over sorted cases and sorted controls. For each case (in sorted order)
/// writes 2·(controls below) + (controls tied) into `doubled_case_counts` when it is not null;
/// likewise 2·(cases above) + (cases tied) for each control. Returns the sum over cases, which is
/// 2·U (Mann–Whitney). Integer weights (how often each sorted score is drawn) let the bootstrap
/// reuse the walk on resamples without sorting again. O(n_cases + n_controls).
template <typename Value, typename CaseWeights = UnitWeights, typename ControlWeights = UnitWeights>
std::int64_t placement_walk(const std::vector<Value>& sorted_cases, const std::vector<Value>& sorted_controls,
                            std::int64_t* doubled_case_counts, std::int64_t* doubled_control_counts,
                            const CaseWeights& case_weights = {}, const ControlWeights& control_weights = {}) {
  const std::size_t n_cases = sorted_cases.size();
  const std::size_t n_controls = sorted_controls.size();
  std::int64_t doubled_u = 0;
  std::size_t below = 0, not_above = 0;              // controls < x, controls <= x
  std::int64_t weight_below = 0, weight_not_above = 0;
  for (std::size_t i = 0; i < n_cases; ++i) {
    const Value x = sorted_cases[i];
    while (below < n_controls && sorted_controls[below] < x) weight_below += control_weights[below++];
    if (not_above < below) not_above = below, weight_not_above = weight_below;
    while (not_above < n_controls && sorted_controls[not_above] <= x) weight_not_above += control_weights[not_above++];
    const std::int64_t doubled = weight_below + weight_not_above;
    doubled_u += case_weights[i] * doubled;
    if (doubled_case_counts) doubled_case_counts[i] = doubled;
  }
  if (doubled_control_counts) {
    std::int64_t total_case_weight = 0;
    for (std::size_t i = 0; i < n_cases; ++i) total_case_weight += case_weights[i];
    std::size_t cases_below = 0, cases_not_above = 0;
    std::int64_t weight_cases_below = 0, weight_cases_not_above = 0;
    for (std::size_t j = 0; j < n_controls; ++j) {
      const Value y = sorted_controls[j];
      while (cases_below < n_cases && sorted_cases[cases_below] < y) weight_cases_below += case_weights[cases_below++];
      if (cases_not_above < cases_below) cases_not_above = cases_below, weight_cases_not_above = weight_cases_below;
      while (cases_not_above < n_cases && sorted_cases[cases_not_above] <= y)
        weight_cases_not_above += case_weights[cases_not_above++];
      // cases above y, doubled, plus cases tied with y: 2(W - not_above) + (not_above - below)
      doubled_control_counts[j] = 2 * total_case_weight - weight_cases_not_above - weight_cases_below;
    }
  }
  return doubled_u;
}

/// Order-preserving keys of the scores, sorted, with the positions they came from.
struct SortedWithPositions {
  std::vector<std::uint64_t> keys;       ///< ascending; compare as the scores do
  std::vector<std::uint32_t> positions;  ///< input position of each sorted key
};

/// Radix-sorts scores keeping their original positions, so that placements can be written back in
/// input order. O(n).
inline SortedWithPositions sorted_with_positions(const std::vector<double>& values) {
  OSTEON_CHECK_ARG(values.size() <= 0xffffffffu, "delong_components: more than 2^32 scores in one class (",
                   values.size(), ")");
  struct Keyed {
    std::uint64_t key;
    std::uint32_t position;
  };
  std::vector<Keyed> keyed(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    keyed[i] = Keyed{osteon::detail::orderable_key(values[i]), static_cast<std::uint32_t>(i)};
  osteon::detail::radix_sort(keyed, [](const Keyed& k) { return k.key; });
  SortedWithPositions sorted;
  sorted.keys.resize(values.size());
  sorted.positions.resize(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    sorted.keys[i] = keyed[i].key;
    sorted.positions[i] = keyed[i].position;
  }
  return sorted;
}

}  // namespace detail

/// DeLong structural components of one predictor from cases and controls already split (and
/// already oriented so that higher = case).
///
/// Example:
///   auto parts = osteon::metrics::delong_components(SplitScores{{0.8, 0.35}, {0.1, 0.4}});
///   // parts.auc == 0.75, parts.case_placements == {1.0, 0.5}
inline DelongComponents delong_components(const SplitScores& split) {
  const std::size_t n_cases = split.cases.size();
  const std::size_t n_controls = split.controls.size();
  const auto cases = detail::sorted_with_positions(split.cases);
  const auto controls = detail::sorted_with_positions(split.controls);
  std::vector<std::int64_t> case_counts(n_cases), control_counts(n_controls);
  const std::int64_t doubled_u =
      detail::placement_walk(cases.keys, controls.keys, case_counts.data(), control_counts.data());

  DelongComponents parts;
  parts.auc = static_cast<double>(doubled_u) / (2.0 * static_cast<double>(n_cases) * static_cast<double>(n_controls));
  parts.case_placements.resize(n_cases);
  parts.control_placements.resize(n_controls);
  const double case_scale = 2.0 * static_cast<double>(n_controls);
  const double control_scale = 2.0 * static_cast<double>(n_cases);
  for (std::size_t i = 0; i < n_cases; ++i)
    parts.case_placements[cases.positions[i]] = static_cast<double>(case_counts[i]) / case_scale;
  for (std::size_t j = 0; j < n_controls; ++j)
    parts.control_placements[controls.positions[j]] = static_cast<double>(control_counts[j]) / control_scale;
  return parts;
}

/// DeLong structural components from labels (0 = control, 1 = case) and scores.
///
/// Example:
///   auto parts = osteon::metrics::delong_components(std::vector<int>{0, 0, 1, 1},
///                                                   std::vector<double>{0.1, 0.4, 0.35, 0.8});
template <typename Labels, typename Scores>
DelongComponents delong_components(const Labels& y_true, const Scores& y_score,
                                   Direction direction = Direction::CasesHigher) {
  return delong_components(detail::split_by_label(y_true, y_score, direction, "delong_components"));
}

}  // namespace osteon::metrics
