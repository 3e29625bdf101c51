#pragma once
/// @file
/// Overlap and volume metrics of segmentations, per sample and per class, from confusion counts
/// computed on the tensors' device. Counts are exact integers (int64) and each metric divides
/// once, in double:
///   Dice = 2TP / (2TP + FP + FN)       (Dice 1945; Sørensen 1948)
///   IoU  = TP / (TP + FP + FN)         (Jaccard 1912)
///   sensitivity = TP / (TP + FN), specificity = TN / (TN + FP), precision = TP / (TP + FP)
///   volume = (number of foreground voxels) × (product of the spacing)
///   volume difference = V_pred − V_target, relative volume difference = (V_pred − V_target) / V_target
/// What 0/0 becomes is the EmptyPolicy of SegmentationOptions (input.hpp,
/// docs/segmentation.md). No host synchronisation and no copy of the volumes: CPU inputs are
/// counted in one pass over their memory, other devices with tensor ops.

#include <torch/torch.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "osteon/metrics/segmentation/cpu_masks.hpp"
#include "osteon/metrics/segmentation/input.hpp"

namespace osteon::metrics {

/// Per-sample, per-class voxel confusion counts: each a (B, C) int64 tensor on the input's device
/// (the host classification counterpart is ConfusionCounts in binary_report.hpp).
struct VoxelCounts {
  torch::Tensor true_positives;
  torch::Tensor false_positives;
  torch::Tensor false_negatives;
  torch::Tensor true_negatives;
};

namespace detail {

/// Confusion counts of two CPU inputs read straight from their memory (cpu_masks.hpp): each row
/// once, in chunks that stay in the L1 cache, thresholded (or taken as they are, for boolean and
/// 0/1 integer masks) and counted in integers in the same pass, the input checks on the way. No
/// boolean tensor is built and nothing is converted. Returns false where host_mask_input does not
/// apply (label maps, argmax, half precision, other devices): the tensor paths then run.
inline bool host_confusion_counts(const torch::Tensor& prediction, const torch::Tensor& target,
                                  const SegmentationOptions& options, VoxelCounts& counts) {
  if (!prediction.device().is_cpu() || !target.device().is_cpu() || prediction.sizes() != target.sizes()) {
    return false;
  }
  HostMaskInput pred, truth;
  if (!host_mask_input(prediction, options, pred) || !host_mask_input(target, options, truth)) return false;
  const int64_t batch = prediction.size(0), channels = pred.channels, rows = batch * channels;
  int64_t voxels = 1;
  for (int64_t d = 2; d < prediction.dim(); ++d) voxels *= prediction.size(d);
  auto true_positives = torch::empty({batch, channels}, torch::kLong);
  auto predicted = torch::empty_like(true_positives), actual = torch::empty_like(true_positives);
  int64_t* tp = true_positives.data_ptr<int64_t>();
  int64_t* n_pred = predicted.data_ptr<int64_t>();
  int64_t* n_true = actual.data_ptr<int64_t>();
  std::vector<uint8_t> broken(static_cast<size_t>(2 * rows), 0);  // per row: prediction, target
  const double threshold = options.threshold();
  at::parallel_for(0, rows, 1, [&](int64_t begin, int64_t end) {
    constexpr int64_t kChunk = 4096;  // two chunks of bytes stay in L1
    std::vector<uint8_t> a(kChunk), b(kChunk);
    for (int64_t r = begin; r < end; ++r) {
      int64_t both = 0, in_pred = 0, in_true = 0;
      bool bad_pred = false, bad_true = false;
      for (int64_t start = 0; start < voxels; start += kChunk) {
        const int64_t n = std::min(kChunk, voxels - start);
        bad_pred |= pred.read_mask(r, start, n, threshold, a.data());
        bad_true |= truth.read_mask(r, start, n, threshold, b.data());
        uint32_t chunk_both = 0, chunk_pred = 0, chunk_true = 0;
        for (int64_t i = 0; i < n; ++i) {
          chunk_both += a[i] & b[i];
          chunk_pred += a[i];
          chunk_true += b[i];
        }
        both += chunk_both;
        in_pred += chunk_pred;
        in_true += chunk_true;
      }
      tp[r] = both;
      n_pred[r] = in_pred;
      n_true[r] = in_true;
      broken[static_cast<size_t>(2 * r)] = bad_pred;
      broken[static_cast<size_t>(2 * r + 1)] = bad_true;
    }
  });
  for (int64_t side = 0; side < 2; ++side) {  // the prediction's message first, as foreground() gives it
    for (int64_t r = 0; r < rows; ++r) {
      const char* name = side == 0 ? "prediction" : "target";
      TORCH_CHECK(!broken[static_cast<size_t>(2 * r + side)],
                  broken_mask_message(side == 0 ? pred : truth, "voxel_confusion_counts", name));
    }
  }
  counts.true_positives = true_positives;
  counts.false_positives = predicted - true_positives;
  counts.false_negatives = actual - true_positives;
  counts.true_negatives = voxels - predicted - counts.false_negatives;
  return true;
}

/// Confusion counts of two thresholded float32/float64 inputs of equal shape on another device,
/// in floating point: (x − threshold).sign().clamp(0) is exactly [x > threshold], and sums of 0/1
/// values below 2^24 are exact in float32. Returns false when it does not apply.
inline bool floating_confusion_counts(const torch::Tensor& prediction, const torch::Tensor& target,
                                      const SegmentationOptions& options, VoxelCounts& counts) {
  const auto is_float = [](const torch::Tensor& x) {
    return x.scalar_type() == torch::kFloat || x.scalar_type() == torch::kDouble;
  };
  if (!is_float(prediction) || !is_float(target) || prediction.sizes() != target.sizes() || prediction.dim() < 3 ||
      prediction.device() != target.device() || (options.argmax() && prediction.size(1) > 1)) {
    return false;
  }
  const int64_t first = options.include_background() ? 0 : 1, channels = prediction.size(1) - first;
  const int64_t batch = prediction.size(0);
  if (channels < 1 || batch == 0 || prediction.numel() / (batch * prediction.size(1)) >= (int64_t(1) << 24)) {
    return false;
  }
  const auto indicator = [&](const torch::Tensor& x, const char* name) {
    const auto used = x.narrow(1, first, channels);
    check_no_nan(used, "voxel_confusion_counts", name);
    return (used - options.threshold()).sign_().clamp_min_(0).reshape({batch, channels, -1});
  };
  const auto pred = indicator(prediction, "prediction"), truth = indicator(target, "target");
  const auto total = [](const torch::Tensor& x) { return x.sum(-1).to(torch::kLong); };
  const int64_t voxels = pred.size(2);
  counts.true_positives = total(pred * truth);
  const auto predicted = total(pred), actual = total(truth);
  counts.false_positives = predicted - counts.true_positives;
  counts.false_negatives = actual - counts.true_positives;
  counts.true_negatives = voxels - predicted - counts.false_negatives;
  return true;
}

}  // namespace detail

/// Confusion counts of prediction against target (both (B, C, spatial...) or label maps, see
/// SegmentationOptions).
///
/// Example:
///   auto counts = osteon::metrics::voxel_confusion_counts(prediction, target,
///                                                        SegmentationOptions().num_classes(3));
///   // counts.true_positives is (B, 3), int64
inline VoxelCounts voxel_confusion_counts(const torch::Tensor& prediction,
                                          const torch::Tensor& target,
                                          const SegmentationOptions& options = {}) {
  VoxelCounts counts;
  detail::check_segmentation_options(options, "voxel_confusion_counts");
  if (detail::host_confusion_counts(prediction, target, options, counts)) return counts;
  if (detail::floating_confusion_counts(prediction, target, options, counts)) return counts;
  const auto masks = detail::mask_pair(prediction, target, options, "voxel_confusion_counts");
  const auto& pred = masks.prediction;
  const auto& truth = masks.target;
  counts.true_positives = detail::count_true(pred.logical_and(truth));
  const auto predicted = detail::count_true(pred), actual = detail::count_true(truth);
  const int64_t voxels = pred.numel() / std::max<int64_t>(pred.size(0) * pred.size(1), 1);
  counts.false_positives = predicted - counts.true_positives;
  counts.false_negatives = actual - counts.true_positives;
  counts.true_negatives = voxels - predicted - counts.false_negatives;
  return counts;
}

/// Deprecated in 0.2 (the name collided with the classification `confusion_counts` of
/// binary_report.hpp): use voxel_confusion_counts.
[[deprecated("use osteon::metrics::voxel_confusion_counts")]] inline VoxelCounts confusion_counts(
    const torch::Tensor& prediction, const torch::Tensor& target,
    const SegmentationOptions& options = {}) {
  return voxel_confusion_counts(prediction, target, options);
}

/// Dice 2TP / (2TP + FP + FN) from counts; 0/0 (both masks empty) follows `empty`.
inline torch::Tensor dice_from_counts(const VoxelCounts& c, EmptyPolicy empty = EmptyPolicy::Nan) {
  const auto target_empty = (c.true_positives + c.false_negatives).eq(0);
  return detail::policy_ratio(2 * c.true_positives, 2 * c.true_positives + c.false_positives + c.false_negatives,
                              empty, 1.0, target_empty);
}

/// IoU (Jaccard) TP / (TP + FP + FN) from counts; 0/0 follows `empty`.
inline torch::Tensor iou_from_counts(const VoxelCounts& c, EmptyPolicy empty = EmptyPolicy::Nan) {
  const auto target_empty = (c.true_positives + c.false_negatives).eq(0);
  return detail::policy_ratio(c.true_positives, c.true_positives + c.false_positives + c.false_negatives, empty,
                              1.0, target_empty);
}

/// Sensitivity (recall) TP / (TP + FN); undefined (0/0) whenever the target is empty.
inline torch::Tensor sensitivity_from_counts(const VoxelCounts& c, EmptyPolicy empty = EmptyPolicy::Nan) {
  const auto actual = c.true_positives + c.false_negatives;
  return detail::policy_ratio(c.true_positives, actual, empty, 1.0, actual.eq(0));
}

/// Specificity TN / (TN + FP); undefined only when the target fills the whole image. An empty
/// target leaves it defined, so nan_when_target_empty does not apply.
inline torch::Tensor specificity_from_counts(const VoxelCounts& c, EmptyPolicy empty = EmptyPolicy::Nan) {
  return detail::policy_ratio(c.true_negatives, c.true_negatives + c.false_positives, empty, 1.0, torch::Tensor());
}

/// Precision (positive predictive value) TP / (TP + FP); undefined when the prediction is empty.
inline torch::Tensor precision_from_counts(const VoxelCounts& c, EmptyPolicy empty = EmptyPolicy::Nan) {
  const auto target_empty = (c.true_positives + c.false_negatives).eq(0);
  return detail::policy_ratio(c.true_positives, c.true_positives + c.false_positives, empty, 1.0, target_empty);
}

/// Dice per sample and class, (B, C) float64 on the input's device.
///
/// Example:
///   auto target = torch::zeros({1, 1, 4, 4}, torch::kBool);
///   target.index_put_({0, 0, torch::indexing::Slice(0, 2)}, true);        // 8 voxels
///   auto prediction = torch::zeros_like(target);
///   prediction.index_put_({0, 0, torch::indexing::Slice(1, 3)}, true);    // 8 voxels, 4 shared
///   auto d = osteon::metrics::dice(prediction, target);                   // [[0.5]]
inline torch::Tensor dice(const torch::Tensor& prediction, const torch::Tensor& target,
                          const SegmentationOptions& options = {}) {
  return dice_from_counts(voxel_confusion_counts(prediction, target, options), options.empty());
}

/// IoU (Jaccard index) per sample and class, (B, C) float64. Example: `iou(prediction, target)`.
inline torch::Tensor iou(const torch::Tensor& prediction, const torch::Tensor& target,
                         const SegmentationOptions& options = {}) {
  return iou_from_counts(voxel_confusion_counts(prediction, target, options), options.empty());
}

/// Sensitivity per sample and class, (B, C) float64. Example: `sensitivity(prediction, target)`.
inline torch::Tensor sensitivity(const torch::Tensor& prediction, const torch::Tensor& target,
                                 const SegmentationOptions& options = {}) {
  return sensitivity_from_counts(voxel_confusion_counts(prediction, target, options), options.empty());
}

/// Specificity per sample and class, (B, C) float64. Example: `specificity(prediction, target)`.
inline torch::Tensor specificity(const torch::Tensor& prediction, const torch::Tensor& target,
                                 const SegmentationOptions& options = {}) {
  return specificity_from_counts(voxel_confusion_counts(prediction, target, options), options.empty());
}

/// Precision per sample and class, (B, C) float64. Example: `precision(prediction, target)`.
inline torch::Tensor precision(const torch::Tensor& prediction, const torch::Tensor& target,
                               const SegmentationOptions& options = {}) {
  return precision_from_counts(voxel_confusion_counts(prediction, target, options), options.empty());
}

/// Volume of each mask: foreground voxel count × voxel volume (product of `spacing`), (B, C) float64.
/// Takes one input (prediction or target) and the same options as the other metrics.
///
/// Example:
///   auto ml = osteon::metrics::volume(mask, SegmentationOptions().spacing({0.5, 0.5, 1.0})) / 1000.0;
inline torch::Tensor volume(const torch::Tensor& mask, const SegmentationOptions& options = {}) {
  const auto fg = detail::foreground(mask, options, "volume", "mask");
  double voxel_volume = 1.0;
  for (double s : detail::spacing_for(options, fg.dim() - 2, "volume")) voxel_volume *= s;
  return detail::count_true(fg).to(torch::kDouble) * voxel_volume;
}

/// Every overlap and volume metric of one prediction/target pair, from one pass over the voxels.
struct SegmentationReport {
  VoxelCounts counts;
  torch::Tensor dice, iou, sensitivity, specificity, precision;  ///< (B, C) float64
  torch::Tensor volume_prediction, volume_target;                 ///< count × voxel volume
  torch::Tensor volume_difference;            ///< V_pred − V_target (signed)
  torch::Tensor absolute_volume_difference;   ///< |V_pred − V_target|
  /// (V_pred − V_target) / V_target: +inf for false positives on an empty target, 0/0 → policy.
  torch::Tensor relative_volume_difference;
};

/// All overlap and volume metrics at once (the counts are computed once).
///
/// Example:
///   auto r = osteon::metrics::segmentation_report(logits.softmax(1), labels,
///       SegmentationOptions().num_classes(2).argmax(true).include_background(false)
///                            .spacing({0.74, 0.74, 1.0}));
///   // r.dice, r.sensitivity, r.specificity, r.volume_prediction ... each (B, 1)
inline SegmentationReport segmentation_report(const torch::Tensor& prediction, const torch::Tensor& target,
                                              const SegmentationOptions& options = {}) {
  SegmentationReport r;
  r.counts = voxel_confusion_counts(prediction, target, options);
  const auto& c = r.counts;
  const auto empty = options.empty();
  r.dice = dice_from_counts(c, empty);
  r.iou = iou_from_counts(c, empty);
  r.sensitivity = sensitivity_from_counts(c, empty);
  r.specificity = specificity_from_counts(c, empty);
  r.precision = precision_from_counts(c, empty);
  double voxel_volume = 1.0;
  for (double s : detail::spacing_for(options, prediction.dim() - 2, "segmentation_report")) voxel_volume *= s;
  const auto predicted = (c.true_positives + c.false_positives).to(torch::kDouble);
  const auto actual = (c.true_positives + c.false_negatives).to(torch::kDouble);
  r.volume_prediction = predicted * voxel_volume;
  r.volume_target = actual * voxel_volume;
  r.volume_difference = r.volume_prediction - r.volume_target;
  r.absolute_volume_difference = r.volume_difference.abs();
  // Relative to the target volume; the best value of a difference is 0.
  r.relative_volume_difference = detail::policy_ratio(predicted - actual, actual, empty, 0.0, actual.eq(0));
  return r;
}

}  // namespace osteon::metrics
