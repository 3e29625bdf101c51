#pragma once
/// @file
/// The Trainer: fits any torch::nn::Module (through a TrainModel) with the options of
/// TrainerOptions — optimiser, schedule, clipping, accumulation, AMP, seeding, validation with
/// early stopping and best-model selection —, calls the user's callbacks, writes the metrics log and
/// checkpoints that `resume` continues bit for bit on the CPU, and trains data-parallel when given a
/// Communicator (distributed.hpp).

#include <torch/types.h>  // first: torch/nn/utils/clip_grad.h uses torch::Tensor without including it

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <torch/cuda.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim.h>
#include <torch/types.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/rng.hpp"
#include "osteon/io/state_dict.hpp"
#include "osteon/train/amp.hpp"
#include "osteon/train/checkpoint.hpp"
#include "osteon/train/communicator.hpp"
#include "osteon/train/data.hpp"
#include "osteon/train/metric_registry.hpp"
#include "osteon/train/metrics_log.hpp"
#include "osteon/train/model.hpp"
#include "osteon/train/optimizer.hpp"
#include "osteon/train/options.hpp"
#include "osteon/train/progress.hpp"
#include "osteon/train/sampler.hpp"
#include "osteon/train/schedule.hpp"

namespace osteon::train {

/// The criterion: (model outputs, targets) → a 0-dim loss (mean over the batch).
using LossFn = std::function<torch::Tensor(const torch::Tensor& outputs, const torch::Tensor& targets)>;

/// Augmentation of a training batch (already on the model's device), drawing from the Trainer's
/// PCG32 so that a resumed run draws the same numbers.
using Augmentation = std::function<Batch(Batch batch, Pcg32& rng)>;

/// What on_batch_end sees.
struct BatchEvent {
  std::int64_t epoch = 0;    ///< 1-based
  std::int64_t batch = 0;    ///< 1-based within the epoch
  std::int64_t batches = 0;  ///< batches in the epoch
  std::int64_t step = 0;     ///< optimiser steps so far
  double loss = 0.0;         ///< this batch's loss
};

/// User hooks; any may be empty. Exceptions thrown by a hook end fit() (checkpoints already written
/// stay valid).
struct Callbacks {
  std::function<void(std::int64_t epoch)> on_epoch_begin;
  std::function<void(const BatchEvent&)> on_batch_end;
  std::function<void(const EpochRecord&)> on_validation_end;
  std::function<void(const EpochRecord&)> on_epoch_end;
};

/// What fit() returns.
struct FitResult {
  std::vector<EpochRecord> history;  ///< every epoch of the run, resumed ones included
  std::int64_t best_epoch = 0;       ///< 0: no validation
  double best_value = std::numeric_limits<double>::quiet_NaN();
  bool stopped_early = false;
};

/// Batches from anywhere (a data::DataLoader, a generator): `start_epoch(epoch)` (0-based) prepares
/// an epoch and returns its number of batches; `next()` then returns them one by one. The order
/// must be a function of the epoch (so that a resumed run sees the same batches).
struct BatchSource {
  std::function<std::int64_t(std::int64_t epoch)> start_epoch;
  std::function<Batch()> next;
};

/// Validation batches: `for_each(visit)` calls visit on every batch of the validation set.
struct ValidationSource {
  std::function<void(const std::function<void(const Batch&)>& visit)> for_each;
};

/// Trains one model.
///
/// Example:
///   auto net = osteon::nn::resnet18(osteon::nn::ResNetOptions().num_classes(2).in_channels(1));
///   osteon::train::Trainer trainer(net, [](const torch::Tensor& out, const torch::Tensor& y) {
///     return torch::nn::functional::cross_entropy(out, y); },
///     osteon::train::TrainerOptions().max_epochs(16).lr(2e-3).betas({0.5, 0.999})
///         .scheduler(osteon::train::Scheduler::cosine).val_metric("auc").output_dir("run"));
///   trainer.resume("run");                       // continues a killed run; false on a fresh one
///   auto result = trainer.fit({train_x, train_y}, osteon::train::TensorData{val_x, val_y});
class Trainer {
 public:
  Trainer(TrainModel model, LossFn loss, TrainerOptions options = {})
      : model_(std::move(model)), loss_(std::move(loss)), options_(std::move(options)), schedule_(options_) {
    validate_options(options_);
    OSTEON_CHECK_ARG(model_.forward && model_.parameters && model_.state_dict && model_.set_training,
                     "Trainer: the model must provide forward, parameters, state_dict and set_training");
    OSTEON_CHECK_ARG(static_cast<bool>(loss_), "Trainer: loss must be a function");
    if (options_.val_metric() != "loss") metric_by_name(options_.val_metric());  // throws on unknown names
    parameters_ = model_.parameters();
    OSTEON_CHECK_ARG(!parameters_.empty(), "Trainer: the model has no parameters");
    device_ = parameters_.front().device();
    OSTEON_CHECK_ARG(!options_.amp() || device_.is_cuda(), "Trainer: amp needs the model on a CUDA device, got ",
                     device_.str(), " (amp is off on the CPU)");
    optimizer_ = make_optimizer(parameters_, options_);
    if (options_.amp()) scaler_.emplace(device_);
    rng_ = Pcg32(options_.seed(), kPcgStream);
  }

