#pragma once
/// @file
/// Threshold metrics with scikit-learn's `sample_weight`: the confusion counts are sums of weights
/// (sklearn.metrics.confusion_matrix(..., sample_weight)), and accuracy, precision, recall,
/// specificity and F1 follow from them as sklearn's accuracy_score / precision_score /
/// recall_score / f1_score compute them. A score ≥ threshold is called positive. A zero denominator
/// gives NaN (sklearn returns 0 with a warning).

#include <cmath>
#include <cstddef>
#include <limits>

#include "osteon/core/check.hpp"
#include "osteon/metrics/roc/weighted.hpp"

namespace osteon::metrics {

/// Weighted confusion counts and the metrics derived from them.
struct WeightedBinaryReport {
  double tp = 0.0, fp = 0.0, tn = 0.0, fn = 0.0;
  double accuracy = 0.0, precision = 0.0, recall = 0.0, specificity = 0.0, f1 = 0.0;
  double threshold = 0.5;
};

/// Weighted threshold metrics of `y_score` ≥ `threshold` against `y_true`.
///
/// Example:
///   auto r = osteon::metrics::weighted_binary_report(y, s, w, 0.5);  // r.precision == sklearn's
template <typename Labels, typename Scores, typename Weights>
WeightedBinaryReport weighted_binary_report(const Labels& y_true, const Scores& y_score, const Weights& sample_weight,
                                            double threshold = 0.5) {
  const auto d = detail::weighted_samples(y_true, y_score, sample_weight, "weighted_binary_report");
  WeightedBinaryReport r;
  r.threshold = threshold;
  for (std::size_t i = 0; i < d.y.size(); ++i) {
    const bool positive = d.score[i] >= threshold;
    if (d.y[i] == 1.0) (positive ? r.tp : r.fn) += d.weight[i];
    else (positive ? r.fp : r.tn) += d.weight[i];
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto ratio = [nan](double a, double b) { return b > 0.0 ? a / b : nan; };
  r.accuracy = ratio(r.tp + r.tn, r.tp + r.tn + r.fp + r.fn);
  r.precision = ratio(r.tp, r.tp + r.fp);
  r.recall = ratio(r.tp, r.tp + r.fn);
  r.specificity = ratio(r.tn, r.tn + r.fp);
  r.f1 = ratio(2.0 * r.tp, 2.0 * r.tp + r.fp + r.fn);
  return r;
}

}  // namespace osteon::metrics
