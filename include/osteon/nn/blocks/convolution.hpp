#pragma once
/// @file
/// MONAI's building blocks (monai/networks/blocks/convolutions.py, layers/simplelayers.py) with
/// the same structure and submodule names, so their state dicts line up key for key:
///   Convolution    `conv` (Conv / ConvTranspose) then `adn` (N, D, A in `adn_ordering`)
///   ResidualUnit   `conv` (unit0, unit1, ...) plus `residual` (Identity or a Conv), added
///   SkipConnection `submodule`, its output concatenated after the input along channels.
/// The number of spatial dimensions is a run-time option, as in MONAI.
///
/// Example:
///   using namespace osteon::nn;
///   Convolution down(ConvolutionOptions(3, 1, 16).strides(2).norm(NormKind::Batch));
///   auto y = down(torch::randn({1, 1, 16, 16, 16}));  // (1, 16, 8, 8, 8)

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <torch/nn.h>

#include "osteon/core/check.hpp"
#include "osteon/nn/blocks/factories.hpp"
#include "osteon/nn/blocks/spatial.hpp"
#include "osteon/nn/ops/folded_conv.hpp"
#include "osteon/nn/ops/transposed_conv.hpp"

namespace osteon::nn {

/// A per-dimension size given either as one value for every spatial dimension or one value per
/// dimension, as MONAI's `Sequence[int] | int` arguments (kernel_size, strides, padding).
///
/// Example:
///   osteon::nn::SpatialArray k = 3;          // 3 in every dimension
///   osteon::nn::SpatialArray s = {2, 2, 1};  // anisotropic
class SpatialArray {
 public:
  /* implicit */ SpatialArray(int64_t value) : values_{value} {}
  /* implicit */ SpatialArray(std::initializer_list<int64_t> values) : values_(values) {}
  /* implicit */ SpatialArray(std::vector<int64_t> values) : values_(std::move(values)) {}

  /// The values as given (one, or one per dimension).
  const std::vector<int64_t>& values() const { return values_; }

  /// One value per dimension: a single value repeated `spatial_dims` times.
  std::vector<int64_t> expand(int64_t spatial_dims, const char* name) const {
    OSTEON_CHECK_ARG(values_.size() == 1 || static_cast<int64_t>(values_.size()) == spatial_dims,
                     name, " must have 1 or spatial_dims (", spatial_dims, ") values, got ",
                     values_.size());
    if (values_.size() == 1) return std::vector<int64_t>(spatial_dims, values_.front());
    return values_;
  }

  /// The product over dimensions (the downsampling factor of a stride).
  int64_t product() const {
    int64_t result = 1;
    for (auto value : values_) result *= value;
    return result;
  }

