#pragma once
/// @file
/// The path a ROC figure draws, and its pointwise confidence band. Torch- and PLplot-free, so the
/// tests integrate exactly the points that report/figures/roc_figure.hpp draws.
///
/// The path is the empirical ROC as a polyline through one vertex per distinct score (pROC's
/// points): between two vertices it is horizontal or vertical when the score group holds only
/// controls or only cases, and diagonal when cases and controls tie at that score. Its trapezoidal
/// area is therefore the Mann–Whitney AUC with ties counted one half (Hanley & McNeil 1982), i.e.
/// exactly roc_auc — a staircase drawn through tied scores would not be.
///
/// The band is pointwise: at each vertex, the Wilson interval (metrics/classification/
/// proportion_ci.hpp) of the sensitivity TP / n_cases, i.e. of the share of case placements
/// (DeLong 1988's structural components V10) at or below that false-positive rate. The
/// interval of the area itself is DeLong's (metrics::auc_ci), which the figure's legend prints.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/classification/proportion_ci.hpp"
#include "osteon/metrics/roc/roc.hpp"

namespace osteon::report {

/// A ROC path from (0, 0) to (1, 1), false-positive rate increasing, with its band.
struct RocPath {
  std::vector<double> fpr;
  std::vector<double> tpr;
  std::vector<double> tpr_low;   ///< pointwise band, lower edge
  std::vector<double> tpr_high;  ///< pointwise band, upper edge
};

/// The drawn path of `curve` (any threshold convention of metrics::roc_curve) with a `level` band.
///
/// Example:
///   auto path = osteon::report::roc_path(osteon::metrics::roc_curve(y, s));
///   // osteon::report::path_area(path) == osteon::metrics::roc_auc(y, s)
inline RocPath roc_path(const metrics::RocCurve& curve, double level = 0.95) {
  OSTEON_CHECK_ARG(curve.n_cases > 0 && curve.n_controls > 0, "roc_path: the curve needs cases and controls, got ",
                   curve.n_cases, " cases and ", curve.n_controls, " controls");
  OSTEON_CHECK_ARG(level > 0.0 && level < 1.0, "roc_path: level must be in (0, 1), got ", level);
  struct Vertex { std::int64_t fp, tp; };
  std::vector<Vertex> vertices;
  for (std::size_t k = 0; k < curve.true_positives.size(); ++k) {
    vertices.push_back({curve.false_positives[k], curve.true_positives[k]});
  }
  // Midpoint curves run from (1, 1) down; Sklearn curves from (0, 0) up: order by (fp, tp).
  std::sort(vertices.begin(), vertices.end(),
            [](const Vertex& a, const Vertex& b) { return a.fp != b.fp ? a.fp < b.fp : a.tp < b.tp; });
  if (vertices.empty() || vertices.front().fp != 0 || vertices.front().tp != 0) vertices.insert(vertices.begin(), {0, 0});
  if (vertices.back().fp != curve.n_controls || vertices.back().tp != curve.n_cases) {
    vertices.push_back({curve.n_controls, curve.n_cases});
  }
  RocPath path;
  for (std::size_t k = 0; k < vertices.size(); ++k) {
    if (k > 0 && vertices[k].fp == vertices[k - 1].fp && vertices[k].tp == vertices[k - 1].tp) continue;
    path.fpr.push_back(static_cast<double>(vertices[k].fp) / static_cast<double>(curve.n_controls));
    path.tpr.push_back(static_cast<double>(vertices[k].tp) / static_cast<double>(curve.n_cases));
    const auto ci = metrics::proportion_ci(vertices[k].tp, curve.n_cases, level, metrics::ProportionCiMethod::Wilson);
    path.tpr_low.push_back(ci.ci_low);
    path.tpr_high.push_back(ci.ci_high);
  }
  return path;
}

/// Trapezoidal area under a drawn path (x increasing).
///
/// Example:
///   double area = osteon::report::path_area(path);
inline double path_area(const RocPath& path) {
  double area = 0.0;
  for (std::size_t k = 1; k < path.fpr.size(); ++k) {
    area += (path.fpr[k] - path.fpr[k - 1]) * (path.tpr[k] + path.tpr[k - 1]) / 2.0;
  }
  return area;
}

}  // namespace osteon::report