  template <typename M, typename = std::enable_if_t<std::is_base_of_v<torch::nn::Module, M>>>
  Trainer(std::shared_ptr<M> module, LossFn loss, TrainerOptions options = {})
      : Trainer(make_model(std::move(module)), std::move(loss), std::move(options)) {}

  template <typename Impl>
  Trainer(const torch::nn::ModuleHolder<Impl>& module, LossFn loss, TrainerOptions options = {})
      : Trainer(make_model(module), std::move(loss), std::move(options)) {}

  /// Adds hooks (called in the order added; on every rank).
  void add_callbacks(Callbacks callbacks) { callbacks_.push_back(std::move(callbacks)); }

  /// Adds (or replaces) a validation metric; higher is better.
  void add_metric(const std::string& name, MetricFn metric) { extra_metrics_[name] = std::move(metric); }

  /// Validation metrics computed besides the loss and val_metric (e.g. {"auc", "accuracy"}).
  void set_val_metrics(std::vector<std::string> names) {
    for (const auto& name : names)
      if (name != "loss" && !extra_metrics_.count(name)) metric_by_name(name);
    val_metrics_ = std::move(names);
  }

  void set_augmentation(Augmentation augmentation) { augmentation_ = std::move(augmentation); }

  /// Data-parallel training: gradients all-reduced every step, rank 0 writes checkpoints and logs.
  void set_communicator(std::shared_ptr<Communicator> communicator) { communicator_ = std::move(communicator); }

  /// Ends fit() after the current epoch (from a callback).
  void request_stop() { stop_requested_ = true; }

  const TrainerOptions& options() const { return options_; }
  const std::vector<EpochRecord>& history() const { return history_; }
  std::int64_t epoch() const { return epoch_; }
  std::int64_t step() const { return step_; }
  Pcg32& rng() { return rng_; }
  torch::optim::Optimizer& optimizer() { return *optimizer_; }
  TrainModel& model() { return model_; }
  std::int64_t rank() const { return communicator_ ? communicator_->rank() : 0; }

