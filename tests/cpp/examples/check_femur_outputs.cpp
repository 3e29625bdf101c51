// Checks a femur_study output folder: the report's structure, and that every number of metrics.json
// equals the one recomputed from predictions.csv with the library's own functions
// (metrics::fold_table, metrics::summarize, metrics::volume_agreement).
//   check_femur_outputs FOLDER
#include <osteon/data/csv_table.hpp>
#include <osteon/metrics/segmentation/host/aggregation.hpp>
#include <osteon/metrics/segmentation/host/volume_agreement.hpp>

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
                                    : std::abs(written.get<double>() - recomputed) <= 1e-12 * std::max(1.0, std::abs(recomputed));
  expect(ok, what + ": metrics.json " + written.dump() + ", recomputed " + std::to_string(recomputed));
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return std::fprintf(stderr, "usage: check_femur_outputs FOLDER\n"), 2;
  const std::string folder = argv[1];
  std::ifstream md_file(folder + "/report.md");
  std::stringstream md;
  md << md_file.rdbuf();
  for (const char* heading : {"# Proximal-femur segmentation study", "## Design", "## Segmentation, whole cohort",
                              "## Segmentation, men", "## Segmentation, women", "## Femur volume", "## Settings",
                              "## Software", "| across folds |", "| holdout |", "| LibTorch |", "| PLplot |"}) {
    expect(md.str().find(heading) != std::string::npos, std::string("report.md lacks ") + heading);
  }
  for (const char* file : {"metrics.json", "predictions.csv", "split_manifest.csv", "dice_folds.png",
                           "volume_scatter.png", "bland_altman.png"}) {
    expect(std::filesystem::exists(folder + "/" + file), std::string("missing ") + file);
  }
  std::ifstream json_file(folder + "/metrics.json");
  const auto json = nlohmann::json::parse(json_file);
  const auto table = osteon::data::CsvTable::read(folder + "/predictions.csv");
  const auto& sex = table.text("sex");
  const auto& set = table.text("set");
  const std::map<std::string, std::string> keep_sex{{"whole cohort", ""}, {"men", "M"}, {"women", "F"}};
  for (const auto& [cohort, wanted] : keep_sex) {
    for (const char* metric : {"dice", "sensitivity", "specificity"}) {
      const auto values = table.numeric(metric);
      std::map<std::string, std::vector<double>> by_fold;
      std::vector<double> holdout;
      for (std::size_t r = 0; r < values.size(); ++r) {
        if (!wanted.empty() && sex[r] != wanted) continue;
        if (set[r] == "holdout") holdout.push_back(values[r]);
        else by_fold[set[r]].push_back(values[r]);
      }
      std::vector<std::vector<double>> folds;
      for (std::size_t f = 1; f <= by_fold.size(); ++f) folds.push_back(by_fold[std::to_string(f)]);
      const auto recomputed = osteon::metrics::fold_table(folds);
      const auto& written = json["metrics"]["segmentation"][cohort]["cv"][metric];
      const std::string where = cohort + " " + metric;
      expect_close(written["across_folds"]["mean"], recomputed.across_folds.mean, where + " across-folds mean");
      expect_close(written["across_folds"]["sd"], recomputed.across_folds.sd, where + " across-folds sd");
      expect_close(written["pooled"]["mean"], recomputed.pooled.mean, where + " pooled mean");
      for (std::size_t f = 0; f < folds.size(); ++f) {
        expect_close(written["folds"][f]["mean"], recomputed.folds[f].mean, where + " fold mean");
      }
      expect_close(json["metrics"]["segmentation"][cohort]["holdout"][metric]["mean"],
                   osteon::metrics::summarize(holdout).mean, where + " holdout mean");
    }
    std::vector<double> truth, predicted;
    const auto t = table.numeric("true_volume_ml"), p = table.numeric("predicted_volume_ml");
    for (std::size_t r = 0; r < t.size(); ++r) {
      if (set[r] != "holdout" && (wanted.empty() || sex[r] == wanted)) truth.push_back(t[r]), predicted.push_back(p[r]);
    }
    const auto& written = json["metrics"]["volume"][cohort];
    if (written.is_null()) continue;  // undefined (the report says why)
    const auto agreement = osteon::metrics::volume_agreement(predicted, truth);
    expect_close(written["regression"]["r2"], agreement.regression.r2, cohort + " R²");
    expect_close(written["regression"]["p_value"], agreement.regression.p_value, cohort + " p");
    expect_close(written["bland_altman"]["bias"], agreement.bland_altman.bias, cohort + " bias");
    expect_close(written["bland_altman"]["upper_limit"], agreement.bland_altman.upper_limit, cohort + " upper limit");
  }
  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
