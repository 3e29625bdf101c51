#pragma once
/// @file
/// Obuchowski–Rockette analysis of multi-reader multi-case (MRMC) studies (Obuchowski & Rockette
/// 1995, Communications in Statistics – Simulation and Computation 24:285–308), with Hillis'
/// denominator degrees of freedom (Hillis 2007, "A comparison of denominator degrees of freedom
/// methods for multiple observer ROC analysis", Statistics in Medicine 26:596–619; Hillis, Berbaum &
/// Metz 2008, Academic Radiology 15:647–661), for any figure of merit θ_ij (modality i = 1..t,
/// reader j = 1..r) with an estimated tr × tr error covariance matrix.
///
/// From the covariance: Var (mean variance), Cov1 (same reader, different modalities), Cov2 (same
/// modality, different readers), Cov3 (both different); from the θ_ij the mean squares MS(T), MS(R),
/// MS(T×R). Then
/// - random readers and cases: F = MS(T) / [MS(T×R) + r·max(Cov2 − Cov3, 0)] on (t − 1, ddf_H),
///   ddf_H = [MS(T×R) + r·max(Cov2 − Cov3, 0)]² / {MS(T×R)² / [(t − 1)(r − 1)]}; the difference of two
///   modality means has SE √(2/r · [MS(T×R) + r·max(Cov2 − Cov3, 0)]) and a t(ddf_H) interval; each
///   modality alone SE √(MS(R)_i / r + max(Cov2_i, 0)), df (MS(R)_i + r·max(Cov2_i, 0))² / (MS(R)_i² / (r − 1));
/// - fixed readers: χ² = (t − 1)·MS(T) / [Var − Cov1 + (r − 1)(Cov2 − Cov3)] on t − 1 df; differences
///   with SE √(2/r · [Var − Cov1 + (r − 1)(Cov2 − Cov3)]) and normal intervals; each modality SE
///   √(Var_i / r + (r − 1)/r · Cov2_i); per reader, the difference with SE √(Var_1j + Var_2j − 2 Cov_j);
/// - fixed cases (random readers): F = MS(T) / MS(T×R) on (t − 1, (t − 1)(r − 1)); SE of a difference
///   √(2 MS(T×R) / r); each modality SE √(MS(R)_i / r) on r − 1 df.
/// The reader and treatment×reader variance components are σ²_TR = MS(T×R) − Var + Cov1 + Cov2 − Cov3
/// and σ²_R = [MS(R) − σ²_TR − Var − (t − 1)Cov1 + Cov2 + (t − 1)Cov3] / t (from the expected mean
/// squares of the OR model; Hillis et al. 2005, Statistics in Medicine 24:1579–1607).

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"
#include "osteon/stats/alternative.hpp"
#include "osteon/stats/distributions.hpp"

namespace osteon::stats {

/// Options of the OR analysis.
struct OrMrmcOptions {
  OSTEON_ARG(std::string, covariance) = "jackknife";  ///< "jackknife" or "delong" (AUC only)
  OSTEON_ARG(double, level) = 0.95;
};

/// An estimate with its standard error, degrees of freedom (∞ for normal intervals) and interval.
struct MrmcEstimate {
  double estimate = 0.0;
  double std_err = 0.0;
  double df = std::numeric_limits<double>::infinity();
  double ci_low = 0.0;
  double ci_high = 0.0;
  double statistic = 0.0;  ///< t or z of the estimate against 0 (differences only)
  double p_value = std::numeric_limits<double>::quiet_NaN();
};

/// One kind of inference (random readers, fixed readers or fixed cases).
struct MrmcInference {
  double statistic = 0.0;  ///< F (random readers / fixed cases) or χ² (fixed readers)
  double df1 = 0.0;
  double df2 = std::numeric_limits<double>::infinity();  ///< denominator df (∞ for χ²)
  double p_value = 0.0;
  std::vector<MrmcEstimate> differences;  ///< modality 0 − modality k, k = 1..t − 1
  std::vector<MrmcEstimate> modalities;   ///< each modality alone
  std::vector<MrmcEstimate> reader_differences;  ///< fixed readers only: modality 0 − 1 for each reader
};

/// Result of or_mrmc. The top-level `f_statistic`, `ddf`, `p_value` and the interval are the
/// random-reader random-case analysis of modality 0 − modality 1.
struct OrMrmc {
  std::vector<std::vector<double>> foms;  ///< θ_ij, [modality][reader]
  std::vector<double> modality_foms;      ///< reader-averaged θ_i.
  double f_statistic = 0.0;
  double df1 = 0.0;
  double ddf = 0.0;
  double p_value = 0.0;
  double difference = 0.0;  ///< θ_0. − θ_1.
  double ci_low = 0.0;
  double ci_high = 0.0;
  double level = 0.95;
  double var_error = 0.0, cov1 = 0.0, cov2 = 0.0, cov3 = 0.0;
  double var_reader = 0.0, var_treatment_reader = 0.0;
  double ms_t = 0.0, ms_r = 0.0, ms_tr = 0.0;
  std::string covariance;
  MrmcInference random_readers;  ///< RRRC
  MrmcInference fixed_readers;   ///< FRRC
  MrmcInference fixed_cases;     ///< RRFC
};

namespace detail {

inline MrmcEstimate mrmc_estimate(double estimate, double std_err, double df, double level, bool test) {
  MrmcEstimate e;
  e.estimate = estimate;
  e.std_err = std_err;
  e.df = df;
  const double p = two_sided_probability(level);
  const double critical = std::isinf(df) ? normal_quantile(p) : t_quantile(p, df);
  e.ci_low = estimate - critical * std_err;
  e.ci_high = estimate + critical * std_err;
  if (test) {
    e.statistic = estimate / std_err;
    e.p_value = std::isinf(df) ? 2.0 * normal_sf(std::fabs(e.statistic)) : 2.0 * t_sf(std::fabs(e.statistic), df);
  }
  return e;
}

/// Mean of the covariance entries between (i, j) and (i2, j2) that `pick` selects.
template <typename Pick>
double mean_covariance(const Eigen::MatrixXd& cov, std::size_t t, std::size_t r, Pick&& pick) {
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < t; ++i)
    for (std::size_t j = 0; j < r; ++j)
      for (std::size_t i2 = 0; i2 < t; ++i2)
        for (std::size_t j2 = 0; j2 < r; ++j2)
          if (pick(i, j, i2, j2)) sum += cov(static_cast<Eigen::Index>(i * r + j), static_cast<Eigen::Index>(i2 * r + j2)), ++count;
  return count ? sum / static_cast<double>(count) : 0.0;
}

}  // namespace detail

