#pragma once
/// @file
/// Resampling, MONAI's names: Resize (to a size, torch's interpolate as MONAI does) and Spacing
/// (to a voxel spacing in mm, MONAI's shape rule). Masks always nearest neighbour.

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osteon/data/transforms/transform.hpp"

namespace osteon::data {

namespace detail {

/// torch::nn::functional::interpolate of a (C, spatial...) tensor; integer tensors (masks) are
/// interpolated as float and cast back.
inline torch::Tensor interpolate_spatial(const torch::Tensor& x, const std::vector<std::int64_t>& size,
                                         const std::string& mode, std::optional<bool> align_corners) {
  namespace F = torch::nn::functional;
  auto options = F::InterpolateFuncOptions().size(size);
  const auto dims = x.dim() - 1;
  if (mode == "nearest") {
    options.mode(torch::kNearest);
  } else if (mode == "nearest-exact") {
    options.mode(torch::kNearestExact);
  } else if (mode == "area") {
    options.mode(torch::kArea);
  } else if (mode == "linear" || mode == "bilinear" || mode == "trilinear") {
    TORCH_CHECK(!(mode == "bilinear" && dims != 2) && !(mode == "trilinear" && dims != 3), "Resize: mode \"", mode,
                "\" does not fit ", dims, " spatial dims");
    if (dims == 2) options.mode(torch::kBilinear); else options.mode(torch::kTrilinear);
    options.align_corners(align_corners.value_or(false));
  } else if (mode == "bicubic") {
    TORCH_CHECK(dims == 2, "Resize: mode \"bicubic\" needs 2 spatial dims, got ", dims);
    options.mode(torch::kBicubic).align_corners(align_corners.value_or(false));
  } else {
    TORCH_CHECK(false, "Resize: mode must be \"area\", \"nearest\", \"nearest-exact\", \"bilinear\", \"trilinear\" or \"bicubic\", got \"",
                mode, "\"");
  }
  const auto floating = x.is_floating_point() ? x : x.to(torch::kFloat);
  auto out = F::interpolate(floating.unsqueeze(0), options).squeeze(0);
  return x.is_floating_point() ? out : out.to(x.scalar_type());
}


/// grid_sample of a (C, spatial...) tensor through `grid` (1, spatial..., dims), align_corners;
/// integer tensors (masks) are sampled as float and rounded back.
inline torch::Tensor grid_resample(const torch::Tensor& x, const torch::Tensor& grid, bool nearest,
                                   const std::string& padding_mode) {
  namespace F = torch::nn::functional;
  auto options = F::GridSampleFuncOptions().align_corners(true);
  if (nearest) {
    options.mode(torch::kNearest);
  } else {
    options.mode(torch::kBilinear);
  }
  if (padding_mode == "border") {
    options.padding_mode(torch::kBorder);
  } else if (padding_mode == "zeros") {
    options.padding_mode(torch::kZeros);
  } else {
    options.padding_mode(torch::kReflection);
  }
  auto out = F::grid_sample(x.to(torch::kFloat).unsqueeze(0), grid, options).squeeze(0);
  return x.is_floating_point() ? out.to(x.scalar_type()) : out.round().to(x.scalar_type());
}

}  // namespace detail

/// Options of Resize.
struct ResizeOptions {
  explicit ResizeOptions(std::vector<std::int64_t> spatial_size) : spatial_size_(std::move(spatial_size)) {}
  /// Output size; −1 keeps an axis (MONAI's size_mode "all").
  TORCH_ARG(std::vector<std::int64_t>, spatial_size);
  /// Images: "area" (MONAI's default), "nearest", "nearest-exact", "bilinear" / "trilinear", "bicubic".
  TORCH_ARG(std::string, mode) = "area";
  TORCH_ARG(std::optional<bool>, align_corners) = std::nullopt;
};

/// MONAI's Resize: torch.nn.functional.interpolate to spatial_size; masks nearest.
///
/// Example:
///   osteon::data::Resize resize(osteon::data::ResizeOptions({224, 224}).mode("bilinear"));
class Resize : public Transform {
 public:
  explicit Resize(ResizeOptions options) : options_(std::move(options)) {
    for (const auto s : options_.spatial_size()) TORCH_CHECK(s == -1 || s >= 1, "Resize: spatial_size entries must be >= 1 or -1, got ", s);
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32&) const override {
    detail::check_spatial_sample(sample, name());
    const auto size = sample.spatial_size();
    auto target = detail::per_axis(options_.spatial_size(), static_cast<std::int64_t>(size.size()), name(), "spatial_size");
    for (std::size_t d = 0; d < size.size(); ++d) {
      if (target[d] < 0) target[d] = size[d];
      if (!sample.spacing.empty()) sample.spacing[d] *= static_cast<double>(size[d]) / static_cast<double>(target[d]);
    }
    return detail::map_geometry(
        std::move(sample), [&](const torch::Tensor& x) { return detail::interpolate_spatial(x, target, options_.mode(), options_.align_corners()); },
        [&](const torch::Tensor& x) { return detail::interpolate_spatial(x, target, "nearest", std::nullopt); });
  }
  std::string name() const override { return "Resize"; }

