#pragma once
/// @file
/// Threshold metrics of a binary classifier at one operating point, the columns of a results
/// table: the confusion counts, accuracy, precision (PPV), recall (sensitivity), specificity, F1,
/// NPV, balanced accuracy, Matthews' correlation and Youden's J, with confidence intervals of the
/// proportions (metrics/classification/proportion_ci.hpp).
///
/// Zero-division policy: a metric whose denominator is 0 (precision when nothing is called
/// positive, specificity without controls, …) is NaN and its name is listed in
/// `BinaryReport::undefined` — never a silent 0 (scikit-learn's zero_division="warn" returns 0).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/host_array.hpp"
#include "osteon/core/options.hpp"
#include "osteon/metrics/roc/placements.hpp"
#include "osteon/metrics/classification/proportion_ci.hpp"

namespace osteon::metrics {

/// The 2×2 confusion counts (positive = case = label 1).
struct ConfusionCounts {
  std::int64_t tp = 0;  ///< cases called positive
  std::int64_t fp = 0;  ///< controls called positive
  std::int64_t tn = 0;  ///< controls called negative
  std::int64_t fn = 0;  ///< cases called negative
};

/// Options of binary_report.
struct BinaryReportOptions {
  /// Confidence level of the intervals.
  OSTEON_ARG(double, level) = 0.95;
  OSTEON_ARG(ProportionCiMethod, ci_method) = ProportionCiMethod::Wilson;
  /// "<": positive iff score >= threshold.
  OSTEON_ARG(Direction, direction) = Direction::CasesHigher;
};

/// Every threshold metric at one operating point.
struct BinaryReport {
  ConfusionCounts counts;
  double threshold = std::numeric_limits<double>::quiet_NaN();  ///< NaN for hard predictions
  double accuracy = 0.0;           ///< (TP + TN) / N
  double precision = 0.0;          ///< PPV = TP / (TP + FP)
  double recall = 0.0;             ///< sensitivity = TPR = TP / (TP + FN)
  double specificity = 0.0;        ///< TNR = TN / (TN + FP)
  double f1 = 0.0;                 ///< 2TP / (2TP + FP + FN)
  double npv = 0.0;                ///< TN / (TN + FN)
  double balanced_accuracy = 0.0;  ///< (sensitivity + specificity) / 2
  double mcc = 0.0;                ///< (TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))
  double youden_j = 0.0;           ///< sensitivity + specificity − 1
  ProportionCi accuracy_ci, precision_ci, recall_ci, specificity_ci, npv_ci;
  std::vector<std::string> undefined;  ///< names of the metrics that are NaN because a denominator is 0
};

namespace detail {

/// numerator / denominator, or NaN with `name` recorded when the denominator is 0.
inline double ratio_or_undefined(double numerator, double denominator, const char* name,
                                 std::vector<std::string>& undefined) {
  if (denominator == 0.0) {
    undefined.emplace_back(name);
    return std::numeric_limits<double>::quiet_NaN();
  }
  return numerator / denominator;
}

inline ProportionCi proportion_or_undefined(std::int64_t k, std::int64_t n, const BinaryReportOptions& options) {
  return n == 0 ? undefined_proportion(options.level(), options.ci_method())
                : proportion_ci(k, n, options.level(), options.ci_method());
}

}  // namespace detail

/// The report from confusion counts.
///
/// Example:
///   auto r = osteon::metrics::binary_report(ConfusionCounts{40, 10, 50, 8});
///   // r.recall == 40/48, r.specificity == 50/60, r.f1 == 80/98
inline BinaryReport binary_report(const ConfusionCounts& counts, const BinaryReportOptions& options = {}) {
  OSTEON_CHECK_ARG(counts.tp >= 0 && counts.fp >= 0 && counts.tn >= 0 && counts.fn >= 0,
                   "binary_report: confusion counts must be >= 0, got tp=", counts.tp, ", fp=", counts.fp,
                   ", tn=", counts.tn, ", fn=", counts.fn);
  const std::int64_t total = counts.tp + counts.fp + counts.tn + counts.fn;
  OSTEON_CHECK_ARG(total > 0, "binary_report: no samples (all confusion counts are 0)");
  BinaryReport r;
  r.counts = counts;
  const auto tp = static_cast<double>(counts.tp), fp = static_cast<double>(counts.fp);
  const auto tn = static_cast<double>(counts.tn), fn = static_cast<double>(counts.fn);
  auto& undefined = r.undefined;
  r.accuracy = (tp + tn) / static_cast<double>(total);
  r.precision = detail::ratio_or_undefined(tp, tp + fp, "precision", undefined);
  r.recall = detail::ratio_or_undefined(tp, tp + fn, "recall", undefined);
  r.specificity = detail::ratio_or_undefined(tn, tn + fp, "specificity", undefined);
  r.npv = detail::ratio_or_undefined(tn, tn + fn, "npv", undefined);
  r.f1 = detail::ratio_or_undefined(2.0 * tp, 2.0 * tp + fp + fn, "f1", undefined);
  r.balanced_accuracy = (r.recall + r.specificity) / 2.0;  // NaN propagates from an undefined rate
  r.youden_j = r.recall + r.specificity - 1.0;
  if (std::isnan(r.balanced_accuracy)) {
    undefined.emplace_back("balanced_accuracy");
    undefined.emplace_back("youden_j");
  }
  // Matthews (1975); products in doubles so that large counts do not overflow.
  r.mcc = detail::ratio_or_undefined(tp * tn - fp * fn, std::sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)),
                                     "mcc", undefined);
  r.accuracy_ci = proportion_ci(counts.tp + counts.tn, total, options.level(), options.ci_method());
  r.precision_ci = detail::proportion_or_undefined(counts.tp, counts.tp + counts.fp, options);
  r.recall_ci = detail::proportion_or_undefined(counts.tp, counts.tp + counts.fn, options);
  r.specificity_ci = detail::proportion_or_undefined(counts.tn, counts.tn + counts.fp, options);
  r.npv_ci = detail::proportion_or_undefined(counts.tn, counts.tn + counts.fn, options);
  return r;
}

