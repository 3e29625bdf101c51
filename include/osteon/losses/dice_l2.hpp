#pragma once
/// @file
/// Dice + L2 regulariser, the proximal-femur V-Net study's compound loss:
/// λ_dice · Dice + λ_l2 · Σ_w ‖w‖², the sum over the model's parameters — by default all but
/// biases and normalisation layers, which weight decay customarily leaves alone (Goyal et al.
/// 2017, "Accurate, Large Minibatch SGD", §5.1; Loshchilov & Hutter 2019).

#include <ostream>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "osteon/losses/compound.hpp"
#include "osteon/losses/dice.hpp"
#include "osteon/losses/module_support.hpp"
#include "osteon/losses/region_options.hpp"

namespace osteon::losses {

namespace detail {

/// Whether `module` is one of torch's normalisation layers (whose affine parameters are not
/// regularised).
inline bool is_normalisation_layer(const torch::nn::Module& module) {
  namespace nn = torch::nn;
  return module.as<nn::BatchNorm1d>() || module.as<nn::BatchNorm2d>() ||
         module.as<nn::BatchNorm3d>() || module.as<nn::InstanceNorm1d>() ||
         module.as<nn::InstanceNorm2d>() || module.as<nn::InstanceNorm3d>() ||
         module.as<nn::GroupNorm>() || module.as<nn::LayerNorm>();
}

}  // namespace detail

/// The parameters the L2 term sums over: all of `model`'s, or with `exclude_norm_and_bias` all
/// but those named `bias` and those of normalisation layers (BatchNorm, InstanceNorm, GroupNorm,
/// LayerNorm). The tensors are the model's own (no copies).
///
/// Example:
///   auto weights = osteon::losses::regularised_parameters(*vnet);
inline std::vector<torch::Tensor> regularised_parameters(const torch::nn::Module& model,
                                                         bool exclude_norm_and_bias = true) {
  if (!exclude_norm_and_bias) return model.parameters();
  std::vector<torch::Tensor> selected;
  const auto take_own_parameters = [&selected](const torch::nn::Module& module) {
    if (detail::is_normalisation_layer(module)) return;
    for (const auto& parameter : module.named_parameters(/*recurse=*/false)) {
      if (parameter.key() != "bias") selected.push_back(parameter.value());
    }
  };
  // modules(include_self=false): the model itself may live on the stack (no shared_from_this).
  take_own_parameters(model);
  for (const auto& submodule : model.modules(/*include_self=*/false)) take_own_parameters(*submodule);
  return selected;
}

/// Options of DiceL2Loss and functional::dice_l2_loss: the DiceLoss keywords, plus the weights
/// of the two terms.
///
/// Example:
///   auto options = osteon::losses::DiceL2LossOptions().sigmoid(true).lambda_l2(1e-4);
struct DiceL2LossOptions : DiceTermOptions<DiceL2LossOptions> {
  // reduction: of the Dice part; the L2 term is a scalar added to it.
  TORCH_ARG(double, lambda_dice) = 1.0;
  /// λ of Σ ‖w‖² (a common weight-decay size; the femur study does not report its value).
  TORCH_ARG(double, lambda_l2) = 1e-4;
  /// With a model: leave biases and normalisation layers out of the L2 term.
  TORCH_ARG(bool, exclude_norm_and_bias) = true;
};


namespace detail {

inline DiceLossOptions dice_part(const DiceL2LossOptions& options) {
  return options.copy_dice_options_to(DiceLossOptions()).weight(options.weight());
}

inline void check_dice_l2_options(const char* fn, const DiceL2LossOptions& options) {
  check_dice_options(fn, dice_part(options));
  check_lambda(fn, "lambda_dice", options.lambda_dice());
  check_lambda(fn, "lambda_l2", options.lambda_l2());
}

}  // namespace detail

namespace functional {

/// Σ_w ‖w‖² = Σ_w Σ_i w_i² over `parameters` (a 0-d tensor on the first one's device; 0 on the
/// CPU for none). Gradient 2w, the L2 weight decay.
///
/// Example:
///   auto penalty = osteon::losses::functional::l2_penalty(model->parameters());
inline torch::Tensor l2_penalty(torch::TensorList parameters) {
  if (parameters.empty()) return torch::zeros({});
  auto total = parameters.front().square().sum();
  for (size_t i = 1; i < parameters.size(); ++i) total = total + parameters[i].square().sum();
  return total;
}

/// λ_dice · dice_loss(input, target) + λ_l2 · l2_penalty(parameters).
///
/// Example:
///   namespace F = osteon::losses::functional;
///   auto loss = F::dice_l2_loss(logits, mask, osteon::losses::regularised_parameters(*vnet),
///                               osteon::losses::DiceL2LossOptions().sigmoid(true));
inline torch::Tensor dice_l2_loss(const torch::Tensor& input, const torch::Tensor& target,
                                  torch::TensorList parameters,
                                  const DiceL2LossOptions& options = {}) {
  detail::check_dice_l2_options("dice_l2_loss", options);
  return options.lambda_dice() * dice_loss(input, target, detail::dice_part(options)) +
         options.lambda_l2() * l2_penalty(parameters);
}

}  // namespace functional

/// Dice + L2 regulariser as a module. It keeps the model's parameter tensors (not as its own
/// parameters, so an optimiser over the loss's parameters sees none).
///
/// Example:
///   osteon::losses::DiceL2Loss criterion(*vnet, osteon::losses::DiceL2LossOptions().sigmoid(true));
///   auto loss = criterion(vnet->forward(volume), mask);
struct DiceL2LossImpl : torch::nn::Cloneable<DiceL2LossImpl> {
  /// The L2 term sums over `parameters` as given.
  explicit DiceL2LossImpl(std::vector<torch::Tensor> parameters, DiceL2LossOptions options_ = {})
      : options(std::move(options_)), regularised(std::move(parameters)) {
    reset();
  }

  /// The L2 term sums over regularised_parameters(model, options.exclude_norm_and_bias()).
  explicit DiceL2LossImpl(const torch::nn::Module& model, DiceL2LossOptions options_ = {})
      : DiceL2LossImpl(regularised_parameters(model, options_.exclude_norm_and_bias()),
                       options_) {}

  void reset() override {
    detail::check_dice_l2_options("DiceL2Loss", options);
    options.weight(detail::register_owned_buffer(*this, "class_weight", options.weight()));
  }

  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& target) {
    return functional::dice_l2_loss(input, target, regularised, options);
  }

  void pretty_print(std::ostream& stream) const override {
    stream << "osteon::losses::DiceL2Loss(lambda_dice=" << options.lambda_dice()
           << ", lambda_l2=" << options.lambda_l2() << ", parameters=" << regularised.size() << ")";
  }

  DiceL2LossOptions options;
  /// The tensors the L2 term sums over (shared with the model).
  std::vector<torch::Tensor> regularised;
};

/// A ModuleHolder around DiceL2LossImpl (torch's module convention).
TORCH_MODULE(DiceL2Loss);

}  // namespace osteon::losses
