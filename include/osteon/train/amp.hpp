#pragma once
/// @file
/// Mixed precision on CUDA for the Trainer: an autocast scope and a dynamic loss scaler with
/// torch.cuda.amp.GradScaler's rule (scale 2¹⁶, ×2 after 2000 finite steps, ×0.5 and skip the step
/// on an inf / NaN gradient), built on the ATen ops GradScaler itself calls
/// (_amp_foreach_non_finite_check_and_unscale_, _amp_update_scale_), which libtorch 1.13 and 2.x
/// both ship. The autocast switch moved in torch 2.4 (set_autocast_enabled(device, on)); the guard
/// below picks the call of the torch it is compiled against.
/// Untested on a GPU in osteon's CI (no CUDA device there): the CPU path never enables it.

#include <ATen/autocast_mode.h>
#include <torch/types.h>
#include <torch/version.h>

#include <vector>

namespace osteon::train {

/// RAII: CUDA autocast on inside the scope when `enabled`.
class AutocastScope {
 public:
  explicit AutocastScope(bool enabled) : enabled_(enabled) {
    if (enabled_) set(true);
  }
  ~AutocastScope() {
    if (!enabled_) return;
    set(false);
    at::autocast::clear_cache();
  }
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  static void set(bool on) {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(at::kCUDA, on);
#else
    at::autocast::set_enabled(on);
#endif
  }
  bool enabled_;
};

/// Dynamic loss scaling (Micikevicius et al. 2018, "Mixed Precision Training"), GradScaler's defaults.
///
/// Example:
///   osteon::train::GradScaler scaler(device);
///   (loss * scaler.scale()).backward();
///   if (scaler.unscale(params)) optimizer->step();   // false: an inf / NaN gradient, step skipped
///   scaler.update();
class GradScaler {
 public:
  explicit GradScaler(const torch::Device& device)
      : scale_(torch::full({1}, 65536.0, torch::dtype(torch::kFloat).device(device))),
        growth_tracker_(torch::zeros({1}, torch::dtype(torch::kInt).device(device))),
        found_inf_(torch::zeros({1}, torch::dtype(torch::kFloat).device(device))) {}

  const torch::Tensor& scale() const { return scale_; }

  /// Divides the gradients by the scale in place; true if they are all finite. Synchronises.
  bool unscale(const std::vector<torch::Tensor>& parameters) {
    found_inf_.zero_();
    std::vector<torch::Tensor> grads;
    for (const auto& p : parameters)
      if (p.grad().defined()) grads.push_back(p.grad());
    if (!grads.empty()) at::_amp_foreach_non_finite_check_and_unscale_(grads, found_inf_, scale_.reciprocal());
    return found_inf_.item<float>() == 0.0f;
  }

  /// Grows or backs off the scale after a step (GradScaler.update).
  void update() { at::_amp_update_scale_(scale_, growth_tracker_, found_inf_, 2.0, 0.5, 2000); }

 private:
  torch::Tensor scale_, growth_tracker_, found_inf_;
};

}  // namespace osteon::train
