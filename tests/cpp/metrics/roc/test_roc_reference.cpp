// ROC / AUC / DeLong on the host against pROC 1.18 and scikit-learn (tests/data, see its README).
#include <osteon/metrics/roc/auc_ci.hpp>
#include <osteon/metrics/roc/delong.hpp>
#include <osteon/metrics/roc/roc.hpp>

#include "test_support.hpp"

namespace om = osteon::metrics;
using osteon::test::number;
using osteon::test::numbers;

namespace {

std::vector<int> labels_of(const nlohmann::json& dataset) { return dataset["y"].get<std::vector<int>>(); }

const nlohmann::json& proc() {
  static const nlohmann::json fixture = osteon::test::load_fixture("roc_reference.json");
  return fixture;
}

const nlohmann::json& sklearn() {
  static const nlohmann::json fixture = osteon::test::load_fixture("sklearn_reference.json");
  return fixture;
}

}  // namespace

TEST_CASE("AUC, DeLong variance and CI equal pROC on every dataset") {
  for (const auto& dataset : proc()["datasets"]) {
    const auto y = labels_of(dataset);
    for (const auto& predictor : dataset["predictors"]) {
      INFO(dataset["name"].get<std::string>() << "/" << predictor["name"].get<std::string>());
      const auto scores = numbers(predictor["scores"]);
      OSTEON_CHECK_CLOSE(om::roc_auc(y, scores), number(predictor["auc"]));
      OSTEON_CHECK_CLOSE(om::auc_variance(y, scores), number(predictor["var_delong"]));
      for (const char* key : {"ci_delong_95", "ci_delong_90"}) {
        const auto& expected = predictor[key];
        const auto ci = om::auc_ci(y, scores, number(expected["conf_level"]));
        OSTEON_CHECK_CLOSE(ci.auc, number(expected["mid"]));
        OSTEON_CHECK_CLOSE(ci.ci_low, number(expected["lower"]));
        OSTEON_CHECK_CLOSE(ci.ci_high, number(expected["upper"]));
      }
      const auto parts = om::delong_components(y, scores);
      osteon::test::check_all_close(parts.case_placements, numbers(predictor["placements"]["cases_X"]));
      osteon::test::check_all_close(parts.control_placements, numbers(predictor["placements"]["controls_Y"]));
    }
  }
}

TEST_CASE("ROC curve (midpoint thresholds) equals pROC's coordinates") {
  for (const auto& dataset : proc()["datasets"]) {
    const auto y = labels_of(dataset);
    for (const auto& predictor : dataset["predictors"]) {
      INFO(dataset["name"].get<std::string>() << "/" << predictor["name"].get<std::string>());
      const auto curve = om::roc_curve(y, numbers(predictor["scores"]));
      osteon::test::check_all_close(curve.thresholds, numbers(predictor["roc"]["thresholds"]));
      osteon::test::check_all_close(curve.sensitivity, numbers(predictor["roc"]["sensitivities"]));
      osteon::test::check_all_close(curve.specificity, numbers(predictor["roc"]["specificities"]));
    }
  }
}

TEST_CASE("DeLong covariance matrix and paired tests equal pROC") {
  for (const auto& dataset : proc()["datasets"]) {
    const auto y = labels_of(dataset);
    std::vector<std::vector<double>> rows;
    for (const auto& predictor : dataset["predictors"]) rows.push_back(numbers(predictor["scores"]));
    INFO(dataset["name"].get<std::string>());
    const Eigen::MatrixXd s = om::delong_cov(y, rows);
    const auto& expected = dataset["cov_matrix_delong"];
    for (Eigen::Index r = 0; r < s.rows(); ++r)
      for (Eigen::Index c = 0; c < s.cols(); ++c) OSTEON_CHECK_CLOSE(s(r, c), number(expected[r][c]));

    for (const auto& pair : dataset["pairs"]) {
      const auto i = pair["i"].get<std::size_t>(), j = pair["j"].get<std::size_t>();
      for (const char* alternative : {"two.sided", "less", "greater"}) {
        INFO("pair " << i << "," << j << " " << alternative);
        const auto& reference = pair["roc_test_paired"][alternative];
        const auto test = om::delong_test(y, rows[i], rows[j], om::Direction::CasesHigher,
                                          om::parse_alternative(alternative), 0.95);
        OSTEON_CHECK_CLOSE(test.statistic, number(reference["statistic"]));
        OSTEON_CHECK_CLOSE(test.p_value, number(reference["p_value"]));
        OSTEON_CHECK_CLOSE(test.ci_low, number(reference["conf_int"][0]));
        OSTEON_CHECK_CLOSE(test.ci_high, number(reference["conf_int"][1]));
        OSTEON_CHECK_CLOSE(test.auc_a, number(reference["estimate"][0]));
        OSTEON_CHECK_CLOSE(test.auc_b, number(reference["estimate"][1]));
        const auto test90 = om::delong_test(y, rows[i], rows[j], om::Direction::CasesHigher,
                                            om::parse_alternative(alternative), 0.90);
        OSTEON_CHECK_CLOSE(test90.ci_low, number(reference["conf_int_90"][0]));
        OSTEON_CHECK_CLOSE(test90.ci_high, number(reference["conf_int_90"][1]));
      }
    }
  }
}

