#pragma once
/// @file
/// Mean ± SD, the way papers report Dice over folds. The SD's delta degrees of freedom are
/// explicit: ddof = 1 (the sample SD, R's sd(), pandas' std()) is the default; numpy's np.std
/// defaults to ddof = 0, a common source of mismatched tables.

#include <cstddef>
#include <cmath>

#include "osteon/core/check.hpp"
#include "osteon/stats/samples.hpp"

namespace osteon::stats {

/// Mean and standard deviation of one sample.
struct MeanSd {
  double mean = 0.0;
  double sd = 0.0;     ///< sqrt(Σ(x − mean)² / (n − ddof))
  std::size_t n = 0;   ///< sample size
  int ddof = 1;        ///< delta degrees of freedom used for `sd`
};

/// Mean and SD with `ddof` delta degrees of freedom (two-pass, as numpy). Needs n > ddof: with
/// ddof = 1 a single value has no SD, and that is an error, not a silent 0.
///
/// Example:
///   auto dice = osteon::stats::mean_sd(std::vector<double>{0.91, 0.93, 0.90, 0.94});
///   // dice.mean == 0.92, dice.sd == 0.018257418583505554 (ddof = 1)
template <typename Values>
MeanSd mean_sd(const Values& values, int ddof = 1) {
  OSTEON_CHECK_ARG(ddof >= 0, "mean_sd: ddof must be >= 0, got ", ddof);
  const auto sample = detail::finite_sample(values, "mean_sd", "values", 1);
  OSTEON_CHECK_ARG(sample.size() > static_cast<std::size_t>(ddof), "mean_sd: values needs more than ddof=", ddof,
                   " values for a standard deviation, got n=", sample.size());
  MeanSd out;
  out.n = sample.size();
  out.ddof = ddof;
  out.mean = detail::mean(sample);
  out.sd = std::sqrt(detail::sum_squared_deviations(sample, out.mean) / static_cast<double>(out.n - ddof));
  return out;
}

}  // namespace osteon::stats
