// Google Benchmark: AUC and paired DeLong on the host, beside a plain std::sort of the same scores
// (the floor for any O(n log n) AUC). bench/roc_vs_anchors.py runs this with pROC and sklearn.
#include <osteon/core/rng.hpp>
#include <osteon/metrics/roc/delong.hpp>
#include <osteon/metrics/roc/roc.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

struct Cohort {
  std::vector<int> labels;
  std::vector<double> score_a, score_b;  // two correlated predictors
};

// Cases get a shifted latent score; both predictors share the latent part (r ≈ 0.5).
const Cohort& cohort(std::int64_t n) {
  static std::vector<std::pair<std::int64_t, Cohort>> cache;
  for (const auto& [size, data] : cache)
    if (size == n) return data;
  osteon::Pcg32 rng(2024);
  auto gaussian = [&] {  // Box–Muller on our portable uniform draws
    const double u = rng.uniform01(), v = rng.uniform01();
    return std::sqrt(-2.0 * std::log1p(-u)) * std::cos(6.283185307179586 * v);
  };
  Cohort c;
  for (std::int64_t i = 0; i < n; ++i) {
    const int label = rng.uniform01() < 0.3;
    const double latent = gaussian() + label;
    c.labels.push_back(label);
    c.score_a.push_back(latent + gaussian());
    c.score_b.push_back(latent + 1.5 * gaussian());
  }
  cache.emplace_back(n, std::move(c));
  return cache.back().second;
}

void BM_std_sort(benchmark::State& state) {
  const auto& c = cohort(state.range(0));
  for (auto _ : state) {
    std::vector<double> copy = c.score_a;
    std::sort(copy.begin(), copy.end());
    benchmark::DoNotOptimize(copy.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_roc_auc(benchmark::State& state) {
  const auto& c = cohort(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(osteon::metrics::roc_auc(c.labels, c.score_a));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_delong_test_paired(benchmark::State& state) {
  const auto& c = cohort(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(osteon::metrics::delong_test(c.labels, c.score_a, c.score_b));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

}  // namespace

BENCHMARK(BM_std_sort)->RangeMultiplier(10)->Range(1000, 10000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_roc_auc)->RangeMultiplier(10)->Range(1000, 10000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_delong_test_paired)->RangeMultiplier(10)->Range(1000, 10000000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
