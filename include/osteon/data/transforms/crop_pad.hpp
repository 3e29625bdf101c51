#pragma once
/// @file
/// Crops and pads, MONAI's names and arithmetic: SpatialPad (to at least a size), DivisiblePad
/// (to a multiple of k: the UNet / V-Net strides), CenterSpatialCrop, CropForeground (the
/// bounding box of the foreground, with a margin and k_divisible). Images and mask get the same
/// window; padding fills images with `value` (mode "constant") or reflects / replicates them,
/// masks always with 0.

#include <algorithm>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osteon/data/transforms/transform.hpp"

namespace osteon::data {

namespace detail {

/// torch's pad list (last axis first) from per-spatial-axis (before, after) amounts.
inline std::vector<std::int64_t> pad_list(const std::vector<std::int64_t>& before, const std::vector<std::int64_t>& after) {
  std::vector<std::int64_t> pads;
  for (std::size_t d = before.size(); d-- > 0;) {
    pads.push_back(before[d]);
    pads.push_back(after[d]);
  }
  return pads;
}

/// Pads the spatial axes of a (C, spatial...) tensor. mode: "constant", "reflect", "replicate", "circular".
inline torch::Tensor pad_spatial(const torch::Tensor& x, const std::vector<std::int64_t>& before,
                                 const std::vector<std::int64_t>& after, const std::string& mode, double value) {
  if (std::all_of(before.begin(), before.end(), [](auto v) { return v == 0; }) &&
      std::all_of(after.begin(), after.end(), [](auto v) { return v == 0; })) {
    return x;
  }
  const auto pads = pad_list(before, after);
  namespace F = torch::nn::functional;
  if (mode == "constant") return F::pad(x, F::PadFuncOptions(pads).mode(torch::kConstant).value(value));
  // reflect / replicate / circular need a floating batch: (1, C, spatial...)
  const auto floating = x.is_floating_point() ? x : x.to(torch::kFloat);
  auto options = F::PadFuncOptions(pads);
  if (mode == "reflect") {
    options.mode(torch::kReflect);
  } else if (mode == "replicate") {
    options.mode(torch::kReplicate);
  } else if (mode == "circular") {
    options.mode(torch::kCircular);
  } else {
    TORCH_CHECK(false, "pad: mode must be \"constant\", \"reflect\", \"replicate\" or \"circular\", got \"", mode, "\"");
  }
  return F::pad(floating.unsqueeze(0), options).squeeze(0).to(x.scalar_type());
}

/// Crops [start, start + size) on each spatial axis, padding with 0 where the window leaves the tensor.
inline torch::Tensor crop_spatial(const torch::Tensor& x, const std::vector<std::int64_t>& start,
                                  const std::vector<std::int64_t>& size, double value = 0.0) {
  std::vector<std::int64_t> before(start.size()), after(start.size());
  auto out = x;
  for (std::size_t d = 0; d < start.size(); ++d) {
    const auto extent = x.size(static_cast<std::int64_t>(d) + 1);
    const auto first = std::max<std::int64_t>(start[d], 0);
    const auto last = std::min<std::int64_t>(start[d] + size[d], extent);
    before[d] = first - start[d];
    after[d] = start[d] + size[d] - last;
    out = out.narrow(static_cast<std::int64_t>(d) + 1, first, std::max<std::int64_t>(last - first, 0));
  }
  return pad_spatial(out, before, after, "constant", value);
}

/// Applies one spatial window to every view and the mask.
inline Sample crop_sample(Sample sample, const std::vector<std::int64_t>& start, const std::vector<std::int64_t>& size) {
  return map_geometry(
      std::move(sample), [&](const torch::Tensor& x) { return crop_spatial(x, start, size); },
      [&](const torch::Tensor& x) { return crop_spatial(x, start, size); });
}

/// MONAI's "symmetric" / "end" split of a pad amount.
inline void split_pad(std::int64_t total, const std::string& method, std::int64_t& before, std::int64_t& after) {
  if (method == "symmetric") {
    before = total / 2;
  } else {
    TORCH_CHECK(method == "end", "pad: method must be \"symmetric\" or \"end\", got \"", method, "\"");
    before = 0;
  }
  after = total - before;
}

inline Sample pad_sample_to(Sample sample, const std::vector<std::int64_t>& target, const std::string& method,
                            const std::string& mode, double value) {
  const auto size = sample.spatial_size();
  std::vector<std::int64_t> before(size.size()), after(size.size());
  for (std::size_t d = 0; d < size.size(); ++d) split_pad(std::max<std::int64_t>(target[d] - size[d], 0), method, before[d], after[d]);
  return map_geometry(
      std::move(sample), [&](const torch::Tensor& x) { return pad_spatial(x, before, after, mode, value); },
      [&](const torch::Tensor& x) { return pad_spatial(x, before, after, "constant", 0.0); });
}

}  // namespace detail

/// Options of SpatialPad.
struct SpatialPadOptions {
  explicit SpatialPadOptions(std::vector<std::int64_t> spatial_size) : spatial_size_(std::move(spatial_size)) {}
  /// Size to pad to (at least); −1 keeps an axis as it is.
  TORCH_ARG(std::vector<std::int64_t>, spatial_size);
  /// "symmetric" (MONAI's default: half before, the rest after) or "end".
  TORCH_ARG(std::string, method) = "symmetric";
  /// "constant", "reflect", "replicate" or "circular" (images; masks are padded with 0).
  TORCH_ARG(std::string, mode) = "constant";
  TORCH_ARG(double, value) = 0.0;
};

/// MONAI's SpatialPad: pads every spatial axis to at least spatial_size.
///
/// Example:
///   osteon::data::SpatialPad pad(osteon::data::SpatialPadOptions({64, 64, 64}));
class SpatialPad : public Transform {
 public:
  explicit SpatialPad(SpatialPadOptions options) : options_(std::move(options)) {
    std::int64_t before = 0, after = 0;
    detail::split_pad(0, options_.method(), before, after);
    for (const auto s : options_.spatial_size()) TORCH_CHECK(s == -1 || s >= 1, "SpatialPad: spatial_size entries must be >= 1 or -1, got ", s);
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32&) const override {
    detail::check_spatial_sample(sample, name());
    const auto size = sample.spatial_size();
    auto target = detail::per_axis(options_.spatial_size(), static_cast<std::int64_t>(size.size()), name(), "spatial_size");
    for (std::size_t d = 0; d < size.size(); ++d) if (target[d] < 0) target[d] = size[d];
    return detail::pad_sample_to(std::move(sample), target, options_.method(), options_.mode(), options_.value());
  }
  std::string name() const override { return "SpatialPad"; }

