// Google Benchmark: V-Net (3-D, MONAI's default configuration, 1 → 2 channels) and UNet (2-D,
// channels 16..256, strides 2, two residual units, 1 → 2 channels) forward + backward in
// training mode, contiguous and channels-last; items/s are voxels (pixels) per second.
// bench/volnet_vs_monai.py runs this beside MONAI's Python VNet / UNet on the same libtorch.
//
// Sizes come from the environment, so that the default run stays short:
//   OSTEON_BENCH_VNET="batch,size"   (default "1,32": a (1, 1, 32, 32, 32) volume)
//   OSTEON_BENCH_UNET="batch,size"   (default "8,128": a (8, 1, 128, 128) image)
//   OSTEON_BENCH_THREADS=n           (default 2: intra-op threads of LibTorch)
#include <osteon/nn/networks/unet.hpp>
#include <osteon/nn/networks/vnet.hpp>

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

namespace {

std::pair<int64_t, int64_t> batch_and_size(const char* variable, int64_t batch, int64_t size) {
  if (const char* text = std::getenv(variable)) {
    const std::string value(text);
    const auto comma = value.find(',');
    batch = std::stoll(value.substr(0, comma));
    size = std::stoll(value.substr(comma + 1));
  }
  return {batch, size};
}

// One untimed step first (oneDNN primitive creation, allocator warm-up), then timed steps.
template <typename Net>
void forward_backward(benchmark::State& state, Net& net, torch::Tensor input) {
  const bool channels_last = state.range(0) != 0;
  const auto format = input.dim() == 5 ? torch::MemoryFormat::ChannelsLast3d
                                       : torch::MemoryFormat::ChannelsLast;
  if (channels_last) {
    torch::NoGradGuard no_grad;
    for (auto& parameter : net->parameters()) {
      if (parameter.dim() == input.dim()) parameter.set_data(parameter.contiguous(format));
    }
    input = input.contiguous(format);
  }
  net->train();
  auto step = [&] {
    net->zero_grad();
    auto output = net->forward(input);
    output.square().mean().backward();
    return output;
  };
  step();
  for (auto _ : state) benchmark::DoNotOptimize(step().data_ptr());
  state.SetItemsProcessed(state.iterations() * input.numel());
  state.SetLabel(channels_last ? "channels_last" : "contiguous");
}

void BM_vnet3d_forward_backward(benchmark::State& state) {
  const auto [batch, size] = batch_and_size("OSTEON_BENCH_VNET", 1, 32);
  torch::manual_seed(0);
  osteon::nn::VNet net(osteon::nn::VNetOptions().spatial_dims(3).in_channels(1).out_channels(2));
  forward_backward(state, net, torch::randn({batch, 1, size, size, size}));
}

void BM_unet2d_forward_backward(benchmark::State& state) {
  const auto [batch, size] = batch_and_size("OSTEON_BENCH_UNET", 8, 128);
  torch::manual_seed(0);
  osteon::nn::UNet net(
      osteon::nn::UNetOptions(2, 1, 2, {16, 32, 64, 128, 256}, {2, 2, 2, 2}).num_res_units(2));
  forward_backward(state, net, torch::randn({batch, 1, size, size}));
}

}  // namespace

BENCHMARK(BM_vnet3d_forward_backward)->Arg(0)->Arg(1)->Iterations(2)->UseRealTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_unet2d_forward_backward)->Arg(0)->Arg(1)->Iterations(3)->UseRealTime()->Unit(benchmark::kSecond);

int main(int argc, char** argv) {
  const char* threads = std::getenv("OSTEON_BENCH_THREADS");
  torch::set_num_threads(threads ? std::atoi(threads) : 2);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