  /// Trains from the current epoch (0, or the resumed one) to max_epochs, validating on
  /// `validation` every val_interval epochs when given.
  FitResult fit(const TensorData& train, const std::optional<TensorData>& validation = std::nullopt) {
    train.check("Trainer::fit", "train");
    if (validation) validation->check("Trainer::fit", "validation");
    // In-memory samples: this Trainer's sampler (seeded PCG32, groups kept per rank) and batches.
    auto batches = std::make_shared<std::vector<std::vector<std::int64_t>>>();
    auto cursor = std::make_shared<std::size_t>(0);
    BatchSource source;
    source.start_epoch = [this, &train, batches, cursor](std::int64_t) {
      const auto world = communicator_ ? communicator_->world_size() : 1;
      const auto samples = epoch_samples(train.size(), train.groups, options_.shuffle(), rng_, rank(), world);
      *batches = make_batches(samples, options_.batch_size(), options_.even_batches());
      *cursor = 0;
      return static_cast<std::int64_t>(batches->size());
    };
    source.next = [&train, batches, cursor] { return train.batch((*batches)[(*cursor)++]); };
    if (!validation) return fit(source, nullptr);
    const auto val = validation_source(*validation);
    return fit(source, &val);
  }

  /// Trains on batches from `train` (see BatchSource), validating on `validation` when not null.
  FitResult fit(const BatchSource& train, const ValidationSource* validation) {
    OSTEON_CHECK_ARG(train.start_epoch && train.next, "Trainer::fit: the batch source needs start_epoch and next");
    OSTEON_CHECK_ARG(validation || options_.val_metric() == "loss" || options_.early_stopping() == 0,
                     "Trainer::fit: val_metric '", options_.val_metric(), "' and early_stopping need validation data");
    if (epoch_ == 0 && !resumed_) start_fresh();
    ProgressReporter progress(rank() == 0 ? options_.progress() : Progress::none);
    FitResult result;
    bool stop = epoch_ >= options_.max_epochs() || (options_.early_stopping() > 0 &&
                                                     validations_since_best_ >= options_.early_stopping());
    while (!stop) {
      const auto start = std::chrono::steady_clock::now();
      const std::int64_t e = epoch_;  // 0-based epoch being trained
      EpochRecord record;
      record.epoch = e + 1;
      record.lr = schedule_.lr(e);
      set_lr(*optimizer_, record.lr);
      for (auto& c : callbacks_)
        if (c.on_epoch_begin) c.on_epoch_begin(record.epoch);
      train_epoch(train, record, progress);
      if (validation && (record.epoch % options_.val_interval() == 0 || record.epoch == options_.max_epochs())) {
        record.validated = true;
        record.val = validate(*validation);
        observe_validation(record);
        for (auto& c : callbacks_)
          if (c.on_validation_end) c.on_validation_end(record);
      }
      ++epoch_;
      record.step = step_;
      record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      history_.push_back(record);
      progress.epoch_end(record, options_.val_metric());
      write_outputs(record);
      for (auto& c : callbacks_)
        if (c.on_epoch_end) c.on_epoch_end(record);
      if (options_.early_stopping() > 0 && validations_since_best_ >= options_.early_stopping()) {
        result.stopped_early = true;
        stop = true;
      }
      if (stop_requested_ || epoch_ >= options_.max_epochs()) stop = true;
    }
    stop_requested_ = false;
    if (options_.restore_best() && best_epoch_ > 0) restore_best();
    result.history = history_;
    result.best_epoch = best_epoch_;
    result.best_value = best_epoch_ > 0 ? best_value_ : std::numeric_limits<double>::quiet_NaN();
    return result;
  }

  /// The validation loss and metrics of `data` (eval mode, no autograd, batches of batch_size).
  std::map<std::string, double> validate(const TensorData& data) {
    data.check("Trainer::validate", "data");
    return validate(validation_source(data));
  }

