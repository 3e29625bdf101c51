#pragma once
/// @file
/// Patch sampling for 3-D (and 2-D) training, MONAI's names and semantics: RandSpatialCrop (one
/// window at a uniform position) and RandCropByPosNegLabel (`num_samples` windows centred on
/// foreground with probability pos / (pos + neg), else on background). The candidate voxels are
/// found on the host (the centres are host integers: one synchronisation per sample, as MONAI's
/// map_binary_to_indices).

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osteon/data/transforms/crop_pad.hpp"
#include "osteon/data/transforms/transform.hpp"

namespace osteon::data {

/// MONAI's RandSpatialCrop with random_center and fixed size: a window of roi_size at a uniform
/// position (axes smaller than roi_size are kept whole).
///
/// Example:
///   osteon::data::RandSpatialCrop crop({32, 32, 32});
class RandSpatialCrop : public Transform {
 public:
  explicit RandSpatialCrop(std::vector<std::int64_t> roi_size) : roi_size_(std::move(roi_size)) {
    for (const auto s : roi_size_) TORCH_CHECK(s >= 1, "RandSpatialCrop: roi_size entries must be >= 1, got ", s);
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32& rng) const override {
    detail::check_spatial_sample(sample, name());
    const auto size = sample.spatial_size();
    auto roi = detail::per_axis(roi_size_, static_cast<std::int64_t>(size.size()), name(), "roi_size");
    std::vector<std::int64_t> start(size.size());
    for (std::size_t d = 0; d < size.size(); ++d) {
      roi[d] = std::min(roi[d], size[d]);
      start[d] = static_cast<std::int64_t>(rng.uniform_below(static_cast<std::uint64_t>(size[d] - roi[d] + 1)));
    }
    return detail::crop_sample(std::move(sample), start, roi);
  }
  std::string name() const override { return "RandSpatialCrop"; }

 private:
  std::vector<std::int64_t> roi_size_;
};

/// Options of RandCropByPosNegLabel (MONAI's arguments).
struct RandCropByPosNegLabelOptions {
  explicit RandCropByPosNegLabelOptions(std::vector<std::int64_t> spatial_size) : spatial_size_(std::move(spatial_size)) {}
  /// Window size; −1 takes the mask's size on that axis.
  TORCH_ARG(std::vector<std::int64_t>, spatial_size);
  TORCH_ARG(double, pos) = 1.0;
  TORCH_ARG(double, neg) = 1.0;
  TORCH_ARG(std::int64_t, num_samples) = 1;
  /// With `use_image`, only voxels whose image (first view, any channel) is above this count as candidates.
  TORCH_ARG(double, image_threshold) = 0.0;
  TORCH_ARG(bool, use_image) = false;
  /// A mask smaller than the window: false → an error (MONAI's default), true → that axis whole.
  TORCH_ARG(bool, allow_smaller) = false;
};

/// MONAI's RandCropByPosNegLabel: foreground = mask > 0 (any channel), background = mask == 0;
/// each of num_samples windows picks foreground with probability pos / (pos + neg) and a
/// uniform voxel of that set as its centre, shifted inside the image as MONAI's
/// correct_crop_centers does. With no foreground (or no background) all windows use the other set.
///
/// Example:
///   osteon::data::RandCropByPosNegLabel patches(
///       osteon::data::RandCropByPosNegLabelOptions({32, 32, 32}).pos(1).neg(1).num_samples(4));
///   auto four = patches.expand(volume_sample, rng);   // 4 samples of 32³
class RandCropByPosNegLabel : public Transform {
 public:
  explicit RandCropByPosNegLabel(RandCropByPosNegLabelOptions options) : options_(std::move(options)) {
    TORCH_CHECK(options_.pos() >= 0 && options_.neg() >= 0 && options_.pos() + options_.neg() > 0,
                "RandCropByPosNegLabel: pos and neg must be >= 0 and not both 0, got pos ", options_.pos(), ", neg ",
                options_.neg());
    TORCH_CHECK(options_.num_samples() >= 1, "RandCropByPosNegLabel: num_samples must be >= 1, got ", options_.num_samples());
    for (const auto s : options_.spatial_size()) {
      TORCH_CHECK(s == -1 || s >= 1, "RandCropByPosNegLabel: spatial_size entries must be >= 1 or -1, got ", s);
    }
  }
  Sample operator()(Sample sample, Pcg32& rng) const override {
    TORCH_CHECK(options_.num_samples() == 1, "RandCropByPosNegLabel: num_samples is ", options_.num_samples(),
                "; use expand() (or a Compose, which does) to get all of them");
    return std::move(expand(std::move(sample), rng).front());
  }
  using Transform::operator();

