#pragma once
/// @file
/// `Dataset`: what a loader reads from — indexable, sized, thread-safe `get` (the loader's worker
/// threads call it concurrently). `TensorDataset` wraps tensors already in memory (a synthetic
/// cohort, a user's preloaded arrays); `ManifestDataset` (data/manifest_dataset.hpp) reads files.

#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osteon/data/sample.hpp"

namespace osteon::data {

/// The interface of a dataset: `size()` samples, `get(i)` the i-th (decoded, untransformed).
/// `get` must be safe to call from several threads at once.
class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual std::int64_t size() const = 0;
  virtual Sample get(std::int64_t index) const = 0;
  /// Group (patient / hip) of each sample, for the group-aware sampler; the default asks `get`.
  virtual std::vector<std::string> groups() const {
    std::vector<std::string> out;
    for (std::int64_t i = 0; i < size(); ++i) out.push_back(get(i).group);
    return out;
  }

 protected:
  void check_index(std::int64_t index, const char* who) const {
    TORCH_CHECK(index >= 0 && index < size(), who, ": index must be in [0, ", size(), "), got ", index);
  }
};

/// Options of TensorDataset. `images` is (N, C, spatial...) for one view or (N, V, C, spatial...)
/// with `views(V)`; `masks` (N, C, spatial...) and `labels` (N) or (N, K) are optional.
struct TensorDatasetOptions {
  TORCH_ARG(torch::Tensor, masks) = {};
  TORCH_ARG(torch::Tensor, labels) = {};
  TORCH_ARG(std::int64_t, views) = 1;
  TORCH_ARG(std::vector<std::string>, ids) = {};
  TORCH_ARG(std::vector<std::string>, groups) = {};
  TORCH_ARG(std::vector<double>, spacing) = {};
};

/// Samples that are slices of tensors in memory (no copy: each sample views its row).
///
/// Example:
///   auto cohort = osteon::data::synthetic_hip_cohort();
///   auto images = torch::from_blob(cohort.images.data(), {cohort.hips(), 2, 1, 64, 64}).clone();
///   auto dataset = std::make_shared<osteon::data::TensorDataset>(
///       images, osteon::data::TensorDatasetOptions().views(2).labels(torch::tensor(cohort.outcome))
///                   .groups(cohort.patient_ids));
class TensorDataset : public Dataset {
 public:
  explicit TensorDataset(torch::Tensor images, TensorDatasetOptions options = {})
      : images_(std::move(images)), options_(std::move(options)) {
    const auto n = images_.defined() ? images_.size(0) : 0;
    TORCH_CHECK(images_.defined() && images_.dim() >= 3 + (options_.views() > 1 ? 1 : 0),
                "TensorDataset: images must be (N, ", options_.views() > 1 ? "V, " : "", "C, spatial...), got ",
                images_.defined() ? images_.sizes() : torch::IntArrayRef{});
    TORCH_CHECK(options_.views() >= 1, "TensorDataset: views must be >= 1, got ", options_.views());
    TORCH_CHECK(options_.views() == 1 || images_.size(1) == options_.views(), "TensorDataset: views is ",
                options_.views(), " but images have ", images_.size(1), " on axis 1 (shape ", images_.sizes(), ")");
    const auto& masks = options_.masks();
    TORCH_CHECK(!masks.defined() || masks.size(0) == n, "TensorDataset: masks have ",
                masks.defined() ? masks.size(0) : 0, " rows, images ", n);
    const auto& labels = options_.labels();
    TORCH_CHECK(!labels.defined() || (labels.dim() >= 1 && labels.size(0) == n), "TensorDataset: labels have shape ",
                labels.defined() ? labels.sizes() : torch::IntArrayRef{}, ", images ", n, " rows");
    TORCH_CHECK(options_.ids().empty() || static_cast<std::int64_t>(options_.ids().size()) == n,
                "TensorDataset: ids has ", options_.ids().size(), " entries, images ", n, " rows");
    TORCH_CHECK(options_.groups().empty() || static_cast<std::int64_t>(options_.groups().size()) == n,
                "TensorDataset: groups has ", options_.groups().size(), " entries, images ", n, " rows");
  }

  std::int64_t size() const override { return images_.size(0); }

  Sample get(std::int64_t index) const override {
    check_index(index, "TensorDataset::get");
    Sample sample;
    const auto row = images_[index];
    if (options_.views() > 1) {
      for (std::int64_t v = 0; v < options_.views(); ++v) sample.images.push_back(row[v]);
    } else {
      sample.images.push_back(row);
    }
    if (options_.masks().defined()) sample.mask = options_.masks()[index];
    if (options_.labels().defined()) sample.label = options_.labels()[index].reshape({-1});
    sample.id = options_.ids().empty() ? std::to_string(index) : options_.ids()[index];
    sample.group = options_.groups().empty() ? sample.id : options_.groups()[index];
    sample.spacing = options_.spacing();
    return sample;
  }

  std::vector<std::string> groups() const override {
    if (!options_.groups().empty()) return options_.groups();
    return Dataset::groups();
  }

 private:
  torch::Tensor images_;
  TensorDatasetOptions options_;
};

}  // namespace osteon::data
