#pragma once
/// @file
/// V-Net (Milletari, Navab & Ahmadi 2016, "V-Net: fully convolutional neural networks for
/// volumetric medical image segmentation", 3DV): 5×5×5 convolutions in residual stages,
/// stride-2 convolutions down and transposed convolutions up, built exactly as MONAI's
/// `monai.networks.nets.VNet` (same modules, same state-dict keys), so MONAI-trained weights
/// load one to one. Unlike MONAI, every dropout can be set or switched off (MONAI fixes the
/// skip-path dropout of the two shallow up stages at 0.5) and the base width is an option.
///
/// Example:
///   osteon::nn::VNet net(osteon::nn::VNetOptions().out_channels(2));
///   net->eval();
///   auto logits = net(torch::randn({1, 1, 64, 64, 64}));  // (1, 2, 64, 64, 64)

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <torch/nn.h>

#include "osteon/core/check.hpp"
#include "osteon/nn/blocks/convolution.hpp"
#include "osteon/nn/blocks/factories.hpp"

namespace osteon::nn {

/// Options of `VNet`. MONAI's keywords keep MONAI's defaults (3-D, ELU, dropout 0.5 in the deep
/// stages, channel-wise Dropout3d, no conv bias); `dropout_prob_skip` and `base_channels` are
/// ours, and their defaults reproduce MONAI.
///
/// Example:
///   auto no_dropout = osteon::nn::VNetOptions()
///                         .dropout_prob_down(std::nullopt)
///                         .dropout_prob_up({std::nullopt, std::nullopt})
///                         .dropout_prob_skip(std::nullopt);
struct VNetOptions {
  TORCH_ARG(int64_t, spatial_dims) = 3;
  /// Input channels; must divide base_channels (the input is tiled to base_channels and added).
  TORCH_ARG(int64_t, in_channels) = 1;
  TORCH_ARG(int64_t, out_channels) = 1;
  /// Activation after every convolution. PReLU with num_parameters unset gets one slope per
  /// channel, as MONAI's `act="prelu"`.
  TORCH_ARG(ActivationOptions, act) = ActivationOptions(ActivationKind::Elu).inplace(true);
  /// Dropout at the entry of the two deepest down stages (down_tr128, down_tr256).
  TORCH_ARG(std::optional<double>, dropout_prob_down) = 0.5;
  /// Dropout of (the input, the skip connection) in the two deepest up stages (up_tr256, up_tr128).
  using DropoutPair = std::array<std::optional<double>, 2>;
  TORCH_ARG(DropoutPair, dropout_prob_up) = (DropoutPair{0.5, 0.5});
  /// Dropout of the skip connection in the two shallow up stages (up_tr64, up_tr32); MONAI
  /// hard-codes 0.5.
  TORCH_ARG(std::optional<double>, dropout_prob_skip) = 0.5;
  /// 1: element-wise dropout; 2 or 3: whole channels (Dropout2d / Dropout3d, as MONAI). With 2-D
  /// data use 2: torch's Dropout3d reads a 4-D tensor as one unbatched volume.
  TORCH_ARG(int64_t, dropout_dim) = 3;
  /// Bias in the convolutions that a batch norm follows (MONAI's `bias`; the transposed and the
  /// final 1×1 convolutions always have one, as in MONAI).
  TORCH_ARG(bool, bias) = false;
  /// Channels after the input stage; the stages have 1, 2, 4, 8, 16 times as many (MONAI: 16).
  TORCH_ARG(int64_t, base_channels) = 16;
};

namespace detail {

// MONAI's Convolution(kernel 5, no activation, batch norm): `conv` and `adn.N`.
inline Convolution vnet_conv5_bn(int64_t spatial_dims, int64_t in_channels, int64_t out_channels,
                                 bool bias) {
  return Convolution(ConvolutionOptions(spatial_dims, in_channels, out_channels)
                         .kernel_size(5)
                         .act(std::nullopt)
                         .norm(NormOptions(NormKind::Batch))
                         .bias(bias));
}

// The 2×2(×2) stride-2 convolution of a down stage, or the transposed one of an up stage.
inline torch::nn::AnyModule vnet_resample(int64_t spatial_dims, int64_t in_channels,
                                          int64_t out_channels, bool transposed, bool bias) {
  return make_conv_layer(ConvolutionOptions(spatial_dims, in_channels, out_channels)
                             .kernel_size(2)
                             .strides(2)
                             .padding(0)
                             .output_padding(0)
                             .is_transposed(transposed)
                             .bias(bias));
}

inline std::optional<torch::nn::AnyModule> optional_dropout(std::optional<double> p,
                                                            int64_t dropout_dim) {
  if (!p) return std::nullopt;
  return make_dropout(*p, dropout_dim);
}

}  // namespace detail

namespace vnet {

/// One 5×5×5 convolution, batch norm and activation (MONAI's LUConv).
class LUConvImpl : public torch::nn::Cloneable<LUConvImpl> {
 public:
  LUConvImpl(int64_t spatial_dims, int64_t channels, ActivationOptions act, bool bias)
      : spatial_dims_(spatial_dims), channels_(channels), act_(std::move(act)), bias_(bias) {
    reset();
  }
  void reset() override {
    act_function = make_activation(act_, channels_);
    register_module("act_function", act_function.ptr());
    conv_block = register_module("conv_block",
                                 detail::vnet_conv5_bn(spatial_dims_, channels_, channels_, bias_));
  }
  torch::Tensor forward(const torch::Tensor& input) {
    return act_function.forward(conv_block(input));
  }
  torch::nn::AnyModule act_function;
  Convolution conv_block{nullptr};

