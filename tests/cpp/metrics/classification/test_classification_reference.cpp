// Threshold choice, binary reports, proportion CIs, multi-class AUCs and partial AUCs against
// pROC 1.18 / R 4.2 (classification_reference.json, roc_reference.json) and scikit-learn 1.2
// (classification_sklearn_reference.json), at 1e-12 relative.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "osteon/metrics/classification/binary_report.hpp"
#include "osteon/metrics/classification/multiclass.hpp"
#include "osteon/metrics/roc/partial_auc.hpp"
#include "osteon/metrics/classification/proportion_ci.hpp"
#include "osteon/metrics/classification/thresholds.hpp"
#include "test_support.hpp"

namespace {

namespace m = osteon::metrics;
using osteon::test::check_all_close;
using osteon::test::number;
using osteon::test::numbers;

const nlohmann::json& proc() {
  static const nlohmann::json data = osteon::test::load_fixture("classification_reference.json");
  return data;
}
const nlohmann::json& sklearn() {
  static const nlohmann::json data = osteon::test::load_fixture("classification_sklearn_reference.json");
  return data;
}

std::vector<int> labels(const nlohmann::json& values) { return values.get<std::vector<int>>(); }

m::ClassScores class_scores(const nlohmann::json& rows) {
  std::vector<std::vector<double>> table;
  for (const auto& row : rows) table.push_back(numbers(row));
  return m::ClassScores::from_rows(table);
}

void check_choice(const m::ThresholdChoice& choice, const nlohmann::json& expected) {
  check_all_close(choice.thresholds, numbers(expected["threshold"]));
  check_all_close(choice.sensitivity, numbers(expected["sensitivity"]));
  check_all_close(choice.specificity, numbers(expected["specificity"]));
}

}  // namespace

TEST_CASE("youden and closest-topleft thresholds equal pROC's coords(\"best\") with every tied row") {
  SUBCASE("roc_reference.json (pROC, default weights)") {
    const auto roc_fixture = osteon::test::load_fixture("roc_reference.json");
    for (const auto& dataset : roc_fixture["datasets"]) {
      for (const auto& predictor : dataset["predictors"]) {
        INFO(dataset["name"].get<std::string>() << "/" << predictor["name"].get<std::string>());
        const auto y = labels(dataset["y"]);
        const auto scores = numbers(predictor["scores"]);
        check_choice(m::youden_threshold(y, scores), predictor["best_youden"]);
        check_choice(m::closest_topleft_threshold(y, scores), predictor["best_closest_topleft"]);
      }
    }
  }
  SUBCASE("classification_reference.json (best.weights = c(2, 0.3))") {
    for (const auto& dataset : proc()["binary"]) {
      INFO(dataset["name"].get<std::string>());
      const auto y = labels(dataset["y"]);
      const auto scores = numbers(dataset["scores"]);
      const m::BestWeights weights{2.0, 0.3};
      check_choice(m::youden_threshold(y, scores), dataset["best_youden"]);
      check_choice(m::closest_topleft_threshold(y, scores), dataset["best_closest_topleft"]);
      check_choice(m::youden_threshold(y, scores, m::Direction::CasesHigher, weights),
                   dataset["best_youden_weights_2_0.3"]);
      check_choice(m::closest_topleft_threshold(y, scores, m::Direction::CasesHigher, weights),
                   dataset["best_closest_topleft_weights_2_0.3"]);
    }
  }
}

TEST_CASE("proportion_ci equals R's prop.test (Wilson, Wilson-CC) and binom.test (Clopper-Pearson)") {
  for (const auto& c : proc()["proportions"]) {
    const auto k = c["k"].get<std::int64_t>(), n = c["n"].get<std::int64_t>();
    for (const auto& [level_text, expected] : c["levels"].items()) {
      const double level = std::stod(level_text);
      for (const auto& [name, method] : {std::pair{"wilson", m::ProportionCiMethod::Wilson},
                                         std::pair{"wilson_cc", m::ProportionCiMethod::WilsonCC},
                                         std::pair{"clopper_pearson", m::ProportionCiMethod::ClopperPearson}}) {
        INFO(k << "/" << n << " level " << level << " " << name);
        const auto ci = m::proportion_ci(k, n, level, method);
        CHECK(ci.method == name);
        OSTEON_CHECK_CLOSE(ci.ci_low, number(expected[name][0]));
        OSTEON_CHECK_CLOSE(ci.ci_high, number(expected[name][1]));
      }
    }
  }
}

