#pragma once
/// @file
/// Deterministic intensity transforms, MONAI's names and arguments: ScaleIntensityRange (the HU
/// window of CT), ScaleIntensityRangePercentiles, NormalizeIntensity (z-score; with fixed
/// per-channel subtrahend / divisor it is also the ImageNet normalisation of pretrained stems,
/// `imagenet_normalize()`). Images only; masks untouched. Results are float32 (MONAI's default
/// dtype), computed on the image's device without a host synchronisation.

#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osteon/data/transforms/transform.hpp"

namespace osteon::data {

/// Options of ScaleIntensityRange: maps [a_min, a_max] linearly to [b_min, b_max].
struct ScaleIntensityRangeOptions {
  ScaleIntensityRangeOptions(double a_min, double a_max) : a_min_(a_min), a_max_(a_max) {}
  TORCH_ARG(double, a_min);
  TORCH_ARG(double, a_max);
  /// Unset (MONAI's None): the result is (x − a_min) / (a_max − a_min), not rescaled further.
  TORCH_ARG(std::optional<double>, b_min) = std::nullopt;
  TORCH_ARG(std::optional<double>, b_max) = std::nullopt;
  /// Clips the result to [b_min, b_max] (both must be set).
  TORCH_ARG(bool, clip) = false;
};

namespace detail {
inline torch::Tensor scale_intensity_range(const torch::Tensor& image, double a_min, double a_max,
                                           const std::optional<double>& b_min, const std::optional<double>& b_max,
                                           bool clip) {
  auto x = image.to(torch::kFloat);
  if (a_max - a_min == 0.0) {  // MONAI: "Divide by zero (a_min == a_max)", shift only
    return b_min ? x - a_min + *b_min : x - a_min;
  }
  x = (x - a_min) / (a_max - a_min);
  if (b_min && b_max) x = x * (*b_max - *b_min) + *b_min;
  if (clip) x = torch::clamp(x, *b_min, *b_max);
  return x;
}
}  // namespace detail

/// MONAI's ScaleIntensityRange. For CT, a HU window: soft tissue −160…240, bone −1000…2000.
///
/// Example:
///   osteon::data::ScaleIntensityRange window(
///       osteon::data::ScaleIntensityRangeOptions(-1000, 2000).b_min(0.0).b_max(1.0).clip(true));
///   auto out = window(sample);
class ScaleIntensityRange : public Transform {
 public:
  explicit ScaleIntensityRange(ScaleIntensityRangeOptions options) : options_(std::move(options)) {
    TORCH_CHECK(std::isfinite(options_.a_min()) && std::isfinite(options_.a_max()),
                "ScaleIntensityRange: a_min and a_max must be finite, got ", options_.a_min(), " and ",
                options_.a_max());
    TORCH_CHECK(options_.b_min().has_value() == options_.b_max().has_value(),
                "ScaleIntensityRange: set both b_min and b_max or neither");
    TORCH_CHECK(!options_.clip() || options_.b_min().has_value(), "ScaleIntensityRange: clip needs b_min and b_max");
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32&) const override {
    for (auto& image : sample.images) {
      image = detail::scale_intensity_range(image, options_.a_min(), options_.a_max(), options_.b_min(),
                                            options_.b_max(), options_.clip());
    }
    return sample;
  }
  std::string name() const override { return "ScaleIntensityRange"; }

