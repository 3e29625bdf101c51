// libFuzzer target: ROC / AUC / DeLong / partial AUC / threshold metrics on arbitrary doubles and
// labels. Finite results must stay in range (AUC in [0, 1], variance >= 0, p in [0, 1]).
#include <cmath>

#include "fuzz_support.hpp"
#include "osteon/metrics/host.hpp"

namespace om = osteon::metrics;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  osteon::fuzz::Bytes bytes(data, size);
  const std::size_t n = bytes.byte() % 64;
  const auto y = bytes.labels(n);
  const auto a = bytes.numbers(n + (bytes.byte() == 255));  // sometimes one longer
  const auto b = bytes.numbers(n);
  const double threshold = bytes.number();
  const auto direction = bytes.byte() & 1 ? om::Direction::CasesHigher : om::Direction::CasesLower;
  using osteon::fuzz::expect_result_or_invalid_argument;
  expect_result_or_invalid_argument([&] {
    const double auc = om::roc_auc(y, a, direction);
    if (!(auc >= 0.0 && auc <= 1.0)) std::abort();
  });
  expect_result_or_invalid_argument([&] { om::roc_curve(y, a); });
  expect_result_or_invalid_argument([&] {
    const double variance = om::auc_variance(y, a, direction);
    if (!(variance >= 0.0) && !std::isnan(variance)) std::abort();
  });
  expect_result_or_invalid_argument([&] { om::auc_ci(y, a, 0.95); });
  expect_result_or_invalid_argument([&] {
    const auto test = om::delong_test(y, a, b, direction);
    if (std::isfinite(test.p_value) && !(test.p_value >= 0.0 && test.p_value <= 1.0)) std::abort();
  });
  expect_result_or_invalid_argument([&] { om::delong_test_unpaired(y, a, y, b); });
  expect_result_or_invalid_argument([&] { om::binary_report(y, a, threshold); });
  expect_result_or_invalid_argument([&] { om::youden_threshold(y, a); });
  expect_result_or_invalid_argument([&] { om::partial_auc(y, a, 0.8, 1.0); });
  return 0;
}
