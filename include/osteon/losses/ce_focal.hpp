#pragma once
/// @file
/// Cross-entropy + focal loss against class imbalance (the hip-preservation study's loss):
/// λ_ce · CE + λ_focal · FL, softmax over C > 1 logits, sigmoid for a single logit.

#include <ostream>

#include <torch/torch.h>

#include "osteon/losses/compound.hpp"
#include "osteon/losses/cross_entropy.hpp"
#include "osteon/losses/focal.hpp"
#include "osteon/losses/module_support.hpp"

namespace osteon::losses {

/// Options of CEFocalLoss and functional::ce_focal_loss.
///
/// Example:
///   auto options = osteon::losses::CEFocalLossOptions().gamma(2).alpha(torch::tensor(0.75)).lambda_focal(1);
struct CEFocalLossOptions : CrossEntropyTermOptions<CEFocalLossOptions> {
  // weight: class weights (C), the cross-entropy's (pos_weight with one logit) and the focal
  // loss's per-class factors; label_smoothing: of the cross-entropy part.
  // reduction: kNone gives (B, spatial...) for C > 1 and input's shape for one logit.
  TORCH_ARG(double, gamma) = 2.0;
  /// Focal α (see FocalLossOptions::alpha).
  TORCH_ARG(torch::Tensor, alpha) = {};
  TORCH_ARG(double, lambda_ce) = 1.0;
  TORCH_ARG(double, lambda_focal) = 1.0;
};

namespace detail {

inline CrossEntropyLossOptions cross_entropy_part(const CEFocalLossOptions& options) {
  return options.copy_cross_entropy_options_to(CrossEntropyLossOptions());
}

inline FocalLossOptions focal_part(const CEFocalLossOptions& options, bool use_softmax) {
  return FocalLossOptions()
      .gamma(options.gamma())
      .alpha(options.alpha())
      .weight(options.weight())
      .ignore_index(options.ignore_index())
      .reduction(options.reduction())
      .use_softmax(use_softmax);
}

inline void check_ce_focal_options(const char* fn, const CEFocalLossOptions& options) {
  check_cross_entropy_options(fn, cross_entropy_part(options));
  check_focal_options(fn, options.gamma(), options.alpha(), options.weight());
  check_lambda(fn, "lambda_ce", options.lambda_ce());
  check_lambda(fn, "lambda_focal", options.lambda_focal());
}

}  // namespace detail

namespace functional {

/// λ_ce · cross_entropy + λ_focal · focal_loss of `input` logits (B, C, spatial...) — (N, C)
/// for a classifier — against class indices or dense targets.
///
/// Example:
///   namespace F = osteon::losses::functional;
///   auto loss = F::ce_focal_loss(logits, labels, osteon::losses::CEFocalLossOptions().gamma(2));  // logits (N, 2), labels (N)
inline torch::Tensor ce_focal_loss(const torch::Tensor& input, const torch::Tensor& target,
                                   const CEFocalLossOptions& options = {}) {
  constexpr const char* fn = "ce_focal_loss";
  detail::check_ce_focal_options(fn, options);
  TORCH_CHECK(input.dim() >= 2, fn, ": input must be (B, C, spatial...), got shape ", input.sizes());
  const bool use_softmax = input.size(1) > 1;
  return options.lambda_ce() * cross_entropy(input, target, detail::cross_entropy_part(options)) +
         options.lambda_focal() * focal_loss(input, target, detail::focal_part(options, use_softmax));
}

}  // namespace functional

/// Cross-entropy + focal as a module; see functional::ce_focal_loss.
///
/// Example:
///   osteon::losses::CEFocalLoss criterion(osteon::losses::CEFocalLossOptions().gamma(2));
///   auto loss = criterion(model->forward(images), labels);
struct CEFocalLossImpl : torch::nn::Cloneable<CEFocalLossImpl> {
  explicit CEFocalLossImpl(CEFocalLossOptions options_ = {}) : options(std::move(options_)) {
    reset();
  }

  void reset() override {
    detail::check_ce_focal_options("CEFocalLoss", options);
    options.weight(detail::register_owned_buffer(*this, "class_weight", options.weight()));
    options.alpha(detail::register_owned_buffer(*this, "alpha", options.alpha()));
  }

  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& target) {
    return functional::ce_focal_loss(input, target, options);
  }

  void pretty_print(std::ostream& stream) const override {
    stream << "osteon::losses::CEFocalLoss(gamma=" << options.gamma()
           << ", lambda_ce=" << options.lambda_ce() << ", lambda_focal=" << options.lambda_focal()
           << ")";
  }

  CEFocalLossOptions options;
};

/// A ModuleHolder around CEFocalLossImpl (torch's module convention).
TORCH_MODULE(CEFocalLoss);

}  // namespace osteon::losses
