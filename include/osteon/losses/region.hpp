#pragma once
/// @file
/// What the overlap losses (Dice, generalised Dice, Tversky) share: activating the prediction,
/// the per-(sample, class) sums Σ p g, Σ p^k, Σ g^k over the spatial (and batch) axes, leaving
/// out the background, and the shape MONAI gives an unreduced result.
///
/// With `soft_label` the intersection is Σ p g's semimetric form (Wang, Popordanoska, Bertels,
/// Lemmens & Blaschko 2023, "Dice Semimetric Losses: Optimizing the Dice Score with Soft
/// Labels", MICCAI): (‖p‖₁ + ‖g‖₁ − ‖p − g‖₁) / 2, and the sums are ‖p‖₁, ‖g‖₁. It equals Σ p g
/// for hard labels and p in [0, 1], and unlike Σ p g it makes the Dice and Tversky losses
/// minimal exactly at p = g for soft labels g. As MONAI's compute_tp_fp_fn (MONAI 1.5.0).
///
/// A label-map target on the CPU is not one-hot encoded: Σ p g gathers p at each voxel's class
/// and adds it into its class bin, Σ g counts the voxels per class (label_map_sums.hpp). That
/// skips writing and reading a (B, C, spatial...) one-hot tensor; the sums are the same up to
/// float rounding. On other devices the one-hot path is kept: there a histogram into C bins
/// contends on atomics and is not deterministic.

#include <cmath>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "osteon/core/check.hpp"
#include "osteon/core/warnings.hpp"
#include "osteon/losses/activation.hpp"
#include "osteon/losses/label_map_sums.hpp"
#include "osteon/losses/region_options.hpp"
#include "osteon/losses/targets.hpp"