 private:
  std::vector<int64_t> values_;
};

namespace detail {

/// MONAI's `same_padding`: (k - 1) / 2 · dilation, which keeps the size at stride 1 and divides
/// it by the stride otherwise; only defined where (k - 1) · dilation is even.
inline std::vector<int64_t> same_padding(const std::vector<int64_t>& kernel_size,
                                         const std::vector<int64_t>& dilation) {
  std::vector<int64_t> padding(kernel_size.size());
  for (size_t i = 0; i < kernel_size.size(); ++i) {
    OSTEON_CHECK_ARG((kernel_size[i] - 1) * dilation[i] % 2 == 0,
                     "Convolution: same padding needs an odd kernel_size (or even dilation), "
                     "got kernel_size ", kernel_size[i], " and dilation ", dilation[i]);
    padding[i] = (kernel_size[i] - 1) / 2 * dilation[i];
  }
  return padding;
}

/// Checks that every spatial size of `input` (N, C, spatial...) is divisible by `factor`, with a
/// message that gives the offending size and the nearest sizes that work.
inline void check_spatial_divisible(const torch::Tensor& input, int64_t factor, const char* model,
                                    const char* why) {
  for (int64_t dim = 2; dim < input.dim(); ++dim) {
    const int64_t size = input.size(dim);
    if (size % factor == 0) continue;
    const int64_t below = size / factor * factor;
    const int64_t above = below + factor;
    TORCH_CHECK(false, model, ": every spatial size of the input must be divisible by ", factor,
                " (", why, "), got input shape ", input.sizes(), " whose spatial dimension ",
                dim - 2, " has size ", size, "; nearest valid sizes: ",
                below > 0 ? std::to_string(below) + " or " : std::string(), above,
                " (crop or pad the input)");
  }
}

/// Checks the (N, C, spatial...) layout and the channel count of a network's input.
inline void check_network_input(const torch::Tensor& input, int64_t spatial_dims,
                                int64_t in_channels, const char* model) {
  check_floating_input(input, model);
  TORCH_CHECK(input.dim() == spatial_dims + 2, model, ": input must be (N, C, ",
              spatial_dims == 2 ? "H, W" : (spatial_dims == 3 ? "D, H, W" : "L"),
              ") for spatial_dims=", spatial_dims, ", got shape ", input.sizes());
  TORCH_CHECK(input.size(1) == in_channels, model, ": input must have in_channels=", in_channels,
              " channels, got shape ", input.sizes());
}

}  // namespace detail

// ---- TensorSequential ----------------------------------------------------------------------------

/// torch::nn::Sequential with a plain Tensor → Tensor forward, so that it can be held by an
/// AnyModule (and so nest inside another Sequential or a SkipConnection), which LibTorch's
/// Sequential, whose forward is a template, cannot; and a clone() that keeps the children's
/// names (LibTorch 1.13's renames them "0", "1", ..., which would change MONAI's `adn.N` /
/// `conv.unit0` keys in a cloned model). Unnamed children are "0", "1", ... as in Python.
///
/// Example:
///   osteon::nn::TensorSequential seq(torch::nn::Linear(4, 4), torch::nn::ReLU());
///   torch::nn::AnyModule any(seq);
class TensorSequentialImpl : public torch::nn::SequentialImpl {
 public:
  using SequentialImpl::SequentialImpl;
  torch::Tensor forward(const torch::Tensor& input) { return SequentialImpl::forward(input); }

  std::shared_ptr<torch::nn::Module> clone(
      const torch::optional<torch::Device>& device = torch::nullopt) const override {
    auto copy = std::make_shared<TensorSequentialImpl>();
    const auto names = named_children().keys();
    size_t index = 0;
    for (const auto& module : *this) copy->push_back(names[index++], module.clone(device));
    copy->train(is_training());
    return copy;
  }
};
TORCH_MODULE(TensorSequential);

// ---- Convolution -------------------------------------------------------------------------------

/// Options of `Convolution`, MONAI's `Convolution(spatial_dims, in_channels, out_channels, ...)`
/// with the same defaults (PReLU, instance norm, no dropout, "NDA", bias).
///
/// Example:
///   auto options = osteon::nn::ConvolutionOptions(2, 8, 16).strides(2).kernel_size(3);
struct ConvolutionOptions {
  ConvolutionOptions(int64_t spatial_dims, int64_t in_channels, int64_t out_channels)
      : spatial_dims_(spatial_dims), in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, spatial_dims);
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  TORCH_ARG(SpatialArray, strides) = 1;
  TORCH_ARG(SpatialArray, kernel_size) = 3;
  /// Order of normalisation (N), dropout (D) and activation (A) after the convolution.
  TORCH_ARG(std::string, adn_ordering) = "NDA";
  TORCH_ARG(std::optional<ActivationOptions>, act) = ActivationOptions(ActivationKind::Prelu);
  TORCH_ARG(std::optional<NormOptions>, norm) = NormOptions(NormKind::Instance);
  /// Dropout probability; unset (or 0) adds no dropout layer.
  TORCH_ARG(std::optional<double>, dropout) = std::nullopt;
  TORCH_ARG(int64_t, dropout_dim) = 1;
  TORCH_ARG(SpatialArray, dilation) = 1;
  TORCH_ARG(int64_t, groups) = 1;
  TORCH_ARG(bool, bias) = true;
  /// The convolution alone, without the `adn` block.
  TORCH_ARG(bool, conv_only) = false;
  /// A transposed convolution (upsampling by `strides`).
  TORCH_ARG(bool, is_transposed) = false;
  /// Unset: MONAI's same padding.
  TORCH_ARG(std::optional<SpatialArray>, padding) = std::nullopt;
  /// Transposed only; unset: strides - 1, so that the output is input · strides.
  TORCH_ARG(std::optional<SpatialArray>, output_padding) = std::nullopt;
};