 private:
  ScaleIntensityRangeOptions options_;
};

/// Options of ScaleIntensityRangePercentiles: [lower, upper] percentiles of the image to [b_min, b_max].
struct ScaleIntensityRangePercentilesOptions {
  ScaleIntensityRangePercentilesOptions(double lower, double upper, std::optional<double> b_min,
                                        std::optional<double> b_max)
      : lower_(lower), upper_(upper), b_min_(b_min), b_max_(b_max) {}
  TORCH_ARG(double, lower);
  TORCH_ARG(double, upper);
  TORCH_ARG(std::optional<double>, b_min);
  TORCH_ARG(std::optional<double>, b_max);
  TORCH_ARG(bool, clip) = false;
  /// MONAI's `relative`: b_min / b_max move to the percentiles' place within [b_min, b_max].
  TORCH_ARG(bool, relative) = false;
  /// Percentiles per channel instead of over the whole image.
  TORCH_ARG(bool, channel_wise) = false;
};

/// MONAI's ScaleIntensityRangePercentiles (percentiles with linear interpolation, as
/// torch.quantile and numpy.percentile). Robust scaling of MRI, whose intensities have no unit.
///
/// Example:
///   osteon::data::ScaleIntensityRangePercentiles scale(
///       osteon::data::ScaleIntensityRangePercentilesOptions(1, 99, 0.0, 1.0).clip(true));
class ScaleIntensityRangePercentiles : public Transform {
 public:
  explicit ScaleIntensityRangePercentiles(ScaleIntensityRangePercentilesOptions options)
      : options_(std::move(options)) {
    TORCH_CHECK(options_.lower() >= 0 && options_.lower() <= 100, "ScaleIntensityRangePercentiles: lower must be in [0, 100], got ",
                options_.lower());
    TORCH_CHECK(options_.upper() >= 0 && options_.upper() <= 100, "ScaleIntensityRangePercentiles: upper must be in [0, 100], got ",
                options_.upper());
    TORCH_CHECK(options_.lower() <= options_.upper(), "ScaleIntensityRangePercentiles: lower (", options_.lower(),
                ") must be <= upper (", options_.upper(), ")");
    TORCH_CHECK(!options_.relative() || (options_.b_min() && options_.b_max()),
                "ScaleIntensityRangePercentiles: relative needs b_min and b_max");
    TORCH_CHECK(!options_.clip() || (options_.b_min() && options_.b_max()),
                "ScaleIntensityRangePercentiles: clip needs b_min and b_max");
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32&) const override {
    for (auto& image : sample.images) {
      if (options_.channel_wise()) {
        std::vector<torch::Tensor> channels;
        for (std::int64_t c = 0; c < image.size(0); ++c) channels.push_back(scale(image[c]));
        image = torch::stack(channels);
      } else {
        image = scale(image);
      }
    }
    return sample;
  }
  std::string name() const override { return "ScaleIntensityRangePercentiles"; }

 private:
  torch::Tensor scale(const torch::Tensor& image) const {
    auto x = image.to(torch::kFloat);
    const auto flat = x.reshape({-1});
    const auto a_min = torch::quantile(flat, options_.lower() / 100.0);
    const auto a_max = torch::quantile(flat, options_.upper() / 100.0);
    auto b_min = options_.b_min(), b_max = options_.b_max();
    if (options_.relative()) {
      b_min = (*options_.b_max() - *options_.b_min()) * (options_.lower() / 100.0) + *options_.b_min();
      b_max = (*options_.b_max() - *options_.b_min()) * (options_.upper() / 100.0) + *options_.b_min();
    }
    // ScaleIntensityRange with tensor bounds (no host read); a zero range only shifts, as MONAI.
    const auto range = a_max - a_min;
    const auto zero = range == 0;
    auto scaled = (x - a_min) / torch::where(zero, torch::ones_like(range), range);
    if (b_min && b_max) scaled = torch::where(zero, scaled, scaled * (*b_max - *b_min)) + *b_min;
    if (options_.clip()) scaled = torch::clamp(scaled, *b_min, *b_max);
    return scaled;
  }
  ScaleIntensityRangePercentilesOptions options_;
};

/// Options of NormalizeIntensity.
struct NormalizeIntensityOptions {
  /// Fixed value(s) to subtract: one, or one per channel with channel_wise; empty = the mean.
  TORCH_ARG(std::vector<double>, subtrahend) = {};
  /// Fixed value(s) to divide by; empty = the standard deviation (population, as MONAI); 0 → 1.
  TORCH_ARG(std::vector<double>, divisor) = {};
  /// Statistics and normalisation over non-zero voxels only (the rest stays 0).
  TORCH_ARG(bool, nonzero) = false;
  TORCH_ARG(bool, channel_wise) = false;
};

/// MONAI's NormalizeIntensity: (x − mean) / std, over the image or per channel.
///
/// Example:
///   osteon::data::NormalizeIntensity zscore(osteon::data::NormalizeIntensityOptions().channel_wise(true));
class NormalizeIntensity : public Transform {
 public:
  explicit NormalizeIntensity(NormalizeIntensityOptions options = {}) : options_(std::move(options)) {
    for (const double d : options_.divisor()) {
      TORCH_CHECK(std::isfinite(d), "NormalizeIntensity: divisor must be finite, got ", d);
    }
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32&) const override {
    for (auto& image : sample.images) {
      auto x = image.to(torch::kFloat);
      if (options_.channel_wise()) {
        const auto channels = x.size(0);
        const auto sub = fixed(options_.subtrahend(), channels, "subtrahend");
        const auto div = fixed(options_.divisor(), channels, "divisor");
        std::vector<torch::Tensor> out;
        for (std::int64_t c = 0; c < channels; ++c) {
          out.push_back(normalize(x[c], sub.empty() ? std::nullopt : std::optional<double>(sub[c]),
                                  div.empty() ? std::nullopt : std::optional<double>(div[c])));
        }
        image = torch::stack(out);
      } else {
        TORCH_CHECK(options_.subtrahend().size() <= 1 && options_.divisor().size() <= 1,
                    "NormalizeIntensity: per-channel subtrahend / divisor need channel_wise(true)");
        image = normalize(x, first(options_.subtrahend()), first(options_.divisor()));
      }
    }
    return sample;
  }
  std::string name() const override { return "NormalizeIntensity"; }

