#pragma once
/// @file
/// Learning-rate schedules, one value per epoch, in PyTorch's closed forms (torch.optim.lr_scheduler):
/// StepLR, CosineAnnealingLR, LinearLR warm-up and ReduceLROnPlateau. Torch-free; the state that
/// plateau keeps (best value, bad epochs, current factor) is saved in checkpoints.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "osteon/train/options.hpp"

namespace osteon::train {

/// The learning rate for each epoch of a run.
///
/// Example:
///   osteon::train::LrSchedule schedule(osteon::train::TrainerOptions().lr(2e-3).max_epochs(16)
///                                          .scheduler(osteon::train::Scheduler::cosine));
///   double first = schedule.lr(0);   // 2e-3
///   double last = schedule.lr(15);   // 2e-3 · (1 + cos(15π/16)) / 2
class LrSchedule {
 public:
  explicit LrSchedule(const TrainerOptions& options) : options_(options) {}

  /// The learning rate of epoch `epoch` (0-based).
  double lr(std::int64_t epoch) const {
    const double base = options_.lr();
    const auto warmup = options_.warmup_epochs();
    if (epoch < warmup) {
      // LinearLR(start_factor = 1 / (warmup + 1), total_iters = warmup): base · (epoch + 1) / (warmup + 1).
      return base * static_cast<double>(epoch + 1) / static_cast<double>(warmup + 1);
    }
    const auto t = epoch - warmup;
    switch (options_.scheduler()) {
      case Scheduler::constant: return base;
      case Scheduler::step:
        return std::max(options_.min_lr(), base * std::pow(options_.gamma(), static_cast<double>(t / options_.step_size())));
      case Scheduler::cosine: {
        // CosineAnnealingLR's closed form (Loshchilov & Hutter 2017, SGDR, without restarts).
        constexpr double kPi = 3.141592653589793;
        const auto span = static_cast<double>(options_.max_epochs() - warmup);
        return options_.min_lr() +
               (base - options_.min_lr()) * (1.0 + std::cos(kPi * static_cast<double>(t) / span)) / 2.0;
      }
      case Scheduler::plateau: return std::max(options_.min_lr(), base * plateau_factor_);
    }
    return base;
  }

  /// Tells the plateau schedule the validation value (`higher_is_better` for metrics, not for the
  /// loss); other schedules ignore it. ReduceLROnPlateau(mode, factor = gamma, patience,
  /// threshold = min_delta, threshold_mode = "abs").
  void observe(double value, bool higher_is_better) {
    if (options_.scheduler() != Scheduler::plateau || std::isnan(value)) return;
    const double signed_value = higher_is_better ? value : -value;
    if (signed_value > best_ + options_.min_delta()) {
      best_ = signed_value;
      bad_epochs_ = 0;
      return;
    }
    if (++bad_epochs_ > options_.plateau_patience()) {
      plateau_factor_ *= options_.gamma();
      bad_epochs_ = 0;
    }
  }

  /// The state a checkpoint keeps: {best, bad_epochs, plateau_factor}.
  std::vector<double> state() const { return {best_, static_cast<double>(bad_epochs_), plateau_factor_}; }

  /// Restores state() (three values).
  void load_state(const std::vector<double>& state) {
    OSTEON_CHECK_ARG(state.size() == 3, "LrSchedule::load_state: expected 3 values, got ", state.size());
    best_ = state[0];
    bad_epochs_ = static_cast<std::int64_t>(state[1]);
    plateau_factor_ = state[2];
  }

 private:
  TrainerOptions options_;
  double best_ = -std::numeric_limits<double>::infinity();
  std::int64_t bad_epochs_ = 0;
  double plateau_factor_ = 1.0;
};

}  // namespace osteon::train
