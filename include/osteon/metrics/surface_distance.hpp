#pragma once
/// @file
/// Surface distances between a predicted and a true segmentation, with voxel spacing: Hausdorff
/// distance, its percentile (HD95), average symmetric surface distance (ASSD) and surface Dice at
/// a tolerance (Nikolov et al. 2021, "Clinically applicable segmentation of head and neck anatomy
/// for radiotherapy", JMIR 23(7), e26151).
///
/// Conventions (those of MONAI's compute_hausdorff_distance / compute_average_surface_distance /
/// compute_surface_dice without sub-voxels, so numbers agree where the empty rules do):
///   * surface ∂A = voxels of A with a face neighbour outside A or outside the image (A minus its
///     erosion by the cross structure, border treated as background — scipy's binary_erosion);
///   * d(a, ∂B) = exact Euclidean distance from a voxel centre a ∈ ∂A to the nearest voxel centre
///     of ∂B (distance_transform.hpp), in the units of the spacing;
///   * HD = max(max_{a∈∂A} d(a, ∂B), max_{b∈∂B} d(b, ∂A));
///     HDp = max(P_p{d(a, ∂B)}, P_p{d(b, ∂A)}), each P_p the linearly interpolated percentile of
///     one direction (numpy's / torch.quantile's default "linear" method);
///   * ASSD = (Σ_a d(a, ∂B) + Σ_b d(b, ∂A)) / (|∂A| + |∂B|);
///   * surface Dice = (#{a : d(a, ∂B) ≤ τ} + #{b : d(b, ∂A) ≤ τ}) / (|∂A| + |∂B|).
/// Empty masks: one side empty gives HD = HDp = ASSD = +inf (or the image diagonal, if asked) and
/// surface Dice 0 — never NaN, so a missed structure cannot vanish from an average. Both sides
/// empty is 0/0 and follows SegmentationOptions::empty (NaN by default; `perfect` gives 0 and 1).
///
/// Device: every step is a tensor op on the input's device, except the CPU distance transform
/// (a loop over the tensor's own memory); results are (B, C) tensors there. Host synchronisations
/// read small things only, never a volume: the bounding boxes of all rows (1-D projections, one
/// sync), then per (sample, class) row the number of its surface voxels, whose distances are
/// gathered (one sync per row). Each row's distance transform runs on its own bounding box, which
/// is exact because every surface voxel of the row lies inside it.

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <vector>

#include "osteon/metrics/distance_transform.hpp"
#include "osteon/metrics/segmentation_input.hpp"