  /// The window centres drawn for a mask of `mask_size` (exposed for tests and for MONAI parity):
  /// `foreground` / `background` are flat (C-order) voxel indices.
  std::vector<std::vector<std::int64_t>> centres(const std::vector<std::int64_t>& mask_size,
                                                 const std::vector<std::int64_t>& foreground,
                                                 const std::vector<std::int64_t>& background, Pcg32& rng) const {
    TORCH_CHECK(!foreground.empty() || !background.empty(), "RandCropByPosNegLabel: no sampling location available");
    double pos_ratio = options_.pos() / (options_.pos() + options_.neg());
    if (foreground.empty()) pos_ratio = 0.0;
    if (background.empty()) pos_ratio = 1.0;
    const auto dims = static_cast<std::int64_t>(mask_size.size());
    auto roi = window(mask_size);
    std::vector<std::vector<std::int64_t>> out;
    for (std::int64_t s = 0; s < options_.num_samples(); ++s) {
      const auto& pool = rng.uniform01() < pos_ratio ? foreground : background;
      auto flat = pool[rng.uniform_below(pool.size())];
      std::vector<std::int64_t> centre(static_cast<std::size_t>(dims));
      for (std::int64_t d = dims; d-- > 0;) {
        centre[d] = flat % mask_size[d];
        flat /= mask_size[d];
      }
      for (std::int64_t d = 0; d < dims; ++d) {  // MONAI's correct_crop_centers
        const auto valid_start = roi[d] / 2;
        auto valid_end = static_cast<std::int64_t>(static_cast<double>(mask_size[d] + 1) - static_cast<double>(roi[d]) / 2.0);
        if (valid_start == valid_end) valid_end += 1;
        centre[d] = std::min(std::max(centre[d], valid_start), valid_end - 1);
      }
      out.push_back(std::move(centre));
    }
    return out;
  }

  std::vector<Sample> expand(Sample sample, Pcg32& rng) const override {
    detail::check_spatial_sample(sample, name());
    TORCH_CHECK(sample.mask.defined(), "RandCropByPosNegLabel: the sample \"", sample.id, "\" has no mask");
    const auto size = sample.spatial_size();
    auto candidate = sample.mask.to(torch::kCPU);
    auto positive = (candidate > 0).any(0).reshape({-1});
    auto negative = positive.logical_not();
    if (options_.use_image()) {
      const auto bright = (sample.image().to(torch::kCPU) > options_.image_threshold()).any(0).reshape({-1});
      positive = positive.logical_and(bright);
      negative = negative.logical_and(bright);
    }
    const auto to_vector = [](const torch::Tensor& flags) {
      const auto indices = torch::nonzero(flags).reshape({-1}).to(torch::kLong).contiguous();
      return std::vector<std::int64_t>(indices.data_ptr<std::int64_t>(), indices.data_ptr<std::int64_t>() + indices.numel());
    };
    const auto roi = window(size);
    std::vector<Sample> out;
    for (const auto& centre : centres(size, to_vector(positive), to_vector(negative), rng)) {
      std::vector<std::int64_t> start(size.size());
      for (std::size_t d = 0; d < size.size(); ++d) start[d] = std::max<std::int64_t>(centre[d] - roi[d] / 2, 0);
      Sample patch = detail::crop_sample(sample, start, roi);
      patch.meta["patch_centre"] = join(centre);
      out.push_back(std::move(patch));
    }
    return out;
  }
  std::string name() const override { return "RandCropByPosNegLabel"; }

 private:
  std::vector<std::int64_t> window(const std::vector<std::int64_t>& size) const {
    auto roi = detail::per_axis(options_.spatial_size(), static_cast<std::int64_t>(size.size()), name(), "spatial_size");
    for (std::size_t d = 0; d < size.size(); ++d) {
      if (roi[d] < 0) roi[d] = size[d];
      if (roi[d] > size[d]) {
        TORCH_CHECK(options_.allow_smaller(), "RandCropByPosNegLabel: spatial_size ", roi[d], " on axis ", d,
                    " is larger than the mask (", size[d], "); pad first (SpatialPad) or set allow_smaller");
        roi[d] = size[d];
      }
    }
    return roi;
  }
  static std::string join(const std::vector<std::int64_t>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) text += (i ? " " : "") + std::to_string(values[i]);
    return text;
  }
  RandCropByPosNegLabelOptions options_;
};

}  // namespace osteon::data
