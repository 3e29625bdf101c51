#pragma once
/// @file
/// Random intensity augmentation, MONAI's names: RandGaussianNoise, RandShiftIntensity,
/// RandScaleIntensity. Images only. Scalar draws come from the sample's Pcg32; the noise field
/// from torch's CPU generator seeded by one Pcg32 draw (torch's CPU normal sampler is the same
/// on every platform), moved to the image's device.

#include <string>
#include <vector>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "osteon/data/transforms/transform.hpp"

namespace osteon::data {

namespace detail {
/// A (low, high) range from MONAI's one-or-two-value form: {v} → (−v, v).
inline std::pair<double, double> symmetric_range(const std::vector<double>& values, const std::string& who, const char* what) {
  TORCH_CHECK(values.size() == 1 || values.size() == 2, who, ": ", what, " must have 1 or 2 values, got ", values.size());
  if (values.size() == 1) return {-std::abs(values[0]), std::abs(values[0])};
  TORCH_CHECK(values[0] <= values[1], who, ": ", what, " must be (low, high) with low <= high, got (", values[0], ", ",
              values[1], ")");
  return {values[0], values[1]};
}
inline void check_prob(double prob, const std::string& who) {
  TORCH_CHECK(prob >= 0 && prob <= 1, who, ": prob must be in [0, 1], got ", prob);
}
}  // namespace detail

/// Options of RandGaussianNoise.
struct RandGaussianNoiseOptions {
  TORCH_ARG(double, prob) = 0.1;
  TORCH_ARG(double, mean) = 0.0;
  TORCH_ARG(double, std) = 0.1;
  /// MONAI's sample_std: the noise SD is drawn uniformly from [0, std] each time.
  TORCH_ARG(bool, sample_std) = true;
};

/// MONAI's RandGaussianNoise: with probability prob, adds N(mean, σ²) noise.
///
/// Example:
///   osteon::data::RandGaussianNoise noise(osteon::data::RandGaussianNoiseOptions().prob(0.5).std(0.05));
class RandGaussianNoise : public Transform {
 public:
  explicit RandGaussianNoise(RandGaussianNoiseOptions options = {}) : options_(std::move(options)) {
    detail::check_prob(options_.prob(), name());
    TORCH_CHECK(std::isfinite(options_.std()) && options_.std() >= 0, "RandGaussianNoise: std must be >= 0, got ", options_.std());
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32& rng) const override {
    if (!(rng.uniform01() < options_.prob())) return sample;
    const double sd = options_.sample_std() ? detail::uniform(rng, 0.0, options_.std()) : options_.std();
    auto generator = at::make_generator<at::CPUGeneratorImpl>(rng.next64());
    for (auto& image : sample.images) {
      const auto x = image.is_floating_point() ? image : image.to(torch::kFloat);
      auto noise = torch::randn(x.sizes(), generator, torch::TensorOptions().dtype(torch::kFloat));
      image = x + (noise * sd + options_.mean()).to(x.options());
    }
    return sample;
  }
  std::string name() const override { return "RandGaussianNoise"; }

 private:
  RandGaussianNoiseOptions options_;
};

/// Options of RandShiftIntensity.
struct RandShiftIntensityOptions {
  explicit RandShiftIntensityOptions(std::vector<double> offsets) : offsets_(std::move(offsets)) {}
  /// {v}: offset uniform in (−v, v); {low, high}: in (low, high).
  TORCH_ARG(std::vector<double>, offsets);
  TORCH_ARG(double, prob) = 0.1;
};

/// MONAI's RandShiftIntensity: with probability prob, adds one random offset to the image.
///
/// Example:
///   osteon::data::RandShiftIntensity shift(osteon::data::RandShiftIntensityOptions({0.1}).prob(0.5));
class RandShiftIntensity : public Transform {
 public:
  explicit RandShiftIntensity(RandShiftIntensityOptions options) : options_(std::move(options)) {
    detail::check_prob(options_.prob(), name());
    range_ = detail::symmetric_range(options_.offsets(), name(), "offsets");
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32& rng) const override {
    if (!(rng.uniform01() < options_.prob())) return sample;
    const double offset = detail::uniform(rng, range_.first, range_.second);
    for (auto& image : sample.images) image = (image.is_floating_point() ? image : image.to(torch::kFloat)) + offset;
    return sample;
  }
  std::string name() const override { return "RandShiftIntensity"; }

 private:
  RandShiftIntensityOptions options_;
  std::pair<double, double> range_;
};

/// Options of RandScaleIntensity.
struct RandScaleIntensityOptions {
  explicit RandScaleIntensityOptions(std::vector<double> factors) : factors_(std::move(factors)) {}
  /// {v}: factor uniform in (−v, v); {low, high}: in (low, high); the image is scaled by 1 + factor.
  TORCH_ARG(std::vector<double>, factors);
  TORCH_ARG(double, prob) = 0.1;
};

/// MONAI's RandScaleIntensity: with probability prob, x · (1 + factor).
///
/// Example:
///   osteon::data::RandScaleIntensity jitter(osteon::data::RandScaleIntensityOptions({0.1}).prob(0.5));
class RandScaleIntensity : public Transform {
 public:
  explicit RandScaleIntensity(RandScaleIntensityOptions options) : options_(std::move(options)) {
    detail::check_prob(options_.prob(), name());
    range_ = detail::symmetric_range(options_.factors(), name(), "factors");
  }
  using Transform::operator();
  Sample operator()(Sample sample, Pcg32& rng) const override {
    if (!(rng.uniform01() < options_.prob())) return sample;
    const double factor = detail::uniform(rng, range_.first, range_.second);
    for (auto& image : sample.images) image = (image.is_floating_point() ? image : image.to(torch::kFloat)) * (1.0 + factor);
    return sample;
  }
  std::string name() const override { return "RandScaleIntensity"; }

 private:
  RandScaleIntensityOptions options_;
  std::pair<double, double> range_;
};

}  // namespace osteon::data