  /// The validation loss and metrics over every batch of `source` (outputs and targets of the whole
  /// set are kept on the model's device, then scored at once).
  std::map<std::string, double> validate(const ValidationSource& source) {
    torch::NoGradGuard no_grad;
    model_.set_training(false);
    std::vector<torch::Tensor> output_parts, target_parts;
    source.for_each([&](const Batch& batch) {
      AutocastScope autocast(options_.amp());
      output_parts.push_back(model_.forward(batch.inputs.to(device_)).to(torch::kFloat));
      target_parts.push_back(batch.targets.to(device_));
    });
    OSTEON_CHECK_ARG(!output_parts.empty(), "Trainer::validate: the validation data has no batch");
    const auto outputs = torch::cat(output_parts, 0);
    const auto targets = torch::cat(target_parts, 0);
    std::map<std::string, double> values;
    values["loss"] = loss_(outputs, targets).item<double>();
    std::vector<std::string> names = val_metrics_;
    if (options_.val_metric() != "loss" &&
        std::find(names.begin(), names.end(), options_.val_metric()) == names.end())
      names.push_back(options_.val_metric());
    for (const auto& name : names) {
      if (name == "loss") continue;
      const auto found = extra_metrics_.find(name);
      const auto metric = found != extra_metrics_.end() ? found->second : metric_by_name(name);
      values[name] = metric(outputs, targets).item<double>();
    }
    return values;
  }

  /// Writes a checkpoint of the current state to `path` (torch.save format, atomic).
  void save_checkpoint(const std::string& path) { write_checkpoint(path, checkpoint_state()); }

  /// Loads a checkpoint written by save_checkpoint / fit into this Trainer. Refuses (std::invalid_argument
  /// naming the file and the key; nothing loaded) a truncated file, another config or another model.
  void load_checkpoint(const std::string& path) {
    auto state = read_checkpoint(path);
    const auto difference = config_difference(state.config, config_text(options_));
    OSTEON_CHECK_ARG(difference.empty(), "load_checkpoint: '", path, "' was written by another config (key 'config.text'): ",
                     difference);
    check_same_model(path, state.model);
    try {
      auto probe = make_optimizer(parameters_, options_);
      load_optimizer_bytes(*probe, state.optimizer_archive);
    } catch (const std::exception& error) {
      throw std::invalid_argument(::osteon::detail::concat("load_checkpoint: '", path, "' key 'optimizer.archive' does "
                                                           "not fit this optimiser: ", first_line(error.what())));
    }
    // Everything is checked: now change the Trainer.
    copy_into_model(state.model);
    load_optimizer_bytes(*optimizer_, state.optimizer_archive);
    schedule_.load_state(state.scheduler_state);
    epoch_ = state.epoch;
    step_ = state.step;
    best_value_ = state.best_value;
    best_epoch_ = state.best_epoch;
    validations_since_best_ = state.validations_since_best;
    auto cpu_generator = at::detail::getDefaultCPUGenerator();
    cpu_generator.set_state(state.torch_cpu_rng);
    if (state.cuda_rng.defined() && torch::cuda::is_available()) {
      auto cuda_generator = at::globalContext().defaultGenerator(torch::Device(torch::kCUDA, 0));
      cuda_generator.set_state(state.cuda_rng);
    }
    rng_ = Pcg32::from_state(state.pcg_state, state.pcg_increment);
    history_ = std::move(state.history);
    resumed_ = true;
  }

  /// Continues a run: `path` is a checkpoint file, or a folder whose newest checkpoint_epoch*.pt is
  /// loaded. Returns false (and changes nothing) for a folder without checkpoints (a fresh run).
  bool resume(const std::string& path) {
    namespace fs = std::filesystem;
    if (fs::is_directory(path)) {
      const auto files = checkpoint_files(path);
      if (files.empty()) return false;
      load_checkpoint(files.back().string());
      return true;
    }
    OSTEON_CHECK_ARG(fs::exists(path), "Trainer::resume: path '", path, "' does not exist");
    load_checkpoint(path);
    return true;
  }

  /// The checkpoint_epoch*.pt files of `folder`, oldest first.
  static std::vector<std::filesystem::path> checkpoint_files(const std::string& folder) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    if (!fs::is_directory(folder)) return files;
    for (const auto& entry : fs::directory_iterator(folder)) {
      const auto name = entry.path().filename().string();
      if (name.rfind("checkpoint_epoch", 0) == 0 && entry.path().extension() == ".pt") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
  }

