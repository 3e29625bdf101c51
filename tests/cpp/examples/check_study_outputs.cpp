// Checks a vertebra_study or sij_study output folder: the report's structure, the files, and that the
// numbers of metrics.json equal those recomputed from the per-subject CSV files with the library's own
// functions (metrics::per_class_auc, per_class_delong_test, multiclass_auc, auc_ci, delong_test_unpaired,
// fold_table, summarize, stats::paired_ttest, stats::wilcoxon_signed_rank).
//   check_study_outputs vertebra|sij FOLDER
#include <osteon/data/csv_table.hpp>
#include <osteon/metrics/classification/multiclass.hpp>
#include <osteon/metrics/roc/auc_ci.hpp>
#include <osteon/metrics/roc/delong.hpp>
#include <osteon/metrics/segmentation/host/aggregation.hpp>
#include <osteon/stats/paired_tests.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {
int failures = 0;
void expect(bool ok, const std::string& what) {
  if (!ok) std::printf("FAIL: %s\n", what.c_str()), ++failures;
}
void expect_close(const nlohmann::json& written, double recomputed, const std::string& what) {
  const bool ok = written.is_null() ? std::isnan(recomputed)
                                    : written.is_number() &&
                                          std::abs(written.get<double>() - recomputed) <= 1e-12 * std::max(1.0, std::abs(recomputed));
  expect(ok, what + ": metrics.json " + written.dump() + ", recomputed " + std::to_string(recomputed));
}
void expect_structure(const std::string& folder, const std::vector<std::string>& headings, const std::vector<std::string>& files) {
  std::ifstream md_file(folder + "/report.md");
  std::stringstream md;
  md << md_file.rdbuf();
  for (const auto& heading : headings) expect(md.str().find(heading) != std::string::npos, "report.md lacks " + heading);
  for (const auto& file : files) expect(std::filesystem::exists(folder + "/" + file), "missing " + file);
}
std::vector<int> as_int(const std::vector<double>& v) { return {v.begin(), v.end()}; }

void check_vertebra(const std::string& folder, const nlohmann::json& m) {
  expect_structure(folder, {"# Opportunistic osteoporosis screening", "## Design", "## Vertebra segmentation: Dice against training-set size",
                            "## Density class: one-vs-rest AUC per class", "| osteoporosis |", "## Settings", "## Software", "| LibTorch |"},
                   {"metrics.json", "predictions.csv", "segmentation.csv", "split_manifest.csv", "dice_learning_curve.png",
                    "roc_l1.png", "roc_l1_l2.png"});
  const auto table = osteon::data::CsvTable::read(folder + "/predictions.csv");
  const auto y = as_int(table.numeric("density_class"));
  const auto scores = [&](const std::string& prefix) {
    std::vector<std::vector<double>> rows(y.size(), std::vector<double>(3));
    const char* names[3] = {"normal", "osteopenia", "osteoporosis"};
    for (int k = 0; k < 3; ++k) {
      const auto column = table.numeric(prefix + names[k]);
      for (std::size_t i = 0; i < y.size(); ++i) rows[i][static_cast<std::size_t>(k)] = column[i];
    }
    return osteon::metrics::ClassScores::from_rows(rows);
  };
  const auto l1 = scores("p_l1_"), fused = scores("p_l1_l2_");
  const auto& c = m["classification"];
  expect_close(c["macro_ovr_auc"]["L1"], osteon::metrics::multiclass_auc(y, l1), "macro AUC L1");
  expect_close(c["macro_ovr_auc"]["L1+L2"], osteon::metrics::multiclass_auc(y, fused), "macro AUC L1+L2");
  const auto rows_l1 = osteon::metrics::per_class_auc(y, l1), rows_fused = osteon::metrics::per_class_auc(y, fused);
  const auto delong = osteon::metrics::per_class_delong_test(y, fused, l1);
  const char* names[3] = {"normal", "osteopenia", "osteoporosis"};
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& w = c["per_class"][names[k]];
    const std::string where = std::string("class ") + names[k];
    expect_close(w["L1"]["auc"], rows_l1[k].auc, where + " L1 AUC");
    expect_close(w["L1"]["ci_low"], rows_l1[k].ci_low, where + " L1 CI low");
    expect_close(w["L1+L2"]["auc"], rows_fused[k].auc, where + " L1+L2 AUC");
    expect_close(w["L1+L2"]["ci_high"], rows_fused[k].ci_high, where + " L1+L2 CI high");
    expect_close(w["delong"]["statistic"], delong[k].statistic, where + " DeLong Z");
    expect_close(w["delong"]["p_value"], delong[k].p_value, where + " DeLong p");
  }
  const auto seg = osteon::data::CsvTable::read(folder + "/segmentation.csv");
  const auto n_train = seg.numeric("n_train"), d1 = seg.numeric("dice_l1"), d2 = seg.numeric("dice_l2");
  expect(m["segmentation"].is_array() && !m["segmentation"].empty(), "segmentation: one entry per training size");
  for (const auto& point : m["segmentation"]) {
    std::vector<double> a, b;
    for (std::size_t i = 0; i < n_train.size(); ++i) {
      if (n_train[i] == point["n_train"].get<double>()) a.push_back(d1[i]), b.push_back(d2[i]);
    }
    expect(!a.empty(), "segmentation.csv has n_train " + point["n_train"].dump());
    const auto s1 = osteon::metrics::summarize(a), s2 = osteon::metrics::summarize(b);
    expect_close(point["dice_l1"]["mean"], s1.mean, "Dice L1 mean, n_train " + point["n_train"].dump());
    expect_close(point["dice_l1"]["sd"], s1.sd, "Dice L1 sd");
    expect_close(point["dice_l2"]["mean"], s2.mean, "Dice L2 mean");
  }
}

