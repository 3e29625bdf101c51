#pragma once
/// @file
/// Venkatraman's permutation tests that two ROC curves are equal at every operating point, as
/// pROC 1.18's roc.test(method = "venkatraman") computes them:
/// - paired (Venkatraman & Begg 1996, Biometrika 83:835–848): with R, S the ranks of the two
///   predictors (ties broken by position, R's ties.method = "first"), the statistic is
///     E = Σ_{x=1..n} | (FN_S(x) + FP_S(x)) − (FN_R(x) + FP_R(x)) |,
///   FN(x) = #cases ranked ≤ x, FP(x) = #controls ranked > x (an integer: exact). A permutation
///   jitters both rank vectors by U(−½, ½), swaps the two predictors of each subject with
///   probability ½ (the swapped values unjittered, as pROC does), re-ranks and recomputes E;
/// - unpaired (Venkatraman 2000, Biometrics 56:1134–1138): with F, G the empirical distributions of
///   the ranks of cases and controls in each sample and the mixing proportion κ, the statistic is
///   the trapezoid integral of |R(p) − S(p)|, where each curve maps p = κF + (1 − κ)G to
///   κF + (1 − κ)(1 − G) by linear interpolation, over the sorted union of both curves' p where
///   both are defined. pROC's κ is (cases₁ + cases₂) / (2·n₁) (its denominator counts sample 1
///   twice); osteon uses the same so that E equals pROC's. A permutation pools the jittered
///   control ranks of both samples and the jittered case ranks, reshuffles them into the samples,
///   re-ranks and recomputes E.
/// p = #{E* ≥ E} / n_permutations, two-sided only. The ranks are of the scores as given: as in
/// pROC, the curves' direction plays no part. Permutation r draws from Pcg32(seed, r + 1)
/// (stats/replicates.hpp), so results do not depend on the thread count; they differ from pROC's
/// draw for draw (R's RNG) and agree with it to Monte-Carlo error.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/host_array.hpp"
#include "osteon/core/options.hpp"
#include "osteon/core/rng.hpp"
#include "osteon/stats/replicates.hpp"

