#pragma once
/// @file
/// NaN-aware reduction of (B, C) metric tensors on their device. NaN marks an undefined value
/// (an empty-mask case under EmptyPolicy::Nan) and is left out and counted; a class whose every
/// value is NaN stays NaN — unlike MONAI's do_metric_reduction, which reports it as 0.
/// ±inf values (one-sided empty surfaces) are kept: the mean of a column with a missed
/// structure is +inf, as it should be.

#include <torch/torch.h>

#include <limits>
#include <string>

namespace osteon::metrics {

/// Which axes of a (B, C) metric tensor to reduce.
enum class MetricReduction {
  None, Mean, Sum, MeanBatch, SumBatch, MeanChannel, SumChannel,
  // Deprecated in 0.2 (enumerators are PascalCase); removed in 0.3.
  none [[deprecated("use MetricReduction::None")]] = None,
  mean [[deprecated("use MetricReduction::Mean")]] = Mean,
  sum [[deprecated("use MetricReduction::Sum")]] = Sum,
  mean_batch [[deprecated("use MetricReduction::MeanBatch")]] = MeanBatch,
  sum_batch [[deprecated("use MetricReduction::SumBatch")]] = SumBatch,
  mean_channel [[deprecated("use MetricReduction::MeanChannel")]] = MeanChannel,
  sum_channel [[deprecated("use MetricReduction::SumChannel")]] = SumChannel,
};

/// The 0.1 name of MetricReduction (renamed so that `Reduction` means only the losses' torch reduction).
using Reduction [[deprecated("use osteon::metrics::MetricReduction")]] = MetricReduction;

/// Parses "none", "mean", "sum", "mean_batch", "sum_batch", "mean_channel", "sum_channel"
/// (MONAI's names; "mean" here is one mean over all defined entries, not MONAI's mean of
/// per-sample means).
///
/// Example:
///   auto how = osteon::metrics::parse_reduction("mean_batch");
inline MetricReduction parse_reduction(const std::string& name) {
  if (name == "none") return MetricReduction::None;
  if (name == "mean") return MetricReduction::Mean;
  if (name == "sum") return MetricReduction::Sum;
  if (name == "mean_batch") return MetricReduction::MeanBatch;
  if (name == "sum_batch") return MetricReduction::SumBatch;
  if (name == "mean_channel") return MetricReduction::MeanChannel;
  if (name == "sum_channel") return MetricReduction::SumChannel;
  TORCH_CHECK(false, "reduction must be one of none, mean, sum, mean_batch, sum_batch, mean_channel, sum_channel; "
              "got '", name, "'");
  return MetricReduction::None;  // unreachable
}

/// A reduced metric with the number of values behind it.
struct ReducedMetric {
  torch::Tensor value;    ///< reduced metric (NaN where nothing was defined)
  torch::Tensor n_valid;  ///< number of non-NaN values reduced, int64
  torch::Tensor n_nan;    ///< number of NaN values left out, int64
};

/// NaN-aware reduction of a (B, C) metric tensor (B = samples, C = classes).
///
/// Example:
///   auto per_class = osteon::metrics::reduce_metric(dice_bc, osteon::metrics::MetricReduction::MeanBatch);
///   // per_class.value is (C); a class empty in every sample is NaN with n_valid 0
inline ReducedMetric reduce_metric(const torch::Tensor& scores, MetricReduction reduction) {
  TORCH_CHECK(scores.dim() == 2 && scores.is_floating_point(), "reduce_metric: scores must be a floating (B, C) "
              "tensor, got ", scores.scalar_type(), " of shape ", scores.sizes());
  const auto valid = scores.isnan().logical_not();
  std::vector<int64_t> dims;
  bool mean = true;
  switch (reduction) {
    case MetricReduction::None: return {scores, valid.to(torch::kLong), valid.logical_not().to(torch::kLong)};
    case MetricReduction::Mean: dims = {0, 1}; break;
    case MetricReduction::Sum: dims = {0, 1}; mean = false; break;
    case MetricReduction::MeanBatch: dims = {0}; break;
    case MetricReduction::SumBatch: dims = {0}; mean = false; break;
    case MetricReduction::MeanChannel: dims = {1}; break;
    case MetricReduction::SumChannel: dims = {1}; mean = false; break;
  }
  ReducedMetric out;
  out.n_valid = valid.sum(dims, false, torch::kLong);
  out.n_nan = valid.logical_not().sum(dims, false, torch::kLong);
  const auto total = scores.masked_fill(valid.logical_not(), 0.0).sum(dims);
  out.value = (mean ? total / out.n_valid.to(scores.scalar_type()) : total)
                  .masked_fill(out.n_valid.eq(0), std::numeric_limits<double>::quiet_NaN());
  return out;
}

}  // namespace osteon::metrics
