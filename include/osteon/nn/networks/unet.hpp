#pragma once
/// @file
/// UNet with residual units (Ronneberger et al. 2015, "U-Net: convolutional networks for
/// biomedical image segmentation"; residual variant of Kerfoot et al. 2018), built exactly as
/// MONAI's `monai.networks.nets.UNet`: the same recursive `model.0 / model.1.submodule / model.2`
/// structure and state-dict keys, so MONAI-trained weights load one to one.
///
/// Example:
///   osteon::nn::UNet net(osteon::nn::UNetOptions(2, 1, 2, {16, 32, 64, 128, 256}, {2, 2, 2, 2})
///                            .num_res_units(2));
///   auto logits = net(torch::randn({1, 1, 64, 64}));  // (1, 2, 64, 64)

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <torch/nn.h>

#include "osteon/core/check.hpp"
#include "osteon/nn/blocks/convolution.hpp"

namespace osteon::nn {

/// Options of `UNet`; the names, defaults and meanings are those of MONAI's UNet.
///
/// Example:
///   auto options = osteon::nn::UNetOptions(3, 1, 3, {16, 32, 64}, {2, 2})
///                      .num_res_units(2)
///                      .norm(osteon::nn::NormKind::Batch)
///                      .dropout(0.1);
struct UNetOptions {
  UNetOptions(int64_t spatial_dims, int64_t in_channels, int64_t out_channels,
              std::vector<int64_t> channels, std::vector<int64_t> strides)
      : spatial_dims_(spatial_dims),
        in_channels_(in_channels),
        out_channels_(out_channels),
        channels_(std::move(channels)),
        strides_(std::move(strides)) {}
  TORCH_ARG(int64_t, spatial_dims);
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  /// Channels per level, top first (at least two levels).
  TORCH_ARG(std::vector<int64_t>, channels);
  /// Downsampling stride per level below the top: len(channels) - 1 values (extra ones unused).
  TORCH_ARG(std::vector<int64_t>, strides);
  /// Kernel of the encoder / bottom convolutions (odd).
  TORCH_ARG(SpatialArray, kernel_size) = 3;
  /// Kernel of the transposed (decoder) convolutions (odd).
  TORCH_ARG(SpatialArray, up_kernel_size) = 3;
  /// Convolutions per residual unit; 0 builds plain Convolution blocks without residual units.
  TORCH_ARG(int64_t, num_res_units) = 0;
  TORCH_ARG(ActivationOptions, act) = ActivationOptions(ActivationKind::Prelu);
  TORCH_ARG(NormOptions, norm) = NormOptions(NormKind::Instance);
  /// Dropout probability inside every block (element-wise, MONAI's dropout_dim 1).
  TORCH_ARG(double, dropout) = 0.0;
  TORCH_ARG(bool, bias) = true;
  TORCH_ARG(std::string, adn_ordering) = "NDA";
};

/// MONAI's UNet: each level is `Sequential(down, SkipConnection(next level), up)`, the down
/// block a strided (residual) convolution, the up block a transposed convolution (followed by
/// a one-convolution residual unit when `num_res_units > 0`). The top up block ends with a bare
/// convolution, so the network returns logits.
///
/// Every spatial size of the input must be divisible by the product of the strides.
///
/// Example:
///   osteon::nn::UNet net(osteon::nn::UNetOptions(3, 1, 2, {8, 16, 32}, {2, 2}).num_res_units(2));
///   auto logits = net(torch::randn({1, 1, 16, 16, 16}));  // (1, 2, 16, 16, 16)
class UNetImpl : public torch::nn::Cloneable<UNetImpl> {
 public:
  explicit UNetImpl(UNetOptions options_) : options(std::move(options_)) { reset(); }

  void reset() override {
    const auto& o = options;
    OSTEON_CHECK_ARG(o.spatial_dims() >= 1 && o.spatial_dims() <= 3,
                     "UNet: spatial_dims must be 1, 2 or 3, got ", o.spatial_dims());
    OSTEON_CHECK_ARG(o.in_channels() >= 1, "UNet: in_channels must be >= 1, got ", o.in_channels());
    OSTEON_CHECK_ARG(o.out_channels() >= 1, "UNet: out_channels must be >= 1, got ",
                     o.out_channels());
    OSTEON_CHECK_ARG(o.channels().size() >= 2,
                     "UNet: channels must have at least 2 levels, got ", o.channels().size());
    OSTEON_CHECK_ARG(o.strides().size() >= o.channels().size() - 1,
                     "UNet: strides must have len(channels) - 1 = ", o.channels().size() - 1,
                     " values, got ", o.strides().size());
    for (auto c : o.channels()) OSTEON_CHECK_ARG(c >= 1, "UNet: channels must be >= 1, got ", c);
    for (size_t i = 0; i + 1 < o.channels().size(); ++i) {
      OSTEON_CHECK_ARG(o.strides()[i] >= 1, "UNet: strides must be >= 1, got ", o.strides()[i]);
    }
    OSTEON_CHECK_ARG(o.num_res_units() >= 0, "UNet: num_res_units must be >= 0, got ",
                     o.num_res_units());
    OSTEON_CHECK_ARG(o.dropout() >= 0.0 && o.dropout() <= 1.0,
                     "UNet: dropout must be in [0, 1], got ", o.dropout());
    model = make_level(o.in_channels(), o.out_channels(), 0, /*is_top=*/true);
    register_module("model", model);
  }

