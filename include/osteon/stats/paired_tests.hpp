#pragma once
/// @file
/// Paired comparisons, as reader studies and model-versus-model tables use them: the paired
/// t-test and the Wilcoxon signed-rank test (Wilcoxon 1945). Numbers equal scipy.stats.ttest_rel
/// and scipy.stats.wilcoxon; where scipy 1.10 is wrong (exact p-values with tied ranks) osteon
/// follows later scipy and says so in docs/stats.md.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/stats/alternative.hpp"
#include "osteon/stats/distributions.hpp"
#include "osteon/stats/ranks.hpp"
#include "osteon/stats/samples.hpp"

namespace osteon::stats {

/// Result of a paired t-test of the differences a − b.
struct PairedTTest {
  double statistic = 0.0;        ///< t = mean(d) / (sd(d) / sqrt(n))
  double p_value = 1.0;
  double df = 0.0;               ///< n − 1
  double mean_difference = 0.0;  ///< mean of a − b
  double sd_difference = 0.0;    ///< SD of a − b (ddof = 1)
  double ci_low = 0.0;           ///< confidence interval of the mean difference (−inf for "less")
  double ci_high = 0.0;          ///< (+inf for "greater")
  double level = 0.95;
  std::size_t n = 0;
};

/// Paired t-test of a − b (Student 1908). Equals scipy.stats.ttest_rel(a, b, alternative=...)
/// and its confidence_interval(level). Needs n ≥ 2 and differences that are not all equal
/// (then t is ±inf or 0/0, which osteon reports as an error rather than a number).
///
/// Example:
///   auto t = osteon::stats::paired_ttest(std::vector<double>{0.81, 0.77, 0.90, 0.85},
///                                        std::vector<double>{0.78, 0.74, 0.86, 0.84});
///   // t.mean_difference ≈ 0.0275, t.statistic ≈ 4.371, t.df == 3, t.p_value ≈ 0.02215
template <typename A, typename B>
PairedTTest paired_ttest(const A& a, const B& b, Alternative alternative = Alternative::TwoSided,
                         double level = 0.95) {
  require_level(level, "paired_ttest");
  const auto diffs = detail::paired_differences(a, b, "paired_ttest");
  PairedTTest out;
  out.n = diffs.values.size();
  out.level = level;
  const double n = static_cast<double>(out.n);
  out.df = n - 1.0;
  out.mean_difference = diffs.mean;
  out.sd_difference = diffs.sd;
  OSTEON_CHECK_ARG(out.sd_difference > 0.0, "paired_ttest: every difference a - b equals ", diffs.values[0],
                   "; the t statistic is undefined for zero variance");
  const double se = out.sd_difference / std::sqrt(n);
  out.statistic = out.mean_difference / se;
  const double inf = std::numeric_limits<double>::infinity();
  out.p_value = p_value(alternative, t_cdf(out.statistic, out.df), t_sf(out.statistic, out.df));
  switch (alternative) {
    case Alternative::TwoSided: {
      const double h = t_quantile(two_sided_probability(level), out.df) * se;
      out.ci_low = out.mean_difference - h;
      out.ci_high = out.mean_difference + h;
      break;
    }
    case Alternative::Less:
      out.ci_low = -inf;
      out.ci_high = out.mean_difference + t_quantile(level, out.df) * se;
      break;
    case Alternative::Greater:
      out.ci_low = out.mean_difference - t_quantile(level, out.df) * se;
      out.ci_high = inf;
      break;
  }
  return out;
}

/// How the signed-rank test treats zero differences (scipy's `zero_method`).
enum class ZeroMethod {
  Wilcox,  ///< "wilcox": drop zeros before ranking (Wilcoxon 1945; the default)
  Pratt,   ///< "pratt": rank zeros with the rest, then drop their ranks (Pratt 1959)
  ZSplit,  ///< "zsplit": rank zeros, split their ranks half to each sign
};

/// How the p-value is computed (scipy's `method`).
enum class WilcoxonMethod {
  Auto,    ///< exact when n ≤ 50 and there are no zeros and no tied |differences|, else approx
  Exact,   ///< exact null distribution of R+; refuses zeros and ties
  Approx,  ///< normal approximation with the tie correction of the variance
};

/// Result of a Wilcoxon signed-rank test of a − b.
struct WilcoxonSignedRank {
  double statistic = 0.0;  ///< scipy's: min(R+, R−) for "two-sided", R+ for one-sided alternatives
  double r_plus = 0.0;     ///< sum of the ranks of positive differences
  double r_minus = 0.0;    ///< sum of the ranks of negative differences
  double z = std::numeric_limits<double>::quiet_NaN();  ///< normal score; NaN when method == "exact"
  double p_value = 1.0;
  std::string method;      ///< "exact" or "approx": the one actually used
  std::size_t n = 0;       ///< differences ranked (zeros excluded for zero_method "wilcox")
  std::size_t n_zero = 0;  ///< zero differences in the input
  bool has_ties = false;   ///< tied |differences| among the ranked ones
};

inline ZeroMethod parse_zero_method(std::string_view text) {
  if (text == "wilcox") return ZeroMethod::Wilcox;
  if (text == "pratt") return ZeroMethod::Pratt;
  if (text == "zsplit") return ZeroMethod::ZSplit;
  throw std::invalid_argument(osteon::detail::concat(
      "wilcoxon_signed_rank: zero_method must be \"wilcox\", \"pratt\" or \"zsplit\", got \"", text, "\""));
}

inline WilcoxonMethod parse_wilcoxon_method(std::string_view text) {
  if (text == "auto") return WilcoxonMethod::Auto;
  if (text == "exact") return WilcoxonMethod::Exact;
  if (text == "approx") return WilcoxonMethod::Approx;
  throw std::invalid_argument(osteon::detail::concat(
      "wilcoxon_signed_rank: method must be \"auto\", \"exact\" or \"approx\", got \"", text, "\""));
}

namespace detail {

/// Largest n for the exact distribution: the table costs O(n³) and n = 400 already takes ~10 ms.
inline constexpr std::size_t kWilcoxonExactMaxN = 400;

/// Number of subsets of {1, …, n} for every rank sum 0 … n(n+1)/2, i.e. 2ⁿ × the null pmf of R+.
/// Counts are exact in doubles up to n = 52 (< 2⁵³).
inline std::vector<double> signed_rank_sum_counts(std::size_t n) {
  const std::size_t max_sum = n * (n + 1) / 2;
  std::vector<double> counts(max_sum + 1, 0.0);
  counts[0] = 1.0;
  for (std::size_t k = 1; k <= n; ++k) {
    const std::size_t reach = k * (k + 1) / 2;
    for (std::size_t s = reach; s >= k; --s) counts[s] += counts[s - k];
  }
  return counts;
}

/// Exact p-value of R+ = `r_plus` among `n` untied non-zero differences (as scipy's exact mode).
inline double exact_signed_rank_p(std::size_t n, std::size_t r_plus, Alternative alternative) {
  const std::vector<double> counts = signed_rank_sum_counts(n);
  const std::size_t max_sum = counts.size() - 1;
  double at_most = 0.0, at_least = 0.0;
  for (std::size_t s = 0; s <= r_plus; ++s) at_most += counts[s];
  for (std::size_t s = r_plus; s <= max_sum; ++s) at_least += counts[s];
  const double total = std::ldexp(1.0, static_cast<int>(n));
  if (alternative == Alternative::TwoSided && r_plus == max_sum / 2) return 1.0;  // the centre of a symmetric distribution
  return std::fmin(1.0, p_value(alternative, at_most / total, at_least / total));
}

}  // namespace detail

/// Wilcoxon signed-rank test of the paired differences a − b. Equals
/// scipy.stats.wilcoxon(a, b, zero_method, correction, alternative, method); with
/// method = Auto, osteon switches to the normal approximation when |differences| tie (scipy 1.10
/// would truncate the half-integer R+ into its exact table; scipy ≥ 1.11 switches too).
///
/// The normal approximation: z = (T − μ − c) / σ with μ = n(n+1)/4,
/// σ² = [n(n+1)(2n+1) − ½Σ(t³ − t)] / 24 over tie groups of size t, c the optional continuity
/// correction; Pratt's zeros subtract their own share (Cureton 1967).
///
/// Example:
///   auto w = osteon::stats::wilcoxon_signed_rank(std::vector<double>{1, 2, 3, 4, 5, 6, 7},
///                                                std::vector<double>{0, 0, 0, 0, 0, 0, -0.5});
///   // w.statistic == 0, w.p_value == 0.015625 (exact: 2 / 2^7)
template <typename A, typename B>
WilcoxonSignedRank wilcoxon_signed_rank(const A& a, const B& b, ZeroMethod zero_method = ZeroMethod::Wilcox,
                                        bool correction = false, Alternative alternative = Alternative::TwoSided,
                                        WilcoxonMethod method = WilcoxonMethod::Auto) {
  std::vector<double> diffs = detail::differences(detail::paired_samples(a, b, "wilcoxon_signed_rank", "a", "b", 1));
  WilcoxonSignedRank out;
  for (double d : diffs) out.n_zero += (d == 0.0);
  OSTEON_CHECK_ARG(out.n_zero < diffs.size() || zero_method == ZeroMethod::ZSplit,
                   "wilcoxon_signed_rank: every difference a - b is zero (n=", diffs.size(),
                   "); zero_method \"wilcox\" and \"pratt\" have nothing to rank");
  if (zero_method == ZeroMethod::Wilcox && out.n_zero > 0) {
    std::vector<double> nonzero;
    for (double d : diffs)
      if (d != 0.0) nonzero.push_back(d);
    diffs.swap(nonzero);
  }
  std::vector<double> magnitudes(diffs.size());
  for (std::size_t i = 0; i < diffs.size(); ++i) magnitudes[i] = std::fabs(diffs[i]);
  const detail::AverageRanks ranked = detail::average_ranks(magnitudes);

  double r_zero = 0.0;
  std::vector<double> kept_ranks;  // the ranks entering the tie correction
  for (std::size_t i = 0; i < diffs.size(); ++i) {
    const double rank = ranked.ranks[i];
    if (diffs[i] > 0.0) out.r_plus += rank;
    else if (diffs[i] < 0.0) out.r_minus += rank;
    else r_zero += rank;
    if (zero_method != ZeroMethod::Pratt || diffs[i] != 0.0) kept_ranks.push_back(rank);
  }
  if (zero_method == ZeroMethod::ZSplit) {
    out.r_plus += r_zero / 2.0;
    out.r_minus += r_zero / 2.0;
  }
  const detail::AverageRanks kept_ties = detail::average_ranks(kept_ranks);
  out.has_ties = !kept_ties.tie_sizes.empty();
  out.n = diffs.size();
  out.statistic = alternative == Alternative::TwoSided ? std::fmin(out.r_plus, out.r_minus) : out.r_plus;

  const bool exact_possible = out.n_zero == 0 && !out.has_ties;
  if (method == WilcoxonMethod::Exact) {
    OSTEON_CHECK_ARG(exact_possible, "wilcoxon_signed_rank: method \"exact\" needs differences without zeros "
                     "and without tied magnitudes, got ", out.n_zero, " zeros and ",
                     kept_ties.tie_sizes.size(), " tie groups; use method=\"approx\" or \"auto\"");
    OSTEON_CHECK_ARG(out.n <= detail::kWilcoxonExactMaxN, "wilcoxon_signed_rank: method \"exact\" supports n <= ",
                     detail::kWilcoxonExactMaxN, ", got n=", out.n, "; use method=\"approx\"");
  }
  const bool use_exact = method == WilcoxonMethod::Exact || (method == WilcoxonMethod::Auto && exact_possible && out.n <= 50);
  if (use_exact) {
    out.method = "exact";
    out.p_value = detail::exact_signed_rank_p(out.n, static_cast<std::size_t>(out.r_plus), alternative);
    return out;
  }

  out.method = "approx";
  const double count = static_cast<double>(out.n);
  double mean = count * (count + 1.0) * 0.25;
  double variance = count * (count + 1.0) * (2.0 * count + 1.0);
  if (zero_method == ZeroMethod::Pratt) {
    const double zeros = static_cast<double>(out.n_zero);
    mean -= zeros * (zeros + 1.0) * 0.25;
    variance -= zeros * (zeros + 1.0) * (2.0 * zeros + 1.0);
  }
  for (std::size_t t : kept_ties.tie_sizes) {
    const double size = static_cast<double>(t);
    variance -= 0.5 * size * (size * size - 1.0);
  }
  const double sigma = std::sqrt(variance / 24.0);
  double continuity = 0.0;
  if (correction) {
    if (alternative == Alternative::TwoSided) continuity = out.statistic > mean ? 0.5 : (out.statistic < mean ? -0.5 : 0.0);
    else continuity = alternative == Alternative::Less ? -0.5 : 0.5;
  }
  out.z = (out.statistic - mean - continuity) / sigma;
  out.p_value = p_value(alternative, normal_cdf(out.z), normal_sf(out.z));
  return out;
}

}  // namespace osteon::stats