TEST_CASE("binary_report equals scikit-learn's threshold metrics; zero denominators are NaN + flag") {
  for (const auto& c : sklearn()["binary_report"]) {
    INFO(c["name"].get<std::string>() << " threshold " << c["threshold"].dump());
    const auto y = labels(c["y"]);
    const auto score = numbers(c["score"]);
    const m::BinaryReport r = c["threshold"].is_null() ? m::binary_report_from_predictions(y, labels(c["score"]))
                                                       : m::binary_report(y, score, number(c["threshold"]));
    CHECK(r.counts.tp == c["confusion"]["tp"].get<std::int64_t>());
    CHECK(r.counts.fp == c["confusion"]["fp"].get<std::int64_t>());
    CHECK(r.counts.tn == c["confusion"]["tn"].get<std::int64_t>());
    CHECK(r.counts.fn == c["confusion"]["fn"].get<std::int64_t>());
    const std::vector<std::string> zero_denominator = c["zero_denominator"].get<std::vector<std::string>>();
    const auto is_undefined = [&](const std::string& name) {
      return std::find(zero_denominator.begin(), zero_denominator.end(), name) != zero_denominator.end();
    };
    for (const auto& [name, value] :
         {std::pair<std::string, double>{"accuracy", r.accuracy}, {"precision", r.precision}, {"recall", r.recall},
          {"specificity", r.specificity}, {"npv", r.npv}, {"f1", r.f1}, {"balanced_accuracy", r.balanced_accuracy},
          {"mcc", r.mcc}}) {
      INFO(name);
      if (is_undefined(name)) {
        CHECK(std::isnan(value));
        CHECK(std::find(r.undefined.begin(), r.undefined.end(), name) != r.undefined.end());
      } else {
        OSTEON_CHECK_CLOSE(value, number(c["sklearn"][name]));
      }
    }
    for (const auto& name : r.undefined) {
      const bool expected = is_undefined(name) || name == "youden_j";
      CHECK_MESSAGE(expected, name);
    }
  }
}

TEST_CASE("multiclass_auc equals scikit-learn's roc_auc_score(multi_class, average)") {
  const auto& proc_sets = proc()["multiclass"];
  const auto& sk_sets = sklearn()["multiclass"];
  for (std::size_t d = 0; d < proc_sets.size(); ++d) {
    const auto y = labels(proc_sets[d]["y"]);
    for (const char* model : {"model_a", "model_b"}) {
      INFO(proc_sets[d]["name"].get<std::string>() << " " << model);
      const auto probs = class_scores(proc_sets[d][model]);
      const auto& e = sk_sets[d][model];
      check_all_close(m::one_vs_rest_aucs(y, probs), numbers(e["ovr_none"]));
      using S = m::MulticlassStrategy;
      using A = m::MulticlassAverage;
      OSTEON_CHECK_CLOSE(m::multiclass_auc(y, probs, S::OneVsRest, A::Macro), number(e["ovr_macro"]));
      OSTEON_CHECK_CLOSE(m::multiclass_auc(y, probs, S::OneVsRest, A::Weighted), number(e["ovr_weighted"]));
      OSTEON_CHECK_CLOSE(m::multiclass_auc(y, probs, S::OneVsRest, A::Micro), number(e["ovr_micro"]));
      OSTEON_CHECK_CLOSE(m::multiclass_auc(y, probs, S::OneVsOne, A::Macro), number(e["ovo_macro"]));
      OSTEON_CHECK_CLOSE(m::multiclass_auc(y, probs, S::OneVsOne, A::Weighted), number(e["ovo_weighted"]));
    }
  }
}

