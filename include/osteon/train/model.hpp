#pragma once
/// @file
/// What a Trainer trains: a forward function plus the module's parameters, its state dict and its
/// train / eval switch. `make_model(module)` builds it for any torch::nn::Module with a
/// `forward(Tensor)` (osteon's networks, torch::nn layers, a user's module); `TrainModel` can also
/// be filled by hand (a module whose forward takes several tensors, a Python module).

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "osteon/io/state_dict.hpp"

namespace osteon::train {

/// A trainable model, seen through four functions.
struct TrainModel {
  std::function<torch::Tensor(const torch::Tensor&)> forward;
  std::function<std::vector<torch::Tensor>()> parameters;
  /// Parameter and buffer names → the module's own tensors (not copies), PyTorch's order.
  std::function<io::StateDict()> state_dict;
  std::function<void(bool)> set_training;
  /// The module when there is one (for users' callbacks); may be null.
  std::shared_ptr<torch::nn::Module> module;
};

namespace detail {
template <typename M, typename = void>
struct has_tensor_forward : std::false_type {};
template <typename M>
struct has_tensor_forward<M, std::void_t<decltype(std::declval<M&>().forward(std::declval<torch::Tensor>()))>>
    : std::true_type {};
}  // namespace detail

/// A TrainModel of `module` (a std::shared_ptr<M> or a TORCH_MODULE holder) calling `module->forward`.
/// For a module without `forward(Tensor)` (a plain std::shared_ptr<torch::nn::Module>), `forward`
/// is left empty for the caller to set.
///
/// Example:
///   auto net = osteon::nn::resnet18(osteon::nn::ResNetOptions().num_classes(2));
///   auto model = osteon::train::make_model(net);
template <typename M>
TrainModel make_model(std::shared_ptr<M> module) {
  static_assert(std::is_base_of_v<torch::nn::Module, M>, "make_model: M must derive from torch::nn::Module");
  TrainModel model;
  if constexpr (detail::has_tensor_forward<M>::value)
    model.forward = [module](const torch::Tensor& x) { return module->forward(x); };
  model.parameters = [module] { return module->parameters(); };
  model.state_dict = [module] { return io::module_state_dict(*module); };
  model.set_training = [module](bool on) { module->train(on); };
  model.module = module;
  return model;
}

/// Overload for TORCH_MODULE holders (`osteon::nn::ResNet18`, `torch::nn::Linear`).
template <typename Impl>
TrainModel make_model(const torch::nn::ModuleHolder<Impl>& holder) {
  return make_model(holder.ptr());
}

}  // namespace osteon::train
