#pragma once
/// @file
/// Choosing an operating point on the ROC curve (metrics/roc/roc.hpp), with thresholds in pROC's
/// midpoint convention (a score is positive iff score >= threshold for direction "<"):
///   Youden's J (Youden 1950) — pROC's coords(roc, "best", best.method = "youden");
///   closest to the top-left corner — best.method = "closest.topleft";
///   the most specific point with sensitivity ≥ x, the most sensitive with specificity ≥ x.
/// As pROC, "best" returns every tied optimum, and the criterion is evaluated in floating point
/// exactly as pROC does (crit = se + r·sp, or −((1 − se)² + r·(1 − sp)²), r = (1 − prevalence) /
/// (cost · prevalence); pROC's best.weights = c(cost, prevalence) default to c(1, 0.5), r = 1).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/roc/roc.hpp"

namespace osteon::metrics {

/// Operating points chosen on a ROC curve (one row, or every tied optimum), in curve order.
struct ThresholdChoice {
  std::vector<double> thresholds;
  std::vector<double> sensitivity;
  std::vector<double> specificity;
  std::vector<std::int64_t> true_positives;
  std::vector<std::int64_t> false_positives;
  std::string criterion;  ///< "youden", "closest_topleft", "sensitivity>=x", "specificity>=x"
};

/// pROC's best.weights: the relative cost of a false negative and the prevalence of cases.
struct BestWeights {
  double cost = 1.0;
  double prevalence = 0.5;
};

namespace detail {

inline void append_point(ThresholdChoice& choice, const RocCurve& curve, std::size_t k) {
  choice.thresholds.push_back(curve.thresholds[k]);
  choice.sensitivity.push_back(curve.sensitivity[k]);
  choice.specificity.push_back(curve.specificity[k]);
  choice.true_positives.push_back(curve.true_positives[k]);
  choice.false_positives.push_back(curve.false_positives[k]);
}

/// Every point where `criterion` reaches its maximum (exact equality, as pROC's which(crit == max)).
template <typename Criterion>
ThresholdChoice best_points(const RocCurve& curve, Criterion criterion, const char* name) {
  std::vector<double> values(curve.thresholds.size());
  double best = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < values.size(); ++k) {
    values[k] = criterion(curve.sensitivity[k], curve.specificity[k]);
    if (values[k] > best) best = values[k];
  }
  ThresholdChoice choice;
  choice.criterion = name;
  for (std::size_t k = 0; k < values.size(); ++k)
    if (values[k] == best) append_point(choice, curve, k);
  return choice;
}

inline double weight_ratio(const BestWeights& weights, const char* function) {
  OSTEON_CHECK_ARG(weights.cost > 0.0, function, ": weights.cost must be > 0, got ", weights.cost);
  OSTEON_CHECK_ARG(weights.prevalence > 0.0 && weights.prevalence < 1.0, function,
                   ": weights.prevalence must be in (0, 1), got ", weights.prevalence);
  return (1.0 - weights.prevalence) / (weights.cost * weights.prevalence);
}

}  // namespace detail

/// Thresholds maximising Youden's J = sensitivity + specificity − 1 (weighted: se + r·sp) on a
/// curve in the midpoint convention. Equal to pROC's coords(roc, "best", best.method = "youden").
inline ThresholdChoice youden_threshold(const RocCurve& curve, const BestWeights& weights = {}) {
  const double r = detail::weight_ratio(weights, "youden_threshold");
  return detail::best_points(curve, [r](double se, double sp) { return se + r * sp; }, "youden");
}

/// Youden-optimal thresholds of scores against binary labels (every tied optimum).
///
/// Example:
///   auto best = osteon::metrics::youden_threshold(std::vector<int>{0, 0, 1, 1},
///                                                 std::vector<double>{0.1, 0.4, 0.35, 0.8});
///   // best.thresholds == {0.225, 0.6}: J = 0.5 at both
template <typename Labels, typename Scores>
ThresholdChoice youden_threshold(const Labels& y_true, const Scores& y_score,
                                 Direction direction = Direction::CasesHigher, const BestWeights& weights = {}) {
  return youden_threshold(detail::named_roc_curve(y_true, y_score, RocCurveOptions().direction(direction), "youden_threshold"), weights);
}