namespace osteon::metrics {

/// Options of the Venkatraman tests.
struct VenkatramanOptions {
  OSTEON_ARG(std::int64_t, n_permutations) = 2000;  ///< pROC's boot.n
  OSTEON_ARG(std::uint64_t, seed) = 0;
  OSTEON_ARG(int, n_threads) = 0;                   ///< 0 = all cores
};

/// Result of venkatraman_test / venkatraman_test_unpaired (pROC's htest fields).
struct VenkatramanTest {
  double statistic = 0.0;  ///< E
  double p_value = 0.0;    ///< #{E* ≥ E} / n_permutations
  std::int64_t n_permutations = 0;
  bool paired = true;
};

namespace detail {

/// One sample of a Venkatraman test: 0/1 labels and the scores, in input order, checked.
struct VenkatramanSample {
  std::vector<std::uint8_t> labels;
  std::vector<double> scores;
  std::size_t n_cases = 0;
};

template <typename Labels, typename Scores>
VenkatramanSample venkatraman_sample(const Labels& y_true, const Scores& y_score, const char* function,
                                     const char* labels_name, const char* scores_name) {
  VenkatramanSample s;
  s.labels = osteon::detail::binary_labels(y_true, function, labels_name);
  s.scores = osteon::detail::finite_scores(y_score, function, scores_name);
  OSTEON_CHECK_ARG(s.labels.size() == s.scores.size(), function, ": ", labels_name, " and ", scores_name,
                   " differ in length (", s.labels.size(), " vs ", s.scores.size(), ")");
  for (std::uint8_t l : s.labels) s.n_cases += l;
  OSTEON_CHECK_ARG(s.n_cases > 0 && s.n_cases < s.labels.size(), function, ": ", labels_name,
                   " needs both cases and controls (", s.n_cases, " case(s) among ", s.labels.size(), ")");
  return s;
}

/// 1-based ranks with ties broken by position (R's rank(ties.method = "first")).
inline std::vector<double> ranks_first(const std::vector<double>& values, std::vector<std::size_t>& order) {
  order.resize(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (std::size_t k = 0; k < order.size(); ++k) ranks[order[k]] = static_cast<double>(k + 1);
  return ranks;
}

/// Paired E from two rank vectors (permutations of 1..n).
inline double venkatraman_paired_statistic(const std::vector<double>& r, const std::vector<double>& s,
                                           const std::vector<std::uint8_t>& labels, std::vector<std::uint8_t>& at_r,
                                           std::vector<std::uint8_t>& at_s) {
  const std::size_t n = labels.size();
  at_r.assign(n, 0);
  at_s.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    at_r[static_cast<std::size_t>(r[i]) - 1] = labels[i];
    at_s[static_cast<std::size_t>(s[i]) - 1] = labels[i];
  }
  // FN(x) + FP(x) = cases ranked ≤ x + (controls − controls ranked ≤ x); the controls term cancels.
  std::int64_t cases_r = 0, controls_r = 0, cases_s = 0, controls_s = 0, total = 0;
  for (std::size_t x = 0; x < n; ++x) {
    (at_r[x] ? cases_r : controls_r) += 1;
    (at_s[x] ? cases_s : controls_s) += 1;
    const std::int64_t d = (cases_s - controls_s) - (cases_r - controls_r);
    total += d < 0 ? -d : d;
  }
  return static_cast<double>(total);
}

/// One sample's curve of the unpaired statistic: p(x) and κF(x) + (1 − κ)(1 − G(x)), x = 1..n.
struct VenkatramanCurve {
  std::vector<double> p, e;
};

inline VenkatramanCurve venkatraman_curve(const std::vector<double>& ranks, const std::vector<std::uint8_t>& labels,
                                          std::size_t n_cases, double mp, std::vector<std::uint8_t>& at) {
  const std::size_t n = labels.size();
  at.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) at[static_cast<std::size_t>(ranks[i]) - 1] = labels[i];
  VenkatramanCurve c;
  c.p.resize(n);
  c.e.resize(n);
  const double nc = static_cast<double>(n_cases), nn = static_cast<double>(n - n_cases);
  std::size_t cases = 0, controls = 0;
  for (std::size_t x = 0; x < n; ++x) {
    (at[x] ? cases : controls) += 1;
    const double f = static_cast<double>(cases) / nc, g = static_cast<double>(controls) / nn;
    c.p[x] = mp * f + (1.0 - mp) * g;
    c.e[x] = mp * f + (1.0 - mp) * (1.0 - g);
  }
  return c;
}

/// R's approxfun(x, y) (linear, rule = 1) at v, as R's approx1 evaluates it; NaN outside [x₀, x_last].
inline double approx_linear(const std::vector<double>& x, const std::vector<double>& y, double v) {
  std::size_t i = 0, j = x.size() - 1;
  if (v < x[i] || v > x[j]) return std::nan("");
  while (i < j - 1) {
    const std::size_t ij = (i + j) / 2;
    if (v < x[ij]) j = ij;
    else i = ij;
  }
  if (v == x[j]) return y[j];
  if (v == x[i]) return y[i];
  return y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i]));
}

inline double venkatraman_unpaired_statistic(const VenkatramanCurve& a, const VenkatramanCurve& b,
                                             std::vector<double>& grid) {
  grid = a.p;
  grid.insert(grid.end(), b.p.begin(), b.p.end());
  std::sort(grid.begin(), grid.end());
  long double integral = 0.0L;  // R's sum() accumulates in long double
  double previous = std::fabs(approx_linear(a.p, a.e, grid[0]) - approx_linear(b.p, b.e, grid[0]));
  for (std::size_t k = 1; k < grid.size(); ++k) {
    const double y = std::fabs(approx_linear(a.p, a.e, grid[k]) - approx_linear(b.p, b.e, grid[k]));
    const double term = ((y + previous) * (grid[k] - grid[k - 1])) / 2.0;
    if (!std::isnan(term)) integral += term;
    previous = y;
  }
  return static_cast<double>(integral);
}

inline VenkatramanTest venkatraman_p_value(double statistic, const std::vector<double>& permuted, bool paired) {
  VenkatramanTest t;
  t.statistic = statistic;
  t.paired = paired;
  t.n_permutations = static_cast<std::int64_t>(permuted.size());
  std::int64_t at_least = 0;
  for (double e : permuted) at_least += e >= statistic;
  t.p_value = static_cast<double>(at_least) / static_cast<double>(permuted.size());
  return t;
}

}  // namespace detail

