// Segmentation metrics on a batch of 4 two-class n³ volumes (one-hot float, as a network's
// thresholded output): Dice, HD95 and the exact distance transform, CPU, torch's thread setting.
// The side-by-side comparison with MONAI is bench/segmentation_vs_monai.py.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "osteon/metrics/segmentation/distance_transform.hpp"
#include "osteon/metrics/segmentation/overlap.hpp"
#include "osteon/metrics/segmentation/surface_distance.hpp"

namespace {

namespace om = osteon::metrics;

/// (4, 2, n, n, n) one-hot: an ellipsoid per sample, and the prediction the same ellipsoid
/// shifted by one or two voxels and slightly larger.
std::pair<torch::Tensor, torch::Tensor> volumes(int64_t n) {
  const auto axis = torch::arange(n, torch::kDouble);
  const auto grid = torch::meshgrid({axis, axis, axis}, "ij");
  std::vector<torch::Tensor> predictions, targets;
  for (int64_t b = 0; b < 4; ++b) {
    const double c = n / 2.0 + (b - 1.5) * 2.0, r = n * (0.22 + 0.02 * b);
    const auto radius = [&](double shift) {
      return ((grid[0] - c - shift).square() / (r * r) + (grid[1] - c).square() / (0.8 * r * r) +
              (grid[2] - c + shift).square() / (1.2 * r * r)).sqrt();
    };
    const auto truth = radius(0).lt(1.0).to(torch::kFloat);
    const auto guess = radius(1.0 + b % 2).lt(1.04).to(torch::kFloat);
    targets.push_back(torch::stack({1 - truth, truth}));
    predictions.push_back(torch::stack({1 - guess, guess}));
  }
  return {torch::stack(predictions), torch::stack(targets)};
}

void BM_Dice(benchmark::State& state) {
  const auto [prediction, target] = volumes(state.range(0));
  const auto options = om::SegmentationOptions().include_background(false);
  for (auto _ : state) benchmark::DoNotOptimize(om::dice(prediction, target, options));
}

void BM_Hausdorff95(benchmark::State& state) {
  const auto [prediction, target] = volumes(state.range(0));
  const auto options = om::SegmentationOptions().include_background(false).spacing({0.8, 0.8, 1.25});
  for (auto _ : state) benchmark::DoNotOptimize(om::hausdorff95(prediction, target, options));
}

void BM_DistanceTransform(benchmark::State& state) {
  const auto [prediction, target] = volumes(state.range(0));
  const auto mask = target.select(1, 1).select(0, 0).to(torch::kBool);
  const auto surface = om::detail::surface_voxels(mask, 3).logical_not();  // zeros = the surface
  const auto options = om::DistanceTransformOptions().spacing({0.8, 0.8, 1.25});
  for (auto _ : state) benchmark::DoNotOptimize(om::distance_transform_edt(surface, options));
}

}  // namespace

BENCHMARK(BM_Dice)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Hausdorff95)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DistanceTransform)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