namespace detail {

/// The bare convolution layer (Conv{1,2,3}d or ConvTranspose{1,2,3}d) of a Convolution block:
/// MONAI's same padding unless given, and output_padding = strides - 1 when transposed.
inline torch::nn::AnyModule make_conv_layer(const ConvolutionOptions& o) {
  const int64_t dims = o.spatial_dims();
  OSTEON_CHECK_ARG(dims >= 1 && dims <= 3, "Convolution: spatial_dims must be 1, 2 or 3, got ", dims);
  OSTEON_CHECK_ARG(o.in_channels() >= 1, "Convolution: in_channels must be >= 1, got ",
                   o.in_channels());
  OSTEON_CHECK_ARG(o.out_channels() >= 1, "Convolution: out_channels must be >= 1, got ",
                   o.out_channels());
  const auto kernel = o.kernel_size().expand(dims, "Convolution: kernel_size");
  const auto strides = o.strides().expand(dims, "Convolution: strides");
  const auto dilation = o.dilation().expand(dims, "Convolution: dilation");
  const auto padding = o.padding() ? o.padding()->expand(dims, "Convolution: padding")
                                   : same_padding(kernel, dilation);
  auto output_padding = strides;
  for (auto& value : output_padding) value -= 1;
  if (o.output_padding()) output_padding = o.output_padding()->expand(dims, "Convolution: output_padding");
  return with_spatial(dims, "Convolution", [&](auto spatial) {
    using S = decltype(spatial);
    constexpr size_t D = S::dims;
    auto array = [](const std::vector<int64_t>& values) {
      return torch::ExpandingArray<D>(torch::IntArrayRef(values));
    };
    if (o.is_transposed()) {
      return torch::nn::AnyModule(typename S::ConvTranspose(
          typename S::ConvTransposeOptions(o.in_channels(), o.out_channels(), array(kernel))
              .stride(array(strides))
              .padding(array(padding))
              .output_padding(array(output_padding))
              .groups(o.groups())
              .bias(o.bias())
              .dilation(array(dilation))));
    }
    return torch::nn::AnyModule(typename S::Conv(
        typename S::ConvOptions(o.in_channels(), o.out_channels(), array(kernel))
            .stride(array(strides))
            .padding(array(padding))
            .dilation(array(dilation))
            .groups(o.groups())
            .bias(o.bias())));
  });
}

}  // namespace detail

/// A convolution followed by normalisation, dropout and activation in a chosen order (MONAI's
/// `monai.networks.blocks.Convolution`), with the submodules `conv` and `adn.{N,D,A}`.
///
/// Example:
///   osteon::nn::Convolution block(osteon::nn::ConvolutionOptions(3, 1, 8));
///   auto y = block(torch::randn({2, 1, 8, 8, 8}));  // (2, 8, 8, 8, 8)
class ConvolutionImpl : public torch::nn::Cloneable<ConvolutionImpl> {
 public:
  explicit ConvolutionImpl(ConvolutionOptions options_) : options(std::move(options_)) { reset(); }

  void reset() override {
    const auto& o = options;
    conv = detail::make_conv_layer(o);
    register_module("conv", conv.ptr());

    adn = nullptr;
    const bool has_dropout = o.dropout().has_value() && *o.dropout() > 0.0;
    if (o.conv_only() || (!o.act() && !o.norm() && !has_dropout)) return;
    adn = TensorSequential();
    for (char item : o.adn_ordering()) {
      switch (std::toupper(static_cast<unsigned char>(item))) {
        case 'N':
          if (o.norm()) adn->push_back("N", make_norm(*o.norm(), o.spatial_dims(), o.out_channels()));
          break;
        case 'D':
          if (has_dropout) adn->push_back("D", make_dropout(*o.dropout(), o.dropout_dim()));
          break;
        case 'A':
          if (o.act()) adn->push_back("A", make_activation(*o.act()));
          break;
        default:
          OSTEON_CHECK_ARG(false, "Convolution: adn_ordering must contain only N, D and A, got '",
                           o.adn_ordering(), "'");
      }
    }
    register_module("adn", adn);
  }