 private:
  SpatialPadOptions options_;
};

/// Options of DivisiblePad.
struct DivisiblePadOptions {
  explicit DivisiblePadOptions(std::vector<std::int64_t> k) : k_(std::move(k)) {}
  /// Multiple per axis (one value for all): 16 for a 4-level UNet with stride 2.
  TORCH_ARG(std::vector<std::int64_t>, k);
  TORCH_ARG(std::string, method) = "symmetric";
  TORCH_ARG(std::string, mode) = "constant";
  TORCH_ARG(double, value) = 0.0;
};

/// MONAI's DivisiblePad: pads every spatial axis up to the next multiple of k.
///
/// Example:
///   osteon::data::DivisiblePad pad(osteon::data::DivisiblePadOptions({16}));   // 50×37 → 64×48
class DivisiblePad : public Transform {
 public:
  explicit DivisiblePad(DivisiblePadOptions options) : options_(std::move(options)) {
    for (const auto k : options_.k()) TORCH_CHECK(k >= 1, "DivisiblePad: k must be >= 1, got ", k);
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32&) const override {
    detail::check_spatial_sample(sample, name());
    const auto size = sample.spatial_size();
    const auto k = detail::per_axis(options_.k(), static_cast<std::int64_t>(size.size()), name(), "k");
    std::vector<std::int64_t> target(size.size());
    for (std::size_t d = 0; d < size.size(); ++d) target[d] = (size[d] + k[d] - 1) / k[d] * k[d];
    return detail::pad_sample_to(std::move(sample), target, options_.method(), options_.mode(), options_.value());
  }
  std::string name() const override { return "DivisiblePad"; }

