#pragma once
/// @file
/// The order of the training samples in an epoch and its batches: a seeded shuffle (osteon's PCG32,
/// the same on every platform), split across the ranks of a distributed run so that the samples of
/// one group (patient, hip) stay on one rank, then cut into batches. Torch-free.

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/rng.hpp"

namespace osteon::train {

/// The samples of one rank for one epoch. With `shuffle`, the groups are put in a random order
/// (each group's samples stay together, in their original order); then each group goes whole to
/// the rank that holds the fewest samples so far (ties: lowest rank). Without groups every sample
/// is its own group, and rank r gets positions r, r + W, r + 2W, … of the shuffled order
/// (torch.utils.data.DistributedSampler's interleave), so that the ranks' b-th batches together
/// are the b-th batch of W·batch_size of a single process.
///
/// Example:
///   osteon::Pcg32 rng(7);
///   auto mine = osteon::train::epoch_samples(10, {}, /*shuffle=*/true, rng, /*rank=*/0, /*world_size=*/2);
inline std::vector<std::int64_t> epoch_samples(std::int64_t n_samples, const std::vector<std::int64_t>& groups,
                                               bool shuffle, Pcg32& rng, std::int64_t rank = 0,
                                               std::int64_t world_size = 1) {
  OSTEON_CHECK_ARG(n_samples >= 1, "epoch_samples: n_samples must be >= 1, got ", n_samples);
  OSTEON_CHECK_ARG(groups.empty() || static_cast<std::int64_t>(groups.size()) == n_samples,
                   "epoch_samples: groups must be empty or hold one id per sample (", n_samples, "), got ",
                   groups.size());
  OSTEON_CHECK_ARG(world_size >= 1 && rank >= 0 && rank < world_size, "epoch_samples: rank must be in [0, ",
                   world_size, "), got ", rank);
  std::vector<std::vector<std::int64_t>> members;
  if (groups.empty()) {
    for (std::int64_t i = 0; i < n_samples; ++i) members.push_back({i});
  } else {
    std::map<std::int64_t, std::size_t> slot;
    for (std::int64_t i = 0; i < n_samples; ++i) {
      auto [it, added] = slot.emplace(groups[static_cast<std::size_t>(i)], members.size());
      if (added) members.emplace_back();
      members[it->second].push_back(i);
    }
  }
  if (shuffle) osteon::shuffle(members.begin(), members.end(), rng);
  std::vector<std::int64_t> held(static_cast<std::size_t>(world_size), 0);
  std::vector<std::int64_t> mine;
  for (const auto& group : members) {
    const auto target = static_cast<std::int64_t>(std::min_element(held.begin(), held.end()) - held.begin());
    held[static_cast<std::size_t>(target)] += static_cast<std::int64_t>(group.size());
    if (target == rank) mine.insert(mine.end(), group.begin(), group.end());
  }
  return mine;
}

/// Cuts `samples` into batches of `batch_size` (the last one smaller), or with `even` into
/// max(1, n / batch_size) batches whose sizes differ by at most one.
///
/// Example:
///   auto batches = osteon::train::make_batches({0, 1, 2, 3, 4}, 2, /*even=*/false);  // {0,1} {2,3} {4}
inline std::vector<std::vector<std::int64_t>> make_batches(const std::vector<std::int64_t>& samples,
                                                           std::int64_t batch_size, bool even) {
  OSTEON_CHECK_ARG(batch_size >= 1, "make_batches: batch_size must be >= 1, got ", batch_size);
  std::vector<std::vector<std::int64_t>> batches;
  const auto n = samples.size();
  if (n == 0) return batches;
  const auto size = static_cast<std::size_t>(batch_size);
  const std::size_t count = even ? std::max<std::size_t>(1, n / size) : (n + size - 1) / size;
  for (std::size_t b = 0; b < count; ++b) {
    const auto begin = even ? b * n / count : b * size;
    const auto end = even ? (b + 1) * n / count : std::min(n, (b + 1) * size);
    batches.emplace_back(samples.begin() + static_cast<std::ptrdiff_t>(begin),
                         samples.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return batches;
}

}  // namespace osteon::train
