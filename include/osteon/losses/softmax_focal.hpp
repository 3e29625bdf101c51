#pragma once
/// @file
/// The softmax focal loss against a label map — the classifier's and the segmentation's case —
/// with its gradient written out. Only the target class's term −w_y (1 − p_y)^γ log p_y is
/// non-zero, so log p is gathered at the label instead of one-hot encoding the target; and the
/// loss is one autograd node whose backward is a handful of in-place tensor ops, instead of the
/// eight nodes the composite form records (the per-op dispatch and autograd bookkeeping that
/// dominate a 64 × 2 classifier batch on the CPU).
///
/// With L = log p_y and q = 1 − p_y, the loss ℓ = −w q^γ L (Lin et al. 2017, eq. 5) has
///   dℓ/dL = −w q^γ (1 − γ p_y L / q),   dL/dz_j = δ_jy − p_j,
/// so ∂ℓ/∂z_j = −(dℓ/dL) p_j for j ≠ y and (dℓ/dL) q = −(dℓ/dL) (p_y − 1) at the label.

#include <limits>
#include <utility>

#include <torch/torch.h>

#include "osteon/losses/targets.hpp"

namespace osteon::losses::detail {

/// (1 - p)^γ from log p, with 1 - p = -expm1(log p): exact as p → 1, where 1 - exp(log p)
/// cancels. Clamping 1 - p at the smallest normal float keeps pow's gradient finite for γ < 1
/// where p rounds to 1 (the clamped value is 0 to float precision).
inline torch::Tensor softmax_modulation(const torch::Tensor& log_probs, double gamma) {
  return (-torch::expm1(log_probs)).clamp_min(std::numeric_limits<float>::min()).pow(gamma);
}

/// The per-position terms −w_y (1 − p_y)^γ log p_y, (B, spatial...), by differentiable tensor
/// ops: what the analytic gradient is tested against, and what a second derivative
/// differentiates. `labels` is (B, 1, spatial...); `class_factor` (C, or undefined) is w_c.
inline torch::Tensor softmax_focal_label_terms(const torch::Tensor& logits,
                                               const torch::Tensor& labels, double gamma,
                                               const torch::Tensor& class_factor) {
  const auto log_p = torch::log_softmax(logits, 1).gather(1, labels).squeeze(1);
  auto loss = gamma != 0.0 ? -log_p * softmax_modulation(log_p, gamma) : -log_p;
  if (class_factor.defined()) loss = loss * class_factor.take(labels.squeeze(1));
  return loss;
}

/// softmax_focal_label_terms as one autograd node with the analytic backward of the file
/// comment. Under create_graph the backward differentiates the composite form instead, so
/// second derivatives exist (and are those of softmax_focal_label_terms).
struct SoftmaxFocalLabelTerms : torch::autograd::Function<SoftmaxFocalLabelTerms> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& logits,
                               const torch::Tensor& labels, double gamma,
                               const c10::optional<torch::Tensor>& class_factor) {
    const auto log_probs = torch::log_softmax(logits, 1);
    // Per position (B, spatial...): L = log p_y, p_y - 1 = expm1(L), q = 1 - p_y clamped.
    const auto log_p = log_probs.gather(1, labels).squeeze(1);
    const auto p_minus_1 = torch::expm1(log_p);
    torch::Tensor loss, clamped, modulation;
    if (gamma != 0.0) {
      clamped = p_minus_1.neg().clamp_min_(std::numeric_limits<float>::min());
      modulation = clamped.pow(gamma);
      loss = log_p * modulation;
    } else {
      loss = log_p.clone();
    }
    const auto class_weight = class_factor ? class_factor->take(labels.squeeze(1)) : torch::Tensor();
    if (class_weight.defined()) loss.mul_(class_weight);
    loss.neg_();
    ctx->saved_data["gamma"] = gamma;
    ctx->save_for_backward({logits, labels, log_probs, log_p, p_minus_1, clamped, modulation,
                            class_weight, class_factor.value_or(torch::Tensor())});
    return loss;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto& logits = saved[0];
    const auto& labels = saved[1];
    const double gamma = ctx->saved_data["gamma"].toDouble();
    if (torch::GradMode::is_enabled()) {  // create_graph: keep the graph of the gradient
      const auto terms = softmax_focal_label_terms(logits, labels, gamma, saved[8]);
      return {torch::autograd::grad({terms}, {logits}, {grad_outputs[0]}, true, true)[0], {}, {},
              {}};
    }
    const auto& log_probs = saved[2];
    const auto& log_p = saved[3];
    const auto& p_minus_1 = saved[4];
    const auto& clamped = saved[5];
    const auto& modulation = saved[6];
    const auto& class_weight = saved[7];
    // h = -dℓ/dL = w q^γ (1 - γ p L / q), times the incoming gradient. With q clamped, where p
    // rounds to 1 (L = 0 too) the bracket is 1.
    auto h = modulation.defined()
        ? torch::addcmul(modulation, modulation, torch::exp(log_p).mul_(log_p).div_(clamped),
                         -gamma)
              .mul_(grad_outputs[0])
        : grad_outputs[0];
    if (class_weight.defined()) h = h * class_weight;
    // h p_j off the label and h (p_y - 1) at it (expm1: exact where p_y → 1).
    const auto h_per_position = h.unsqueeze(1);
    const auto grad = torch::exp(log_probs)
                          .mul_(h_per_position)
                          .scatter_(1, labels, (p_minus_1 * h).unsqueeze(1));
    return {grad, {}, {}, {}};
  }
};

/// The softmax focal loss against a label map (B, 1, ...), per position (B, ...) with the mask of
/// counted positions. `class_factor` (C, or undefined) multiplies the term of each class:
/// α_c · w_c, and 0 for a left-out background.
inline std::pair<torch::Tensor, torch::Tensor> softmax_focal_of_labels(
    const torch::Tensor& logits, const torch::Tensor& label_map, double gamma,
    const torch::Tensor& class_factor, int64_t ignore_index, const char* fn) {
  auto labels = label_map.to(torch::kLong);
  torch::Tensor counted;
  if (needs_ignore_mask(labels, logits.size(1), ignore_index, fn)) {
    counted = labels != ignore_index;
    labels = labels.masked_fill(counted.logical_not(), 0);
  }
  // A class factor that itself requires a gradient takes the composite path, which gives it one.
  const auto loss = class_factor.defined() && class_factor.requires_grad()
      ? softmax_focal_label_terms(logits, labels, gamma, class_factor)
      : SoftmaxFocalLabelTerms::apply(
            logits, labels, gamma,
            class_factor.defined() ? c10::optional<torch::Tensor>(class_factor) : c10::nullopt);
  if (!counted.defined()) return {loss, counted};
  const auto counted_positions = counted.squeeze(1);
  return {loss * counted_positions.to(loss.scalar_type()), counted_positions};
}

}  // namespace osteon::losses::detail
