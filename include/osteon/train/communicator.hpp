#pragma once
/// @file
/// The collective operations a data-parallel Trainer needs, as an interface, so that trainer.hpp
/// does not include torch.distributed's headers: `distributed.hpp` implements it on c10d's
/// ProcessGroupGloo / ProcessGroupNCCL. A Trainer without a communicator runs on one process.

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace osteon::train {

/// Collectives over the ranks of one training run (all ranks call each one in the same order).
class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual std::int64_t rank() const = 0;
  virtual std::int64_t world_size() const = 0;
  /// In place: every tensor becomes the sum over ranks.
  virtual void all_reduce_sum(std::vector<torch::Tensor>& tensors) = 0;
  /// In place: every tensor becomes the minimum over ranks.
  virtual void all_reduce_min(std::vector<torch::Tensor>& tensors) = 0;
  /// In place: every tensor becomes rank `root`'s.
  virtual void broadcast(std::vector<torch::Tensor>& tensors, std::int64_t root = 0) = 0;
};

}  // namespace osteon::train
