#pragma once
/// @file
/// Agreement of a continuous prediction with the truth as studies report it: the least-squares
/// line of predicted on true (slope, intercept, R² and the p-value of the slope), and Pearson's r
/// with its Fisher-z confidence interval. Numbers equal scipy.stats.linregress / pearsonr.

#include <cmath>
#include <cstddef>
#include <limits>

#include "osteon/core/check.hpp"
#include "osteon/stats/alternative.hpp"
#include "osteon/stats/distributions.hpp"
#include "osteon/stats/samples.hpp"

namespace osteon::stats {

/// Ordinary least squares y = intercept + slope·x.
struct LinearRegression {
  double slope = 0.0;
  double intercept = 0.0;
  double r = 0.0;                 ///< Pearson correlation of x and y
  double r2 = 0.0;                ///< coefficient of determination, r² for a line with intercept
  double p_value = 1.0;           ///< two-sided t-test of slope = 0, df = n − 2
  double slope_stderr = 0.0;      ///< standard error of the slope
  double intercept_stderr = 0.0;  ///< standard error of the intercept
  std::size_t n = 0;
};

/// Pearson correlation with its test and confidence interval.
struct Pearson {
  double r = 0.0;
  double p_value = 1.0;  ///< t-test of ρ = 0 with n − 2 df (exact for bivariate normal data)
  double ci_low = -1.0;  ///< Fisher-z interval (Fisher 1921); one-sided alternatives open one end
  double ci_high = 1.0;
  double level = 0.95;
  std::size_t n = 0;
};

namespace detail {

/// Centered sums of squares and cross-products of a paired sample (two-pass, as numpy's cov).
struct CrossMoments {
  double x_mean, y_mean, sxx, syy, sxy;
};

/// The moments of x[i], y[i] (same length, not empty), unchecked: the caller says which sums must be > 0.
inline CrossMoments centered_moments(const std::vector<double>& x, const std::vector<double>& y) {
  CrossMoments m{mean(x), mean(y), 0.0, 0.0, 0.0};
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - m.x_mean, dy = y[i] - m.y_mean;
    m.sxx += dx * dx;
    m.syy += dy * dy;
    m.sxy += dx * dy;
  }
  return m;
}

inline CrossMoments cross_moments(const PairedSamples& xy, const char* function) {
  const CrossMoments m = centered_moments(xy.first, xy.second);
  OSTEON_CHECK_ARG(m.sxx > 0.0, function, ": x is constant (every value is ", xy.first[0],
                   "); the slope and r are undefined");
  OSTEON_CHECK_ARG(m.syy > 0.0, function, ": y is constant (every value is ", xy.second[0],
                   "); r and R² are undefined");
  return m;
}

/// Pearson r from the moments, clipped to [−1, 1] against rounding.
inline double correlation(const CrossMoments& m) {
  const double r = m.sxy / std::sqrt(m.sxx * m.syy);
  return r > 1.0 ? 1.0 : (r < -1.0 ? -1.0 : r);
}

/// P-value of H0: ρ = 0 from r with n − 2 df. Uses the beta form of the null distribution of r,
/// P(|R| ≥ |r|) = I_{(1−|r|)/2}(n/2 − 1, n/2 − 1), which keeps precision as |r| → 1 where
/// t = r·sqrt(df / (1 − r²)) cancels.
inline double correlation_p_value(double r, std::size_t n, Alternative alternative) {
  const double shape = static_cast<double>(n) / 2.0 - 1.0;
  // lower tail of R at r: P(R <= r) = I_{(1+r)/2}(shape, shape)
  const double below = beta_cdf((1.0 + r) / 2.0, shape, shape);
  const double above = beta_cdf((1.0 - r) / 2.0, shape, shape);
  return p_value(alternative, below, above);
}

}  // namespace detail

/// Least-squares regression of `y` on `x` — for a volume study, `x` = true volume and
/// `y` = predicted volume. Equals scipy.stats.linregress(x, y). Needs n ≥ 3 (the slope's t-test
/// has n − 2 df) and neither sample constant.
///
/// Example:
///   auto fit = osteon::stats::linear_regression(std::vector<double>{10, 20, 30, 40},
///                                               std::vector<double>{12, 19, 33, 41});
///   // fit.slope ≈ 1.01, fit.intercept ≈ 1.0, fit.r2 ≈ 0.98323, fit.p_value ≈ 0.00842
template <typename X, typename Y>
LinearRegression linear_regression(const X& x, const Y& y) {
  const auto xy = detail::paired_samples(x, y, "linear_regression", "x", "y", 3);
  const auto m = detail::cross_moments(xy, "linear_regression");
  LinearRegression fit;
  fit.n = xy.first.size();
  const double df = static_cast<double>(fit.n) - 2.0;
  fit.slope = m.sxy / m.sxx;
  fit.intercept = m.y_mean - fit.slope * m.x_mean;
  fit.r = detail::correlation(m);
  fit.r2 = fit.r * fit.r;
  fit.p_value = detail::correlation_p_value(fit.r, fit.n, Alternative::TwoSided);
  // Standard errors as scipy: sqrt((1 − r²)·Syy / Sxx / df), and the intercept's from the slope's.
  fit.slope_stderr = std::sqrt((1.0 - fit.r2) * m.syy / m.sxx / df);
  const double n = static_cast<double>(fit.n);
  fit.intercept_stderr = fit.slope_stderr * std::sqrt(m.sxx / n + m.x_mean * m.x_mean);
  return fit;
}

/// Pearson's r of x and y, its p-value and a Fisher-z confidence interval at `level`
/// (z = atanh r ± Φ⁻¹((1 + level)/2)/sqrt(n − 3)). Equals scipy.stats.pearsonr(x, y) and its
/// confidence_interval(level). Needs n ≥ 4 (the interval's SE is 1/sqrt(n − 3)).
///
/// Example:
///   auto c = osteon::stats::pearson(std::vector<double>{1, 2, 3, 4, 5},
///                                   std::vector<double>{2, 1, 4, 3, 5});
///   // c.r == 0.8, c.p_value ≈ 0.1041, c.ci_low ≈ -0.2796, c.ci_high ≈ 0.9862
template <typename X, typename Y>
Pearson pearson(const X& x, const Y& y, double level = 0.95,
                Alternative alternative = Alternative::TwoSided) {
  require_level(level, "pearson");
  const auto xy = detail::paired_samples(x, y, "pearson", "x", "y", 4);
  const auto m = detail::cross_moments(xy, "pearson");
  Pearson out;
  out.n = xy.first.size();
  out.level = level;
  out.r = detail::correlation(m);
  out.p_value = detail::correlation_p_value(out.r, out.n, alternative);
  const double z = std::atanh(out.r);  // ±inf for r = ±1: the interval collapses onto r
  const double se = 1.0 / std::sqrt(static_cast<double>(out.n) - 3.0);
  switch (alternative) {
    case Alternative::TwoSided: {
      const double h = normal_quantile(two_sided_probability(level));
      out.ci_low = std::tanh(z - h * se);
      out.ci_high = std::tanh(z + h * se);
      break;
    }
    case Alternative::Less:
      out.ci_low = -1.0;
      out.ci_high = std::tanh(z + normal_quantile(level) * se);
      break;
    case Alternative::Greater:
      out.ci_low = std::tanh(z - normal_quantile(level) * se);
      out.ci_high = 1.0;
      break;
  }
  return out;
}

}  // namespace osteon::stats
