#pragma once
/// @file
/// The femur study's volume figures: predicted vs true volume with the identity and the fitted
/// line (R² and p in the legend), and the Bland–Altman plot (difference against mean, the bias
/// and the 95 % limits of agreement; Bland & Altman 1986).

#include <algorithm>
#include <string>
#include <vector>

#include "osteon/metrics/segmentation/host/volume_agreement.hpp"
#include "osteon/report/figures/canvas.hpp"
#include "osteon/report/format.hpp"

namespace osteon::report {

namespace figures::detail {
inline std::pair<double, double> padded_range(const std::vector<double>& a, const std::vector<double>& b = {}) {
  double low = 1e300, high = -1e300;
  for (const auto* values : {&a, &b}) {
    for (const double v : *values) low = std::min(low, v), high = std::max(high, v);
  }
  const double pad = high > low ? 0.06 * (high - low) : std::max(1.0, std::abs(high) * 0.1);
  return {low - pad, high + pad};
}
}  // namespace figures::detail

/// Scatter of `predicted` against `truth` with the identity line and the regression of
/// `agreement` (metrics::volume_agreement(predicted, truth)); R² and p in the legend.
///
/// Example:
///   auto agreement = osteon::metrics::volume_agreement(predicted, truth);
///   osteon::report::volume_scatter_figure("out/volume.png", predicted, truth, agreement, "volume (mL)");
inline void volume_scatter_figure(const std::string& path, const std::vector<double>& predicted,
                                  const std::vector<double>& truth, const metrics::VolumeAgreement& agreement,
                                  const std::string& unit_label, const FigureOptions& options = {}) {
  OSTEON_CHECK_ARG(predicted.size() == truth.size() && !truth.empty(), "volume_scatter_figure: predicted has ",
                   predicted.size(), " values, truth ", truth.size(), " (need as many, at least one)");
  figures::require_finite(predicted, "volume_scatter_figure", "predicted");
  figures::require_finite(truth, "volume_scatter_figure", "truth");
  const auto [low, high] = figures::detail::padded_range(predicted, truth);
  figures::render_png(path, options, "volume_scatter_figure", [&](plstream& pls) {
    figures::axes(pls, low, high, low, high, ("true " + unit_label).c_str(), ("predicted " + unit_label).c_str(),
                  options.title(), true);
    PLFLT ends[2] = {low, high};
    pls.col0(figures::kGrey);
    pls.lsty(2);
    pls.line(2, ends, ends);
    pls.lsty(1);
    const auto& g = agreement.regression;
    PLFLT fit[2] = {g.intercept + g.slope * low, g.intercept + g.slope * high};
    pls.col0(figures::series_colour(1));
    pls.width(2.0);
    pls.line(2, ends, fit);
    pls.width(1.0);
    pls.col0(figures::series_colour(0));
    std::vector<PLFLT> x(truth.begin(), truth.end()), y(predicted.begin(), predicted.end());
    pls.poin(static_cast<PLINT>(x.size()), x.data(), y.data(), 17);
    figures::legend(pls,
                    {{"subjects (n = " + std::to_string(truth.size()) + ")", figures::series_colour(0), false, true},
                     {"fit: R#u2#d = " + fixed(g.r2) + ", p = " + p_value_text(g.p_value), figures::series_colour(1)},
                     {"identity", figures::kGrey, true, false, 2}},
                    PL_POSITION_RIGHT | PL_POSITION_BOTTOM);
  });
}

/// Bland–Altman plot of `predicted` − `truth` against their mean, with the bias and the limits of
/// agreement of `agreement.bland_altman`.
///
/// Example:
///   osteon::report::bland_altman_figure("out/bland_altman.png", predicted, truth, agreement, "volume (mL)");
inline void bland_altman_figure(const std::string& path, const std::vector<double>& predicted,
                                const std::vector<double>& truth, const metrics::VolumeAgreement& agreement,
                                const std::string& unit_label, const FigureOptions& options = {}) {
  OSTEON_CHECK_ARG(predicted.size() == truth.size() && !truth.empty(), "bland_altman_figure: predicted has ",
                   predicted.size(), " values, truth ", truth.size(), " (need as many, at least one)");
  figures::require_finite(predicted, "bland_altman_figure", "predicted");
  figures::require_finite(truth, "bland_altman_figure", "truth");
  std::vector<double> mean(truth.size()), difference(truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) {
    mean[i] = (predicted[i] + truth[i]) / 2.0;
    difference[i] = predicted[i] - truth[i];
  }
  const auto& ba = agreement.bland_altman;
  const auto [x_low, x_high] = figures::detail::padded_range(mean);
  const auto [y_low, y_high] = figures::detail::padded_range(difference, {ba.lower_limit, ba.upper_limit});
  figures::render_png(path, options, "bland_altman_figure", [&](plstream& pls) {
    figures::axes(pls, x_low, x_high, y_low, y_high, ("mean of predicted and true " + unit_label).c_str(),
                  ("predicted - true " + unit_label).c_str(), options.title());
    PLFLT xs[2] = {x_low, x_high};
    const auto horizontal = [&](double y, PLINT colour, PLINT style) {
      PLFLT ys[2] = {y, y};
      pls.col0(colour);
      pls.lsty(style);
      pls.width(2.0);
      pls.line(2, xs, ys);
    };
    horizontal(0.0, figures::kGrey, 1);
    horizontal(ba.bias, figures::series_colour(1), 1);
    horizontal(ba.lower_limit, figures::series_colour(2), 2);
    horizontal(ba.upper_limit, figures::series_colour(2), 2);
    pls.lsty(1);
    pls.width(1.0);
    pls.col0(figures::series_colour(0));
    std::vector<PLFLT> x(mean.begin(), mean.end()), y(difference.begin(), difference.end());
    pls.poin(static_cast<PLINT>(x.size()), x.data(), y.data(), 17);
    figures::legend(pls,
                    {{"subjects (n = " + std::to_string(truth.size()) + ")", figures::series_colour(0), false, true},
                     {"bias " + fixed(ba.bias), figures::series_colour(1)},
                     {"95 % limits [" + fixed(ba.lower_limit) + ", " + fixed(ba.upper_limit) + "]", figures::series_colour(2),
                      true, false, 2}},
                    PL_POSITION_RIGHT | PL_POSITION_TOP);
  });
}

}  // namespace osteon::report
