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
/// Device: on the CPU (the lower-envelope transform, the default there) every row runs on the
/// host, on the inputs' own memory (surface_distance_cpu.hpp): no tensor op per row and no
/// full-size temporary. On other devices (and with method brute_force) every step is a tensor op
/// on the input's device, and two host reads of small things, never a volume, are all the
/// synchronisation: the bounding boxes of all rows (1-D projections), then the sizes of all rows'
/// surfaces (two counts per row), which size the gathers of the distances. Both paths run each
/// row's distance transform on its own bounding box, which is exact because every surface voxel of
/// the row lies inside it, and give the same distances (up to ties in the last bit).

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <vector>

#include "osteon/metrics/segmentation/distance_transform.hpp"
#include "osteon/metrics/segmentation/cpu_masks.hpp"
#include "osteon/metrics/segmentation/input.hpp"
#include "osteon/metrics/segmentation/surface_distance_cpu.hpp"

namespace osteon::metrics {

/// What a distance becomes when exactly one of the two surfaces is empty.
enum class OneSideEmpty {
  Infinity,        ///< +inf (the default: the true value, and a visible one)
  ImageDiagonal,  ///< the largest distance the image allows, sqrt(Σ_d ((n_d − 1) s_d)²)
  // Deprecated in 0.2 (enumerators are PascalCase); removed in 0.3.
  infinity [[deprecated("use OneSideEmpty::Infinity")]] = Infinity,
  image_diagonal [[deprecated("use OneSideEmpty::ImageDiagonal")]] = ImageDiagonal,
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
  TORCH_ARG(OneSideEmpty, one_side_empty) = OneSideEmpty::Infinity;
  TORCH_ARG(DistanceTransformMethod, method) = DistanceTransformMethod::Automatic;
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

/// The distance that a one-sided empty surface gives: +inf, or the image diagonal
/// sqrt(Σ_d ((n_d − 1) s_d)²).
inline double one_sided_distance(const SurfaceDistanceOptions& surface, const std::vector<int64_t>& sizes,
                                 const std::vector<double>& spacing) {
  if (surface.one_side_empty() != OneSideEmpty::ImageDiagonal) return std::numeric_limits<double>::infinity();
  double squared = 0.0;
  for (size_t d = 0; d < sizes.size(); ++d) {
    const double extent = static_cast<double>(sizes[d] - 1) * spacing[d];
    squared += extent * extent;
  }
  return std::sqrt(squared);
}

/// HD, HDp, ASSD and surface Dice of a row whose masks leave them fixed by the rules (file
/// comment), written to `values`; false when the row's distances decide them.
inline bool fixed_surface_values(bool any_foreground, int64_t n_prediction, int64_t n_target, EmptyPolicy empty,
                                 double one_sided, double values[4]) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const bool nan_when_target_empty = empty == EmptyPolicy::NanWhenTargetEmpty;
  if (!any_foreground) {  // both masks empty: 0/0, the policy decides
    const bool undefined = nan_when_target_empty || empty != EmptyPolicy::Perfect;
    values[0] = values[1] = values[2] = undefined ? nan : 0.0;
    values[3] = undefined ? nan : 1.0;
    return true;
  }
  if (n_target == 0 && nan_when_target_empty) {
    values[0] = values[1] = values[2] = values[3] = nan;
    return true;
  }
  if (n_prediction == 0 || n_target == 0) {  // one side empty: a miss, never NaN
    values[0] = values[1] = values[2] = one_sided;
    values[3] = 0.0;
    return true;
  }
  return false;
}

/// The tensor path (any device): each row's box cropped with tensor ops, the distance transform of
/// distance_transform.hpp, the distances at the surface voxels gathered by rank. Two host reads in
/// all: the boxes, and the surfaces' sizes.
inline SurfaceDistances tensor_surface_distances(const MaskPair& masks, const SegmentationOptions& options,
                                                 const SurfaceDistanceOptions& surface, bool with_percentile,
                                                 const char* function) {
  const int64_t spatial = masks.prediction.dim() - 2;
  const auto spacing = spacing_for(options, spatial, function);
  const int64_t batch = masks.prediction.size(0), channels = masks.prediction.size(1), rows = batch * channels;
  const auto dtype = surface.dtype();
  const auto scalar_options = masks.prediction.options().dtype(dtype);
  const double one_sided = one_sided_distance(surface, masks.prediction.sizes().slice(2).vec(), spacing);

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

  // Each row's box and surfaces; the sizes of all rows' surfaces in one host read (sync #2).
  std::vector<torch::Tensor> edge_prediction(static_cast<size_t>(rows)), edge_target(static_cast<size_t>(rows));
  std::vector<torch::Tensor> surface_sizes;
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
    if (!any) continue;
    const auto u = static_cast<size_t>(r);
    edge_prediction[u] = surface_voxels(prediction_box, spatial);
    edge_target[u] = surface_voxels(target_box, spatial);
    surface_sizes.push_back(torch::stack({edge_prediction[u].sum(), edge_target[u].sum()}));
  }
  const auto sizes_on_host =
      surface_sizes.empty() ? torch::Tensor() : torch::stack(surface_sizes).to(torch::kCPU).contiguous();
  // The distances at the surface voxels, in masked_select's order without its synchronisation: the
  // number n is known, so the surface voxels are scattered to ranks 0..n-1 and the others after
  // them (a permutation: no index repeats, so the scatter is deterministic), and the first n kept.
  const auto at_surface = [](const torch::Tensor& squared, const torch::Tensor& edge, int64_t n) {
    const auto flat = edge.flatten();
    const auto rank = torch::where(flat, flat.cumsum(0) - 1, flat.logical_not().cumsum(0) + (n - 1));
    return torch::empty({flat.numel()}, squared.options()).scatter_(0, rank, squared.flatten()).narrow(0, 0, n).sqrt_();
  };

