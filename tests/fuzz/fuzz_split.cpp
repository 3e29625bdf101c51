// libFuzzer target: the splitters on arbitrary labels, groups, fold counts and test sizes. Every
// split returned must pass check_no_leakage and cover each sample once.
#include "fuzz_support.hpp"
#include "osteon/split.hpp"

namespace split = osteon::split;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  osteon::fuzz::Bytes bytes(data, size);
  const std::size_t n = bytes.byte() % 80;
  std::vector<double> y;
  std::vector<std::int64_t> groups;
  for (std::size_t i = 0; i < n && !bytes.empty(); ++i) {
    const std::uint8_t b = bytes.byte();
    y.push_back(b < 250 ? static_cast<double>(b % 3) : bytes.number());
    groups.push_back(static_cast<std::int64_t>(bytes.byte() % 24) - (bytes.byte() == 255 ? 1000 : 0));
  }
  if (bytes.byte() == 7 && !groups.empty()) groups.pop_back();  // a length mismatch now and then
  const auto n_splits = static_cast<std::int64_t>(static_cast<std::int8_t>(bytes.byte()));
  const double test_size = bytes.number();
  const auto options = split::SplitOptions().seed(bytes.byte() * 977u + bytes.byte());
  using osteon::fuzz::expect_result_or_invalid_argument;
  expect_result_or_invalid_argument([&] {
    const auto holdout = split::stratified_holdout(y, groups, test_size, options);
    split::check_no_leakage(holdout, groups);
    if (holdout.train.size() + holdout.test.size() != y.size()) std::abort();
  });
  expect_result_or_invalid_argument([&] {
    const auto folds = split::stratified_kfold(y, n_splits, groups, options);
    split::check_no_leakage(folds, groups);
  });
  expect_result_or_invalid_argument([&] {
    const auto design = split::nested_split(y, n_splits, groups, test_size, options);
    split::check_no_leakage(design, groups);
  });
  expect_result_or_invalid_argument([&] { split::stratified_kfold(y, n_splits, options); });
  return 0;
}
