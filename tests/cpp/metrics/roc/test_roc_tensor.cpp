// The tensor backend against pROC's fixtures and against the host backend.
#include <osteon/metrics/roc/tensor.hpp>

#include "test_support.hpp"

namespace om = osteon::metrics;
using osteon::test::number;
using osteon::test::numbers;

namespace {

const nlohmann::json& proc() {
  static const nlohmann::json fixture = osteon::test::load_fixture("roc_reference.json");
  return fixture;
}

torch::Tensor as_tensor(const std::vector<double>& values) {
  return torch::tensor(values, torch::kFloat64);
}

}  // namespace

TEST_CASE("tensor AUC, variance, covariance and paired test equal pROC") {
  for (const auto& dataset : proc()["datasets"]) {
    INFO(dataset["name"].get<std::string>());
    const auto y = torch::tensor(dataset["y"].get<std::vector<int64_t>>());
    std::vector<torch::Tensor> rows;
    for (const auto& predictor : dataset["predictors"]) rows.push_back(as_tensor(numbers(predictor["scores"])));
    const auto scores = torch::stack(rows);
    const auto aucs = om::roc_auc(y, scores);
    const auto cov = om::delong_cov(y, scores).contiguous();
    const auto& expected_cov = dataset["cov_matrix_delong"];
    for (std::size_t p = 0; p < rows.size(); ++p) {
      const auto& predictor = dataset["predictors"][p];
      OSTEON_CHECK_CLOSE(aucs[p].item<double>(), number(predictor["auc"]));
      OSTEON_CHECK_CLOSE(om::roc_auc(y, rows[p]).item<double>(), number(predictor["auc"]));
      OSTEON_CHECK_CLOSE(om::auc_variance(y, rows[p]).item<double>(), number(predictor["var_delong"]));
      const auto ci = om::auc_ci(y, rows[p]);
      OSTEON_CHECK_CLOSE(ci.ci_low, number(predictor["ci_delong_95"]["lower"]));
      OSTEON_CHECK_CLOSE(ci.ci_high, number(predictor["ci_delong_95"]["upper"]));
      for (std::size_t q = 0; q < rows.size(); ++q)
        OSTEON_CHECK_CLOSE(cov[p][q].item<double>(), number(expected_cov[p][q]));
    }
    for (const auto& pair : dataset["pairs"]) {
      const auto i = pair["i"].get<std::size_t>(), j = pair["j"].get<std::size_t>();
      const auto& reference = pair["roc_test_paired"]["two.sided"];
      const auto test = om::delong_test(y, rows[i], rows[j]);
      OSTEON_CHECK_CLOSE(test.statistic, number(reference["statistic"]));
      OSTEON_CHECK_CLOSE(test.p_value, number(reference["p_value"]));
      OSTEON_CHECK_CLOSE(test.ci_low, number(reference["conf_int"][0]));
      OSTEON_CHECK_CLOSE(test.ci_high, number(reference["conf_int"][1]));
    }
  }
}

TEST_CASE("tensor backend: float32 scores, bool labels, direction and unpaired test") {
  const auto y = torch::tensor({0, 1, 0, 1, 1, 0, 0, 1, 1, 0}, torch::kBool);
  const auto s = torch::tensor({0.3f, 0.6f, 0.5f, 0.2f, 0.8f, 0.1f, 0.4f, 0.7f, 0.6f, 0.35f});
  const auto y_host = y.to(torch::kLong);
  std::vector<double> s_host(s.data_ptr<float>(), s.data_ptr<float>() + s.numel());
  std::vector<int64_t> labels(y_host.data_ptr<int64_t>(), y_host.data_ptr<int64_t>() + y_host.numel());
  CHECK(om::roc_auc(y, s).item<double>() == om::roc_auc(labels, s_host));
  CHECK((om::roc_auc(y, s).scalar_type() == torch::kFloat64));
  CHECK(om::roc_auc(y, s, om::Direction::CasesLower).item<double>() ==
        om::roc_auc(labels, s_host, om::Direction::CasesLower));
  const auto host = om::delong_test_unpaired(labels, s_host, std::vector<int>{0, 1, 0, 1, 1},
                                             std::vector<double>{0.2, 0.9, 0.1, 0.3, 0.8});
  const auto device = om::delong_test_unpaired(y, s, torch::tensor({0, 1, 0, 1, 1}),
                                               torch::tensor({0.2, 0.9, 0.1, 0.3, 0.8}));
  CHECK(osteon::test::close(device.statistic, host.statistic));
  CHECK(osteon::test::close(device.df, host.df));
  CHECK(osteon::test::close(device.p_value, host.p_value));
}

TEST_CASE("tensor backend refuses bad input with the argument and value") {
  const auto y = torch::tensor({0, 1, 0, 1});
  const auto message_of = [](auto&& call) { return osteon::test::message_of<c10::Error>(call); };
  CHECK(message_of([&] { om::roc_auc(y, torch::tensor({0.1, std::nan(""), 0.2, 0.3})); }).find("y_score[1] is not finite (nan)") !=
        std::string::npos);
  CHECK(message_of([&] { om::roc_auc(torch::tensor({0, 1, 2, 1}), torch::rand({4})); }).find("y_true[2] must be 0") !=
        std::string::npos);
  CHECK(message_of([&] { om::roc_auc(y, torch::rand({3})); }).find("differ in length (4 vs 3)") != std::string::npos);
  CHECK(message_of([&] { om::roc_auc(torch::ones({4}), torch::rand({4})); }).find("got 4 cases and 0 controls") !=
        std::string::npos);
  CHECK(message_of([&] { om::auc_variance(torch::tensor({0, 1, 1, 1}), torch::rand({4})); }).find("at least 2") !=
        std::string::npos);
}
