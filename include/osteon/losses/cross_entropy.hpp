#pragma once
/// @file
/// Cross-entropy from logits with the targets every osteon loss accepts: class indices
/// ((B, ...) or MONAI's (B, 1, ...)), dense one-hot or soft labels, and a single logit channel
/// (binary, as MONAI's DiceCELoss does with BCEWithLogitsLoss). The multi-class case is torch's
/// own cross_entropy (log-softmax + NLL, class weights, label smoothing of Szegedy et al. 2016).

#include <limits>

#include <torch/torch.h>

#include "osteon/core/options.hpp"
#include "osteon/losses/activation.hpp"
#include "osteon/losses/reduction.hpp"
#include "osteon/losses/targets.hpp"

namespace osteon::losses {

/// The cross-entropy's keywords, shared (CRTP, as RegionLossOptions) by CrossEntropyLossOptions
/// and the compound CEFocalLossOptions, whose setters they return.
///
/// Example:
///   auto options = osteon::losses::CEFocalLossOptions().label_smoothing(0.1).gamma(2);
template <typename Derived>
struct CrossEntropyTermOptions {
  /// Class weights, one per channel (torch's `weight`); with a single channel the weight of the
  /// positive class (BCEWithLogitsLoss's `pos_weight`, as in MONAI). Undefined = none.
  OSTEON_CRTP_ARG(torch::Tensor, weight) = {};
  /// Class index left out of the loss and of the mean's denominator (label maps, and the 0/1
  /// entries of a single-channel target).
  OSTEON_CRTP_ARG(int64_t, ignore_index) = -100;
  /// ε in [0, 1]: the target becomes (1 - ε) · one-hot + ε / C (C = 2 for a single channel).
  OSTEON_CRTP_ARG(double, label_smoothing) = 0.0;
  /// kNone gives input's shape less the channel axis for C > 1 and input's shape for one logit.
  OSTEON_CRTP_ARG(Reduction, reduction) = torch::kMean;

 public:
  /// `other` with this block's values.
  template <typename Other>
  Other copy_cross_entropy_options_to(Other other) const {
    other.weight(weight()).ignore_index(ignore_index()).label_smoothing(label_smoothing()).reduction(reduction());
    return other;
  }
};

/// Options of functional::cross_entropy.
///
/// Example:
///   auto options = osteon::losses::CrossEntropyLossOptions().label_smoothing(0.1).weight(torch::tensor({1.0, 3.0}));
struct CrossEntropyLossOptions : CrossEntropyTermOptions<CrossEntropyLossOptions> {};

namespace detail {

/// Host-side checks of the options (std::invalid_argument → ValueError).
inline void check_cross_entropy_options(const char* fn, const CrossEntropyLossOptions& options) {
  OSTEON_CHECK_ARG(options.label_smoothing() >= 0.0 && options.label_smoothing() <= 1.0, fn,
                   ": label_smoothing must lie in [0, 1], got ", options.label_smoothing());
  check_range_on_host(options.weight(), 0.0, std::numeric_limits<double>::infinity(), fn, "weight");
}

/// Class weights as a contiguous (C) tensor in the logits' dtype and device, or undefined.
inline torch::Tensor class_weights(const torch::Tensor& weight, const torch::Tensor& logits,
                                   const char* fn) {
  if (!weight.defined()) return {};
  return per_channel(weight, logits.size(1), logits, fn, "weight").contiguous();
}

/// A (B, 1, ...) label map as the (B, ...) int64 class indices torch's NLL takes, checked when
/// it is in host memory.
inline torch::Tensor class_indices(const torch::Tensor& label_map, int64_t n_classes,
                                   int64_t ignore_index, const char* fn) {
  const auto labels = label_map.squeeze(1).to(torch::kLong);
  needs_ignore_mask(labels, n_classes, ignore_index, fn);  // checks host-memory labels
  return labels;
}

}  // namespace detail

namespace functional {

/// Cross-entropy of `input` logits (B, C, spatial...) against `target` (class indices, or dense
/// probabilities of input's shape). C > 1: torch's cross_entropy (weighted mean over the
/// positions that count, as torch). C == 1: binary cross-entropy with logits, `weight` as
/// pos_weight, smoothing towards 1/2. Every position ignored gives NaN with mean reduction, as
/// in torch (0 / 0).
///
/// Example:
///   auto loss = osteon::losses::functional::cross_entropy(logits, labels,
///       osteon::losses::CrossEntropyLossOptions().label_smoothing(0.1));
inline torch::Tensor cross_entropy(const torch::Tensor& input, const torch::Tensor& target,
                                   const CrossEntropyLossOptions& options = {}) {
  constexpr const char* fn = "cross_entropy";
  detail::check_cross_entropy_options(fn, options);
  const auto logits = detail::in_compute_precision(input);
  const int64_t n_channels = logits.size(1);
  const double smoothing = options.label_smoothing();
  if (n_channels == 1) {
    const auto dense = detail::dense_target(logits, target, fn, false, options.ignore_index(),
                                            detail::IgnoreIn::LabelMapsAndDense);
    const auto smoothed = smoothing > 0 ? dense.values * (1 - smoothing) + smoothing / 2 : dense.values;
    const auto pos_weight = options.weight().defined()
        ? detail::per_channel(options.weight(), 1, logits, fn, "weight") : torch::Tensor();
    auto loss = torch::binary_cross_entropy_with_logits(logits, smoothed, {}, pos_weight,
                                                        at::Reduction::None);
    if (dense.counted.defined()) loss = loss * dense.counted.to(loss.scalar_type());
    return detail::reduce(loss, options.reduction(), dense.counted);
  }
  const auto [shaped, is_label_map] = detail::target_layout(logits, target, fn);
  const auto weight = detail::class_weights(options.weight(), logits, fn);
  const auto reduction = detail::reduction_enum(options.reduction());
  const auto labels_or_probabilities =
      is_label_map ? detail::class_indices(shaped, n_channels, options.ignore_index(), fn)
                   : shaped.to(logits.scalar_type());
  return torch::cross_entropy_loss(logits, labels_or_probabilities, weight, reduction,
                                   options.ignore_index(), smoothing);
}

}  // namespace functional
}  // namespace osteon::losses
