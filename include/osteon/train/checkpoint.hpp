#pragma once
/// @file
/// Training checkpoints in torch.save format (osteon::io::save_state_dict_file: Python's
/// `torch.load(path)` reads them as a dict of tensors), written atomically. Keys:
///   model.<name>                the model's state dict (torchvision / MONAI names)
///   optimizer.archive           the torch::optim state (uint8, torch::serialize bytes)
///   scheduler.state             the plateau schedule's state (float64)
///   trainer.epoch, trainer.step completed epochs and optimiser steps (int64, 0-dim)
///   trainer.best                best validation value, its epoch, validations since (float64 [3])
///   rng.torch_cpu, rng.cuda     torch's generator states (uint8; cuda only when CUDA is present)
///   rng.pcg32                   osteon's generator (int64 [2]: state, increment, bit-cast)
///   config.text                 config_text(options) (uint8 UTF-8)
///   history.values / history.metrics  the epoch records (float64 [epochs, 7 + metrics]; names)
/// Reading refuses a truncated or foreign file, a missing key, another config or another model,
/// naming the file and the key, and changes nothing when it refuses.

#include <torch/types.h>

#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/io/state_dict.hpp"
#include "osteon/train/metrics_log.hpp"

namespace osteon::train {

/// Everything a checkpoint holds, in memory.
struct CheckpointState {
  io::StateDict model;
  std::string optimizer_archive;
  std::vector<double> scheduler_state;
  std::int64_t epoch = 0;
  std::int64_t step = 0;
  double best_value = 0.0;
  std::int64_t best_epoch = 0;
  std::int64_t validations_since_best = 0;
  torch::Tensor torch_cpu_rng;
  torch::Tensor cuda_rng;  ///< undefined when CUDA is absent
  std::uint64_t pcg_state = 0;
  std::uint64_t pcg_increment = 1;
  std::string config;
  std::vector<EpochRecord> history;
};

namespace detail {

inline torch::Tensor bytes_tensor(const std::string& bytes) {
  auto out = torch::empty({static_cast<std::int64_t>(bytes.size())}, torch::kUInt8);
  if (!bytes.empty()) std::memcpy(out.data_ptr<std::uint8_t>(), bytes.data(), bytes.size());
  return out;
}

inline std::string tensor_bytes(const torch::Tensor& tensor) {
  const auto flat = tensor.to(torch::kUInt8).contiguous();
  return {reinterpret_cast<const char*>(flat.data_ptr<std::uint8_t>()), static_cast<std::size_t>(flat.numel())};
}

inline std::vector<double> tensor_doubles(const torch::Tensor& tensor) {
  const auto flat = tensor.to(torch::kDouble).contiguous();
  return {flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel()};
}

constexpr std::int64_t kHistoryFixedColumns = 7;

inline void add_history(io::StateDict& dict, const std::vector<EpochRecord>& history) {
  const auto names = val_columns(history);
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : "\n") + name;
  const auto columns = kHistoryFixedColumns + static_cast<std::int64_t>(names.size());
  auto values = torch::full({static_cast<std::int64_t>(history.size()), columns}, NAN, torch::kDouble);
  auto* data = values.data_ptr<double>();
  for (std::size_t i = 0; i < history.size(); ++i) {
    const auto& r = history[i];
    double* row = data + static_cast<std::int64_t>(i) * columns;
    row[0] = static_cast<double>(r.epoch);
    row[1] = static_cast<double>(r.step);
    row[2] = r.lr;
    row[3] = r.train_loss;
    row[4] = r.seconds;
    row[5] = static_cast<double>(r.skipped_steps);
    row[6] = r.validated ? 1.0 : 0.0;
    std::int64_t c = kHistoryFixedColumns;
    for (const auto& name : names) {
      const auto found = r.val.find(name);
      row[c++] = found == r.val.end() ? NAN : found->second;
    }
  }
  dict.insert("history.values", values);
  dict.insert("history.metrics", bytes_tensor(joined));
}

inline std::vector<EpochRecord> read_history(const torch::Tensor& values_tensor, const std::string& joined) {
  std::vector<std::string> names;
  std::istringstream lines(joined);
  for (std::string name; std::getline(lines, name);)
    if (!name.empty()) names.push_back(name);
  const auto values = values_tensor.to(torch::kDouble).contiguous();
  const auto columns = kHistoryFixedColumns + static_cast<std::int64_t>(names.size());
  OSTEON_CHECK_ARG(values.dim() == 2 && values.size(1) == columns, "history.values has shape ", values.sizes(),
                   ", expected [epochs, ", columns, "]");
  std::vector<EpochRecord> history;
  const double* data = values.data_ptr<double>();
  for (std::int64_t i = 0; i < values.size(0); ++i) {
    const double* row = data + i * columns;
    EpochRecord r;
    r.epoch = static_cast<std::int64_t>(row[0]);
    r.step = static_cast<std::int64_t>(row[1]);
    r.lr = row[2];
    r.train_loss = row[3];
    r.seconds = row[4];
    r.skipped_steps = static_cast<std::int64_t>(row[5]);
    r.validated = row[6] != 0.0;
    for (std::size_t c = 0; c < names.size(); ++c) {
      const double v = row[kHistoryFixedColumns + static_cast<std::int64_t>(c)];
      if (r.validated && !std::isnan(v)) r.val[names[c]] = v;
    }
    history.push_back(std::move(r));
  }
  return history;
}

}  // namespace detail

