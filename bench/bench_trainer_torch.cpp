// Trainer overhead per step against a bare libtorch loop on the same model and batches (goal
// ≤ 2 %). Both run in this process, alternating epoch by epoch; the ratio of their medians is
// printed. The bare loop does what any hand-written loop does: seeded shuffle, index_select,
// forward, loss, loss.item() (for the log), backward, step.
//
//   bench_trainer_torch [--rounds R] [--threads T] [--size S] [--samples N]
#include <osteon/train/trainer.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace ot = osteon::train;

struct NetImpl : torch::nn::Module {
  NetImpl() {
    c1 = register_module("c1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 3).padding(1)));
    b1 = register_module("b1", torch::nn::BatchNorm2d(16));
    c2 = register_module("c2", torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 32, 3).stride(2).padding(1)));
    fc = register_module("fc", torch::nn::Linear(32, 2));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto h = torch::relu(b1->forward(c1->forward(x)));
    h = torch::relu(c2->forward(h));
    return fc->forward(h.mean({2, 3}));
  }
  torch::nn::Conv2d c1{nullptr}, c2{nullptr};
  torch::nn::BatchNorm2d b1{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(Net);

int main(int argc, char** argv) {
  int rounds = 9, threads = 1;
  std::int64_t size = 32, samples = 512;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--rounds") rounds = std::stoi(argv[i + 1]);
    else if (flag == "--threads") threads = std::stoi(argv[i + 1]);
    else if (flag == "--size") size = std::stoll(argv[i + 1]);
    else if (flag == "--samples") samples = std::stoll(argv[i + 1]);
  }
  torch::set_num_threads(threads);
  torch::manual_seed(0);
  const auto labels = torch::randint(0, 2, {samples}, torch::kLong);
  const ot::TensorData data{torch::randn({samples, 1, size, size}), labels};
  const auto options = ot::TrainerOptions().max_epochs(1).lr(2e-3).betas({0.5, 0.999}).batch_size(16).seed(1)
                           .progress(ot::Progress::none);
  const auto loss = [](const torch::Tensor& out, const torch::Tensor& y) { return torch::nn::functional::cross_entropy(out, y); };
  using Clock = std::chrono::steady_clock;
  std::vector<double> bare_s, trainer_s, ratios;
  for (int round = 0; round < rounds + 1; ++round) {  // round 0 warms up both
    torch::manual_seed(3);
    Net bare_net;
    torch::manual_seed(3);
    Net trainer_net;
    auto t0 = Clock::now();
    {
      auto optimizer = ot::make_optimizer(bare_net->parameters(), options);
      osteon::Pcg32 rng(1, 7);
      bare_net->train();
      double total = 0;
      for (const auto& rows : ot::make_batches(ot::epoch_samples(samples, {}, true, rng), 16, false)) {
        const auto batch = data.batch(rows);
        optimizer->zero_grad();
        auto l = loss(bare_net->forward(batch.inputs), batch.targets);
        total += l.item<double>();
        l.backward();
        optimizer->step();
      }
      if (total == -1) std::printf("unreachable\n");
    }
    auto t1 = Clock::now();
    ot::Trainer(trainer_net, loss, options).fit(data);
    auto t2 = Clock::now();
    if (round == 0) continue;
    bare_s.push_back(std::chrono::duration<double>(t1 - t0).count());
    trainer_s.push_back(std::chrono::duration<double>(t2 - t1).count());
    ratios.push_back(trainer_s.back() / bare_s.back());
  }
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double steps = static_cast<double>((samples + 15) / 16);
  std::printf("trainer overhead: %d rounds, %lld samples %lldx%lld, batch 16, %d thread(s)\n", rounds,
              static_cast<long long>(samples), static_cast<long long>(size), static_cast<long long>(size), threads);
  std::printf("  bare libtorch loop  %.2f ms/step (median epoch %.3f s)\n", 1e3 * median(bare_s) / steps, median(bare_s));
  std::printf("  osteon Trainer      %.2f ms/step (median epoch %.3f s)\n", 1e3 * median(trainer_s) / steps,
              median(trainer_s));
  std::printf("  Trainer / bare: median of per-round ratios %.4f (overhead %+.2f %%)\n", median(ratios),
              100.0 * (median(ratios) - 1.0));
  return 0;
}
