#pragma once
/// @file
/// DeLong's nonparametric variance and covariance of AUCs, their Wald intervals and tests
/// (DeLong, DeLong & Clarke-Pearson 1988, "Comparing the areas under two or more correlated
/// receiver operating characteristic curves: a nonparametric approach", Biometrics 44:837–845),
/// with the numerics of pROC 1.18 (Robin et al. 2011, BMC Bioinformatics 12:77):
///   S10 = Σ (V10 − θ)(V10 − θ)ᵀ / (m − 1),  S01 likewise over controls / (n − 1),
///   S   = S10 / m + S01 / n                  (m cases, n controls).
/// The heavy part — placements — is O(n log n) per predictor (metrics/roc/placements.hpp); the
/// functions named `*_from_moments` take AUCs and (co)variances and are shared with the tensor
/// backend (metrics/roc/tensor.hpp), which computes those moments on the tensors' device.

#include <Eigen/Dense>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/roc/placements.hpp"
#include "osteon/stats/alternative.hpp"
#include "osteon/stats/distributions.hpp"

namespace osteon::metrics {

/// The alternative hypothesis of a test (shared with osteon::stats).
using stats::Alternative;

/// Parses "two.sided" (or "two-sided"), "less", "greater"; errors name `function`.
inline Alternative parse_alternative(std::string_view text, const char* function = "delong_test") {
  return stats::parse_alternative(text, function);
}

/// A confidence interval of one AUC.
struct AucCi {
  double auc = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
  double level = 0.95;
  std::string method;  ///< "delong" or "bootstrap"
};

/// Result of a comparison of two AUCs (the field names pROC's htest carries, flattened).
struct DelongTest {
  double auc_a = 0.0;
  double auc_b = 0.0;
  double statistic = 0.0;  ///< Z (paired) or D (unpaired, t-distributed with df)
  double p_value = 0.0;
  double df = std::numeric_limits<double>::quiet_NaN();  ///< NaN for the paired Z test
  double ci_low = 0.0;   ///< CI of auc_a − auc_b (always two-sided, as pROC)
  double ci_high = 0.0;
  double level = 0.95;
  Alternative alternative = Alternative::TwoSided;
  bool paired = true;
};

/// Result of the contrast test of k ≥ 2 correlated AUCs (DeLong 1988, eq. 5).
struct DelongContrastTest {
  std::vector<double> aucs;
  double statistic = 0.0;  ///< chi-square
  double df = 0.0;         ///< rank of L S Lᵀ
  double p_value = 0.0;
};

namespace detail {

/// Σ (a − mean a)(b − mean b) / (count − 1); the means are passed in, as pROC subtracts θ.
inline double centred_cross_product(const std::vector<double>& a, double mean_a, const std::vector<double>& b,
                                    double mean_b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - mean_a) * (b[i] - mean_b);
  return sum / static_cast<double>(a.size() - 1);
}

inline void require_variance_sizes(std::size_t n_cases, std::size_t n_controls, const char* function) {
  OSTEON_CHECK_ARG(n_cases >= 2 && n_controls >= 2, function,
                   ": a DeLong variance needs at least 2 cases and 2 controls, got ", n_cases, " cases and ",
                   n_controls, " controls");
}

/// Two-sided normal critical value for a confidence level (1.959964 at 95 %).
inline double normal_critical_value(double level) {
  return stats::normal_quantile(stats::two_sided_probability(level));
}

/// p-value of a statistic under the normal (df NaN) or Student t (df given) reference distribution.
inline double p_value_of(double statistic, Alternative alternative, double df) {
  if (std::isnan(df)) return stats::p_value(alternative, stats::normal_cdf(statistic), stats::normal_sf(statistic));
  return stats::p_value(alternative, stats::t_cdf(statistic, df), stats::t_sf(statistic, df));
}

/// Labels plus k score vectors → components of each predictor on the same cases and controls.
template <typename Labels, typename ScoreRows>
std::vector<DelongComponents> components_of_predictors(const Labels& y_true, const ScoreRows& score_rows,
                                                       Direction direction, const char* function) {
  std::vector<DelongComponents> parts;
  for (const auto& row : score_rows) parts.push_back(delong_components(split_by_label(y_true, row, direction, function)));
  OSTEON_CHECK_ARG(!parts.empty(), function, ": scores hold no predictor (k = 0)");
  return parts;
}

}  // namespace detail

