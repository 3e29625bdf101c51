#pragma once
/// @file
/// `DataLoader`: batches of a `Dataset` after a transform, with shuffling from a seed, worker
/// threads that prefetch, an optional in-memory cache of decoded samples and a group-aware
/// sampler. Batches come in the sampler's order whatever the number of workers, and every
/// random transform draws from a generator seeded by (seed, epoch, sample index), so an epoch is
/// the same with 0, 1 or 8 workers.

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "osteon/core/rng.hpp"
#include "osteon/data/dataset.hpp"
#include "osteon/data/sample.hpp"
#include "osteon/data/transforms/transform.hpp"

namespace osteon::data {

/// Options of DataLoader (PyTorch's DataLoader names where it has them).
struct DataLoaderOptions {
  TORCH_ARG(std::int64_t, batch_size) = 1;
  /// A new order each epoch, from `seed` and the epoch number.
  TORCH_ARG(bool, shuffle) = false;
  TORCH_ARG(std::uint64_t, seed) = 0;
  /// Worker threads; 0 loads in the calling thread.
  TORCH_ARG(std::int64_t, num_workers) = 0;
  /// Batches each worker may have ready ahead of the consumer (PyTorch's prefetch_factor).
  TORCH_ARG(std::int64_t, prefetch_factor) = 2;
  /// Drops the last batch when it is smaller than batch_size.
  TORCH_ARG(bool, drop_last) = false;
  /// Keeps every decoded sample (before the transform) in memory after its first read.
  TORCH_ARG(bool, cache) = false;
  /// Group-aware sampling: batch_size counts groups (Dataset::groups(), patients / hips), and all
  /// samples of a group go into the same batch, in dataset order; shuffling moves whole groups.
  TORCH_ARG(bool, group_batches) = false;
};

/// Batches of a dataset (see the file comment). Iterate with a range-for: each loop is one epoch
/// (the epoch counter advances, so a shuffled loader gives a new order each time).
///
/// Example:
///   auto loader = osteon::data::DataLoader(dataset, pipeline,
///       osteon::data::DataLoaderOptions().batch_size(8).shuffle(true).seed(1).num_workers(2));
///   for (int epoch = 0; epoch < 3; ++epoch) {
///     for (osteon::data::Batch& batch : loader) {
///       auto loss = torch::nn::functional::cross_entropy(model->forward(batch.image()),
///                                                        batch.label.reshape({-1}));
///     }
///   }
class DataLoader {
 public:
  DataLoader(std::shared_ptr<const Dataset> dataset, TransformPtr transform = nullptr, DataLoaderOptions options = {})
      : dataset_(std::move(dataset)), transform_(std::move(transform)), options_(std::move(options)) {
    TORCH_CHECK(dataset_ != nullptr, "DataLoader: dataset is null");
    TORCH_CHECK(options_.batch_size() >= 1, "DataLoader: batch_size must be >= 1, got ", options_.batch_size());
    TORCH_CHECK(options_.num_workers() >= 0, "DataLoader: num_workers must be >= 0, got ", options_.num_workers());
    TORCH_CHECK(options_.prefetch_factor() >= 1, "DataLoader: prefetch_factor must be >= 1, got ",
                options_.prefetch_factor());
    if (options_.group_batches()) {
      const auto groups = dataset_->groups();
      TORCH_CHECK(static_cast<std::int64_t>(groups.size()) == dataset_->size(), "DataLoader: the dataset has ",
                  dataset_->size(), " samples but ", groups.size(), " groups");
      std::unordered_map<std::string, std::size_t> unit_of;
      for (std::int64_t i = 0; i < dataset_->size(); ++i) {
        const auto found = unit_of.emplace(groups[i], units_.size());
        if (found.second) units_.emplace_back();
        units_[found.first->second].push_back(i);
      }
    } else {
      for (std::int64_t i = 0; i < dataset_->size(); ++i) units_.push_back({i});
    }
    if (options_.cache()) cache_ = std::make_shared<Cache>();
  }

  const DataLoaderOptions& options() const { return options_; }
  const Dataset& dataset() const { return *dataset_; }

  /// The dataset indices of each batch of `epoch` (the sampler; no data is read).
  std::vector<std::vector<std::int64_t>> batch_indices(std::int64_t epoch) const {
    std::vector<std::size_t> order(units_.size());
    for (std::size_t u = 0; u < order.size(); ++u) order[u] = u;
    if (options_.shuffle()) {
      Pcg32 rng(options_.seed(), static_cast<std::uint64_t>(epoch));
      osteon::shuffle(order.begin(), order.end(), rng);
    }
    std::vector<std::vector<std::int64_t>> batches;
    const auto per_batch = static_cast<std::size_t>(options_.batch_size());
    for (std::size_t start = 0; start < order.size(); start += per_batch) {
      const std::size_t stop = std::min(order.size(), start + per_batch);
      if (options_.drop_last() && stop - start < per_batch) break;
      std::vector<std::int64_t> batch;
      for (std::size_t u = start; u < stop; ++u) {
        for (const auto index : units_[order[u]]) batch.push_back(index);
      }
      batches.push_back(std::move(batch));
    }
    return batches;
  }

  /// Number of batches per epoch.
  std::int64_t size() const { return static_cast<std::int64_t>(batch_indices(0).size()); }

  /// One sample of `epoch` as the loader makes it (read or cached, then transformed); a patch
  /// sampler's several samples all go into the batch.
  std::vector<Sample> load(std::int64_t index, std::int64_t epoch) const {
    Sample sample = read(index);
    if (!transform_) return {std::move(sample)};
    Pcg32 rng(options_.seed() ^ (0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(epoch + 1)),
              static_cast<std::uint64_t>(index));
    return transform_->expand(std::move(sample), rng);
  }