  torch::Tensor forward(const torch::Tensor& input) {
    auto output = folds(input) ? forward_folded(input) : forward_conv_layer(conv, input);
    return adn ? adn->forward(output) : output;
  }

  ConvolutionOptions options;
  torch::nn::AnyModule conv;
  TensorSequential adn{nullptr};
  /// Compute `conv` with its first kernel axis folded into the output channels where that pays
  /// (conv_folding_first_axis, folded_conv.hpp): same parameters, same result to float rounding.
  /// Off by default; V-Net's output stage turns it on.
  bool fold_first_kernel_axis = false;

 private:
  bool folds(const torch::Tensor& input) const {
    if (!fold_first_kernel_axis || options.is_transposed() || options.groups() != 1) return false;
    const int64_t dims = options.spatial_dims();
    const std::vector<int64_t> ones(dims, 1);
    if (options.strides().expand(dims, "Convolution: strides") != ones ||
        options.dilation().expand(dims, "Convolution: dilation") != ones)
      return false;
    const int64_t first_extent = options.kernel_size().expand(dims, "Convolution: kernel_size")[0];
    return first_extent % 2 == 1 && padding()[0] == first_extent / 2 &&
           folding_pays(input, options.out_channels(), first_extent);
  }

  torch::Tensor forward_folded(const torch::Tensor& input) {
    const auto params = conv.ptr()->named_parameters(/*recurse=*/false);
    const auto* bias = params.find("bias");
    return conv_folding_first_axis(input, params["weight"], bias ? *bias : torch::Tensor(), padding());
  }

  std::vector<int64_t> padding() const {
    const int64_t dims = options.spatial_dims();
    if (options.padding()) return options.padding()->expand(dims, "Convolution: padding");
    return detail::same_padding(options.kernel_size().expand(dims, "Convolution: kernel_size"),
                                options.dilation().expand(dims, "Convolution: dilation"));
  }
};
TORCH_MODULE(Convolution);

// ---- ResidualUnit ------------------------------------------------------------------------------

/// Options of `ResidualUnit`, MONAI's `ResidualUnit(spatial_dims, in_channels, out_channels, ...)`.
///
/// Example:
///   auto options = osteon::nn::ResidualUnitOptions(2, 16, 32).strides(2).subunits(2);
struct ResidualUnitOptions {
  ResidualUnitOptions(int64_t spatial_dims, int64_t in_channels, int64_t out_channels)
      : spatial_dims_(spatial_dims), in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, spatial_dims);
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  /// Stride of the first subunit (and of the residual convolution).
  TORCH_ARG(SpatialArray, strides) = 1;
  TORCH_ARG(SpatialArray, kernel_size) = 3;
  /// Convolutions in the unit (at least 1).
  TORCH_ARG(int64_t, subunits) = 2;
  TORCH_ARG(std::string, adn_ordering) = "NDA";
  TORCH_ARG(std::optional<ActivationOptions>, act) = ActivationOptions(ActivationKind::Prelu);
  TORCH_ARG(std::optional<NormOptions>, norm) = NormOptions(NormKind::Instance);
  TORCH_ARG(std::optional<double>, dropout) = std::nullopt;
  TORCH_ARG(int64_t, dropout_dim) = 1;
  TORCH_ARG(SpatialArray, dilation) = 1;
  TORCH_ARG(bool, bias) = true;
  /// The last subunit is a bare convolution (no norm / dropout / activation).
  TORCH_ARG(bool, last_conv_only) = false;
  TORCH_ARG(std::optional<SpatialArray>, padding) = std::nullopt;
};

/// Residual unit of MONAI's UNet (Kerfoot et al. 2018, "Left-ventricle quantification using
/// residual U-Net"): `subunits` Convolutions plus a residual path, which is the identity when
/// shape and channels are kept, else a convolution (1×1 when only channels change, the unit's
/// kernel and stride when it downsamples).
///
/// Example:
///   osteon::nn::ResidualUnit unit(osteon::nn::ResidualUnitOptions(2, 1, 8).strides(2));
///   auto y = unit(torch::randn({1, 1, 32, 32}));  // (1, 8, 16, 16)
class ResidualUnitImpl : public torch::nn::Cloneable<ResidualUnitImpl> {
 public:
  explicit ResidualUnitImpl(ResidualUnitOptions options_) : options(std::move(options_)) { reset(); }

