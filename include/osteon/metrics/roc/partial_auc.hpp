#pragma once
/// @file
/// Partial area under the ROC curve over a specificity or a sensitivity range, with McClish's
/// standardisation (McClish 1989, "Analyzing a portion of the ROC curve", Med Decis Making 9:190):
///   corrected = (1 + (pAUC − min) / (max − min)) / 2,
/// where max is the area of the range (a perfect test) and min the area under the chance diagonal,
/// so 0.5 means chance and 1 perfect. Equal to pROC's auc(roc, partial.auc = c(hi, lo),
/// partial.auc.focus = ..., partial.auc.correct = ...), trapezoids on the curve with linear
/// interpolation at the range ends; and, for focus "specificity" over [1 − max_fpr, 1], to
/// scikit-learn's roc_auc_score(max_fpr = max_fpr).

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/roc/roc.hpp"

namespace osteon::metrics {

/// Which axis the partial range is on.
enum class PartialAucFocus { Specificity, Sensitivity };

inline PartialAucFocus parse_partial_auc_focus(std::string_view text) {
  if (text == "specificity") return PartialAucFocus::Specificity;
  if (text == "sensitivity") return PartialAucFocus::Sensitivity;
  throw std::invalid_argument(osteon::detail::concat(
      "partial_auc: focus must be \"specificity\" or \"sensitivity\", got \"", text, "\""));
}

/// A partial AUC. With `correct`, `value` is McClish's standardised area; a curve below the
/// diagonal in the range has no standardised value: `value` is NaN and `below_diagonal` is set
/// (pROC returns NA with a warning; pass allow_invalid_correction to get the number anyway).
struct PartialAuc {
  double value = 0.0;        ///< the reported number (standardised if `corrected`)
  double area = 0.0;         ///< the raw partial area
  double range_low = 0.0;    ///< the range on the focus axis
  double range_high = 1.0;
  std::string focus;         ///< "specificity" or "sensitivity"
  bool corrected = false;
  bool below_diagonal = false;  ///< raw area < the diagonal's area in the range
};

/// Raw partial area of a curve (pROC order: specificity ascending) over [low, high] on `focus`.
inline double partial_area(const RocCurve& curve, PartialAucFocus focus, double low, double high) {
  // x: the focus axis, ascending; y: the other rate (pROC's auc.roc).
  const std::size_t points = curve.sensitivity.size();
  std::vector<double> x(points), y(points);
  for (std::size_t k = 0; k < points; ++k) {
    if (focus == PartialAucFocus::Specificity) {
      x[k] = curve.specificity[k];
      y[k] = curve.sensitivity[k];
    } else {
      x[k] = curve.sensitivity[points - 1 - k];
      y[k] = curve.specificity[points - 1 - k];
    }
  }
  std::vector<double> x_in, y_in;
  for (std::size_t k = 0; k < points; ++k)
    if (x[k] <= high && x[k] >= low) x_in.push_back(x[k]), y_in.push_back(y[k]);

  const auto first_not_below = [&](double value) {  // R's match(FALSE, x < value)
    std::size_t k = 0;
    while (k < points && x[k] < value) ++k;
    return k;
  };
  if (x_in.empty()) {  // the range falls between two points: one interpolated trapezoid
    const std::size_t hi = first_not_below(high), lo = hi - 1;
    const double proportion_hi = (x[hi] - high) / (x[hi] - x[lo]);
    const double proportion_lo = (low - x[lo]) / (x[hi] - x[lo]);
    const double y_hi = y[hi] + proportion_hi * (y[lo] - y[hi]);
    const double y_lo = y[lo] - proportion_lo * (y[lo] - y[hi]);
    return (y_hi + y_lo) / 2.0 * (high - low);
  }
  double area = 0.0;
  for (std::size_t k = 1; k < x_in.size(); ++k) area += (y_in[k] + y_in[k - 1]) / 2.0 * (x_in[k] - x_in[k - 1]);
  if (x_in.back() != high) {  // interpolate up to `high` (pROC: high %in% x.inc fails)
    const std::size_t out = first_not_below(high), in = out - 1;
    const double proportion = (high - x[out]) / (x[in] - x[out]);
    const double y_interpolated = y[out] + proportion * (y[in] - y[out]);
    area += (high - x[in]) * (y[in] + y_interpolated) / 2.0;
  }
  bool low_included = false;
  for (double value : x_in) low_included = low_included || value == low;
  if (!low_included) {  // interpolate down to `low`
    std::size_t in = 0;
    while (in < points && !(x[in] > low)) ++in;  // R's match(TRUE, x > low)
    const std::size_t out = in - 1;
    const double proportion = (x[in] - low) / (x[in] - x[out]);
    const double y_interpolated = y[in] + proportion * (y[out] - y[in]);
    area += (x[in] - low) * (y[in] + y_interpolated) / 2.0;
  }
  return area;
}

/// Partial AUC of a curve over [low, high] on `focus`, McClish-standardised when `correct`.
inline PartialAuc partial_auc(const RocCurve& curve, double low, double high,
                              PartialAucFocus focus = PartialAucFocus::Specificity, bool correct = true,
                              bool allow_invalid_correction = false) {
  OSTEON_CHECK_ARG(low >= 0.0 && high <= 1.0 && low < high, "partial_auc: the range must satisfy 0 <= low < high <= 1, got [",
                   low, ", ", high, "]");
  PartialAuc out;
  out.range_low = low;
  out.range_high = high;
  out.focus = focus == PartialAucFocus::Specificity ? "specificity" : "sensitivity";
  out.corrected = correct;
  out.area = partial_area(curve, focus, low, high);
  out.value = out.area;
  if (correct) {
    // Diagonal: the other rate is 1 − x, so its area is ((1 − high) + (1 − low))·(high − low)/2.
    const double min_area = ((1.0 - high) + (1.0 - low)) * (high - low) / 2.0;
    const double max_area = high - low;
    out.below_diagonal = out.area < min_area;
    out.value = (out.below_diagonal && !allow_invalid_correction)
                    ? std::numeric_limits<double>::quiet_NaN()
                    : (1.0 + (out.area - min_area) / (max_area - min_area)) / 2.0;
  }
  return out;
}

/// Partial AUC of scores against binary labels.
///
/// Example (specificity 0.8–1, standardised; equals roc_auc_score(y, s, max_fpr=0.2)):
///   auto p = osteon::metrics::partial_auc(y, score, 0.8, 1.0);
///   double standardised = p.value;
template <typename Labels, typename Scores>
PartialAuc partial_auc(const Labels& y_true, const Scores& y_score, double low, double high,
                       PartialAucFocus focus = PartialAucFocus::Specificity, bool correct = true,
                       Direction direction = Direction::CasesHigher, bool allow_invalid_correction = false) {
  return partial_auc(detail::named_roc_curve(y_true, y_score, RocCurveOptions().direction(direction), "partial_auc"), low, high, focus, correct,
                     allow_invalid_correction);
}

}  // namespace osteon::metrics
