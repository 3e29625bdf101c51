#pragma once
/// @file
/// Dimension traits: the LibTorch layer types and options of the right dimensionality for a
/// network written once over its number of spatial dimensions D (1, 2 or 3), as MONAI's
/// `Conv[Conv.CONV, spatial_dims]` / `Norm[...]` factories do in Python.
///
/// Example:
///   using S = osteon::nn::Spatial<3>;  // in a template over D: osteon::nn::Spatial<D>
///   torch::nn::Sequential stem(S::Conv(S::ConvOptions(1, 16, 3).padding(1).bias(false)),
///                              S::BatchNorm(S::BatchNormOptions(16)));
///   auto x = stem->forward(torch::randn({1, 1, 8, 8, 8}).contiguous(S::channels_last));

#include <c10/core/MemoryFormat.h>
#include <torch/nn.h>  // the per-layer headers of LibTorch 1.13 are not self-contained

namespace osteon::nn {

/// Layer types of dimensionality D. Only D = 1, 2, 3 are defined (what LibTorch provides).
///
/// Members (each pair is a module holder and the options its constructor takes):
///   Conv / ConvOptions, ConvTranspose / ConvTransposeOptions, BatchNorm / BatchNormOptions,
///   InstanceNorm / InstanceNormOptions, MaxPool / MaxPoolOptions, AvgPool / AvgPoolOptions,
///   AdaptiveAvgPool / AdaptiveAvgPoolOptions, Dropout / DropoutOptions;
///   `dims` (= D) and `channels_last`, the memory format that puts channels last for a
///   (N, C, spatial...) tensor of this D (ChannelsLast for 2-D, ChannelsLast3d for 3-D,
///   Contiguous for 1-D, where PyTorch has no channels-last format).
///
/// Dropout is channel-wise (whole feature maps, Dropout2d / Dropout3d) for D = 2, 3; for D = 1
/// it is element-wise torch::nn::Dropout, because LibTorch 1.13's C++ API has no Dropout1d.
///
/// Example:
///   osteon::nn::Spatial<2>::Conv conv(osteon::nn::Spatial<2>::ConvOptions(3, 64, 7).stride(2));
template <int D>
struct Spatial {
  static_assert(D >= 1 && D <= 3, "osteon::nn::Spatial<D>: D must be 1, 2 or 3");
};

template <>
struct Spatial<1> {
  static constexpr int dims = 1;
  static constexpr c10::MemoryFormat channels_last = c10::MemoryFormat::Contiguous;
  using Conv = torch::nn::Conv1d;
  using ConvOptions = torch::nn::Conv1dOptions;
  using ConvTranspose = torch::nn::ConvTranspose1d;
  using ConvTransposeOptions = torch::nn::ConvTranspose1dOptions;
  using BatchNorm = torch::nn::BatchNorm1d;
  using BatchNormOptions = torch::nn::BatchNorm1dOptions;
  using InstanceNorm = torch::nn::InstanceNorm1d;
  using InstanceNormOptions = torch::nn::InstanceNorm1dOptions;
  using MaxPool = torch::nn::MaxPool1d;
  using MaxPoolOptions = torch::nn::MaxPool1dOptions;
  using AvgPool = torch::nn::AvgPool1d;
  using AvgPoolOptions = torch::nn::AvgPool1dOptions;
  using AdaptiveAvgPool = torch::nn::AdaptiveAvgPool1d;
  using AdaptiveAvgPoolOptions = torch::nn::AdaptiveAvgPool1dOptions;
  using Dropout = torch::nn::Dropout;
  using DropoutOptions = torch::nn::DropoutOptions;
};

template <>
struct Spatial<2> {
  static constexpr int dims = 2;
  static constexpr c10::MemoryFormat channels_last = c10::MemoryFormat::ChannelsLast;
  using Conv = torch::nn::Conv2d;
  using ConvOptions = torch::nn::Conv2dOptions;
  using ConvTranspose = torch::nn::ConvTranspose2d;
  using ConvTransposeOptions = torch::nn::ConvTranspose2dOptions;
  using BatchNorm = torch::nn::BatchNorm2d;
  using BatchNormOptions = torch::nn::BatchNorm2dOptions;
  using InstanceNorm = torch::nn::InstanceNorm2d;
  using InstanceNormOptions = torch::nn::InstanceNorm2dOptions;
  using MaxPool = torch::nn::MaxPool2d;
  using MaxPoolOptions = torch::nn::MaxPool2dOptions;
  using AvgPool = torch::nn::AvgPool2d;
  using AvgPoolOptions = torch::nn::AvgPool2dOptions;
  using AdaptiveAvgPool = torch::nn::AdaptiveAvgPool2d;
  using AdaptiveAvgPoolOptions = torch::nn::AdaptiveAvgPool2dOptions;
  using Dropout = torch::nn::Dropout2d;
  using DropoutOptions = torch::nn::Dropout2dOptions;
};

template <>
struct Spatial<3> {
  static constexpr int dims = 3;
  static constexpr c10::MemoryFormat channels_last = c10::MemoryFormat::ChannelsLast3d;
  using Conv = torch::nn::Conv3d;
  using ConvOptions = torch::nn::Conv3dOptions;
  using ConvTranspose = torch::nn::ConvTranspose3d;
  using ConvTransposeOptions = torch::nn::ConvTranspose3dOptions;
  using BatchNorm = torch::nn::BatchNorm3d;
  using BatchNormOptions = torch::nn::BatchNorm3dOptions;
  using InstanceNorm = torch::nn::InstanceNorm3d;
  using InstanceNormOptions = torch::nn::InstanceNorm3dOptions;
  using MaxPool = torch::nn::MaxPool3d;
  using MaxPoolOptions = torch::nn::MaxPool3dOptions;
  using AvgPool = torch::nn::AvgPool3d;
  using AvgPoolOptions = torch::nn::AvgPool3dOptions;
  using AdaptiveAvgPool = torch::nn::AdaptiveAvgPool3d;
  using AdaptiveAvgPoolOptions = torch::nn::AdaptiveAvgPool3dOptions;
  using Dropout = torch::nn::Dropout3d;
  using DropoutOptions = torch::nn::Dropout3dOptions;
};

namespace detail {

/// A model takes floating-point images: an integer image (uint8 pixels, int16 HU) would fail deep
/// inside a convolution with a backend message, so it is refused here with what to do.
inline void check_floating_input(const torch::Tensor& input, const char* model) {
  TORCH_CHECK(input.defined(), model, ": input is an undefined tensor");
  TORCH_CHECK(input.is_floating_point(), model, ": input must be a floating-point tensor, got dtype ",
              input.scalar_type(), " (convert and normalise the image first, e.g. image.to(torch::kFloat) / 255)");
}

}  // namespace detail

}  // namespace osteon::nn
