#pragma once
/// @file
/// Activation, normalisation and dropout layers chosen at run time, as MONAI's `Act`, `Norm` and
/// `Dropout` factories (monai/networks/layers/factories.py) choose them, so that a network
/// written once over `spatial_dims` builds the same layers (and state-dict keys) as MONAI's.
///
/// Example:
///   using namespace osteon::nn;
///   auto act = make_activation(ActivationOptions(ActivationKind::Prelu));      // nn.PReLU()
///   auto norm = make_norm(NormOptions(NormKind::Batch), /*spatial_dims=*/3, 16); // nn.BatchNorm3d(16)
///   auto drop = make_dropout(0.5, /*dropout_dim=*/3);                           // nn.Dropout3d(0.5)

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/nn.h>

#include "osteon/core/check.hpp"
#include "osteon/nn/blocks/spatial.hpp"

namespace osteon::nn {

namespace detail {

/// Calls `fn(Spatial<D>{})` for the run-time number of spatial dimensions, so that one generic
/// lambda builds the 1-, 2- or 3-D layer type.
template <typename Fn>
decltype(auto) with_spatial(int64_t spatial_dims, const char* caller, Fn&& fn) {
  switch (spatial_dims) {
    case 1: return fn(Spatial<1>{});
    case 2: return fn(Spatial<2>{});
    case 3: return fn(Spatial<3>{});
    default: break;
  }
  throw std::invalid_argument(
      ::osteon::detail::concat(caller, ": spatial_dims must be 1, 2 or 3, got ", spatial_dims));
}

inline std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace detail

// ---- activations -------------------------------------------------------------------------------

/// The activations of MONAI's `Act` factory that LibTorch provides as modules.
enum class ActivationKind {
  Elu, Relu, LeakyRelu, Prelu, Relu6, Selu, Celu, Gelu, Sigmoid, Tanh,
  // Deprecated in 0.2 (enumerators are PascalCase); removed in 0.3.
  elu [[deprecated("use ActivationKind::Elu")]] = Elu,
  relu [[deprecated("use ActivationKind::Relu")]] = Relu,
  leaky_relu [[deprecated("use ActivationKind::LeakyRelu")]] = LeakyRelu,
  prelu [[deprecated("use ActivationKind::Prelu")]] = Prelu,
  relu6 [[deprecated("use ActivationKind::Relu6")]] = Relu6,
  selu [[deprecated("use ActivationKind::Selu")]] = Selu,
  celu [[deprecated("use ActivationKind::Celu")]] = Celu,
  gelu [[deprecated("use ActivationKind::Gelu")]] = Gelu,
  sigmoid [[deprecated("use ActivationKind::Sigmoid")]] = Sigmoid,
  tanh [[deprecated("use ActivationKind::Tanh")]] = Tanh,
};

/// MONAI's factory name of an activation ("elu", "leakyrelu", "prelu", ...).
inline std::string activation_name(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::Elu: return "elu";
    case ActivationKind::Relu: return "relu";
    case ActivationKind::LeakyRelu: return "leakyrelu";
    case ActivationKind::Prelu: return "prelu";
    case ActivationKind::Relu6: return "relu6";
    case ActivationKind::Selu: return "selu";
    case ActivationKind::Celu: return "celu";
    case ActivationKind::Gelu: return "gelu";
    case ActivationKind::Sigmoid: return "sigmoid";
    case ActivationKind::Tanh: return "tanh";
  }
  return "?";
}

/// The activation that MONAI's factory name denotes, case-insensitively ("PRELU", "elu").
///
/// Example:
///   bool same = osteon::nn::activation_from_name("LeakyReLU") == osteon::nn::ActivationKind::LeakyRelu;
inline ActivationKind activation_from_name(const std::string& name) {
  const std::string key = detail::lower_case(name);
  for (auto kind : {ActivationKind::Elu, ActivationKind::Relu, ActivationKind::LeakyRelu,
                    ActivationKind::Prelu, ActivationKind::Relu6, ActivationKind::Selu,
                    ActivationKind::Celu, ActivationKind::Gelu, ActivationKind::Sigmoid,
                    ActivationKind::Tanh}) {
    if (activation_name(kind) == key) return kind;
  }
  throw std::invalid_argument(::osteon::detail::concat(
      "activation: name must be one of elu, relu, leakyrelu, prelu, relu6, selu, celu, gelu, "
      "sigmoid, tanh, got '", name, "'"));
}

/// An activation and its constructor arguments (MONAI's `act=(name, {args})`). Arguments that
/// the chosen kind does not take are ignored, as each torch module takes only its own.
///
/// Example:
///   auto act = osteon::nn::ActivationOptions(osteon::nn::ActivationKind::Elu).inplace(true);
struct ActivationOptions {
  /* implicit */ ActivationOptions(ActivationKind kind = ActivationKind::Prelu) : kind_(kind) {}
  TORCH_ARG(ActivationKind, kind);
  /// ELU / CELU α.
  TORCH_ARG(double, alpha) = 1.0;
  /// LeakyReLU slope for x < 0.
  TORCH_ARG(double, negative_slope) = 0.01;
  /// PReLU slopes. Unset: one shared slope (nn.PReLU()), except in V-Net, which gives one per
  /// channel, as MONAI's VNet does for `act="prelu"`.
  TORCH_ARG(std::optional<int64_t>, num_parameters) = std::nullopt;
  /// PReLU initial slope.
  TORCH_ARG(double, init) = 0.25;
  /// Overwrite the input (elu, relu, leakyrelu, relu6, selu, celu).
  TORCH_ARG(bool, inplace) = false;
};

/// The activation module; `channels_if_unset` gives PReLU's slope count when
/// `options.num_parameters()` is unset.
///
/// Example:
///   torch::nn::AnyModule elu = osteon::nn::make_activation(osteon::nn::ActivationKind::Elu);
///   auto y = elu.forward(torch::randn({2, 3}));
inline torch::nn::AnyModule make_activation(const ActivationOptions& options,
                                            int64_t channels_if_unset = 1) {
  namespace tnn = torch::nn;
  switch (options.kind()) {
    case ActivationKind::Elu:
      return tnn::AnyModule(tnn::ELU(tnn::ELUOptions().alpha(options.alpha()).inplace(options.inplace())));
    case ActivationKind::Relu: return tnn::AnyModule(tnn::ReLU(tnn::ReLUOptions(options.inplace())));
    case ActivationKind::LeakyRelu:
      return tnn::AnyModule(tnn::LeakyReLU(
          tnn::LeakyReLUOptions().negative_slope(options.negative_slope()).inplace(options.inplace())));
    case ActivationKind::Prelu: {
      const int64_t count = options.num_parameters().value_or(channels_if_unset);
      OSTEON_CHECK_ARG(count >= 1, "activation: prelu num_parameters must be >= 1, got ", count);
      return tnn::AnyModule(
          tnn::PReLU(tnn::PReLUOptions().num_parameters(count).init(options.init())));
    }
    case ActivationKind::Relu6: return tnn::AnyModule(tnn::ReLU6(tnn::ReLU6Options(options.inplace())));
    case ActivationKind::Selu: return tnn::AnyModule(tnn::SELU(tnn::SELUOptions(options.inplace())));
    case ActivationKind::Celu:
      return tnn::AnyModule(
          tnn::CELU(tnn::CELUOptions().alpha(options.alpha()).inplace(options.inplace())));
    case ActivationKind::Gelu: return tnn::AnyModule(tnn::GELU());
    case ActivationKind::Sigmoid: return tnn::AnyModule(tnn::Sigmoid());
    case ActivationKind::Tanh: return tnn::AnyModule(tnn::Tanh());
  }
  throw std::invalid_argument("activation: unknown ActivationKind");
}

// ---- normalisation -----------------------------------------------------------------------------

/// The feature normalisations of MONAI's `Norm` factory that the segmentation networks use.
enum class NormKind {
  Instance, Batch, Group,
  // Deprecated in 0.2 (enumerators are PascalCase); removed in 0.3.
  instance [[deprecated("use NormKind::Instance")]] = Instance,
  batch [[deprecated("use NormKind::Batch")]] = Batch,
  group [[deprecated("use NormKind::Group")]] = Group,
};

/// MONAI's factory name of a normalisation ("instance", "batch", "group").
inline std::string norm_name(NormKind kind) {
  switch (kind) {
    case NormKind::Instance: return "instance";
    case NormKind::Batch: return "batch";
    case NormKind::Group: return "group";
  }
  return "?";
}

/// The normalisation that MONAI's factory name denotes, case-insensitively ("INSTANCE").
inline NormKind norm_from_name(const std::string& name) {
  const std::string key = detail::lower_case(name);
  for (auto kind : {NormKind::Instance, NormKind::Batch, NormKind::Group}) {
    if (norm_name(kind) == key) return kind;
  }
  throw std::invalid_argument(::osteon::detail::concat(
      "norm: name must be one of instance, batch, group, got '", name, "'"));
}

/// A normalisation and its constructor arguments (MONAI's `norm=(name, {args})`). Unset
/// `affine` / `track_running_stats` take torch's default for the kind (InstanceNorm: false /
/// false; BatchNorm: true / true; GroupNorm: affine true), as MONAI passes them through.
///
/// Example:
///   auto gn = osteon::nn::NormOptions(osteon::nn::NormKind::Group).num_groups(8);
struct NormOptions {
  /* implicit */ NormOptions(NormKind kind = NormKind::Instance) : kind_(kind) {}
  TORCH_ARG(NormKind, kind);
  TORCH_ARG(double, eps) = 1e-5;
  /// Running-statistics momentum (batch; instance with running stats).
  TORCH_ARG(double, momentum) = 0.1;
  TORCH_ARG(std::optional<bool>, affine) = std::nullopt;
  TORCH_ARG(std::optional<bool>, track_running_stats) = std::nullopt;
  /// Groups of GroupNorm; must divide the channel count.
  TORCH_ARG(int64_t, num_groups) = 1;
};

/// The normalisation module over `channels` feature maps of `spatial_dims`-D data.
///
/// Example:
///   auto bn = osteon::nn::make_norm(osteon::nn::NormKind::Batch, 3, 16);  // BatchNorm3d(16)
inline torch::nn::AnyModule make_norm(const NormOptions& options, int64_t spatial_dims,
                                      int64_t channels) {
  namespace tnn = torch::nn;
  OSTEON_CHECK_ARG(channels >= 1, "norm: channels must be >= 1, got ", channels);
  switch (options.kind()) {
    case NormKind::Instance:
      return detail::with_spatial(spatial_dims, "norm", [&](auto spatial) {
        using S = decltype(spatial);
        return tnn::AnyModule(typename S::InstanceNorm(
            typename S::InstanceNormOptions(channels)
                .eps(options.eps())
                .momentum(options.momentum())
                .affine(options.affine().value_or(false))
                .track_running_stats(options.track_running_stats().value_or(false))));
      });
    case NormKind::Batch:
      return detail::with_spatial(spatial_dims, "norm", [&](auto spatial) {
        using S = decltype(spatial);
        return tnn::AnyModule(typename S::BatchNorm(
            typename S::BatchNormOptions(channels)
                .eps(options.eps())
                .momentum(options.momentum())
                .affine(options.affine().value_or(true))
                .track_running_stats(options.track_running_stats().value_or(true))));
      });
    case NormKind::Group:
      OSTEON_CHECK_ARG(options.num_groups() >= 1 && channels % options.num_groups() == 0,
                       "norm: group num_groups must divide the channel count ", channels, ", got ",
                       options.num_groups());
      return tnn::AnyModule(tnn::GroupNorm(tnn::GroupNormOptions(options.num_groups(), channels)
                                               .eps(options.eps())
                                               .affine(options.affine().value_or(true))));
  }
  throw std::invalid_argument("norm: unknown NormKind");
}

// ---- dropout -----------------------------------------------------------------------------------

/// MONAI's `Dropout[Dropout.DROPOUT, dropout_dim]`: element-wise nn.Dropout for dropout_dim 1,
/// whole-channel nn.Dropout2d / nn.Dropout3d for 2 / 3. As in torch, Dropout3d given a 4-D
/// (N, C, H, W) tensor treats it as one unbatched volume and drops whole samples: use
/// dropout_dim 2 for 2-D data.
///
/// Example:
///   auto drop = osteon::nn::make_dropout(0.2, 1);  // nn.Dropout(0.2)
inline torch::nn::AnyModule make_dropout(double p, int64_t dropout_dim) {
  namespace tnn = torch::nn;
  OSTEON_CHECK_ARG(p >= 0.0 && p <= 1.0, "dropout: probability must be in [0, 1], got ", p);
  switch (dropout_dim) {
    case 1: return tnn::AnyModule(tnn::Dropout(tnn::DropoutOptions(p)));
    case 2: return tnn::AnyModule(Spatial<2>::Dropout(Spatial<2>::DropoutOptions(p)));
    case 3: return tnn::AnyModule(Spatial<3>::Dropout(Spatial<3>::DropoutOptions(p)));
    default: break;
  }
  throw std::invalid_argument(
      ::osteon::detail::concat("dropout: dropout_dim must be 1, 2 or 3, got ", dropout_dim));
}

}  // namespace osteon::nn
