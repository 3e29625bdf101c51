#pragma once
/// @file
/// Checks the compound losses (Dice + CE, Dice + focal, CE + focal, Dice + L2) share.

#include <cmath>

#include "osteon/core/check.hpp"
#include "osteon/losses/reduction.hpp"

namespace osteon::losses::detail {

/// Throws std::invalid_argument unless `lambda` is a finite value >= 0.
inline void check_lambda(const char* fn, const char* name, double lambda) {
  OSTEON_CHECK_ARG(lambda >= 0 && std::isfinite(lambda), fn, ": ", name,
                   " must be a finite value >= 0, got ", lambda);
}

/// Throws std::invalid_argument for kNone in a compound whose parts have different shapes.
inline void check_compound_reduction(const char* fn, const Reduction& reduction) {
  OSTEON_CHECK_ARG(reduction_enum(reduction) != at::Reduction::None, fn,
                   ": reduction must be mean or sum (the parts do not share an unreduced shape), ",
                   "got none");
}

}  // namespace osteon::losses::detail
