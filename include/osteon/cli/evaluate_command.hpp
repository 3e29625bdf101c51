#pragma once
/// @file
/// `osteon evaluate`: a predictions CSV (labels and one or more score columns) → the
/// classification table (AUC [95 % CI, DeLong], accuracy, precision, recall, F1 at --threshold);
/// or a folder of predicted masks against a folder of true masks (NIfTI / PNG, matched by file
/// name) → Dice, sensitivity and specificity per subject and mean ± SD. The table goes to stdout;
/// with --out, report.md, metrics.json (and per_subject.csv for masks) go to that folder.
///
///   osteon evaluate --predictions predictions.csv --label-column outcome --score-column p_ap
///   osteon evaluate --masks predicted/ --truth labels/ --out eval/

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "osteon/cli/common.hpp"
#include "osteon/core/options.hpp"
#include "osteon/data/csv_table.hpp"
#include "osteon/io/read_image.hpp"
#include "osteon/metrics/classification/binary_report.hpp"
#include "osteon/metrics/roc/auc_ci.hpp"
#include "osteon/metrics/segmentation/host/aggregation.hpp"
#include "osteon/report/columns_csv.hpp"
#include "osteon/report/study_report.hpp"
#include "osteon/report/tables.hpp"

namespace osteon::cli {

/// Flags of `osteon evaluate`.
struct EvaluateCommandOptions {
  OSTEON_ARG(std::string, predictions) = "";
  OSTEON_ARG(std::string, label_column) = "label";
  OSTEON_ARG(std::vector<std::string>, score_columns) = {};
  OSTEON_ARG(double, threshold) = 0.5;
  OSTEON_ARG(std::string, masks) = "";
  OSTEON_ARG(std::string, truth) = "";
  OSTEON_ARG(std::string, out) = "";
};

/// Voxel counts of one predicted mask against its truth (nonzero = foreground).
struct MaskOverlap {
  std::int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  double dice() const { return tp + fp + fn == 0 ? std::nan("") : 2.0 * tp / static_cast<double>(2 * tp + fp + fn); }
  double sensitivity() const { return tp + fn == 0 ? std::nan("") : tp / static_cast<double>(tp + fn); }
  double specificity() const { return tn + fp == 0 ? std::nan("") : tn / static_cast<double>(tn + fp); }
};

/// Reads both masks and counts; a mask whose geometry (shape, spacing, origin) differs from its
/// truth is an error naming both files.
inline MaskOverlap mask_overlap(const std::string& predicted_path, const std::string& truth_path) {
  const auto predicted = io::read_image(predicted_path);
  const auto truth = io::read_image(truth_path);
  const auto shape_text = [](const std::vector<std::size_t>& shape) {
    std::string text;
    for (const auto extent : shape) text += (text.empty() ? "" : " x ") + std::to_string(extent);
    return text;
  };
  OSTEON_CHECK_ARG(predicted.shape() == truth.shape(), "mask \"", predicted_path, "\" has shape ",
                   shape_text(predicted.shape()), ", its truth \"", truth_path, "\" ", shape_text(truth.shape()));
  const auto close = [](const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) if (std::abs(a[i] - b[i]) > 1e-4 * std::max(1.0, std::abs(b[i]))) return false;
    return true;
  };
  OSTEON_CHECK_ARG(close(predicted.spacing(), truth.spacing()) && close(predicted.origin(), truth.origin()), "mask \"",
                   predicted_path, "\" has another geometry (spacing / origin) than its truth \"", truth_path, "\"");
  const auto p = predicted.as<double>();
  const auto t = truth.as<double>();
  MaskOverlap counts;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const bool pp = p.flat(i) != 0.0, tt = t.flat(i) != 0.0;
    counts.tp += pp && tt, counts.fp += pp && !tt, counts.fn += !pp && tt, counts.tn += !pp && !tt;
  }
  return counts;
}

/// Classification evaluation (see the file comment).
inline void evaluate_predictions(const EvaluateCommandOptions& o) {
  OSTEON_CHECK_ARG(!o.score_columns().empty(), "--score-column is required with --predictions (one or more)");
  const auto table = data::CsvTable::read(o.predictions());
  const auto labels = binary_labels(table, o.label_column());
  std::vector<report::ClassifierRow> rows;
  report::Json json = report::Json::object();
  for (const auto& column : o.score_columns()) {
    const auto scores = table.numeric(column);
    rows.push_back({column, metrics::auc_ci(labels, scores), metrics::binary_report(labels, scores, o.threshold())});
    json[column] = {{"auc", report::to_json(rows.back().auc)}, {"at_threshold", report::to_json(rows.back().at_threshold)}};
  }
  const auto rendered = report::classification_table(rows);
  std::printf("%s", rendered.render().c_str());
  if (o.out().empty()) return;
  report::StudyReport study("Evaluation of " + o.predictions(), "osteon evaluate");
  study.setting("predictions", o.predictions()).setting("label_column", o.label_column()).setting("threshold", o.threshold());
  study.section("Classification").table(rendered, "AUC with DeLong's 95 % CI; threshold metrics at probability " +
                                                      osteon::detail::concat(o.threshold()) + ".");
  study.metrics()["classification"] = json;
  study.write(output_folder(o.out()));
}