/// Thresholds closest to the top-left corner, minimising (1 − se)² + r·(1 − sp)². Equal to
/// pROC's coords(roc, "best", best.method = "closest.topleft").
inline ThresholdChoice closest_topleft_threshold(const RocCurve& curve, const BestWeights& weights = {}) {
  const double r = detail::weight_ratio(weights, "closest_topleft_threshold");
  return detail::best_points(
      curve,
      [r](double se, double sp) { return -((1.0 - se) * (1.0 - se) + r * (1.0 - sp) * (1.0 - sp)); },
      "closest_topleft");
}

/// Closest-to-top-left thresholds of scores against binary labels (every tied optimum).
template <typename Labels, typename Scores>
ThresholdChoice closest_topleft_threshold(const Labels& y_true, const Scores& y_score,
                                          Direction direction = Direction::CasesHigher,
                                          const BestWeights& weights = {}) {
  return closest_topleft_threshold(detail::named_roc_curve(y_true, y_score, RocCurveOptions().direction(direction), "closest_topleft_threshold"), weights);
}

namespace detail {

/// The point maximising `target` among points whose `constrained` rate is ≥ `minimum`, ties
/// broken by the larger constrained rate (a point that dominates). Rates are TP/n_cases as
/// correctly rounded doubles, so 9/10 >= 0.9 holds as it should.
inline ThresholdChoice constrained_point(const RocCurve& curve, bool constrain_sensitivity, double minimum,
                                         const char* function) {
  OSTEON_CHECK_ARG(minimum >= 0.0 && minimum <= 1.0, function, ": the minimum rate must be in [0, 1], got ",
                   minimum);
  std::size_t best = curve.thresholds.size();
  for (std::size_t k = 0; k < curve.thresholds.size(); ++k) {
    const double constrained = constrain_sensitivity ? curve.sensitivity[k] : curve.specificity[k];
    if (constrained < minimum) continue;
    const double target = constrain_sensitivity ? curve.specificity[k] : curve.sensitivity[k];
    if (best == curve.thresholds.size()) {
      best = k;
      continue;
    }
    const double best_target = constrain_sensitivity ? curve.specificity[best] : curve.sensitivity[best];
    const double best_constrained = constrain_sensitivity ? curve.sensitivity[best] : curve.specificity[best];
    if (target > best_target || (target == best_target && constrained > best_constrained)) best = k;
  }
  // The −∞ / +∞ ends reach sensitivity 1 / specificity 1, so a point always exists.
  ThresholdChoice choice;
  choice.criterion = osteon::detail::concat(constrain_sensitivity ? "sensitivity>=" : "specificity>=", minimum);
  append_point(choice, curve, best);
  return choice;
}

}  // namespace detail

/// The most specific operating point with sensitivity ≥ `min_sensitivity` (one row).
///
/// Example:
///   auto point = osteon::metrics::threshold_at_sensitivity(y, score, 0.9);
///   double threshold = point.thresholds[0];
inline ThresholdChoice threshold_at_sensitivity(const RocCurve& curve, double min_sensitivity) {
  return detail::constrained_point(curve, true, min_sensitivity, "threshold_at_sensitivity");
}

/// threshold_at_sensitivity on the ROC curve of (y_true, y_score).
template <typename Labels, typename Scores>
ThresholdChoice threshold_at_sensitivity(const Labels& y_true, const Scores& y_score, double min_sensitivity,
                                         Direction direction = Direction::CasesHigher) {
  return threshold_at_sensitivity(detail::named_roc_curve(y_true, y_score, RocCurveOptions().direction(direction), "threshold_at_sensitivity"), min_sensitivity);
}

/// The most sensitive operating point with specificity ≥ `min_specificity` (one row), from
/// labels and scores or (the overload below) from a ROC curve.
template <typename Labels, typename Scores>
ThresholdChoice threshold_at_specificity(const Labels& y_true, const Scores& y_score, double min_specificity,
                                         Direction direction = Direction::CasesHigher) {
  const RocCurve curve = detail::named_roc_curve(y_true, y_score, RocCurveOptions().direction(direction), "threshold_at_specificity");
  return detail::constrained_point(curve, false, min_specificity, "threshold_at_specificity");
}

inline ThresholdChoice threshold_at_specificity(const RocCurve& curve, double min_specificity) {
  return detail::constrained_point(curve, false, min_specificity, "threshold_at_specificity");
}

}  // namespace osteon::metrics
