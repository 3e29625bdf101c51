#pragma once
/// @file
/// The transform interface and `Compose`. A transform maps a `Sample` to a `Sample` (a patch
/// sampler such as RandCropByPosNegLabel to several, through `expand`); random ones draw from the
/// `Pcg32` they are given, never from a global generator, so that one seed gives the same
/// augmentation on every platform and with any number of loader threads (the loader seeds one
/// generator per sample from its seed, the epoch and the sample's index).
///
/// Geometric transforms apply the same geometry to every view and to the mask (masks with
/// nearest-neighbour interpolation); intensity transforms change the images only.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "osteon/core/rng.hpp"
#include "osteon/data/sample.hpp"

namespace osteon::data {

/// Base of every transform.
class Transform {
 public:
  virtual ~Transform() = default;
  /// The transformed sample. Transforms that make several samples (`expand`) refuse this call.
  virtual Sample operator()(Sample sample, Pcg32& rng) const = 0;
  /// All samples this transform makes from one (one, except patch samplers).
  virtual std::vector<Sample> expand(Sample sample, Pcg32& rng) const {
    std::vector<Sample> out;
    out.push_back((*this)(std::move(sample), rng));
    return out;
  }
  /// MONAI's class name ("RandFlip"), for messages and repr.
  virtual std::string name() const = 0;
  /// Runs with a generator seeded from `seed` (convenience for one call).
  Sample operator()(Sample sample, std::uint64_t seed = 0) const {
    Pcg32 rng(seed);
    return (*this)(std::move(sample), rng);
  }
};

using TransformPtr = std::shared_ptr<const Transform>;

/// Transforms applied in order (MONAI's Compose). After a transform that makes several samples,
/// the next ones apply to each of them.
///
/// Example:
///   using namespace osteon::data;
///   auto pipeline = std::make_shared<Compose>(std::vector<TransformPtr>{
///       std::make_shared<ScaleIntensityRange>(ScaleIntensityRangeOptions(-1000, 1000).b_min(0).b_max(1).clip(true)),
///       std::make_shared<RandFlip>(RandFlipOptions().prob(0.5))});
///   osteon::Pcg32 rng(7);
///   Sample out = (*pipeline)(sample, rng);
class Compose : public Transform {
 public:
  explicit Compose(std::vector<TransformPtr> transforms) : transforms_(std::move(transforms)) {
    for (std::size_t t = 0; t < transforms_.size(); ++t) {
      TORCH_CHECK(transforms_[t] != nullptr, "Compose: transform ", t, " is null");
    }
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32& rng) const override {
    auto out = expand(std::move(sample), rng);
    TORCH_CHECK(out.size() == 1, "Compose: the pipeline makes ", out.size(),
                " samples from one (a patch sampler); call expand()");
    return std::move(out.front());
  }
  std::vector<Sample> expand(Sample sample, Pcg32& rng) const override {
    std::vector<Sample> current;
    current.push_back(std::move(sample));
    for (const auto& transform : transforms_) {
      std::vector<Sample> next;
      for (auto& item : current) {
        auto made = transform->expand(std::move(item), rng);
        for (auto& m : made) next.push_back(std::move(m));
      }
      current = std::move(next);
    }
    return current;
  }
  std::string name() const override { return "Compose"; }
  const std::vector<TransformPtr>& transforms() const { return transforms_; }

 private:
  std::vector<TransformPtr> transforms_;
};

namespace detail {

/// Applies `image_op` to every view and `mask_op` to the mask (when there is one).
template <typename ImageOp, typename MaskOp>
Sample map_geometry(Sample sample, ImageOp&& image_op, MaskOp&& mask_op) {
  for (auto& image : sample.images) image = image_op(image);
  if (sample.mask.defined()) sample.mask = mask_op(sample.mask);
  return sample;
}

/// Checks that `sample` has images with 2 or 3 spatial dims, and that a mask matches their size.
inline void check_spatial_sample(const Sample& sample, const std::string& who) {
  TORCH_CHECK(!sample.images.empty(), who, ": the sample \"", sample.id, "\" has no image");
  const auto& first = sample.images.front();
  TORCH_CHECK(first.dim() == 3 || first.dim() == 4, who, ": images must be (C, H, W) or (C, D, H, W), got shape ",
              first.sizes());
  for (const auto& image : sample.images) {
    TORCH_CHECK(image.sizes().slice(1) == first.sizes().slice(1), who, ": views differ in spatial size: ",
                image.sizes(), " vs ", first.sizes());
  }
  if (sample.mask.defined()) {
    TORCH_CHECK(sample.mask.dim() == first.dim() && sample.mask.sizes().slice(1) == first.sizes().slice(1), who,
                ": the mask has shape ", sample.mask.sizes(), ", the image ", first.sizes(),
                " (same spatial size expected)");
  }
}

/// Uniform draw in [low, high) from osteon's generator.
inline double uniform(Pcg32& rng, double low, double high) { return low + (high - low) * rng.uniform01(); }

/// Expands a per-axis option: one value → `dims` copies; `dims` values → as given.
template <typename T>
std::vector<T> per_axis(const std::vector<T>& values, std::int64_t dims, const std::string& who, const char* what) {
  TORCH_CHECK(values.size() == 1 || static_cast<std::int64_t>(values.size()) == dims, who, ": ", what,
              " must have 1 or ", dims, " entries, got ", values.size());
  return values.size() == 1 ? std::vector<T>(static_cast<std::size_t>(dims), values.front()) : values;
}

}  // namespace detail

}  // namespace osteon::data