 private:
  static constexpr std::uint64_t kPcgStream = 0x747261696eULL;  // "train"

  static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

  // Copies `dict` (already checked to fit) into the model's own tensors, keeping their device.
  void copy_into_model(const io::StateDict& dict) {
    torch::NoGradGuard no_grad;
    auto own = model_.state_dict();
    for (auto& item : own) item.value().copy_(dict[item.key()]);
  }

  void check_same_model(const std::string& path, const io::StateDict& saved) {
    const auto own = model_.state_dict();
    for (const auto& item : own) {
      const auto* found = saved.find(item.key());
      OSTEON_CHECK_ARG(found != nullptr, "load_checkpoint: '", path, "' holds another model: it lacks key 'model.",
                       item.key(), "'");
      OSTEON_CHECK_ARG(found->sizes() == item.value().sizes(), "load_checkpoint: '", path,
                       "' holds another model: key 'model.", item.key(), "' has shape ", found->sizes(),
                       " in the file, ", item.value().sizes(), " in the model");
    }
    for (const auto& item : saved)
      OSTEON_CHECK_ARG(own.find(item.key()) != nullptr, "load_checkpoint: '", path,
                       "' holds another model: unexpected key 'model.", item.key(), "'");
  }

  void start_fresh() {
    torch::manual_seed(options_.seed());
    rng_ = Pcg32(options_.seed(), kPcgStream);
    if (communicator_ && communicator_->world_size() > 1) {
      // Every rank starts from rank 0's weights and buffers.
      std::vector<torch::Tensor> tensors;
      for (const auto& item : model_.state_dict()) tensors.push_back(item.value());
      torch::NoGradGuard no_grad;
      communicator_->broadcast(tensors, 0);
    }
  }

  ValidationSource validation_source(const TensorData& data) const {
    const auto batch_size = options_.batch_size();
    return {[&data, batch_size](const std::function<void(const Batch&)>& visit) {
      for (std::int64_t begin = 0; begin < data.size(); begin += batch_size) {
        const auto count = std::min(batch_size, data.size() - begin);
        visit({data.inputs.narrow(0, begin, count), data.targets.narrow(0, begin, count)});
      }
    }};
  }

  void train_epoch(const BatchSource& train, EpochRecord& record, ProgressReporter& progress) {
    const auto world = communicator_ ? communicator_->world_size() : 1;
    auto n_batches = train.start_epoch(record.epoch - 1);
    if (world > 1) {
      // Every rank must run the same number of steps (collectives pair up): the fewest any rank has.
      std::vector<torch::Tensor> count{torch::tensor({n_batches}, torch::kLong)};
      communicator_->all_reduce_min(count);
      n_batches = count[0].item<std::int64_t>();
    }
    progress.epoch_begin(record.epoch, options_.max_epochs(), n_batches);
    model_.set_training(true);
    optimizer_->zero_grad();
    double loss_sum = 0.0;
    double seen = 0.0;
    std::int64_t micro = 0;
    bool bad_in_step = false;
    for (std::int64_t b = 0; b < n_batches; ++b) {
      Batch batch = train.next();
      batch.inputs = batch.inputs.to(device_);
      batch.targets = batch.targets.to(device_);
      if (augmentation_) batch = augmentation_(std::move(batch), rng_);
      torch::Tensor loss;
      {
        AutocastScope autocast(options_.amp());
        loss = loss_(model_.forward(batch.inputs), batch.targets);
      }
      const double value = loss.item<double>();
      const bool finite = std::isfinite(value);
      if (!finite && options_.non_finite() == NonFinitePolicy::error && world == 1) non_finite_error(value, record, b, n_batches);
      if (finite) {
        auto scaled = loss.to(torch::kFloat) / static_cast<double>(options_.accumulate());
        if (scaler_) scaled = scaled * scaler_->scale();
        scaled.backward();
        const auto n = static_cast<double>(batch.inputs.size(0));
        loss_sum += value * n;
        seen += n;
      }
      bad_in_step = bad_in_step || !finite;
      ++micro;
      if (micro == options_.accumulate() || b + 1 == n_batches) {
        optimizer_step(bad_in_step, record, b, n_batches, value);
        micro = 0;
        bad_in_step = false;
      }
      const BatchEvent event{record.epoch, b + 1, n_batches, step_, value};
      progress.batch_end(b + 1, seen > 0 ? loss_sum / seen : value);
      for (auto& c : callbacks_)
        if (c.on_batch_end) c.on_batch_end(event);
    }
    if (world > 1) {
      std::vector<torch::Tensor> totals{torch::tensor({loss_sum, seen}, torch::kDouble)};
      communicator_->all_reduce_sum(totals);
      loss_sum = totals[0][0].item<double>();
      seen = totals[0][1].item<double>();
    }
    record.train_loss = seen > 0 ? loss_sum / seen : std::numeric_limits<double>::quiet_NaN();
  }

