#pragma once
/// @file
/// Tversky loss (Salehi, Erdogmus & Gholipour 2017, "Tversky loss function for image
/// segmentation using 3D fully convolutional deep networks", MLMI, eq. 3), as MONAI's
/// TverskyLoss: 1 - (TP + smooth_nr) / (TP + α FP + β FN + smooth_dr), with soft counts
/// TP = Σ p g, FP = Σ p (1 - g), FN = Σ (1 - p) g. α = β = 1/2 is the Dice loss.

#include <cmath>
#include <ostream>

#include <torch/torch.h>

#include "osteon/core/check.hpp"
#include "osteon/losses/activation.hpp"
#include "osteon/losses/reduction.hpp"
#include "osteon/losses/region.hpp"
#include "osteon/losses/region_options.hpp"

namespace osteon::losses {

/// Options of TverskyLoss and functional::tversky_loss (MONAI's keywords).
///
/// Example:
///   auto options = osteon::losses::TverskyLossOptions().softmax(true).alpha(0.3).beta(0.7);
struct TverskyLossOptions : RegionLossOptions<TverskyLossOptions> {
  // reduction: kNone gives (B, C', 1, ...) — (1, C', 1, ...) with `batch` —, kMean / kSum over them.
  /// Weight of the false positives.
  TORCH_ARG(double, alpha) = 0.5;
  /// Weight of the false negatives.
  TORCH_ARG(double, beta) = 0.5;
  /// Soft labels (MONAI's `soft_label`): the semimetric intersection (‖p‖₁ + ‖g‖₁ − ‖p − g‖₁) / 2
  /// of Wang et al. 2023 (region.hpp) instead of Σ p g; the same for hard labels and p in [0, 1].
  TORCH_ARG(bool, soft_label) = false;
};


namespace detail {

/// Host-side checks of the options (std::invalid_argument → ValueError).
inline void check_tversky_options(const char* fn, const TverskyLossOptions& options) {
  check_region_options(fn, options);
  OSTEON_CHECK_ARG(options.alpha() >= 0 && std::isfinite(options.alpha()), fn,
                   ": alpha must be a finite value >= 0, got ", options.alpha());
  OSTEON_CHECK_ARG(options.beta() >= 0 && std::isfinite(options.beta()), fn,
                   ": beta must be a finite value >= 0, got ", options.beta());
}

}  // namespace detail

namespace functional {

/// Tversky loss of `input` (B, C, spatial...) against `target` (dense or class indices).
///
/// Example:
///   namespace F = osteon::losses::functional;
///   auto loss = F::tversky_loss(logits, labels, osteon::losses::TverskyLossOptions().softmax(true).beta(0.7));
inline torch::Tensor tversky_loss(const torch::Tensor& input, const torch::Tensor& target,
                                  const TverskyLossOptions& options = {}) {
  constexpr const char* fn = "tversky_loss";
  detail::check_tversky_options(fn, options);
  const auto probabilities = detail::activated_prediction(input, fn, options);
  const auto sums = detail::overlaps(probabilities, target, fn, options, /*squared=*/false, options.soft_label());
  // FP = Σ p (1 - g) = Σ p - TP and FN = Σ (1 - p) g = Σ g - TP (with soft labels, the norms
  // less the semimetric TP, as Wang et al.).
  const auto& true_positives = sums.intersection;
  const auto false_positives = sums.prediction - true_positives;
  const auto false_negatives = sums.target - true_positives;
  const auto loss = 1 - detail::ratio_or_one(
                            true_positives + options.smooth_nr(),
                            true_positives + options.alpha() * false_positives +
                                options.beta() * false_negatives + options.smooth_dr());
  if (detail::reduction_enum(options.reduction()) == at::Reduction::None) {
    return detail::unreduced_shape(loss, input.dim());
  }
  return detail::reduce(loss, options.reduction());
}

}  // namespace functional

/// Tversky loss as a module; see functional::tversky_loss.
///
/// Example:
///   osteon::losses::TverskyLoss criterion(osteon::losses::TverskyLossOptions().sigmoid(true).alpha(0.3).beta(0.7));
///   auto loss = criterion(logits, mask);
struct TverskyLossImpl : torch::nn::Cloneable<TverskyLossImpl> {
  explicit TverskyLossImpl(TverskyLossOptions options_ = {}) : options(std::move(options_)) {
    reset();
  }

  void reset() override { detail::check_tversky_options("TverskyLoss", options); }

  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& target) {
    return functional::tversky_loss(input, target, options);
  }

  void pretty_print(std::ostream& stream) const override {
    stream << "osteon::losses::TverskyLoss(alpha=" << options.alpha() << ", beta=" << options.beta()
           << ", sigmoid=" << options.sigmoid() << ", softmax=" << options.softmax() << ")";
  }

  TverskyLossOptions options;
};

/// A ModuleHolder around TverskyLossImpl (torch's module convention).
TORCH_MODULE(TverskyLoss);

}  // namespace osteon::losses
