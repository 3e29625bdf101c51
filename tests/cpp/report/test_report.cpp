// report/: tables, metrics.json, predictions CSV and the study report, checked against the
// library's own metric structs and by reading the written files back.
#include <doctest/doctest.h>

#include <osteon/core/rng.hpp>
#include <osteon/data/csv_table.hpp>
#include <osteon/metrics/classification/binary_report.hpp>
#include <osteon/metrics/roc/auc_ci.hpp>
#include <osteon/metrics/roc/roc.hpp>
#include <osteon/report/columns_csv.hpp>
#include <osteon/report/roc_path.hpp>
#include <osteon/report/study_report.hpp>
#include <osteon/report/tables.hpp>
#include <osteon/stats/paired_tests.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace om = osteon::metrics;
namespace rp = osteon::report;

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
std::string output_dir(const std::string& name) {
  const auto dir = std::filesystem::path(OSTEON_TEST_OUTPUT_DIR) / name;
  std::filesystem::create_directories(dir);
  return dir.string();
}
// A small sample with ties between cases and controls.
const std::vector<int> kLabels{0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1};
const std::vector<double> kScores{0.1, 0.4, 0.4, 0.8, 0.3, 0.3, 0.6, 0.9, 0.6, 0.2, 0.5, 0.7};
}  // namespace

TEST_CASE("format: fixed decimals, p-values, intervals, n/a for NaN") {
  CHECK(rp::fixed(0.81234) == "0.812");
  CHECK(rp::fixed(std::nan("")) == "n/a");
  CHECK(rp::p_value_text(0.0321) == "0.032");
  CHECK(rp::p_value_text(4.1e-05) == "4.1e-05");
  CHECK(rp::interval_text(0.81, 0.74, 0.88) == "0.810 [0.740, 0.880]");
  CHECK(rp::mean_sd_text(om::summarize(std::vector<double>{0.9, 0.8})) == "0.850 ± 0.071");
}

TEST_CASE("MarkdownTable renders GitHub tables and refuses ragged rows") {
  rp::MarkdownTable table({"a", "b"});
  table.add_row({"x|y", "1"});
  CHECK(table.render() == "| a | b |\n|---|---|\n| x\\|y | 1 |\n");
  CHECK_THROWS_WITH_AS(table.add_row({"only one"}), doctest::Contains("1 cells, the header 2"), std::invalid_argument);
}

TEST_CASE("classification and comparison tables carry the metric structs' numbers") {
  const std::vector<double> other{0.2, 0.5, 0.3, 0.7, 0.1, 0.6, 0.4, 0.8, 0.9, 0.3, 0.2, 0.6};
  const auto ci = om::auc_ci(kLabels, kScores);
  const auto report = om::binary_report(kLabels, kScores, 0.5);
  const auto table = rp::classification_table({{"A", ci, report}});
  REQUIRE(table.rows().size() == 1);
  CHECK(table.rows()[0][1] == "12");
  CHECK(table.rows()[0][2] == rp::auc_ci_text(ci));
  CHECK(table.rows()[0][3] == rp::fixed(report.accuracy));
  CHECK(table.rows()[0][6] == rp::fixed(report.f1));
  const auto test = om::delong_test(kLabels, kScores, other);
  const auto comparison = rp::comparison_table({{"A", "B", test}});
  CHECK(comparison.rows()[0][0] == "A vs B");
  CHECK(comparison.rows()[0][3] == rp::interval_text(test.auc_a - test.auc_b, test.ci_low, test.ci_high));
  CHECK(comparison.rows()[0][5] == rp::p_value_text(test.p_value));
  const auto unpaired = om::delong_test_unpaired(kLabels, kScores, kLabels, other);
  CHECK(rp::comparison_table({{"A", "B", unpaired}}).rows()[0][4].find("df") != std::string::npos);
}

TEST_CASE("fold, summary, agreement and paired tables") {
  const std::vector<std::vector<double>> dice{{0.8, 0.82, 0.84}, {0.9, 0.7}};
  const auto folds = om::fold_table(dice);
  const auto table = rp::fold_table({"Dice"}, {folds});
  REQUIRE(table.rows().size() == 4);
  CHECK(table.rows()[0][2] == rp::mean_sd_text(folds.folds[0]));
  CHECK(table.rows()[2][0] == "across folds");
  CHECK(table.rows()[3][1] == "5");
  CHECK_THROWS_AS(rp::fold_table({"Dice", "sens"}, {folds}), std::invalid_argument);
  const std::vector<double> truth{100, 150, 200, 250, 180}, predicted{101, 152, 198, 250, 185};
  const auto agreement = om::volume_agreement(predicted, truth);
  const auto rows = rp::agreement_table({{"all", agreement}}).rows();
  CHECK(rows[0][2] == rp::fixed(agreement.regression.r2));
  CHECK(rows[0][6] == rp::fixed(agreement.bland_altman.bias));
  const std::vector<double> alone{0.70, 0.72, 0.65, 0.80, 0.75}, helped{0.78, 0.75, 0.70, 0.83, 0.74};
  const auto paired = rp::paired_table("unassisted", "assisted",
                                       {{"reader 1", om::summarize(alone), om::summarize(helped),
                                         osteon::stats::paired_ttest(helped, alone),
                                         osteon::stats::wilcoxon_signed_rank(helped, alone)}});
  CHECK(paired.rows()[0][5] == rp::p_value_text(osteon::stats::paired_ttest(helped, alone).p_value));
}