TEST_CASE("unpaired DeLong test equals pROC (D, Welch df, p)") {
  auto find = [](const nlohmann::json& ref) -> std::pair<std::vector<int>, std::vector<double>> {
    for (const auto& dataset : proc()["datasets"]) {
      if (dataset["name"] != ref["dataset"]) continue;
      for (const auto& predictor : dataset["predictors"])
        if (predictor["name"] == ref["predictor"]) return {labels_of(dataset), numbers(predictor["scores"])};
    }
    FAIL("unknown dataset in fixture");
    return {};
  };
  for (const auto& entry : proc()["unpaired"]) {
    const auto [y_a, s_a] = find(entry["roc1"]);
    const auto [y_b, s_b] = find(entry["roc2"]);
    for (const char* alternative : {"two.sided", "less", "greater"}) {
      INFO(entry["roc1"]["dataset"].get<std::string>() << " vs " << entry["roc2"]["dataset"].get<std::string>()
                                                       << " " << alternative);
      const auto& reference = entry["roc_test_unpaired"][alternative];
      const auto test = om::delong_test_unpaired(y_a, s_a, y_b, s_b, om::Direction::CasesHigher,
                                                 om::parse_alternative(alternative));
      OSTEON_CHECK_CLOSE(test.statistic, number(reference["statistic"]));
      OSTEON_CHECK_CLOSE(test.df, number(reference["df"]));
      OSTEON_CHECK_CLOSE(test.p_value, number(reference["p_value"]));
    }
  }
}

TEST_CASE("AUC and ROC curve (sklearn convention) equal scikit-learn") {
  const auto& datasets = proc()["datasets"];
  const auto& references = sklearn()["datasets"];
  REQUIRE(datasets.size() == references.size());
  for (std::size_t d = 0; d < datasets.size(); ++d) {
    const auto y = labels_of(datasets[d]);
    for (std::size_t p = 0; p < datasets[d]["predictors"].size(); ++p) {
      const auto scores = numbers(datasets[d]["predictors"][p]["scores"]);
      const auto& reference = references[d]["predictors"][p];
      INFO(references[d]["name"].get<std::string>() << "/" << reference["name"].get<std::string>());
      OSTEON_CHECK_CLOSE(om::roc_auc(y, scores), number(reference["roc_auc_score"]));
      for (bool drop : {false, true}) {
        INFO("drop_intermediate=" << drop);
        const auto& expected =
            reference[drop ? "roc_curve_drop_intermediate_true" : "roc_curve_drop_intermediate_false"];
        const auto curve = om::roc_curve(y, scores, om::RocCurveOptions().convention(om::ThresholdConvention::Sklearn).drop_intermediate(drop));
        osteon::test::check_all_close(curve.fpr, numbers(expected["fpr"]));
        osteon::test::check_all_close(curve.sensitivity, numbers(expected["tpr"]));
        // sklearn 1.2 puts max + 1 first; sklearn >= 1.3 and osteon put +inf there.
        auto thresholds = numbers(expected["thresholds"]);
        CHECK(std::isinf(curve.thresholds.front()));
        thresholds.front() = curve.thresholds.front();
        osteon::test::check_all_close(curve.thresholds, thresholds);
      }
    }
  }
}
