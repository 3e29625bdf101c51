#pragma once
/// @file
/// In-memory training data for the Trainer: inputs and targets as tensors with one row per sample,
/// optional group ids (patient, hip) that the distributed sampler keeps on one rank, and the
/// batch type the Trainer and its augmentation hook pass around.

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::train {

/// A batch: model inputs and loss targets, first dimension = samples.
struct Batch {
  torch::Tensor inputs;
  torch::Tensor targets;
};

/// Samples in memory: `inputs` (N, ...) and `targets` (N, ...), on any device (each batch moves to
/// the model's device); `groups` empty or one id per sample.
///
/// Example:
///   osteon::train::TensorData data{images, labels};
///   auto part = data.subset({0, 2, 5});
struct TensorData {
  torch::Tensor inputs;
  torch::Tensor targets;
  std::vector<std::int64_t> groups = {};

  std::int64_t size() const { return inputs.defined() ? inputs.size(0) : 0; }

  /// Throws std::invalid_argument naming `function` if the shapes or groups do not line up.
  void check(const char* function, const char* argument) const {
    OSTEON_CHECK_ARG(inputs.defined() && targets.defined() && inputs.dim() >= 1 && targets.dim() >= 1, function,
                     ": ", argument, " must hold defined inputs and targets");
    OSTEON_CHECK_ARG(inputs.size(0) == targets.size(0) && inputs.size(0) >= 1, function, ": ", argument,
                     " inputs and targets must have the same number of samples (>= 1), got ", inputs.size(0), " and ",
                     targets.size(0));
    OSTEON_CHECK_ARG(groups.empty() || static_cast<std::int64_t>(groups.size()) == inputs.size(0), function, ": ",
                     argument, " groups must be empty or hold one id per sample (", inputs.size(0), "), got ",
                     groups.size());
  }

  /// The samples at `rows`, in that order.
  TensorData subset(const std::vector<std::int64_t>& rows) const {
    const auto index = torch::tensor(rows, torch::kLong).to(inputs.device());
    TensorData out{inputs.index_select(0, index), targets.index_select(0, index.to(targets.device()))};
    if (!groups.empty())
      for (const auto row : rows) out.groups.push_back(groups[static_cast<std::size_t>(row)]);
    return out;
  }

  /// The batch of `rows`.
  Batch batch(const std::vector<std::int64_t>& rows) const {
    const auto index = torch::tensor(rows, torch::kLong);
    return {inputs.index_select(0, index.to(inputs.device())), targets.index_select(0, index.to(targets.device()))};
  }
};

}  // namespace osteon::train
