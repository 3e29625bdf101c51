#pragma once
/// @file
/// PNG figures through PLplot (Debian's libplplot-dev with its cairo driver, plplot-driver-cairo):
/// one plstream per figure, rendered into a temporary file beside the target and renamed over it,
/// so a figure is written atomically like every other file of a report.
///
/// PLplot ends the process on an internal error (plexit), so every input is checked here first:
/// the pngcairo device must be installed, the target folder writable, the data finite.

#include <array>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <plplot/plstream.h>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"

namespace osteon::report {

/// Size and title of a figure.
struct FigureOptions {
  OSTEON_ARG(int, width) = 900;   ///< pixels
  OSTEON_ARG(int, height) = 720;  ///< pixels
  OSTEON_ARG(std::string, title) = "";
};

namespace figures {

/// Colour indices of the palette set by render_png (cmap0).
enum Colour : PLINT { kWhite = 0, kBlack = 1, kGrey = 2, kLightGrey = 3, kFirstSeries = 4 };
inline constexpr int kSeriesColours = 6;

/// Series colour k (cycled), and its translucent twin for bands (index + kSeriesColours).
inline PLINT series_colour(std::size_t k) { return kFirstSeries + static_cast<PLINT>(k % kSeriesColours); }
inline PLINT band_colour(std::size_t k) { return series_colour(k) + kSeriesColours; }

/// PLplot's version string (for the software block of a report).
inline std::string plplot_version() {
  char version[80] = {0};
  plgver(version);
  return version;
}

namespace detail {

inline bool has_device(const char* wanted) {
  int count = 128;
  std::vector<const char*> menu(128), names(128);
  const char** menu_data = menu.data();
  const char** name_data = names.data();
  plgDevs(&menu_data, &name_data, &count);
  for (int i = 0; i < count; ++i) {
    if (name_data[i] && std::string(name_data[i]) == wanted) return true;
  }
  return false;
}

inline void set_palette(plstream& pls) {
  // Okabe & Ito (2008) colour-blind-safe palette for the series.
  static constexpr std::array<std::array<PLINT, 3>, kSeriesColours> series{
      {{0, 114, 178}, {213, 94, 0}, {0, 158, 115}, {204, 121, 167}, {230, 159, 0}, {86, 180, 233}}};
  pls.scmap0n(kFirstSeries + 2 * kSeriesColours);
  pls.scol0(kWhite, 255, 255, 255);
  pls.scol0(kBlack, 0, 0, 0);
  pls.scol0(kGrey, 120, 120, 120);
  pls.scol0(kLightGrey, 225, 225, 225);
  for (int k = 0; k < kSeriesColours; ++k) {
    pls.scol0(kFirstSeries + k, series[k][0], series[k][1], series[k][2]);
    pls.scol0a(kFirstSeries + kSeriesColours + k, series[k][0], series[k][1], series[k][2], 0.22);
  }
}

}  // namespace detail

/// Checks that every value is finite (PLplot would draw garbage or abort).
template <typename Values>
void require_finite(const Values& values, const char* function, const char* argument) {
  std::size_t i = 0;
  for (const double v : values) {
    OSTEON_CHECK_ARG(std::isfinite(v), function, ": ", argument, "[", i, "] is ", v, "; a figure needs finite values");
    ++i;
  }
}

/// Renders `draw(plstream&)` into the PNG `path` (created atomically). The stream is initialised
/// with a white page of options.width() × options.height() pixels and the palette above; `draw`
/// sets its own viewport and axes.
///
/// Example:
///   osteon::report::figures::render_png("out/plot.png", {}, "plot", [](plstream& pls) {
///     pls.env(0, 1, 0, 1, 0, 0);
///   });
template <typename Draw>
void render_png(const std::string& path, const FigureOptions& options, const char* function, Draw&& draw) {
  namespace fs = std::filesystem;
  OSTEON_CHECK_ARG(options.width() >= 100 && options.height() >= 100, function, ": figure size must be at least 100 x 100 px, got ",
                   options.width(), " x ", options.height());
  if (!detail::has_device("pngcairo")) {
    throw std::runtime_error(osteon::detail::concat(function, ": PLplot has no pngcairo device; install the Debian package "
                                                    "plplot-driver-cairo (scripts/install-deps.sh does)"));
  }
  const fs::path target(path);
  fs::path temporary = target;
  temporary += ".partial.png";
  {
    std::ofstream probe(temporary, std::ios::binary | std::ios::trunc);
    if (!probe) throw std::runtime_error(osteon::detail::concat(function, ": cannot open '", temporary.string(), "' for writing"));
  }
  try {
    plstream pls;
    pls.sdev("pngcairo");
    pls.sfnam(temporary.string().c_str());
    pls.spage(0.0, 0.0, options.width(), options.height(), 0, 0);
    detail::set_palette(pls);
    pls.scolbg(255, 255, 255);
    pls.init();
    pls.adv(0);
    pls.schr(0.0, 1.1);
    std::forward<Draw>(draw)(pls);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
  std::error_code error;
  fs::rename(temporary, target, error);
  if (error) {
    fs::remove(temporary, error);
    throw std::runtime_error(osteon::detail::concat(function, ": cannot replace '", path, "'"));
  }
}

/// A framed plot area with a light grid, axis labels and a title (PLplot's plenv, made quieter).
inline void axes(plstream& pls, double x_min, double x_max, double y_min, double y_max, const std::string& x_label,
                 const std::string& y_label, const std::string& title, bool square = false) {
  pls.col0(kBlack);
  if (square) {
    pls.vpas(0.12, 0.95, 0.15, 0.92, 1.0);
  } else {
    pls.vpor(0.12, 0.95, 0.11, 0.92);
  }
  pls.wind(x_min, x_max, y_min, y_max);
  pls.col0(kLightGrey);
  pls.width(0.6);
  pls.box("g", 0.0, 0, "g", 0.0, 0);
  pls.col0(kBlack);
  pls.width(1.0);
  pls.box("bcnst", 0.0, 0, "bcnstv", 0.0, 0);
  pls.lab(x_label.c_str(), y_label.c_str(), title.c_str());
}

/// One legend entry: a line (optionally with a band swatch) in the series colour.
struct LegendEntry {
  std::string text;
  PLINT colour = kBlack;
  bool line = true;     ///< draw a line sample
  bool symbol = false;  ///< draw a point sample
  PLINT line_style = 1;
};

/// Draws a boxed legend in the corner `position` (PL_POSITION_* flags).
inline void legend(plstream& pls, const std::vector<LegendEntry>& entries, PLINT position) {
  const auto n = static_cast<PLINT>(entries.size());
  if (n == 0) return;
  std::vector<PLINT> opt(n), colours(n), styles(n), zeros(n, 0), symbol_numbers(n, 1);
  std::vector<PLFLT> widths(n, 2.0), ones(n, 1.0);
  std::vector<const char*> text(n), symbols(n, "•");
  for (PLINT i = 0; i < n; ++i) {
    opt[i] = (entries[i].line ? PL_LEGEND_LINE : 0) | (entries[i].symbol ? PL_LEGEND_SYMBOL : 0);
    colours[i] = entries[i].colour;
    styles[i] = entries[i].line_style;
    text[i] = entries[i].text.c_str();
  }
  PLFLT width = 0.0, height = 0.0;
  pls.legend(&width, &height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, position | PL_POSITION_INSIDE, 0.02, 0.02,
             0.08, kWhite, kGrey, 1, 0, 0, n, opt.data(), 1.0, 0.85, 2.0, 0.0, colours.data(), text.data(), nullptr,
             nullptr, nullptr, nullptr, colours.data(), styles.data(), widths.data(), colours.data(), ones.data(),
             symbol_numbers.data(), symbols.data());
}

}  // namespace figures
}  // namespace osteon::report
