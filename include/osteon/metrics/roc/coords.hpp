#pragma once
/// @file
/// pROC 1.18's `coords()` at given sensitivities or specificities (linear interpolation between the
/// two enclosing points of the empirical curve; the threshold is then undefined, NaN, as pROC's NA)
/// and its "local maximas" (the curve's corner points: those no other point beats in both
/// sensitivity and specificity locally), on a curve from `roc_curve` with the default Midpoint
/// convention (pROC's order: sensitivity falling from 1 to 0, specificity rising from 0 to 1).

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/roc/roc.hpp"

namespace osteon::metrics {

/// One point of a ROC curve.
struct RocPoint {
  double threshold = std::numeric_limits<double>::quiet_NaN();  ///< NaN where interpolated
  double sensitivity = 0.0;
  double specificity = 0.0;
};

/// The curve's points at the given sensitivities (`input` = "sensitivity") or specificities
/// ("specificity"), as pROC's coords(roc, x, input). A value met by several points takes the last
/// one for sensitivity and the first for specificity (pROC); a value between points is
/// interpolated linearly. Values outside the curve's range throw.
///
/// Example:
///   auto curve = osteon::metrics::roc_curve(y, s100b);
///   auto points = osteon::metrics::coords_at(curve, "specificity", std::vector<double>{0.9, 0.95});
///   // points[0].sensitivity: the sensitivity at 90 % specificity
inline std::vector<RocPoint> coords_at(const RocCurve& curve, std::string_view input, const std::vector<double>& values) {
  OSTEON_CHECK_ARG(input == "sensitivity" || input == "specificity",
                   "coords_at: input must be \"sensitivity\" or \"specificity\", got \"", input, "\"");
  const bool by_sensitivity = input == "sensitivity";
  const std::vector<double>& in = by_sensitivity ? curve.sensitivity : curve.specificity;
  OSTEON_CHECK_ARG(!in.empty(), "coords_at: the curve is empty");
  double low = in[0], high = in[0];
  for (double v : in) low = std::fmin(low, v), high = std::fmax(high, v);
  std::vector<RocPoint> out;
  for (double value : values) {
    OSTEON_CHECK_ARG(value >= low && value <= high, "coords_at: ", input, " ", value, " is not in the curve's range [", low,
                     ", ", high, "]");
    std::size_t found = in.size();
    for (std::size_t i = 0; i < in.size(); ++i)
      if (in[i] == value && (found == in.size() || by_sensitivity)) found = i;  // last (se) or first (sp)
    RocPoint point;
    if (found < in.size()) {
      point.threshold = curve.thresholds[found];
      point.sensitivity = curve.sensitivity[found];
      point.specificity = curve.specificity[found];
    } else {
      std::size_t next = 0;
      while (next < in.size() && !(by_sensitivity ? in[next] < value : in[next] > value)) ++next;
      const double proportion = (value - in[next]) / (in[next - 1] - in[next]);
      point.sensitivity = curve.sensitivity[next] + proportion * (curve.sensitivity[next - 1] - curve.sensitivity[next]);
      point.specificity = curve.specificity[next] + proportion * (curve.specificity[next - 1] - curve.specificity[next]);
    }
    out.push_back(point);
  }
  return out;
}

/// Indices of pROC's "local maximas" of the curve (coords(roc, "local maximas")): after dropping
/// repeated (sp, se) pairs, the first point if its sensitivity beats the next, each inner point whose
/// specificity beats the previous and sensitivity the next (or that sits on an axis, se = 0 or
/// sp = 1, past a step), and the last if its specificity beats the previous.
///
/// Example:
///   auto corners = osteon::metrics::local_maxima(osteon::metrics::roc_curve(y, wfns));
inline std::vector<std::size_t> local_maxima(const RocCurve& curve) {
  const std::size_t total = curve.thresholds.size();
  std::vector<std::size_t> kept;  // first occurrence of each (sp, se) pair
  for (std::size_t i = 0; i < total; ++i) {
    bool repeated = false;
    for (std::size_t k : kept)
      if (curve.specificity[k] == curve.specificity[i] && curve.sensitivity[k] == curve.sensitivity[i]) repeated = true;
    if (!repeated) kept.push_back(i);
  }
  const std::size_t n = kept.size();
  const auto se = [&](std::size_t i) { return curve.sensitivity[kept[i]]; };
  const auto sp = [&](std::size_t i) { return curve.specificity[kept[i]]; };
  std::vector<std::size_t> out;
  if (n == 1) return kept;
  if (n == 2) {
    if (se(0) > se(1)) out.push_back(kept[0]);
    if (sp(1) > sp(0)) out.push_back(kept[1]);
    return out;
  }
  if (se(0) > se(1)) out.push_back(kept[0]);
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if ((sp(i) > sp(i - 1) && se(i) > se(i + 1)) || (sp(i) > sp(i - 1) && se(i) == 0.0) ||
        (se(i) > se(i - 1) && sp(i) == 1.0))
      out.push_back(kept[i]);
  }
  if (sp(n - 1) > sp(n - 2)) out.push_back(kept[n - 1]);
  return out;
}

}  // namespace osteon::metrics