  /// The batch of the given dataset indices in `epoch`.
  Batch load_batch(const std::vector<std::int64_t>& indices, std::int64_t epoch) const {
    std::vector<Sample> samples;
    std::vector<std::int64_t> origin;
    for (const auto index : indices) {
      for (auto& sample : load(index, epoch)) {
        samples.push_back(std::move(sample));
        origin.push_back(index);
      }
    }
    return collate(samples, origin);
  }

  /// One pass over the data; batches in order, loaded ahead by the workers.
  class Epoch {
   public:
    Epoch(const DataLoader& loader, std::int64_t epoch)
        : loader_(loader), epoch_(epoch), batches_(loader.batch_indices(epoch)) {
      const auto workers = loader_.options_.num_workers();
      window_ = static_cast<std::size_t>(std::max<std::int64_t>(1, workers * loader_.options_.prefetch_factor()));
      for (std::int64_t w = 0; w < workers; ++w) threads_.emplace_back([this] { work(); });
    }
    Epoch(const Epoch&) = delete;
    Epoch& operator=(const Epoch&) = delete;
    ~Epoch() {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
      }
      changed_.notify_all();
      for (auto& thread : threads_) thread.join();
    }

    std::int64_t size() const { return static_cast<std::int64_t>(batches_.size()); }

    /// The next batch, or nothing at the end of the epoch. Rethrows a worker's exception.
    std::optional<Batch> next() {
      if (consumed_ >= batches_.size()) return std::nullopt;
      const std::size_t wanted = consumed_;
      if (threads_.empty()) {
        ++consumed_;
        return loader_.load_batch(batches_[wanted], epoch_);
      }
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return ready_.count(wanted) > 0; });
      auto node = ready_.extract(wanted);
      ++consumed_;
      lock.unlock();
      changed_.notify_all();
      if (node.mapped().error) std::rethrow_exception(node.mapped().error);
      return std::move(node.mapped().batch);
    }

   private:
    struct Result {
      Batch batch;
      std::exception_ptr error;
    };

    void work() {
      for (;;) {
        std::size_t claimed = 0;
        {
          std::unique_lock<std::mutex> lock(mutex_);
          changed_.wait(lock, [&] { return stop_ || next_claim_ >= batches_.size() || next_claim_ < consumed_ + window_; });
          if (stop_ || next_claim_ >= batches_.size()) return;
          claimed = next_claim_++;
        }
        Result result;
        try {
          result.batch = loader_.load_batch(batches_[claimed], epoch_);
        } catch (...) {
          result.error = std::current_exception();
        }
        {
          std::lock_guard<std::mutex> lock(mutex_);
          ready_.emplace(claimed, std::move(result));
        }
        changed_.notify_all();
      }
    }

    const DataLoader& loader_;
    std::int64_t epoch_;
    std::vector<std::vector<std::int64_t>> batches_;
    std::size_t window_ = 1;
    std::size_t next_claim_ = 0;
    std::size_t consumed_ = 0;
    bool stop_ = false;
    std::map<std::size_t, Result> ready_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::thread> threads_;
  };

  /// Starts epoch `epoch` explicitly (the range-for uses 0, 1, 2, ... in turn).
  std::unique_ptr<Epoch> epoch(std::int64_t epoch) const { return std::make_unique<Epoch>(*this, epoch); }

  /// Range-for support: each `begin()` starts the next epoch.
  class Iterator {
   public:
    Iterator() = default;
    explicit Iterator(std::shared_ptr<Epoch> epoch) : epoch_(std::move(epoch)) { advance(); }
    Batch& operator*() { return *current_; }
    Batch* operator->() { return &*current_; }
    Iterator& operator++() {
      advance();
      return *this;
    }
    bool operator!=(const Iterator& other) const { return current_.has_value() != other.current_.has_value(); }
    bool operator==(const Iterator& other) const { return !(*this != other); }

   private:
    void advance() { current_ = epoch_ ? epoch_->next() : std::nullopt; }
    std::shared_ptr<Epoch> epoch_;
    std::optional<Batch> current_;
  };
  Iterator begin() { return Iterator(std::shared_ptr<Epoch>(epoch(next_epoch_++))); }
  Iterator end() { return Iterator(); }
  /// The epoch the next range-for will run; set it to resume training at a given epoch.
  std::int64_t next_epoch() const { return next_epoch_; }
  void set_next_epoch(std::int64_t epoch) { next_epoch_ = epoch; }

 private:
  struct Cache {
    std::mutex mutex;
    std::unordered_map<std::int64_t, Sample> samples;
  };

  Sample read(std::int64_t index) const {
    if (!cache_) return dataset_->get(index);
    {
      std::lock_guard<std::mutex> lock(cache_->mutex);
      const auto found = cache_->samples.find(index);
      if (found != cache_->samples.end()) return found->second;
    }
    Sample sample = dataset_->get(index);
    std::lock_guard<std::mutex> lock(cache_->mutex);
    return cache_->samples.emplace(index, std::move(sample)).first->second;
  }

  std::shared_ptr<const Dataset> dataset_;
  TransformPtr transform_;
  DataLoaderOptions options_;
  std::vector<std::vector<std::int64_t>> units_;  ///< sampler units: one sample, or one group's samples
  std::shared_ptr<Cache> cache_;
  std::int64_t next_epoch_ = 0;
};

}  // namespace osteon::data