/// Segmentation evaluation (see the file comment).
inline void evaluate_masks(const EvaluateCommandOptions& o) {
  namespace fs = std::filesystem;
  OSTEON_CHECK_ARG(!o.truth().empty(), "--truth FOLDER is required with --masks");
  OSTEON_CHECK_ARG(fs::is_directory(o.masks()), "--masks \"", o.masks(), "\" is not a folder");
  OSTEON_CHECK_ARG(fs::is_directory(o.truth()), "--truth \"", o.truth(), "\" is not a folder");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(o.truth())) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  OSTEON_CHECK_ARG(!names.empty(), "--truth \"", o.truth(), "\" holds no files");
  std::vector<double> dice, sensitivity, specificity;
  for (const auto& name : names) {
    const auto predicted = (fs::path(o.masks()) / name).string();
    OSTEON_CHECK_ARG(fs::exists(predicted), "--masks \"", o.masks(), "\" has no file \"", name, "\" (the truth has one)");
    const auto counts = mask_overlap(predicted, (fs::path(o.truth()) / name).string());
    dice.push_back(counts.dice()), sensitivity.push_back(counts.sensitivity()), specificity.push_back(counts.specificity());
    std::fprintf(stderr, "  %s: Dice %.4f\n", name.c_str(), dice.back());
  }
  const auto summaries = std::vector<metrics::Summary>{metrics::summarize(dice), metrics::summarize(sensitivity),
                                                       metrics::summarize(specificity)};
  const auto rendered = report::summary_table({"Dice", "sensitivity", "specificity"}, {{o.masks(), summaries}});
  std::printf("%s", rendered.render().c_str());
  if (o.out().empty()) return;
  const auto folder = output_folder(o.out());
  report::ColumnsCsv per_subject;
  per_subject.text("file", names).number("dice", dice).number("sensitivity", sensitivity).number("specificity", specificity);
  per_subject.write((fs::path(folder) / "per_subject.csv").string());
  report::StudyReport study("Segmentation evaluation of " + o.masks(), "osteon evaluate");
  study.setting("masks", o.masks()).setting("truth", o.truth());
  study.section("Segmentation").table(rendered, "Per subject, mean ± SD (ddof 1); foreground = nonzero voxels.");
  study.metrics()["segmentation"] = {{"dice", report::to_json(summaries[0])}, {"sensitivity", report::to_json(summaries[1])},
                                     {"specificity", report::to_json(summaries[2])}};
  study.file_written("per_subject.csv").write(folder);
}

/// Runs `osteon evaluate`.
inline void run_evaluate(const EvaluateCommandOptions& o) {
  OSTEON_CHECK_ARG(o.predictions().empty() != o.masks().empty(), "give either --predictions FILE or --masks FOLDER");
  if (!o.predictions().empty()) evaluate_predictions(o);
  else evaluate_masks(o);
}

/// Registers `evaluate` on `app`.
inline CLI::App* add_evaluate_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<EvaluateCommandOptions>();
  auto* command = app.add_subcommand("evaluate", "Results table of a predictions CSV or a folder of masks");
  command->add_option("--predictions", options->predictions(), "CSV with labels and scores")->check(CLI::ExistingFile);
  command->add_option("--label-column", options->label_column(), "column of 0/1 labels")->capture_default_str();
  command->add_option("--score-column", options->score_columns(), "score column(s), higher = case");
  command->add_option("--threshold", options->threshold(), "probability threshold of the threshold metrics")
      ->capture_default_str();
  command->add_option("--masks", options->masks(), "folder of predicted masks (NIfTI / PNG)");
  command->add_option("--truth", options->truth(), "folder of true masks, same file names");
  command->add_option("--out", options->out(), "folder for report.md and metrics.json");
  command->callback([options, &exit_code] { exit_code = run_guarded("evaluate", [&] { run_evaluate(*options); }); });
  return command;
}

}  // namespace osteon::cli
