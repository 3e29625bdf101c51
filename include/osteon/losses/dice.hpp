#pragma once
/// @file
/// Soft Dice loss (Milletari, Navab & Ahmadi 2016, "V-Net", 3DV, eq. 1 with squared
/// denominators; Sørensen–Dice with plain sums otherwise) and its Jaccard variant, as MONAI's
/// DiceLoss: 1 - (2 Σ p g + smooth_nr) / (Σ p^k + Σ g^k + smooth_dr), k = 1 or 2, per sample and
/// channel or over the whole batch.

#include <limits>
#include <ostream>

#include <torch/torch.h>

#include "osteon/losses/activation.hpp"
#include "osteon/losses/module_support.hpp"
#include "osteon/losses/reduction.hpp"
#include "osteon/losses/region.hpp"
#include "osteon/losses/region_options.hpp"
#include "osteon/losses/targets.hpp"

namespace osteon::losses {

/// Options of DiceLoss and functional::dice_loss: MONAI's DiceLoss keywords, same meaning.
///
/// Example:
///   auto options = osteon::losses::DiceLossOptions().softmax(true).to_onehot_y(true).include_background(false);
struct DiceLossOptions : DiceTermOptions<DiceLossOptions> {
  // reduction: kNone gives (B, C', 1, ...) — (1, C', 1, ...) with `batch` —, kMean / kSum over them.
  /// Soft labels (MONAI's `soft_label`): the semimetric intersection (‖p‖₁ + ‖g‖₁ − ‖p − g‖₁) / 2
  /// of Wang et al. 2023 (region.hpp) instead of Σ p g; the same for hard labels and p in [0, 1].
  TORCH_ARG(bool, soft_label) = false;
};


namespace detail {

/// Host-side checks of the options (std::invalid_argument → ValueError).
inline void check_dice_options(const char* fn, const DiceLossOptions& options) {
  check_region_options(fn, options);
  OSTEON_CHECK_ARG(!options.weight().defined() || options.weight().dim() <= 1, fn,
                   ": weight must be a scalar or a 1-d tensor, got ", options.weight().dim(),
                   " dimensions");
  check_range_on_host(options.weight(), 0.0, std::numeric_limits<double>::infinity(), fn, "weight");
}

/// The Dice loss per region, (B, C') or (C'), from the overlap sums.
inline torch::Tensor dice_from_overlaps(const Overlaps& sums, const DiceLossOptions& options,
                                        const char* fn) {
  auto denominator = sums.prediction + sums.target;
  if (options.jaccard()) denominator = 2 * (denominator - sums.intersection);
  auto loss = 1 - ratio_or_one(2 * sums.intersection + options.smooth_nr(),
                               denominator + options.smooth_dr());
  // As in MONAI, class weights apply only when there are classes to balance (C' > 1).
  const int64_t n_loss_channels = loss.size(-1);
  if (options.weight().defined() && n_loss_channels > 1) {
    loss = loss * per_channel(options.weight(), n_loss_channels, loss, fn, "weight");
  }
  return loss;
}

/// The reduced Dice loss of already activated `probabilities` (B, C, spatial...); the
/// activation options are not used.
inline torch::Tensor dice_of_probabilities(const torch::Tensor& probabilities,
                                           const torch::Tensor& target,
                                           const DiceLossOptions& options, const char* fn) {
  const auto sums = overlaps(probabilities, target, fn, options, options.squared_pred(), options.soft_label());
  const auto loss = dice_from_overlaps(sums, options, fn);
  if (reduction_enum(options.reduction()) == at::Reduction::None) {
    return unreduced_shape(loss, probabilities.dim());
  }
  return reduce(loss, options.reduction());
}

}  // namespace detail

namespace functional {

/// Soft Dice (or Jaccard) loss of `input` (B, C, spatial...) against `target` (dense of input's
/// shape, or class indices (B, 1, ...) / (B, ...)). Empty target and empty prediction give
/// 1 - smooth_nr / smooth_dr (0 with the defaults) and, with smooth_dr = 0, exactly 0; an empty
/// target under a non-empty prediction gives 1 - smooth_nr / (Σ p + smooth_dr) ≈ 1.
///
/// Example:
///   namespace F = osteon::losses::functional;
///   auto loss = F::dice_loss(logits, labels, osteon::losses::DiceLossOptions().softmax(true));
inline torch::Tensor dice_loss(const torch::Tensor& input, const torch::Tensor& target,
                               const DiceLossOptions& options = {}) {
  constexpr const char* fn = "dice_loss";
  detail::check_dice_options(fn, options);
  const auto probabilities = detail::activated_prediction(input, fn, options);
  return detail::dice_of_probabilities(probabilities, target, options, fn);
}

}  // namespace functional

/// Dice loss as a module; see functional::dice_loss. `weight` is the buffer `class_weight`.
///
/// Example:
///   osteon::losses::DiceLoss criterion(osteon::losses::DiceLossOptions().softmax(true).to_onehot_y(true));
///   auto loss = criterion(logits, labels);   // logits (B, C, D, H, W), labels (B, 1, D, H, W)
struct DiceLossImpl : torch::nn::Cloneable<DiceLossImpl> {
  explicit DiceLossImpl(DiceLossOptions options_ = {}) : options(std::move(options_)) { reset(); }

  void reset() override {
    detail::check_dice_options("DiceLoss", options);
    options.weight(detail::register_owned_buffer(*this, "class_weight", options.weight()));
  }

  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& target) {
    return functional::dice_loss(input, target, options);
  }

  void pretty_print(std::ostream& stream) const override {
    stream << "osteon::losses::DiceLoss(sigmoid=" << options.sigmoid()
           << ", softmax=" << options.softmax() << ", jaccard=" << options.jaccard()
           << ", batch=" << options.batch() << ", soft_label=" << options.soft_label() << ")";
  }

  DiceLossOptions options;
};

/// A ModuleHolder around DiceLossImpl (torch's module convention).
TORCH_MODULE(DiceLoss);

}  // namespace osteon::losses
