#pragma once
/// @file
/// Targets of the losses: a dense (B, C, spatial...) tensor (one-hot, per-channel binary or soft
/// labels) or a label map of class indices, (B, 1, spatial...) as MONAI writes it or
/// (B, spatial...) as torch's cross_entropy does. Label maps become one-hot on the prediction's
/// device; nothing here reads tensor values on the host unless they are already there.

#include <optional>

#include <torch/torch.h>

#include "osteon/core/check.hpp"

namespace osteon::losses {

namespace detail {

/// Throws (RuntimeError in Python) naming the first class index that `counts` (undefined = all)
/// and lies outside [0, n_classes). Reads `indices` on the host.
inline void check_class_indices(const torch::Tensor& indices, const torch::Tensor& counts,
                                int64_t n_classes, const char* fn) {
  auto out_of_range = (indices < 0) | (indices >= n_classes);
  if (counts.defined()) out_of_range &= counts;
  if (out_of_range.any().item<bool>()) {
    TORCH_CHECK(false, fn, ": target holds class index ",
                indices.masked_select(out_of_range)[0].item<int64_t>(), ", outside [0, ",
                n_classes, ") for a prediction with ", n_classes, " channels");
  }
}

/// Whether a label map has entries equal to `ignore_index` that must be masked. For a tensor in
/// host memory it also checks the class indices (one min/max pass in the common all-valid case)
/// and answers from the data; a device tensor is not read, so the answer is "maybe" whenever an
/// ignore_index is given.
inline bool needs_ignore_mask(const torch::Tensor& labels, int64_t n_classes,
                              std::optional<int64_t> ignore_index, const char* fn) {
  if (!labels.device().is_cpu()) return ignore_index.has_value();
  if (labels.numel() == 0) return false;
  const auto [low, high] = torch::aminmax(labels);
  // Host 0-d int64 results: read directly (item() is a dispatched op, which counts here).
  const int64_t lowest = *low.data_ptr<int64_t>();
  const int64_t highest = *high.data_ptr<int64_t>();
  if (lowest >= 0 && highest < n_classes) {
    return ignore_index && *ignore_index >= lowest && *ignore_index <= highest;
  }
  const auto counts = ignore_index ? labels != *ignore_index : torch::Tensor();
  check_class_indices(labels, counts, n_classes, fn);
  return true;
}

}  // namespace detail

/// Checks that every class index in `labels` other than `ignore_index` lies in [0, n_classes),
/// else throws (RuntimeError in Python) naming the first offending value. It reads the values on
/// the host, so for a CUDA tensor it synchronises: the losses call it on their own only for
/// tensors in host memory (on a GPU an out-of-range index trips the one-hot scatter's device
/// assertion instead, as in torch's cross_entropy). Call it yourself in a data pipeline if you
/// want the named error on the GPU too.
///
/// Example:
///   osteon::losses::check_label_map(labels, /*n_classes=*/4);            // throws for a 7
inline void check_label_map(const torch::Tensor& labels, int64_t n_classes,
                            int64_t ignore_index = -100, const char* fn = "check_label_map") {
  const auto indices = labels.to(torch::kLong);
  detail::check_class_indices(indices, indices != ignore_index, n_classes, fn);
}

namespace detail {

/// A target made dense, with the positions that count.
struct DenseTarget {
  torch::Tensor values;   ///< (B, C, spatial...) in the prediction's dtype.
  torch::Tensor labels;   ///< (B, 1, spatial...) int64 class indices (ignored ones set to 0),
                          ///< defined only when the target was a label map.
  torch::Tensor counted;  ///< 0/1 mask broadcastable to `values` of what counts; undefined = all.
};

/// How ignore_index applies: to the class indices of a label map only, or also elementwise to a
/// dense 0/1 target (sigmoid losses, where each entry is its own binary label).
enum class IgnoreIn { LabelMaps, LabelMapsAndDense };

/// `target` in the (B, C or 1, spatial...) layout of `prediction`, and whether it is a label map.
struct TargetLayout {
  torch::Tensor target;  ///< (B, C, spatial...) dense or (B, 1, spatial...) class indices.
  bool is_label_map;
};

/// Checks the values of a host-memory target (device tensors are not read: no synchronisation).
/// A label map in a floating dtype must hold whole, finite class indices (0.5 would be truncated
/// to class 0 silently); a dense target (one-hot, per-channel binary or soft labels) must lie in
/// [0, 1], apart from entries equal to `dense_ignore` where the loss ignores dense entries.
inline void check_target_values(const torch::Tensor& target, bool is_label_map, const char* fn,
                                std::optional<int64_t> dense_ignore) {
  if (!target.device().is_cpu() || target.numel() == 0 || target.scalar_type() == torch::kBool) return;
  if (is_label_map) {
    if (!target.is_floating_point()) return;  // class indices are range-checked where they are used
    const auto bad = (target != target.trunc()) | torch::isinf(target);
    if (bad.any().item<bool>()) {
      TORCH_CHECK(false, fn, ": target is a label map (class indices) of dtype ", target.scalar_type(),
                  " holding the non-integer value ", target.masked_select(bad)[0].item<double>(),
                  "; class indices must be whole numbers (a dense target has the input's C channels)");
    }
    return;
  }
  const auto values = dense_ignore ? target.masked_fill(target == *dense_ignore, 0) : target;
  const auto bad = target.is_floating_point() ? ((values < 0) | (values > 1) | torch::isnan(values))
                                              : ((values < 0) | (values > 1));
  if (bad.any().item<bool>()) {
    TORCH_CHECK(false, fn, ": dense target (one-hot, binary or soft labels) must lie in [0, 1], got ",
                values.masked_select(bad)[0].item<double>(),
                "; pass class indices as a label map [B, 1, ...] or [B, ...] instead");
  }
}

/// Checks `target` against `prediction` (see the file comment for the accepted layouts).
/// `to_onehot_y` (MONAI's flag) insists on a label map. With C == 1 a (B, spatial...) or
/// (B, 1, spatial...) target is the dense binary target. Both must be on one device (nothing is
/// moved silently), the input floating point and the target real; a host-memory target's values
/// are checked (check_target_values; `dense_ignore` as there).
inline TargetLayout target_layout(const torch::Tensor& prediction, const torch::Tensor& target,
                                  const char* fn, bool to_onehot_y = false,
                                  std::optional<int64_t> dense_ignore = std::nullopt) {
  TORCH_CHECK(prediction.defined() && target.defined(), fn, ": input and target must be defined tensors");
  TORCH_CHECK(prediction.device() == target.device(), fn, ": target is on device ", target.device(),
              " but input on ", prediction.device(), "; move it first (target.to(input.device()))");
  TORCH_CHECK(prediction.is_floating_point(), fn, ": input must be floating point (logits or ",
              "probabilities), got dtype ", prediction.scalar_type());
  TORCH_CHECK(!target.is_complex(), fn, ": target must be real, got dtype ", target.scalar_type());
  TORCH_CHECK(prediction.dim() >= 2, fn, ": input must be (B, C, spatial...) with at least 2 ",
              "dimensions, got shape ", prediction.sizes());
  const int64_t n_channels = prediction.size(1);
  const auto layout_error = [&] {
    return c10::str(fn, ": target shape ", target.sizes(), " does not fit input shape ",
                    prediction.sizes(), "; expected [B, C, ...] (dense), [B, 1, ...] or [B, ...] ",
                    "(class indices)");
  };
  auto shaped = target.dim() == prediction.dim() - 1 ? target.unsqueeze(1) : target;
  TORCH_CHECK(shaped.dim() == prediction.dim() && shaped.size(0) == prediction.size(0) &&
                  shaped.sizes().slice(2) == prediction.sizes().slice(2),
              layout_error());
  const bool is_label_map = shaped.size(1) == 1 && n_channels > 1;
  TORCH_CHECK(is_label_map || shaped.size(1) == n_channels, layout_error());
  TORCH_CHECK(!to_onehot_y || is_label_map || n_channels == 1, fn,
              ": to_onehot_y=true needs a label map [B, 1, ...] or [B, ...], got target shape ",
              shaped.sizes(), " for input shape ", prediction.sizes());
  check_target_values(shaped, is_label_map, fn, dense_ignore);
  return {shaped, is_label_map};
}

/// Brings `target` to the dense layout of `prediction` (one-hot on the prediction's device for
/// a label map); see target_layout for the accepted layouts.
inline DenseTarget dense_target(const torch::Tensor& prediction, const torch::Tensor& target,
                                const char* fn, bool to_onehot_y = false,
                                std::optional<int64_t> ignore_index = std::nullopt,
                                IgnoreIn ignore_in = IgnoreIn::LabelMaps) {
  const auto [shaped, is_label_map] = target_layout(
      prediction, target, fn, to_onehot_y,
      ignore_in == IgnoreIn::LabelMapsAndDense ? ignore_index : std::nullopt);
  const int64_t n_channels = prediction.size(1);
  DenseTarget dense;
  if (!is_label_map) {
    dense.values = shaped.to(prediction.scalar_type());
    if (ignore_index && ignore_in == IgnoreIn::LabelMapsAndDense) {
      const auto ignored = shaped == *ignore_index;
      // A host-memory target is read to skip the mask when nothing is ignored.
      if (!shaped.device().is_cpu() || ignored.any().item<bool>()) {
        dense.counted = ignored.logical_not();
        dense.values = dense.values.masked_fill(ignored, 0);
      }
    }
    return dense;
  }
  auto labels = shaped.to(torch::kLong);
  if (needs_ignore_mask(labels, n_channels, ignore_index, fn)) {
    dense.counted = labels != *ignore_index;
    labels = labels.masked_fill(dense.counted.logical_not(), 0);
  }
  dense.values = torch::zeros_like(prediction).scatter_(1, labels, 1);
  dense.labels = labels;
  return dense;
}

/// A per-channel vector (class weights, alpha) as an (n) tensor in `like`'s dtype and device.
/// A 0-d tensor is repeated; a 1-d one must have exactly n entries.
inline torch::Tensor per_channel(const torch::Tensor& values, int64_t n, const torch::Tensor& like,
                                 const char* fn, const char* name) {
  TORCH_CHECK(values.dim() == 0 || (values.dim() == 1 && values.size(0) == n), fn, ": ", name,
              " must be a scalar or have one entry per channel of the loss (", n,
              "), got shape ", values.sizes());
  return values.to(like.options()).expand({n});
}

/// Throws std::invalid_argument when a host tensor of per-channel values leaves [low, high]
/// (or is not finite). Device tensors are not read (no synchronisation).
inline void check_range_on_host(const torch::Tensor& values, double low, double high,
                                const char* fn, const char* name) {
  if (!values.defined() || !values.device().is_cpu() || values.numel() == 0) return;
  const auto as_double = values.to(torch::kDouble).contiguous().reshape(-1);  // strided views too
  const auto* data = as_double.data_ptr<double>();
  for (int64_t i = 0; i < as_double.numel(); ++i) {
    OSTEON_CHECK_ARG(data[i] >= low && data[i] <= high, fn, ": ", name, " must lie in [", low,
                     ", ", high, "], got ", data[i], " at index ", i);
  }
}

/// (B, C, ...) → (B, C - 1, ...): the background channel 0 left out.
inline torch::Tensor without_background(const torch::Tensor& tensor) { return tensor.slice(1, 1); }

}  // namespace detail
}  // namespace osteon::losses
