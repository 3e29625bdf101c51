#pragma once
/// @file
/// Resampling replicates run on several threads with results that do not depend on the thread
/// count: replicate r draws from its own PCG32 stream, Pcg32(seed, r + 1), so replicate r is the
/// same whether it runs on one thread or sixteen, and on every platform.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/rng.hpp"

namespace osteon::stats {

/// Threads to use: `requested` when positive, else the hardware's count (at least 1), never more
/// than there are replicates.
inline int replicate_threads(int requested, std::int64_t n_replicates) {
  int threads = requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(threads, n_replicates)));
}

/// Calls `body(replicate, rng, worker)` for replicate = 0 .. n_replicates − 1, spread over
/// `n_threads` threads (0 = all cores); `worker` (0 .. threads − 1) indexes per-thread scratch
/// space. The first exception thrown by a body is rethrown here.
///
/// Example:
///   std::vector<double> means(2000);
///   osteon::stats::parallel_replicates(2000, 42, 0, [&](std::int64_t r, osteon::Pcg32& rng, int) {
///     means[r] = rng.uniform01();
///   });
template <typename Body>
void parallel_replicates(std::int64_t n_replicates, std::uint64_t seed, int n_threads, Body&& body) {
  OSTEON_CHECK_ARG(n_replicates >= 1, "bootstrap: n_boot must be >= 1, got ", n_replicates);
  const int threads = replicate_threads(n_threads, n_replicates);
  std::atomic<std::int64_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&](int worker) {
    try {
      for (std::int64_t r = next++; r < n_replicates; r = next++) {
        Pcg32 rng(seed, static_cast<std::uint64_t>(r) + 1u);
        body(r, rng, worker);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = n_replicates;
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
    for (auto& thread : pool) thread.join();
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace osteon::stats
