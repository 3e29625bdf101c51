// The sacroiliac-joint MRI study (DESIGN study 4) end to end on the built-in synthetic SIJ cohort
// (osteon/data/synthetic_sij.hpp: 2-D T1-like slices, fat-metaplasia masks, axSpA label, two centres):
//   1. the internal centre's patients: a held-out internal test set, k-fold CV by patient on the rest,
//      stratified by axSpA (split/nested.hpp); every external-centre patient is an external test case;
//   2. fat-metaplasia segmentation: a 2-D UNet (sigmoid, Dice + CE) through the Trainer per fold, then on
//      every CV patient → internal and external test; Dice mean ± SD per fold and on both test sets
//      (patients without fat metaplasia have no defined Dice and are counted as such);
//   3. axSpA classifier: the segmenter's predicted fat-metaplasia area (mm², the sum of the lesion
//      probabilities) as the score; AUC with DeLong 95 % CI on the internal and the external test set,
//      and the unpaired DeLong test between the two centres;
//   4. reader study on the internal test patients with fat metaplasia: two simulated readers outline the
//      lesions without and then with the model's mask (see simulate_reader); each reader's Dice without vs
//      with assistance on the same cases: paired t-test and Wilcoxon signed-rank test.
// Writes report.md, metrics.json, predictions.csv, readers.csv, split_manifest.csv, fold_*/ and final/
// checkpoints, PNG figures (ROC internal vs external, Dice per fold, reader Dice). Synthetic images: the
// numbers show the pipeline, not a clinical result.
#include "studies.hpp"
#include "study_support.hpp"

#include <osteon/core/rng.hpp>
#include <osteon/data/synthetic_sij.hpp>
#include <osteon/losses/dice_ce.hpp>
#include <osteon/metrics/roc/auc_ci.hpp>
#include <osteon/metrics/roc/delong.hpp>
#include <osteon/metrics/roc/roc.hpp>
#include <osteon/metrics/segmentation/host/aggregation.hpp>
#include <osteon/metrics/segmentation/overlap.hpp>
#include <osteon/nn/networks/unet.hpp>
#include <osteon/report/columns_csv.hpp>
#include <osteon/report/figures/box_figure.hpp>
#include <osteon/report/figures/roc_figure.hpp>
#include <osteon/report/study_report.hpp>
#include <osteon/report/tables.hpp>
#include <osteon/split/manifest.hpp>
#include <osteon/split/nested.hpp>
#include <osteon/stats/paired_tests.hpp>
#include <osteon/train/predict.hpp>
#include <osteon/train/trainer.hpp>

#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>