 private:
  int64_t spatial_dims_, channels_;
  ActivationOptions act_;
  bool bias_;
};
TORCH_MODULE(LUConv);

/// `depth` LUConvs in a row (MONAI's `_make_nconv`), the `ops` of a stage.
inline torch::nn::Sequential make_nconv(int64_t spatial_dims, int64_t channels, int64_t depth,
                                        const ActivationOptions& act, bool bias) {
  torch::nn::Sequential layers;
  for (int64_t i = 0; i < depth; ++i) layers->push_back(LUConv(spatial_dims, channels, act, bias));
  return layers;
}

/// Input stage: conv5 + BN, plus the input tiled to out_channels, then the activation.
class InputTransitionImpl : public torch::nn::Cloneable<InputTransitionImpl> {
 public:
  InputTransitionImpl(int64_t spatial_dims, int64_t in_channels, int64_t out_channels,
                      ActivationOptions act, bool bias)
      : spatial_dims_(spatial_dims), in_channels_(in_channels), out_channels_(out_channels),
        act_(std::move(act)), bias_(bias) {
    reset();
  }
  void reset() override {
    OSTEON_CHECK_ARG(in_channels_ >= 1 && out_channels_ % in_channels_ == 0,
                     "VNet: in_channels must divide base_channels (", out_channels_, "), got ",
                     in_channels_);
    act_function = make_activation(act_, out_channels_);
    register_module("act_function", act_function.ptr());
    conv_block = register_module(
        "conv_block", detail::vnet_conv5_bn(spatial_dims_, in_channels_, out_channels_, bias_));
  }
  torch::Tensor forward(const torch::Tensor& input) {
    auto out = conv_block(input);
    // MONAI adds x.repeat(out/in) along channels; one channel broadcasts without the copy.
    auto tiled = in_channels_ == 1 ? input : input.repeat(repeat_counts(input.dim()));
    return act_function.forward(out + tiled);
  }
  torch::nn::AnyModule act_function;
  Convolution conv_block{nullptr};

