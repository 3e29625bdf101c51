#pragma once
/// @file
/// ImageNet initialisation of our ResNets from a torchvision state dict saved in Python with
/// `torch.save(torchvision.models.resnet50(weights=...).state_dict(), path)`: names line up one to
/// one; a stem with other than 3 input channels and a head with other than 1000 classes are
/// adapted as timm's `load_pretrained` does.
///
/// Example:
///   auto model = osteon::nn::resnet50(osteon::nn::ResNetOptions().num_classes(2).in_channels(1));
///   auto skipped = osteon::nn::load_torchvision_weights(*model, "resnet50_imagenet.pt");
///   // skipped.missing_keys == {"fc.weight", "fc.bias"}: the 2-class head stays freshly initialised

#include <torch/types.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/nn/networks/multiview.hpp"
#include "osteon/nn/networks/resnet.hpp"
#include "osteon/io/state_dict.hpp"

namespace osteon::nn {

/// Adapts a pretrained stem kernel (out, 3, k...) to `in_channels` inputs, as timm's
/// `adapt_input_conv`: 1 channel → the sum of the RGB kernels (a grey image x gives the
/// response the RGB network gives to (x, x, x)); more than 3 → the RGB kernels repeated
/// cyclically and scaled by 3 / in_channels, which keeps the response to a replicated grey image.
///
/// Example:
///   auto grey = osteon::nn::adapt_input_conv(rgb_weight, 1);  // rgb_weight.sum(1, true)
inline torch::Tensor adapt_input_conv(const torch::Tensor& weight, int64_t in_channels) {
  TORCH_CHECK(weight.dim() >= 3, "adapt_input_conv: weight must be (out, in, k...), got shape ",
              weight.sizes());
  TORCH_CHECK(in_channels >= 1, "adapt_input_conv: in_channels must be >= 1, got ", in_channels);
  const int64_t source_channels = weight.size(1);
  if (in_channels == source_channels) return weight;
  if (in_channels == 1) return weight.sum(1, /*keepdim=*/true);
  TORCH_CHECK(source_channels == 3, "adapt_input_conv: can adapt only a 3-channel (RGB) kernel to ",
              in_channels, " channels, got ", source_channels, " channels");
  const int64_t repeats = (in_channels + source_channels - 1) / source_channels;
  std::vector<int64_t> tile(static_cast<size_t>(weight.dim()), 1);
  tile[1] = repeats;
  return weight.repeat(tile)
             .narrow(1, 0, in_channels)
             .mul(static_cast<double>(source_channels) / static_cast<double>(in_channels));
}

/// Loads torchvision ResNet weights from `path` into `model` (a 2-D ResNet of the same depth).
/// `conv1.weight` is adapted to the model's in_channels (adapt_input_conv); if the model's head
/// differs from the file's (other num_classes, or no head), `fc.weight` / `fc.bias` are skipped
/// and reported as missing. Every other key must match in name and shape: missing, unexpected
/// and mis-shaped keys (e.g. a ResNet-50 file into a ResNet-18) raise std::invalid_argument,
/// listing them all.
///
/// Example:
///   // Python: torch.save(torchvision.models.resnet50(weights="IMAGENET1K_V2").state_dict(), "r50.pt")
///   auto model = osteon::nn::resnet50(osteon::nn::ResNetOptions().num_classes(2));
///   osteon::nn::load_torchvision_weights(*model, "r50.pt");
template <template <int> class Block>
IncompatibleKeys load_torchvision_weights(ResNetImpl<Block, 2>& model, const std::string& path) {
  auto dict = load_state_dict_file(path);
  if (torch::Tensor* stem = dict.find("conv1.weight")) {
    if (stem->dim() == 4) *stem = adapt_input_conv(*stem, model.options.in_channels());
  }
  const torch::Tensor* head = dict.find("fc.weight");
  const bool same_head = model.fc && head != nullptr && head->sizes() == model.fc->weight.sizes();
  IncompatibleKeys keys;
  if (!same_head) {  // keep the model's own head: strict matching then checks the backbone only
    StateDict adapted;
    for (const auto& item : dict)
      if (item.key() != "fc.weight" && item.key() != "fc.bias") adapted.insert(item.key(), item.value());
    if (model.fc) {
      adapted.insert("fc.weight", model.fc->weight);
      adapted.insert("fc.bias", model.fc->bias);
      keys.missing_keys = {"fc.weight", "fc.bias"};
    }
    dict = std::move(adapted);
  }
  try {
    assign_state_dict(model, dict, /*strict=*/true);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(::osteon::detail::concat(
        "load_torchvision_weights: path '", path, "' is not a torchvision state dict of this "
        "ResNet: ", error.what()));
  }
  return keys;
}

/// Loads torchvision ResNet weights into every backbone of a 2-D MultiViewResNet (once into a
/// shared backbone); heads that differ from the file's stay as initialised and are reported as
/// missing (`backbone.fc.weight`, `backbones.1.fc.bias`, `head.weight`, ...).
///
/// Example:
///   osteon::nn::MultiViewResNet<osteon::nn::BottleneckImpl> model(
///       osteon::nn::MultiViewOptions(osteon::nn::resnet_options(50).num_classes(2)));
///   osteon::nn::load_torchvision_weights(*model, "r50.pt");  // ImageNet init of AP + frog-leg
template <template <int> class Block>
IncompatibleKeys load_torchvision_weights(MultiViewResNetImpl<Block, 2>& model,
                                          const std::string& path) {
  IncompatibleKeys keys;
  auto load_into = [&](ResNetImpl<Block, 2>& backbone, const std::string& prefix) {
    for (const auto& name : load_torchvision_weights(backbone, path).missing_keys)
      keys.missing_keys.push_back(prefix + name);
  };
  if (model.backbone) {
    load_into(*model.backbone, "backbone.");
  } else {
    for (size_t v = 0; v < model.backbones->size(); ++v)
      load_into(*model.backbones[v]->template as<ResNetImpl<Block, 2>>(),
                "backbones." + std::to_string(v) + ".");
  }
  if (model.head) {
    keys.missing_keys.push_back("head.weight");
    keys.missing_keys.push_back("head.bias");
  }
  return keys;
}

}  // namespace osteon::nn