/// Confusion counts of binary labels against scores at `threshold`: positive iff
/// score >= threshold for direction "<" (pROC's and scikit-learn's rule), score <= threshold for ">".
template <typename Labels, typename Scores>
ConfusionCounts confusion_counts(const Labels& y_true, const Scores& y_score, double threshold,
                                 Direction direction = Direction::CasesHigher) {
  const auto labels = osteon::detail::binary_labels(y_true, "binary_report", "y_true");
  const auto scores = osteon::detail::finite_scores(y_score, "binary_report", "y_score");
  OSTEON_CHECK_ARG(labels.size() == scores.size(), "binary_report: y_true and y_score differ in length (",
                   labels.size(), " vs ", scores.size(), ")");
  OSTEON_CHECK_ARG(!labels.empty(), "binary_report: y_true is empty");
  OSTEON_CHECK_ARG(!std::isnan(threshold), "binary_report: threshold is NaN");
  ConfusionCounts counts;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const bool positive = direction == Direction::CasesHigher ? scores[i] >= threshold : scores[i] <= threshold;
    if (labels[i]) (positive ? counts.tp : counts.fn) += 1;
    else (positive ? counts.fp : counts.tn) += 1;
  }
  return counts;
}

/// The report of scores at a threshold (positive iff score >= threshold for direction "<").
///
/// Example:
///   auto r = osteon::metrics::binary_report(std::vector<int>{0, 0, 1, 1},
///                                           std::vector<double>{0.1, 0.4, 0.35, 0.8}, 0.375);
///   // r.counts == {tp 1, fp 1, tn 1, fn 1}, r.accuracy == 0.5
template <typename Labels, typename Scores>
BinaryReport binary_report(const Labels& y_true, const Scores& y_score, double threshold,
                           const BinaryReportOptions& options = {}) {
  BinaryReport r = binary_report(confusion_counts(y_true, y_score, threshold, options.direction()), options);
  r.threshold = threshold;
  return r;
}

/// The report of hard predictions (0/1) against binary labels.
///
/// Example:
///   auto r = osteon::metrics::binary_report_from_predictions(std::vector<int>{0, 1, 1, 0},
///                                                            std::vector<int>{0, 1, 0, 0});
///   // r.precision == 1, r.recall == 0.5
template <typename Labels, typename Predictions>
BinaryReport binary_report_from_predictions(const Labels& y_true, const Predictions& y_pred,
                                            const BinaryReportOptions& options = {}) {
  const auto predictions = osteon::detail::binary_labels(y_pred, "binary_report", "y_pred");
  BinaryReportOptions hard = options;
  hard.direction(Direction::CasesHigher);
  BinaryReport r = binary_report(confusion_counts(y_true, predictions, 0.5, hard.direction()), hard);
  r.threshold = std::numeric_limits<double>::quiet_NaN();
  return r;
}

}  // namespace osteon::metrics
