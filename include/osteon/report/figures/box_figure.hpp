#pragma once
/// @file
/// Box plots per group (the Dice of each cross-validation fold, of each test set): Tukey's boxes —
/// the quartiles (numpy's linear quantiles, metrics::summarize), the median, whiskers to the most
/// extreme value within 1.5 IQR of the box, and every value beyond drawn as a point.

#include <algorithm>
#include <string>
#include <vector>

#include "osteon/metrics/segmentation/host/aggregation.hpp"
#include "osteon/report/figures/canvas.hpp"

namespace osteon::report {

/// One box: its label and values (NaN values are left out, as metrics::summarize does).
struct BoxGroup {
  std::string label;
  std::vector<double> values;
};

/// The numbers one Tukey box is drawn from.
struct BoxStatistics {
  double q1 = 0.0, median = 0.0, q3 = 0.0;
  double whisker_low = 0.0, whisker_high = 0.0;
  std::vector<double> outliers;
};

/// Tukey's box of `values` (NaN left out; at least one defined value).
///
/// Example:
///   auto box = osteon::report::box_statistics({0.8, 0.82, 0.85, 0.9, 0.2});  // 0.2 is an outlier
inline BoxStatistics box_statistics(const std::vector<double>& values) {
  const auto s = metrics::summarize(values);
  OSTEON_CHECK_ARG(s.n > 0, "box_statistics: values hold no defined (non-NaN) value");
  BoxStatistics box{s.q1, s.median, s.q3, s.q3, s.q1, {}};
  const double reach = 1.5 * (s.q3 - s.q1);
  for (const double v : values) {
    if (std::isnan(v)) continue;
    if (v < s.q1 - reach || v > s.q3 + reach) {
      box.outliers.push_back(v);
    } else {
      box.whisker_low = std::min(box.whisker_low, v);
      box.whisker_high = std::max(box.whisker_high, v);
    }
  }
  return box;
}

/// Draws one box per group into the PNG `path`; returns the boxes drawn.
///
/// Example:
///   osteon::report::box_figure("out/dice_folds.png", {{"fold 1", dice_1}, {"fold 2", dice_2}}, "Dice",
///                              osteon::report::FigureOptions().title("Dice per fold"));
inline std::vector<BoxStatistics> box_figure(const std::string& path, const std::vector<BoxGroup>& groups,
                                             const std::string& y_label, const FigureOptions& options = {}) {
  OSTEON_CHECK_ARG(!groups.empty(), "box_figure: groups must hold at least one group, got 0");
  std::vector<BoxStatistics> boxes;
  double low = 1e300, high = -1e300;
  for (const auto& group : groups) {
    for (const double v : group.values) {
      OSTEON_CHECK_ARG(!std::isinf(v), "box_figure: group \"", group.label, "\" holds ", v, "; a figure needs finite values");
    }
    boxes.push_back(box_statistics(group.values));
    for (const double v : group.values) {
      if (!std::isnan(v)) low = std::min(low, v), high = std::max(high, v);
    }
  }
  const double margin = high > low ? 0.08 * (high - low) : 0.05;
  figures::render_png(path, options, "box_figure", [&](plstream& pls) {
    const double n = static_cast<double>(groups.size());
    pls.col0(figures::kBlack);
    pls.vpor(0.12, 0.95, 0.14, 0.92);
    pls.wind(0.4, n + 0.6, low - margin, high + margin);
    pls.col0(figures::kLightGrey);
    pls.box("", 0.0, 0, "g", 0.0, 0);
    pls.col0(figures::kBlack);
    pls.box("bc", 1.0, 0, "bcnstv", 0.0, 0);
    pls.lab("", y_label.c_str(), options.title().c_str());
    for (std::size_t g = 0; g < boxes.size(); ++g) {
      const auto& b = boxes[g];
      const double x = static_cast<double>(g + 1), half = 0.28;
      PLFLT bx[4] = {x - half, x + half, x + half, x - half}, by[4] = {b.q1, b.q1, b.q3, b.q3};
      pls.col0(figures::band_colour(0));
      pls.fill(4, bx, by);
      pls.col0(figures::series_colour(0));
      pls.width(1.6);
      PLFLT ox[5] = {x - half, x + half, x + half, x - half, x - half}, oy[5] = {b.q1, b.q1, b.q3, b.q3, b.q1};
      pls.line(5, ox, oy);
      pls.width(2.6);
      PLFLT mx[2] = {x - half, x + half}, my[2] = {b.median, b.median};
      pls.line(2, mx, my);
      pls.width(1.4);
      PLFLT wx[2] = {x, x}, lo[2] = {b.q1, b.whisker_low}, hi[2] = {b.q3, b.whisker_high};
      pls.line(2, wx, lo);
      pls.line(2, wx, hi);
      PLFLT cx[2] = {x - half / 2, x + half / 2}, cl[2] = {b.whisker_low, b.whisker_low}, ch[2] = {b.whisker_high, b.whisker_high};
      pls.line(2, cx, cl);
      pls.line(2, cx, ch);
      for (const double v : b.outliers) {
        PLFLT px = x, py = v;
        pls.poin(1, &px, &py, 4);
      }
      pls.col0(figures::kBlack);
      pls.mtex("b", 1.6, (x - 0.4) / (n + 0.2), 0.5, groups[g].label.c_str());
    }
    pls.width(1.0);
  });
  return boxes;
}

}  // namespace osteon::report
