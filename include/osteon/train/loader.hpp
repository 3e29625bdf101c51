#pragma once
/// @file
/// Training from the data layer's DataLoader (osteon/data/loader.hpp): its batches become the
/// Trainer's BatchSource. The loader shuffles by its own seed and the epoch number
/// (`set_next_epoch`), so a resumed run reads the same batches as an uninterrupted one.
/// Not for data-parallel runs (the loader is not rank-aware: use TensorData there).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "osteon/data/loader.hpp"
#include "osteon/train/trainer.hpp"

namespace osteon::train {

/// Turns a loader batch into the Trainer's (inputs, targets).
using BatchConverter = std::function<Batch(const data::Batch&)>;

/// The default conversion: inputs = the image (one view) or the views stacked on axis 1
/// (B, V, C, ...: MultiViewResNet); targets = the mask when there is one (segmentation), else the
/// label, (B, 1) flattened to (B,) (class indices for cross-entropy).
///
/// Example:
///   osteon::train::Batch batch = osteon::train::default_batch(loader_batch);
inline Batch default_batch(const data::Batch& batch) {
  Batch out;
  out.inputs = batch.images.size() == 1 ? batch.image() : batch.views();
  if (batch.mask.defined()) {
    out.targets = batch.mask;
  } else {
    TORCH_CHECK(batch.label.defined(), "Trainer: a loader batch has neither a mask nor a label to train on");
    out.targets = batch.label.dim() == 2 && batch.label.size(1) == 1 ? batch.label.reshape({-1}) : batch.label;
  }
  return out;
}

/// The batches of `loader` for the Trainer; `loader` must outlive the fit.
///
/// Example:
///   auto train = osteon::train::loader_source(train_loader);
///   trainer.fit(train, nullptr);
inline BatchSource loader_source(data::DataLoader& loader, BatchConverter convert = default_batch) {
  struct State {
    std::optional<data::DataLoader::Iterator> at;
  };
  auto state = std::make_shared<State>();
  BatchSource source;
  source.start_epoch = [&loader, state](std::int64_t epoch) {
    loader.set_next_epoch(epoch);
    const auto count = static_cast<std::int64_t>(loader.batch_indices(epoch).size());
    state->at.emplace(loader.begin());
    return count;
  };
  source.next = [&loader, state, convert] {
    TORCH_CHECK(state->at && *state->at != loader.end(), "Trainer: the loader ran out of batches within an epoch");
    Batch batch = convert(**state->at);
    ++*state->at;
    return batch;
  };
  return source;
}

/// The validation batches of `loader` (read in full at every validation).
inline ValidationSource loader_validation(data::DataLoader& loader, BatchConverter convert = default_batch) {
  return {[&loader, convert](const std::function<void(const Batch&)>& visit) {
    for (auto& batch : loader) visit(convert(batch));
  }};
}

/// Trains `trainer` on `train`, validating on `validation` when not null.
///
/// Example:
///   auto loader = osteon::data::DataLoader(dataset, transforms,
///       osteon::data::DataLoaderOptions().batch_size(16).shuffle(true).seed(1).num_workers(2));
///   auto result = osteon::train::fit(trainer, loader, &val_loader);
inline FitResult fit(Trainer& trainer, data::DataLoader& train, data::DataLoader* validation = nullptr,
                     const BatchConverter& convert = default_batch) {
  const auto source = loader_source(train, convert);
  if (validation == nullptr) return trainer.fit(source, nullptr);
  const auto val = loader_validation(*validation, convert);
  return trainer.fit(source, &val);
}

}  // namespace osteon::train