/// Venkatraman & Begg's (1996) paired permutation test that two predictors measured on the same
/// subjects have the same ROC curve (pROC: roc.test(roc1, roc2, method = "venkatraman")).
///
/// Example:
///   std::vector<int> y{0, 0, 1, 1, 0, 1};
///   std::vector<double> a{0.1, 0.4, 0.35, 0.8, 0.2, 0.7}, b{0.3, 0.1, 0.9, 0.6, 0.5, 0.4};
///   auto t = osteon::metrics::venkatraman_test(y, a, b,
///                osteon::metrics::VenkatramanOptions().n_permutations(500).seed(1));  // t.statistic, t.p_value
template <typename Labels, typename ScoresA, typename ScoresB>
VenkatramanTest venkatraman_test(const Labels& y_true, const ScoresA& score_a, const ScoresB& score_b,
                                 const VenkatramanOptions& options = {}) {
  const auto a = detail::venkatraman_sample(y_true, score_a, "venkatraman_test", "y_true", "score_a");
  const auto b = detail::venkatraman_sample(y_true, score_b, "venkatraman_test", "y_true", "score_b");
  OSTEON_CHECK_ARG(options.n_permutations() >= 1, "venkatraman_test: n_permutations must be >= 1, got ",
                   options.n_permutations());
  const std::size_t n = a.labels.size();
  std::vector<std::size_t> order;
  std::vector<std::uint8_t> at_r, at_s;
  const std::vector<double> r = detail::ranks_first(a.scores, order), s = detail::ranks_first(b.scores, order);
  const double observed = detail::venkatraman_paired_statistic(r, s, a.labels, at_r, at_s);
  const int threads = stats::replicate_threads(options.n_threads(), options.n_permutations());
  struct Scratch {
    std::vector<double> r3, s3;
    std::vector<std::size_t> order;
    std::vector<std::uint8_t> at_r, at_s;
  };
  std::vector<Scratch> scratch(static_cast<std::size_t>(threads));
  std::vector<double> permuted(static_cast<std::size_t>(options.n_permutations()));
  stats::parallel_replicates(options.n_permutations(), options.seed(), threads, [&](std::int64_t k, Pcg32& rng, int w) {
    Scratch& sc = scratch[static_cast<std::size_t>(w)];
    sc.r3.resize(n);
    sc.s3.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double jitter_r = rng.uniform01() - 0.5, jitter_s = rng.uniform01() - 0.5;
      const bool keep = rng.uniform01() < 0.5;  // pROC: q = 1 − round(U), U < ½ keeps the pair
      sc.r3[i] = keep ? r[i] + jitter_r : s[i];
      sc.s3[i] = keep ? s[i] + jitter_s : r[i];
    }
    const std::vector<double> rr = detail::ranks_first(sc.r3, sc.order), ss = detail::ranks_first(sc.s3, sc.order);
    permuted[static_cast<std::size_t>(k)] = detail::venkatraman_paired_statistic(rr, ss, a.labels, sc.at_r, sc.at_s);
  });
  return detail::venkatraman_p_value(observed, permuted, true);
}

