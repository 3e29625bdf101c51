#pragma once
/// @file
/// What the segmentation metrics accept and the empty-mask policy they share.
///
/// Inputs are (B, C, spatial...) tensors on any device: one-hot masks (bool or integer 0/1),
/// probabilities or logits (floating, binarised with `threshold`, or by `argmax` over C), or label
/// maps (B, 1, spatial...) of class indices when `num_classes` is set. Every metric returns a
/// (B, C) tensor on the input's device; C drops the background channel when
/// `include_background` is false (MONAI's `ignore_background`).
///
/// The empty-mask policy decides what a ratio 0/0 becomes (docs/segmentation.md has the table):
///   * EmptyPolicy::nan — undefined stays NaN (the default): both masks empty gives NaN Dice, and
///     NaN-aware reductions then leave the sample out and count it.
///   * EmptyPolicy::perfect — 0/0 takes the metric's best value (Dice, IoU, sensitivity,
///     precision and surface Dice 1; distances and volume differences 0), as MONAI's
///     `ignore_empty=False` does for Dice and scikit-learn's `zero_division=1`.
///   * EmptyPolicy::nan_when_target_empty — additionally NaN whenever the target is empty, even
///     with false positives (MONAI's default `ignore_empty=True`; false positives on a subject
///     without the structure then vanish from the average — reproduce MONAI with it, don't
///     report with it).
/// Ratios that are defined stay what the formula gives: false positives on an empty target give
/// Dice 0, an empty prediction gives Dice 0 and sensitivity 0, a one-sided empty surface gives an
/// infinite Hausdorff distance.

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::metrics {

/// What a 0/0 metric becomes; see the file comment and docs/segmentation.md.
enum class EmptyPolicy { nan, perfect, nan_when_target_empty };

/// Parses "nan", "perfect" or "nan_when_target_empty" (the Python spelling).
///
/// Example:
///   auto policy = osteon::metrics::parse_empty_policy("perfect");
inline EmptyPolicy parse_empty_policy(const std::string& name) {
  if (name == "nan") return EmptyPolicy::nan;
  if (name == "perfect") return EmptyPolicy::perfect;
  if (name == "nan_when_target_empty") return EmptyPolicy::nan_when_target_empty;
  OSTEON_CHECK_ARG(false, "empty must be 'nan', 'perfect' or 'nan_when_target_empty', got '", name, "'");
  return EmptyPolicy::nan;  // unreachable
}

/// How prediction and target tensors become (B, C, spatial...) boolean masks.
///
/// Example:
///   auto options = osteon::metrics::SegmentationOptions().num_classes(3).include_background(false)
///                      .spacing({0.7, 0.7, 1.25});
struct SegmentationOptions {
  /// > 0: an input with one channel and an integer dtype is a label map with values in
  /// [0, num_classes) and is one-hot encoded; 0: inputs are already (B, C, spatial...) masks.
  TORCH_ARG(int64_t, num_classes) = 0;
  /// Floating inputs (probabilities) are foreground where value > threshold (MONAI's sigmoid rule).
  TORCH_ARG(double, threshold) = 0.5;
  /// Floating inputs with C > 1 are turned into the one-hot of their argmax over C instead
  /// (softmax outputs); `threshold` is then unused.
  TORCH_ARG(bool, argmax) = false;
  /// false drops channel 0 of the one-hot masks (needs C >= 2).
  TORCH_ARG(bool, include_background) = true;
  /// What 0/0 becomes (see EmptyPolicy).
  TORCH_ARG(EmptyPolicy, empty) = EmptyPolicy::nan;
  /// Voxel spacing per spatial axis (e.g. mm), for volumes and distances; empty = 1 everywhere.
  TORCH_ARG(std::vector<double>, spacing) = {};
};

namespace detail {

/// Checks a condition that lives in a tensor's data without synchronising a GPU: on the CPU it
/// throws at once with `message`; elsewhere it queues an asynchronous device assert
/// (torch's `_assert_async`), which raises at the next synchronisation.
inline void check_values(const torch::Tensor& all_true, const std::string& message) {
  if (all_true.device().is_cpu()) {
    TORCH_CHECK(all_true.item<bool>(), message);
  } else {
    at::_assert_async(all_true);
  }
}

/// One input as (B, C, spatial...) booleans; `name` is "prediction" or "target" in messages.
inline torch::Tensor foreground(const torch::Tensor& input, const SegmentationOptions& options,
                                const char* function, const char* name) {
  TORCH_CHECK(input.dim() >= 3, function, ": ", name, " must be (B, C, spatial...) with at least one spatial "
              "axis, got shape ", input.sizes());
  TORCH_CHECK(options.num_classes() >= 0, function, ": num_classes must be >= 0, got ", options.num_classes());
  if (input.is_floating_point()) {
    check_values(input.isnan().logical_not().all(), std::string(function) + ": " + name + " contains NaN");
    if (options.argmax() && input.size(1) > 1) {
      const auto classes = torch::arange(input.size(1), input.options().dtype(torch::kLong));
      std::vector<int64_t> shape(static_cast<size_t>(input.dim()), 1);
      shape[1] = input.size(1);
      return input.argmax(1, /*keepdim=*/true).eq(classes.view(shape));
    }
    return input.gt(options.threshold());
  }
  if (options.num_classes() > 0 && input.size(1) == 1 && input.scalar_type() != torch::kBool) {
    const int64_t n_classes = options.num_classes();
    check_values(input.ge(0).logical_and(input.lt(n_classes)).all(),
                 std::string(function) + ": " + name + " label map has values outside [0, num_classes=" +
                     std::to_string(n_classes) + ")");
    std::vector<int64_t> shape(static_cast<size_t>(input.dim()), 1);
    shape[1] = n_classes;
    return input.eq(torch::arange(n_classes, input.options()).view(shape));
  }
  if (input.scalar_type() == torch::kBool) return input;
  check_values(input.eq(0).logical_or(input.eq(1)).all(),
               std::string(function) + ": " + name + " must hold 0/1 masks (or set num_classes for a label "
               "map, or pass probabilities as a floating tensor)");
  return input.ne(0);
}

/// Prediction and target as boolean masks of equal shape, background dropped if asked.
struct MaskPair {
  torch::Tensor prediction;
  torch::Tensor target;
};

inline MaskPair mask_pair(const torch::Tensor& prediction, const torch::Tensor& target,
                          const SegmentationOptions& options, const char* function) {
  TORCH_CHECK(prediction.device() == target.device(), function, ": prediction and target are on different devices: ",
              prediction.device(), " vs ", target.device());
  MaskPair masks{foreground(prediction, options, function, "prediction"),
                 foreground(target, options, function, "target")};
  TORCH_CHECK(masks.prediction.sizes() == masks.target.sizes(), function,
              ": prediction and target shapes differ after one-hot encoding: ", masks.prediction.sizes(), " vs ",
              masks.target.sizes(), " (inputs ", prediction.sizes(), " vs ", target.sizes(), ")");
  if (!options.include_background()) {
    TORCH_CHECK(masks.prediction.size(1) >= 2, function,
                ": include_background=false needs at least 2 channels, got ", masks.prediction.size(1));
    masks.prediction = masks.prediction.narrow(1, 1, masks.prediction.size(1) - 1);
    masks.target = masks.target.narrow(1, 1, masks.target.size(1) - 1);
  }
  return masks;
}

/// The spacing as one value per spatial axis (1 when not given).
inline std::vector<double> spacing_for(const SegmentationOptions& options, int64_t spatial_dims,
                                       const char* function) {
  if (options.spacing().empty()) return std::vector<double>(static_cast<size_t>(spatial_dims), 1.0);
  TORCH_CHECK(static_cast<int64_t>(options.spacing().size()) == spatial_dims, function, ": spacing has ",
              options.spacing().size(), " values but the inputs have ", spatial_dims, " spatial axes");
  for (double s : options.spacing()) {
    TORCH_CHECK(std::isfinite(s) && s > 0.0, function, ": spacing must be finite and positive, got ", s);
  }
  return options.spacing();
}

/// numerator / denominator in double, with the empty policy applied to 0/0 (`best` is the
/// metric's perfect value); x/0 with x != 0 stays ±inf. `target_empty` marks rows that the
/// nan_when_target_empty policy turns into NaN; pass an undefined tensor to exempt a metric.
inline torch::Tensor policy_ratio(const torch::Tensor& numerator, const torch::Tensor& denominator,
                                  EmptyPolicy policy, double best, const torch::Tensor& target_empty) {
  const auto num = numerator.to(torch::kDouble);
  const auto den = denominator.to(torch::kDouble);
  const double undefined = policy == EmptyPolicy::perfect ? best : std::numeric_limits<double>::quiet_NaN();
  auto ratio = (num / den).masked_fill(num.eq(0).logical_and(den.eq(0)), undefined);
  if (policy == EmptyPolicy::nan_when_target_empty && target_empty.defined()) {
    ratio = ratio.masked_fill(target_empty, std::numeric_limits<double>::quiet_NaN());
  }
  return ratio;
}

}  // namespace detail
}  // namespace osteon::metrics
