#pragma once
/// @file
/// scikit-learn's `sample_weight` for the ROC curve and AUC: each sample counts with its weight in
/// the true- and false-positive totals (sklearn.metrics._ranking._binary_clf_curve), so
/// TPR = Σ_{s ≥ t, y = 1} w / Σ_{y = 1} w and FPR likewise over controls, the AUC is the trapezoidal
/// area under those points (ties between a case and a control count ½ of their weight product).
/// The curve follows sklearn's convention (thresholds descending after a first max + 1, as
/// scikit-learn 1.2 writes it); zero-weight samples are dropped first, as sklearn does. Integer
/// weights give the same numbers as repeating samples.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/host_array.hpp"

namespace osteon::metrics {

/// A weighted ROC curve in sklearn's convention.
struct WeightedRocCurve {
  std::vector<double> fpr, tpr, thresholds;
  std::vector<double> true_positives, false_positives;  ///< weighted counts at each threshold
};

namespace detail {

struct WeightedSamples {
  std::vector<double> y, score, weight;
};

template <typename Labels, typename Scores, typename Weights>
WeightedSamples weighted_samples(const Labels& y_true, const Scores& y_score, const Weights& sample_weight,
                                 const char* function) {
  WeightedSamples d;
  for (std::uint8_t label : osteon::detail::binary_labels(y_true, function, "y_true")) d.y.push_back(label);
  d.score = osteon::detail::finite_scores(y_score, function, "y_score");
  d.weight = osteon::detail::finite_scores(sample_weight, function, "sample_weight");
  OSTEON_CHECK_ARG(d.y.size() == d.score.size() && d.y.size() == d.weight.size(), function,
                   ": y_true, y_score and sample_weight differ in length (", d.y.size(), ", ", d.score.size(), ", ",
                   d.weight.size(), ")");
  OSTEON_CHECK_ARG(!d.y.empty(), function, ": y_true is empty");
  for (std::size_t i = 0; i < d.weight.size(); ++i)
    OSTEON_CHECK_ARG(d.weight[i] >= 0.0, function, ": sample_weight[", i, "] must be >= 0, got ", d.weight[i]);
  return d;
}

}  // namespace detail

/// sklearn.metrics.roc_curve(y_true, y_score, sample_weight=..., drop_intermediate=...).
///
/// Example:
///   auto c = osteon::metrics::weighted_roc_curve(std::vector<int>{0, 0, 1, 1}, std::vector<double>{0.1, 0.4, 0.35, 0.8},
///                                                std::vector<double>{1, 2, 1, 1});
template <typename Labels, typename Scores, typename Weights>
WeightedRocCurve weighted_roc_curve(const Labels& y_true, const Scores& y_score, const Weights& sample_weight,
                                    bool drop_intermediate = true) {
  auto d = detail::weighted_samples(y_true, y_score, sample_weight, "weighted_roc_curve");
  // Zero-weight samples are dropped first (sklearn), so their scores add no thresholds.
  std::size_t kept_samples = 0;
  for (std::size_t i = 0; i < d.y.size(); ++i)
    if (d.weight[i] != 0.0) d.y[kept_samples] = d.y[i], d.score[kept_samples] = d.score[i], d.weight[kept_samples++] = d.weight[i];
  d.y.resize(kept_samples), d.score.resize(kept_samples), d.weight.resize(kept_samples);
  const std::size_t n = d.y.size();
  // numpy.argsort(score, kind="mergesort")[::-1]: descending, ties in reverse input order.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return d.score[a] < d.score[b]; });
  std::reverse(order.begin(), order.end());
  WeightedRocCurve c;
  double tp = 0.0, fp = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = order[k];
    tp += d.y[i] * d.weight[i];
    fp += (1.0 - d.y[i]) * d.weight[i];
    if (k + 1 == n || d.score[order[k + 1]] != d.score[i]) {
      c.true_positives.push_back(tp);
      c.false_positives.push_back(fp);
      c.thresholds.push_back(d.score[i]);
    }
  }
  OSTEON_CHECK_ARG(tp > 0.0 && fp > 0.0, "weighted_roc_curve: the weighted positives (", tp, ") and negatives (", fp,
                   ") must both be positive");
  if (drop_intermediate && c.thresholds.size() > 2) {
    WeightedRocCurve kept;
    const std::size_t m = c.thresholds.size();
    for (std::size_t k = 0; k < m; ++k) {
      bool keep = k == 0 || k + 1 == m;
      if (!keep) {
        const double d2f = c.false_positives[k + 1] - 2.0 * c.false_positives[k] + c.false_positives[k - 1];
        const double d2t = c.true_positives[k + 1] - 2.0 * c.true_positives[k] + c.true_positives[k - 1];
        keep = d2f != 0.0 || d2t != 0.0;
      }
      if (keep) {
        kept.true_positives.push_back(c.true_positives[k]);
        kept.false_positives.push_back(c.false_positives[k]);
        kept.thresholds.push_back(c.thresholds[k]);
      }
    }
    c = kept;
  }
  c.true_positives.insert(c.true_positives.begin(), 0.0);
  c.false_positives.insert(c.false_positives.begin(), 0.0);
  c.thresholds.insert(c.thresholds.begin(), c.thresholds.front() + 1.0);  // scikit-learn 1.2
  for (std::size_t k = 0; k < c.thresholds.size(); ++k) {
    c.fpr.push_back(c.false_positives[k] / fp);
    c.tpr.push_back(c.true_positives[k] / tp);
  }
  return c;
}

/// sklearn.metrics.roc_auc_score(y_true, y_score, sample_weight=...): trapezoidal area under the
/// weighted curve.
///
/// Example:
///   double auc = osteon::metrics::weighted_roc_auc(y, s, w);
template <typename Labels, typename Scores, typename Weights>
double weighted_roc_auc(const Labels& y_true, const Scores& y_score, const Weights& sample_weight) {
  const WeightedRocCurve c = weighted_roc_curve(y_true, y_score, sample_weight, true);
  double area = 0.0;
  for (std::size_t k = 1; k < c.fpr.size(); ++k) area += (c.fpr[k] - c.fpr[k - 1]) * (c.tpr[k] + c.tpr[k - 1]) / 2.0;
  return area;
}

}  // namespace osteon::metrics