/// Venkatraman's (2000) unpaired permutation test that two predictors measured on different
/// subjects have the same ROC curve (pROC: roc.test(roc1, roc2, method = "venkatraman", paired = FALSE)).
///
/// Example:
///   std::vector<int> y1{0, 0, 1, 1, 0}, y2{1, 0, 1, 0};
///   std::vector<double> s1{0.1, 0.4, 0.35, 0.8, 0.2}, s2{0.9, 0.3, 0.6, 0.5};
///   auto t = osteon::metrics::venkatraman_test_unpaired(y1, s1, y2, s2,
///                osteon::metrics::VenkatramanOptions().n_permutations(500));
template <typename LabelsA, typename ScoresA, typename LabelsB, typename ScoresB>
VenkatramanTest venkatraman_test_unpaired(const LabelsA& y_a, const ScoresA& score_a, const LabelsB& y_b,
                                          const ScoresB& score_b, const VenkatramanOptions& options = {}) {
  const char* fn = "venkatraman_test_unpaired";
  const auto a = detail::venkatraman_sample(y_a, score_a, fn, "y_a", "score_a");
  const auto b = detail::venkatraman_sample(y_b, score_b, fn, "y_b", "score_b");
  OSTEON_CHECK_ARG(options.n_permutations() >= 1, fn, ": n_permutations must be >= 1, got ", options.n_permutations());
  const std::size_t n1 = a.labels.size(), n2 = b.labels.size();
  // pROC 1.18: mp <- (cases1 + cases2) / (length(D1) + length(D1)).
  const double mp = static_cast<double>(a.n_cases + b.n_cases) / static_cast<double>(2 * n1);
  OSTEON_CHECK_ARG(mp < 1.0, fn, ": the mixing proportion (cases of both samples) / (2 · length of y_a) = ", mp,
                   " is not below 1 (pROC's formula); give the larger sample as y_a");
  std::vector<std::size_t> order;
  std::vector<std::uint8_t> at;
  std::vector<double> grid;
  const std::vector<double> r = detail::ranks_first(a.scores, order), s = detail::ranks_first(b.scores, order);
  const double observed = detail::venkatraman_unpaired_statistic(detail::venkatraman_curve(r, a.labels, a.n_cases, mp, at),
                                                                 detail::venkatraman_curve(s, b.labels, b.n_cases, mp, at),
                                                                 grid);
  std::vector<std::size_t> controls_a, cases_a, controls_b, cases_b;
  for (std::size_t i = 0; i < n1; ++i) (a.labels[i] ? cases_a : controls_a).push_back(i);
  for (std::size_t i = 0; i < n2; ++i) (b.labels[i] ? cases_b : controls_b).push_back(i);
  const int threads = stats::replicate_threads(options.n_threads(), options.n_permutations());
  struct Scratch {
    std::vector<double> r2, s2, controls, cases, grid;
    std::vector<std::size_t> order;
    std::vector<std::uint8_t> at;
  };
  std::vector<Scratch> scratch(static_cast<std::size_t>(threads));
  std::vector<double> permuted(static_cast<std::size_t>(options.n_permutations()));
  stats::parallel_replicates(options.n_permutations(), options.seed(), threads, [&](std::int64_t k, Pcg32& rng, int w) {
    Scratch& sc = scratch[static_cast<std::size_t>(w)];
    sc.r2 = r;
    sc.s2 = s;
    for (double& v : sc.r2) v += rng.uniform01() - 0.5;
    for (double& v : sc.s2) v += rng.uniform01() - 0.5;
    sc.controls.clear();
    sc.cases.clear();
    for (std::size_t i : controls_a) sc.controls.push_back(sc.r2[i]);
    for (std::size_t i : controls_b) sc.controls.push_back(sc.s2[i]);
    for (std::size_t i : cases_a) sc.cases.push_back(sc.r2[i]);
    for (std::size_t i : cases_b) sc.cases.push_back(sc.s2[i]);
    shuffle(sc.controls.begin(), sc.controls.end(), rng);
    shuffle(sc.cases.begin(), sc.cases.end(), rng);
    for (std::size_t j = 0; j < controls_a.size(); ++j) sc.r2[controls_a[j]] = sc.controls[j];
    for (std::size_t j = 0; j < controls_b.size(); ++j) sc.s2[controls_b[j]] = sc.controls[controls_a.size() + j];
    for (std::size_t j = 0; j < cases_a.size(); ++j) sc.r2[cases_a[j]] = sc.cases[j];
    for (std::size_t j = 0; j < cases_b.size(); ++j) sc.s2[cases_b[j]] = sc.cases[cases_a.size() + j];
    const auto ca = detail::venkatraman_curve(detail::ranks_first(sc.r2, sc.order), a.labels, a.n_cases, mp, sc.at);
    const auto cb = detail::venkatraman_curve(detail::ranks_first(sc.s2, sc.order), b.labels, b.n_cases, mp, sc.at);
    permuted[static_cast<std::size_t>(k)] = detail::venkatraman_unpaired_statistic(ca, cb, sc.grid);
  });
  return detail::venkatraman_p_value(observed, permuted, false);
}

}  // namespace osteon::metrics
