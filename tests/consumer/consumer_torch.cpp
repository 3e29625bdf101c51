#include <osteon/osteon.hpp>

#include <cstdio>

int main() {
  const auto labels = torch::tensor({0, 0, 1, 1});
  const auto scores = torch::tensor({0.1, 0.4, 0.35, 0.8}, torch::kFloat64);
  const double auc = osteon::metrics::roc_auc(labels, scores).item<double>();
  std::printf("auc=%.17g\n", auc);
  return auc == 0.75 ? 0 : 1;
}