 private:
  std::vector<int64_t> repeat_counts(int64_t dim) const {
    std::vector<int64_t> counts(dim, 1);
    counts[1] = out_channels_ / in_channels_;
    return counts;
  }
  int64_t spatial_dims_, in_channels_, out_channels_;
  ActivationOptions act_;
  bool bias_;
};
TORCH_MODULE(InputTransition);

/// Down stage: 2×2×2 stride-2 convolution doubling the channels, BN, activation, (dropout),
/// `nconvs` LUConvs, plus the residual, then the activation.
class DownTransitionImpl : public torch::nn::Cloneable<DownTransitionImpl> {
 public:
  DownTransitionImpl(int64_t spatial_dims, int64_t in_channels, int64_t nconvs,
                     ActivationOptions act, std::optional<double> dropout_prob,
                     int64_t dropout_dim, bool bias)
      : spatial_dims_(spatial_dims), in_channels_(in_channels), nconvs_(nconvs),
        act_(std::move(act)), dropout_prob_(dropout_prob), dropout_dim_(dropout_dim),
        bias_(bias) {
    reset();
  }
  void reset() override {
    const int64_t out_channels = 2 * in_channels_;
    down_conv = detail::vnet_resample(spatial_dims_, in_channels_, out_channels,
                                                  /*transposed=*/false, bias_);
    register_module("down_conv", down_conv.ptr());
    bn1 = make_norm(NormOptions(NormKind::Batch), spatial_dims_, out_channels);
    register_module("bn1", bn1.ptr());
    act_function1 = make_activation(act_, out_channels);
    register_module("act_function1", act_function1.ptr());
    act_function2 = make_activation(act_, out_channels);
    register_module("act_function2", act_function2.ptr());
    ops = register_module("ops", make_nconv(spatial_dims_, out_channels, nconvs_, act_, bias_));
    dropout = detail::optional_dropout(dropout_prob_, dropout_dim_);
    if (dropout) register_module("dropout", dropout->ptr());
  }
  torch::Tensor forward(const torch::Tensor& input) {
    auto down = act_function1.forward(bn1.forward(down_conv.forward(input)));
    auto out = dropout ? dropout->forward(down) : down;
    out = ops->forward(out);
    return act_function2.forward(out + down);
  }
  torch::nn::AnyModule down_conv, bn1, act_function1, act_function2;
  torch::nn::Sequential ops{nullptr};
  std::optional<torch::nn::AnyModule> dropout;

 private:
  int64_t spatial_dims_, in_channels_, nconvs_;
  ActivationOptions act_;
  std::optional<double> dropout_prob_;
  int64_t dropout_dim_;
  bool bias_;
};
TORCH_MODULE(DownTransition);

/// Up stage: (dropout), 2×2×2 stride-2 transposed convolution to out_channels / 2, BN,
/// activation, concatenated with the (dropped-out) skip connection, `nconvs` LUConvs, plus the
/// residual, then the activation.
class UpTransitionImpl : public torch::nn::Cloneable<UpTransitionImpl> {
 public:
  UpTransitionImpl(int64_t spatial_dims, int64_t in_channels, int64_t out_channels, int64_t nconvs,
                   ActivationOptions act, std::optional<double> dropout_prob,
                   std::optional<double> skip_dropout_prob, int64_t dropout_dim)
      : spatial_dims_(spatial_dims), in_channels_(in_channels), out_channels_(out_channels),
        nconvs_(nconvs), act_(std::move(act)), dropout_prob_(dropout_prob),
        skip_dropout_prob_(skip_dropout_prob), dropout_dim_(dropout_dim) {
    reset();
  }
  void reset() override {
    const int64_t half = out_channels_ / 2;
    up_conv = detail::vnet_resample(spatial_dims_, in_channels_, half,
                                                /*transposed=*/true, /*bias=*/true);
    register_module("up_conv", up_conv.ptr());
    bn1 = make_norm(NormOptions(NormKind::Batch), spatial_dims_, half);
    register_module("bn1", bn1.ptr());
    dropout = detail::optional_dropout(dropout_prob_, dropout_dim_);
    if (dropout) register_module("dropout", dropout->ptr());
    dropout2 = detail::optional_dropout(skip_dropout_prob_, dropout_dim_);
    if (dropout2) register_module("dropout2", dropout2->ptr());
    act_function1 = make_activation(act_, half);
    register_module("act_function1", act_function1.ptr());
    act_function2 = make_activation(act_, out_channels_);
    register_module("act_function2", act_function2.ptr());
    // MONAI builds these LUConvs without bias whatever VNet's `bias` is.
    ops = register_module("ops", make_nconv(spatial_dims_, out_channels_, nconvs_, act_, false));
  }
  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& skip) {
    auto out = dropout ? dropout->forward(input) : input;
    auto skip_out = dropout2 ? dropout2->forward(skip) : skip;
    out = act_function1.forward(bn1.forward(forward_conv_layer(up_conv, out)));
    auto cat = torch::cat({out, skip_out}, 1);
    return act_function2.forward(ops->forward(cat) + cat);
  }
  torch::nn::AnyModule up_conv, bn1, act_function1, act_function2;
  std::optional<torch::nn::AnyModule> dropout, dropout2;
  torch::nn::Sequential ops{nullptr};

