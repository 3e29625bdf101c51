// Properties, degenerate cases and errors of the host ROC / DeLong code, and the portable RNG.
#include <osteon/core/radix_sort.hpp>
#include <osteon/core/rng.hpp>
#include <osteon/metrics/roc/auc_ci.hpp>
#include <osteon/metrics/roc/delong.hpp>
#include <osteon/metrics/roc/roc.hpp>

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "test_support.hpp"

namespace om = osteon::metrics;

TEST_CASE("Pcg32 core reproduces O'Neill's reference pcg32 outputs") {
  // pcg32-demo, pcg32_srandom(42, 54): the first six 32-bit outputs.
  auto rng = osteon::Pcg32::from_raw_state(42u, 54u);
  for (std::uint32_t expected : {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u, 0x83d2f293u, 0xbfa4784bu, 0xcbed606eu})
    CHECK(rng() == expected);
}

TEST_CASE("Pcg32 draws are deterministic and unbiased in range") {
  osteon::Pcg32 a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.uniform_below(10);
    CHECK(x == b.uniform_below(10));
    CHECK(x < 10u);
    differs = differs || (x != c.uniform_below(10));
    const double u = a.uniform01();
    CHECK(u == b.uniform01());
    CHECK((u >= 0.0 && u < 1.0));
  }
  CHECK(differs);
  std::vector<int> ids{0, 1, 2, 3, 4, 5, 6, 7};
  auto ids2 = ids;
  osteon::Pcg32 s1(3), s2(3);
  osteon::shuffle(ids.begin(), ids.end(), s1);
  osteon::shuffle(ids2.begin(), ids2.end(), s2);
  CHECK(ids == ids2);
}

TEST_CASE("perfect separation gives exactly 1 and a degenerate interval") {
  const std::vector<int> y{0, 0, 0, 1, 1, 1};
  const std::vector<double> s{0.1, 0.2, 0.3, 0.7, 0.8, 0.9};
  CHECK(om::roc_auc(y, s) == 1.0);
  CHECK(om::auc_variance(y, s) == 0.0);
  const auto ci = om::auc_ci(y, s);
  CHECK(ci.ci_low == 1.0);
  CHECK(ci.ci_high == 1.0);
  // Identical predictors: Z forced to 0 and p = 1, as pROC.
  const auto same = om::delong_test(y, s, s);
  CHECK(same.statistic == 0.0);
  CHECK(same.p_value == 1.0);
}

TEST_CASE("direction \">\" equals \"<\" on negated scores") {
  const std::vector<int> y{0, 1, 0, 1, 1, 0, 0, 1};
  const std::vector<double> s{0.3, 0.1, 0.5, 0.2, 0.2, 0.9, 0.2, 0.4};
  std::vector<double> negated;
  for (double v : s) negated.push_back(-v);
  CHECK(om::roc_auc(y, s, om::Direction::CasesLower) == om::roc_auc(y, negated));
  CHECK(om::auc_variance(y, s, om::Direction::CasesLower) == om::auc_variance(y, negated));
  const auto lower = om::roc_curve(y, s, om::RocCurveOptions().direction(om::Direction::CasesLower));
  const auto higher = om::roc_curve(y, negated);
  REQUIRE(lower.thresholds.size() == higher.thresholds.size());
  for (std::size_t k = 0; k < lower.thresholds.size(); ++k) {
    CHECK(lower.thresholds[k] == -higher.thresholds[k]);
    CHECK(lower.sensitivity[k] == higher.sensitivity[k]);
  }
  // pROC orders the ">" curve by decreasing threshold.
  CHECK(lower.thresholds.front() == std::numeric_limits<double>::infinity());
}

