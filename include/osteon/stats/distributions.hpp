#pragma once
/// @file
/// The distribution functions the statistics need (normal, Student t, chi-square, beta), from
/// Boost.Math rather than hand-written series. Upper tails use Boost's complement() so that small
/// p-values keep their relative precision (R's pnorm(lower.tail = FALSE) does the same).

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <limits>

#include "osteon/core/check.hpp"

namespace osteon::stats {

/// Standard normal CDF Φ(x). Example: `normal_cdf(1.959963984540054)` ≈ 0.975.
inline double normal_cdf(double x) {
  if (std::isnan(x)) return x;
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return boost::math::cdf(boost::math::normal_distribution<double>(), x);
}

/// Standard normal upper tail 1 − Φ(x), accurate for large x.
inline double normal_sf(double x) {
  if (std::isnan(x)) return x;
  if (std::isinf(x)) return x > 0 ? 0.0 : 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(), x));
}

/// Standard normal quantile Φ⁻¹(p). Example: `normal_quantile(0.975)` ≈ 1.959963984540054.
inline double normal_quantile(double p) {
  OSTEON_CHECK_ARG(p >= 0.0 && p <= 1.0, "normal_quantile: p must be in [0, 1], got ", p);
  if (p == 0.0) return -std::numeric_limits<double>::infinity();
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  return boost::math::quantile(boost::math::normal_distribution<double>(), p);
}

/// Student t CDF with `df` > 0 degrees of freedom (non-integer df allowed, as Welch needs).
inline double t_cdf(double x, double df) {
  OSTEON_CHECK_ARG(df > 0.0, "t_cdf: df must be positive, got ", df);
  if (std::isnan(x)) return x;
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return boost::math::cdf(boost::math::students_t_distribution<double>(df), x);
}

/// Student t upper tail P(T > x).
inline double t_sf(double x, double df) {
  OSTEON_CHECK_ARG(df > 0.0, "t_sf: df must be positive, got ", df);
  if (std::isnan(x)) return x;
  if (std::isinf(x)) return x > 0 ? 0.0 : 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(df), x));
}

/// Student t quantile.
inline double t_quantile(double p, double df) {
  OSTEON_CHECK_ARG(df > 0.0, "t_quantile: df must be positive, got ", df);
  OSTEON_CHECK_ARG(p > 0.0 && p < 1.0, "t_quantile: p must be in (0, 1), got ", p);
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), p);
}

/// Chi-square upper tail P(X > x) with `df` > 0 degrees of freedom.
inline double chi_squared_sf(double x, double df) {
  OSTEON_CHECK_ARG(df > 0.0, "chi_squared_sf: df must be positive, got ", df);
  if (std::isnan(x)) return x;
  if (x <= 0.0) return 1.0;
  if (std::isinf(x)) return 0.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<double>(df), x));
}

/// F distribution upper tail P(X > x) with (df1, df2) > 0 degrees of freedom (non-integer df2
/// allowed, as Hillis' MRMC denominator degrees of freedom need).
inline double f_sf(double x, double df1, double df2) {
  OSTEON_CHECK_ARG(df1 > 0.0 && df2 > 0.0, "f_sf: degrees of freedom must be positive, got df1=", df1, ", df2=", df2);
  if (std::isnan(x)) return x;
  if (x <= 0.0) return 1.0;
  if (std::isinf(x)) return 0.0;
  return boost::math::cdf(boost::math::complement(boost::math::fisher_f_distribution<double>(df1, df2), x));
}

/// Beta CDF I_x(a, b), the regularized incomplete beta (the null distribution of Pearson's r is a
/// scaled beta). Example: `beta_cdf(0.5, 2.0, 2.0)` == 0.5.
inline double beta_cdf(double x, double a, double b) {
  OSTEON_CHECK_ARG(a > 0.0 && b > 0.0, "beta_cdf: shape parameters must be positive, got a=", a, ", b=", b);
  if (std::isnan(x)) return x;
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  return boost::math::ibeta(a, b, x);
}

/// Beta quantile (Clopper–Pearson intervals use it).
inline double beta_quantile(double p, double a, double b) {
  OSTEON_CHECK_ARG(a > 0.0 && b > 0.0, "beta_quantile: shape parameters must be positive, got a=", a, ", b=", b);
  OSTEON_CHECK_ARG(p >= 0.0 && p <= 1.0, "beta_quantile: p must be in [0, 1], got ", p);
  return boost::math::quantile(boost::math::beta_distribution<double>(a, b), p);
}

}  // namespace osteon::stats