/// k×k DeLong covariance of the AUCs of k predictors evaluated on the same cases and controls.
///
/// Example:
///   std::vector<osteon::metrics::DelongComponents> parts{osteon::metrics::delong_components(split_a),
///                                                        osteon::metrics::delong_components(split_b)};
///   Eigen::MatrixXd s = osteon::metrics::delong_cov(parts);  // s(0, 1) = cov(AUC_a, AUC_b)
inline Eigen::MatrixXd delong_cov(const std::vector<DelongComponents>& parts) {
  const auto k = static_cast<Eigen::Index>(parts.size());
  OSTEON_CHECK_ARG(k >= 1, "delong_cov: no predictor given");
  const std::size_t n_cases = parts[0].case_placements.size();
  const std::size_t n_controls = parts[0].control_placements.size();
  detail::require_variance_sizes(n_cases, n_controls, "delong_cov");
  for (const auto& part : parts) {
    OSTEON_CHECK_ARG(part.case_placements.size() == n_cases && part.control_placements.size() == n_controls,
                     "delong_cov: predictors were evaluated on different cases/controls (", n_cases, "/", n_controls,
                     " vs ", part.case_placements.size(), "/", part.control_placements.size(), ")");
  }
  Eigen::MatrixXd covariance(k, k);
  for (Eigen::Index r = 0; r < k; ++r) {
    for (Eigen::Index c = r; c < k; ++c) {
      const auto& a = parts[static_cast<std::size_t>(r)];
      const auto& b = parts[static_cast<std::size_t>(c)];
      const double s10 = detail::centred_cross_product(a.case_placements, a.auc, b.case_placements, b.auc);
      const double s01 = detail::centred_cross_product(a.control_placements, a.auc, b.control_placements, b.auc);
      covariance(r, c) = covariance(c, r) = s10 / static_cast<double>(n_cases) + s01 / static_cast<double>(n_controls);
    }
  }
  return covariance;
}

/// DeLong covariance matrix from labels and k score vectors (any iterable of iterables, e.g.
/// std::vector<std::vector<double>>; each row is one predictor on the same samples).
///
/// Example:
///   auto s = osteon::metrics::delong_cov(y, std::vector<std::vector<double>>{s100b, ndka});
template <typename Labels, typename ScoreRows>
Eigen::MatrixXd delong_cov(const Labels& y_true, const ScoreRows& score_rows, Direction direction = Direction::CasesHigher) {
  return delong_cov(detail::components_of_predictors(y_true, score_rows, direction, "delong_cov"));
}

/// DeLong variance of one AUC.
///
/// Example:
///   double var = osteon::metrics::auc_variance(y, s100b);  // pROC: var(roc(y, s100b)) = 0.0026687
template <typename Labels, typename Scores>
double auc_variance(const Labels& y_true, const Scores& y_score, Direction direction = Direction::CasesHigher) {
  const DelongComponents parts = delong_components(detail::split_by_label(y_true, y_score, direction, "auc_variance"));
  return delong_cov(std::vector<DelongComponents>{parts})(0, 0);
}

/// DeLong (Wald) interval from an AUC and its variance, clamped to [0, 1] as pROC's ci.auc does.
/// A zero variance (perfect separation, constant scores) gives the degenerate [auc, auc].
inline AucCi delong_ci_from_moments(double auc, double variance, double level) {
  stats::require_level(level, "auc_ci");
  const double half_width = detail::normal_critical_value(level) * std::sqrt(variance);
  return AucCi{auc, std::max(0.0, auc - half_width), std::min(1.0, auc + half_width), level, "delong"};
}

/// Paired DeLong test from the two AUCs and their 2×2 covariance.
/// Z = (θa − θb) / √(Sa + Sb − 2 Sab); Z = 0 when both the difference and its standard error are 0
/// (identical predictors), ±∞ when only the standard error is, as in pROC.
inline DelongTest paired_delong_from_moments(double auc_a, double auc_b, double var_a, double var_b, double cov_ab,
                                             Alternative alternative, double level) {
  stats::require_level(level, "delong_test");
  const double difference = auc_a - auc_b;
  const double sigma = std::sqrt(std::max(0.0, var_a + var_b - 2.0 * cov_ab));
  DelongTest test;
  test.auc_a = auc_a;
  test.auc_b = auc_b;
  test.statistic = (difference == 0.0 && sigma == 0.0) ? 0.0 : difference / sigma;
  test.p_value = detail::p_value_of(test.statistic, alternative, std::numeric_limits<double>::quiet_NaN());
  const double half_width = detail::normal_critical_value(level) * sigma;
  test.ci_low = difference - half_width;
  test.ci_high = difference + half_width;
  test.level = level;
  test.alternative = alternative;
  test.paired = true;
  return test;
}