TEST_CASE("the contrast test for two predictors equals the paired test (chi2 = Z^2)") {
  const std::vector<int> y{0, 1, 0, 1, 1, 0, 0, 1, 1, 0};
  const std::vector<double> a{0.3, 0.6, 0.5, 0.2, 0.8, 0.1, 0.4, 0.7, 0.9, 0.35};
  const std::vector<double> b{0.2, 0.5, 0.6, 0.4, 0.7, 0.3, 0.1, 0.65, 0.5, 0.45};
  const auto paired = om::delong_test(y, a, b);
  const auto contrast = om::delong_contrast_test(y, std::vector<std::vector<double>>{a, b});
  CHECK(contrast.df == 1.0);
  CHECK(osteon::test::close(contrast.statistic, paired.statistic * paired.statistic));
  CHECK(osteon::test::close(contrast.p_value, paired.p_value, 1e-10));
}

TEST_CASE("bootstrap interval is seeded, deterministic and brackets the AUC") {
  const std::vector<int> y{0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1};
  const std::vector<double> s{0.3, 0.6, 0.5, 0.2, 0.8, 0.1, 0.4, 0.7, 0.9, 0.35, 0.55, 0.6, 0.2, 0.45, 0.3, 0.75};
  const auto first = om::auc_ci(y, s, 0.95, om::AucCiMethod::Bootstrap, om::BootstrapOptions().n_boot(500).seed(11));
  const auto again = om::auc_ci(y, s, 0.95, om::AucCiMethod::Bootstrap, om::BootstrapOptions().n_boot(500).seed(11));
  const auto other = om::auc_ci(y, s, 0.95, om::AucCiMethod::Bootstrap, om::BootstrapOptions().n_boot(500).seed(12));
  CHECK(first.ci_low == again.ci_low);
  CHECK(first.ci_high == again.ci_high);
  CHECK((first.ci_low != other.ci_low || first.ci_high != other.ci_high));
  CHECK(first.ci_low <= first.auc);
  CHECK(first.auc <= first.ci_high);
  // A bootstrap replicate with every draw weight 1 is the plain AUC: check one replicate by hand.
  om::SplitScores split{{0.6, 0.2}, {0.3, 0.5}};
  const auto replicates = om::bootstrap_aucs(split, om::BootstrapOptions().n_boot(200).seed(5));
  for (double auc : replicates) {
    // Each replicate is a Mann–Whitney AUC of 2 cases x 2 controls: a multiple of 1/8.
    CHECK(std::fmod(auc * 8.0, 1.0) == 0.0);
  }
}

TEST_CASE("quantile_type7 equals R's quantile()") {
  // R: quantile(c(1, 3, 2, 10), c(0.025, 0.5, 0.975)) = 1.075, 2.5, 9.475 (numpy.quantile agrees)
  std::vector<double> values{1, 3, 2, 10};
  CHECK(osteon::test::close(om::quantile_type7(values, 0.025), 1.075));
  CHECK(osteon::test::close(om::quantile_type7(values, 0.5), 2.5));
  CHECK(osteon::test::close(om::quantile_type7(values, 0.975), 9.475));
}