  std::vector<torch::Tensor> hausdorff, percentile, average, dice, n_prediction, n_target;
  std::vector<torch::Tensor>* const metric[4] = {&hausdorff, &percentile, &average, &dice};
  const auto constant = [&](double value) { return torch::full({}, value, scalar_options); };
  const auto count = [&](int64_t value) { return torch::full({}, value, scalar_options.dtype(torch::kLong)); };
  const int64_t* sizes_data = sizes_on_host.defined() ? sizes_on_host.data_ptr<int64_t>() : nullptr;
  for (int64_t r = 0, with_box = 0; r < rows; ++r) {
    const auto u = static_cast<size_t>(r);
    const bool any = edge_prediction[u].defined();
    const int64_t n_p = any ? sizes_data[2 * with_box] : 0, n_t = any ? sizes_data[2 * with_box + 1] : 0;
    with_box += any;
    n_prediction.push_back(count(n_p));
    n_target.push_back(count(n_t));
    double fixed[4];
    if (fixed_surface_values(any, n_p, n_t, options.empty(), one_sided, fixed)) {
      for (size_t m = 0; m < 4; ++m) metric[m]->push_back(constant(fixed[m]));
      continue;
    }
    // squared[0] = to the target surface, squared[1] = to the predicted surface.
    // Distances are needed at the other surface only (the queries).
    const auto squared = squared_distance_to_features(torch::stack({edge_target[u], edge_prediction[u]}), spacing,
                                                      surface.method(), dtype, function,
                                                      torch::stack({edge_prediction[u], edge_target[u]}));
    const auto prediction_to_target = at_surface(squared[0], edge_prediction[u], n_p);
    const auto target_to_prediction = at_surface(squared[1], edge_target[u], n_t);
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

/// The CPU path: every row on the host (surface_distance_cpu.hpp), no tensor op per row and no
/// full-size temporary. Results are the tensor path's: the same distances (up to ties in the last
/// bit), the same percentile arithmetic; sums may differ in the last bits (another order).
template <typename T>
SurfaceDistances host_surface_distances(const HostMaskInput& prediction, const HostMaskInput& target, int64_t batch,
                                        const std::vector<int64_t>& sizes, const SegmentationOptions& options,
                                        const SurfaceDistanceOptions& surface, bool with_percentile,
                                        const char* function) {
  const int64_t rows = batch * prediction.channels;
  const double threshold = options.threshold();
  // Boxes of every row, and the input checks (the prediction's message first, as foreground()).
  std::vector<RowBox> boxes(static_cast<size_t>(rows));
  std::vector<uint8_t> broken(static_cast<size_t>(2 * rows), 0);
  at::parallel_for(0, rows, 1, [&](int64_t begin, int64_t end) {
    std::vector<uint8_t> line;
    for (int64_t r = begin; r < end; ++r) {
      auto& box = boxes[static_cast<size_t>(r)];
      broken[static_cast<size_t>(2 * r)] = grow_box(prediction, r, sizes, threshold, box, line);
      broken[static_cast<size_t>(2 * r + 1)] = grow_box(target, r, sizes, threshold, box, line);
    }
  });
  for (int side = 0; side < 2; ++side) {
    for (int64_t r = 0; r < rows; ++r) {
      const char* name = side == 0 ? "prediction" : "target";
      TORCH_CHECK(!broken[static_cast<size_t>(2 * r + side)],
                  broken_mask_message(side == 0 ? prediction : target, function, name));
    }
  }
  const auto spacing = spacing_for(options, static_cast<int64_t>(sizes.size()), function);
  const double one_sided = one_sided_distance(surface, sizes, spacing);
  const double q = surface.percentile() / 100.0;
  std::vector<T> metric[4];  // HD, HDp, ASSD, surface Dice
  for (auto& values : metric) values.resize(static_cast<size_t>(rows));
  auto n_prediction = torch::zeros({batch, prediction.channels}, torch::kLong);
  auto n_target = torch::zeros({batch, prediction.channels}, torch::kLong);
  // Kept from call to call (per thread), so that a batch after batch does not fault in fresh pages
  // for every row's buffers; released below when a large image made them large.
  static thread_local SurfaceWorkspace<T> work;
  const HostMaskInput* inputs[2] = {&prediction, &target};
  for (int64_t r = 0; r < rows; ++r) {
    const auto row = static_cast<size_t>(r);
    int64_t n_p = 0, n_t = 0;
    if (boxes[row].any) {
      work.load(inputs, r, sizes, boxes[row], threshold);
      n_p = work.extract_surface(0);
      n_t = work.extract_surface(1);
    }
    n_prediction.data_ptr<int64_t>()[r] = n_p;
    n_target.data_ptr<int64_t>()[r] = n_t;
    double fixed[4];
    if (fixed_surface_values(boxes[row].any, n_p, n_t, options.empty(), one_sided, fixed)) {
      for (size_t m = 0; m < 4; ++m) metric[m][row] = static_cast<T>(fixed[m]);
      continue;
    }
    work.distances_to_other_surface(0, spacing);  // predicted surface → target surface
    const auto to_target = summarise(work.distances, with_percentile, q, surface.tolerance());
    work.distances_to_other_surface(1, spacing);
    const auto to_prediction = summarise(work.distances, with_percentile, q, surface.tolerance());
    const T n_both = static_cast<T>(n_p + n_t);
    metric[0][row] = std::max(to_target.max, to_prediction.max);
    metric[1][row] = std::max(to_target.percentile, to_prediction.percentile);
    metric[2][row] = (to_target.sum + to_prediction.sum) / n_both;
    metric[3][row] = static_cast<T>(to_target.within_tolerance + to_prediction.within_tolerance) / n_both;
  }
  if (work.bytes() > (int64_t(1) << 26)) work = SurfaceWorkspace<T>();  // keep at most 64 MiB
  const auto dtype = c10::CppTypeToScalarType<T>::value;
  const auto assemble = [&](std::vector<T>& values) {
    return torch::from_blob(values.data(), {batch, prediction.channels}, torch::TensorOptions().dtype(dtype)).clone();
  };
  SurfaceDistances out;
  out.hausdorff = assemble(metric[0]);
  if (with_percentile) out.hausdorff_percentile = assemble(metric[1]);
  out.average_surface_distance = assemble(metric[2]);
  out.surface_dice = assemble(metric[3]);
  out.surface_voxels_prediction = n_prediction;
  out.surface_voxels_target = n_target;
  return out;
}

inline SurfaceDistances surface_distances(const torch::Tensor& prediction, const torch::Tensor& target,
                                          const SegmentationOptions& options,
                                          const SurfaceDistanceOptions& surface, bool with_percentile,
                                          const char* function) {
  check_segmentation_options(options, function);
  TORCH_CHECK(surface.percentile() >= 0.0 && surface.percentile() <= 100.0, function,
              ": percentile must be in [0, 100], got ", surface.percentile());
  TORCH_CHECK(std::isfinite(surface.tolerance()) && surface.tolerance() >= 0.0, function,
              ": tolerance must be finite and >= 0, got ", surface.tolerance());
  const bool host = prediction.device().is_cpu() && target.device().is_cpu() &&
                    surface.method() != DistanceTransformMethod::BruteForce &&
                    (surface.dtype() == torch::kDouble || surface.dtype() == torch::kFloat);
  if (!host) return tensor_surface_distances(mask_pair(prediction, target, options, function), options, surface,
                                             with_percentile, function);
  HostMaskInput pred, truth;
  MaskPair masks;  // only where the inputs need foreground() (label maps, argmax, half precision)
  if (prediction.sizes() != target.sizes() || !host_mask_input(prediction, options, pred) ||
      !host_mask_input(target, options, truth)) {
    masks = mask_pair(prediction, target, options, function);
    pred = host_mask_of_bool(masks.prediction);
    truth = host_mask_of_bool(masks.target);
  }
  const auto& shape = masks.prediction.defined() ? masks.prediction : prediction;
  const auto sizes = shape.sizes().slice(2).vec();
  if (surface.dtype() == torch::kFloat) {
    return host_surface_distances<float>(pred, truth, shape.size(0), sizes, options, surface, with_percentile,
                                         function);
  }
  return host_surface_distances<double>(pred, truth, shape.size(0), sizes, options, surface, with_percentile, function);
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

/// Hausdorff distance (the maximum), (B, C); the percentile is not computed.
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
