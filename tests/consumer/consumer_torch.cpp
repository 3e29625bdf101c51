// The README's C++ tour, compiled against the installed package and run.
#include <osteon/osteon.hpp>

#include <cstdio>
#include <vector>

namespace om = osteon::metrics;

int main() {
  const std::vector<int> labels{0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1};
  const std::vector<double> scores_a{0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.3, 0.9, 0.6, 0.5, 0.15, 0.65};
  const std::vector<double> scores_b{0.2, 0.3, 0.45, 0.6, 0.4, 0.5, 0.1, 0.7, 0.8, 0.6, 0.3, 0.55};
  const std::vector<int> hip_ids{0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9};

  om::AucCi ci = om::auc_ci(labels, scores_a);                        // DeLong 95 % CI
  om::DelongTest test = om::delong_test(labels, scores_a, scores_b);  // paired
  auto folds = osteon::split::stratified_kfold(labels, 3, hip_ids);   // group-safe, seeded
  auto model = osteon::nn::resnet50(osteon::nn::ResNetOptions().num_classes(2).in_channels(1));

  model->eval();  // batch norm in training mode needs more than one value per channel
  const auto logits = model->forward(torch::randn({1, 1, 64, 64}));
  const auto device_auc = om::roc_auc(torch::tensor({0, 0, 1, 1}), torch::tensor({0.1, 0.4, 0.35, 0.8}));
  std::printf("auc=%.4f [%.4f, %.4f] z=%.4f folds=%zu logits=%lld\n", ci.auc, ci.ci_low, ci.ci_high,
              test.statistic, folds.size(), static_cast<long long>(logits.size(1)));
  const bool ok = folds.size() == 3 && logits.size(1) == 2 && device_auc.item<double>() == 0.75 &&
                  ci.ci_low <= ci.auc && ci.auc <= ci.ci_high;
  return ok ? 0 : 1;
}
