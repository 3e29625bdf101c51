#pragma once
/// @file
/// ROC figure: one path per predictor (report/roc_path.hpp: the empirical ROC, diagonal through
/// tied scores, so its area is the AUC), its pointwise 95 % band shaded, the chance line, and a
/// legend "name: AUC 0.812 [0.741, 0.883]" with DeLong's CI of the AUC.

#include <string>
#include <vector>

#include "osteon/metrics/roc/delong.hpp"
#include "osteon/metrics/roc/roc.hpp"
#include "osteon/report/figures/canvas.hpp"
#include "osteon/report/format.hpp"
#include "osteon/report/roc_path.hpp"

namespace osteon::report {

/// One predictor on a ROC figure.
struct RocSeries {
  std::string name;
  metrics::RocCurve curve;  ///< metrics::roc_curve(y, score)
  metrics::AucCi auc;       ///< metrics::auc_ci(y, score) (DeLong), printed in the legend
};

/// Draws the ROC curves of `series` into the PNG `path` and returns the paths drawn (one per
/// series, in order), so that a caller or a test can check what is on the figure.
///
/// Example:
///   auto paths = osteon::report::roc_figure("out/roc.png",
///       {{"AP", osteon::metrics::roc_curve(y, p_ap), osteon::metrics::auc_ci(y, p_ap)}},
///       osteon::report::FigureOptions().title("Test hips"));
inline std::vector<RocPath> roc_figure(const std::string& path, const std::vector<RocSeries>& series,
                                       const FigureOptions& options = {}, double band_level = 0.95) {
  OSTEON_CHECK_ARG(!series.empty(), "roc_figure: series must hold at least one curve, got 0");
  std::vector<RocPath> paths;
  for (const auto& s : series) paths.push_back(roc_path(s.curve, band_level));
  figures::render_png(path, options, "roc_figure", [&](plstream& pls) {
    figures::axes(pls, 0.0, 1.0, 0.0, 1.0, "1 - specificity (false-positive rate)", "sensitivity", options.title(), true);
    for (std::size_t k = 0; k < paths.size(); ++k) {
      const auto& p = paths[k];
      std::vector<PLFLT> x(p.fpr.begin(), p.fpr.end()), y(p.tpr_high.begin(), p.tpr_high.end());
      x.insert(x.end(), p.fpr.rbegin(), p.fpr.rend());
      y.insert(y.end(), p.tpr_low.rbegin(), p.tpr_low.rend());
      pls.col0(figures::band_colour(k));
      pls.fill(static_cast<PLINT>(x.size()), x.data(), y.data());
    }
    const PLFLT diagonal[2] = {0.0, 1.0};
    pls.col0(figures::kGrey);
    pls.lsty(2);
    pls.line(2, diagonal, diagonal);
    pls.lsty(1);
    std::vector<figures::LegendEntry> entries;
    for (std::size_t k = 0; k < paths.size(); ++k) {
      pls.col0(figures::series_colour(k));
      pls.width(2.2);
      pls.line(static_cast<PLINT>(paths[k].fpr.size()), paths[k].fpr.data(), paths[k].tpr.data());
      entries.push_back({series[k].name + ": AUC " + auc_ci_text(series[k].auc), figures::series_colour(k)});
    }
    pls.width(1.0);
    entries.push_back({"chance", figures::kGrey, true, false, 2});
    figures::legend(pls, entries, PL_POSITION_RIGHT | PL_POSITION_BOTTOM);
    pls.col0(figures::kGrey);
    pls.schr(0.0, 0.75);
    pls.mtex("b", 6.6, 0.0, 0.0,
             ("shaded: pointwise " + fixed(100.0 * band_level, 0) + " % band of sensitivity (Wilson); AUC CI: DeLong").c_str());
  });
  return paths;
}

}  // namespace osteon::report