/// Paired DeLong test of two predictors on the same cases and controls, equal to pROC's
/// roc.test(method = "delong", paired = TRUE): statistic Z, p-value, and the CI of AUC_a − AUC_b.
///
/// Example:
///   auto t = osteon::metrics::delong_test(y, wfns, s100b);
///   // pROC (aSAH): Z = 2.209, p = 0.02718
template <typename Labels, typename ScoresA, typename ScoresB>
DelongTest delong_test(const Labels& y_true, const ScoresA& score_a, const ScoresB& score_b,
                       Direction direction = Direction::CasesHigher, Alternative alternative = Alternative::TwoSided,
                       double level = 0.95) {
  const std::vector<DelongComponents> parts{
      delong_components(detail::split_by_label(y_true, score_a, direction, "delong_test", "y_true", "score_a")),
      delong_components(detail::split_by_label(y_true, score_b, direction, "delong_test", "y_true", "score_b"))};
  const Eigen::MatrixXd s = delong_cov(parts);
  return paired_delong_from_moments(parts[0].auc, parts[1].auc, s(0, 0), s(1, 1), s(0, 1), alternative, level);
}

/// Unpaired DeLong test from each AUC, its variance and its total sample size (cases + controls).
/// D = (θa − θb) / √(Sa + Sb), Welch–Satterthwaite df = (Sa + Sb)² / (Sa²/(Na − 1) + Sb²/(Nb − 1))
/// with N the total sample size, as pROC 1.18 does. pROC gives no interval here; osteon adds the
/// Welch interval d ± t(df, 1 − α/2)·√(Sa + Sb). Where both variances are 0 (two perfect curves)
/// pROC returns NaN; osteon returns D = 0, p = 1 when the AUCs are equal and D = ±∞, p = 0 when
/// they differ, with df = NaN.
inline DelongTest unpaired_delong_from_moments(double auc_a, double var_a, std::int64_t total_a, double auc_b,
                                               double var_b, std::int64_t total_b, Alternative alternative,
                                               double level) {
  stats::require_level(level, "delong_test_unpaired");
  const double difference = auc_a - auc_b;
  const double pooled = var_a + var_b;
  DelongTest test;
  test.auc_a = auc_a;
  test.auc_b = auc_b;
  test.level = level;
  test.alternative = alternative;
  test.paired = false;
  if (pooled > 0.0) {
    test.statistic = difference / std::sqrt(pooled);
    test.df = pooled * pooled /
              (var_a * var_a / static_cast<double>(total_a - 1) + var_b * var_b / static_cast<double>(total_b - 1));
    test.p_value = detail::p_value_of(test.statistic, alternative, test.df);
    const double half_width = stats::t_quantile(stats::two_sided_probability(level), test.df) * std::sqrt(pooled);
    test.ci_low = difference - half_width;
    test.ci_high = difference + half_width;
  } else {
    constexpr double inf = std::numeric_limits<double>::infinity();
    test.statistic = difference == 0.0 ? 0.0 : (difference > 0.0 ? inf : -inf);
    test.p_value = detail::p_value_of(test.statistic, alternative, std::numeric_limits<double>::quiet_NaN());
    test.ci_low = test.ci_high = difference;
  }
  return test;
}