/// OR analysis from the figures of merit `foms` ([modality][reader], t ≥ 2, r ≥ 2) and their error
/// covariance matrix (tr × tr, index i·r + j), e.g. from a DeLong or jackknife estimate. Works for
/// any figure of merit (AUC, sensitivity, mean Dice, …).
///
/// Example:
///   auto result = osteon::stats::or_mrmc_from_moments(foms, covariance);
///   // result.f_statistic, result.ddf, result.p_value, result.ci_low, result.ci_high
inline OrMrmc or_mrmc_from_moments(const std::vector<std::vector<double>>& foms, const Eigen::MatrixXd& covariance,
                                   double level = 0.95) {
  require_level(level, "or_mrmc");
  const std::size_t t = foms.size();
  OSTEON_CHECK_ARG(t >= 2, "or_mrmc: needs at least 2 modalities, got ", t);
  const std::size_t r = foms[0].size();
  OSTEON_CHECK_ARG(r >= 2, "or_mrmc: needs at least 2 readers, got ", r);
  for (std::size_t i = 0; i < t; ++i)
    OSTEON_CHECK_ARG(foms[i].size() == r, "or_mrmc: modality ", i, " has ", foms[i].size(), " readers, modality 0 has ", r);
  OSTEON_CHECK_ARG(covariance.rows() == static_cast<Eigen::Index>(t * r) && covariance.cols() == covariance.rows(),
                   "or_mrmc: covariance must be ", t * r, "x", t * r, " (modalities x readers), got ", covariance.rows(),
                   "x", covariance.cols());
  OrMrmc out;
  out.foms = foms;
  out.level = level;
  const double td = static_cast<double>(t), rd = static_cast<double>(r);

  // Mean squares of the modality × reader table.
  std::vector<double> modality_mean(t, 0.0), reader_mean(r, 0.0);
  double grand = 0.0;
  for (std::size_t i = 0; i < t; ++i)
    for (std::size_t j = 0; j < r; ++j) modality_mean[i] += foms[i][j] / rd, reader_mean[j] += foms[i][j] / td, grand += foms[i][j];
  grand /= td * rd;
  for (double m : modality_mean) out.ms_t += (m - grand) * (m - grand);
  out.ms_t *= rd / (td - 1.0);
  for (double m : reader_mean) out.ms_r += (m - grand) * (m - grand);
  out.ms_r *= td / (rd - 1.0);
  for (std::size_t i = 0; i < t; ++i)
    for (std::size_t j = 0; j < r; ++j) {
      const double e = foms[i][j] - modality_mean[i] - reader_mean[j] + grand;
      out.ms_tr += e * e;
    }
  out.ms_tr /= (td - 1.0) * (rd - 1.0);
  out.modality_foms = modality_mean;

  // Error variance and covariances.
  const auto& c = covariance;
  out.var_error = detail::mean_covariance(c, t, r, [](auto i, auto j, auto i2, auto j2) { return i == i2 && j == j2; });
  out.cov1 = detail::mean_covariance(c, t, r, [](auto i, auto j, auto i2, auto j2) { return i != i2 && j == j2; });
  out.cov2 = detail::mean_covariance(c, t, r, [](auto i, auto j, auto i2, auto j2) { return i == i2 && j != j2; });
  out.cov3 = detail::mean_covariance(c, t, r, [](auto i, auto j, auto i2, auto j2) { return i != i2 && j != j2; });
  out.var_treatment_reader = out.ms_tr - out.var_error + out.cov1 + out.cov2 - out.cov3;
  out.var_reader = (out.ms_r - out.var_treatment_reader - out.var_error - (td - 1.0) * out.cov1 + out.cov2 +
                    (td - 1.0) * out.cov3) / td;

  // Per-modality mean squares and covariances (each modality analysed alone).
  std::vector<double> ms_r_of(t, 0.0), var_of(t, 0.0), cov2_of(t, 0.0);
  for (std::size_t i = 0; i < t; ++i) {
    for (std::size_t j = 0; j < r; ++j) ms_r_of[i] += (foms[i][j] - modality_mean[i]) * (foms[i][j] - modality_mean[i]);
    ms_r_of[i] /= rd - 1.0;
    var_of[i] = detail::mean_covariance(c, t, r, [i](auto a, auto j, auto a2, auto j2) { return a == i && a2 == i && j == j2; });
    cov2_of[i] = detail::mean_covariance(c, t, r, [i](auto a, auto j, auto a2, auto j2) { return a == i && a2 == i && j != j2; });
  }

  // Random readers, random cases (Hillis 2007 ddf).
  {
    MrmcInference& rr = out.random_readers;
    const double denominator = out.ms_tr + rd * std::max(out.cov2 - out.cov3, 0.0);
    rr.df1 = td - 1.0;
    rr.statistic = out.ms_t / denominator;
    rr.df2 = denominator * denominator / (out.ms_tr * out.ms_tr / ((td - 1.0) * (rd - 1.0)));
    rr.p_value = f_sf(rr.statistic, rr.df1, rr.df2);
    const double se = std::sqrt(2.0 / rd * denominator);
    for (std::size_t k = 1; k < t; ++k)
      rr.differences.push_back(detail::mrmc_estimate(modality_mean[0] - modality_mean[k], se, rr.df2, level, true));
    for (std::size_t i = 0; i < t; ++i) {
      const double extra = std::max(cov2_of[i], 0.0);
      const double df = (ms_r_of[i] + rd * extra) * (ms_r_of[i] + rd * extra) / (ms_r_of[i] * ms_r_of[i] / (rd - 1.0));
      rr.modalities.push_back(detail::mrmc_estimate(modality_mean[i], std::sqrt(ms_r_of[i] / rd + extra), df, level, false));
    }
  }
  // Fixed readers, random cases.
  {
    MrmcInference& fr = out.fixed_readers;
    const double denominator = out.var_error - out.cov1 + (rd - 1.0) * (out.cov2 - out.cov3);
    fr.df1 = td - 1.0;
    fr.statistic = (td - 1.0) * out.ms_t / denominator;
    fr.p_value = chi_squared_sf(fr.statistic, fr.df1);
    const double se = std::sqrt(2.0 / rd * denominator);
    const double inf = std::numeric_limits<double>::infinity();
    for (std::size_t k = 1; k < t; ++k)
      fr.differences.push_back(detail::mrmc_estimate(modality_mean[0] - modality_mean[k], se, inf, level, true));
    for (std::size_t i = 0; i < t; ++i)
      fr.modalities.push_back(detail::mrmc_estimate(
          modality_mean[i], std::sqrt(var_of[i] / rd + (rd - 1.0) / rd * cov2_of[i]), inf, level, false));
    for (std::size_t j = 0; j < r; ++j) {
      const auto a = static_cast<Eigen::Index>(j), b = static_cast<Eigen::Index>(r + j);
      fr.reader_differences.push_back(detail::mrmc_estimate(foms[0][j] - foms[1][j],
                                                            std::sqrt(c(a, a) + c(b, b) - 2.0 * c(a, b)), inf, level, true));
    }
  }
  // Random readers, fixed cases.
  {
    MrmcInference& fc = out.fixed_cases;
    fc.df1 = td - 1.0;
    fc.df2 = (td - 1.0) * (rd - 1.0);
    fc.statistic = out.ms_t / out.ms_tr;
    fc.p_value = f_sf(fc.statistic, fc.df1, fc.df2);
    const double se = std::sqrt(2.0 * out.ms_tr / rd);
    for (std::size_t k = 1; k < t; ++k)
      fc.differences.push_back(detail::mrmc_estimate(modality_mean[0] - modality_mean[k], se, fc.df2, level, true));
    for (std::size_t i = 0; i < t; ++i)
      fc.modalities.push_back(detail::mrmc_estimate(modality_mean[i], std::sqrt(ms_r_of[i] / rd), rd - 1.0, level, false));
  }
  out.f_statistic = out.random_readers.statistic;
  out.df1 = out.random_readers.df1;
  out.ddf = out.random_readers.df2;
  out.p_value = out.random_readers.p_value;
  out.difference = out.random_readers.differences[0].estimate;
  out.ci_low = out.random_readers.differences[0].ci_low;
  out.ci_high = out.random_readers.differences[0].ci_high;
  return out;
}

