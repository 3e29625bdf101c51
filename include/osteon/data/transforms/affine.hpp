#pragma once
/// @file
/// RandAffine (MONAI's name): a small random rotation, scaling and shift about the image centre,
/// for 2-D and 3-D, resampled with grid_sample — images bilinear, the mask nearest neighbour,
/// both through the same grid. Ranges as MONAI's: one value v draws uniformly from (−v, v); the
/// scale is 1 + draw. Angles in radians, shifts in voxels. The grid maps each output voxel p to
/// the input position A·(p − c) + c + t, with c the centre ((n − 1) / 2) and A = R·S.

#include <cmath>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osteon/data/transforms/spatial.hpp"
#include "osteon/data/transforms/transform.hpp"

namespace osteon::data {

/// Options of RandAffine.
struct RandAffineOptions {
  TORCH_ARG(double, prob) = 0.1;
  /// Rotation range(s), radians: one angle in 2-D; in 3-D one per plane ((1,2), (0,2), (0,1)) — a
  /// single value applies to all three.
  TORCH_ARG(std::vector<double>, rotate_range) = {};
  /// Scale range per axis (one value for all): factor 1 + U(−v, v).
  TORCH_ARG(std::vector<double>, scale_range) = {};
  /// Shift range per axis in voxels (one value for all).
  TORCH_ARG(std::vector<double>, translate_range) = {};
  /// Images: "bilinear" or "nearest".
  TORCH_ARG(std::string, mode) = "bilinear";
  /// "reflection" (MONAI's default), "zeros" or "border"; the mask is padded the same way.
  TORCH_ARG(std::string, padding_mode) = "reflection";
};

/// MONAI's RandAffine (rotation, scale and translation; no shear).
///
/// Example:
///   osteon::data::RandAffine affine(osteon::data::RandAffineOptions().prob(0.5)
///       .rotate_range({0.26}).scale_range({0.1}).translate_range({4}));   // ±15°, ±10 %, ±4 voxels
class RandAffine : public Transform {
 public:
  explicit RandAffine(RandAffineOptions options = {}) : options_(std::move(options)) {
    TORCH_CHECK(options_.prob() >= 0 && options_.prob() <= 1, "RandAffine: prob must be in [0, 1], got ", options_.prob());
    TORCH_CHECK(options_.mode() == "bilinear" || options_.mode() == "nearest",
                "RandAffine: mode must be \"bilinear\" or \"nearest\", got \"", options_.mode(), "\"");
    TORCH_CHECK(options_.padding_mode() == "reflection" || options_.padding_mode() == "zeros" || options_.padding_mode() == "border",
                "RandAffine: padding_mode must be \"reflection\", \"zeros\" or \"border\", got \"", options_.padding_mode(), "\"");
    for (const auto* range : {&options_.rotate_range(), &options_.scale_range(), &options_.translate_range()}) {
      for (const double v : *range) TORCH_CHECK(std::isfinite(v) && v >= 0, "RandAffine: ranges must be finite and >= 0, got ", v);
    }
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32& rng) const override {
    detail::check_spatial_sample(sample, name());
    if (!(rng.uniform01() < options_.prob())) return sample;
    const auto dims = sample.spatial_dims();
    const auto draws = [&](const std::vector<double>& range, std::int64_t count, const char* what) {
      std::vector<double> out(static_cast<std::size_t>(count), 0.0);
      if (range.empty()) return out;
      const auto ranges = detail::per_axis(range, count, name(), what);
      for (std::int64_t i = 0; i < count; ++i) out[i] = detail::uniform(rng, -ranges[i], ranges[i]);
      return out;
    };
    const auto angles = draws(options_.rotate_range(), dims == 2 ? 1 : 3, "rotate_range");
    auto scales = draws(options_.scale_range(), dims, "scale_range");
    const auto shifts = draws(options_.translate_range(), dims, "translate_range");
    for (auto& s : scales) s += 1.0;
    // A = R · S in array-axis order.
    auto matrix = torch::eye(dims, torch::kDouble);
    const auto plane_rotation = [&](std::int64_t a, std::int64_t b, double angle) {
      auto r = torch::eye(dims, torch::kDouble);
      r[a][a] = std::cos(angle);
      r[a][b] = -std::sin(angle);
      r[b][a] = std::sin(angle);
      r[b][b] = std::cos(angle);
      return r;
    };
    if (dims == 2) {
      matrix = plane_rotation(0, 1, angles[0]);
    } else {
      matrix = plane_rotation(1, 2, angles[0]).mm(plane_rotation(0, 2, angles[1])).mm(plane_rotation(0, 1, angles[2]));
    }
    matrix = matrix.mm(torch::diag(torch::tensor(scales, torch::kDouble)));
    const auto size = sample.spatial_size();
    std::vector<torch::Tensor> axes;
    for (std::int64_t d = 0; d < dims; ++d) {
      axes.push_back(torch::arange(size[d], torch::kDouble) - static_cast<double>(size[d] - 1) / 2.0);
    }
    const auto mesh = torch::meshgrid(axes, "ij");
    const auto points = torch::stack(mesh, -1).reshape({-1, dims});  // (N, dims), centred
    auto source = points.mm(matrix.t());
    std::vector<torch::Tensor> normalised;
    for (std::int64_t d = dims; d-- > 0;) {  // grid_sample order: last axis first
      const double half = static_cast<double>(size[d] - 1) / 2.0;
      auto position = source.select(1, d) + shifts[d];
      normalised.push_back(half > 0 ? position / half : position * 0.0);
    }
    std::vector<std::int64_t> grid_shape{1};
    for (const auto s : size) grid_shape.push_back(s);
    grid_shape.push_back(dims);
    const auto grid = torch::stack(normalised, -1).reshape(grid_shape).to(
        torch::TensorOptions().dtype(torch::kFloat).device(sample.image().device()));
    return detail::map_geometry(
        std::move(sample),
        [&](const torch::Tensor& x) { return detail::grid_resample(x, grid, options_.mode() == "nearest", options_.padding_mode()); },
        [&](const torch::Tensor& x) { return detail::grid_resample(x, grid, true, options_.padding_mode()); });
  }
  std::string name() const override { return "RandAffine"; }

 private:
  RandAffineOptions options_;
};

}  // namespace osteon::data
