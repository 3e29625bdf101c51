#pragma once
/// @file
/// The cross-validation runner: a split manifest (k folds, optionally a held-out test set, from
/// osteon::split) in; one model per fold, trained on the other folds; each model scored on its own
/// fold and on the holdout, the ensemble (mean probability of the fold models) on the holdout; the
/// per-fold table, mean ± SD across folds with an explicit ddof (osteon::metrics::summarize) and the
/// pooled out-of-fold metric out.

#include <torch/types.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"
#include "osteon/metrics/segmentation/host/aggregation.hpp"
#include "osteon/split/manifest.hpp"
#include "osteon/train/predict.hpp"
#include "osteon/train/trainer.hpp"

namespace osteon::train {

/// Options of cross_validate.
struct CrossValidationOptions {
  OSTEON_ARG(TrainerOptions, trainer) = {};
  /// Metrics reported per fold (see metric_names).
  OSTEON_ARG(std::vector<std::string>, metrics) = {"auc"};
  /// Delta degrees of freedom of the SD across folds (1: sample SD, as R's sd()).
  OSTEON_ARG(int, ddof) = 1;
  OSTEON_ARG(PredictOptions, predict) = {};
  /// true: each fold's own test part is the Trainer's validation data (early stopping, best model);
  /// false: no validation during training.
  OSTEON_ARG(bool, validate_on_fold) = false;
};

/// One metric over the folds.
struct FoldMetric {
  std::string name;
  std::vector<double> fold;         ///< each model on its own fold
  std::vector<double> holdout;      ///< each model on the holdout (empty without one)
  metrics::Summary fold_summary;    ///< mean ± SD of `fold`
  metrics::Summary holdout_summary; ///< mean ± SD of `holdout`
  double pooled = std::numeric_limits<double>::quiet_NaN();            ///< on all out-of-fold predictions
  double ensemble_holdout = std::numeric_limits<double>::quiet_NaN();  ///< mean probability of the models
};

/// What cross_validate returns.
struct CrossValidationResult {
  std::vector<FoldMetric> metrics;
  std::vector<FitResult> fits;          ///< one per fold
  torch::Tensor out_of_fold;            ///< probabilities of every development sample, by its own fold's model (rows: manifest order of holdout.train)
  std::vector<std::int64_t> out_of_fold_rows;
  torch::Tensor ensemble_probabilities; ///< on the holdout rows (undefined without a holdout)
  std::vector<std::int64_t> holdout_rows;

