// Host statistics and classification metrics at study-sized and large n (torch-free).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "osteon/core/rng.hpp"
#include "osteon/metrics/classification/binary_report.hpp"
#include "osteon/metrics/classification/multiclass.hpp"
#include "osteon/metrics/roc/partial_auc.hpp"
#include "osteon/metrics/classification/thresholds.hpp"
#include "osteon/stats.hpp"

namespace {

struct BinaryData {
  std::vector<int> y;
  std::vector<double> score;
};

BinaryData binary_data(std::size_t n) {
  osteon::Pcg32 rng(11);
  BinaryData d;
  for (std::size_t i = 0; i < n; ++i) {
    const int label = static_cast<int>(rng.uniform_below(2));
    d.y.push_back(label);
    d.score.push_back(rng.uniform01() + 0.4 * label);
  }
  return d;
}

osteon::metrics::ClassScores probabilities(std::size_t n, std::size_t k, std::vector<int>& y) {
  osteon::Pcg32 rng(12);
  osteon::metrics::ClassScores p{std::vector<double>(n * k), n, k};
  y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = static_cast<int>(i % k);
    double sum = 0.0;
    for (std::size_t c = 0; c < k; ++c) sum += p.values[i * k + c] = rng.uniform01() + (c == static_cast<std::size_t>(y[i]));
    for (std::size_t c = 0; c < k; ++c) p.values[i * k + c] /= sum;
  }
  return p;
}

void BM_binary_report(benchmark::State& state) {
  const auto d = binary_data(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(osteon::metrics::binary_report(d.y, d.score, 0.7));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_binary_report)->Arg(432)->Arg(100000);

void BM_youden_threshold(benchmark::State& state) {
  const auto d = binary_data(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(osteon::metrics::youden_threshold(d.y, d.score));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_youden_threshold)->Arg(432)->Arg(100000);

void BM_partial_auc(benchmark::State& state) {
  const auto d = binary_data(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(osteon::metrics::partial_auc(d.y, d.score, 0.8, 1.0));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_partial_auc)->Arg(432)->Arg(100000);

void BM_multiclass_auc_ovr(benchmark::State& state) {
  std::vector<int> y;
  const auto p = probabilities(static_cast<std::size_t>(state.range(0)), 3, y);
  for (auto _ : state) benchmark::DoNotOptimize(osteon::metrics::multiclass_auc(y, p));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_multiclass_auc_ovr)->Arg(300)->Arg(100000);

void BM_multiclass_auc_ovo(benchmark::State& state) {
  std::vector<int> y;
  const auto p = probabilities(static_cast<std::size_t>(state.range(0)), 3, y);
  for (auto _ : state)
    benchmark::DoNotOptimize(osteon::metrics::multiclass_auc(y, p, osteon::metrics::MulticlassStrategy::OneVsOne));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_multiclass_auc_ovo)->Arg(300)->Arg(100000);

void BM_per_class_delong_test(benchmark::State& state) {
  std::vector<int> y;
  const auto a = probabilities(static_cast<std::size_t>(state.range(0)), 3, y);
  auto b = a;
  for (double& v : b.values) v = v * 0.9 + 0.1 / 3.0;
  for (auto _ : state) benchmark::DoNotOptimize(osteon::metrics::per_class_delong_test(y, a, b));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_per_class_delong_test)->Arg(300)->Arg(100000);

void BM_wilcoxon_signed_rank(benchmark::State& state) {
  const auto d = binary_data(static_cast<std::size_t>(state.range(0)));
  std::vector<double> other(d.score.rbegin(), d.score.rend());
  for (auto _ : state) benchmark::DoNotOptimize(osteon::stats::wilcoxon_signed_rank(d.score, other));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_wilcoxon_signed_rank)->Arg(40)->Arg(100000);

void BM_linear_regression(benchmark::State& state) {
  const auto d = binary_data(static_cast<std::size_t>(state.range(0)));
  std::vector<double> x(d.y.begin(), d.y.end());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += 0.001 * static_cast<double>(i);
  for (auto _ : state) benchmark::DoNotOptimize(osteon::stats::linear_regression(x, d.score));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_linear_regression)->Arg(100)->Arg(1000000);

}  // namespace

BENCHMARK_MAIN();
