#pragma once
/// @file
/// One record per epoch (training loss, learning rate, validation metrics, time) and the metrics log
/// written from them: `metrics.csv` (one row per epoch) and `metrics.jsonl` (one JSON object per
/// line), both rewritten atomically after every epoch. Torch-free.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "osteon/core/atomic_file.hpp"

namespace osteon::train {

/// What one epoch produced.
struct EpochRecord {
  std::int64_t epoch = 0;         ///< 1-based
  std::int64_t step = 0;          ///< optimiser steps so far
  double lr = 0.0;                ///< learning rate of the epoch
  double train_loss = 0.0;        ///< mean training loss over the epoch's samples (all ranks)
  double seconds = 0.0;           ///< wall time of the epoch (training + validation)
  std::int64_t skipped_steps = 0; ///< batches dropped for a non-finite loss (NonFinitePolicy::skip)
  bool validated = false;
  std::map<std::string, double> val;  ///< "loss" and the validation metrics, when validated
};

namespace detail {

/// Shortest text that reads back to the same double; JSON has no NaN / inf, so they become null.
inline std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  char text[32];
  std::snprintf(text, sizeof(text), "%.17g", value);
  return text;
}

inline std::set<std::string> val_columns(const std::vector<EpochRecord>& records) {
  std::set<std::string> names;
  for (const auto& r : records)
    for (const auto& [name, value] : r.val) names.insert(name);
  return names;
}

}  // namespace detail

/// Writes `records` as CSV (`epoch,step,lr,train_loss,seconds,skipped_steps,val_<metric>...`; empty
/// cells for epochs without validation) to `csv_path` and as JSON lines to `jsonl_path`, atomically.
///
/// Example:
///   osteon::train::write_metrics_log(trainer.history(), "run/metrics.csv", "run/metrics.jsonl");
inline void write_metrics_log(const std::vector<EpochRecord>& records, const std::string& csv_path,
                              const std::string& jsonl_path) {
  const auto names = detail::val_columns(records);
  write_file_atomically(csv_path, "write_metrics_log", [&](std::ostream& out) {
    out << "epoch,step,lr,train_loss,seconds,skipped_steps";
    for (const auto& name : names) out << ",val_" << name;
    out << '\n';
    for (const auto& r : records) {
      out << r.epoch << ',' << r.step << ',' << detail::json_number(r.lr) << ',' << detail::json_number(r.train_loss)
          << ',' << detail::json_number(r.seconds) << ',' << r.skipped_steps;
      for (const auto& name : names) {
        out << ',';
        const auto found = r.val.find(name);
        if (found != r.val.end() && std::isfinite(found->second)) out << detail::json_number(found->second);
      }
      out << '\n';
    }
  });
  write_file_atomically(jsonl_path, "write_metrics_log", [&](std::ostream& out) {
    for (const auto& r : records) {
      out << "{\"epoch\": " << r.epoch << ", \"step\": " << r.step << ", \"lr\": " << detail::json_number(r.lr)
          << ", \"train_loss\": " << detail::json_number(r.train_loss)
          << ", \"seconds\": " << detail::json_number(r.seconds) << ", \"skipped_steps\": " << r.skipped_steps;
      for (const auto& [name, value] : r.val) out << ", \"val_" << name << "\": " << detail::json_number(value);
      out << "}\n";
    }
  });
}

}  // namespace osteon::train
