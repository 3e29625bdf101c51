#pragma once
/// @file
/// Validation metrics by name, computed from a model's outputs (logits) and the targets of a whole
/// validation set: "auc" (binary, osteon::metrics::roc_auc on softmax[:, 1] or sigmoid), "accuracy",
/// "dice" (mean Dice of the argmax / thresholded prediction over samples and foreground classes,
/// osteon::metrics::dice). "loss" is the criterion itself and is computed by the Trainer.

#include <torch/types.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/roc/tensor.hpp"
#include "osteon/metrics/segmentation/overlap.hpp"

namespace osteon::train {

/// A validation metric: (outputs, targets) of the whole validation set → a 0-dim tensor on their
/// device. Higher is better for every metric but "loss".
using MetricFn = std::function<torch::Tensor(const torch::Tensor& outputs, const torch::Tensor& targets)>;

namespace detail {

/// Class-1 probability of binary classifier outputs: (N, 2) softmax, or (N,) / (N, 1) sigmoid.
inline torch::Tensor positive_probability(const torch::Tensor& outputs, const char* metric) {
  if (outputs.dim() == 2 && outputs.size(1) == 2) return torch::softmax(outputs, 1).select(1, 1);
  if (outputs.dim() == 1 || (outputs.dim() == 2 && outputs.size(1) == 1)) return torch::sigmoid(outputs.reshape({-1}));
  TORCH_CHECK(false, "Trainer: validation metric '", metric, "' needs (N, 2) or (N, 1) binary outputs, got ",
              outputs.sizes());
  return {};
}

inline torch::Tensor auc_metric(const torch::Tensor& outputs, const torch::Tensor& targets) {
  return osteon::metrics::roc_auc(targets.reshape({-1}).to(torch::kLong), positive_probability(outputs, "auc"));
}

inline torch::Tensor accuracy_metric(const torch::Tensor& outputs, const torch::Tensor& targets) {
  const auto predicted = outputs.dim() >= 2 && outputs.size(1) > 1 ? outputs.argmax(1)
                                                                   : (outputs.reshape({-1}) > 0).to(torch::kLong);
  return (predicted.reshape({-1}) == targets.reshape({-1}).to(torch::kLong)).to(torch::kDouble).mean();
}

/// Mean Dice over samples and foreground classes, NaN (empty) entries left out. Outputs (B, C, …):
/// C > 1 → argmax one-hot, background dropped; C == 1 → sigmoid > 0.5. Targets: a label map
/// (B, 1, …) / (B, …) of integers or a (B, C, …) mask.
inline torch::Tensor dice_metric(const torch::Tensor& outputs, const torch::Tensor& targets) {
  TORCH_CHECK(outputs.dim() >= 3, "Trainer: validation metric 'dice' needs (B, C, spatial...) outputs, got ",
              outputs.sizes());
  const auto classes = outputs.size(1);
  torch::Tensor prediction, target;
  if (classes > 1) {
    prediction = torch::one_hot(outputs.argmax(1), classes).movedim(-1, 1);
    target = targets.dim() == outputs.dim() && targets.size(1) == classes
                 ? targets.to(torch::kBool)
                 : torch::one_hot((targets.dim() == outputs.dim() ? targets.squeeze(1) : targets).to(torch::kLong),
                                  classes).movedim(-1, 1);
    prediction = prediction.narrow(1, 1, classes - 1);
    target = target.narrow(1, 1, classes - 1);
  } else {
    prediction = outputs > 0;  // sigmoid(x) > 0.5
    target = (targets.dim() == outputs.dim() ? targets : targets.unsqueeze(1)) > 0.5;
  }
  const auto values = osteon::metrics::dice(prediction.to(torch::kBool), target.to(torch::kBool));
  return values.nanmean();
}

}  // namespace detail

/// The built-in validation metric names ("accuracy", "auc", "dice"; plus "loss" in the Trainer).
inline std::vector<std::string> metric_names() { return {"accuracy", "auc", "dice"}; }

/// The metric called `name`; throws std::invalid_argument listing the valid names otherwise.
///
/// Example:
///   auto auc = osteon::train::metric_by_name("auc")(logits, labels);  // 0-dim, on logits' device
inline MetricFn metric_by_name(const std::string& name) {
  if (name == "auc") return detail::auc_metric;
  if (name == "accuracy") return detail::accuracy_metric;
  if (name == "dice") return detail::dice_metric;
  OSTEON_CHECK_ARG(false, "Trainer: unknown validation metric '", name,
                   "'; valid names: loss, accuracy, auc, dice (or one added with Trainer::add_metric)");
  return {};
}

}  // namespace osteon::train
