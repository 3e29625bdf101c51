#pragma once
/// @file
/// `osteon compare`: two or more score columns of one predictions CSV (the same cases) → DeLong's
/// paired test for every pair (ΔAUC with its CI, Z, p) on stdout, and with --out the ROC figure
/// (roc.png), report.md and metrics.json.
///
///   osteon compare --predictions predictions.csv --label-column outcome \
///                  --score-column p_ap --score-column p_frog --score-column p_ap_frog --out compare/

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "osteon/cli/common.hpp"
#include "osteon/core/options.hpp"
#include "osteon/data/csv_table.hpp"
#include "osteon/metrics/roc/auc_ci.hpp"
#include "osteon/metrics/roc/delong.hpp"
#include "osteon/report/figures/canvas.hpp"
#include "osteon/report/figures/roc_figure.hpp"
#include "osteon/report/study_report.hpp"
#include "osteon/report/tables.hpp"

namespace osteon::cli {

/// Flags of `osteon compare`.
struct CompareCommandOptions {
  OSTEON_ARG(std::string, predictions) = "";
  OSTEON_ARG(std::string, label_column) = "label";
  OSTEON_ARG(std::vector<std::string>, score_columns) = {};
  OSTEON_ARG(std::string, out) = "";
};

/// Runs `osteon compare`.
inline void run_compare(const CompareCommandOptions& o) {
  OSTEON_CHECK_ARG(o.score_columns().size() >= 2, "--score-column must be given at least twice, got ",
                   o.score_columns().size());
  const auto table = data::CsvTable::read(o.predictions());
  const auto labels = binary_labels(table, o.label_column());
  std::vector<std::vector<double>> scores;
  for (const auto& column : o.score_columns()) scores.push_back(table.numeric(column));
  std::vector<report::ComparisonRow> rows;
  report::Json json = report::Json::array();
  for (std::size_t a = 0; a < scores.size(); ++a) {
    for (std::size_t b = a + 1; b < scores.size(); ++b) {
      rows.push_back({o.score_columns()[a], o.score_columns()[b], metrics::delong_test(labels, scores[a], scores[b])});
      json.push_back({{"a", rows.back().name_a}, {"b", rows.back().name_b}, {"delong", report::to_json(rows.back().test)}});
    }
  }
  const auto rendered = report::comparison_table(rows);
  std::printf("%s", rendered.render().c_str());
  if (o.out().empty()) return;
  const auto folder = output_folder(o.out());
  std::vector<report::RocSeries> series;
  report::Json aucs = report::Json::object();
  for (std::size_t k = 0; k < scores.size(); ++k) {
    series.push_back({o.score_columns()[k], metrics::roc_curve(labels, scores[k]), metrics::auc_ci(labels, scores[k])});
    aucs[o.score_columns()[k]] = report::to_json(series.back().auc);
  }
  report::roc_figure((std::filesystem::path(folder) / "roc.png").string(), series,
                     report::FigureOptions().title("ROC curves (n = " + std::to_string(labels.size()) + ")"));
  report::StudyReport study("Comparison of " + std::to_string(scores.size()) + " predictors", "osteon compare");
  study.setting("predictions", o.predictions()).setting("label_column", o.label_column());
  study.software("PLplot", report::figures::plplot_version());
  study.section("DeLong tests").table(rendered, "DeLong's test for two correlated ROC curves (paired), two-sided.");
  study.figure("roc.png", "ROC curves; legend: AUC [95 % CI, DeLong]");
  study.metrics()["auc"] = aucs;
  study.metrics()["comparisons"] = json;
  study.write(folder);
}

/// Registers `compare` on `app`.
inline CLI::App* add_compare_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CompareCommandOptions>();
  auto* command = app.add_subcommand("compare", "DeLong tests between predictors on the same cases; the ROC figure");
  command->add_option("--predictions", options->predictions(), "CSV with labels and scores")->required()
      ->check(CLI::ExistingFile);
  command->add_option("--label-column", options->label_column(), "column of 0/1 labels")->capture_default_str();
  command->add_option("--score-column", options->score_columns(), "score columns (two or more)")->required();
  command->add_option("--out", options->out(), "folder for roc.png, report.md and metrics.json");
  command->callback([options, &exit_code] { exit_code = run_guarded("compare", [&] { run_compare(*options); }); });
  return command;
}

}  // namespace osteon::cli