 private:
  int64_t spatial_dims_, in_channels_, out_channels_, nconvs_;
  ActivationOptions act_;
  std::optional<double> dropout_prob_, skip_dropout_prob_;
  int64_t dropout_dim_;
};
TORCH_MODULE(UpTransition);

/// Output stage: conv5 + BN + activation, then a 1×1 convolution to the output channels.
class OutputTransitionImpl : public torch::nn::Cloneable<OutputTransitionImpl> {
 public:
  OutputTransitionImpl(int64_t spatial_dims, int64_t in_channels, int64_t out_channels,
                       ActivationOptions act, bool bias)
      : spatial_dims_(spatial_dims), in_channels_(in_channels), out_channels_(out_channels),
        act_(std::move(act)), bias_(bias) {
    reset();
  }
  void reset() override {
    act_function1 = make_activation(act_, out_channels_);
    register_module("act_function1", act_function1.ptr());
    conv_block = register_module(
        "conv_block", detail::vnet_conv5_bn(spatial_dims_, in_channels_, out_channels_, bias_));
    // The 5³ convolution to the few output channels wastes most of oneDNN's 16-channel blocks;
    // folding its depth axis is ≈ 3× faster at 64³ on CPU (folded_conv.hpp).
    conv_block->fold_first_kernel_axis = true;
    conv2 = detail::make_conv_layer(
        ConvolutionOptions(spatial_dims_, out_channels_, out_channels_).kernel_size(1));
    register_module("conv2", conv2.ptr());
  }
  torch::Tensor forward(const torch::Tensor& input) {
    return conv2.forward(act_function1.forward(conv_block(input)));
  }
  torch::nn::AnyModule act_function1;
  Convolution conv_block{nullptr};
  torch::nn::AnyModule conv2;

 private:
  int64_t spatial_dims_, in_channels_, out_channels_;
  ActivationOptions act_;
  bool bias_;
};
TORCH_MODULE(OutputTransition);

}  // namespace vnet

/// V-Net: an input stage, four down stages (1, 2, 3, 2 LUConvs), four up stages (2, 2, 1, 1)
/// with skip connections, and an output stage; submodules `in_tr`, `down_tr32` … `down_tr256`,
/// `up_tr256` … `up_tr32`, `out_tr` as in MONAI (the names give the default widths).
///
/// Every spatial size of the input must be divisible by 16.
///
/// Example:
///   osteon::nn::VNet net(osteon::nn::VNetOptions().spatial_dims(2).in_channels(1).out_channels(3));
///   auto logits = net(torch::randn({2, 1, 32, 32}));  // (2, 3, 32, 32)
class VNetImpl : public torch::nn::Cloneable<VNetImpl> {
 public:
  /// Stride-2 stages: inputs must be divisible by 2^4.
  static constexpr int64_t size_divisor = 16;

  explicit VNetImpl(VNetOptions options_ = {}) : options(std::move(options_)) { reset(); }