/// Unpaired DeLong test of two ROC curves on different samples, equal to pROC's
/// roc.test(method = "delong", paired = FALSE).
///
/// Example:
///   auto t = osteon::metrics::delong_test_unpaired(y_site1, score_site1, y_site2, score_site2);
template <typename LabelsA, typename ScoresA, typename LabelsB, typename ScoresB>
DelongTest delong_test_unpaired(const LabelsA& y_a, const ScoresA& score_a, const LabelsB& y_b,
                                const ScoresB& score_b, Direction direction = Direction::CasesHigher,
                                Alternative alternative = Alternative::TwoSided, double level = 0.95) {
  const DelongComponents a = delong_components(detail::split_by_label(y_a, score_a, direction, "delong_test_unpaired", "y_a", "score_a"));
  const DelongComponents b = delong_components(detail::split_by_label(y_b, score_b, direction, "delong_test_unpaired", "y_b", "score_b"));
  const double var_a = delong_cov(std::vector<DelongComponents>{a})(0, 0);
  const double var_b = delong_cov(std::vector<DelongComponents>{b})(0, 0);
  const auto total = [](const DelongComponents& p) {
    return static_cast<std::int64_t>(p.case_placements.size() + p.control_placements.size());
  };
  return unpaired_delong_from_moments(a.auc, var_a, total(a), b.auc, var_b, total(b), alternative, level);
}

/// The default contrast for k predictors: rows e₀ − eⱼ (j = 1..k−1), testing that all AUCs are equal.
inline Eigen::MatrixXd all_equal_contrast(Eigen::Index k) {
  OSTEON_CHECK_ARG(k >= 2, "delong_contrast_test: needs at least 2 predictors, got ", k);
  Eigen::MatrixXd contrast = Eigen::MatrixXd::Zero(k - 1, k);
  for (Eigen::Index j = 1; j < k; ++j) {
    contrast(j - 1, 0) = 1.0;
    contrast(j - 1, j) = -1.0;
  }
  return contrast;
}

/// Contrast test of k correlated AUCs from their values and DeLong covariance (DeLong 1988, eq. 5):
/// χ² = (Lθ)ᵀ (L S Lᵀ)⁺ (Lθ) with rank(L S Lᵀ) degrees of freedom (pseudo-inverse, so a
/// singular contrast — e.g. two identical predictors — still gives a test on the remaining rank).
inline DelongContrastTest delong_contrast_from_moments(const Eigen::VectorXd& aucs, const Eigen::MatrixXd& covariance,
                                                       const Eigen::MatrixXd& contrast) {
  OSTEON_CHECK_ARG(covariance.rows() == aucs.size() && covariance.cols() == aucs.size(),
                   "delong_contrast_test: covariance must be ", aucs.size(), "x", aucs.size(), ", got ",
                   covariance.rows(), "x", covariance.cols());
  OSTEON_CHECK_ARG(contrast.cols() == aucs.size(), "delong_contrast_test: contrast must have ", aucs.size(),
                   " columns (one per predictor), got ", contrast.cols());
  const Eigen::VectorXd difference = contrast * aucs;
  const Eigen::MatrixXd contrast_cov = contrast * covariance * contrast.transpose();
  Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> decomposition(contrast_cov);
  decomposition.setThreshold(1e-12);
  DelongContrastTest test;
  test.aucs.assign(aucs.data(), aucs.data() + aucs.size());
  test.df = static_cast<double>(decomposition.rank());
  OSTEON_CHECK_ARG(test.df > 0, "delong_contrast_test: the contrast has zero variance (L S L^T has rank 0); "
                                "the predictors' AUCs cannot be compared");
  test.statistic = difference.dot(decomposition.pseudoInverse() * difference);
  test.p_value = stats::chi_squared_sf(test.statistic, test.df);
  return test;
}

/// Contrast test of k ≥ 2 predictors on the same samples; by default tests H0: all AUCs equal.
/// For k = 2 it equals the two-sided paired DeLong test (χ² = Z²).
///
/// Example:
///   auto t = osteon::metrics::delong_contrast_test(y, std::vector<std::vector<double>>{a, b, c});
template <typename Labels, typename ScoreRows>
DelongContrastTest delong_contrast_test(const Labels& y_true, const ScoreRows& score_rows,
                                        Direction direction = Direction::CasesHigher,
                                        const Eigen::MatrixXd& contrast = Eigen::MatrixXd()) {
  const auto parts = detail::components_of_predictors(y_true, score_rows, direction, "delong_contrast_test");
  Eigen::VectorXd aucs(static_cast<Eigen::Index>(parts.size()));
  for (std::size_t i = 0; i < parts.size(); ++i) aucs(static_cast<Eigen::Index>(i)) = parts[i].auc;
  const Eigen::MatrixXd l = contrast.size() == 0 ? all_equal_contrast(aucs.size()) : contrast;
  return delong_contrast_from_moments(aucs, delong_cov(parts), l);
}

}  // namespace osteon::metrics
