#pragma once
/// @file
/// Random flips and 90° rotations (MONAI's RandFlip, RandRotate90): exact (no interpolation),
/// the same on every view and the mask. Draws from the sample's Pcg32: one uniform for "apply?",
/// then (RandRotate90) one integer for k.

#include <string>
#include <vector>

#include <torch/torch.h>

#include "osteon/data/transforms/transform.hpp"

namespace osteon::data {

/// Options of RandFlip.
struct RandFlipOptions {
  /// Probability of flipping (MONAI's default 0.1).
  TORCH_ARG(double, prob) = 0.1;
  /// Spatial axes to flip (0 = first spatial axis); empty = all of them (MONAI's None).
  TORCH_ARG(std::vector<std::int64_t>, spatial_axis) = {};
};

/// MONAI's RandFlip: with probability prob, flips the spatial axes given.
///
/// Example:
///   osteon::data::RandFlip flip(osteon::data::RandFlipOptions().prob(0.5).spatial_axis({1}));  // left-right in 2-D
class RandFlip : public Transform {
 public:
  explicit RandFlip(RandFlipOptions options = {}) : options_(std::move(options)) {
    TORCH_CHECK(options_.prob() >= 0 && options_.prob() <= 1, "RandFlip: prob must be in [0, 1], got ", options_.prob());
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32& rng) const override {
    detail::check_spatial_sample(sample, name());
    if (!(rng.uniform01() < options_.prob())) return sample;
    const auto dims = sample.spatial_dims();
    std::vector<std::int64_t> axes;
    if (options_.spatial_axis().empty()) {
      for (std::int64_t d = 0; d < dims; ++d) axes.push_back(d + 1);
    } else {
      for (const auto a : options_.spatial_axis()) {
        TORCH_CHECK(a >= -dims && a < dims, "RandFlip: spatial_axis ", a, " out of range for ", dims, " spatial dims");
        axes.push_back((a < 0 ? a + dims : a) + 1);
      }
    }
    const auto flip = [&](const torch::Tensor& x) { return torch::flip(x, axes); };
    return detail::map_geometry(std::move(sample), flip, flip);
  }
  std::string name() const override { return "RandFlip"; }

 private:
  RandFlipOptions options_;
};

/// Options of RandRotate90.
struct RandRotate90Options {
  TORCH_ARG(double, prob) = 0.1;
  /// k is drawn from 1 … max_k quarter turns.
  TORCH_ARG(std::int64_t, max_k) = 3;
  /// The plane of rotation: two spatial axes.
  TORCH_ARG(std::vector<std::int64_t>, spatial_axes) = std::vector<std::int64_t>{0, 1};
};

/// MONAI's RandRotate90: with probability prob, k ∈ {1, …, max_k} quarter turns (torch.rot90)
/// in the plane of spatial_axes.
///
/// Example:
///   osteon::data::RandRotate90 rotate(osteon::data::RandRotate90Options().prob(0.5).spatial_axes({1, 2}));
class RandRotate90 : public Transform {
 public:
  explicit RandRotate90(RandRotate90Options options = {}) : options_(std::move(options)) {
    TORCH_CHECK(options_.prob() >= 0 && options_.prob() <= 1, "RandRotate90: prob must be in [0, 1], got ", options_.prob());
    TORCH_CHECK(options_.max_k() >= 1, "RandRotate90: max_k must be >= 1, got ", options_.max_k());
    TORCH_CHECK(options_.spatial_axes().size() == 2 && options_.spatial_axes()[0] != options_.spatial_axes()[1],
                "RandRotate90: spatial_axes must be two different axes, got ", options_.spatial_axes().size(), " entries");
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32& rng) const override {
    detail::check_spatial_sample(sample, name());
    if (!(rng.uniform01() < options_.prob())) return sample;
    const auto k = static_cast<std::int64_t>(rng.uniform_below(static_cast<std::uint64_t>(options_.max_k()))) + 1;
    const auto dims = sample.spatial_dims();
    std::vector<std::int64_t> plane;
    for (const auto a : options_.spatial_axes()) {
      TORCH_CHECK(a >= -dims && a < dims, "RandRotate90: spatial_axes entry ", a, " out of range for ", dims, " spatial dims");
      plane.push_back((a < 0 ? a + dims : a) + 1);
    }
    if (k % 2 == 1 && !sample.spacing.empty()) std::swap(sample.spacing[plane[0] - 1], sample.spacing[plane[1] - 1]);
    const auto rotate = [&](const torch::Tensor& x) { return torch::rot90(x, k, plane); };
    return detail::map_geometry(std::move(sample), rotate, rotate);
  }
  std::string name() const override { return "RandRotate90"; }

 private:
  RandRotate90Options options_;
};

}  // namespace osteon::data
