#pragma once
/// @file
/// The sigmoid focal terms (binary / multi-label focal loss, Lin et al. 2017, eq. 5), elementwise
/// over (B, C, ...), with their gradient written out: one autograd node instead of the nine the
/// composite form records, whose per-op dispatch and bookkeeping dominate small batches on the
/// CPU and whose extra passes over the tensor cost on large ones.
///
/// With BCE b = x − x t − log σ(x) (= softplus(x) − x t; MONAI's form, one log-sigmoid where
/// torch's binary_cross_entropy_with_logits takes an exp, an exp and a log), s = 2t − 1, the modulation m = exp(γ log σ(−x s)) (MONAI's
/// log-space (1 − p_t)^γ, exact for 0/1 targets) and the balance a = α t + (1 − α)(1 − t), the
/// term ℓ = a m b has, t held fixed,
///   ∂ℓ/∂x = a m [(σ(x) − t) − γ s σ(x s) b],
/// since ∂b/∂x = σ(x) − t and ∂ log σ(−x s)/∂x = −s σ(x s); σ(x) is exp(log σ(x)), kept from
/// the forward pass.

#include <c10/util/Optional.h>
#include <torch/torch.h>

namespace osteon::losses::detail {

/// The terms a m b by differentiable tensor ops: what the analytic gradient is tested against,
/// and what a second derivative differentiates. `alpha` is undefined or broadcastable to
/// `logits` (one α per channel, as channel_view gives it).
inline torch::Tensor sigmoid_focal_terms_composite(const torch::Tensor& logits,
                                                   const torch::Tensor& target, double gamma,
                                                   const torch::Tensor& alpha) {
  auto loss = logits - logits * target - torch::log_sigmoid(logits);
  if (gamma != 0.0) loss = loss * torch::exp(gamma * torch::log_sigmoid(-logits * (2 * target - 1)));
  if (alpha.defined()) loss = loss * (target * alpha + (1 - target) * (1 - alpha));
  return loss;
}

/// sigmoid_focal_terms_composite as one autograd node with the analytic backward of the file
/// comment; no gradient flows to the target. Under create_graph the backward differentiates
/// the composite form instead, so second derivatives exist.
struct SigmoidFocalTerms : torch::autograd::Function<SigmoidFocalTerms> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& logits,
                               const torch::Tensor& target, double gamma,
                               const c10::optional<torch::Tensor>& alpha) {
    const auto log_sigmoid = torch::log_sigmoid(logits);
    auto loss = (logits - logits * target).sub_(log_sigmoid);
    torch::Tensor sign, signed_logits, bce, modulation, balance;
    if (gamma != 0.0) {
      sign = target.mul(2).sub_(1);
      signed_logits = logits * sign;
      modulation = torch::log_sigmoid(signed_logits.neg()).mul_(gamma).exp_();
      bce = loss;
      loss = bce * modulation;
    }
    if (alpha) {
      // α t + (1 - α)(1 - t) = (1 - α) + (2α - 1) t
      balance = torch::addcmul(1 - *alpha, target, 2 * *alpha - 1);
      loss.mul_(balance);
    }
    ctx->saved_data["gamma"] = gamma;
    ctx->save_for_backward({logits, target, log_sigmoid, sign, signed_logits, bce, modulation,
                            balance, alpha.value_or(torch::Tensor())});
    return loss;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto& logits = saved[0];
    const auto& target = saved[1];
    const double gamma = ctx->saved_data["gamma"].toDouble();
    if (torch::GradMode::is_enabled()) {  // create_graph: keep the graph of the gradient
      const auto terms = sigmoid_focal_terms_composite(logits, target, gamma, saved[8]);
      return {torch::autograd::grad({terms}, {logits}, {grad_outputs[0]}, true, true)[0], {}, {},
              {}};
    }
    const auto& log_sigmoid = saved[2];
    const auto& sign = saved[3];
    const auto& signed_logits = saved[4];
    const auto& bce = saved[5];
    const auto& modulation = saved[6];
    const auto& balance = saved[7];
    auto grad = torch::exp(log_sigmoid).sub_(target);
    if (modulation.defined()) {
      grad.addcmul_(torch::sigmoid(signed_logits).mul_(sign), bce, -gamma).mul_(modulation);
    }
    if (balance.defined()) grad.mul_(balance);
    grad.mul_(grad_outputs[0]);
    return {grad, {}, {}, {}};
  }
};

/// The sigmoid focal terms a m b over (B, C, ...); `alpha` as in sigmoid_focal_terms_composite.
/// A target or α that requires a gradient takes the composite path, which gives it one.
inline torch::Tensor sigmoid_focal_terms(const torch::Tensor& logits, const torch::Tensor& target,
                                         double gamma, const torch::Tensor& alpha) {
  if (target.requires_grad() || (alpha.defined() && alpha.requires_grad())) {
    return sigmoid_focal_terms_composite(logits, target, gamma, alpha);
  }
  return SigmoidFocalTerms::apply(
      logits, target, gamma, alpha.defined() ? c10::optional<torch::Tensor>(alpha) : c10::nullopt);
}

}  // namespace osteon::losses::detail
