#pragma once
/// @file
/// What turns logits into the probabilities a region loss (Dice, Tversky) compares: sigmoid,
/// softmax over the channels, a user function (MONAI's `other_act`) or nothing; and the
/// precision the losses compute in.

#include <functional>

#include <torch/torch.h>

#include "osteon/core/check.hpp"
#include "osteon/core/warnings.hpp"

namespace osteon::losses {

/// A user activation applied to the (B, C, spatial...) prediction (MONAI's `other_act`).
///
/// Example:
///   auto options = osteon::losses::DiceLossOptions().other_act([](const torch::Tensor& x) { return torch::tanh(x); });
using Activation = std::function<torch::Tensor(const torch::Tensor&)>;

namespace detail {

/// Half and bfloat16 predictions (from autocast) are computed in float32: the losses sum millions
/// of terms and take logs, where 8 mantissa bits are not enough. Other dtypes are kept.
inline torch::Tensor in_compute_precision(const torch::Tensor& prediction) {
  const auto dtype = prediction.scalar_type();
  return (dtype == torch::kHalf || dtype == torch::kBFloat16) ? prediction.to(torch::kFloat)
                                                             : prediction;
}

/// Throws std::invalid_argument when more than one activation is requested.
inline void check_single_activation(const char* fn, bool sigmoid, bool softmax,
                                    const Activation& other_act) {
  OSTEON_CHECK_ARG(int(sigmoid) + int(softmax) + int(static_cast<bool>(other_act)) <= 1, fn,
                   ": at most one of sigmoid, softmax and other_act may be set, got sigmoid=",
                   sigmoid, ", softmax=", softmax, ", other_act=", other_act ? "set" : "none");
}

/// Applies the requested activation over the channel dimension 1. As in MONAI, softmax over a
/// single channel is skipped (it would be constant 1) with a warning.
inline torch::Tensor activate(const torch::Tensor& logits, const char* fn, bool sigmoid,
                              bool softmax, const Activation& other_act) {
  check_single_activation(fn, sigmoid, softmax, other_act);
  if (sigmoid) return torch::sigmoid(logits);
  if (softmax) {
    if (logits.size(1) > 1) return torch::softmax(logits, 1);
    osteon::warn(fn, ": single-channel prediction, softmax=true ignored");
  }
  if (other_act) return other_act(logits);
  return logits;
}

}  // namespace detail
}  // namespace osteon::losses
