#pragma once
/// @file
/// The alternative hypothesis of a test, spelled as scipy.stats and R spell it.

#include <string_view>

#include "osteon/core/check.hpp"

namespace osteon::stats {

/// Which alternative a p-value is computed against.
enum class Alternative {
  TwoSided,  ///< "two-sided": the effect differs from 0
  Less,      ///< "less": the effect is below 0 (first sample lower)
  Greater,   ///< "greater": the effect is above 0 (first sample higher)
};

/// Parses "two-sided" (or R's "two.sided", or "two_sided"), "less", "greater".
inline Alternative parse_alternative(std::string_view text, const char* function) {
  if (text == "two-sided" || text == "two.sided" || text == "two_sided") return Alternative::TwoSided;
  if (text == "less") return Alternative::Less;
  if (text == "greater") return Alternative::Greater;
  throw std::invalid_argument(osteon::detail::concat(function, ": alternative must be \"two-sided\", \"less\" or \"greater\", got \"", text, "\""));
}

}  // namespace osteon::stats
