// Splitters on a large cohort: 1e6 samples in 1e5 groups (1–19 samples each), 3 classes.
// bench/split_vs_sklearn.py runs sklearn's StratifiedGroupKFold beside us on the same data.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "osteon/core/rng.hpp"
#include "osteon/split.hpp"

namespace {

struct Cohort {
  std::vector<int> y;
  std::vector<std::int64_t> groups;
};

// Group sizes 1..19 (mean 10) until n samples; classes 60 / 30 / 10 %, one label per group.
const Cohort& cohort(std::int64_t n_samples) {
  static Cohort data;
  if (static_cast<std::int64_t>(data.y.size()) == n_samples) return data;
  data = Cohort{};
  osteon::Pcg32 rng(12345);
  for (std::int64_t group = 0; static_cast<std::int64_t>(data.y.size()) < n_samples; ++group) {
    const double u = rng.uniform01();
    const int label = u < 0.6 ? 0 : (u < 0.9 ? 1 : 2);
    const auto size = 1 + static_cast<std::int64_t>(rng.uniform_below(19));
    for (std::int64_t s = 0; s < size && static_cast<std::int64_t>(data.y.size()) < n_samples; ++s) {
      data.y.push_back(label);
      data.groups.push_back(group * 2654435761 % 1000000007);
    }
  }
  return data;
}

void BM_StratifiedGroupKFold(benchmark::State& state) {
  const auto& data = cohort(state.range(0));
  for (auto _ : state) {
    auto folds = osteon::split::stratified_kfold(data.y, 5, data.groups, osteon::split::SplitOptions().seed(1));
    benchmark::DoNotOptimize(folds.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_StratifiedGroupKFold)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_StratifiedGroupHoldout(benchmark::State& state) {
  const auto& data = cohort(state.range(0));
  for (auto _ : state) {
    auto split = osteon::split::stratified_holdout(data.y, data.groups, 0.25, osteon::split::SplitOptions().seed(1));
    benchmark::DoNotOptimize(split.test.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_StratifiedGroupHoldout)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_CheckNoLeakage(benchmark::State& state) {
  const auto& data = cohort(state.range(0));
  const auto folds = osteon::split::stratified_kfold(data.y, 5, data.groups);
  for (auto _ : state) osteon::split::check_no_leakage(folds, data.groups);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CheckNoLeakage)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
