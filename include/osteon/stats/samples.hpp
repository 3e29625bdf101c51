#pragma once
/// @file
/// Reading host samples for the statistics: one finite sample, or two paired samples of equal
/// length. Every statistic in osteon::stats starts here, so the checks and their messages are the
/// same everywhere.

#include <cmath>
#include <cstddef>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/host_array.hpp"

namespace osteon::stats::detail {

/// Copies one sample into doubles; refuses NaN/Inf and fewer than `min_size` values.
template <typename Values>
std::vector<double> finite_sample(const Values& values, const char* function, const char* argument,
                                  std::size_t min_size) {
  std::vector<double> sample = osteon::detail::finite_scores(values, function, argument);
  OSTEON_CHECK_ARG(sample.size() >= min_size, function, ": ", argument, " needs at least ", min_size,
                   " values, got ", sample.size());
  return sample;
}

/// Two samples of the same subjects (measured twice, or predicted and true).
struct PairedSamples {
  std::vector<double> first;
  std::vector<double> second;
};

/// Copies two paired samples; refuses NaN/Inf, unequal lengths and fewer than `min_size` pairs.
template <typename First, typename Second>
PairedSamples paired_samples(const First& first, const Second& second, const char* function,
                             const char* first_name, const char* second_name, std::size_t min_size) {
  PairedSamples pair{osteon::detail::finite_scores(first, function, first_name),
                     osteon::detail::finite_scores(second, function, second_name)};
  OSTEON_CHECK_ARG(pair.first.size() == pair.second.size(), function, ": ", first_name, " and ", second_name,
                   " differ in length (", pair.first.size(), " vs ", pair.second.size(), ")");
  OSTEON_CHECK_ARG(pair.first.size() >= min_size, function, ": needs at least ", min_size, " pairs, got ",
                   pair.first.size());
  return pair;
}

/// Element-wise first − second.
inline std::vector<double> differences(const PairedSamples& pair) {
  std::vector<double> out(pair.first.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = pair.first[i] - pair.second[i];
  return out;
}

/// Arithmetic mean (two-pass callers subtract it before squaring, as numpy does).
inline double mean(const std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

/// Sum of squared deviations from `center`.
inline double sum_squared_deviations(const std::vector<double>& values, double center) {
  double sum = 0.0;
  for (double v : values) sum += (v - center) * (v - center);
  return sum;
}

/// The differences a − b of two paired samples (at least two pairs) with their mean and sample SD
/// (ddof 1, two-pass): what the paired t-test and Bland–Altman share.
struct PairedDifferences {
  std::vector<double> values;
  double mean = 0.0;
  double sd = 0.0;
};

template <typename A, typename B>
PairedDifferences paired_differences(const A& a, const B& b, const char* function) {
  PairedDifferences out;
  out.values = differences(paired_samples(a, b, function, "a", "b", 2));
  out.mean = mean(out.values);
  out.sd = std::sqrt(sum_squared_deviations(out.values, out.mean) / static_cast<double>(out.values.size() - 1));
  return out;
}

}  // namespace osteon::stats::detail
