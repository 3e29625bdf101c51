#pragma once
/// @file
/// Host inputs: osteon's host API takes any iterable of numbers — std::vector, std::array,
/// a C array, an xtensor container or expression — and copies it once into a std::vector of the
/// element type the algorithm works in. The copy is O(n) beside an O(n log n) sort.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::detail {

/// Copies `values` into a std::vector<T>.
template <typename T, typename Iterable>
std::vector<T> copy_as(const Iterable& values) {
  using std::begin;
  using std::end;
  std::vector<T> out;
  if constexpr (std::is_same_v<typename std::iterator_traits<decltype(begin(values))>::iterator_category,
                               std::random_access_iterator_tag>) {
    out.reserve(static_cast<std::size_t>(std::distance(begin(values), end(values))));
  }
  for (auto it = begin(values); it != end(values); ++it) out.push_back(static_cast<T>(*it));
  return out;
}

/// Copies scores into doubles, refusing NaN and ±Inf: a non-finite score has no rank.
template <typename Iterable>
std::vector<double> finite_scores(const Iterable& values, const char* function, const char* argument) {
  std::vector<double> scores = copy_as<double>(values);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    OSTEON_CHECK_ARG(std::isfinite(scores[i]), function, ": ", argument, "[", i,
                     "] is not finite (", scores[i], "); remove or impute it first");
  }
  return scores;
}

/// Copies binary labels, refusing anything but 0 and 1 (1 = case / positive class).
template <typename Iterable>
std::vector<std::uint8_t> binary_labels(const Iterable& values, const char* function, const char* argument) {
  using std::begin;
  using std::end;
  std::vector<std::uint8_t> labels;
  std::size_t index = 0;
  for (auto it = begin(values); it != end(values); ++it, ++index) {
    const double label = static_cast<double>(*it);
    OSTEON_CHECK_ARG(label == 0.0 || label == 1.0, function, ": ", argument, "[", index,
                     "] must be 0 (control) or 1 (case), got ", label);
    labels.push_back(static_cast<std::uint8_t>(label));
  }
  return labels;
}

}  // namespace osteon::detail