  /// Logits (N, out_channels, spatial...) for an input (N, in_channels, spatial...).
  torch::Tensor forward(const torch::Tensor& input) {
    detail::check_network_input(input, options.spatial_dims(), options.in_channels(), "UNet");
    detail::check_spatial_divisible(input, downsampling_factor(), "UNet",
                                    "the product of the strides");
    return model->forward(input);
  }

  /// Product of the strides in use: the factor by which the bottom level is smaller.
  int64_t downsampling_factor() const {
    int64_t factor = 1;
    for (size_t i = 0; i + 1 < options.channels().size(); ++i) factor *= options.strides()[i];
    return factor;
  }

  UNetOptions options;
  TensorSequential model{nullptr};

 private:
  // MONAI's _create_block: the level `depth` from the top, recursing to the bottom.
  TensorSequential make_level(int64_t in_channels, int64_t out_channels, size_t depth,
                                   bool is_top) const {
    const auto& channels = options.channels();
    const int64_t level_channels = channels[depth];
    const int64_t stride = options.strides()[depth];
    torch::nn::AnyModule subblock;
    int64_t up_in_channels = 0;
    if (depth + 2 < channels.size()) {
      subblock = torch::nn::AnyModule(make_level(level_channels, level_channels, depth + 1, false));
      up_in_channels = 2 * level_channels;
    } else {
      subblock = make_down(level_channels, channels[depth + 1], 1);  // the bottom level
      up_in_channels = level_channels + channels[depth + 1];
    }
    TensorSequential level;
    level->push_back(make_down(in_channels, level_channels, stride));
    level->push_back(SkipConnection(std::move(subblock)));
    level->push_back(make_up(up_in_channels, out_channels, stride, is_top));
    return level;
  }

  torch::nn::AnyModule make_down(int64_t in_channels, int64_t out_channels, int64_t stride) const {
    const auto& o = options;
    if (o.num_res_units() > 0) {
      return torch::nn::AnyModule(ResidualUnit(ResidualUnitOptions(o.spatial_dims(), in_channels, out_channels)
                                                   .strides(stride)
                                                   .kernel_size(o.kernel_size())
                                                   .subunits(o.num_res_units())
                                                   .act(o.act())
                                                   .norm(o.norm())
                                                   .dropout(o.dropout())
                                                   .bias(o.bias())
                                                   .adn_ordering(o.adn_ordering())));
    }
    return torch::nn::AnyModule(Convolution(block_options(in_channels, out_channels)
                                                .strides(stride)
                                                .kernel_size(o.kernel_size())));
  }

  torch::nn::AnyModule make_up(int64_t in_channels, int64_t out_channels, int64_t stride,
                               bool is_top) const {
    const auto& o = options;
    Convolution up(block_options(in_channels, out_channels)
                       .strides(stride)
                       .kernel_size(o.up_kernel_size())
                       .conv_only(is_top && o.num_res_units() == 0)
                       .is_transposed(true));
    if (o.num_res_units() == 0) return torch::nn::AnyModule(up);
    ResidualUnit refine(ResidualUnitOptions(o.spatial_dims(), out_channels, out_channels)
                            .kernel_size(o.kernel_size())
                            .subunits(1)
                            .act(o.act())
                            .norm(o.norm())
                            .dropout(o.dropout())
                            .bias(o.bias())
                            .last_conv_only(is_top)
                            .adn_ordering(o.adn_ordering()));
    return torch::nn::AnyModule(TensorSequential(up, refine));
  }

  ConvolutionOptions block_options(int64_t in_channels, int64_t out_channels) const {
    const auto& o = options;
    return ConvolutionOptions(o.spatial_dims(), in_channels, out_channels)
        .act(o.act())
        .norm(o.norm())
        .dropout(o.dropout())
        .bias(o.bias())
        .adn_ordering(o.adn_ordering());
  }
};
TORCH_MODULE(UNet);

}  // namespace osteon::nn