/// Jackknife covariance (Efron 1981) of k statistics from their leave-one-case-out values
/// (`leave_one_out[s][c]`: statistic s without case c): (n − 1)/n · Σ_c (θ_s(−c) − θ̄_s)(θ_u(−c) − θ̄_u).
///
/// Example:
///   Eigen::MatrixXd cov = osteon::stats::jackknife_covariance(leave_one_out);
inline Eigen::MatrixXd jackknife_covariance(const std::vector<std::vector<double>>& leave_one_out) {
  const auto k = static_cast<Eigen::Index>(leave_one_out.size());
  OSTEON_CHECK_ARG(k >= 1, "jackknife_covariance: no statistic given");
  const std::size_t n = leave_one_out[0].size();
  OSTEON_CHECK_ARG(n >= 2, "jackknife_covariance: needs at least 2 cases, got ", n);
  Eigen::MatrixXd centred(k, static_cast<Eigen::Index>(n));
  for (Eigen::Index s = 0; s < k; ++s) {
    const auto& row = leave_one_out[static_cast<std::size_t>(s)];
    OSTEON_CHECK_ARG(row.size() == n, "jackknife_covariance: statistic ", s, " has ", row.size(),
                     " leave-one-out values, statistic 0 has ", n);
    double mean = 0.0;
    for (double v : row) mean += v;
    mean /= static_cast<double>(n);
    for (std::size_t c = 0; c < n; ++c) centred(s, static_cast<Eigen::Index>(c)) = row[c] - mean;
  }
  return (centred * centred.transpose()) * ((static_cast<double>(n) - 1.0) / static_cast<double>(n));
}