  void reset() override {
    const auto& o = options;
    const int64_t dims = o.spatial_dims();
    const auto kernel = o.kernel_size().expand(dims, "ResidualUnit: kernel_size");
    const auto dilation = o.dilation().expand(dims, "ResidualUnit: dilation");
    const SpatialArray padding =
        o.padding() ? *o.padding() : SpatialArray(detail::same_padding(kernel, dilation));
    const int64_t subunits = std::max<int64_t>(1, o.subunits());

    conv = TensorSequential();
    int64_t channels = o.in_channels();
    SpatialArray strides = o.strides();
    for (int64_t unit = 0; unit < subunits; ++unit) {
      conv->push_back("unit" + std::to_string(unit),
                      Convolution(ConvolutionOptions(dims, channels, o.out_channels())
                                      .strides(strides)
                                      .kernel_size(o.kernel_size())
                                      .adn_ordering(o.adn_ordering())
                                      .act(o.act())
                                      .norm(o.norm())
                                      .dropout(o.dropout())
                                      .dropout_dim(o.dropout_dim())
                                      .dilation(o.dilation())
                                      .bias(o.bias())
                                      .conv_only(o.last_conv_only() && unit == subunits - 1)
                                      .padding(padding)));
      channels = o.out_channels();
      strides = 1;
    }
    register_module("conv", conv);

    const bool downsamples = o.strides().product() != 1;
    if (downsamples || o.in_channels() != o.out_channels()) {
      // Only a channel change: a 1×1 convolution; a stride: the unit's own kernel and padding.
      const SpatialArray residual_kernel = downsamples ? o.kernel_size() : SpatialArray(1);
      const SpatialArray residual_padding = downsamples ? padding : SpatialArray(0);
      residual = detail::make_conv_layer(ConvolutionOptions(dims, o.in_channels(), o.out_channels())
                                             .kernel_size(residual_kernel)
                                             .strides(o.strides())
                                             .padding(residual_padding)
                                             .bias(o.bias()));
    } else {
      residual = torch::nn::AnyModule(torch::nn::Identity());
    }
    register_module("residual", residual.ptr());
  }

  torch::Tensor forward(const torch::Tensor& input) {
    auto shortcut = residual.forward(input);
    return conv->forward(input) + shortcut;
  }

  ResidualUnitOptions options;
  TensorSequential conv{nullptr};
  torch::nn::AnyModule residual;
};
TORCH_MODULE(ResidualUnit);

// ---- SkipConnection ----------------------------------------------------------------------------

/// MONAI's `SkipConnection` in "cat" mode: `cat([x, submodule(x)], dim=1)`.
///
/// Example:
///   osteon::nn::SkipConnection skip{torch::nn::AnyModule(torch::nn::Identity())};
///   auto y = skip(torch::randn({1, 4, 8, 8}));  // (1, 8, 8, 8)
class SkipConnectionImpl : public torch::nn::Cloneable<SkipConnectionImpl> {
 public:
  explicit SkipConnectionImpl(torch::nn::AnyModule submodule_) : submodule(std::move(submodule_)) {
    reset();
  }

  void reset() override { register_module("submodule", submodule.ptr()); }

  /// A deep copy: the submodule is held from outside, so the default copy-then-reset would share it.
  std::shared_ptr<torch::nn::Module> clone(
      const torch::optional<torch::Device>& device = torch::nullopt) const override {
    auto copy = std::make_shared<SkipConnectionImpl>(submodule.clone(device));
    copy->train(is_training());
    return copy;
  }

  torch::Tensor forward(const torch::Tensor& input) {
    return torch::cat({input, submodule.forward(input)}, 1);
  }

  torch::nn::AnyModule submodule;
};
TORCH_MODULE(SkipConnection);

}  // namespace osteon::nn