void check_sij(const std::string& folder, const nlohmann::json& m) {
  expect_structure(folder, {"# Sacroiliac-joint MRI study", "## Design", "## Fat-metaplasia segmentation", "| across folds |",
                            "| internal test |", "| external test |", "## axSpA classification", "## Reader study",
                            "## Settings", "## Software"},
                   {"metrics.json", "predictions.csv", "readers.csv", "split_manifest.csv", "dice_folds.png", "roc_centres.png",
                    "final/"});
  const auto table = osteon::data::CsvTable::read(folder + "/predictions.csv");
  const auto& set = table.text("set");
  const auto dice = table.numeric("dice"), score = table.numeric("score_mm2"), axspa = table.numeric("axspa");
  std::map<std::string, std::vector<double>> by_fold;
  std::vector<double> dice_internal, dice_external, s_internal, s_external;
  std::vector<int> y_internal, y_external;
  for (std::size_t r = 0; r < set.size(); ++r) {
    if (set[r] == "internal_test") dice_internal.push_back(dice[r]), s_internal.push_back(score[r]), y_internal.push_back(static_cast<int>(axspa[r]));
    else if (set[r] == "external_test") dice_external.push_back(dice[r]), s_external.push_back(score[r]), y_external.push_back(static_cast<int>(axspa[r]));
    else by_fold[set[r]].push_back(dice[r]);
  }
  std::vector<std::vector<double>> folds;
  for (std::size_t f = 1; f <= by_fold.size(); ++f) folds.push_back(by_fold[std::to_string(f)]);
  const auto cv = osteon::metrics::fold_table(folds);
  const auto& s = m["segmentation"];
  expect_close(s["cv"]["across_folds"]["mean"], cv.across_folds.mean, "CV Dice across-folds mean");
  expect_close(s["cv"]["across_folds"]["sd"], cv.across_folds.sd, "CV Dice across-folds sd");
  expect_close(s["cv"]["pooled"]["mean"], cv.pooled.mean, "CV Dice pooled mean");
  expect_close(s["internal_test"]["mean"], osteon::metrics::summarize(dice_internal).mean, "internal Dice mean");
  expect_close(s["external_test"]["sd"], osteon::metrics::summarize(dice_external).sd, "external Dice sd");
  const auto& c = m["classification"];
  const auto a = osteon::metrics::auc_ci(y_internal, s_internal), b = osteon::metrics::auc_ci(y_external, s_external);
  expect_close(c["internal_test"]["auc"], a.auc, "internal AUC");
  expect_close(c["internal_test"]["ci_low"], a.ci_low, "internal AUC CI low");
  expect_close(c["external_test"]["auc"], b.auc, "external AUC");
  expect_close(c["external_test"]["ci_high"], b.ci_high, "external AUC CI high");
  const auto between = osteon::metrics::delong_test_unpaired(y_internal, s_internal, y_external, s_external);
  expect_close(c["internal_vs_external"]["statistic"], between.statistic, "unpaired DeLong statistic");
  expect_close(c["internal_vs_external"]["p_value"], between.p_value, "unpaired DeLong p");
  const auto readers = osteon::data::CsvTable::read(folder + "/readers.csv");
  const auto& reader = readers.text("reader");
  const auto alone = readers.numeric("unassisted_dice"), helped = readers.numeric("assisted_dice");
  for (const char* name : {"reader 1", "reader 2"}) {
    std::vector<double> x, z;
    for (std::size_t i = 0; i < reader.size(); ++i) if (reader[i] == name) x.push_back(alone[i]), z.push_back(helped[i]);
    const auto& w = m["readers"][name];
    expect_close(w["unassisted"]["mean"], osteon::metrics::summarize(x).mean, std::string(name) + " unassisted mean");
    expect_close(w["assisted"]["mean"], osteon::metrics::summarize(z).mean, std::string(name) + " assisted mean");
    expect(!w["paired_t"].is_null(), std::string(name) + ": paired tests defined at this size");
    if (w["paired_t"].is_null()) continue;
    const auto t = osteon::stats::paired_ttest(z, x);
    const auto wx = osteon::stats::wilcoxon_signed_rank(z, x);
    expect_close(w["paired_t"]["statistic"], t.statistic, std::string(name) + " t");
    expect_close(w["paired_t"]["p_value"], t.p_value, std::string(name) + " t p");
    expect_close(w["wilcoxon"]["p_value"], wx.p_value, std::string(name) + " Wilcoxon p");
  }
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return std::fprintf(stderr, "usage: check_study_outputs vertebra|sij FOLDER\n"), 2;
  const std::string study = argv[1], folder = argv[2];
  std::ifstream json_file(folder + "/metrics.json");
  if (!json_file) return std::fprintf(stderr, "check_study_outputs: cannot read %s/metrics.json\n", folder.c_str()), 2;
  const auto json = nlohmann::json::parse(json_file);
  if (study == "vertebra") check_vertebra(folder, json["metrics"]);
  else if (study == "sij") check_sij(folder, json["metrics"]);
  else return std::fprintf(stderr, "check_study_outputs: unknown study '%s'\n", study.c_str()), 2;
  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
