// Uses the torch-free half only: must compile without LibTorch headers.
#include <osteon/metrics/roc/roc.hpp>

#include <cstdio>
#include <vector>

int main() {
  const std::vector<int> labels{0, 0, 1, 1};
  const std::vector<double> scores{0.1, 0.4, 0.35, 0.8};
  const double auc = osteon::metrics::roc_auc(labels, scores);
  std::printf("auc=%.17g\n", auc);
  return auc == 0.75 ? 0 : 1;  // sklearn's roc_auc_score gives exactly 0.75 here
}
