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
///   * EmptyPolicy::Nan — undefined stays NaN (the default): both masks empty gives NaN Dice, and
///     NaN-aware reductions then leave the sample out and count it.
///   * EmptyPolicy::Perfect — 0/0 takes the metric's best value (Dice, IoU, sensitivity,
///     precision and surface Dice 1; distances and volume differences 0), as MONAI's
///     `ignore_empty=False` does for Dice and scikit-learn's `zero_division=1`.
///   * EmptyPolicy::NanWhenTargetEmpty — additionally NaN whenever the target is empty, even
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
enum class EmptyPolicy {
  Nan, Perfect, NanWhenTargetEmpty,
  // Deprecated in 0.2 (enumerators are PascalCase); removed in 0.3.
  nan [[deprecated("use EmptyPolicy::Nan")]] = Nan,
  perfect [[deprecated("use EmptyPolicy::Perfect")]] = Perfect,
  nan_when_target_empty [[deprecated("use EmptyPolicy::NanWhenTargetEmpty")]] = NanWhenTargetEmpty,
};

/// Parses "nan", "perfect" or "nan_when_target_empty" (the Python spelling).
///
/// Example:
///   auto policy = osteon::metrics::parse_empty_policy("perfect");
inline EmptyPolicy parse_empty_policy(const std::string& name) {
  if (name == "nan") return EmptyPolicy::Nan;
  if (name == "perfect") return EmptyPolicy::Perfect;
  if (name == "nan_when_target_empty") return EmptyPolicy::NanWhenTargetEmpty;
  OSTEON_CHECK_ARG(false, "empty must be 'nan', 'perfect' or 'nan_when_target_empty', got '", name, "'");
  return EmptyPolicy::Nan;  // unreachable
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
  TORCH_ARG(EmptyPolicy, empty) = EmptyPolicy::Nan;
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

/// Refuses NaN in a floating input. On the CPU a sum decides cheaply (it is NaN iff the input holds
/// NaN, or both +inf and -inf, which the exact test then clears); elsewhere an asynchronous assert.
inline void check_no_nan(const torch::Tensor& input, const char* function, const char* name) {
  const std::string message = std::string(function) + ": " + name + " contains NaN";
  if (input.device().is_cpu()) {
    if (!std::isnan(input.sum().item<double>())) return;
    TORCH_CHECK(!input.isnan().any().item<bool>(), message);
  } else {
    at::_assert_async(input.isnan().logical_not().all());
  }
}

/// Refuses options that would give a silent number: a NaN threshold makes every comparison
/// false, so every floating input would read as all background.
inline void check_segmentation_options(const SegmentationOptions& options, const char* function) {
  TORCH_CHECK(!std::isnan(options.threshold()), function, ": threshold must be a number, got ", options.threshold());
  TORCH_CHECK(options.num_classes() >= 0, function, ": num_classes must be >= 0, got ", options.num_classes());
}

/// Counts the true voxels of (B, C, spatial...) masks: (B, C) int64. (Sums in int32 where a row
/// fits: LibTorch's CPU int64 sum of booleans is several times slower.)
inline torch::Tensor count_true(const torch::Tensor& mask) {
  const int64_t rows = mask.size(0) * mask.size(1);
  const int64_t per_row = rows == 0 ? 0 : mask.numel() / rows;
  const auto accumulate = per_row < (int64_t(1) << 31) ? torch::kInt : torch::kLong;
  return mask.reshape({mask.size(0), mask.size(1), -1}).sum(-1, false, accumulate).to(torch::kLong);
}

/// What an integer input that is not a 0/1 mask is told.
inline std::string invalid_mask_message(const char* function, const char* name) {
  return std::string(function) + ": " + name + " must hold 0/1 masks (or set num_classes for a label map, or "
         "pass probabilities as a floating tensor)";
}

/// One input as (B, C', spatial...) booleans, channels first_channel.. of its one-hot form (the
/// background channel is dropped before any work is done on it); `name` is "prediction" or
/// "target" in messages.
inline torch::Tensor foreground(const torch::Tensor& input, const SegmentationOptions& options,
                                const char* function, const char* name) {
  TORCH_CHECK(input.dim() >= 3, function, ": ", name, " must be (B, C, spatial...) with at least one spatial "
              "axis, got shape ", input.sizes());
  TORCH_CHECK(options.num_classes() >= 0, function, ": num_classes must be >= 0, got ", options.num_classes());
  const bool label_map = options.num_classes() > 0 && input.size(1) == 1 && !input.is_floating_point() &&
                         input.scalar_type() != torch::kBool;
  const int64_t channels = label_map ? options.num_classes() : input.size(1);
  const int64_t first = options.include_background() ? 0 : 1;
  TORCH_CHECK(first == 0 || channels >= 2, function, ": include_background=false needs at least 2 channels (or "
              "num_classes >= 2), ", name, " has ", channels);
  std::vector<int64_t> class_shape(static_cast<size_t>(input.dim()), 1);
  class_shape[1] = channels - first;
  if (input.is_floating_point()) {
    if (options.argmax() && input.size(1) > 1) {
      check_no_nan(input, function, name);
      const auto classes = torch::arange(first, channels, input.options().dtype(torch::kLong));
      return input.argmax(1, /*keepdim=*/true).eq(classes.view(class_shape));
    }
    const auto used = input.narrow(1, first, channels - first);
    check_no_nan(used, function, name);
    return used.gt(options.threshold());
  }
  if (label_map) {
    check_values(input.ge(0).logical_and(input.lt(channels)).all(),
                 std::string(function) + ": " + name + " label map has values outside [0, num_classes=" +
                     std::to_string(channels) + ")");
    return input.eq(torch::arange(first, channels, input.options()).view(class_shape));
  }
  const auto used = input.narrow(1, first, channels - first);
  if (used.scalar_type() == torch::kBool) return used;
  check_values(used.eq(0).logical_or(used.eq(1)).all(), invalid_mask_message(function, name));
  return used.ne(0);
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
  check_segmentation_options(options, function);
  MaskPair masks{foreground(prediction, options, function, "prediction"),
                 foreground(target, options, function, "target")};
  TORCH_CHECK(masks.prediction.sizes() == masks.target.sizes(), function,
              ": prediction and target shapes differ after one-hot encoding: ", masks.prediction.sizes(), " vs ",
              masks.target.sizes(), " (inputs ", prediction.sizes(), " vs ", target.sizes(), ")");
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
  const double undefined = policy == EmptyPolicy::Perfect ? best : std::numeric_limits<double>::quiet_NaN();
  auto ratio = (num / den).masked_fill(num.eq(0).logical_and(den.eq(0)), undefined);
  if (policy == EmptyPolicy::NanWhenTargetEmpty && target_empty.defined()) {
    ratio = ratio.masked_fill(target_empty, std::numeric_limits<double>::quiet_NaN());
  }
  return ratio;
}

}  // namespace detail
}  // namespace osteon::metrics