TEST_CASE("Hand & Till, per-class DeLong CIs and per-class paired DeLong tests equal pROC") {
  for (const auto& ds : proc()["multiclass"]) {
    INFO(ds["name"].get<std::string>());
    const auto y = labels(ds["y"]);
    const auto probs_a = class_scores(ds["model_a"]);
    const auto probs_b = class_scores(ds["model_b"]);
    OSTEON_CHECK_CLOSE(m::hand_till_auc(y, probs_a), number(ds["proc_model_a"]["hand_till"]));
    OSTEON_CHECK_CLOSE(m::hand_till_auc(y, probs_b), number(ds["proc_model_b"]["hand_till"]));
    const auto rows = m::per_class_auc(y, probs_a);
    const auto table = m::per_class_delong_test(y, probs_a, probs_b);
    REQUIRE(rows.size() == ds["proc_model_a"]["per_class"].size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
      INFO("class " << k);
      const auto& ea = ds["proc_model_a"]["per_class"][k];
      const auto& eb = ds["proc_model_b"]["per_class"][k];
      const auto& et = ds["per_class_delong_a_vs_b"][k];
      OSTEON_CHECK_CLOSE(rows[k].auc, number(ea["auc"]));
      OSTEON_CHECK_CLOSE(rows[k].variance, number(ea["var_delong"]));
      OSTEON_CHECK_CLOSE(rows[k].ci_low, number(ea["ci_delong_95"][0]));
      OSTEON_CHECK_CLOSE(rows[k].ci_high, number(ea["ci_delong_95"][1]));
      OSTEON_CHECK_CLOSE(table[k].auc_a, number(ea["auc"]));
      OSTEON_CHECK_CLOSE(table[k].ci_low_a, number(ea["ci_delong_95"][0]));
      OSTEON_CHECK_CLOSE(table[k].ci_high_b, number(eb["ci_delong_95"][1]));
      OSTEON_CHECK_CLOSE(table[k].auc_b, number(eb["auc"]));
      OSTEON_CHECK_CLOSE(table[k].statistic, number(et["statistic"]));
      OSTEON_CHECK_CLOSE(table[k].p_value, number(et["p_value"]));
      OSTEON_CHECK_CLOSE(table[k].difference_ci_low, number(et["conf_int"][0]));
      OSTEON_CHECK_CLOSE(table[k].difference_ci_high, number(et["conf_int"][1]));
    }
  }
}

TEST_CASE("partial_auc equals pROC (both foci, raw and McClish) and scikit-learn's max_fpr") {
  const auto& sk_sets = sklearn()["max_fpr"];
  std::size_t d = 0;
  for (const auto& ds : proc()["binary"]) {
    INFO(ds["name"].get<std::string>());
    const auto y = labels(ds["y"]);
    const auto scores = numbers(ds["scores"]);
    const auto curve = m::roc_curve(y, scores);
    for (const auto& p : ds["partial_auc"]) {
      const auto focus = m::parse_partial_auc_focus(p["focus"].get<std::string>());
      const double high = number(p["range"][0]), low = number(p["range"][1]);
      INFO(p["focus"].get<std::string>() << " [" << low << ", " << high << "]");
      OSTEON_CHECK_CLOSE(m::partial_auc(curve, low, high, focus, false).value, number(p["area"]));
      const auto corrected = m::partial_auc(curve, low, high, focus, true);
      OSTEON_CHECK_CLOSE(corrected.value, number(p["corrected"]));  // null (pROC's NA) reads as NaN
      CHECK(corrected.below_diagonal == p["corrected"].is_null());
      OSTEON_CHECK_CLOSE(m::partial_auc(curve, low, high, focus, true, true).value,
                         number(p["corrected_allow_invalid"]));
    }
    for (const auto& [max_fpr_text, expected] : sk_sets[d]["max_fpr"].items()) {
      const double max_fpr = std::stod(max_fpr_text);
      INFO("max_fpr " << max_fpr);
      // sklearn standardises below the diagonal too: compare with the allow-invalid value.
      OSTEON_CHECK_CLOSE(m::partial_auc(curve, 1.0 - max_fpr, 1.0, m::PartialAucFocus::Specificity, true, true).value,
                         number(expected));
    }
    ++d;
  }
}
