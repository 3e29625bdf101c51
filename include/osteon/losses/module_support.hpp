#pragma once
/// @file
/// Small pieces the loss modules share: per-channel vectors kept as buffers (so `module->to(device)`
/// moves them), and their broadcast view over (B, C, spatial...).

#include <string>
#include <vector>

#include <torch/torch.h>

namespace osteon::losses::detail {

/// Registers a private copy of `tensor` as buffer `name` of `module` and returns it (undefined
/// stays undefined and is not registered). The copy keeps a cloned module from sharing it.
inline torch::Tensor register_owned_buffer(torch::nn::Module& module, const std::string& name,
                                           const torch::Tensor& tensor) {
  if (!tensor.defined()) return {};
  return module.register_buffer(name, tensor.detach().clone());
}

/// A (C) vector as (1, C, 1, ...) with `ndim` dimensions, to scale a (B, C, spatial...) tensor.
inline torch::Tensor channel_view(const torch::Tensor& per_channel, int64_t ndim) {
  std::vector<int64_t> shape(static_cast<size_t>(ndim), 1);
  shape[1] = per_channel.numel();
  return per_channel.reshape(shape);
}

}  // namespace osteon::losses::detail
