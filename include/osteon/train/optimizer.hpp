#pragma once
/// @file
/// The torch::optim optimiser of a TrainerOptions (Adam, AdamW, SGD), its learning rate, and its
/// state as bytes (torch::serialize), so that a checkpoint restores it exactly.

#include <torch/optim.h>
#include <torch/serialize.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "osteon/train/options.hpp"

namespace osteon::train {

/// A torch::optim optimiser over `parameters`, as `options` says (validate_options first).
///
/// Example:
///   auto optimizer = osteon::train::make_optimizer(net->parameters(),
///       osteon::train::TrainerOptions().lr(2e-3).betas({0.5, 0.999}));
inline std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::vector<torch::Tensor>& parameters,
                                                               const TrainerOptions& options) {
  validate_options(options);
  switch (options.optimizer()) {
    case Optimizer::adam:
      return std::make_unique<torch::optim::Adam>(parameters, torch::optim::AdamOptions(options.lr())
                                                                  .betas(options.betas())
                                                                  .eps(options.eps())
                                                                  .weight_decay(options.weight_decay()));
    case Optimizer::adamw:
      return std::make_unique<torch::optim::AdamW>(parameters, torch::optim::AdamWOptions(options.lr())
                                                                   .betas(options.betas())
                                                                   .eps(options.eps())
                                                                   .weight_decay(options.weight_decay()));
    case Optimizer::sgd:
      return std::make_unique<torch::optim::SGD>(parameters, torch::optim::SGDOptions(options.lr())
                                                                 .momentum(options.momentum())
                                                                 .nesterov(options.nesterov())
                                                                 .weight_decay(options.weight_decay()));
  }
  return nullptr;
}

/// Sets the learning rate of every parameter group.
///
/// Example:
///   osteon::train::set_lr(*optimizer, 1e-4);
inline void set_lr(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

/// The optimiser's state (moments, step counts, parameter groups) as torch::serialize bytes.
inline std::string optimizer_bytes(torch::optim::Optimizer& optimizer) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

/// Restores optimizer_bytes() into an optimiser of the same kind over the same parameters.
inline void load_optimizer_bytes(torch::optim::Optimizer& optimizer, const std::string& bytes) {
  torch::serialize::InputArchive archive;
  std::istringstream in(bytes);
  archive.load_from(in);
  optimizer.load(archive);
}

}  // namespace osteon::train
