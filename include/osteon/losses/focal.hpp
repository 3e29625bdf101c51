#pragma once
/// @file
/// Focal loss from logits (Lin, Goyal, Girshick, He & Dollár 2017, "Focal Loss for Dense Object
/// Detection", ICCV, eq. 5): FL(p_t) = -α_t (1 - p_t)^γ log(p_t), with a sigmoid per channel
/// (binary / multi-label) or a softmax over the channels (multi-class). Everything is computed
/// from log-sigmoid / log-softmax, so logits of ±1e4 give finite values and gradients.

#include <cmath>
#include <limits>
#include <ostream>
#include <utility>

#include <torch/torch.h>

#include "osteon/core/check.hpp"
#include "osteon/core/warnings.hpp"
#include "osteon/losses/activation.hpp"
#include "osteon/losses/module_support.hpp"
#include "osteon/losses/reduction.hpp"
#include "osteon/losses/sigmoid_focal.hpp"
#include "osteon/losses/softmax_focal.hpp"
#include "osteon/losses/targets.hpp"

namespace osteon::losses {

/// Options of FocalLoss and functional::focal_loss (MONAI's FocalLoss keywords, plus
/// `ignore_index` and a per-class `alpha`).
///
/// Example:
///   auto options = osteon::losses::FocalLossOptions().use_softmax(true).gamma(2).alpha(torch::tensor(0.25));
struct FocalLossOptions {
  /// false: channel 0 (background) is left out of the loss (ignored when C == 1, as MONAI).
  TORCH_ARG(bool, include_background) = true;
  /// Require a label map (B, 1, ...) and one-hot it (label maps are recognised anyway).
  TORCH_ARG(bool, to_onehot_y) = false;
  /// Focusing exponent γ >= 0; γ = 0 is the (α-weighted) cross-entropy.
  TORCH_ARG(double, gamma) = 2.0;
  /// α-balancing. 0-d: the positive-class weight α in [0, 1] — sigmoid: α for target 1 and
  /// 1 - α for target 0; softmax: 1 - α for class 0 and α for the others (as MONAI). 1-d: one
  /// α_c per channel of the loss — sigmoid: α_c / 1 - α_c per channel; softmax: α_c.
  /// Undefined: no balancing.
  TORCH_ARG(torch::Tensor, alpha) = {};
  /// Non-negative weight per channel of the loss (C, or C - 1 without background), or a scalar;
  /// unused with a single channel (as MONAI).
  TORCH_ARG(torch::Tensor, weight) = {};
  TORCH_ARG(Reduction, reduction) = torch::kMean;
  /// false: sigmoid per channel; true: softmax over the channels.
  TORCH_ARG(bool, use_softmax) = false;
  /// Class index (label maps) or, with the sigmoid, 0/1 target entry left out of the loss and
  /// of the mean's denominator.
  TORCH_ARG(int64_t, ignore_index) = -100;
};

namespace detail {

/// Host-side checks of the options (std::invalid_argument → ValueError).
inline void check_focal_options(const char* fn, double gamma, const torch::Tensor& alpha,
                                const torch::Tensor& weight) {
  OSTEON_CHECK_ARG(gamma >= 0.0 && std::isfinite(gamma), fn, ": gamma must be a finite value >= 0, got ",
                   gamma);
  OSTEON_CHECK_ARG(!alpha.defined() || alpha.dim() <= 1, fn,
                   ": alpha must be a scalar or a 1-d tensor, got ", alpha.dim(), " dimensions");
  OSTEON_CHECK_ARG(!weight.defined() || weight.dim() <= 1, fn,
                   ": weight must be a scalar or a 1-d tensor, got ", weight.dim(), " dimensions");
  check_range_on_host(alpha, 0.0, 1.0, fn, "alpha");
  check_range_on_host(weight, 0.0, std::numeric_limits<double>::infinity(), fn, "weight");
}

/// α per channel of the loss (n_loss_channels of n_channels; the first is dropped without
/// background), or undefined.
inline torch::Tensor focal_alpha(const torch::Tensor& alpha, bool use_softmax, int64_t n_channels,
                                 int64_t n_loss_channels, const torch::Tensor& like,
                                 const char* fn) {
  if (!alpha.defined()) return {};
  if (alpha.dim() == 1) return per_channel(alpha, n_loss_channels, like, fn, "alpha");
  const auto value = alpha.to(like.options()).reshape({1});
  if (!use_softmax) return value.expand({n_loss_channels});
  // Softmax: class 0 is the background and gets 1 - α (MONAI's convention).
  const auto per_class = torch::cat({1 - value, value.expand({n_channels - 1})});
  return per_class.slice(0, n_channels - n_loss_channels);
}

/// Softmax focal terms per class over (B, C, ...): -t · (1 - p)^γ · log p.
inline torch::Tensor softmax_focal_terms(const torch::Tensor& log_probs, const torch::Tensor& target,
                                         double gamma, const torch::Tensor& alpha) {
  auto loss = -target * log_probs;
  if (gamma != 0.0) loss = loss * softmax_modulation(log_probs, gamma);
  if (alpha.defined()) loss = loss * channel_view(alpha, log_probs.dim());
  return loss;
}

}  // namespace detail

namespace functional {

/// Focal loss of `input` logits (B, C, spatial...) against `target` (dense of input's shape, or
/// class indices (B, 1, ...) / (B, ...)). Sigmoid: one term per element, `none` keeps input's
/// shape. Softmax: the per-class terms are summed over the channels (the paper's per-example
/// loss; γ = 0 gives torch's cross_entropy), `none` gives (B, spatial...). The mean divides by
/// the number of terms that count; when none counts it is 0.
///
/// Example:
///   namespace F = osteon::losses::functional;
///   auto loss = F::focal_loss(logits, labels, osteon::losses::FocalLossOptions().use_softmax(true));
inline torch::Tensor focal_loss(const torch::Tensor& input, const torch::Tensor& target,
                                const FocalLossOptions& options = {}) {
  constexpr const char* fn = "focal_loss";
  detail::check_focal_options(fn, options.gamma(), options.alpha(), options.weight());
  const auto logits = detail::in_compute_precision(input);
  const int64_t n_channels = logits.size(1);
  const bool softmax = options.use_softmax();
  if (softmax && n_channels == 1) osteon::warn(fn, ": use_softmax=true with a single channel gives 0");
  const bool drop_background = !options.include_background() && n_channels > 1;
  const int64_t n_loss_channels = drop_background ? n_channels - 1 : n_channels;
  const auto alpha = detail::focal_alpha(options.alpha(), softmax, n_channels, n_loss_channels,
                                         logits, fn);
  // As in MONAI, class weights apply only when there are classes to balance.
  const auto weight = options.weight().defined() && n_loss_channels > 1
      ? detail::per_channel(options.weight(), n_loss_channels, logits, fn, "weight")
      : torch::Tensor();

  const auto layout = detail::target_layout(logits, target, fn, options.to_onehot_y(),
                                            softmax ? std::nullopt : std::optional<int64_t>(options.ignore_index()));
  if (softmax && layout.is_label_map) {
    torch::Tensor class_factor;
    if (drop_background || alpha.defined() || weight.defined()) {
      class_factor = torch::ones({n_loss_channels}, logits.options());
      if (alpha.defined()) class_factor = class_factor * alpha;
      if (weight.defined()) class_factor = class_factor * weight;
      if (drop_background) class_factor = torch::cat({torch::zeros({1}, logits.options()), class_factor});
    }
    const auto [loss, counted] = detail::softmax_focal_of_labels(
        logits, layout.target, options.gamma(), class_factor, options.ignore_index(), fn);
    return detail::reduce(loss, options.reduction(), counted);
  }

  const auto dense = detail::dense_target(logits, target, fn, options.to_onehot_y(), options.ignore_index(),
                                          softmax ? detail::IgnoreIn::LabelMaps
                                                  : detail::IgnoreIn::LabelMapsAndDense);
  const auto loss_part = [&](const torch::Tensor& t) {
    return drop_background && t.size(1) == n_channels ? detail::without_background(t) : t;
  };
  const auto target_part = loss_part(dense.values);
  auto counted = dense.counted.defined() ? loss_part(dense.counted) : torch::Tensor();
  auto loss = softmax ? detail::softmax_focal_terms(loss_part(torch::log_softmax(logits, 1)),
                                                    target_part, options.gamma(), alpha)
                      : detail::sigmoid_focal_terms(
                            loss_part(logits), target_part, options.gamma(),
                            alpha.defined() ? detail::channel_view(alpha, logits.dim()) : alpha);
  if (weight.defined()) loss = loss * detail::channel_view(weight, loss.dim());
  if (softmax) {
    loss = loss.sum(1);
    if (counted.defined()) counted = counted.squeeze(1);
  }
  if (counted.defined()) loss = loss * counted.to(loss.scalar_type());
  return detail::reduce(loss, options.reduction(), counted);
}

}  // namespace functional

/// Focal loss as a module; see functional::focal_loss. `weight` and `alpha` are buffers.
///
/// Example:
///   osteon::losses::FocalLoss criterion(osteon::losses::FocalLossOptions().gamma(2).alpha(torch::tensor(0.25)));
///   auto loss = criterion(logits, target);   // logits (N, 1), target (N, 1) of 0/1
struct FocalLossImpl : torch::nn::Cloneable<FocalLossImpl> {
  explicit FocalLossImpl(FocalLossOptions options_ = {}) : options(std::move(options_)) { reset(); }

  void reset() override {
    detail::check_focal_options("FocalLoss", options.gamma(), options.alpha(), options.weight());
    options.weight(detail::register_owned_buffer(*this, "class_weight", options.weight()));
    options.alpha(detail::register_owned_buffer(*this, "alpha", options.alpha()));
  }

  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& target) {
    return functional::focal_loss(input, target, options);
  }

  void pretty_print(std::ostream& stream) const override {
    stream << "osteon::losses::FocalLoss(gamma=" << options.gamma()
           << ", use_softmax=" << options.use_softmax()
           << ", include_background=" << options.include_background() << ")";
  }

  FocalLossOptions options;
};

/// A ModuleHolder around FocalLossImpl (torch's module convention).
TORCH_MODULE(FocalLoss);

}  // namespace osteon::losses