TEST_CASE("roc_path: the drawn path's area is the AUC, ties drawn as diagonals") {
  const auto curve = om::roc_curve(kLabels, kScores);
  const auto path = rp::roc_path(curve);
  CHECK(path.fpr.front() == 0.0);
  CHECK(path.tpr.front() == 0.0);
  CHECK(path.fpr.back() == 1.0);
  CHECK(path.tpr.back() == 1.0);
  CHECK(rp::path_area(path) == doctest::Approx(om::roc_auc(kLabels, kScores)).epsilon(1e-14));
  bool has_diagonal = false;  // 0.4, 0.3 and 0.6 each tie a case with a control
  for (std::size_t k = 1; k < path.fpr.size(); ++k) {
    CHECK(path.fpr[k] >= path.fpr[k - 1]);
    CHECK(path.tpr[k] >= path.tpr[k - 1]);
    has_diagonal |= path.fpr[k] > path.fpr[k - 1] && path.tpr[k] > path.tpr[k - 1];
  }
  CHECK(has_diagonal);
  for (std::size_t k = 0; k < path.fpr.size(); ++k) {
    CHECK(path.tpr_low[k] <= path.tpr[k]);
    CHECK(path.tpr_high[k] >= path.tpr[k]);
  }
  // The sklearn-convention curve gives the same drawn path.
  om::RocCurveOptions sklearn;
  sklearn.convention(om::ThresholdConvention::Sklearn);
  const auto same = rp::roc_path(om::roc_curve(kLabels, kScores, sklearn));
  CHECK(same.fpr == path.fpr);
  CHECK(same.tpr == path.tpr);
  // Many random tied scores: area equals the Mann–Whitney AUC every time.
  osteon::Pcg32 rng(11, 3);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<int> y;
    std::vector<double> s;
    for (int i = 0; i < 60; ++i) {
      y.push_back(static_cast<int>(rng.uniform_below(2)));
      s.push_back(static_cast<double>(rng.uniform_below(6)));
    }
    y[0] = 0, y[1] = 1;
    CHECK(rp::path_area(rp::roc_path(om::roc_curve(y, s))) == doctest::Approx(om::roc_auc(y, s)).epsilon(1e-13));
  }
}

TEST_CASE("metrics json: struct fields, NaN as null") {
  const auto j = rp::to_json(om::auc_ci(kLabels, kScores));
  CHECK(j["auc"].get<double>() == om::roc_auc(kLabels, kScores));
  CHECK(j["method"] == "delong");
  om::Summary empty;
  CHECK(rp::to_json(empty)["mean"].is_null());
  CHECK(rp::number(INFINITY).is_null());
}

TEST_CASE("ColumnsCsv round-trips exact doubles through CsvTable") {
  const auto path = output_dir("columns") + "/predictions.csv";
  const std::vector<double> p{0.1, 1.0 / 3.0, 2e-17, std::nan("")};
  rp::ColumnsCsv table;
  table.text("id", {"a", "b,c", "d", "e"}).number("outcome", std::vector<int>{0, 1, 1, 0}).number("p", p);
  table.write(path);
  const auto back = osteon::data::CsvTable::read(path);
  CHECK(back.text("id")[1] == "b,c");
  const auto read = back.numeric("p");
  CHECK(read[1] == p[1]);
  CHECK(read[2] == p[2]);
  CHECK(std::isnan(read[3]));
  CHECK_THROWS_WITH_AS(table.number("short", std::vector<double>{1.0}), doctest::Contains("\"short\" has 1 values"),
                       std::invalid_argument);
  CHECK_THROWS_AS(table.number("p", p), std::invalid_argument);
}

TEST_CASE("StudyReport writes report.md and metrics.json with settings and software") {
  const auto dir = output_dir("study");
  rp::StudyReport report("Test study", "test_report");
  report.setting("seed", 7).setting("model", "ResNet-18").section("Results");
  report.table(rp::classification_table({{"A", om::auc_ci(kLabels, kScores), om::binary_report(kLabels, kScores, 0.5)}}));
  report.metrics()["A"]["auc"] = rp::to_json(om::auc_ci(kLabels, kScores));
  report.file_written("predictions.csv").software("extra", "1.2");
  report.write(dir);
  const auto md = slurp(dir + "/report.md");
  CHECK(md.rfind("# Test study\n", 0) == 0);
  CHECK(md.find("## Results") != std::string::npos);
  CHECK(md.find("| seed | 7 |") != std::string::npos);
  CHECK(md.find("| model | ResNet-18 |") != std::string::npos);
  CHECK(md.find("| osteon | ") != std::string::npos);
  CHECK(md.find("| extra | 1.2 |") != std::string::npos);
  const auto json = nlohmann::json::parse(slurp(dir + "/metrics.json"));
  CHECK(json["metrics"]["A"]["auc"]["auc"].get<double>() == om::roc_auc(kLabels, kScores));
  CHECK(json["settings"]["seed"] == 7);
  CHECK(json["files"][0] == "predictions.csv");
  CHECK(!std::filesystem::exists(dir + "/report.md.partial"));
}