 private:
  DivisiblePadOptions options_;
};

/// MONAI's CenterSpatialCrop: a window of roi_size around the centre (start = size / 2 − roi / 2,
/// integer division, as MONAI); axes smaller than roi_size are kept whole; −1 keeps an axis.
///
/// Example:
///   osteon::data::CenterSpatialCrop crop({32, 32, 32});
class CenterSpatialCrop : public Transform {
 public:
  explicit CenterSpatialCrop(std::vector<std::int64_t> roi_size) : roi_size_(std::move(roi_size)) {
    for (const auto s : roi_size_) TORCH_CHECK(s == -1 || s >= 1, "CenterSpatialCrop: roi_size entries must be >= 1 or -1, got ", s);
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32&) const override {
    detail::check_spatial_sample(sample, name());
    const auto size = sample.spatial_size();
    auto roi = detail::per_axis(roi_size_, static_cast<std::int64_t>(size.size()), name(), "roi_size");
    std::vector<std::int64_t> start(size.size());
    for (std::size_t d = 0; d < size.size(); ++d) {
      roi[d] = roi[d] < 0 ? size[d] : std::min(roi[d], size[d]);
      start[d] = std::max<std::int64_t>(size[d] / 2 - roi[d] / 2, 0);
    }
    return detail::crop_sample(std::move(sample), start, roi);
  }
  std::string name() const override { return "CenterSpatialCrop"; }

 private:
  std::vector<std::int64_t> roi_size_;
};

/// Options of CropForeground.
struct CropForegroundOptions {
  /// Where the foreground is: "image" (the first view, any channel > threshold) or "mask" (> 0).
  TORCH_ARG(std::string, source) = "image";
  /// Voxels of the source strictly above this value are foreground (MONAI's select_fn x > 0).
  TORCH_ARG(double, threshold) = 0.0;
  /// Voxels added on each side of the bounding box (one value, or one per axis).
  TORCH_ARG(std::vector<std::int64_t>, margin) = {0};
  /// MONAI's allow_smaller: the box is clipped to the image (else padded beyond it).
  TORCH_ARG(bool, allow_smaller) = true;
  /// The box size is rounded up to a multiple of this (centred), padding where needed.
  TORCH_ARG(std::vector<std::int64_t>, k_divisible) = {1};
};

/// MONAI's CropForeground: crops to the foreground's bounding box. The box is found on the
/// host (its size decides the output shape: one synchronisation per sample, as MONAI). A sample
/// without foreground is returned whole (MONAI returns the image unchanged too).
///
/// Example:
///   osteon::data::CropForeground crop(osteon::data::CropForegroundOptions().source("mask").margin({4}));
class CropForeground : public Transform {
 public:
  explicit CropForeground(CropForegroundOptions options = {}) : options_(std::move(options)) {
    TORCH_CHECK(options_.source() == "image" || options_.source() == "mask",
                "CropForeground: source must be \"image\" or \"mask\", got \"", options_.source(), "\"");
    for (const auto m : options_.margin()) TORCH_CHECK(m >= 0, "CropForeground: margin must be >= 0, got ", m);
    for (const auto k : options_.k_divisible()) TORCH_CHECK(k >= 1, "CropForeground: k_divisible must be >= 1, got ", k);
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32&) const override {
    detail::check_spatial_sample(sample, name());
    TORCH_CHECK(options_.source() == "image" || sample.mask.defined(), "CropForeground: source is \"mask\" but the sample \"",
                sample.id, "\" has no mask");
    const auto& source = options_.source() == "image" ? sample.image() : sample.mask;
    const auto foreground = (source > (options_.source() == "image" ? options_.threshold() : 0.0)).any(0);
    const auto size = sample.spatial_size();
    const auto dims = static_cast<std::int64_t>(size.size());
    const auto margin = detail::per_axis(options_.margin(), dims, name(), "margin");
    const auto k = detail::per_axis(options_.k_divisible(), dims, name(), "k_divisible");
    const auto points = torch::nonzero(foreground).to(torch::kCPU);
    if (points.size(0) == 0) return sample;
    const auto low = std::get<0>(points.min(0)), high = std::get<0>(points.max(0));
    std::vector<std::int64_t> start(size.size()), extent(size.size());
    for (std::int64_t d = 0; d < dims; ++d) {
      auto first = low[d].item<std::int64_t>() - margin[d];
      auto last = high[d].item<std::int64_t>() + 1 + margin[d];
      if (options_.allow_smaller()) {
        first = std::max<std::int64_t>(first, 0);
        last = std::min<std::int64_t>(last, size[d]);
      }
      const auto box = last - first;
      const auto rounded = (box + k[d] - 1) / k[d] * k[d];
      first -= (rounded - box) / 2;  // MONAI: centred growth, floor of half the difference before
      start[d] = first;
      extent[d] = rounded;
    }
    return detail::crop_sample(std::move(sample), start, extent);
  }
  std::string name() const override { return "CropForeground"; }

 private:
  CropForegroundOptions options_;
};

}  // namespace osteon::data
