#pragma once
/// @file
/// Power and sample size of ROC studies, as pROC 1.18's `power.roc.test` computes them in each of
/// its modes (Robin et al. 2011), from Obuchowski & McClish (1997), "Sample size determination for
/// diagnostic accuracy studies involving binormal ROC curve indices", Statistics in Medicine
/// 16:1529–1542, and Obuchowski, Lieber & Wians (2004), Clinical Chemistry 50:1118–1125.
///
/// With δ the difference to detect, V0 the variance of √N·δ̂ under H0 and VA under H1 (N cases):
///   N = (z_α √V0 + z_β √VA)² / δ²,   z_β = (√(N δ²) − z_α √V0) / √VA,   z_α = (√(N δ²) − z_β √VA) / √V0.
/// - One curve against AUC = 0.5: δ = θ − 0.5, V0 = 0.0792 (1 + 1/κ) (the binormal variance at
///   θ = 0.5), VA = 0.0099 e^{−A²/2} ((5A² + 8) + (A² + 8)/κ) with A = 1.414 Φ⁻¹(θ) (Obuchowski 2004).
/// - Two curves from binormal parameters (A, B) with correlations r_n (controls) and r_a (cases):
///   the variance and covariance functions of Obuchowski & McClish 1997 (eq. 4–6, with the partial-AUC
///   forms when FPR ranges are given); V0 = 2 V1 − 2 C12, VA = V1 + V2 − 2 C12. Unpaired designs
///   are r_n = r_a = 0.
/// - Two curves from data: V = N·var and C = N·cov of the observed AUCs (DeLong by default).
/// κ = n_controls / n_cases. "two.sided" halves sig_level before solving and doubles it after, as
/// pROC does. When the AUC is the unknown it is found with R's uniroot steps (stats/root_finding.hpp)
/// on [0.5, 1 − 1e-16] at uniroot's default tolerance, so it carries pROC's digits, not only its
/// precision (≈1e-4).

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"
#include "osteon/stats/distributions.hpp"
#include "osteon/stats/root_finding.hpp"

