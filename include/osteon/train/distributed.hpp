#pragma once
/// @file
/// Data-parallel training on torch.distributed's own engine (c10d, as shipped in libtorch): a
/// Communicator on ProcessGroupGloo (CPU) or ProcessGroupNCCL (CUDA, when libtorch was built with
/// it), rendezvous through a FileStore (a file in a folder every rank sees) or a TCPStore (rank 0
/// listens). The Gloo headers come from Debian's libgloo-dev (libtorch's ProcessGroupGloo.hpp
/// includes them); without them this header says so at compile time.
///
/// Example:
///   auto communicator = osteon::train::make_communicator(
///       osteon::train::DistributedOptions().rank(rank).world_size(2).store_path("/tmp/run/store"));
///   trainer.set_communicator(communicator);

#include <torch/types.h>

#if !__has_include(<gloo/config.h>)
#error "osteon/train/distributed.hpp needs the Gloo headers (Debian: apt-get install libgloo-dev)"
#endif
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1  // libtorch's c10d headers hide ProcessGroupGloo unless this is set
#endif
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#if defined(USE_C10D_NCCL) && __has_include(<torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>)
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#define OSTEON_HAS_NCCL 1
#endif

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"
#include "osteon/train/communicator.hpp"

namespace osteon::train {

/// Where and how the ranks of a run meet.
struct DistributedOptions {
  OSTEON_ARG(std::int64_t, rank) = 0;
  OSTEON_ARG(std::int64_t, world_size) = 1;
  /// "gloo" (CPU tensors) or "nccl" (CUDA; needs a libtorch built with NCCL and -DUSE_C10D_NCCL).
  OSTEON_ARG(std::string, backend) = "gloo";
  /// FileStore: a path every rank can reach (its folder must exist); empty → TCPStore.
  OSTEON_ARG(std::string, store_path) = "";
  /// TCPStore: the address rank 0 listens on and the others dial.
  OSTEON_ARG(std::string, master_addr) = "127.0.0.1";
  OSTEON_ARG(std::int64_t, master_port) = 29500;
  /// Network interface address Gloo binds to.
  OSTEON_ARG(std::string, hostname) = "127.0.0.1";
  OSTEON_ARG(std::int64_t, timeout_seconds) = 300;
};

/// A Communicator over a c10d process group.
class ProcessGroupCommunicator : public Communicator {
 public:
  ProcessGroupCommunicator(c10::intrusive_ptr<c10d::ProcessGroup> group, std::int64_t rank, std::int64_t world_size)
      : group_(std::move(group)), rank_(rank), world_size_(world_size) {}

  std::int64_t rank() const override { return rank_; }
  std::int64_t world_size() const override { return world_size_; }

  void all_reduce_sum(std::vector<torch::Tensor>& tensors) override { all_reduce(tensors, c10d::ReduceOp::SUM); }
  void all_reduce_min(std::vector<torch::Tensor>& tensors) override { all_reduce(tensors, c10d::ReduceOp::MIN); }

  void broadcast(std::vector<torch::Tensor>& tensors, std::int64_t root) override {
    c10d::BroadcastOptions options;
    options.rootRank = root;
    for (auto& t : tensors) {
      std::vector<torch::Tensor> one{t};
      group_->broadcast(one, options)->wait();
    }
  }

  const c10::intrusive_ptr<c10d::ProcessGroup>& group() const { return group_; }

 private:
  void all_reduce(std::vector<torch::Tensor>& tensors, c10d::ReduceOp op) {
    c10d::AllreduceOptions options;
    options.reduceOp = op;
    for (auto& t : tensors) {
      std::vector<torch::Tensor> one{t};
      group_->allreduce(one, options)->wait();
    }
  }

  c10::intrusive_ptr<c10d::ProcessGroup> group_;
  std::int64_t rank_, world_size_;
};

/// Joins the run described by `options` (blocks until every rank has joined).
///
/// Example:
///   auto communicator = osteon::train::make_communicator(
///       osteon::train::DistributedOptions().rank(1).world_size(2).store_path(dir + "/store"));
inline std::shared_ptr<ProcessGroupCommunicator> make_communicator(const DistributedOptions& options) {
  OSTEON_CHECK_ARG(options.world_size() >= 1, "make_communicator: world_size must be >= 1, got ", options.world_size());
  OSTEON_CHECK_ARG(options.rank() >= 0 && options.rank() < options.world_size(), "make_communicator: rank must be in [0, ",
                   options.world_size(), "), got ", options.rank());
  OSTEON_CHECK_ARG(options.backend() == "gloo" || options.backend() == "nccl",
                   "make_communicator: backend must be 'gloo' or 'nccl', got '", options.backend(), "'");
  const auto timeout = std::chrono::milliseconds(options.timeout_seconds() * 1000);
  c10::intrusive_ptr<c10d::Store> store;
  if (!options.store_path().empty()) {
    store = c10::make_intrusive<c10d::FileStore>(options.store_path(), static_cast<int>(options.world_size()));
  } else {
    OSTEON_CHECK_ARG(options.master_port() > 0 && options.master_port() < 65536,
                     "make_communicator: master_port must be in (0, 65536), got ", options.master_port());
    c10d::TCPStoreOptions tcp;
    tcp.port = static_cast<std::uint16_t>(options.master_port());
    tcp.isServer = options.rank() == 0;
    tcp.numWorkers = static_cast<std::size_t>(options.world_size());
    tcp.timeout = timeout;
    store = c10::make_intrusive<c10d::TCPStore>(options.master_addr(), tcp);
  }
  store->setTimeout(timeout);
  const auto rank = static_cast<int>(options.rank());
  const auto world = static_cast<int>(options.world_size());
  if (options.backend() == "nccl") {
#ifdef OSTEON_HAS_NCCL
    auto nccl = c10d::ProcessGroupNCCL::Options::create();
    auto group = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, world, nccl);
    return std::make_shared<ProcessGroupCommunicator>(group, options.rank(), options.world_size());
#else
    OSTEON_CHECK_ARG(false, "make_communicator: backend 'nccl' needs a libtorch built with NCCL and -DUSE_C10D_NCCL; "
                            "this build has Gloo only");
#endif
  }
  auto gloo = c10d::ProcessGroupGloo::Options::create();
  gloo->timeout = timeout;
  gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(options.hostname()));
  auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, world, gloo);
  return std::make_shared<ProcessGroupCommunicator>(group, options.rank(), options.world_size());
}

}  // namespace osteon::train