  [[noreturn]] void non_finite_error(double value, const EpochRecord& record, std::int64_t batch,
                                     std::int64_t batches) const {
    throw std::runtime_error(::osteon::detail::concat(
        "Trainer: the training loss is ", value, " at epoch ", record.epoch, ", step ", step_ + 1, " (batch ", batch + 1,
        " of ", batches, "); lower lr, set grad_clip, check the inputs, or choose non_finite(NonFinitePolicy::skip)"));
  }

  void optimizer_step(bool bad, EpochRecord& record, std::int64_t batch, std::int64_t batches, double value) {
    if (communicator_ && communicator_->world_size() > 1) {
      // One all-reduce per step: every gradient flattened into one buffer, plus the "bad" flag, so
      // that all ranks skip (or fail) together.
      std::vector<torch::Tensor> grads;
      for (auto& p : parameters_) {
        if (!p.requires_grad()) continue;
        if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
        grads.push_back(p.grad());
      }
      std::vector<torch::Tensor> pieces;
      for (const auto& g : grads) pieces.push_back(g.reshape({-1}).to(torch::kFloat));
      pieces.push_back(torch::full({1}, bad ? 1.0f : 0.0f, grads.front().options().dtype(torch::kFloat)));
      std::vector<torch::Tensor> flat{torch::cat(pieces)};
      communicator_->all_reduce_sum(flat);
      bad = flat[0][-1].item<float>() > 0.0f;
      flat[0].div_(static_cast<double>(communicator_->world_size()));
      torch::NoGradGuard no_grad;
      std::int64_t offset = 0;
      for (auto& g : grads) {
        g.copy_(flat[0].narrow(0, offset, g.numel()).view_as(g));
        offset += g.numel();
      }
      if (bad && options_.non_finite() == NonFinitePolicy::error) non_finite_error(value, record, batch, batches);
    }
    if (bad) {
      ++record.skipped_steps;
      optimizer_->zero_grad();
      return;
    }
    if (scaler_) {
      const bool finite = scaler_->unscale(parameters_);
      if (!finite) {  // the scale was too large: GradScaler skips the step and backs off
        scaler_->update();
        optimizer_->zero_grad();
        return;
      }
    }
    if (options_.grad_clip() > 0) torch::nn::utils::clip_grad_norm_(parameters_, options_.grad_clip());
    optimizer_->step();
    if (scaler_) scaler_->update();
    optimizer_->zero_grad();
    ++step_;
  }

  bool higher_is_better() const { return options_.val_metric() != "loss"; }

