// The proximal-femur segmentation study (DESIGN study 2) end to end on the built-in synthetic QCT
// cohort (osteon/data/synthetic_femur.hpp):
//   1. hold out 10 % of the subjects, split the rest into k folds by subject, stratified by sex
//      (split/nested.hpp), and write the split manifest;
//   2. per fold, train a V-Net with Dice + L2 regulariser (losses/dice_l2.hpp) through the Trainer
//      (train/trainer.hpp, checkpoints in fold_<k>/), predict the fold's test subjects; then train on
//      every CV subject and predict the holdout;
//   3. report Dice, sensitivity and specificity per fold (mean ± SD) and on the holdout, for the whole
//      cohort and for men and women separately; predicted vs true femur volume (R² with p,
//      Bland–Altman); figures: Dice per fold, volume scatter, Bland–Altman.
// Writes report.md, metrics.json, predictions.csv, split_manifest.csv, fold_*/ checkpoints, *.png.
//
//   femur_study [--out DIR] [--subjects N] [--size S] [--folds K] [--holdout F] [--epochs E] [--seed S]
//               [--threads T]
// The paper's design is 10 folds; the default (--folds 3, 36 subjects at 32³) is the --quick size
// that runs in minutes on 2 CPU cores. Synthetic volumes: the numbers show the pipeline, not a result.
#include <osteon/data/synthetic_femur.hpp>
#include <osteon/losses/dice_l2.hpp>
#include <osteon/metrics/segmentation/host/aggregation.hpp>
#include <osteon/metrics/segmentation/host/volume_agreement.hpp>
#include <osteon/metrics/segmentation/overlap.hpp>
#include <osteon/nn/networks/vnet.hpp>
#include <osteon/report/columns_csv.hpp>
#include <osteon/report/figures/agreement_figures.hpp>
#include <osteon/report/figures/box_figure.hpp>
#include <osteon/report/study_report.hpp>
#include <osteon/report/tables.hpp>
#include <osteon/split/manifest.hpp>
#include <osteon/split/nested.hpp>
#include <osteon/train/predict.hpp>
#include <osteon/train/trainer.hpp>

#include <torch/torch.h>
#include <torch/version.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

struct Settings {
  std::string out = "reports/femur";
  std::int64_t subjects = 36, size = 32, folds = 3, epochs = 12;
  double holdout = 0.1;
  std::uint64_t seed = 2024;
  int threads = 2;
};

/// Per-subject results of the subjects one model predicted.
struct Predicted {
  std::vector<std::int64_t> rows;
  std::vector<double> dice, sensitivity, specificity, volume_ml;
};