  /// A Markdown table: one row per fold, then mean ± SD (ddof), pooled and ensemble rows.
  std::string table(int digits = 3) const {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(digits);
    out << "| fold |";
    for (const auto& m : metrics) out << ' ' << m.name << " (fold) |" << (m.holdout.empty() ? "" : " " + m.name + " (holdout) |");
    out << "\n|---|";
    for (const auto& m : metrics) out << "---|" << (m.holdout.empty() ? "" : "---|");
    out << '\n';
    const auto folds = metrics.empty() ? 0 : metrics.front().fold.size();
    for (std::size_t f = 0; f < folds; ++f) {
      out << "| " << f << " |";
      for (const auto& m : metrics) {
        out << ' ' << m.fold[f] << " |";
        if (!m.holdout.empty()) out << ' ' << m.holdout[f] << " |";
      }
      out << '\n';
    }
    out << "| mean ± SD (ddof " << (metrics.empty() ? 1 : metrics.front().fold_summary.ddof) << ") |";
    for (const auto& m : metrics) {
      out << ' ' << metrics::format_mean_sd(m.fold_summary, digits) << " |";
      if (!m.holdout.empty()) out << ' ' << metrics::format_mean_sd(m.holdout_summary, digits) << " |";
    }
    out << "\n| pooled out-of-fold / ensemble on holdout |";
    for (const auto& m : metrics) {
      out << ' ' << m.pooled << " |";
      if (!m.holdout.empty()) out << ' ' << m.ensemble_holdout << " |";
    }
    out << '\n';
    return out.str();
  }
};

/// Builds the model of fold `fold` (fresh weights each call).
using ModelFactory = std::function<TrainModel(std::int64_t fold)>;

/// Runs the cross-validation of `manifest` (kind kfold or nested) on `cohort` (rows in the
/// manifest's order). With a trainer output_dir, fold f writes into <output_dir>/fold_<f>.
///
/// Example:
///   auto manifest = osteon::split::read_manifest("femur_split.csv");
///   auto result = osteon::train::cross_validate(manifest, {volumes, masks},
///       [](std::int64_t) {
///         return osteon::train::make_model(osteon::nn::VNet(osteon::nn::VNetOptions().out_channels(2)));
///       },
///       loss, osteon::train::CrossValidationOptions().metrics({"dice"}).trainer(options));
///   std::cout << result.table();
inline CrossValidationResult cross_validate(const split::Manifest& manifest, const TensorData& cohort,
                                            const ModelFactory& make_fold_model, const LossFn& loss,
                                            const CrossValidationOptions& options = {}) {
  cohort.check("cross_validate", "cohort");
  OSTEON_CHECK_ARG(static_cast<std::int64_t>(manifest.folds.size()) == cohort.size(), "cross_validate: the manifest has ",
                   manifest.folds.size(), " samples, the cohort ", cohort.size());
  OSTEON_CHECK_ARG(manifest.kind() != split::ManifestKind::Holdout,
                   "cross_validate: the manifest holds a holdout split only; it needs k folds (kfold or nested)");
  OSTEON_CHECK_ARG(options.ddof() >= 0, "cross_validate: ddof must be >= 0, got ", options.ddof());
  OSTEON_CHECK_ARG(!options.metrics().empty(), "cross_validate: metrics must name at least one metric");
  for (const auto& name : options.metrics()) metric_by_name(name);
  const auto design = manifest.splits();
  CrossValidationResult result;
  result.holdout_rows = design.holdout.test;
  const bool has_holdout = !design.holdout.test.empty();
  const auto holdout = has_holdout ? cohort.subset(design.holdout.test) : TensorData{};
  std::map<std::string, std::vector<double>> fold_values, holdout_values;
  std::vector<torch::Tensor> oof_parts, holdout_probabilities;
  for (std::size_t f = 0; f < design.folds.size(); ++f) {
    const auto& fold = design.folds[f];
    auto trainer_options = options.trainer();
    if (!trainer_options.output_dir().empty())
      trainer_options.output_dir((std::filesystem::path(trainer_options.output_dir()) / ("fold_" + std::to_string(f))).string());
    Trainer trainer(make_fold_model(static_cast<std::int64_t>(f)), loss, trainer_options);
    const auto train_part = cohort.subset(fold.train);
    const auto test_part = cohort.subset(fold.test);
    result.fits.push_back(options.validate_on_fold() ? trainer.fit(train_part, test_part) : trainer.fit(train_part));
    const auto p_fold = predict(trainer.model(), test_part.inputs, options.predict());
    for (const auto& [name, value] : score_probabilities(p_fold, test_part.targets, options.metrics(), options.predict().activation()))
      fold_values[name].push_back(value);
    oof_parts.push_back(p_fold);
    result.out_of_fold_rows.insert(result.out_of_fold_rows.end(), fold.test.begin(), fold.test.end());
    if (has_holdout) {
      const auto p_holdout = predict(trainer.model(), holdout.inputs, options.predict());
      for (const auto& [name, value] : score_probabilities(p_holdout, holdout.targets, options.metrics(), options.predict().activation()))
        holdout_values[name].push_back(value);
      holdout_probabilities.push_back(p_holdout);
    }
  }
  result.out_of_fold = torch::cat(oof_parts, 0);
  const auto oof_targets = cohort.subset(result.out_of_fold_rows).targets;
  const auto pooled = score_probabilities(result.out_of_fold, oof_targets, options.metrics(), options.predict().activation());
  std::map<std::string, double> ensemble;
  if (has_holdout) {
    result.ensemble_probabilities = torch::stack(holdout_probabilities, 0).mean(0);
    ensemble = score_probabilities(result.ensemble_probabilities, holdout.targets, options.metrics(), options.predict().activation());
  }
  for (const auto& name : options.metrics()) {
    FoldMetric m;
    m.name = name;
    m.fold = fold_values[name];
    m.fold_summary = metrics::summarize(m.fold, options.ddof());
    m.pooled = pooled.at(name);
    if (has_holdout) {
      m.holdout = holdout_values[name];
      m.holdout_summary = metrics::summarize(m.holdout, options.ddof());
      m.ensemble_holdout = ensemble.at(name);
    }
    result.metrics.push_back(std::move(m));
  }
  return result;
}

}  // namespace osteon::train
