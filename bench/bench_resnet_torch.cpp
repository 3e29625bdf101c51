// ResNet-50 forward + backward in C++ (osteon::nn::resnet50), batch 8, 3 x 224 x 224, two threads,
// contiguous and channels_last. Reports images per second. The side-by-side comparison with
// torchvision on the same libtorch is bench/resnet_vs_torchvision.py.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "osteon/nn/networks/resnet.hpp"

namespace {

void resnet50_train_step(benchmark::State& state) {
  torch::set_num_threads(2);
  torch::manual_seed(0);
  const bool channels_last = state.range(0) != 0;
  const int64_t batch = 8;
  auto model = osteon::nn::resnet50();
  auto x = torch::randn({batch, 3, 224, 224});
  if (channels_last) {
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters())
      if (p.dim() == 4) p.set_data(p.data().contiguous(torch::MemoryFormat::ChannelsLast));
    x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  }
  for (auto _ : state) {
    model->zero_grad();
    model->forward(x).sum().backward();
  }
  state.counters["images_per_second"] =
      benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(channels_last ? "channels_last" : "contiguous");
}

}  // namespace

BENCHMARK(resnet50_train_step)->Arg(0)->Arg(1)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