 private:
  static std::optional<double> first(const std::vector<double>& values) {
    return values.empty() ? std::nullopt : std::optional<double>(values.front());
  }
  static std::vector<double> fixed(const std::vector<double>& values, std::int64_t channels, const char* what) {
    if (values.empty()) return values;
    TORCH_CHECK(values.size() == 1 || static_cast<std::int64_t>(values.size()) == channels, "NormalizeIntensity: ",
                what, " has ", values.size(), " values for ", channels, " channels");
    return values.size() == 1 ? std::vector<double>(static_cast<std::size_t>(channels), values.front()) : values;
  }
  torch::Tensor normalize(const torch::Tensor& x, std::optional<double> sub, std::optional<double> div) const {
    if (options_.nonzero()) {
      const auto keep = x != 0;
      const auto count = keep.sum().to(torch::kFloat);
      const auto safe = torch::clamp_min(count, 1.0);
      const auto mean = sub ? torch::full({}, *sub, x.options()) : (x * keep).sum() / safe;
      auto sd = div ? torch::full({}, *div, x.options())
                    : torch::sqrt((((x - mean) * keep).pow(2)).sum() / safe);
      sd = torch::where(sd == 0, torch::ones_like(sd), sd);
      return torch::where(keep, (x - mean) / sd, x);
    }
    const auto mean = sub ? torch::full({}, *sub, x.options()) : x.mean();
    auto sd = div ? torch::full({}, *div, x.options()) : x.std(/*unbiased=*/false);
    sd = torch::where(sd == 0, torch::ones_like(sd), sd);
    return (x - mean) / sd;
  }
  NormalizeIntensityOptions options_;
};

/// ImageNet normalisation of torchvision's pretrained ResNets: per-channel mean (0.485, 0.456,
/// 0.406) and SD (0.229, 0.224, 0.225) of images scaled to [0, 1]. Gray images (1 channel) use
/// the channels' averages. MONAI has no transform of its own for it (NormalizeIntensity with these).
///
/// Example:
///   auto stem = osteon::data::imagenet_normalize(3);
inline std::shared_ptr<NormalizeIntensity> imagenet_normalize(std::int64_t channels = 3) {
  TORCH_CHECK(channels == 1 || channels == 3, "imagenet_normalize: channels must be 1 or 3, got ", channels);
  if (channels == 1) {
    return std::make_shared<NormalizeIntensity>(
        NormalizeIntensityOptions().subtrahend({(0.485 + 0.456 + 0.406) / 3.0}).divisor({(0.229 + 0.224 + 0.225) / 3.0}).channel_wise(true));
  }
  return std::make_shared<NormalizeIntensity>(
      NormalizeIntensityOptions().subtrahend({0.485, 0.456, 0.406}).divisor({0.229, 0.224, 0.225}).channel_wise(true));
}

}  // namespace osteon::data