/// OR analysis of a figure of merit that is the mean of a per-case value (mean Dice, accuracy, a
/// per-case score), `values[i][j][c]` for modality i, reader j, case c, with the jackknife
/// covariance (which for a mean is the sample covariance over cases divided by n).
///
/// Example:
///   auto result = osteon::stats::or_mrmc_per_case(dice);  // dice[modality][reader][case]
inline OrMrmc or_mrmc_per_case(const std::vector<std::vector<std::vector<double>>>& values, double level = 0.95) {
  const std::size_t t = values.size();
  OSTEON_CHECK_ARG(t >= 2, "or_mrmc_per_case: needs at least 2 modalities, got ", t);
  const std::size_t r = values[0].size();
  OSTEON_CHECK_ARG(r >= 2, "or_mrmc_per_case: needs at least 2 readers, got ", r);
  const std::size_t n = values[0].empty() ? 0 : values[0][0].size();
  OSTEON_CHECK_ARG(n >= 2, "or_mrmc_per_case: needs at least 2 cases, got ", n);
  std::vector<std::vector<double>> foms(t, std::vector<double>(r, 0.0));
  std::vector<std::vector<double>> leave_one_out;
  for (std::size_t i = 0; i < t; ++i) {
    OSTEON_CHECK_ARG(values[i].size() == r, "or_mrmc_per_case: modality ", i, " has ", values[i].size(),
                     " readers, modality 0 has ", r);
    for (std::size_t j = 0; j < r; ++j) {
      const auto& v = values[i][j];
      OSTEON_CHECK_ARG(v.size() == n, "or_mrmc_per_case: values[", i, "][", j, "] has ", v.size(), " cases, expected ", n);
      double sum = 0.0;
      for (std::size_t c = 0; c < n; ++c) {
        OSTEON_CHECK_ARG(std::isfinite(v[c]), "or_mrmc_per_case: values[", i, "][", j, "][", c, "] is not finite (", v[c], ")");
        sum += v[c];
      }
      foms[i][j] = sum / static_cast<double>(n);
      std::vector<double> loo(n);
      for (std::size_t c = 0; c < n; ++c) loo[c] = (sum - v[c]) / (static_cast<double>(n) - 1.0);
      leave_one_out.push_back(std::move(loo));
    }
  }
  OrMrmc out = or_mrmc_from_moments(foms, jackknife_covariance(leave_one_out), level);
  out.covariance = "jackknife";
  return out;
}

}  // namespace osteon::stats
