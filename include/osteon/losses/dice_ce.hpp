#pragma once
/// @file
/// Dice + cross-entropy, the usual loss of UNet segmentations (Isensee et al. 2021, nnU-Net),
/// as MONAI's DiceCELoss: λ_dice · Dice + λ_ce · CE, with one class weight vector for both.

#include <ostream>

#include <torch/torch.h>

#include "osteon/losses/compound.hpp"
#include "osteon/losses/cross_entropy.hpp"
#include "osteon/losses/dice.hpp"
#include "osteon/losses/module_support.hpp"
#include "osteon/losses/region_options.hpp"

namespace osteon::losses {

/// Options of DiceCELoss and functional::dice_ce_loss: MONAI's DiceCELoss keywords. The Dice
/// keywords mean what they mean in DiceLossOptions; the cross-entropy always works on the logits.
///
/// Example:
///   auto options = osteon::losses::DiceCELossOptions().softmax(true).to_onehot_y(true).lambda_ce(0.5);
struct DiceCELossOptions : DiceTermOptions<DiceCELossOptions> {
  // reduction: kMean or kSum (the two parts have different unreduced shapes, as in MONAI).
  // weight: one weight per class (all C, background included): the cross-entropy's class weights
  // (its pos_weight with one channel) and the Dice weights (without channel 0 when
  // include_background is false), as MONAI.
  /// Label smoothing ε of the cross-entropy.
  TORCH_ARG(double, label_smoothing) = 0.0;
  TORCH_ARG(double, lambda_dice) = 1.0;
  TORCH_ARG(double, lambda_ce) = 1.0;
};


namespace detail {

inline DiceLossOptions dice_part(const DiceCELossOptions& options) {
  return options.copy_dice_options_to(DiceLossOptions());
}

inline void check_dice_ce_options(const char* fn, const DiceCELossOptions& options) {
  check_dice_options(fn, dice_part(options).weight(options.weight()));
  check_cross_entropy_options(
      fn, CrossEntropyLossOptions().label_smoothing(options.label_smoothing()));
  check_compound_reduction(fn, options.reduction());
  check_lambda(fn, "lambda_dice", options.lambda_dice());
  check_lambda(fn, "lambda_ce", options.lambda_ce());
}

}  // namespace detail

namespace functional {

/// λ_dice · dice_loss + λ_ce · cross_entropy of `input` logits (B, C, spatial...) against
/// `target` (dense, or class indices (B, 1, ...) / (B, ...)).
///
/// Example:
///   namespace F = osteon::losses::functional;
///   auto loss = F::dice_ce_loss(logits, labels, osteon::losses::DiceCELossOptions().softmax(true));
inline torch::Tensor dice_ce_loss(const torch::Tensor& input, const torch::Tensor& target,
                                  const DiceCELossOptions& options = {}) {
  constexpr const char* fn = "dice_ce_loss";
  detail::check_dice_ce_options(fn, options);
  auto dice_options = detail::dice_part(options);
  const auto& weight = options.weight();
  if (weight.defined()) {
    const bool drop_background = !options.include_background() && input.size(1) > 1;
    dice_options.weight(drop_background && weight.dim() == 1 ? weight.slice(0, 1) : weight);
  }
  const auto ce_options = CrossEntropyLossOptions()
                              .weight(weight)
                              .label_smoothing(options.label_smoothing())
                              .reduction(options.reduction());
  // Measured on the CPU: sharing one log-softmax between the parts (p = exp(log p)) is slower
  // than a softmax for the Dice beside torch's cross_entropy, whose backward is fused.
  return options.lambda_dice() * dice_loss(input, target, dice_options) +
         options.lambda_ce() * cross_entropy(input, target, ce_options);
}

}  // namespace functional

/// Dice + cross-entropy as a module; see functional::dice_ce_loss.
///
/// Example:
///   osteon::losses::DiceCELoss criterion(osteon::losses::DiceCELossOptions().softmax(true).to_onehot_y(true));
///   auto loss = criterion(logits, labels);   // logits (B, C, D, H, W), labels (B, 1, D, H, W)
struct DiceCELossImpl : torch::nn::Cloneable<DiceCELossImpl> {
  explicit DiceCELossImpl(DiceCELossOptions options_ = {}) : options(std::move(options_)) {
    reset();
  }

  void reset() override {
    detail::check_dice_ce_options("DiceCELoss", options);
    options.weight(detail::register_owned_buffer(*this, "class_weight", options.weight()));
  }

  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& target) {
    return functional::dice_ce_loss(input, target, options);
  }

  void pretty_print(std::ostream& stream) const override {
    stream << "osteon::losses::DiceCELoss(softmax=" << options.softmax()
           << ", sigmoid=" << options.sigmoid() << ", lambda_dice=" << options.lambda_dice()
           << ", lambda_ce=" << options.lambda_ce() << ")";
  }

  DiceCELossOptions options;
};

/// A ModuleHolder around DiceCELossImpl (torch's module convention).
TORCH_MODULE(DiceCELoss);

}  // namespace osteon::losses