std::vector<double> to_vector(const torch::Tensor& t) {
  const auto c = t.to(torch::kDouble).contiguous().cpu();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

Predicted train_and_predict(const torch::Tensor& images, const torch::Tensor& masks, const std::vector<std::int64_t>& train,
                            const std::vector<std::int64_t>& test, const Settings& s, const std::string& dir,
                            double voxel_ml) {
  torch::manual_seed(s.seed);
  osteon::nn::VNet net(osteon::nn::VNetOptions().out_channels(1).dropout_prob_down(std::nullopt)
                           .dropout_prob_up({std::nullopt, std::nullopt}).dropout_prob_skip(std::nullopt));
  osteon::losses::DiceL2Loss criterion(*net, osteon::losses::DiceL2LossOptions().sigmoid(true));
  osteon::train::Trainer trainer(net, [criterion](const torch::Tensor& out, const torch::Tensor& y) mutable {
    return criterion(out, y);
  }, osteon::train::TrainerOptions().max_epochs(s.epochs).lr(1e-2).batch_size(4).seed(s.seed)
       .scheduler(osteon::train::Scheduler::cosine).output_dir(dir).progress(osteon::train::Progress::lines));
  const auto train_index = torch::tensor(train, torch::kLong), test_index = torch::tensor(test, torch::kLong);
  if (std::filesystem::exists(dir)) trainer.resume(dir);  // continue a killed run
  trainer.fit({images.index_select(0, train_index), masks.index_select(0, train_index)});
  const auto probability = osteon::train::predict(trainer.model(), images.index_select(0, test_index),
                                                  osteon::train::PredictOptions().batch_size(4)
                                                      .activation(osteon::train::Activation::sigmoid));
  const auto predicted = probability > 0.5;
  const auto truth = masks.index_select(0, test_index) > 0.5;
  const auto counts = osteon::metrics::voxel_confusion_counts(predicted, truth);
  Predicted out;
  out.rows = test;
  out.dice = to_vector(osteon::metrics::dice_from_counts(counts));
  out.sensitivity = to_vector(osteon::metrics::sensitivity_from_counts(counts));
  out.specificity = to_vector(osteon::metrics::specificity_from_counts(counts));
  for (const double v : to_vector(predicted.sum({1, 2, 3, 4}))) out.volume_ml.push_back(v * voxel_ml);
  return out;
}

template <typename Keep>
std::vector<double> pick(const std::vector<double>& values, const std::vector<std::int64_t>& rows, Keep keep) {
  std::vector<double> out;
  for (std::size_t i = 0; i < rows.size(); ++i) if (keep(rows[i])) out.push_back(values[i]);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  CLI::App app{"Proximal-femur segmentation study (V-Net, Dice + L2) on the synthetic QCT cohort", "femur_study"};
  app.add_option("--out", s.out, "output folder")->capture_default_str();
  app.add_option("--subjects", s.subjects, "subjects")->capture_default_str()->check(CLI::Range(12, 100000));
  app.add_option("--size", s.size, "volume edge in voxels (multiple of 16)")->capture_default_str();
  app.add_option("--folds", s.folds, "CV folds (paper: 10)")->capture_default_str()->check(CLI::Range(2, 100));
  app.add_option("--holdout", s.holdout, "held-out share")->capture_default_str()->check(CLI::Range(0.05, 0.5));
  app.add_option("--epochs", s.epochs, "epochs per model")->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--seed", s.seed, "seed")->capture_default_str();
  app.add_option("--threads", s.threads, "CPU threads")->capture_default_str()->check(CLI::Range(1, 1024));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  try {
    namespace fs = std::filesystem;
    const auto start = std::chrono::steady_clock::now();
    torch::set_num_threads(s.threads);
    fs::create_directories(s.out);
    const auto out = [&](const std::string& name) { return (fs::path(s.out) / name).string(); };

    const auto cohort = osteon::data::synthetic_femur_cohort(
        osteon::data::SyntheticFemurOptions().subjects(s.subjects).size(s.size).seed(s.seed));
    const std::int64_t n = cohort.subjects(), S = cohort.size;
    const double voxel_ml = cohort.spacing[0] * cohort.spacing[1] * cohort.spacing[2] / 1000.0;
    auto images = torch::from_blob(const_cast<float*>(cohort.images.data()), {n, 1, S, S, S}).clone();
    images = (images.clamp(-200.0, 1200.0) - 300.0) / 500.0;
    const auto masks = torch::from_blob(const_cast<std::uint8_t*>(cohort.masks.data()), {n, 1, S, S, S}, torch::kUInt8)
                           .to(torch::kFloat);
    std::vector<int> male;
    for (const auto& sex : cohort.sex) male.push_back(sex == "M");
    const auto design = osteon::split::nested_split(male, s.folds, cohort.subject_ids, s.holdout,
                                                    osteon::split::SplitOptions().seed(s.seed));
    const auto manifest = osteon::split::make_manifest(
        osteon::split::cohort_record(cohort.subject_ids, male, cohort.subject_ids), design, s.seed);
    osteon::split::write_manifest(out("split_manifest.csv"), manifest);
    std::fprintf(stderr, "femur study: %lld subjects at %lld^3, %zu held out, %lld-fold CV\n", static_cast<long long>(n),
                 static_cast<long long>(S), design.holdout.test.size(), static_cast<long long>(s.folds));

    std::vector<Predicted> folds;
    for (std::size_t f = 0; f < design.folds.size(); ++f) {
      std::fprintf(stderr, "fold %zu/%zu\n", f + 1, design.folds.size());
      folds.push_back(train_and_predict(images, masks, design.folds[f].train, design.folds[f].test, s,
                                        out("fold_" + std::to_string(f + 1)), voxel_ml));
    }
    std::fprintf(stderr, "final model on every CV subject → holdout\n");
    const auto holdout = train_and_predict(images, masks, design.holdout.train, design.holdout.test, s, out("final"), voxel_ml);

    // Tables: whole cohort, then men and women.
    osteon::report::StudyReport report("Proximal-femur segmentation study (synthetic QCT cohort)", "examples/femur_study");
    report.paragraph("Written by `examples/femur_study` (osteon). The volumes are synthetic "
                     "(`osteon/data/synthetic_femur.hpp`); the numbers show the pipeline, not a clinical result.");
    report.section("Design").paragraph(osteon::detail::concat(
        n, " subjects (", std::count(male.begin(), male.end(), 1), " men), ", S, "³ voxels. ", design.holdout.test.size(),
        " subjects held out; ", s.folds, "-fold cross-validation by subject on the other ", design.holdout.train.size(),
        ", stratified by sex (the paper: 10 %, 10 folds). V-Net (1 channel out, sigmoid), Dice + L2 regulariser "
        "(λ = 1e-4), Adam lr 1e-2 with cosine decay, batch 4, ", s.epochs, " epochs per model. Manifest: "
        "`split_manifest.csv` (content hash `", manifest.content_hash, "`)."));
    const std::vector<std::pair<std::string, std::function<bool(std::int64_t)>>> cohorts{
        {"whole cohort", [](std::int64_t) { return true; }},
        {"men", [&](std::int64_t r) { return male[static_cast<std::size_t>(r)] == 1; }},
        {"women", [&](std::int64_t r) { return male[static_cast<std::size_t>(r)] == 0; }}};
    std::vector<double> cv_truth, cv_predicted;
    for (const auto& fold : folds) {
      for (std::size_t i = 0; i < fold.rows.size(); ++i) {
        cv_truth.push_back(cohort.femur_volume_ml[static_cast<std::size_t>(fold.rows[i])]);
        cv_predicted.push_back(fold.volume_ml[i]);
      }
    }
    std::vector<osteon::report::AgreementRow> agreement_rows;
    for (const auto& [name, keep] : cohorts) {
      std::vector<std::vector<double>> dice, sens, spec;
      std::vector<double> truth, predicted;
      for (const auto& fold : folds) {
        dice.push_back(pick(fold.dice, fold.rows, keep));
        sens.push_back(pick(fold.sensitivity, fold.rows, keep));
        spec.push_back(pick(fold.specificity, fold.rows, keep));
        const auto v = pick(fold.volume_ml, fold.rows, keep);
        predicted.insert(predicted.end(), v.begin(), v.end());
        for (const auto r : fold.rows) if (keep(r)) truth.push_back(cohort.femur_volume_ml[static_cast<std::size_t>(r)]);
      }
      const auto tables = std::vector<osteon::metrics::FoldTable>{osteon::metrics::fold_table(dice), osteon::metrics::fold_table(sens),
                                                                  osteon::metrics::fold_table(spec)};
      const std::vector<osteon::metrics::Summary> held{
          osteon::metrics::summarize(pick(holdout.dice, holdout.rows, keep)),
          osteon::metrics::summarize(pick(holdout.sensitivity, holdout.rows, keep)),
          osteon::metrics::summarize(pick(holdout.specificity, holdout.rows, keep))};
      report.section("Segmentation, " + name);
      report.table(osteon::report::fold_table({"Dice", "sensitivity", "specificity"}, tables),
                   "Cross-validation: mean ± SD over each fold's test subjects; \"across folds\": mean ± SD of the fold means.");
      report.table(osteon::report::summary_table({"Dice", "sensitivity", "specificity"}, {{"holdout", held}}),
                   "Holdout (model trained on every CV subject).");
      auto& j = report.metrics()["segmentation"][name];
      j["cv"] = {{"dice", osteon::report::to_json(tables[0])}, {"sensitivity", osteon::report::to_json(tables[1])},
                 {"specificity", osteon::report::to_json(tables[2])}};
      j["holdout"] = {{"dice", osteon::report::to_json(held[0])}, {"sensitivity", osteon::report::to_json(held[1])},
                      {"specificity", osteon::report::to_json(held[2])}};
      try {  // undefined for fewer than 3 subjects or constant volumes: said in the report, not a number
        agreement_rows.push_back({name, osteon::metrics::volume_agreement(predicted, truth)});
        report.metrics()["volume"][name] = osteon::report::to_json(agreement_rows.back().agreement);
      } catch (const std::invalid_argument& error) {
        report.metrics()["volume"][name] = nullptr;
        report.paragraph("Volume agreement of " + name + " is undefined: " + error.what());
      }
    }
    report.section("Femur volume, predicted vs true (cross-validation predictions)");
    report.table(osteon::report::agreement_table(agreement_rows),
                 "Least-squares fit predicted = intercept + slope · true (R², two-sided p of the slope); Bland–Altman of "
                 "predicted − true (mL).");

    std::vector<osteon::report::BoxGroup> boxes;
    for (std::size_t f = 0; f < folds.size(); ++f) boxes.push_back({"fold " + std::to_string(f + 1), folds[f].dice});
    boxes.push_back({"holdout", holdout.dice});
    osteon::report::box_figure(out("dice_folds.png"), boxes, "Dice", osteon::report::FigureOptions().title("Dice per fold"));
    report.figure("dice_folds.png", "Dice per cross-validation fold and on the holdout");
    const auto all = agreement_rows.empty() || agreement_rows[0].name != "whole cohort"
                         ? throw std::runtime_error("the whole cohort's volume agreement is undefined (see report)")
                         : agreement_rows[0].agreement;
    osteon::report::volume_scatter_figure(out("volume_scatter.png"), cv_predicted, cv_truth, all, "volume (mL)",
                                          osteon::report::FigureOptions().title("Femur volume, CV predictions"));
    report.figure("volume_scatter.png", "Predicted vs true femur volume");
    osteon::report::bland_altman_figure(out("bland_altman.png"), cv_predicted, cv_truth, all, "volume (mL)",
                                        osteon::report::FigureOptions().title("Bland-Altman, femur volume"));
    report.figure("bland_altman.png", "Bland–Altman plot of predicted − true femur volume");

    // Per-subject predictions: every number above is recomputable from this file.
    osteon::report::ColumnsCsv predictions;
    std::vector<std::string> ids, sex, set;
    std::vector<double> dice, sens, spec, truth, predicted;
    const auto add = [&](const Predicted& p, const std::string& name) {
      for (std::size_t i = 0; i < p.rows.size(); ++i) {
        const auto r = static_cast<std::size_t>(p.rows[i]);
        ids.push_back(cohort.subject_ids[r]), sex.push_back(cohort.sex[r]), set.push_back(name);
        dice.push_back(p.dice[i]), sens.push_back(p.sensitivity[i]), spec.push_back(p.specificity[i]);
        truth.push_back(cohort.femur_volume_ml[r]), predicted.push_back(p.volume_ml[i]);
      }
    };
    for (std::size_t f = 0; f < folds.size(); ++f) add(folds[f], std::to_string(f + 1));
    add(holdout, "holdout");
    predictions.text("subject_id", ids).text("sex", sex).text("set", set).number("dice", dice)
        .number("sensitivity", sens).number("specificity", spec).number("true_volume_ml", truth)
        .number("predicted_volume_ml", predicted);
    predictions.write(out("predictions.csv"));
    report.file_written("predictions.csv").file_written("split_manifest.csv").file_written("fold_*/, final/ (checkpoints)");

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.setting("subjects", s.subjects).setting("size", s.size).setting("folds", s.folds).setting("holdout", s.holdout)
        .setting("epochs", s.epochs).setting("seed", s.seed).setting("threads", s.threads)
        .setting("wall_time_s", std::round(seconds));
    report.software("LibTorch", TORCH_VERSION).software("PLplot", osteon::report::figures::plplot_version());
    report.write(s.out);
    std::printf("%s\nreport written to %s (%.0f s)\n", report.markdown().c_str(), out("report.md").c_str(), seconds);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "femur_study: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "femur_study: %s\n", error.what());
    return 1;
  }
  return 0;
}
