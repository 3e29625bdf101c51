#pragma once
/// @file
/// Import of MONAI-trained V-Net and UNet weights. Our modules carry MONAI's submodule names,
/// so the key map is the identity; what a checkpoint may add around the keys is removed first:
/// the `module.` prefix of a model saved through DataParallel / DistributedDataParallel, and the
/// one-entry wrapper of a training checkpoint such as `torch.save({"net": net.state_dict()}, p)`
/// (MONAI's CheckpointSaver), which the reader flattens to `net.`.
///
/// Example:
///   // Python: torch.save(monai.networks.nets.VNet(out_channels=2).state_dict(), "vnet.pt")
///   osteon::nn::VNet net(osteon::nn::VNetOptions().out_channels(2));
///   osteon::nn::load_monai_weights(*net, "vnet.pt");

#include <optional>
#include <string>
#include <utility>

#include <torch/nn/module.h>

#include "osteon/core/check.hpp"
#include "osteon/io/state_dict.hpp"

namespace osteon::nn {

namespace detail {

inline size_t count_known_keys(const StateDict& dict, const StateDict& model) {
  size_t known = 0;
  for (const auto& item : dict) known += model.find(item.key()) != nullptr;
  return known;
}

/// `dict` without the first dotted component of its keys, when all keys share it; else empty.
inline std::optional<StateDict> strip_common_prefix(const StateDict& dict) {
  if (dict.is_empty()) return std::nullopt;
  const std::string& first = dict.begin()->key();
  const auto dot = first.find('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string prefix = first.substr(0, dot + 1);
  StateDict stripped;
  for (const auto& item : dict) {
    if (item.key().compare(0, prefix.size(), prefix) != 0) return std::nullopt;
    stripped.insert(item.key().substr(prefix.size()), item.value());
  }
  return stripped;
}

}  // namespace detail

/// Loads the weights of a MONAI VNet or UNet state dict into `model` (an osteon VNet / UNet of
/// the same configuration) with strict key and shape checks. Throws std::invalid_argument naming
/// the file and every missing, unexpected or mis-shaped key, which usually means that the
/// configuration differs (channels, strides, num_res_units, norm, PReLU vs ELU).
///
/// Example:
///   osteon::nn::UNet net(osteon::nn::UNetOptions(2, 1, 2, {16, 32, 64, 128, 256}, {2, 2, 2, 2})
///                            .num_res_units(2));
///   osteon::nn::load_monai_weights(*net, "monai_unet.pt");
inline void load_monai_weights(torch::nn::Module& model, const std::string& path) {
  StateDict dict = load_state_dict_file(path);
  const StateDict own = module_state_dict(model);
  // Peel up to two `net.` / `module.`-style wrappers; keep the variant that matches most keys.
  size_t best_known = detail::count_known_keys(dict, own);
  std::optional<StateDict> candidate = detail::strip_common_prefix(dict);
  for (int depth = 0; depth < 2 && candidate && best_known < dict.size(); ++depth) {
    const size_t known = detail::count_known_keys(*candidate, own);
    if (known > best_known) {
      best_known = known;
      dict = *candidate;
    }
    candidate = detail::strip_common_prefix(*candidate);
  }
  try {
    assign_state_dict(model, dict, /*strict=*/true);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(::osteon::detail::concat(
        "load_monai_weights: ", path, " does not fit this model (is the configuration the one "
        "MONAI was trained with?): ", error.what()));
  }
}

}  // namespace osteon::nn
