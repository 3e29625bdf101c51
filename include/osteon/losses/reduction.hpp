#pragma once
/// @file
/// How a loss tensor is reduced: torch's `kNone` / `kMean` / `kSum`, plus the mean over the
/// positions that count when some are ignored (as torch's cross_entropy does with ignore_index).

#include <torch/torch.h>

namespace osteon::losses {

/// `torch::kNone`, `torch::kMean` or `torch::kSum` (the variant torch's own loss options use).
///
/// Example:
///   auto options = osteon::losses::DiceLossOptions().reduction(torch::kSum);
using Reduction = torch::nn::CrossEntropyLossOptions::reduction_t;

namespace detail {

/// The Reduction as torch's enum (None / Mean / Sum).
inline at::Reduction::Reduction reduction_enum(const Reduction& reduction) {
  return torch::enumtype::reduction_get_enum(reduction);
}

/// Reduces `loss` over every element. `counted`, when defined, is the 0/1 mask (broadcastable
/// to `loss`) of the elements that count: `loss` must already be 0 elsewhere, and the mean divides
/// by the number of counted elements instead of `loss.numel()`. When nothing counts the mean is
/// 0, not torch's 0/0 = NaN (documented in docs/losses.md).
inline torch::Tensor reduce(const torch::Tensor& loss, const Reduction& reduction,
                            const torch::Tensor& counted = {}) {
  switch (reduction_enum(reduction)) {
    case at::Reduction::None:
      return loss;
    case at::Reduction::Sum:
      return loss.sum();
    default:
      if (!counted.defined()) return loss.mean();
      // Count on the device: no host synchronisation.
      return loss.sum() / counted.expand_as(loss).sum().clamp_min(1).to(loss.scalar_type());
  }
}

}  // namespace detail
}  // namespace osteon::losses