  void reset() override {
    const auto& o = options;
    OSTEON_CHECK_ARG(o.spatial_dims() == 2 || o.spatial_dims() == 3,
                     "VNet: spatial_dims must be 2 or 3, got ", o.spatial_dims());
    OSTEON_CHECK_ARG(o.in_channels() >= 1, "VNet: in_channels must be >= 1, got ", o.in_channels());
    OSTEON_CHECK_ARG(o.out_channels() >= 1, "VNet: out_channels must be >= 1, got ",
                     o.out_channels());
    OSTEON_CHECK_ARG(o.base_channels() >= 1, "VNet: base_channels must be >= 1, got ",
                     o.base_channels());
    OSTEON_CHECK_ARG(o.dropout_dim() >= 1 && o.dropout_dim() <= 3,
                     "VNet: dropout_dim must be 1, 2 or 3, got ", o.dropout_dim());
    const int64_t dims = o.spatial_dims();
    const int64_t w = o.base_channels();
    const auto& act = o.act();
    const auto& up = o.dropout_prob_up();
    using vnet::DownTransition, vnet::InputTransition, vnet::OutputTransition, vnet::UpTransition;
    in_tr = register_module("in_tr", InputTransition(dims, o.in_channels(), w, act, o.bias()));
    down_tr32 = register_module(
        "down_tr32", DownTransition(dims, w, 1, act, std::nullopt, o.dropout_dim(), o.bias()));
    down_tr64 = register_module(
        "down_tr64", DownTransition(dims, 2 * w, 2, act, std::nullopt, o.dropout_dim(), o.bias()));
    down_tr128 = register_module(
        "down_tr128",
        DownTransition(dims, 4 * w, 3, act, o.dropout_prob_down(), o.dropout_dim(), o.bias()));
    down_tr256 = register_module(
        "down_tr256",
        DownTransition(dims, 8 * w, 2, act, o.dropout_prob_down(), o.dropout_dim(), o.bias()));
    up_tr256 = register_module(
        "up_tr256", UpTransition(dims, 16 * w, 16 * w, 2, act, up[0], up[1], o.dropout_dim()));
    up_tr128 = register_module(
        "up_tr128", UpTransition(dims, 16 * w, 8 * w, 2, act, up[0], up[1], o.dropout_dim()));
    up_tr64 = register_module("up_tr64", UpTransition(dims, 8 * w, 4 * w, 1, act, std::nullopt,
                                                      o.dropout_prob_skip(), o.dropout_dim()));
    up_tr32 = register_module("up_tr32", UpTransition(dims, 4 * w, 2 * w, 1, act, std::nullopt,
                                                      o.dropout_prob_skip(), o.dropout_dim()));
    out_tr = register_module("out_tr", OutputTransition(dims, 2 * w, o.out_channels(), act, o.bias()));
  }

  /// Logits (N, out_channels, spatial...) for an input (N, in_channels, spatial...).
  torch::Tensor forward(const torch::Tensor& input) {
    detail::check_network_input(input, options.spatial_dims(), options.in_channels(),
                                            "VNet");
    detail::check_spatial_divisible(input, size_divisor, "VNet",
                                                "four stride-2 stages");
    auto out16 = in_tr(input);
    auto out32 = down_tr32(out16);
    auto out64 = down_tr64(out32);
    auto out128 = down_tr128(out64);
    auto out256 = down_tr256(out128);
    auto x = up_tr256(out256, out128);
    x = up_tr128(x, out64);
    x = up_tr64(x, out32);
    x = up_tr32(x, out16);
    return out_tr(x);
  }

  VNetOptions options;
  vnet::InputTransition in_tr{nullptr};
  vnet::DownTransition down_tr32{nullptr}, down_tr64{nullptr}, down_tr128{nullptr},
      down_tr256{nullptr};
  vnet::UpTransition up_tr256{nullptr}, up_tr128{nullptr}, up_tr64{nullptr}, up_tr32{nullptr};
  vnet::OutputTransition out_tr{nullptr};
};
TORCH_MODULE(VNet);

}  // namespace osteon::nn
