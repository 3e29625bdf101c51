#pragma once
/// @file
/// Batched inference with optional test-time flips: `predict` returns probabilities on the model's
/// device; `evaluate` scores them with the Trainer's metrics. Dense outputs (segmentation, same
/// number of dimensions as the input) are flipped back before averaging; for volumes larger than
/// memory allows, run the model through a sliding-window predictor (pass it as the TrainModel's forward).

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"
#include "osteon/train/data.hpp"
#include "osteon/train/metric_registry.hpp"
#include "osteon/train/model.hpp"

namespace osteon::train {

/// How outputs become probabilities.
enum class Activation { softmax, sigmoid, none };

/// Options of predict / evaluate.
struct PredictOptions {
  OSTEON_ARG(std::int64_t, batch_size) = 32;
  /// Test-time augmentation: besides the input itself, the input flipped along each of these
  /// dimensions (e.g. {-1} for left-right, {-1, -2, -3} for a volume); probabilities are averaged.
  OSTEON_ARG(std::vector<std::int64_t>, flip_dims) = {};
  /// softmax over dim 1 (C ≥ 2), sigmoid (one logit per class), or none (the outputs are averaged as they are).
  OSTEON_ARG(Activation, activation) = Activation::softmax;
};

/// Probabilities of `inputs` (N, ...) in batches, eval mode, no autograd; on the model's device.
///
/// Example:
///   auto p = osteon::train::predict(model, test_images, osteon::train::PredictOptions().flip_dims({-1}));
///   auto p_case = p.select(1, 1);
inline torch::Tensor predict(TrainModel& model, const torch::Tensor& inputs, const PredictOptions& options = {}) {
  OSTEON_CHECK_ARG(options.batch_size() >= 1, "predict: batch_size must be >= 1, got ", options.batch_size());
  OSTEON_CHECK_ARG(inputs.defined() && inputs.dim() >= 1 && inputs.size(0) >= 1,
                   "predict: inputs must be a tensor with at least one sample");
  for (const auto dim : options.flip_dims())
    OSTEON_CHECK_ARG(dim != 0 && dim != -inputs.dim() && dim >= -inputs.dim() && dim < inputs.dim(),
                     "predict: flip_dims must name non-batch dimensions of the ", inputs.dim(), "-d input, got ", dim);
  const auto parameters = model.parameters();
  const auto device = parameters.empty() ? inputs.device() : parameters.front().device();
  torch::NoGradGuard no_grad;
  model.set_training(false);
  const auto activate = [&](const torch::Tensor& out) {
    switch (options.activation()) {
      case Activation::softmax: return torch::softmax(out.to(torch::kFloat), 1);
      case Activation::sigmoid: return torch::sigmoid(out.to(torch::kFloat));
      case Activation::none: return out.to(torch::kFloat);
    }
    return out;
  };
  std::vector<torch::Tensor> parts;
  for (std::int64_t begin = 0; begin < inputs.size(0); begin += options.batch_size()) {
    const auto x = inputs.narrow(0, begin, std::min(options.batch_size(), inputs.size(0) - begin)).to(device);
    auto sum = activate(model.forward(x));
    for (const auto dim : options.flip_dims()) {
      auto out = activate(model.forward(x.flip({dim})));
      const auto normalised = dim < 0 ? dim + x.dim() : dim;
      if (out.dim() == x.dim()) out = out.flip({normalised});  // dense output: back to the input's orientation
      sum = sum + out;
    }
    parts.push_back(sum / static_cast<double>(1 + options.flip_dims().size()));
  }
  return torch::cat(parts, 0);
}

/// The metrics `names` (see metric_names) of probabilities `p` from predict against `targets`
/// (turned back into logits — log p for softmax, logit p for sigmoid — so that the metrics read
/// them as they read the model's outputs).
///
/// Example:
///   auto scores = osteon::train::score_probabilities(p, labels, {"auc"}, osteon::train::Activation::softmax);
inline std::map<std::string, double> score_probabilities(const torch::Tensor& p, const torch::Tensor& targets,
                                                         const std::vector<std::string>& names, Activation activation) {
  torch::Tensor outputs = p;
  if (activation == Activation::softmax) outputs = p.clamp_min(1e-12).log();
  if (activation == Activation::sigmoid) outputs = torch::logit(p, 1e-7);
  const auto on_device = targets.to(p.device());
  std::map<std::string, double> values;
  for (const auto& name : names) values[name] = metric_by_name(name)(outputs, on_device).item<double>();
  return values;
}

/// The metrics `names` of the model on `data` (predict, then score_probabilities).
///
/// Example:
///   auto scores = osteon::train::evaluate(model, {test_x, test_y}, {"auc", "accuracy"});
///   double auc = scores["auc"];
inline std::map<std::string, double> evaluate(TrainModel& model, const TensorData& data,
                                              const std::vector<std::string>& names,
                                              const PredictOptions& options = {}) {
  data.check("evaluate", "data");
  return score_probabilities(predict(model, data.inputs, options), data.targets, names, options.activation());
}

}  // namespace osteon::train