namespace osteon::losses::detail {

/// The axes an overlap is summed over: spatial, plus batch when `batch`.
inline std::vector<int64_t> region_axes(int64_t ndim, bool batch) {
  std::vector<int64_t> axes;
  if (batch) axes.push_back(0);
  for (int64_t axis = 2; axis < ndim; ++axis) axes.push_back(axis);
  return axes;
}

/// Σ over `axes` (from region_axes); no axes (a (B, C) input without batch) sums nothing — torch's
/// sum over an empty list would reduce every axis.
inline torch::Tensor sum_over(const torch::Tensor& tensor, const std::vector<int64_t>& axes) {
  return axes.empty() ? tensor : tensor.sum(axes);
}

/// Per-(sample, channel) sums — (B, C'), or (C') with `batch` —, C' = C or C - 1.
struct Overlaps {
  torch::Tensor intersection;  ///< Σ p g (its semimetric form with soft_label)
  torch::Tensor prediction;    ///< Σ p, Σ p² when squared, ‖p‖₁ with soft_label
  torch::Tensor target;        ///< Σ g, Σ g² when squared, ‖g‖₁ with soft_label
};

/// Host-side checks of the smoothing terms (std::invalid_argument → ValueError).
inline void check_smoothing(const char* fn, double smooth_nr, double smooth_dr) {
  OSTEON_CHECK_ARG(smooth_nr >= 0 && std::isfinite(smooth_nr), fn,
                   ": smooth_nr must be a finite value >= 0, got ", smooth_nr);
  OSTEON_CHECK_ARG(smooth_dr >= 0 && std::isfinite(smooth_dr), fn,
                   ": smooth_dr must be a finite value >= 0, got ", smooth_dr);
}

/// Host-side checks of the options every region loss takes (std::invalid_argument → ValueError).
template <typename Derived>
void check_region_options(const char* fn, const RegionLossOptions<Derived>& options) {
  check_single_activation(fn, options.sigmoid(), options.softmax(), options.other_act());
  check_smoothing(fn, options.smooth_nr(), options.smooth_dr());
}

/// The region options' activation (checked) applied to `input` in the losses' compute precision.
template <typename Derived>
torch::Tensor activated_prediction(const torch::Tensor& input, const char* fn,
                                   const RegionLossOptions<Derived>& options) {
  return activate(in_compute_precision(input), fn, options.sigmoid(), options.softmax(), options.other_act());
}

/// Overlaps of activated `probabilities` (B, C, spatial...) with `target` (dense or a label map),
/// summed as `options` say (include_background, to_onehot_y, batch); `squared`: Σ p², Σ g²;
/// `soft_label`: the semimetric sums of the file comment (not with `squared`: Σ p² + Σ g² -
/// Σ (p - g)² over 2 is Σ p g already, so squared denominators are unchanged, as in MONAI).
/// As in MONAI the background is left out after the activation (the probabilities stay those of
/// all classes); with one channel include_background=false is ignored, with a warning.
template <typename Derived>
Overlaps overlaps(const torch::Tensor& probabilities, const torch::Tensor& target, const char* fn,
                  const RegionLossOptions<Derived>& options, bool squared, bool soft_label) {
  const int64_t n_channels = probabilities.size(1);
  bool drop_background = !options.include_background();
  if (drop_background && n_channels == 1) {
    osteon::warn(fn, ": single-channel prediction, include_background=false ignored");
    drop_background = false;
  }
  if (options.to_onehot_y() && n_channels == 1) osteon::warn(fn, ": single-channel prediction, to_onehot_y=true ignored");
  const auto layout = target_layout(probabilities, target, fn, options.to_onehot_y());
  const bool semimetric = soft_label && !squared;
  // Soft labels are dense; a label map with soft_label is one-hot encoded like any other.
  if (!layout.is_label_map || !probabilities.device().is_cpu() || semimetric) {
    const auto dense = dense_target(probabilities, target, fn, options.to_onehot_y()).values;
    const auto p = drop_background ? without_background(probabilities) : probabilities;
    const auto g = drop_background ? without_background(dense) : dense;
    const auto axes = region_axes(p.dim(), options.batch());
    if (semimetric) {
      auto p_norm = sum_over(p.abs(), axes);
      auto g_norm = sum_over(g.abs(), axes);
      auto intersection = (p_norm + g_norm - sum_over((p - g).abs(), axes)) / 2;
      return {std::move(intersection), std::move(p_norm), std::move(g_norm)};
    }
    return {sum_over(p * g, axes), sum_over(squared ? p.square() : p, axes),
            sum_over(squared ? g.square() : g, axes)};
  }
  const auto labels = layout.target.to(torch::kLong);
  needs_ignore_mask(labels, n_channels, std::nullopt, fn);  // checks (host memory: no synchronisation)
  const int64_t batch_size = probabilities.size(0);
  const auto voxel_classes = labels.reshape({batch_size, 1, -1});
  const auto bins = sample_class_bins(voxel_classes, n_channels);
  const auto sums_of_labels = LabelMapSums::apply(
      probabilities.reshape({batch_size, n_channels, -1}), voxel_classes, bins, squared);
  Overlaps sums{sums_of_labels[0], sums_of_labels[1],
                class_voxel_counts(bins, batch_size, n_channels, probabilities.scalar_type())};
  for (auto* sum : {&sums.intersection, &sums.prediction, &sums.target}) {
    if (options.batch()) *sum = sum->sum(0);
    if (drop_background) *sum = sum->slice(-1, 1);
  }
  return sums;
}

/// A per-(sample, channel) result — (B, K), or (K) with `batch` — as (B or 1, K, 1, ...) with
/// `ndim` dimensions, broadcastable against the input (MONAI's `none` shape).
inline torch::Tensor unreduced_shape(const torch::Tensor& per_region, int64_t ndim) {
  std::vector<int64_t> shape(static_cast<size_t>(ndim), 1);
  shape[1] = per_region.size(-1);
  if (per_region.dim() == 2) shape[0] = per_region.size(0);
  return per_region.reshape(shape);
}

/// numerator / denominator, defined as 1 where the denominator is exactly 0 (both prediction and
/// target empty with smooth_dr = 0: perfect agreement), with finite gradients there.
inline torch::Tensor ratio_or_one(const torch::Tensor& numerator, const torch::Tensor& denominator) {
  const auto empty = denominator == 0;
  const auto safe_denominator = torch::where(empty, torch::ones_like(denominator), denominator);
  return torch::where(empty, torch::ones_like(numerator), numerator / safe_denominator);
}

}  // namespace osteon::losses::detail
