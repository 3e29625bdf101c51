#pragma once
/// @file
/// Dice + focal (Zhu et al. 2019, "AnatomyNet", Med. Phys.), as MONAI's DiceFocalLoss:
/// λ_dice · Dice + λ_focal · focal. Unlike MONAI, whose focal part is always the sigmoid one,
/// `softmax` switches the focal part to the softmax focal loss too.

#include <ostream>

#include <torch/torch.h>

#include "osteon/losses/compound.hpp"
#include "osteon/losses/dice.hpp"
#include "osteon/losses/focal.hpp"
#include "osteon/losses/module_support.hpp"
#include "osteon/losses/region_options.hpp"

namespace osteon::losses {

/// Options of DiceFocalLoss and functional::dice_focal_loss: MONAI's DiceFocalLoss keywords.
///
/// Example:
///   auto options = osteon::losses::DiceFocalLossOptions().softmax(true).to_onehot_y(true).gamma(2);
struct DiceFocalLossOptions : DiceTermOptions<DiceFocalLossOptions> {
  // softmax: softmax for the Dice part and the softmax focal loss for the focal part.
  // reduction: kMean, kSum, or (sigmoid focal part only) kNone: (B, C', spatial...).
  // weight: per channel of the loss (C, or C - 1 without background), for both parts.
  TORCH_ARG(double, gamma) = 2.0;
  /// Focal α (see FocalLossOptions::alpha).
  TORCH_ARG(torch::Tensor, alpha) = {};
  TORCH_ARG(double, lambda_dice) = 1.0;
  TORCH_ARG(double, lambda_focal) = 1.0;
};


namespace detail {

inline DiceLossOptions dice_part(const DiceFocalLossOptions& options) {
  return options.copy_dice_options_to(DiceLossOptions()).weight(options.weight());
}

inline FocalLossOptions focal_part(const DiceFocalLossOptions& options) {
  return FocalLossOptions()
      .include_background(options.include_background())
      .to_onehot_y(options.to_onehot_y())
      .gamma(options.gamma())
      .alpha(options.alpha())
      .weight(options.weight())
      .reduction(options.reduction())
      .use_softmax(options.softmax());
}

inline void check_dice_focal_options(const char* fn, const DiceFocalLossOptions& options) {
  check_dice_options(fn, dice_part(options));
  check_focal_options(fn, options.gamma(), options.alpha(), options.weight());
  OSTEON_CHECK_ARG(!options.softmax() || reduction_enum(options.reduction()) != at::Reduction::None,
                   fn, ": reduction none needs the sigmoid focal part (softmax=false): the softmax ",
                   "focal loss has one term per position, the Dice loss one per channel");
  check_lambda(fn, "lambda_dice", options.lambda_dice());
  check_lambda(fn, "lambda_focal", options.lambda_focal());
}

}  // namespace detail

namespace functional {

/// λ_dice · dice_loss + λ_focal · focal_loss of `input` logits (B, C, spatial...) against
/// `target` (dense, or class indices (B, 1, ...) / (B, ...)).
///
/// Example:
///   namespace F = osteon::losses::functional;
///   auto loss = F::dice_focal_loss(logits, labels, osteon::losses::DiceFocalLossOptions().sigmoid(true));
inline torch::Tensor dice_focal_loss(const torch::Tensor& input, const torch::Tensor& target,
                                     const DiceFocalLossOptions& options = {}) {
  detail::check_dice_focal_options("dice_focal_loss", options);
  return options.lambda_dice() * dice_loss(input, target, detail::dice_part(options)) +
         options.lambda_focal() * focal_loss(input, target, detail::focal_part(options));
}

}  // namespace functional

/// Dice + focal as a module; see functional::dice_focal_loss.
///
/// Example:
///   osteon::losses::DiceFocalLoss criterion(osteon::losses::DiceFocalLossOptions().sigmoid(true).gamma(2));
///   auto loss = criterion(logits, mask);
struct DiceFocalLossImpl : torch::nn::Cloneable<DiceFocalLossImpl> {
  explicit DiceFocalLossImpl(DiceFocalLossOptions options_ = {}) : options(std::move(options_)) {
    reset();
  }

  void reset() override {
    detail::check_dice_focal_options("DiceFocalLoss", options);
    options.weight(detail::register_owned_buffer(*this, "class_weight", options.weight()));
    options.alpha(detail::register_owned_buffer(*this, "alpha", options.alpha()));
  }

  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& target) {
    return functional::dice_focal_loss(input, target, options);
  }

  void pretty_print(std::ostream& stream) const override {
    stream << "osteon::losses::DiceFocalLoss(softmax=" << options.softmax()
           << ", sigmoid=" << options.sigmoid() << ", gamma=" << options.gamma() << ")";
  }

  DiceFocalLossOptions options;
};

/// A ModuleHolder around DiceFocalLossImpl (torch's module convention).
TORCH_MODULE(DiceFocalLoss);

}  // namespace osteon::losses
