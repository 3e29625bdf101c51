#pragma once
/// @file
/// The options of a training run (`TrainerOptions`), with PyTorch's and MONAI's names: optimiser,
/// learning rate, betas, weight decay, schedule, epochs, gradient clipping and accumulation, mixed
/// precision, validation interval, early stopping. Torch-free: the Trainer, the checkpoint config
/// check and the Python binding read the same struct. `validate_options` rejects values out of range
/// with the option's name and the value.

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <tuple>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"

namespace osteon::train {

/// The optimiser (torch::optim): Adam (Kingma & Ba 2015; weight decay as an L2 term, as PyTorch's
/// Adam), AdamW (Loshchilov & Hutter 2019, decoupled weight decay), SGD (with momentum / Nesterov).
enum class Optimizer { adam, adamw, sgd };

/// The learning-rate schedule, evaluated once per epoch (as PyTorch's epoch-stepped schedulers):
/// constant; step (× gamma every step_size epochs, StepLR); cosine (CosineAnnealingLR from lr to
/// min_lr over the epochs after warm-up); plateau (ReduceLROnPlateau on the validation metric).
/// Any of them may start with `warmup_epochs` of linear warm-up (LinearLR from lr / (warmup + 1)).
enum class Scheduler { constant, step, cosine, plateau };

/// What a non-finite training loss does: `error` throws std::runtime_error naming the epoch and
/// step; `skip` drops that batch's gradients (no optimiser step) and counts it in EpochRecord.
enum class NonFinitePolicy { error, skip };

/// Progress display: `automatic` draws a bar on a terminal (stderr is a TTY) and one plain line per
/// epoch otherwise; `bar`, `lines` force one; `none` is silent.
enum class Progress { automatic, bar, lines, none };

/// Adam's (β₁, β₂).
using Betas = std::tuple<double, double>;

/// Options of a Trainer, with the names of PyTorch / MONAI.
///
/// Example:
///   auto options = osteon::train::TrainerOptions()
///                      .max_epochs(16).optimizer(osteon::train::Optimizer::adam)
///                      .lr(2e-3).betas({0.5, 0.999}).scheduler(osteon::train::Scheduler::cosine)
///                      .batch_size(32).val_interval(1).val_metric("auc").early_stopping(5);
struct TrainerOptions {
  OSTEON_ARG(std::int64_t, max_epochs) = 10;
  OSTEON_ARG(Optimizer, optimizer) = Optimizer::adam;
  OSTEON_ARG(double, lr) = 1e-3;
  /// Adam / AdamW (β₁, β₂), each in [0, 1).
  OSTEON_ARG(Betas, betas) = Betas(0.9, 0.999);
  OSTEON_ARG(double, eps) = 1e-8;
  OSTEON_ARG(double, weight_decay) = 0.0;
  /// SGD momentum in [0, 1); `nesterov` needs momentum > 0 (as PyTorch).
  OSTEON_ARG(double, momentum) = 0.0;
  OSTEON_ARG(bool, nesterov) = false;
  OSTEON_ARG(Scheduler, scheduler) = Scheduler::constant;
  OSTEON_ARG(std::int64_t, warmup_epochs) = 0;
  /// step: multiply by `gamma` every `step_size` epochs; plateau: by `gamma` after `plateau_patience`
  /// validations without improvement.
  OSTEON_ARG(std::int64_t, step_size) = 10;
  OSTEON_ARG(double, gamma) = 0.1;
  OSTEON_ARG(std::int64_t, plateau_patience) = 2;
  OSTEON_ARG(double, min_lr) = 0.0;
  OSTEON_ARG(std::int64_t, batch_size) = 32;
  /// true: shuffle the training samples every epoch (osteon's PCG32, seeded by `seed`).
  OSTEON_ARG(bool, shuffle) = true;
  /// true: split each epoch into floor(n / batch_size) batches of near-equal size (no small
  /// remainder batch to skew batch norm); false: batches of batch_size and one remainder batch.
  OSTEON_ARG(bool, even_batches) = false;
  /// Gradient accumulation: one optimiser step every `accumulate` batches (loss scaled by 1/accumulate).
  OSTEON_ARG(std::int64_t, accumulate) = 1;
  /// Clip the global L2 norm of the gradients to this value before each step (0 = off).
  OSTEON_ARG(double, grad_clip) = 0.0;
  /// Mixed precision on CUDA (autocast + dynamic loss scaling); needs the model on a CUDA device.
  OSTEON_ARG(bool, amp) = false;
  /// Seed of torch's CPU generator (and CUDA's) and of osteon's PCG32 (shuffling, augmentation).
  OSTEON_ARG(std::uint64_t, seed) = 0;
  /// Validate every `val_interval` epochs (and after the last epoch).
  OSTEON_ARG(std::int64_t, val_interval) = 1;
  /// The metric that selects the best model and drives early stopping / plateau: "loss" (lower is
  /// better) or one of metric_names() (higher is better).
  OSTEON_ARG(std::string, val_metric) = "loss";
  /// Stop after this many validations without improvement (0 = never).
  OSTEON_ARG(std::int64_t, early_stopping) = 0;
  /// Improvement smaller than this does not count (early stopping, best model, plateau).
  OSTEON_ARG(double, min_delta) = 0.0;
  /// After fit, load the weights of the best validation (if there was a validation).
  OSTEON_ARG(bool, restore_best) = false;
  OSTEON_ARG(NonFinitePolicy, non_finite) = NonFinitePolicy::error;
  /// Folder for checkpoints and the metrics log (metrics.csv, metrics.jsonl); empty = none.
  OSTEON_ARG(std::string, output_dir) = "";
  /// Checkpoint every `checkpoint_interval` epochs (0 = never), keeping the last `keep_last`.
  OSTEON_ARG(std::int64_t, checkpoint_interval) = 1;
  OSTEON_ARG(std::int64_t, keep_last) = 2;
  OSTEON_ARG(Progress, progress) = Progress::automatic;
};

/// The optimiser's name as written in configs and logs ("adam", "adamw", "sgd").
inline const char* to_string(Optimizer value) {
  switch (value) {
    case Optimizer::adam: return "adam";
    case Optimizer::adamw: return "adamw";
    case Optimizer::sgd: return "sgd";
  }
  return "?";
}

/// The schedule's name ("constant", "step", "cosine", "plateau").
inline const char* to_string(Scheduler value) {
  switch (value) {
    case Scheduler::constant: return "constant";
    case Scheduler::step: return "step";
    case Scheduler::cosine: return "cosine";
    case Scheduler::plateau: return "plateau";
  }
  return "?";
}

/// Parses "adam" | "adamw" | "sgd" (the Python keyword); throws naming `argument` otherwise.
///
/// Example:
///   auto kind = osteon::train::parse_optimizer("adamw");
inline Optimizer parse_optimizer(const std::string& name, const char* argument = "optimizer") {
  if (name == "adam") return Optimizer::adam;
  if (name == "adamw") return Optimizer::adamw;
  if (name == "sgd") return Optimizer::sgd;
  OSTEON_CHECK_ARG(false, "Trainer: ", argument, " must be 'adam', 'adamw' or 'sgd', got '", name, "'");
  return Optimizer::adam;
}

/// Parses "constant" | "step" | "cosine" | "plateau".
///
/// Example:
///   auto kind = osteon::train::parse_scheduler("cosine");
inline Scheduler parse_scheduler(const std::string& name, const char* argument = "scheduler") {
  if (name == "constant") return Scheduler::constant;
  if (name == "step") return Scheduler::step;
  if (name == "cosine") return Scheduler::cosine;
  if (name == "plateau") return Scheduler::plateau;
  OSTEON_CHECK_ARG(false, "Trainer: ", argument, " must be 'constant', 'step', 'cosine' or 'plateau', got '",
                   name, "'");
  return Scheduler::constant;
}

/// Throws std::invalid_argument naming the first option out of range and its value.
///
/// Example:
///   osteon::train::validate_options(osteon::train::TrainerOptions().lr(-1));  // throws: "lr must be > 0 ..."
inline void validate_options(const TrainerOptions& o) {
  const auto finite = [](double v) { return std::isfinite(v); };
  OSTEON_CHECK_ARG(o.max_epochs() >= 1, "Trainer: max_epochs must be >= 1, got ", o.max_epochs());
  OSTEON_CHECK_ARG(finite(o.lr()) && o.lr() > 0, "Trainer: lr must be > 0 and finite, got ", o.lr());
  const auto [beta1, beta2] = o.betas();
  OSTEON_CHECK_ARG(beta1 >= 0 && beta1 < 1, "Trainer: betas[0] must be in [0, 1), got ", beta1);
  OSTEON_CHECK_ARG(beta2 >= 0 && beta2 < 1, "Trainer: betas[1] must be in [0, 1), got ", beta2);
  OSTEON_CHECK_ARG(finite(o.eps()) && o.eps() > 0, "Trainer: eps must be > 0, got ", o.eps());
  OSTEON_CHECK_ARG(finite(o.weight_decay()) && o.weight_decay() >= 0, "Trainer: weight_decay must be >= 0, got ",
                   o.weight_decay());
  OSTEON_CHECK_ARG(o.momentum() >= 0 && o.momentum() < 1, "Trainer: momentum must be in [0, 1), got ", o.momentum());
  OSTEON_CHECK_ARG(!o.nesterov() || (o.optimizer() == Optimizer::sgd && o.momentum() > 0),
                   "Trainer: nesterov needs optimizer 'sgd' with momentum > 0, got optimizer '",
                   to_string(o.optimizer()), "' and momentum ", o.momentum());
  OSTEON_CHECK_ARG(o.warmup_epochs() >= 0 && o.warmup_epochs() < o.max_epochs(),
                   "Trainer: warmup_epochs must be in [0, max_epochs), got ", o.warmup_epochs(), " with max_epochs ",
                   o.max_epochs());
  OSTEON_CHECK_ARG(o.step_size() >= 1, "Trainer: step_size must be >= 1, got ", o.step_size());
  OSTEON_CHECK_ARG(o.gamma() > 0 && o.gamma() <= 1, "Trainer: gamma must be in (0, 1], got ", o.gamma());
  OSTEON_CHECK_ARG(o.plateau_patience() >= 0, "Trainer: plateau_patience must be >= 0, got ", o.plateau_patience());
  OSTEON_CHECK_ARG(o.min_lr() >= 0 && o.min_lr() <= o.lr(), "Trainer: min_lr must be in [0, lr], got ", o.min_lr());
  OSTEON_CHECK_ARG(o.batch_size() >= 1, "Trainer: batch_size must be >= 1, got ", o.batch_size());
  OSTEON_CHECK_ARG(o.accumulate() >= 1, "Trainer: accumulate must be >= 1, got ", o.accumulate());
  OSTEON_CHECK_ARG(finite(o.grad_clip()) && o.grad_clip() >= 0, "Trainer: grad_clip must be >= 0 (0 = off), got ",
                   o.grad_clip());
  OSTEON_CHECK_ARG(o.val_interval() >= 1, "Trainer: val_interval must be >= 1, got ", o.val_interval());
  OSTEON_CHECK_ARG(o.early_stopping() >= 0, "Trainer: early_stopping must be >= 0 (0 = off), got ",
                   o.early_stopping());
  OSTEON_CHECK_ARG(o.min_delta() >= 0, "Trainer: min_delta must be >= 0, got ", o.min_delta());
  OSTEON_CHECK_ARG(o.checkpoint_interval() >= 0, "Trainer: checkpoint_interval must be >= 0, got ",
                   o.checkpoint_interval());
  OSTEON_CHECK_ARG(o.keep_last() >= 1, "Trainer: keep_last must be >= 1, got ", o.keep_last());
}

/// The options that define a run, one `key = value` per line . A
/// checkpoint stores it; resuming under a different config is refused with the differing key.
/// Display-only options (progress, output_dir, keep_last, checkpoint_interval) are not part of it.
/// Numbers carry 17 significant digits, so a double reads back exactly.
///
/// Example:
///   std::string text = osteon::train::config_text(options);  // "max_epochs = 10\noptimizer = adam\nlr = 0.001\n..."
inline std::string config_text(const TrainerOptions& o) {
  std::ostringstream out;
  out.precision(17);
  const auto [beta1, beta2] = o.betas();
  out << "max_epochs = " << o.max_epochs() << "\noptimizer = " << to_string(o.optimizer()) << "\nlr = " << o.lr()
      << "\nbetas = " << beta1 << ", " << beta2 << "\neps = " << o.eps() << "\nweight_decay = " << o.weight_decay()
      << "\nmomentum = " << o.momentum() << "\nnesterov = " << o.nesterov()
      << "\nscheduler = " << to_string(o.scheduler()) << "\nwarmup_epochs = " << o.warmup_epochs()
      << "\nstep_size = " << o.step_size() << "\ngamma = " << o.gamma()
      << "\nplateau_patience = " << o.plateau_patience() << "\nmin_lr = " << o.min_lr()
      << "\nbatch_size = " << o.batch_size() << "\nshuffle = " << o.shuffle() << "\neven_batches = " << o.even_batches()
      << "\naccumulate = " << o.accumulate() << "\ngrad_clip = " << o.grad_clip() << "\namp = " << o.amp()
      << "\nseed = " << o.seed() << "\nval_interval = " << o.val_interval() << "\nval_metric = " << o.val_metric()
      << "\nearly_stopping = " << o.early_stopping() << "\nmin_delta = " << o.min_delta()
      << "\nnon_finite = " << (o.non_finite() == NonFinitePolicy::error ? "error" : "skip") << "\n";
  return out.str();
}

}  // namespace osteon::train
