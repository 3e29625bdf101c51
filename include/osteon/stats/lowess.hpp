#pragma once
/// @file
/// LOWESS scatterplot smoothing (Cleveland 1979, "Robust locally weighted regression and smoothing
/// scatterplots", JASA 74:829–836), with the steps of R's `lowess(x, y, f, iter, delta)`: points
/// sorted by x (stably), a window of ⌊f·n⌋ nearest neighbours, tricube weights (1 within 0.001·h,
/// 0 beyond 0.999·h), a weighted line through the window centre when the x spread exceeds
/// 0.001 × range, points closer than `delta` to the last fitted one interpolated, `iter` robustness
/// passes with bisquare weights of the residuals (6 × median |residual|). rms::val.prob's
/// calibration errors (Emax, E90, Eavg) are computed on `lowess(p, y, iter = 0)`.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::stats {

/// A smoothed curve: x ascending (ties kept) and the fitted values.
struct Lowess {
  std::vector<double> x;
  std::vector<double> fitted;
};

namespace detail {

inline double cube(double v) { return v * v * v; }

/// The local weighted line at `xs` over sorted points [left, right] (0-based, inclusive); false
/// when every weight is zero. Picks up ties to the right of `right`.
inline bool lowess_local_fit(const std::vector<double>& x, const std::vector<double>& y, double xs, std::size_t left,
                             std::size_t right, bool use_robustness, const std::vector<double>& robustness,
                             std::vector<double>& w, double& ys) {
  const std::size_t n = x.size();
  const double range = x[n - 1] - x[0];
  const double h = std::max(xs - x[left], x[right] - xs);
  const double h9 = 0.999 * h, h1 = 0.001 * h;
  double a = 0.0;
  std::size_t j = left;
  for (; j < n; ++j) {
    w[j] = 0.0;
    const double r = std::fabs(x[j] - xs);
    if (r <= h9) {
      w[j] = r <= h1 ? 1.0 : cube(1.0 - cube(r / h));
      if (use_robustness) w[j] *= robustness[j];
      a += w[j];
    } else if (x[j] > xs) {
      break;
    }
  }
  const std::size_t last = j - 1;
  if (a <= 0.0) return false;
  for (j = left; j <= last; ++j) w[j] /= a;
  if (h > 0.0) {
    double centre = 0.0;
    for (j = left; j <= last; ++j) centre += w[j] * x[j];
    double b = xs - centre, c = 0.0;
    for (j = left; j <= last; ++j) c += w[j] * (x[j] - centre) * (x[j] - centre);
    if (std::sqrt(c) > 0.001 * range) {
      b /= c;
      for (j = left; j <= last; ++j) w[j] *= (b * (x[j] - centre) + 1.0);
    }
  }
  ys = 0.0;
  for (j = left; j <= last; ++j) ys += w[j] * y[j];
  return true;
}

}  // namespace detail

/// LOWESS of y on x (R's `lowess`; defaults f = 2/3, iter = 3, delta = 1 % of the x range when
/// negative). Returns the points sorted by x with their fitted values.
///
/// Example:
///   auto smooth = osteon::stats::lowess(std::vector<double>{1, 2, 3, 4, 5},
///                                       std::vector<double>{2, 4, 5, 4, 6}, 2.0 / 3.0, 0);
inline Lowess lowess(const std::vector<double>& x_in, const std::vector<double>& y_in, double f = 2.0 / 3.0,
                     int iter = 3, double delta = -1.0) {
  OSTEON_CHECK_ARG(x_in.size() == y_in.size(), "lowess: x and y differ in length (", x_in.size(), " vs ",
                   y_in.size(), ")");
  OSTEON_CHECK_ARG(!x_in.empty(), "lowess: x is empty");
  OSTEON_CHECK_ARG(f > 0.0, "lowess: f must be positive, got ", f);
  OSTEON_CHECK_ARG(iter >= 0, "lowess: iter must be >= 0, got ", iter);
  const std::size_t n = x_in.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x_in[a] < x_in[b]; });
  Lowess out;
  out.x.resize(n);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) out.x[i] = x_in[order[i]], y[i] = y_in[order[i]];
  const std::vector<double>& x = out.x;
  if (delta < 0.0) delta = 0.01 * (x[n - 1] - x[0]);
  out.fitted.assign(n, 0.0);
  std::vector<double>& ys = out.fitted;
  if (n < 2) {
    ys[0] = y[0];
    return out;
  }
  const auto ns = static_cast<std::size_t>(
      std::max<long long>(2, std::min<long long>(static_cast<long long>(n), static_cast<long long>(f * n + 1e-7))));
  std::vector<double> weights(n), robustness(n, 1.0), residuals(n);
  for (int pass = 1; pass <= iter + 1; ++pass) {
    std::size_t left = 0, right = ns - 1, last = 0, i = 0;
    for (;;) {
      if (right < n - 1) {
        const double d1 = x[i] - x[left], d2 = x[right + 1] - x[i];
        if (d1 > d2) {
          ++left, ++right;
          continue;
        }
      }
      double fitted = 0.0;
      if (!detail::lowess_local_fit(x, y, x[i], left, right, pass > 1, robustness, weights, fitted)) fitted = y[i];
      ys[i] = fitted;
      if (last + 1 < i) {
        const double denominator = x[i] - x[last];
        for (std::size_t j = last + 1; j < i; ++j) {
          const double alpha = (x[j] - x[last]) / denominator;
          ys[j] = alpha * ys[i] + (1.0 - alpha) * ys[last];
        }
      }
      last = i;
      const double cut = x[last] + delta;
      for (i = last + 1; i < n; ++i) {
        if (x[i] > cut) break;
        if (x[i] == x[last]) ys[i] = ys[last], last = i;
      }
      i = std::max(last + 1, i - 1);
      if (last >= n - 1) break;
    }
    if (pass > iter) break;
    for (std::size_t k = 0; k < n; ++k) residuals[k] = y[k] - ys[k];
    std::vector<double> absolute(n);
    for (std::size_t k = 0; k < n; ++k) absolute[k] = std::fabs(residuals[k]);
    double mean_absolute = 0.0;
    for (double v : absolute) mean_absolute += v;
    mean_absolute /= static_cast<double>(n);
    std::vector<double> sorted = absolute;
    const std::size_t m1 = n / 2;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(m1), sorted.end());
    double cmad;
    if (n % 2 == 0) {
      const double upper = sorted[m1];
      const double lower = *std::max_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(m1));
      cmad = 3.0 * (lower + upper);
    } else {
      cmad = 6.0 * sorted[m1];
    }
    if (cmad < 1e-7 * mean_absolute) break;  // residuals are essentially zero
    const double c9 = 0.999 * cmad, c1 = 0.001 * cmad;
    for (std::size_t k = 0; k < n; ++k) {
      const double r = absolute[k];
      robustness[k] = r <= c1 ? 1.0 : (r <= c9 ? (1.0 - (r / cmad) * (r / cmad)) * (1.0 - (r / cmad) * (r / cmad)) : 0.0);
    }
  }
  return out;
}

}  // namespace osteon::stats