 private:
  ResizeOptions options_;
};

/// Options of Spacing.
struct SpacingOptions {
  explicit SpacingOptions(std::vector<double> pixdim) : pixdim_(std::move(pixdim)) {}
  /// Target spacing per spatial axis (array order, as Sample::spacing), mm; one value for all;
  /// a value <= 0 keeps that axis's spacing.
  TORCH_ARG(std::vector<double>, pixdim);
  /// Images: "bilinear" (linear in 2-D and 3-D, MONAI's default) or "nearest".
  TORCH_ARG(std::string, mode) = "bilinear";
  /// Outside the input: "border" (MONAI's default), "zeros" or "reflection".
  TORCH_ARG(std::string, padding_mode) = "border";
};

/// MONAI's Spacing for axis-aligned images: resamples to `pixdim`, keeping the first voxel's
/// centre in place. The output has round((n − 1)·s / s′) + 1 voxels on an axis of n voxels at
/// spacing s (MONAI's compute_shape_offset without scale_extent); output voxel j samples the
/// input at j·s′ / s. Needs `sample.spacing`.
///
/// Example:
///   osteon::data::Spacing resample(osteon::data::SpacingOptions({1.0, 1.0, 1.0}));   // isotropic 1 mm
class Spacing : public Transform {
 public:
  explicit Spacing(SpacingOptions options) : options_(std::move(options)) {
    for (const double p : options_.pixdim()) TORCH_CHECK(std::isfinite(p), "Spacing: pixdim must be finite, got ", p);
    TORCH_CHECK(options_.mode() == "bilinear" || options_.mode() == "nearest",
                "Spacing: mode must be \"bilinear\" or \"nearest\", got \"", options_.mode(), "\"");
    TORCH_CHECK(options_.padding_mode() == "border" || options_.padding_mode() == "zeros" || options_.padding_mode() == "reflection",
                "Spacing: padding_mode must be \"border\", \"zeros\" or \"reflection\", got \"", options_.padding_mode(), "\"");
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32&) const override {
    detail::check_spatial_sample(sample, name());
    const auto size = sample.spatial_size();
    const auto dims = static_cast<std::int64_t>(size.size());
    TORCH_CHECK(static_cast<std::int64_t>(sample.spacing.size()) == dims, "Spacing: the sample \"", sample.id, "\" has ",
                sample.spacing.size(), " spacing values for ", dims, " spatial dims");
    const auto target = detail::per_axis(options_.pixdim(), dims, name(), "pixdim");
    const auto device = sample.image().device();
    std::vector<torch::Tensor> axes;  // normalised sample positions per axis (align_corners=True)
    std::vector<std::int64_t> out_size(size.size());
    for (std::int64_t d = 0; d < dims; ++d) {
      const double new_spacing = target[d] > 0 ? target[d] : sample.spacing[d];
      const double ratio = new_spacing / sample.spacing[d];
      out_size[d] = static_cast<std::int64_t>(std::llround(static_cast<double>(size[d] - 1) / ratio)) + 1;
      auto position = torch::arange(out_size[d], torch::TensorOptions().dtype(torch::kDouble)) * ratio;
      axes.push_back(size[d] > 1 ? (position * (2.0 / static_cast<double>(size[d] - 1)) - 1.0) : position * 0.0);
      sample.spacing[d] = new_spacing;
    }
    auto mesh = torch::meshgrid(axes, "ij");
    std::reverse(mesh.begin(), mesh.end());  // grid_sample wants (x, y[, z]) = last axis first
    const auto grid = torch::stack(mesh, -1).unsqueeze(0).to(torch::TensorOptions().dtype(torch::kFloat).device(device));
    return detail::map_geometry(
        std::move(sample),
        [&](const torch::Tensor& x) { return detail::grid_resample(x, grid, options_.mode() == "nearest", options_.padding_mode()); },
        [&](const torch::Tensor& x) { return detail::grid_resample(x, grid, true, options_.padding_mode()); });
  }
  std::string name() const override { return "Spacing"; }

 private:
  SpacingOptions options_;
};

}  // namespace osteon::data