namespace osteon::stats {

/// Arguments of power_roc_test, named as pROC's (snake case). Exactly one of `power`, `sig_level`,
/// `auc` or the pair (`ncases`, `ncontrols`) is left unset: that one is solved for.
struct PowerRocOptions {
  OSTEON_ARG(std::optional<double>, auc);        ///< the AUC (one-curve mode only)
  OSTEON_ARG(std::optional<double>, ncases);
  OSTEON_ARG(std::optional<double>, ncontrols);
  OSTEON_ARG(std::optional<double>, sig_level) = 0.05;
  OSTEON_ARG(std::optional<double>, power);
  /// n_controls / n_cases where a size is solved for or only one is given; unset → 1 (pROC's default
  /// for numbers), or the sample's ratio for observed curves (pROC's default for roc objects)
  OSTEON_ARG(std::optional<double>, kappa);
  OSTEON_ARG(std::string, alternative) = "two.sided";  ///< "two.sided" or "one.sided"
};

/// Binormal parameters of two ROC curves (Obuchowski & McClish 1997): curve i has TPR = Φ(A_i + B_i Φ⁻¹(FPR)),
/// i.e. AUC_i = Φ(A_i / √(1 + B_i²)); `rn` / `ra` correlate the two tests' scores among controls /
/// cases (0 for an unpaired design); `delta` is the difference in (partial) AUC to detect. Set all
/// four FPR bounds for a partial AUC over FPR ∈ [fpr_i1, fpr_i2]. pROC's `parslist` names.
struct BinormalRocPair {
  OSTEON_ARG(double, a1) = 0.0;
  OSTEON_ARG(double, b1) = 1.0;
  OSTEON_ARG(double, a2) = 0.0;
  OSTEON_ARG(double, b2) = 1.0;
  OSTEON_ARG(double, rn) = 0.0;
  OSTEON_ARG(double, ra) = 0.0;
  OSTEON_ARG(double, delta) = 0.0;
  OSTEON_ARG(std::optional<double>, fpr11);
  OSTEON_ARG(std::optional<double>, fpr12);
  OSTEON_ARG(std::optional<double>, fpr21);
  OSTEON_ARG(std::optional<double>, fpr22);
};

/// The solved design (pROC's power.htest fields). `auc` is set in the one-curve modes; `auc1`,
/// `auc2` when two curves came from data (the observed AUCs) or from binormal parameters of full
/// curves (Φ(A/√(1+B²))); NaN otherwise.
struct PowerRocTest {
  double ncases = 0.0;
  double ncontrols = 0.0;
  double auc = std::numeric_limits<double>::quiet_NaN();
  double auc1 = std::numeric_limits<double>::quiet_NaN();
  double auc2 = std::numeric_limits<double>::quiet_NaN();
  double sig_level = 0.0;
  double power = 0.0;
  std::string alternative = "two.sided";
  std::string method;  ///< "One ROC curve power calculation" or "Two ROC curves power calculation"
};

namespace detail {

/// The variance and covariance terms V1, V2, C12 (each for √N·AUC, N = n_cases) of two curves.
struct RocCovVar {
  double var1 = 0.0, var2 = 0.0, cov12 = 0.0;
  double v0() const { return 2.0 * var1 - 2.0 * cov12; }  // H0: both curves as curve 1
  double va() const { return var1 + var2 - 2.0 * cov12; }
};

inline double solve_n(double z_alpha, double z_beta, double v0, double va, double delta) {
  const double root = z_alpha * std::sqrt(v0) + z_beta * std::sqrt(va);
  return root * root / (delta * delta);
}
inline double solve_z_beta(double n, double z_alpha, double v0, double va, double delta) {
  return (std::sqrt(n * delta * delta) - z_alpha * std::sqrt(v0)) / std::sqrt(va);
}
inline double solve_z_alpha(double n, double z_beta, double v0, double va, double delta) {
  return (std::sqrt(n * delta * delta) - z_beta * std::sqrt(va)) / std::sqrt(v0);
}

/// VA of one AUC θ (Obuchowski 2004, the binormal approximation with B = 1 that pROC uses).
inline double var_theta_obuchowski(double theta, double kappa) {
  const double a = normal_quantile(theta) * 1.414;
  return 0.0099 * std::exp(-a * a / 2.0) * ((5.0 * a * a + 8.0) + (a * a + 8.0) / kappa);
}

/// Obuchowski & McClish (1997) f and g, the derivatives of the (partial) binormal AUC in A and B.
struct BinormalFg {
  double f = 0.0, g = 0.0;
};

inline BinormalFg binormal_fg(double a, double b, const std::optional<double>& fpr1, const std::optional<double>& fpr2) {
  constexpr double pi = 3.14159265358979323846;
  const double expr1 = std::exp(-a * a / (2.0 * (1.0 + b * b)));
  const double expr2 = 1.0 + b * b;
  if (!fpr1 || !fpr2) {
    return {expr1 * std::pow(2.0 * pi * expr2, -0.5), -expr1 * a * b * std::pow(2.0 * pi * expr2 * expr2 * expr2, -0.5)};
  }
  const auto cdagger = [&](double fpr) { return (normal_quantile(fpr) + a * b / expr2) * std::sqrt(expr2); };
  const double c1 = cdagger(*fpr1), c2 = cdagger(*fpr2);
  const double expr3 = normal_cdf(c1) - normal_cdf(c2);
  const double expr4 = std::exp(-c1 * c1 / 2.0) - std::exp(-c2 * c2 / 2.0);
  return {expr1 * std::pow(2.0 * pi * expr2, -0.5) * expr3,
          expr1 / (2.0 * pi * expr2) * (-expr4) - a * b * expr1 * std::pow(2.0 * pi * expr2 * expr2 * expr2, -0.5) * expr3};
}

/// Obuchowski & McClish (1997) variance of √N·AUC of one binormal curve.
inline double var_binormal(double a, double b, double kappa, const BinormalFg& fg) {
  return fg.f * fg.f * (1.0 + b * b / kappa + a * a / 2.0) + fg.g * fg.g * b * b * (1.0 + kappa) / (2.0 * kappa);
}

/// Obuchowski & McClish (1997) covariance of √N·AUC of two binormal curves.
inline double cov_binormal(double a1, double b1, double a2, double b2, double rn, double ra, double kappa,
                           const BinormalFg& fg1, const BinormalFg& fg2) {
  return fg1.f * fg2.f * (ra + rn * b1 * b2 / kappa + ra * ra * a1 * a2 / 2.0) +
         fg1.g * fg2.g * (b1 * b2 * (rn * rn + kappa * ra * ra) / (2.0 * kappa)) +
         fg1.f * fg2.g * (ra * ra * a1 * b2 / 2.0) + fg2.f * fg1.g * (ra * ra * a2 * b1 / 2.0);
}

inline RocCovVar binormal_covvar(const BinormalRocPair& p, double kappa) {
  const bool partial1 = p.fpr11() && p.fpr12(), partial2 = p.fpr21() && p.fpr22();
  const BinormalFg fg1 = binormal_fg(p.a1(), p.b1(), p.fpr11(), p.fpr12());
  const BinormalFg fg2 = binormal_fg(p.a2(), p.b2(), p.fpr21(), p.fpr22());
  // pROC computes the covariance with partial forms only when all four bounds are given.
  const bool partial_cov = partial1 && partial2;
  const BinormalFg cfg1 = partial_cov ? fg1 : binormal_fg(p.a1(), p.b1(), std::nullopt, std::nullopt);
  const BinormalFg cfg2 = partial_cov ? fg2 : binormal_fg(p.a2(), p.b2(), std::nullopt, std::nullopt);
  return RocCovVar{var_binormal(p.a1(), p.b1(), kappa, fg1), var_binormal(p.a2(), p.b2(), kappa, fg2),
                   cov_binormal(p.a1(), p.b1(), p.a2(), p.b2(), p.rn(), p.ra(), kappa, cfg1, cfg2)};
}

/// True for "two.sided"; the argument checks of every power mode.
inline bool power_two_sided(const std::string& alternative) {
  if (alternative == "two.sided" || alternative == "two-sided" || alternative == "two_sided") return true;
  if (alternative == "one.sided" || alternative == "one-sided" || alternative == "one_sided") return false;
  throw std::invalid_argument(osteon::detail::concat(
      "power_roc_test: alternative must be \"two.sided\" or \"one.sided\", got \"", alternative, "\""));
}

inline void check_power_options(const PowerRocOptions& o) {
  OSTEON_CHECK_ARG(!o.ncases() || (*o.ncases() >= 0.0 && std::isfinite(*o.ncases())),
                   "power_roc_test: ncases must be a non-negative number, got ", o.ncases().value_or(0.0));
  OSTEON_CHECK_ARG(!o.ncontrols() || (*o.ncontrols() >= 0.0 && std::isfinite(*o.ncontrols())),
                   "power_roc_test: ncontrols must be a non-negative number, got ", o.ncontrols().value_or(0.0));
  OSTEON_CHECK_ARG(!o.kappa() || (*o.kappa() > 0.0 && std::isfinite(*o.kappa())),
                   "power_roc_test: kappa must be positive, got ", o.kappa().value_or(0.0));
  OSTEON_CHECK_ARG(!o.power() || (*o.power() >= 0.0 && *o.power() <= 1.0),
                   "power_roc_test: power must be in [0, 1], got ", o.power().value_or(0.0));
  OSTEON_CHECK_ARG(!o.sig_level() || (*o.sig_level() >= 0.0 && *o.sig_level() <= 1.0),
                   "power_roc_test: sig_level must be in [0, 1], got ", o.sig_level().value_or(0.0));
  OSTEON_CHECK_ARG(!o.auc() || (*o.auc() >= 0.0 && *o.auc() <= 1.0), "power_roc_test: auc must be in [0, 1], got ",
                   o.auc().value_or(0.0));
}

/// pROC's completion of the sample sizes from kappa: ncontrols = κ·ncases or ncases = ncontrols/κ.
inline void complete_sizes(std::optional<double>& ncases, std::optional<double>& ncontrols,
                           const std::optional<double>& kappa) {
  if (!ncontrols && ncases && kappa) ncontrols = *kappa * *ncases;
  else if (!ncases && ncontrols && kappa) ncases = *ncontrols / *kappa;
}

[[noreturn]] inline void power_missing(const char* what) {
  throw std::invalid_argument(osteon::detail::concat("power_roc_test: ", what));
}

/// The three two-curve modes (sample size, power, significance) on V0, VA and δ, given the sizes.
inline void solve_two_curves(PowerRocTest& out, std::optional<double> sig, const std::optional<double>& power,
                             const std::optional<double>& kappa, const RocCovVar& covvar, double delta, bool have_sizes) {
  const double v0 = covvar.v0(), va = covvar.va();
  if (!have_sizes) {
    out.ncases = solve_n(normal_quantile(1.0 - *sig), normal_quantile(*power), v0, va, delta);
    out.ncontrols = *kappa * out.ncases;
    out.sig_level = *sig;
    out.power = *power;
  } else if (!power) {
    out.power = normal_cdf(solve_z_beta(out.ncases, normal_quantile(1.0 - *sig), v0, va, delta));
    out.sig_level = *sig;
  } else {
    out.sig_level = 1.0 - normal_cdf(solve_z_alpha(out.ncases, normal_quantile(*power), v0, va, delta));
    out.power = *power;
  }
}

}  // namespace detail

/// Power, sample size, AUC or significance level of a study of one ROC curve against AUC = 0.5
/// (pROC: `power.roc.test(auc=, ncases=, ncontrols=, sig.level=, power=, kappa=)`): leave unset
/// the one quantity to solve for.
///
/// Example:
///   using osteon::stats::PowerRocOptions;
///   auto power = osteon::stats::power_roc_test(PowerRocOptions().auc(0.8).ncases(41).ncontrols(45));
///   // pROC: power.roc.test(auc = 0.8, ncases = 41, ncontrols = 45)$power = 0.99967561
///   auto size = osteon::stats::power_roc_test(PowerRocOptions().auc(0.8).power(0.9));
///   // size.ncases = 16.6192 (kappa = 1, as pROC)
inline PowerRocTest power_roc_test(const PowerRocOptions& options) {
  detail::check_power_options(options);
  const bool two_sided = detail::power_two_sided(options.alternative());
  std::optional<double> ncases = options.ncases(), ncontrols = options.ncontrols(), sig = options.sig_level();
  const std::optional<double>& power = options.power();
  const double kappa_given = options.kappa().value_or(1.0);
  detail::complete_sizes(ncases, ncontrols, kappa_given);
  if (two_sided && sig) *sig /= 2.0;

  PowerRocTest out;
  out.alternative = two_sided ? "two.sided" : "one.sided";
  out.method = "One ROC curve power calculation";
  const auto require_sizes = [&] {
    if (!ncases || !ncontrols)
      detail::power_missing("ncases and ncontrols (or one of them with kappa) or auc must be given");
  };
  if (!options.auc()) {
    require_sizes();
    if (!power) detail::power_missing("power or auc must be given");
    if (!sig) detail::power_missing("sig_level or auc must be given");
    const double n = *ncases, kappa = *ncontrols / *ncases;
    const double z_alpha = normal_quantile(1.0 - *sig), z_beta = normal_quantile(*power);
    const auto excess_cases = [&](double x) {
      const double v = detail::var_theta_obuchowski(x, kappa);
      const double root = z_alpha * std::sqrt(0.0792 * (1.0 + 1.0 / kappa)) + z_beta * std::sqrt(v);
      return root * root / ((x - 0.5) * (x - 0.5)) - n;
    };
    out.auc = brent_root(excess_cases, 0.5, 1.0 - 1e-16, 0.0001220703125, 1000, "power_roc_test (solving auc)").root;
    out.ncases = n, out.ncontrols = *ncontrols, out.sig_level = *sig, out.power = *power;
  } else {
    const double theta = *options.auc();
    OSTEON_CHECK_ARG(theta != 0.5, "power_roc_test: auc must differ from 0.5 (the null hypothesis), got 0.5");
    out.auc = theta;
    if (!ncases && !ncontrols) {
      if (!power) detail::power_missing("ncases and ncontrols (or one of them with kappa) or power must be given");
      if (!sig) detail::power_missing("sig_level or ncases and ncontrols must be given");
      const double kappa = kappa_given;
      out.ncases = detail::solve_n(normal_quantile(1.0 - *sig), normal_quantile(*power), 0.0792 * (1.0 + 1.0 / kappa),
                                   detail::var_theta_obuchowski(theta, kappa), theta - 0.5);
      out.ncontrols = kappa * out.ncases;
      out.sig_level = *sig, out.power = *power;
    } else if (!power) {
      require_sizes();
      if (!sig) detail::power_missing("sig_level or power must be given");
      const double kappa = *ncontrols / *ncases;
      out.ncases = *ncases, out.ncontrols = *ncontrols, out.sig_level = *sig;
      out.power = normal_cdf(detail::solve_z_beta(*ncases, normal_quantile(1.0 - *sig), 0.0792 * (1.0 + 1.0 / kappa),
                                                  detail::var_theta_obuchowski(theta, kappa), theta - 0.5));
    } else if (!sig) {
      require_sizes();
      const double kappa = *ncontrols / *ncases;
      out.ncases = *ncases, out.ncontrols = *ncontrols, out.power = *power;
      out.sig_level = 1.0 - normal_cdf(detail::solve_z_alpha(*ncases, normal_quantile(*power),
                                                             0.0792 * (1.0 + 1.0 / kappa),
                                                             detail::var_theta_obuchowski(theta, kappa), theta - 0.5));
    } else {
      detail::power_missing("one of power, sig_level, auc, or both ncases and ncontrols must be left unset");
    }
  }
  if (two_sided) out.sig_level *= 2.0;
  return out;
}

/// Power, sample size or significance level of a comparison of two ROC curves given by binormal
/// parameters (pROC: `power.roc.test(list(A1=, B1=, A2=, B2=, rn=, ra=, delta=), ...)`,
/// Obuchowski & McClish 1997). `options.auc` must stay unset.
///
/// Example:
///   auto pars = osteon::stats::BinormalRocPair().a1(1.2).b1(1).a2(0.8).b2(1).rn(0.4).ra(0.6).delta(0.1);
///   auto n = osteon::stats::power_roc_test(pars, osteon::stats::PowerRocOptions().power(0.8));
inline PowerRocTest power_roc_test(const BinormalRocPair& pars, const PowerRocOptions& options) {
  detail::check_power_options(options);
  OSTEON_CHECK_ARG(!options.auc(), "power_roc_test: auc is for one curve; two binormal curves take delta");
  OSTEON_CHECK_ARG(pars.delta() != 0.0, "power_roc_test: delta (the AUC difference to detect) must not be 0");
  const bool two_sided = detail::power_two_sided(options.alternative());
  std::optional<double> ncases = options.ncases(), ncontrols = options.ncontrols(), sig = options.sig_level();
  double kappa = options.kappa().value_or(1.0);
  detail::complete_sizes(ncases, ncontrols, kappa);
  if (two_sided && sig) *sig /= 2.0;

  PowerRocTest out;
  out.alternative = two_sided ? "two.sided" : "one.sided";
  out.method = "Two ROC curves power calculation";
  const bool partial = pars.fpr11() || pars.fpr12() || pars.fpr21() || pars.fpr22();
  if (!partial) {
    out.auc1 = normal_cdf(pars.a1() / std::sqrt(1.0 + pars.b1() * pars.b1()));
    out.auc2 = normal_cdf(pars.a2() / std::sqrt(1.0 + pars.b2() * pars.b2()));
  }
  bool have_sizes = true;
  if (!ncases && !ncontrols) {
    if (!options.power()) detail::power_missing("ncases and ncontrols (or one of them with kappa) or power must be given");
    if (!sig) detail::power_missing("sig_level or ncases and ncontrols must be given");
    have_sizes = false;
  } else {
    if (!ncases || !ncontrols) detail::power_missing("ncases and ncontrols (or one of them with kappa) must be given");
    if (options.power() && sig)
      detail::power_missing("one of power, sig_level, or both ncases and ncontrols must be left unset");
    if (!options.power() && !sig) detail::power_missing("sig_level or power must be given");
    kappa = *ncontrols / *ncases;
    out.ncases = *ncases, out.ncontrols = *ncontrols;
  }
  detail::solve_two_curves(out, sig, options.power(), kappa, detail::binormal_covvar(pars, kappa), pars.delta(),
                           have_sizes);
  if (two_sided) out.sig_level *= 2.0;
  return out;
}

/// pROC's `power.roc.test(roc)` for one observed curve: its AUC and sizes. With both `power` and
/// `sig_level` set the sample size is solved (κ from options or the sample); otherwise the unset one
/// is solved at the sample's sizes. `options.auc` / `ncases` / `ncontrols` must stay unset.
///
/// Example:
///   auto t = osteon::stats::power_roc_test_from_auc(0.73, 41, 72, osteon::stats::PowerRocOptions());
inline PowerRocTest power_roc_test_from_auc(double auc, double n_cases, double n_controls,
                                            const PowerRocOptions& options) {
  OSTEON_CHECK_ARG(!options.auc() && !options.ncases() && !options.ncontrols(),
                   "power_roc_test: with an observed curve, auc, ncases and ncontrols come from the data; leave them unset");
  PowerRocOptions solved = options;
  solved.auc(auc);
  if (options.sig_level() && options.power()) solved.kappa(options.kappa().value_or(n_controls / n_cases));
  else solved.ncases(n_cases).ncontrols(n_controls);
  return power_roc_test(solved);
}

/// Power, sample size or significance level of a comparison of two paired ROC curves observed on
/// one sample (pROC: `power.roc.test(roc1, roc2, ...)`), from their AUCs, variances and covariance
/// (e.g. DeLong's, metrics/roc/delong.hpp) and the sample's n_cases / n_controls. δ = auc1 − auc2,
/// V = n_cases·var, C = n_cases·cov. Leave `options.power` or `options.sig_level` unset to solve
/// for it; with both set the sample size is solved (ncontrols = κ·ncases, κ from options or the sample).
/// `options.ncases` / `ncontrols` / `auc` must stay unset (they come from the data).
///
/// Example:
///   auto t = osteon::stats::power_roc_test_from_moments(0.73, 0.61, var1, var2, cov12, 41, 72,
///                                                       osteon::stats::PowerRocOptions().power(0.9));
inline PowerRocTest power_roc_test_from_moments(double auc1, double auc2, double var1, double var2, double cov12,
                                                double n_cases, double n_controls, const PowerRocOptions& options) {
  detail::check_power_options(options);
  OSTEON_CHECK_ARG(!options.auc() && !options.ncases() && !options.ncontrols(),
                   "power_roc_test: with two observed curves, auc, ncases and ncontrols come from the data; leave them unset");
  OSTEON_CHECK_ARG(n_cases > 0 && n_controls > 0, "power_roc_test: the sample needs cases and controls, got ",
                   n_cases, " cases and ", n_controls, " controls");
  const bool two_sided = detail::power_two_sided(options.alternative());
  std::optional<double> sig = options.sig_level();
  if (!options.power() && !sig) detail::power_missing("sig_level or power must be given");
  if (two_sided && sig) *sig /= 2.0;
  PowerRocTest out;
  out.alternative = two_sided ? "two.sided" : "one.sided";
  out.method = "Two ROC curves power calculation";
  out.auc1 = auc1, out.auc2 = auc2;
  out.ncases = n_cases, out.ncontrols = n_controls;
  const double kappa = options.kappa().value_or(n_controls / n_cases);
  const bool solve_size = options.power() && sig;
  detail::solve_two_curves(out, sig, options.power(), kappa,
                           detail::RocCovVar{var1 * n_cases, var2 * n_cases, cov12 * n_cases}, auc1 - auc2,
                           !solve_size);
  if (two_sided) out.sig_level *= 2.0;
  return out;
}

}  // namespace osteon::stats