/// Writes `state` to `path` (torch.save format, atomic: a crash leaves the old file or the new one).
///
/// Example:
///   osteon::train::write_checkpoint("run/checkpoint_epoch0003.pt", state);
inline void write_checkpoint(const std::string& path, const CheckpointState& state) {
  io::StateDict dict;
  for (const auto& item : state.model) dict.insert("model." + item.key(), item.value().detach().cpu());
  dict.insert("optimizer.archive", detail::bytes_tensor(state.optimizer_archive));
  dict.insert("scheduler.state", torch::tensor(state.scheduler_state, torch::kDouble));
  dict.insert("trainer.epoch", torch::tensor(state.epoch, torch::kLong));
  dict.insert("trainer.step", torch::tensor(state.step, torch::kLong));
  dict.insert("trainer.best", torch::tensor(std::vector<double>{state.best_value, static_cast<double>(state.best_epoch),
                                                                static_cast<double>(state.validations_since_best)},
                                            torch::kDouble));
  dict.insert("rng.torch_cpu", state.torch_cpu_rng);
  if (state.cuda_rng.defined()) dict.insert("rng.cuda", state.cuda_rng);
  std::int64_t pcg[2];
  std::memcpy(&pcg[0], &state.pcg_state, sizeof(pcg[0]));
  std::memcpy(&pcg[1], &state.pcg_increment, sizeof(pcg[1]));
  dict.insert("rng.pcg32", torch::tensor(std::vector<std::int64_t>{pcg[0], pcg[1]}, torch::kLong));
  dict.insert("config.text", detail::bytes_tensor(state.config));
  detail::add_history(dict, state.history);
  io::save_state_dict_file(dict, path);
}

/// Reads a checkpoint written by write_checkpoint. Throws std::invalid_argument naming `path`
/// (and the key) if the file is missing, truncated, not a torch.save archive, or lacks a key.
///
/// Example:
///   auto state = osteon::train::read_checkpoint("run/checkpoint_epoch0003.pt");
///   state.epoch;  // 3
inline CheckpointState read_checkpoint(const std::string& path) {
  io::StateDict dict;
  try {
    dict = io::load_state_dict_file(path);
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const std::exception& error) {
    // PyTorchStreamReader's c10::Error for a cut-off zip: say what the file is, not where torch failed.
    std::string what = error.what();
    what = what.substr(0, what.find('\n'));
    throw std::invalid_argument(::osteon::detail::concat("load_checkpoint: '", path,
                                                         "' is not a readable checkpoint (truncated or corrupt): ", what));
  }
  const auto need = [&](const std::string& key) -> const torch::Tensor& {
    const torch::Tensor* found = dict.find(key);
    OSTEON_CHECK_ARG(found != nullptr, "load_checkpoint: '", path, "' lacks key '", key,
                     "' (not a Trainer checkpoint, or truncated)");
    return *found;
  };
  CheckpointState state;
  for (const auto& item : dict)
    if (item.key().rfind("model.", 0) == 0) state.model.insert(item.key().substr(6), item.value());
  OSTEON_CHECK_ARG(!state.model.is_empty(), "load_checkpoint: '", path, "' lacks the model (no key 'model.*')");
  state.optimizer_archive = detail::tensor_bytes(need("optimizer.archive"));
  state.scheduler_state = detail::tensor_doubles(need("scheduler.state"));
  state.epoch = need("trainer.epoch").item<std::int64_t>();
  state.step = need("trainer.step").item<std::int64_t>();
  const auto best = detail::tensor_doubles(need("trainer.best"));
  OSTEON_CHECK_ARG(best.size() == 3, "load_checkpoint: '", path, "' key 'trainer.best' holds ", best.size(),
                   " values, expected 3");
  state.best_value = best[0];
  state.best_epoch = static_cast<std::int64_t>(best[1]);
  state.validations_since_best = static_cast<std::int64_t>(best[2]);
  state.torch_cpu_rng = need("rng.torch_cpu").clone();
  if (const auto* cuda = dict.find("rng.cuda")) state.cuda_rng = cuda->clone();
  const auto pcg = need("rng.pcg32").to(torch::kLong).contiguous();
  OSTEON_CHECK_ARG(pcg.numel() == 2, "load_checkpoint: '", path, "' key 'rng.pcg32' holds ", pcg.numel(),
                   " values, expected 2");
  std::memcpy(&state.pcg_state, pcg.data_ptr<std::int64_t>(), sizeof(state.pcg_state));
  std::memcpy(&state.pcg_increment, pcg.data_ptr<std::int64_t>() + 1, sizeof(state.pcg_increment));
  state.config = detail::tensor_bytes(need("config.text"));
  try {
    state.history = detail::read_history(need("history.values"), detail::tensor_bytes(need("history.metrics")));
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(::osteon::detail::concat("load_checkpoint: '", path, "': ", error.what()));
  }
  return state;
}

/// The first line where two config_text()s differ, as "key: file value vs current value"; empty if equal.
///
/// Example:
///   auto difference = osteon::train::config_difference(state.config, osteon::train::config_text(options));
inline std::string config_difference(const std::string& saved, const std::string& current) {
  std::istringstream a(saved), b(current);
  std::string line_a, line_b;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return "";
    if (!more_a) line_a = "(absent)";
    if (!more_b) line_b = "(absent)";
    if (line_a != line_b) {
      const auto key = (more_b ? line_b : line_a).substr(0, (more_b ? line_b : line_a).find(" = "));
      const auto value = [](const std::string& line) {
        const auto at = line.find(" = ");
        return at == std::string::npos ? line : line.substr(at + 3);
      };
      return ::osteon::detail::concat(key, " = ", value(line_a), " in the file, ", value(line_b), " now");
    }
  }
}

}  // namespace osteon::train
