#pragma once
/// @file
/// ROC curve and AUC on the host (double precision). The tensor backend is metrics/roc/tensor.hpp;
/// DeLong's variance, covariance, intervals and tests are in metrics/roc/delong.hpp.
///
/// Conventions: labels are 0/1 with 1 the case (positive) class; `direction` says which way the
/// score points and is never guessed; ties between a case and a control count ½.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"
#include "osteon/metrics/roc/placements.hpp"

namespace osteon::metrics {

/// Which thresholds roc_curve reports.
enum class ThresholdConvention {
  /// pROC: −∞, the midpoints between consecutive distinct scores, +∞ (increasing for "<");
  /// a score is called positive when it is ≥ the threshold ("<") or ≤ it (">").
  Midpoint,
  /// scikit-learn: the distinct scores themselves, decreasing, after a first +∞ (sklearn ≥ 1.3;
  /// 1.2 wrote max + 1 there); positive when score ≥ threshold.
  Sklearn,
};

/// Options of roc_curve.
///
/// Example:
///   auto curve = osteon::metrics::roc_curve(y, s, osteon::metrics::RocCurveOptions()
///                    .convention(osteon::metrics::ThresholdConvention::Sklearn).drop_intermediate(true));
struct RocCurveOptions {
  /// Which way the score points ("<": higher score = case); never guessed.
  OSTEON_ARG(Direction, direction) = Direction::CasesHigher;
  OSTEON_ARG(ThresholdConvention, convention) = ThresholdConvention::Midpoint;
  /// sklearn's drop_intermediate: drop points on straight segments (Sklearn convention only).
  OSTEON_ARG(bool, drop_intermediate) = false;
};

/// A ROC curve with the integer counts it was computed from.
struct RocCurve {
  std::vector<double> thresholds;
  std::vector<std::int64_t> true_positives;   ///< cases called positive at each threshold
  std::vector<std::int64_t> false_positives;  ///< controls called positive at each threshold
  std::int64_t n_cases = 0;
  std::int64_t n_controls = 0;
  std::vector<double> sensitivity;  ///< = TPR = TP / n_cases
  std::vector<double> specificity;  ///< = TN / n_controls
  std::vector<double> fpr;          ///< = FP / n_controls = 1 − specificity
};

namespace detail {

/// Midpoint between two consecutive distinct scores, as pROC's roc.utils.thresholds computes it:
/// (a + b) / 2, or a/2 + b/2 where that would overflow; and never equal to the lower score, so that
/// `score >= threshold` still separates adjacent doubles.
inline double midpoint_threshold(double lower, double upper) {
  double mid = (lower + upper) / 2.0;
  if (!(std::abs(mid) <= 1e100)) mid = lower / 2.0 + upper / 2.0;
  if (mid == lower) mid = upper;
  return mid;
}

/// Distinct oriented scores (ascending) with how many cases and controls carry each.
struct TieGroups {
  std::vector<double> values;
  std::vector<std::int64_t> cases;
  std::vector<std::int64_t> controls;
};

inline TieGroups tie_groups(std::vector<double> cases, std::vector<double> controls) {
  osteon::detail::radix_sort_doubles(cases);
  osteon::detail::radix_sort_doubles(controls);
  TieGroups groups;
  std::size_t i = 0, j = 0;
  while (i < cases.size() || j < controls.size()) {
    const double value = (j >= controls.size() || (i < cases.size() && cases[i] < controls[j])) ? cases[i] : controls[j];
    std::int64_t n_case = 0, n_control = 0;
    while (i < cases.size() && cases[i] == value) ++i, ++n_case;
    while (j < controls.size() && controls[j] == value) ++j, ++n_control;
    groups.values.push_back(value);
    groups.cases.push_back(n_case);
    groups.controls.push_back(n_control);
  }
  return groups;
}

/// Fills the rates from the counts.
inline void finish_rates(RocCurve& curve) {
  const std::size_t points = curve.thresholds.size();
  curve.sensitivity.resize(points);
  curve.specificity.resize(points);
  curve.fpr.resize(points);
  const auto n_cases = static_cast<double>(curve.n_cases);
  const auto n_controls = static_cast<double>(curve.n_controls);
  for (std::size_t k = 0; k < points; ++k) {
    curve.sensitivity[k] = static_cast<double>(curve.true_positives[k]) / n_cases;
    curve.specificity[k] = static_cast<double>(curve.n_controls - curve.false_positives[k]) / n_controls;
    curve.fpr[k] = static_cast<double>(curve.false_positives[k]) / n_controls;
  }
}

/// sklearn's drop_intermediate: keep the ends and every point where the curve turns.
inline void drop_collinear_points(RocCurve& curve) {
  const std::size_t points = curve.thresholds.size();
  if (points <= 2) return;
  std::vector<std::size_t> keep{0};
  for (std::size_t k = 1; k + 1 < points; ++k) {
    const bool fp_turns = curve.false_positives[k + 1] - 2 * curve.false_positives[k] + curve.false_positives[k - 1] != 0;
    const bool tp_turns = curve.true_positives[k + 1] - 2 * curve.true_positives[k] + curve.true_positives[k - 1] != 0;
    if (fp_turns || tp_turns) keep.push_back(k);
  }
  keep.push_back(points - 1);
  RocCurve kept;
  kept.n_cases = curve.n_cases;
  kept.n_controls = curve.n_controls;
  for (std::size_t k : keep) {
    kept.thresholds.push_back(curve.thresholds[k]);
    kept.true_positives.push_back(curve.true_positives[k]);
    kept.false_positives.push_back(curve.false_positives[k]);
  }
  curve = std::move(kept);
}

}  // namespace detail

namespace detail {

/// The ROC curve of scores already split by label (the body of roc_curve).
inline RocCurve curve_of_split(const SplitScores& split, const RocCurveOptions& options) {
  const detail::TieGroups groups = detail::tie_groups(split.cases, split.controls);
  // Scores were negated for ">", so thresholds flip sign back on the way out.
  const double sign = options.direction() == Direction::CasesHigher ? 1.0 : -1.0;
  const std::size_t distinct = groups.values.size();
  constexpr double inf = std::numeric_limits<double>::infinity();

  RocCurve curve;
  curve.n_cases = static_cast<std::int64_t>(split.cases.size());
  curve.n_controls = static_cast<std::int64_t>(split.controls.size());
  if (options.convention() == ThresholdConvention::Midpoint) {
    // Threshold k (0..distinct) lies just below distinct value k: everything from value k up is positive.
    std::int64_t tp = curve.n_cases, fp = curve.n_controls;
    for (std::size_t k = 0; k <= distinct; ++k) {
      double threshold;
      if (k == 0) threshold = -inf;
      else if (k == distinct) threshold = inf;
      else threshold = detail::midpoint_threshold(groups.values[k - 1], groups.values[k]);
      curve.thresholds.push_back(sign * threshold);
      curve.true_positives.push_back(tp);
      curve.false_positives.push_back(fp);
      if (k < distinct) tp -= groups.cases[k], fp -= groups.controls[k];
    }
  } else {
    // Descending distinct scores; threshold = the score itself. As sklearn, collinear points are
    // dropped before the first point (+∞, nothing positive) is put in front.
    std::int64_t tp = 0, fp = 0;
    for (std::size_t k = distinct; k-- > 0;) {
      tp += groups.cases[k];
      fp += groups.controls[k];
      curve.thresholds.push_back(sign * groups.values[k]);
      curve.true_positives.push_back(tp);
      curve.false_positives.push_back(fp);
    }
    if (options.drop_intermediate()) detail::drop_collinear_points(curve);
    curve.thresholds.insert(curve.thresholds.begin(), inf);
    curve.true_positives.insert(curve.true_positives.begin(), 0);
    curve.false_positives.insert(curve.false_positives.begin(), 0);
  }
  detail::finish_rates(curve);
  return curve;
}

/// roc_curve with the input errors naming `function`: the public functions built on the curve
/// (thresholds, partial AUC) report their own name, not "roc_curve".
template <typename Labels, typename Scores>
RocCurve named_roc_curve(const Labels& y_true, const Scores& y_score, const RocCurveOptions& options,
                         const char* function) {
  return curve_of_split(split_by_label(y_true, y_score, options.direction(), function), options);
}

}  // namespace detail

/// ROC curve of `y_score` against binary `y_true`.
///
/// With the default Midpoint convention the points match pROC's `roc()` (thresholds ascending
/// from −∞ for direction "<", sensitivity falling from 1 to 0); with Sklearn they match
/// `sklearn.metrics.roc_curve` (fpr and tpr rising from 0).
///
/// Example:
///   std::vector<int> y{0, 0, 1, 1};
///   std::vector<double> s{0.1, 0.4, 0.35, 0.8};
///   auto curve = osteon::metrics::roc_curve(y, s);
///   // curve.thresholds == {-inf, 0.225, 0.375, 0.6, +inf}
template <typename Labels, typename Scores>
RocCurve roc_curve(const Labels& y_true, const Scores& y_score, const RocCurveOptions& options = {}) {
  return detail::named_roc_curve(y_true, y_score, options, "roc_curve");
}

/// Area under the ROC curve (Mann–Whitney, ties ½), equal to pROC's auc() and sklearn's
/// roc_auc_score. O(n log n): two sorts and one linear walk, counted in integers, so perfect
/// separation gives exactly 1.0. The sorts are radix sorts (core/radix_sort.hpp), O(n).
///
/// Example:
///   double auc = osteon::metrics::roc_auc(std::vector<int>{0, 0, 1, 1},
///                                         std::vector<double>{0.1, 0.4, 0.35, 0.8});  // 0.75
template <typename Labels, typename Scores>
double roc_auc(const Labels& y_true, const Scores& y_score, Direction direction = Direction::CasesHigher) {
  const SplitScores split = detail::split_by_label(y_true, y_score, direction, "roc_auc");
  const std::int64_t doubled_u = detail::placement_walk(osteon::detail::sorted_keys(split.cases),
                                                        osteon::detail::sorted_keys(split.controls), nullptr, nullptr);
  return static_cast<double>(doubled_u) /
         (2.0 * static_cast<double>(split.cases.size()) * static_cast<double>(split.controls.size()));
}

}  // namespace osteon::metrics
