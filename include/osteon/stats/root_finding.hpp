#pragma once
/// @file
/// Brent's root finder (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4), in
/// the variant R's `uniroot` runs (R_zeroin2: bisection safeguarding inverse quadratic / linear
/// interpolation). osteon follows the same steps, so that a quantity R solves with uniroot (for
/// example the AUC of pROC's power.roc.test) comes out with the same digits, not only to within
/// the solver's tolerance.

#include <cfloat>
#include <cmath>
#include <cstdint>

#include "osteon/core/check.hpp"

namespace osteon::stats {

/// A root and how it was found.
struct Root {
  double root = 0.0;
  double f_root = 0.0;        ///< f(root)
  std::int64_t iterations = 0;
  double estimated_precision = 0.0;  ///< |c − b| at exit, as uniroot's `estim.prec`
};

/// Solves f(x) = 0 on [lower, upper], where f(lower) and f(upper) differ in sign (either may be
/// ±∞), with R's defaults: tol = DBL_EPSILON^(1/4), at most 1000 iterations.
///
/// Example:
///   auto r = osteon::stats::brent_root([](double x) { return x * x - 2.0; }, 0.0, 2.0, 1e-12);
///   // r.root ≈ 1.4142135623731
template <typename Function>
Root brent_root(Function&& f, double lower, double upper, double tol = 0.0001220703125,
                std::int64_t max_iterations = 1000, const char* function = "brent_root") {
  OSTEON_CHECK_ARG(lower < upper, function, ": lower must be below upper, got [", lower, ", ", upper, "]");
  double a = lower, b = upper;
  double fa = f(a), fb = f(b);
  OSTEON_CHECK_ARG(!std::isnan(fa) && !std::isnan(fb), function, ": f is NaN at an end of [", lower, ", ", upper,
                   "]");
  OSTEON_CHECK_ARG(!(fa * fb > 0.0), function, ": f(lower) = ", fa, " and f(upper) = ", fb,
                   " have the same sign; no root is bracketed in [", lower, ", ", upper, "]");
  if (fa == 0.0) return Root{a, fa, 0, 0.0};
  if (fb == 0.0) return Root{b, fb, 0, 0.0};
  double c = a, fc = fa;
  for (std::int64_t iteration = 1; iteration <= max_iterations + 1; ++iteration) {
    const double previous_step = b - a;
    if (std::fabs(fc) < std::fabs(fb)) {  // b is the best approximation so far
      a = b, b = c, c = a;
      fa = fb, fb = fc, fc = fa;
    }
    const double tol_act = 2.0 * DBL_EPSILON * std::fabs(b) + tol / 2.0;
    double new_step = (c - b) / 2.0;
    if (std::fabs(new_step) <= tol_act || fb == 0.0) return Root{b, fb, iteration - 1, std::fabs(c - b)};
    if (std::fabs(previous_step) >= tol_act && std::fabs(fa) > std::fabs(fb)) {
      double p, q;
      const double cb = c - b;
      if (a == c) {  // two distinct points: secant
        const double t1 = fb / fa;
        p = cb * t1;
        q = 1.0 - t1;
      } else {  // inverse quadratic interpolation
        q = fa / fc;
        const double t1 = fb / fc, t2 = fb / fa;
        p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0));
        q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0);
      }
      if (p > 0.0) q = -q;
      else p = -p;
      if (p < (0.75 * cb * q - std::fabs(tol_act * q) / 2.0) && p < std::fabs(previous_step * q / 2.0))
        new_step = p / q;
    }
    if (std::fabs(new_step) < tol_act) new_step = new_step > 0.0 ? tol_act : -tol_act;
    a = b, fa = fb;
    b += new_step;
    fb = f(b);
    if ((fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0)) c = a, fc = fa;
  }
  throw std::invalid_argument(osteon::detail::concat(function, ": no convergence in ", max_iterations,
                                                     " iterations on [", lower, ", ", upper, "]"));
}

}  // namespace osteon::stats