namespace osteon::metrics {

/// What a distance becomes when exactly one of the two surfaces is empty.
enum class OneSideEmpty {
  infinity,        ///< +inf (the default: the true value, and a visible one)
  image_diagonal,  ///< the largest distance the image allows, sqrt(Σ_d ((n_d − 1) s_d)²)
};

/// Options of the surface metrics (the input options are SegmentationOptions).
///
/// Example:
///   auto options = osteon::metrics::SurfaceDistanceOptions().percentile(95).tolerance(2.0);
struct SurfaceDistanceOptions {
  /// Percentile p in [0, 100] of hausdorff_percentile (95 gives HD95).
  TORCH_ARG(double, percentile) = 95.0;
  /// Surface Dice tolerance τ >= 0, in the units of the spacing.
  TORCH_ARG(double, tolerance) = 1.0;
  TORCH_ARG(OneSideEmpty, one_side_empty) = OneSideEmpty::infinity;
  TORCH_ARG(DistanceTransformMethod, method) = DistanceTransformMethod::automatic;
  /// Floating type of the distances and of the results.
  TORCH_ARG(torch::ScalarType, dtype) = torch::kDouble;
};

/// All surface metrics of one prediction/target pair; (B, C) tensors on the input's device.
struct SurfaceDistances {
  torch::Tensor hausdorff;                 ///< HD
  torch::Tensor hausdorff_percentile;      ///< HDp (undefined tensor when not asked for)
  torch::Tensor average_surface_distance;  ///< ASSD
  torch::Tensor surface_dice;              ///< at SurfaceDistanceOptions::tolerance
  torch::Tensor surface_voxels_prediction; ///< |∂A|, int64
  torch::Tensor surface_voxels_target;     ///< |∂B|, int64
};

namespace detail {

/// Voxels of `mask` with a face neighbour outside the mask or outside the image, over the
/// trailing `spatial` axes (scipy: mask & ~binary_erosion(mask), border_value = 0).
inline torch::Tensor surface_voxels(const torch::Tensor& mask, int64_t spatial) {
  auto interior = mask.clone();
  for (int64_t axis = mask.dim() - spatial; axis < mask.dim(); ++axis) {
    const int64_t n = mask.size(axis);
    if (n <= 2) return mask.clone();  // every voxel touches the border
    interior.narrow(axis, 1, n - 1).logical_and_(mask.narrow(axis, 0, n - 1));
    interior.narrow(axis, 0, n - 1).logical_and_(mask.narrow(axis, 1, n - 1));
    interior.select(axis, 0).fill_(false);
    interior.select(axis, n - 1).fill_(false);
  }
  return mask.logical_and(interior.logical_not());
}

inline SurfaceDistances surface_distances(const torch::Tensor& prediction, const torch::Tensor& target,
                                          const SegmentationOptions& options,
                                          const SurfaceDistanceOptions& surface, bool with_percentile,
                                          const char* function) {
  TORCH_CHECK(surface.percentile() >= 0.0 && surface.percentile() <= 100.0, function,
              ": percentile must be in [0, 100], got ", surface.percentile());
  TORCH_CHECK(std::isfinite(surface.tolerance()) && surface.tolerance() >= 0.0, function,
              ": tolerance must be finite and >= 0, got ", surface.tolerance());
  const auto masks = mask_pair(prediction, target, options, function);
  const int64_t spatial = masks.prediction.dim() - 2;
  const auto spacing = spacing_for(options, spatial, function);
  const int64_t batch = masks.prediction.size(0), channels = masks.prediction.size(1), rows = batch * channels;
  const auto dtype = surface.dtype();
  const auto scalar_options = masks.prediction.options().dtype(dtype);
  const double infinity = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const bool perfect = options.empty() == EmptyPolicy::perfect;
  const bool nan_when_target_empty = options.empty() == EmptyPolicy::nan_when_target_empty;
  double one_sided = infinity;
  if (surface.one_side_empty() == OneSideEmpty::image_diagonal) {
    double squared = 0.0;
    for (int64_t d = 0; d < spatial; ++d) {
      const double extent = static_cast<double>(masks.prediction.size(d + 2) - 1) * spacing[static_cast<size_t>(d)];
      squared += extent * extent;
    }
    one_sided = std::sqrt(squared);
  }

  // Bounding box of the foreground of each (sample, class) row, from 1-D projections (host sync #1).
  // Surfaces of the crop equal the crop of the surfaces (outside the box is background, as the
  // image border is), so everything after runs on each row's box, as MONAI crops.
  const auto prediction_rows = masks.prediction.flatten(0, 1), target_rows = masks.target.flatten(0, 1);
  const auto any_foreground = prediction_rows.logical_or(target_rows);  // (rows, spatial...)
  // Two passes over the volume: one reduces the last axis (for the others' projections), one the
  // first (for the last axis's); the rest works on slices. (uint8 amax: LibTorch 1.13's boolean
  // any() is not vectorised on the CPU and is several times slower.)
  const auto bytes = any_foreground.view(torch::kByte);
  std::vector<torch::Tensor> projections(static_cast<size_t>(spatial));
  const auto without_last = spatial > 1 ? bytes.amax(-1) : bytes;  // (rows, S_0..S_{k-2})
  for (int64_t d = 0; d + 1 < spatial; ++d) {
    projections[static_cast<size_t>(d)] =
        without_last.movedim(d + 1, 1).reshape({rows, without_last.size(d + 1), -1}).amax(2);
  }
  auto last = bytes;
  for (int64_t d = 0; d + 1 < spatial; ++d) last = last.amax(1);  // (rows, S_{k-1})
  projections[static_cast<size_t>(spatial - 1)] = last;
  const auto occupied = torch::cat(projections, 1).to(torch::kCPU).contiguous();
  const int64_t stride = occupied.size(1);
  const auto* occupied_data = occupied.data_ptr<uint8_t>();

  std::vector<torch::Tensor> hausdorff, percentile, average, dice, n_prediction, n_target;
  const auto constant = [&](double value) { return torch::full({}, value, scalar_options); };
  const auto count = [&](int64_t value) { return torch::full({}, value, scalar_options.dtype(torch::kLong)); };
  for (int64_t r = 0; r < rows; ++r) {
    auto prediction_box = prediction_rows[r], target_box = target_rows[r];
    bool any = true;
    for (int64_t d = 0, base = 0; d < spatial && any; base += any_foreground.size(d + 1), ++d) {
      int64_t lo = -1, hi = -1;
      for (int64_t i = 0; i < any_foreground.size(d + 1); ++i) {
        if (occupied_data[r * stride + base + i]) {
          if (lo < 0) lo = i;
          hi = i;
        }
      }
      any = hi >= 0;
      if (any) {
        prediction_box = prediction_box.narrow(d, lo, hi - lo + 1);
        target_box = target_box.narrow(d, lo, hi - lo + 1);
      }
    }
    if (!any) {  // both masks empty: 0/0, the policy decides
      const double distance = nan_when_target_empty || !perfect ? nan : 0.0;
      hausdorff.push_back(constant(distance));
      percentile.push_back(constant(distance));
      average.push_back(constant(distance));
      dice.push_back(constant(nan_when_target_empty || !perfect ? nan : 1.0));
      n_prediction.push_back(count(0));
      n_target.push_back(count(0));
      continue;
    }
    const auto edge_prediction = surface_voxels(prediction_box, spatial);
    const auto edge_target = surface_voxels(target_box, spatial);
    // squared[0] = to the target surface, squared[1] = to the predicted surface.
    // Distances are needed at the other surface only (the queries).
    const auto squared = squared_distance_to_features(torch::stack({edge_target, edge_prediction}), spacing,
                                                      surface.method(), dtype, function,
                                                      torch::stack({edge_prediction, edge_target}));
    // The distances at surface voxels (host sync #2 of this row: their number).
    const auto prediction_to_target = squared[0].masked_select(edge_prediction).sqrt_();
    const auto target_to_prediction = squared[1].masked_select(edge_target).sqrt_();
    const int64_t n_p = prediction_to_target.numel(), n_t = target_to_prediction.numel();
    n_prediction.push_back(count(n_p));
    n_target.push_back(count(n_t));
    if (n_t == 0 && nan_when_target_empty) {
      for (auto* values : {&hausdorff, &percentile, &average, &dice}) values->push_back(constant(nan));
      continue;
    }
    if (n_p == 0 || n_t == 0) {  // one side empty: a miss, never NaN
      for (auto* values : {&hausdorff, &percentile, &average}) values->push_back(constant(one_sided));
      dice.push_back(constant(0.0));
      continue;
    }
    hausdorff.push_back(torch::maximum(prediction_to_target.max(), target_to_prediction.max()));
    if (with_percentile) {
      const double q = surface.percentile() / 100.0;
      percentile.push_back(torch::maximum(at::quantile(prediction_to_target, q), at::quantile(target_to_prediction, q)));
    }
    const double n_both = static_cast<double>(n_p + n_t);
    average.push_back((prediction_to_target.sum() + target_to_prediction.sum()) / n_both);
    dice.push_back((prediction_to_target.le(surface.tolerance()).sum() +
                    target_to_prediction.le(surface.tolerance()).sum()).to(dtype) / n_both);
  }
  const auto assemble = [&](const std::vector<torch::Tensor>& values) {
    return torch::stack(values).reshape({batch, channels});
  };
  SurfaceDistances out;
  out.hausdorff = assemble(hausdorff);
  if (with_percentile) out.hausdorff_percentile = assemble(percentile);
  out.average_surface_distance = assemble(average);
  out.surface_dice = assemble(dice);
  out.surface_voxels_prediction = assemble(n_prediction);
  out.surface_voxels_target = assemble(n_target);
  return out;
}

}  // namespace detail

/// Every surface metric at once (one distance transform): HD, HDp, ASSD, surface Dice.
///
/// Example:
///   auto s = osteon::metrics::surface_distances(prediction, target,
///       SegmentationOptions().spacing({0.7, 0.7, 1.25}).include_background(false),
///       SurfaceDistanceOptions().percentile(95).tolerance(1.0));
///   // s.hausdorff_percentile is HD95 in mm, (B, C-1)
inline SurfaceDistances surface_distances(const torch::Tensor& prediction, const torch::Tensor& target,
                                          const SegmentationOptions& options = {},
                                          const SurfaceDistanceOptions& surface = {}) {
  return detail::surface_distances(prediction, target, options, surface, true, "surface_distances");
}

/// Hausdorff distance (the maximum), (B, C). Needs no percentile, hence one host sync only.
///
/// Example:
///   auto hd = osteon::metrics::hausdorff_distance(prediction, target,
///                                                 SegmentationOptions().spacing({1.0, 1.0, 2.0}));
inline torch::Tensor hausdorff_distance(const torch::Tensor& prediction, const torch::Tensor& target,
                                        const SegmentationOptions& options = {},
                                        const SurfaceDistanceOptions& surface = {}) {
  return detail::surface_distances(prediction, target, options, surface, false, "hausdorff_distance").hausdorff;
}

/// Percentile Hausdorff distance HDp at SurfaceDistanceOptions::percentile, (B, C).
///
/// Example:
///   auto hd90 = osteon::metrics::percentile_hausdorff_distance(prediction, target, {},
///                                                              SurfaceDistanceOptions().percentile(90));
inline torch::Tensor percentile_hausdorff_distance(const torch::Tensor& prediction, const torch::Tensor& target,
                                                   const SegmentationOptions& options = {},
                                                   const SurfaceDistanceOptions& surface = {}) {
  return detail::surface_distances(prediction, target, options, surface, true, "percentile_hausdorff_distance")
      .hausdorff_percentile;
}

/// HD95: percentile_hausdorff_distance at p = 95, (B, C).
///
/// Example:
///   auto hd95 = osteon::metrics::hausdorff95(prediction, target, SegmentationOptions().spacing({0.8, 0.8, 1.0}));
inline torch::Tensor hausdorff95(const torch::Tensor& prediction, const torch::Tensor& target,
                                 const SegmentationOptions& options = {}, SurfaceDistanceOptions surface = {}) {
  return detail::surface_distances(prediction, target, options, surface.percentile(95.0), true, "hausdorff95")
      .hausdorff_percentile;
}

/// Average symmetric surface distance, (B, C).
///
/// Example:
///   auto assd = osteon::metrics::average_surface_distance(prediction, target);
inline torch::Tensor average_surface_distance(const torch::Tensor& prediction, const torch::Tensor& target,
                                              const SegmentationOptions& options = {},
                                              const SurfaceDistanceOptions& surface = {}) {
  return detail::surface_distances(prediction, target, options, surface, false, "average_surface_distance")
      .average_surface_distance;
}

/// Surface Dice (normalised surface distance) at `tolerance` in spacing units, (B, C).
///
/// Example:
///   auto nsd = osteon::metrics::surface_dice(prediction, target, 2.0, SegmentationOptions().spacing({1, 1, 1}));
inline torch::Tensor surface_dice(const torch::Tensor& prediction, const torch::Tensor& target, double tolerance,
                                  const SegmentationOptions& options = {}, SurfaceDistanceOptions surface = {}) {
  return detail::surface_distances(prediction, target, options, surface.tolerance(tolerance), false, "surface_dice")
      .surface_dice;
}

}  // namespace osteon::metrics
