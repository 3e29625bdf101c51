#pragma once
/// @file
/// Summaries of per-subject metrics over folds and cohorts, as segmentation papers report them:
/// mean ± SD (ddof explicit), median [IQR], the count of undefined (NaN) values, and a per-fold
/// table. Host-side and torch-free: it takes any iterable of doubles (a std::vector, an xtensor
/// container, a tensor copied to the host by the caller).
///
/// NaN values (undefined metrics, EmptyPolicy::Nan) are left out and counted, never averaged as
/// 0; a summary with no defined value is NaN throughout. Infinite values (one-sided empty
/// surfaces) are kept: the mean is then ±inf and the SD NaN, while the median and IQR stay
/// meaningful. Quantiles are numpy's default ("linear", Hyndman & Fan 1996 type 7).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/host_array.hpp"
#include "osteon/stats/descriptive.hpp"
#include "osteon/stats/quantile.hpp"

namespace osteon::metrics {

/// NaN-aware summary of one sample of metric values.
struct Summary {
  std::size_t n = 0;           ///< defined (non-NaN) values summarised
  std::size_t n_nan = 0;       ///< NaN values left out
  std::size_t n_infinite = 0;  ///< ±inf values among the n
  int ddof = 1;                ///< delta degrees of freedom of `sd`
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();  ///< NaN when n <= ddof or a value is infinite
  double median = std::numeric_limits<double>::quiet_NaN();
  double q1 = std::numeric_limits<double>::quiet_NaN();  ///< 25th percentile
  double q3 = std::numeric_limits<double>::quiet_NaN();  ///< 75th percentile
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
};


/// Summarises `values`: mean ± SD with `ddof` (1 = sample SD, R's sd(); numpy's np.std uses 0),
/// median [Q1, Q3], min, max, leaving NaN out and counting it.
///
/// Example:
///   auto s = osteon::metrics::summarize(std::vector<double>{0.91, NAN, 0.93, 0.95});
///   // s.n == 3, s.n_nan == 1, s.mean == 0.93, s.sd == 0.02, s.median == 0.93
template <typename Values>
Summary summarize(const Values& values, int ddof = 1) {
  OSTEON_CHECK_ARG(ddof >= 0, "summarize: ddof must be >= 0, got ", ddof);
  Summary out;
  out.ddof = ddof;
  std::vector<double> defined;
  for (double v : osteon::detail::copy_as<double>(values)) {
    if (std::isnan(v)) {
      ++out.n_nan;
    } else {
      defined.push_back(v);
      if (std::isinf(v)) ++out.n_infinite;
    }
  }
  out.n = defined.size();
  if (defined.empty()) return out;
  std::sort(defined.begin(), defined.end());
  out.min = defined.front();
  out.max = defined.back();
  out.median = stats::quantile_sorted(defined, 0.5);
  out.q1 = stats::quantile_sorted(defined, 0.25);
  out.q3 = stats::quantile_sorted(defined, 0.75);
  if (out.n_infinite > 0) {
    // The mean of values containing +inf is +inf (NaN if -inf is there too); no SD exists.
    double total = 0.0;
    for (double v : defined) total += std::isinf(v) ? v : 0.0;
    out.mean = total;
    return out;
  }
  if (out.n > static_cast<std::size_t>(ddof)) {
    const auto m = stats::mean_sd(defined, ddof);
    out.mean = m.mean;
    out.sd = m.sd;
  } else {
    out.mean = stats::mean_sd(defined, 0).mean;  // a mean exists; the SD with this ddof does not
  }
  return out;
}

/// "mean ± SD" with `digits` decimals after multiplying by `scale` (100 for percent).
///
/// Example:
///   osteon::metrics::format_mean_sd(s, 2, 100.0);  // "81.86 ± 1.55"
inline std::string format_mean_sd(const Summary& s, int digits = 3, double scale = 1.0) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << s.mean * scale << " ± " << s.sd * scale;
  return out.str();
}

/// "median [Q1, Q3]" with `digits` decimals after multiplying by `scale`.
///
/// Example:
///   osteon::metrics::format_median_iqr(s);  // "0.930 [0.920, 0.940]"
inline std::string format_median_iqr(const Summary& s, int digits = 3, double scale = 1.0) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << s.median * scale << " [" << s.q1 * scale << ", "
      << s.q3 * scale << "]";
  return out.str();
}

/// A metric over the folds of a cross-validation (or the cohorts of a study).
struct FoldTable {
  std::vector<Summary> folds;  ///< one summary per fold, over its subjects
  Summary pooled;              ///< over every subject of every fold
  /// Over the per-fold means (folds whose mean is NaN count in n_nan): the "81.86 % ± 1.55 %
  /// across folds" of papers, which is not the pooled SD.
  Summary across_folds;
};

/// Builds the per-fold table of one metric from its per-subject values in each fold.
///
/// Example:
///   std::vector<std::vector<double>> dice_by_fold{{0.82, 0.80}, {0.84, NAN, 0.83}, {0.79, 0.81}};
///   auto table = osteon::metrics::fold_table(dice_by_fold);
///   // table.folds[1].n_nan == 1; table.across_folds.mean == mean of the three fold means
template <typename Folds>
FoldTable fold_table(const Folds& folds, int ddof = 1) {
  FoldTable table;
  std::vector<double> pooled, fold_means;
  for (const auto& fold : folds) {
    const auto values = osteon::detail::copy_as<double>(fold);
    table.folds.push_back(summarize(values, ddof));
    fold_means.push_back(table.folds.back().mean);
    pooled.insert(pooled.end(), values.begin(), values.end());
  }
  OSTEON_CHECK_ARG(!table.folds.empty(), "fold_table: folds must hold at least one fold, got 0");
  table.pooled = summarize(pooled, ddof);
  table.across_folds = summarize(fold_means, ddof);
  return table;
}

}  // namespace osteon::metrics