namespace osteon::studies {
namespace {

struct SijSettings {
  std::string out = "reports/sij";
  std::int64_t patients = 120, size = 64, folds = 3, epochs = 12;
  double holdout = 0.25, external = 0.25;
  std::uint64_t seed = 2024;
  int threads = 2;
};

/// How a simulated reader outlines fat metaplasia. Unassisted: each lesion pixel is marked with
/// probability `sensitivity`, each other pixel with `false_positive_rate`. Assisted (the model's mask
/// shown): where the model marks a pixel the reader accepts it with probability `accept_true` if it is
/// a lesion pixel and `accept_false` if not; elsewhere the reader keeps the unassisted outline.
struct ReaderProfile {
  std::string name;
  double sensitivity, false_positive_rate, accept_true, accept_false;
};

/// One reader's unassisted and assisted masks of one image; deterministic from `rng`.
std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>> simulate_reader(const std::uint8_t* truth, const std::uint8_t* model,
                                                                                std::size_t pixels, const ReaderProfile& reader,
                                                                                osteon::Pcg32& rng) {
  std::vector<std::uint8_t> alone(pixels), helped(pixels);
  for (std::size_t i = 0; i < pixels; ++i) {
    const double u = rng.uniform01(), v = rng.uniform01();
    alone[i] = truth[i] ? (u < reader.sensitivity) : (u < reader.false_positive_rate);
    helped[i] = model[i] ? (v < (truth[i] ? reader.accept_true : reader.accept_false) ? 1 : alone[i]) : alone[i];
  }
  return {alone, helped};
}

struct Scored {
  std::vector<std::int64_t> rows;  ///< cohort rows
  std::vector<double> dice, score_mm2;
  torch::Tensor mask;              ///< (rows, 1, S, S) uint8 predicted masks
};

Scored train_and_score(const torch::Tensor& images, const torch::Tensor& masks, const std::vector<std::int64_t>& train,
                       const std::vector<std::int64_t>& test, const SijSettings& s, const std::string& dir, double pixel_mm2) {
  torch::manual_seed(s.seed);
  osteon::nn::UNet net(osteon::nn::UNetOptions(2, 1, 1, {16, 32, 64}, {2, 2}).num_res_units(1));
  osteon::losses::DiceCELoss criterion(osteon::losses::DiceCELossOptions().sigmoid(true));
  osteon::train::Trainer trainer(net, [criterion](const torch::Tensor& out, const torch::Tensor& y) mutable {
    return criterion(out, y);
  }, osteon::train::TrainerOptions().max_epochs(s.epochs).lr(1e-2).batch_size(8).seed(s.seed)
       .scheduler(osteon::train::Scheduler::cosine).output_dir(dir).progress(osteon::train::Progress::lines));
  if (std::filesystem::exists(dir)) trainer.resume(dir);  // continue a killed run
  trainer.fit({rows_of(images, train), rows_of(masks, train)});
  const auto probability = osteon::train::predict(trainer.model(), rows_of(images, test), osteon::train::PredictOptions()
                                                      .batch_size(16).activation(osteon::train::Activation::sigmoid));
  const auto predicted = probability > 0.5;
  const auto counts = osteon::metrics::voxel_confusion_counts(predicted, rows_of(masks, test) > 0.5);
  Scored out;
  out.rows = test;
  out.dice = to_vector(osteon::metrics::dice_from_counts(counts));
  out.score_mm2 = to_vector(probability.sum({1, 2, 3}) * pixel_mm2);
  out.mask = predicted.to(torch::kUInt8).contiguous();
  return out;
}

std::vector<int> labels_of(const std::vector<std::int64_t>& rows, const std::vector<int>& y) {
  std::vector<int> out;
  for (const auto r : rows) out.push_back(y[static_cast<std::size_t>(r)]);
  return out;
}

}  // namespace

int run_sij_study(int argc, char** argv) {
  SijSettings s;
  CLI::App app{"Sacroiliac-joint MRI study (synthetic): UNet fat-metaplasia segmentation, axSpA classifier on an internal "
               "and an external centre, reader study", "sij_study"};
  app.add_option("--out", s.out, "output folder")->capture_default_str();
  app.add_option("--patients", s.patients, "patients (both centres)")->capture_default_str()->check(CLI::Range(24, 100000));
  app.add_option("--size", s.size, "image edge in pixels (multiple of 4, >= 32)")->capture_default_str()->check(CLI::Range(32, 512));
  app.add_option("--folds", s.folds, "CV folds on the internal centre")->capture_default_str()->check(CLI::Range(2, 100));
  app.add_option("--holdout", s.holdout, "internal test share")->capture_default_str()->check(CLI::Range(0.1, 0.5));
  app.add_option("--external", s.external, "share of patients from the external centre")->capture_default_str()->check(CLI::Range(0.1, 0.6));
  app.add_option("--epochs", s.epochs, "epochs per model")->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--seed", s.seed, "seed")->capture_default_str();
  app.add_option("--threads", s.threads, "CPU threads")->capture_default_str()->check(CLI::Range(1, 1024));
  if (const int code = parse_or_exit(app, argc, argv); code >= 0) return code;
  if (s.size % 4 != 0) {
    std::fprintf(stderr, "sij_study: --size must be a multiple of 4 (two UNet downsamplings), got %lld\n", static_cast<long long>(s.size));
    return 2;
  }
  try {
    namespace fs = std::filesystem;
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto lap_start = start;
    const auto lap = [&] {
      const auto now = Clock::now();
      const double t = std::chrono::duration<double>(now - lap_start).count();
      lap_start = now;
      return t;
    };
    double t_data = 0, t_train = 0, t_eval = 0;
    torch::set_num_threads(s.threads);
    fs::create_directories(s.out);
    const auto out = [&](const std::string& name) { return (fs::path(s.out) / name).string(); };

    const auto cohort = osteon::data::synthetic_sij_cohort(
        osteon::data::SyntheticSijOptions().patients(s.patients).size(s.size).external_fraction(s.external).seed(s.seed));
    const std::int64_t n = cohort.patients(), S = cohort.size;
    const double pixel_mm2 = cohort.spacing[0] * cohort.spacing[1];
    const auto images = torch::from_blob(const_cast<float*>(cohort.images.data()), {n, 1, S, S}).clone();
    const auto masks = torch::from_blob(const_cast<std::uint8_t*>(cohort.masks.data()), {n, 1, S, S}, torch::kUInt8).to(torch::kFloat);
    std::vector<std::int64_t> internal, external;
    for (std::int64_t r = 0; r < n; ++r) (cohort.centre[static_cast<std::size_t>(r)] == "internal" ? internal : external).push_back(r);
    std::vector<int> internal_y;
    std::vector<std::string> internal_ids;
    for (const auto r : internal) internal_y.push_back(cohort.axspa[static_cast<std::size_t>(r)]), internal_ids.push_back(cohort.patient_ids[static_cast<std::size_t>(r)]);
    const auto design = osteon::split::nested_split(internal_y, s.folds, internal_ids, s.holdout, osteon::split::SplitOptions().seed(s.seed));
    const auto manifest = osteon::split::make_manifest(osteon::split::cohort_record(internal_ids, internal_y, internal_ids), design, s.seed);
    osteon::split::write_manifest(out("split_manifest.csv"), manifest);
    const auto to_rows = [&](const std::vector<std::int64_t>& positions) {
      std::vector<std::int64_t> rows;
      for (const auto p : positions) rows.push_back(internal[static_cast<std::size_t>(p)]);
      return rows;
    };
    std::fprintf(stderr, "SIJ study: %lld patients at %lld^2 (%zu internal, %zu external), %zu internal test, %lld-fold CV\n",
                 static_cast<long long>(n), static_cast<long long>(S), internal.size(), external.size(),
                 design.holdout.test.size(), static_cast<long long>(s.folds));
    t_data += lap();

    std::vector<Scored> folds;
    for (std::size_t f = 0; f < design.folds.size(); ++f) {
      std::fprintf(stderr, "fold %zu/%zu\n", f + 1, design.folds.size());
      folds.push_back(train_and_score(images, masks, to_rows(design.folds[f].train), to_rows(design.folds[f].test), s,
                                      out("fold_" + std::to_string(f + 1)), pixel_mm2));
    }
    std::fprintf(stderr, "final model on every CV patient -> internal and external test\n");
    auto test_rows = to_rows(design.holdout.test);
    const auto n_internal_test = test_rows.size();
    test_rows.insert(test_rows.end(), external.begin(), external.end());
    auto final_scored = train_and_score(images, masks, to_rows(design.holdout.train), test_rows, s, out("final"), pixel_mm2);
    t_train += lap();
    const auto part = [&](std::size_t from, std::size_t to) {
      Scored p;
      p.rows.assign(final_scored.rows.begin() + from, final_scored.rows.begin() + to);
      p.dice.assign(final_scored.dice.begin() + from, final_scored.dice.begin() + to);
      p.score_mm2.assign(final_scored.score_mm2.begin() + from, final_scored.score_mm2.begin() + to);
      p.mask = final_scored.mask.slice(0, static_cast<std::int64_t>(from), static_cast<std::int64_t>(to)).contiguous();
      return p;
    };
    const auto internal_test = part(0, n_internal_test), external_test = part(n_internal_test, final_scored.rows.size());

    osteon::report::StudyReport report("Sacroiliac-joint MRI study (synthetic cohort)", "examples/sij_study");
    report.paragraph("Written by `sij_study` / `osteon study sij` (osteon). The images are synthetic "
                     "(`osteon/data/synthetic_sij.hpp`); the numbers show the pipeline, not a clinical result.");
    report.section("Design").paragraph(osteon::detail::concat(
        n, " patients, ", S, "² pixels: ", internal.size(), " from the internal centre, ", external.size(),
        " from the external centre (another scanner). Internal: ", design.holdout.test.size(), " held out as the internal "
        "test set, ", s.folds, "-fold cross-validation by patient on the other ", design.holdout.train.size(),
        ", stratified by axSpA; every external patient is an external test case. Segmentation: 2-D UNet (16/32/64, one "
        "residual unit), sigmoid Dice + CE, Adam lr 1e-2 with cosine decay, batch 8, ", s.epochs, " epochs per model. "
        "Classifier score: the predicted fat-metaplasia area (mm², sum of lesion probabilities) of the final model. "
        "Dice is undefined (0/0) for a patient without fat metaplasia and a clean prediction, and is left out of the "
        "means (the tables' n counts the defined ones). Manifest (internal patients): `split_manifest.csv` (content hash `",
        manifest.content_hash, "`)."));

    // Segmentation tables.
    std::vector<std::vector<double>> fold_dice;
    for (const auto& f : folds) fold_dice.push_back(f.dice);
    const auto cv = osteon::metrics::fold_table(fold_dice);
    const auto dice_internal = osteon::metrics::summarize(internal_test.dice), dice_external = osteon::metrics::summarize(external_test.dice);
    report.section("Fat-metaplasia segmentation");
    report.table(osteon::report::fold_table({"Dice"}, {cv}), "Cross-validation (internal centre): mean ± SD per fold.");
    report.table(osteon::report::summary_table({"Dice"}, {{"internal test", {dice_internal}}, {"external test", {dice_external}}}),
                 "Final model (trained on every CV patient) on the two test sets.");
    report.metrics()["segmentation"] = {{"cv", osteon::report::to_json(cv)}, {"internal_test", osteon::report::to_json(dice_internal)},
                                        {"external_test", osteon::report::to_json(dice_external)}};
    std::vector<osteon::report::BoxGroup> boxes;
    for (std::size_t f = 0; f < folds.size(); ++f) boxes.push_back({"fold " + std::to_string(f + 1), finite_only(folds[f].dice)});
    boxes.push_back({"internal", finite_only(internal_test.dice)});
    boxes.push_back({"external", finite_only(external_test.dice)});
    boxes.erase(std::remove_if(boxes.begin(), boxes.end(), [](const osteon::report::BoxGroup& b) { return b.values.empty(); }), boxes.end());
    osteon::report::box_figure(out("dice_folds.png"), boxes, "Dice", osteon::report::FigureOptions().title("Fat-metaplasia Dice"));
    report.figure("dice_folds.png", "Dice per cross-validation fold and on the internal and external test sets");

    // Classification: AUC per centre, unpaired DeLong between centres.
    const auto y_internal = labels_of(internal_test.rows, cohort.axspa), y_external = labels_of(external_test.rows, cohort.axspa);
    const auto auc_internal = osteon::metrics::auc_ci(y_internal, internal_test.score_mm2);
    const auto auc_external = osteon::metrics::auc_ci(y_external, external_test.score_mm2);
    const auto between = osteon::metrics::delong_test_unpaired(y_internal, internal_test.score_mm2, y_external, external_test.score_mm2);
    report.section("axSpA classification (score: predicted fat-metaplasia area)");
    osteon::report::MarkdownTable auc_table({"test set", "n (axSpA)", "AUC [95 % CI, DeLong]"});
    auc_table.add_row({"internal", osteon::detail::concat(y_internal.size(), " (", std::count(y_internal.begin(), y_internal.end(), 1), ")"),
                       osteon::report::auc_ci_text(auc_internal)});
    auc_table.add_row({"external", osteon::detail::concat(y_external.size(), " (", std::count(y_external.begin(), y_external.end(), 1), ")"),
                       osteon::report::auc_ci_text(auc_external)});
    report.table(auc_table);
    report.table(osteon::report::comparison_table({{"internal", "external", between}}),
                 "Unpaired DeLong test (different patients), two-sided.");
    report.metrics()["classification"] = {{"internal_test", osteon::report::to_json(auc_internal)},
                                          {"external_test", osteon::report::to_json(auc_external)},
                                          {"internal_vs_external", osteon::report::to_json(between)}};
    osteon::report::roc_figure(out("roc_centres.png"),
                               {{"internal", osteon::metrics::roc_curve(y_internal, internal_test.score_mm2), auc_internal},
                                {"external", osteon::metrics::roc_curve(y_external, external_test.score_mm2), auc_external}},
                               osteon::report::FigureOptions().title("axSpA: internal vs external test"));
    report.figure("roc_centres.png", "ROC of the axSpA score on the internal and the external test set");

    // Reader study: internal test patients with fat metaplasia (Dice defined for every reading).
    const std::vector<ReaderProfile> readers{{"reader 1", 0.75, 0.001, 0.9, 0.3}, {"reader 2", 0.6, 0.002, 0.9, 0.4}};
    osteon::Pcg32 rng(s.seed + 17);
    const auto pixels = static_cast<std::size_t>(S * S);
    std::vector<std::string> reader_ids, reader_names;
    std::vector<double> dice_alone, dice_helped;
    std::vector<osteon::report::PairedRow> paired;
    std::vector<osteon::report::BoxGroup> reader_boxes;
    for (const auto& reader : readers) {
      std::vector<double> alone, helped;
      for (std::size_t i = 0; i < internal_test.rows.size(); ++i) {
        const auto r = static_cast<std::size_t>(internal_test.rows[i]);
        const std::uint8_t* truth = cohort.masks.data() + r * pixels;
        if (std::count(truth, truth + pixels, std::uint8_t{1}) == 0) continue;
        const auto [a, b] = simulate_reader(truth, internal_test.mask.data_ptr<std::uint8_t>() + i * pixels, pixels, reader, rng);
        const auto truth_t = torch::from_blob(const_cast<std::uint8_t*>(truth), {1, 1, S, S}, torch::kUInt8) > 0;
        const auto dice_of = [&](const std::vector<std::uint8_t>& m) {
          const auto t = torch::from_blob(const_cast<std::uint8_t*>(m.data()), {1, 1, S, S}, torch::kUInt8) > 0;
          return to_vector(osteon::metrics::dice_from_counts(osteon::metrics::voxel_confusion_counts(t, truth_t)))[0];
        };
        alone.push_back(dice_of(a)), helped.push_back(dice_of(b));
        reader_ids.push_back(cohort.patient_ids[r]), reader_names.push_back(reader.name);
        dice_alone.push_back(alone.back()), dice_helped.push_back(helped.back());
      }
      auto& j = report.metrics()["readers"][reader.name];
      j["unassisted"] = osteon::report::to_json(osteon::metrics::summarize(alone));
      j["assisted"] = osteon::report::to_json(osteon::metrics::summarize(helped));
      try {  // undefined for fewer than 2 cases or equal differences: said in the report, null in metrics.json
        paired.push_back({reader.name, osteon::metrics::summarize(alone), osteon::metrics::summarize(helped),
                          osteon::stats::paired_ttest(helped, alone), osteon::stats::wilcoxon_signed_rank(helped, alone)});
        j["paired_t"] = osteon::report::to_json(paired.back().t_test);
        j["wilcoxon"] = osteon::report::to_json(paired.back().wilcoxon);
      } catch (const std::invalid_argument& error) {
        j["paired_t"] = nullptr, j["wilcoxon"] = nullptr;
        report.paragraph("The paired tests of " + reader.name + " are undefined: " + error.what());
      }
      reader_boxes.push_back({reader.name + " alone", alone});
      reader_boxes.push_back({reader.name + " + model", helped});
    }
    report.section("Reader study (internal test patients with fat metaplasia)");
    report.paragraph("Two simulated readers (unassisted: lesion pixels marked with probability 0.75 / 0.6, false "
                     "positives 0.1 % / 0.2 %; assisted: the model's lesion pixels accepted with probability 0.9 when "
                     "right and 0.3 / 0.4 when wrong) read the same cases without and with the model's mask.");
    report.table(osteon::report::paired_table("unassisted Dice", "assisted Dice", paired),
                 "Assisted − unassisted on the same cases: paired t-test and Wilcoxon signed-rank test, two-sided.");
    reader_boxes.erase(std::remove_if(reader_boxes.begin(), reader_boxes.end(), [](const osteon::report::BoxGroup& b) { return b.values.empty(); }), reader_boxes.end());
    if (!reader_boxes.empty()) {
      osteon::report::box_figure(out("reader_dice.png"), reader_boxes, "Dice", osteon::report::FigureOptions().title("Readers without and with the model"));
      report.figure("reader_dice.png", "Reader Dice without and with model assistance");
    }
    t_eval += lap();

    // Per-patient files: every number above is recomputable from them.
    osteon::report::ColumnsCsv predictions;
    std::vector<std::string> ids, centre, set;
    std::vector<double> axspa, dice, score, lesion_pixels;
    const auto add = [&](const Scored& p, const std::string& name) {
      for (std::size_t i = 0; i < p.rows.size(); ++i) {
        const auto r = static_cast<std::size_t>(p.rows[i]);
        ids.push_back(cohort.patient_ids[r]), centre.push_back(cohort.centre[r]), set.push_back(name);
        axspa.push_back(cohort.axspa[r]), dice.push_back(p.dice[i]), score.push_back(p.score_mm2[i]);
        lesion_pixels.push_back(static_cast<double>(std::count(cohort.masks.begin() + static_cast<std::ptrdiff_t>(r * pixels),
                                                               cohort.masks.begin() + static_cast<std::ptrdiff_t>((r + 1) * pixels), std::uint8_t{1})));
      }
    };
    for (std::size_t f = 0; f < folds.size(); ++f) add(folds[f], std::to_string(f + 1));
    add(internal_test, "internal_test");
    add(external_test, "external_test");
    predictions.text("patient_id", ids).text("centre", centre).text("set", set).number("axspa", axspa)
        .number("lesion_pixels", lesion_pixels).number("dice", dice).number("score_mm2", score);
    predictions.write(out("predictions.csv"));
    osteon::report::ColumnsCsv reader_csv;
    reader_csv.text("patient_id", reader_ids).text("reader", reader_names).number("unassisted_dice", dice_alone)
        .number("assisted_dice", dice_helped);
    reader_csv.write(out("readers.csv"));
    report.file_written("predictions.csv").file_written("readers.csv").file_written("split_manifest.csv")
        .file_written("fold_*/, final/ (checkpoints)");
    t_eval += lap();

    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    report.metrics()["timing_s"] = {{"data", t_data}, {"training", t_train}, {"evaluation", t_eval}, {"total", seconds}};
    report.setting("patients", s.patients).setting("size", s.size).setting("folds", s.folds).setting("holdout", s.holdout)
        .setting("external", s.external).setting("epochs", s.epochs).setting("seed", s.seed).setting("threads", s.threads)
        .setting("wall_time_s", std::round(seconds));
    report.software("LibTorch", TORCH_VERSION).software("PLplot", osteon::report::figures::plplot_version());
    report.write(s.out);
    std::printf("%s\nreport written to %s (%.0f s: data %.0f, training %.0f, evaluation %.0f)\n", report.markdown().c_str(),
                out("report.md").c_str(), seconds, t_data, t_train, t_eval);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "sij_study: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "sij_study: %s\n", error.what());
    return 1;
  }
  return 0;
}

}  // namespace osteon::studies