  void observe_validation(const EpochRecord& record) {
    const double value = record.val.at(options_.val_metric());
    schedule_.observe(value, higher_is_better());
    const bool better = best_epoch_ == 0 ||
                        (higher_is_better() ? value > best_value_ + options_.min_delta()
                                            : value < best_value_ - options_.min_delta());
    if (std::isfinite(value) && better) {
      best_value_ = value;
      best_epoch_ = record.epoch;
      validations_since_best_ = 0;
      best_state_.clear();
      for (const auto& item : model_.state_dict()) best_state_.insert(item.key(), item.value().detach().clone());
      best_improved_ = true;
    } else {
      ++validations_since_best_;
    }
  }

  void restore_best() {
    if (best_state_.is_empty() && !options_.output_dir().empty()) {
      const auto path = (std::filesystem::path(options_.output_dir()) / "best.pt").string();
      if (std::filesystem::exists(path)) best_state_ = read_checkpoint(path).model;
    }
    if (!best_state_.is_empty()) copy_into_model(best_state_);
  }

  CheckpointState checkpoint_state() {
    CheckpointState state;
    for (const auto& item : model_.state_dict()) state.model.insert(item.key(), item.value());
    state.optimizer_archive = optimizer_bytes(*optimizer_);
    state.scheduler_state = schedule_.state();
    state.epoch = epoch_;
    state.step = step_;
    state.best_value = best_value_;
    state.best_epoch = best_epoch_;
    state.validations_since_best = validations_since_best_;
    auto cpu_generator = at::detail::getDefaultCPUGenerator();
    state.torch_cpu_rng = cpu_generator.get_state();
    if (torch::cuda::is_available()) {
      auto cuda_generator = at::globalContext().defaultGenerator(torch::Device(torch::kCUDA, 0));
      state.cuda_rng = cuda_generator.get_state();
    }
    std::tie(state.pcg_state, state.pcg_increment) = rng_.raw_state();
    state.config = config_text(options_);
    state.history = history_;
    return state;
  }

  void write_outputs(const EpochRecord& record) {
    if (rank() != 0 || options_.output_dir().empty()) {
      best_improved_ = false;
      return;
    }
    namespace fs = std::filesystem;
    const fs::path dir(options_.output_dir());
    fs::create_directories(dir);
    write_metrics_log(history_, (dir / "metrics.csv").string(), (dir / "metrics.jsonl").string());
    const bool due = options_.checkpoint_interval() > 0 &&
                     (record.epoch % options_.checkpoint_interval() == 0 || record.epoch == options_.max_epochs());
    if (!due && !best_improved_) return;
    const auto state = checkpoint_state();
    if (best_improved_) write_checkpoint((dir / "best.pt").string(), state);
    best_improved_ = false;
    if (!due) return;
    char name[64];
    std::snprintf(name, sizeof(name), "checkpoint_epoch%04lld.pt", static_cast<long long>(record.epoch));
    write_checkpoint((dir / name).string(), state);
    auto files = checkpoint_files(dir.string());
    for (std::size_t i = 0; i + static_cast<std::size_t>(options_.keep_last()) < files.size(); ++i) {
      std::error_code ignored;
      fs::remove(files[i], ignored);
    }
  }

  TrainModel model_;
  LossFn loss_;
  TrainerOptions options_;
  LrSchedule schedule_;
  std::vector<torch::Tensor> parameters_;
  torch::Device device_{torch::kCPU};
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  std::optional<GradScaler> scaler_;
  Pcg32 rng_;
  std::vector<Callbacks> callbacks_;
  std::map<std::string, MetricFn> extra_metrics_;
  std::vector<std::string> val_metrics_;
  Augmentation augmentation_;
  std::shared_ptr<Communicator> communicator_;
  std::vector<EpochRecord> history_;
  io::StateDict best_state_;
  std::int64_t epoch_ = 0;
  std::int64_t step_ = 0;
  double best_value_ = 0.0;
  std::int64_t best_epoch_ = 0;
  std::int64_t validations_since_best_ = 0;
  bool best_improved_ = false;
  bool stop_requested_ = false;
  bool resumed_ = false;
};

}  // namespace osteon::train
