#pragma once
/// @file
/// Training progress on stderr: on a terminal, one bar redrawn in place (epoch / step, ETA, running
/// loss, last validation metric); otherwise (CI, logs, a pipe) one plain line per epoch. Torch-free.

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "osteon/train/metrics_log.hpp"
#include "osteon/train/options.hpp"

namespace osteon::train {

/// Draws the progress of a run.
///
/// Example:
///   osteon::train::ProgressReporter progress(osteon::train::Progress::lines);
///   progress.epoch_begin(1, 10, 25);
///   progress.batch_end(1, 0.69);
///   progress.epoch_end(record, "auc");   // "epoch 1/10  step 25  lr 1.00e-03  loss 0.6931  val_auc 0.712  (3.1 s)"
class ProgressReporter {
 public:
  explicit ProgressReporter(Progress mode, std::FILE* out = stderr) : out_(out) {
    if (mode == Progress::automatic) mode = ::isatty(::fileno(out)) ? Progress::bar : Progress::lines;
    mode_ = mode;
  }

  Progress mode() const { return mode_; }

  void epoch_begin(std::int64_t epoch, std::int64_t max_epochs, std::int64_t batches) {
    epoch_ = epoch;
    max_epochs_ = max_epochs;
    batches_ = batches;
    epoch_start_ = Clock::now();
    if (epoch == 1 || run_start_ == Clock::time_point{}) {
      run_start_ = epoch_start_;
      first_epoch_ = epoch;
    }
  }

  void batch_end(std::int64_t batch, double running_loss) {
    if (mode_ != Progress::bar) return;
    const auto now = Clock::now();
    if (batch != batches_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const double elapsed = seconds(epoch_start_, now);
    const double per_batch = elapsed / static_cast<double>(batch);
    const double eta = per_batch * static_cast<double>(batches_ - batch) +
                       per_batch * static_cast<double>(batches_) * static_cast<double>(max_epochs_ - epoch_);
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(kWidth * batch / std::max<std::int64_t>(1, batches_));
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(out_, "\r\033[Kepoch %lld/%lld [%s] %lld/%lld  loss %.4f%s  ETA %s", static_cast<long long>(epoch_),
                 static_cast<long long>(max_epochs_), bar.c_str(), static_cast<long long>(batch),
                 static_cast<long long>(batches_), running_loss, last_val_.c_str(), clock_text(eta).c_str());
    std::fflush(out_);
  }

  void epoch_end(const EpochRecord& record, const std::string& val_metric) {
    if (record.validated) {
      const auto found = record.val.find(val_metric);
      if (found != record.val.end()) {
        char text[64];
        std::snprintf(text, sizeof(text), "  val_%s %.4f", val_metric.c_str(), found->second);
        last_val_ = text;
      }
    }
    if (mode_ == Progress::none) return;
    if (mode_ == Progress::bar) std::fprintf(out_, "\r\033[K");
    std::string val;
    for (const auto& [name, value] : record.val) {
      char text[64];
      std::snprintf(text, sizeof(text), "  val_%s %.4f", name.c_str(), value);
      val += text;
    }
    std::fprintf(out_, "epoch %lld/%lld  step %lld  lr %.2e  loss %.4f%s  (%.1f s)\n",
                 static_cast<long long>(record.epoch), static_cast<long long>(max_epochs_),
                 static_cast<long long>(record.step), record.lr, record.train_loss, val.c_str(), record.seconds);
    std::fflush(out_);
  }

 private:
  using Clock = std::chrono::steady_clock;
  static double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }
  static std::string clock_text(double s) {
    if (!std::isfinite(s) || s < 0) return "?";
    const auto total = static_cast<long long>(s + 0.5);
    char text[32];
    std::snprintf(text, sizeof(text), "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
    return text;
  }

  std::FILE* out_;
  Progress mode_ = Progress::lines;
  std::int64_t epoch_ = 0, max_epochs_ = 0, batches_ = 0, first_epoch_ = 1;
  Clock::time_point run_start_{}, epoch_start_{}, last_draw_{};
  std::string last_val_;
};

}  // namespace osteon::train
