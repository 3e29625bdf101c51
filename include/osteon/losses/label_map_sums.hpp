#pragma once
/// @file
/// The per-(sample, class) sums an overlap loss needs from a label map, without a one-hot
/// target: Σ_{voxels of class c} p_c (= Σ p g), Σ p (or Σ p²) and the voxel count per class
/// (= Σ g = Σ g²). One histogram pass (bincount, accumulated in float64) replaces writing and
/// reading a (B, C, N) one-hot tensor, and the gradient is written out: ∂(Σ p g)/∂p_c = [y = c],
/// ∂(Σ p)/∂p = 1 (2p when squared) — one fill and one scatter-add, where the composite gather
/// records a zero-filled (B, C, N) scatter-add of its own. For host-memory tensors (on a GPU the
/// bincount's atomics would make the sums non-deterministic).

#include <torch/torch.h>

namespace osteon::losses::detail {

/// Histogram bin b·C + y of every voxel of `labels` (B, 1, N), for a per-(sample, class) count.
inline torch::Tensor sample_class_bins(const torch::Tensor& labels, int64_t n_classes) {
  const int64_t batch_size = labels.size(0);
  return (labels + torch::arange(batch_size, labels.options()).mul_(n_classes).view({batch_size, 1, 1}))
      .reshape(-1);
}

/// Σ g per (sample, class), (B, C) in `dtype`: the voxels of each class, from the bins of
/// sample_class_bins.
inline torch::Tensor class_voxel_counts(const torch::Tensor& bins, int64_t batch_size,
                                        int64_t n_classes, torch::ScalarType dtype) {
  return torch::bincount(bins, {}, batch_size * n_classes).view({batch_size, n_classes}).to(dtype);
}

/// Σ p g and Σ p^k (k = 2 when `squared`), (B, C) each, by differentiable tensor ops: what
/// the written-out gradient is tested against, and what a second derivative differentiates.
inline torch::autograd::variable_list label_map_sums_composite(const torch::Tensor& probabilities,
                                                               const torch::Tensor& labels,
                                                               bool squared) {
  const int64_t batch_size = probabilities.size(0);
  const auto bins = torch::zeros({batch_size, probabilities.size(1)}, probabilities.options());
  const auto voxel_classes = labels.reshape({batch_size, -1});
  return {bins.scatter_add(1, voxel_classes, probabilities.gather(1, labels).reshape({batch_size, -1})),
          (squared ? probabilities.square() : probabilities).sum(2)};
}

/// label_map_sums_composite of `probabilities` (B, C, N) and class indices `labels` (B, 1, N),
/// in [0, C), with their sample_class_bins `bins`, as one autograd node. Under create_graph
/// the backward differentiates the composite form instead, so second derivatives exist.
struct LabelMapSums : torch::autograd::Function<LabelMapSums> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx,
                                                const torch::Tensor& probabilities,
                                                const torch::Tensor& labels,
                                                const torch::Tensor& bins, bool squared) {
    const int64_t batch_size = probabilities.size(0);
    const int64_t n_classes = probabilities.size(1);
    // float64 accumulation: a class's voxels are summed one after another.
    const auto at_label = probabilities.gather(1, labels).reshape(-1).to(torch::kDouble);
    auto intersection = torch::bincount(bins, at_label, batch_size * n_classes)
                            .view({batch_size, n_classes})
                            .to(probabilities.scalar_type());
    auto prediction = (squared ? probabilities.square() : probabilities).sum(2);
    ctx->saved_data["squared"] = squared;
    ctx->save_for_backward({probabilities, labels, bins});
    return {intersection, prediction};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto& probabilities = saved[0];
    const auto& labels = saved[1];
    const bool squared = ctx->saved_data["squared"].toBool();
    if (torch::GradMode::is_enabled()) {  // create_graph: keep the graph of the gradient
      const auto sums = label_map_sums_composite(probabilities, labels, squared);
      return {torch::autograd::grad(sums, {probabilities}, grad_outputs, true, true, true)[0], {},
              {}, {}};
    }
    const auto& grad_intersection = grad_outputs[0];
    const auto& grad_prediction = grad_outputs[1];
    const auto per_class = grad_prediction.unsqueeze(2);
    auto grad = squared ? (2 * probabilities).mul_(per_class)
                        : per_class.expand(probabilities.sizes()).contiguous();
    // Each voxel's class gets the gradient of its class's intersection.
    const auto& bins = saved[2];
    const auto at_label = grad_intersection.take(bins).view(labels.sizes());
    return {grad.scatter_add_(1, labels, at_label), {}, {}, {}};
  }
};

}  // namespace osteon::losses::detail