TEST_CASE("bad input raises std::invalid_argument naming the argument and value") {
  const std::vector<int> y{0, 1, 0, 1};
  const std::vector<double> s{0.1, 0.2, 0.3, 0.4};
  using osteon::test::message_of;
  CHECK(message_of([&] { om::roc_auc(y, std::vector<double>{0.1, 0.2}); }).find("differ in length (4 vs 2)") !=
        std::string::npos);
  CHECK(message_of([&] { om::roc_auc(std::vector<int>{}, std::vector<double>{}); }).find("empty") != std::string::npos);
  CHECK(message_of([&] {
          om::roc_auc(y, std::vector<double>{0.1, std::nan(""), 0.3, 0.4});
        }).find("y_score[1] is not finite") != std::string::npos);
  CHECK(message_of([&] {
          om::roc_auc(y, std::vector<double>{0.1, std::numeric_limits<double>::infinity(), 0.3, 0.4});
        }).find("y_score[1] is not finite (inf)") != std::string::npos);
  CHECK(message_of([&] { om::roc_auc(std::vector<int>{0, 2, 0, 1}, s); }).find("y_true[1] must be 0") !=
        std::string::npos);
  CHECK(message_of([&] { om::roc_auc(std::vector<int>{1, 1, 1, 1}, s); }).find("single class (4 cases, 0 controls)") !=
        std::string::npos);
  CHECK(message_of([&] { om::auc_variance(std::vector<int>{0, 0, 0, 1}, s); }).find("at least 2 cases") !=
        std::string::npos);
  CHECK(message_of([&] { om::auc_ci(y, s, 1.5); }).find("level must be in (0, 1), got 1.5") != std::string::npos);
  CHECK(message_of([&] { om::parse_direction("auto"); }).find("got \"auto\"") != std::string::npos);
  CHECK(message_of([&] { om::parse_alternative("both"); }).find("got \"both\"") != std::string::npos);
  // A paired test needs the same cases: a different number of samples is refused.
  CHECK(message_of([&] { om::delong_test(y, s, std::vector<double>{0.1, 0.2, 0.3}); }).find("differ in length") !=
        std::string::npos);
}

TEST_CASE("radix sort orders doubles exactly as std::sort, folding -0.0 into +0.0, and is stable") {
  osteon::Pcg32 rng(99);
  std::vector<double> values;
  for (int i = 0; i < 5000; ++i) {
    const double u = rng.uniform01();
    switch (i % 6) {
      case 0: values.push_back(u - 0.5); break;
      case 1: values.push_back((u - 0.5) * 1e300); break;
      case 2: values.push_back((u - 0.5) * 1e-310); break;  // subnormals
      case 3: values.push_back(i % 12 == 3 ? -0.0 : 0.0); break;
      case 4: values.push_back(std::floor(u * 5)); break;  // heavy ties
      default: values.push_back(-std::numeric_limits<double>::max() * u); break;
    }
  }
  auto expected = values;
  std::sort(expected.begin(), expected.end());
  auto sorted = values;
  osteon::detail::radix_sort_doubles(sorted);
  REQUIRE(sorted.size() == expected.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) CHECK(sorted[i] == expected[i]);
  CHECK(std::is_sorted(sorted.begin(), sorted.end()));
  // Stability: equal keys keep their input order.
  struct Record { std::uint64_t key; int position; };
  std::vector<Record> records;
  for (int i = 0; i < 1000; ++i) records.push_back({static_cast<std::uint64_t>(i % 7), i});
  osteon::detail::radix_sort(records, [](const Record& r) { return r.key; });
  for (std::size_t i = 1; i < records.size(); ++i)
    if (records[i].key == records[i - 1].key) CHECK(records[i].position > records[i - 1].position);
}

TEST_CASE("host metrics take xtensor containers and expressions (the C++ API's N-d array type)") {
  const xt::xarray<int> y{0, 0, 1, 1, 0, 1};
  const xt::xtensor<double, 1> s{0.1, 0.4, 0.35, 0.8, 0.2, 0.7};
  const std::vector<int> y_vector{0, 0, 1, 1, 0, 1};
  const std::vector<double> s_vector{0.1, 0.4, 0.35, 0.8, 0.2, 0.7};
  CHECK(om::roc_auc(y, s) == om::roc_auc(y_vector, s_vector));
  // A lazy expression (2·s + 1 keeps the order) and a row view of a 2-D array.
  CHECK(om::roc_auc(y, 2.0 * s + 1.0) == om::roc_auc(y_vector, s_vector));
  const xt::xtensor<double, 2> two_models{{0.1, 0.4, 0.35, 0.8, 0.2, 0.7}, {0.3, 0.1, 0.6, 0.9, 0.2, 0.5}};
  const auto test = om::delong_test(y, xt::view(two_models, 0, xt::all()), xt::view(two_models, 1, xt::all()));
  CHECK(test.auc_a == om::roc_auc(y_vector, s_vector));
}
