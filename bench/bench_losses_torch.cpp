// Forward + backward time of osteon's losses in C++ (LibTorch, the threads torch starts with).
// The side-by-side ratio against MONAI on the same tensors is bench/losses_vs_monai.py.
#include <benchmark/benchmark.h>

#include <torch/torch.h>

#include "osteon/losses.hpp"

namespace {

namespace L = osteon::losses;
namespace F = osteon::losses::functional;

// One forward + backward of `loss` on logits `shape` with class-index targets.
template <typename Loss>
void run_forward_backward(benchmark::State& state, std::vector<int64_t> shape, Loss loss) {
  torch::manual_seed(0);
  const auto logits = torch::randn(shape).requires_grad_(true);
  auto label_shape = shape;
  label_shape[1] = 1;
  const auto labels = torch::randint(0, shape[1], label_shape);
  for (auto _ : state) {
    logits.mutable_grad() = torch::Tensor();
    auto value = loss(logits, labels);
    value.backward();
    benchmark::DoNotOptimize(logits.grad().data_ptr());
  }
  state.SetItemsProcessed(state.iterations() * logits.numel());
}

void BM_DiceCE_2x4_cube(benchmark::State& state) {
  const int64_t side = state.range(0);
  run_forward_backward(state, {2, 4, side, side, side}, [](const torch::Tensor& x, const torch::Tensor& y) {
    return F::dice_ce_loss(x, y, L::DiceCELossOptions().softmax(true).to_onehot_y(true));
  });
}
BENCHMARK(BM_DiceCE_2x4_cube)->Arg(32)->Arg(64)->Unit(benchmark::kMillisecond);
// The size, 2 x 4 x 128^3: a few iterations only.
BENCHMARK(BM_DiceCE_2x4_cube)->Arg(128)->Iterations(3)->Unit(benchmark::kMillisecond);

void BM_Dice_2x4_cube(benchmark::State& state) {
  const int64_t side = state.range(0);
  run_forward_backward(state, {2, 4, side, side, side}, [](const torch::Tensor& x, const torch::Tensor& y) {
    return F::dice_loss(x, y, L::DiceLossOptions().softmax(true).to_onehot_y(true));
  });
}
BENCHMARK(BM_Dice_2x4_cube)->Arg(64)->Unit(benchmark::kMillisecond);

void BM_Focal_64x2(benchmark::State& state) {
  const bool softmax = state.range(0) != 0;
  run_forward_backward(state, {64, 2}, [softmax](const torch::Tensor& x, const torch::Tensor& y) {
    return F::focal_loss(x, y, L::FocalLossOptions().use_softmax(softmax).to_onehot_y(true));
  });
}
BENCHMARK(BM_Focal_64x2)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_CEFocal_64x2(benchmark::State& state) {
  run_forward_backward(state, {64, 2}, [](const torch::Tensor& x, const torch::Tensor& y) {
    return F::ce_focal_loss(x, y, L::CEFocalLossOptions().alpha(torch::tensor(0.25)));
  });
}
BENCHMARK(BM_CEFocal_64x2)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
