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
/// (a loop over the tensor's own memory). Two host synchronisations, both on small tensors: the
/// bounding box of all surfaces (the distance transform runs on that crop only, which is exact
/// because every surface voxel lies inside it), and, for percentiles only, the number of surface
/// voxels (they are gathered and sorted per sample). The volumes are never copied to the host.

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

/// Per row of `distances` (R, N), the linearly interpolated p-th percentile of the entries where
/// `selected` (R, N) is true; -inf for rows with none. One host synchronisation (the number of
/// selected entries); the rows are sorted together, by row then by value.
inline torch::Tensor row_percentiles(const torch::Tensor& distances, const torch::Tensor& selected,
                                     const torch::Tensor& counts, double percentile) {
  const int64_t rows = distances.size(0);
  auto out = torch::full({rows}, -std::numeric_limits<double>::infinity(), distances.options());
  const auto index = selected.nonzero();  // (M, 2), row-major: grouped by row
  const int64_t total = index.size(0);
  if (total == 0) return out;
  const auto row_of = index.select(1, 0);
  const auto values = distances.index({row_of, index.select(1, 1)});
  // Stable sort by value, then stable sort by row: values ascend within each row.
  const c10::optional<bool> stable = true;
  const auto by_value = std::get<1>(values.sort(stable, 0));
  const auto by_row = std::get<1>(row_of.index({by_value}).sort(stable, 0));
  const auto sorted = values.index({by_value.index({by_row})});
  const auto offsets = counts.cumsum(0) - counts;
  const auto position = (counts - 1).clamp_min(0).to(distances.scalar_type()) * (percentile / 100.0);
  const auto below = position.floor();
  const auto fraction = position - below;
  const auto low_index = (offsets + below.to(torch::kLong)).clamp(0, total - 1);
  const auto high_index = torch::minimum(low_index + 1, (offsets + counts - 1).clamp(0, total - 1));
  const auto low = sorted.index({low_index}), high = sorted.index({high_index});
  // low + f (high − low), kept at `low` when both ends are equal (inf − inf would be NaN).
  const auto value = torch::where(high.eq(low), low, low + fraction * (high - low));
  return torch::where(counts.gt(0), value, out);
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
  const int64_t batch = masks.prediction.size(0), channels = masks.prediction.size(1);
  const auto dtype = surface.dtype();
  const auto float_options = masks.prediction.options().dtype(dtype);
  const double infinity = std::numeric_limits<double>::infinity();

  auto edge_prediction = surface_voxels(masks.prediction, spatial);
  auto edge_target = surface_voxels(masks.target, spatial);
  SurfaceDistances out;
  out.surface_voxels_prediction = edge_prediction.reshape({batch, channels, -1}).sum(-1, false, torch::kLong);
  out.surface_voxels_target = edge_target.reshape({batch, channels, -1}).sum(-1, false, torch::kLong);

  // Crop every volume to the bounding box of all surfaces (host sync #1, 1-D projections only).
  const auto any_surface = edge_prediction.logical_or(edge_target).flatten(0, 1).any(0);  // (spatial...)
  std::vector<torch::Tensor> projections;
  for (int64_t d = 0; d < spatial; ++d) {
    projections.push_back(any_surface.movedim(d, 0).reshape({any_surface.size(d), -1}).any(1));
  }
  const auto occupied = torch::cat(projections).to(torch::kCPU);
  const auto* occupied_data = occupied.data_ptr<bool>();
  std::vector<int64_t> first(static_cast<size_t>(spatial)), length(static_cast<size_t>(spatial));
  bool any = true;
  for (int64_t d = 0, base = 0; d < spatial; base += any_surface.size(d), ++d) {
    int64_t lo = any_surface.size(d), hi = -1;
    for (int64_t i = 0; i < any_surface.size(d); ++i) {
      if (occupied_data[base + i]) {
        lo = std::min(lo, i);
        hi = i;
      }
    }
    any = any && hi >= 0;
    first[static_cast<size_t>(d)] = lo;
    length[static_cast<size_t>(d)] = hi - lo + 1;
  }

  const auto n_prediction = out.surface_voxels_prediction, n_target = out.surface_voxels_target;
  const auto n_both = n_prediction + n_target;
  if (any) {
    for (int64_t d = 0; d < spatial; ++d) {
      edge_prediction = edge_prediction.narrow(d + 2, first[static_cast<size_t>(d)], length[static_cast<size_t>(d)]);
      edge_target = edge_target.narrow(d + 2, first[static_cast<size_t>(d)], length[static_cast<size_t>(d)]);
    }
    // distance[0] = to the target surface, distance[1] = to the predicted surface.
    const auto distance = squared_distance_to_features(torch::stack({edge_target, edge_prediction}), spacing,
                                                       surface.method(), dtype, function)
                              .sqrt_()
                              .reshape({2, batch, channels, -1});
    const auto to_target = distance[0], to_prediction = distance[1];
    const auto on_prediction = edge_prediction.reshape({batch, channels, -1});
    const auto on_target = edge_target.reshape({batch, channels, -1});
    const auto directed_max = [&](const torch::Tensor& d, const torch::Tensor& on) {
      return d.masked_fill(on.logical_not(), -infinity).amax(-1);
    };
    const auto directed_sum = [&](const torch::Tensor& d, const torch::Tensor& on) {
      return d.masked_fill(on.logical_not(), 0.0).sum(-1);
    };
    const auto within = [&](const torch::Tensor& d, const torch::Tensor& on) {
      return d.le(surface.tolerance()).logical_and(on).sum(-1, false, torch::kLong);
    };
    out.hausdorff = torch::maximum(directed_max(to_target, on_prediction), directed_max(to_prediction, on_target));
    out.average_surface_distance = (directed_sum(to_target, on_prediction) + directed_sum(to_prediction, on_target)) /
                                   n_both.to(dtype);
    out.surface_dice = within(to_target, on_prediction) + within(to_prediction, on_target);
    if (with_percentile) {
      const auto percentile = [&](const torch::Tensor& d, const torch::Tensor& on, const torch::Tensor& n) {
        return row_percentiles(d.reshape({batch * channels, -1}), on.reshape({batch * channels, -1}),
                               n.reshape({-1}), surface.percentile())
            .reshape({batch, channels});
      };
      out.hausdorff_percentile = torch::maximum(percentile(to_target, on_prediction, n_prediction),
                                                percentile(to_prediction, on_target, n_target));
    }
  } else {  // no surface anywhere: every row has both sides empty
    out.hausdorff = torch::zeros({batch, channels}, float_options);
    out.average_surface_distance = torch::zeros({batch, channels}, float_options);
    out.surface_dice = torch::zeros({batch, channels}, float_options.dtype(torch::kLong));
    if (with_percentile) out.hausdorff_percentile = torch::zeros({batch, channels}, float_options);
  }

  // Empty rules: both empty → policy; one side empty → inf or the image diagonal.
  const auto both_empty = n_both.eq(0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const bool perfect = options.empty() == EmptyPolicy::perfect;
  double one_sided = infinity;
  if (surface.one_side_empty() == OneSideEmpty::image_diagonal) {
    double squared = 0.0;
    for (int64_t d = 0; d < spatial; ++d) {
      const double extent = static_cast<double>(masks.prediction.size(d + 2) - 1) * spacing[static_cast<size_t>(d)];
      squared += extent * extent;
    }
    one_sided = std::sqrt(squared);
  }
  const auto one_side = n_prediction.eq(0).logical_xor(n_target.eq(0));
  const auto finish_distance = [&](torch::Tensor& value) {
    value = value.masked_fill(one_side, one_sided).masked_fill(both_empty, perfect ? 0.0 : nan);
  };
  finish_distance(out.hausdorff);
  finish_distance(out.average_surface_distance);
  if (with_percentile) finish_distance(out.hausdorff_percentile);
  out.surface_dice = (out.surface_dice.to(dtype) / n_both.to(dtype)).masked_fill(both_empty, perfect ? 1.0 : nan);
  if (options.empty() == EmptyPolicy::nan_when_target_empty) {
    const auto target_empty = n_target.eq(0);
    for (auto* value : {&out.hausdorff, &out.average_surface_distance, &out.surface_dice, &out.hausdorff_percentile}) {
      if (value->defined()) *value = value->masked_fill(target_empty, nan);
    }
  }
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
