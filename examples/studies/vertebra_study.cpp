// The opportunistic osteoporosis-screening study (DESIGN study 3) end to end on the built-in synthetic
// chest-CT vertebra cohort (osteon/data/synthetic_vertebra.hpp):
//   1. hold out a test set by subject, stratified by density class (split/holdout.hpp); write the manifest;
//   2. vertebra segmentation (L1 / L2): a 3-D UNet (softmax, Dice + CE) trained through the Trainer on
//      growing shares of the training subjects — the learning curve (Dice against training-set size, as
//      the paper's "300 training images") — each scored on the test subjects, Dice per level mean ± SD;
//   3. the density class (normal / osteopenia / osteoporosis): features of the segmented vertebrae (median
//      and mean HU inside the predicted L1, and L2, masks) into a softmax classifier trained through the
//      Trainer — L1 alone vs L1+L2 fused; one-vs-rest AUC per class with DeLong CIs and per-class paired
//      DeLong tests between the two models (metrics/classification/multiclass.hpp).
// Writes report.md, metrics.json, predictions.csv (test subjects' class probabilities), segmentation.csv
// (test subjects' Dice per training size), split_manifest.csv, seg_n*/ and cls_*/ checkpoints and PNG
// figures (ROC per model, Dice per training size). Synthetic volumes: the numbers show the pipeline.
#include "studies.hpp"
#include "study_support.hpp"

#include <osteon/data/synthetic_vertebra.hpp>
#include <osteon/losses/dice_ce.hpp>
#include <osteon/metrics/classification/multiclass.hpp>
#include <osteon/metrics/roc/auc_ci.hpp>
#include <osteon/metrics/roc/roc.hpp>
#include <osteon/metrics/segmentation/host/aggregation.hpp>
#include <osteon/metrics/segmentation/overlap.hpp>
#include <osteon/nn/networks/unet.hpp>
#include <osteon/report/columns_csv.hpp>
#include <osteon/report/figures/box_figure.hpp>
#include <osteon/report/figures/roc_figure.hpp>
#include <osteon/report/study_report.hpp>
#include <osteon/report/tables.hpp>
#include <osteon/split/holdout.hpp>
#include <osteon/split/manifest.hpp>
#include <osteon/train/predict.hpp>
#include <osteon/train/trainer.hpp>

#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <numeric>

namespace osteon::studies {
namespace {

struct VertebraSettings {
  std::string out = "reports/vertebra";
  std::int64_t subjects = 60, size = 32, epochs = 10, classifier_epochs = 300;
  double test = 0.25;
  std::vector<double> fractions{0.25, 0.5, 1.0};
  std::uint64_t seed = 2024;
  int threads = 2;
};

struct Clock {
  using C = std::chrono::steady_clock;
  C::time_point at = C::now();
  double lap() {
    const auto now = C::now();
    const double s = std::chrono::duration<double>(now - at).count();
    at = now;
    return s;
  }
};

/// Trains a UNet (1 → 3 channels: background, L1, L2) on `rows`; returns it.
osteon::nn::UNet train_segmenter(const torch::Tensor& images, const torch::Tensor& labels, const std::vector<std::int64_t>& rows,
                                 const VertebraSettings& s, const std::string& dir) {
  torch::manual_seed(s.seed);
  osteon::nn::UNet net(osteon::nn::UNetOptions(3, 1, 3, {8, 16, 32}, {2, 2}).num_res_units(1));
  osteon::losses::DiceCELoss criterion(osteon::losses::DiceCELossOptions().softmax(true).to_onehot_y(true));
  osteon::train::Trainer trainer(net, [criterion](const torch::Tensor& out, const torch::Tensor& y) mutable {
    return criterion(out, y);
  }, osteon::train::TrainerOptions().max_epochs(s.epochs).lr(1e-2).batch_size(4).seed(s.seed)
       .scheduler(osteon::train::Scheduler::cosine).output_dir(dir).progress(osteon::train::Progress::lines));
  if (std::filesystem::exists(dir)) trainer.resume(dir);  // continue a killed run
  trainer.fit({rows_of(images, rows), rows_of(labels, rows)});
  return net;
}

/// Softmax regression on standardised features (train rows' mean / SD), trained with CE through the
/// Trainer; returns the class probabilities of every row.
std::vector<double> fit_classifier(const torch::Tensor& features, const torch::Tensor& classes,
                                   const std::vector<std::int64_t>& train, const VertebraSettings& s, const std::string& dir) {
  torch::manual_seed(s.seed);
  const auto x_train = rows_of(features, train);
  const auto x = (features - x_train.mean(0, true)) / x_train.std(0, true, true).clamp_min(1e-6);
  torch::nn::Linear net(features.size(1), 3);
  osteon::train::Trainer trainer(net, [](const torch::Tensor& logits, const torch::Tensor& y) {
    return torch::nn::functional::cross_entropy(logits, y);
  }, osteon::train::TrainerOptions().max_epochs(s.classifier_epochs).lr(5e-2).batch_size(static_cast<std::int64_t>(train.size()))
       .seed(s.seed).output_dir(dir).checkpoint_interval(0).progress(osteon::train::Progress::none));
  trainer.fit({rows_of(x, train), rows_of(classes, train)});
  return to_vector(osteon::train::predict(trainer.model(), x, osteon::train::PredictOptions()
                                              .activation(osteon::train::Activation::softmax)));
}

/// Median and mean HU of `image` inside `mask` (NaN, NaN when the mask is empty).
std::pair<double, double> median_mean(const float* image, const std::int64_t* labels, std::int64_t voxels, std::int64_t level) {
  std::vector<double> values;
  for (std::int64_t v = 0; v < voxels; ++v) if (labels[v] == level) values.push_back(image[v]);
  if (values.empty()) return {NAN, NAN};
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2), values.end());
  return {values[values.size() / 2], mean};
}

}  // namespace

int run_vertebra_study(int argc, char** argv) {
  VertebraSettings s;
  std::string fractions = "0.25,0.5,1";
  CLI::App app{"Opportunistic osteoporosis screening (synthetic chest CT): L1/L2 UNet segmentation with a learning "
               "curve, 3-class density classifier L1 vs L1+L2", "vertebra_study"};
  app.add_option("--out", s.out, "output folder")->capture_default_str();
  app.add_option("--subjects", s.subjects, "subjects")->capture_default_str()->check(CLI::Range(16, 100000));
  app.add_option("--size", s.size, "volume edge in voxels (multiple of 4, >= 24)")->capture_default_str()->check(CLI::Range(24, 256));
  app.add_option("--test", s.test, "held-out test share")->capture_default_str()->check(CLI::Range(0.1, 0.5));
  app.add_option("--fractions", fractions, "training shares of the learning curve, comma-separated, last = 1")->capture_default_str();
  app.add_option("--epochs", s.epochs, "segmentation epochs per model")->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--classifier-epochs", s.classifier_epochs, "classifier epochs")->capture_default_str()->check(CLI::Range(1, 1000000));
  app.add_option("--seed", s.seed, "seed")->capture_default_str();
  app.add_option("--threads", s.threads, "CPU threads")->capture_default_str()->check(CLI::Range(1, 1024));
  if (const int code = parse_or_exit(app, argc, argv); code >= 0) return code;
  try {
    s.fractions.clear();
    std::stringstream list(fractions);
    for (std::string item; std::getline(list, item, ',');) {
      char* end = nullptr;
      const double f = std::strtod(item.c_str(), &end);
      OSTEON_CHECK_ARG(end != item.c_str() && *end == '\0' && f > 0.0 && f <= 1.0,
                       "--fractions: every share must be a number in (0, 1], got '", item, "'");
      s.fractions.push_back(f);
    }
    OSTEON_CHECK_ARG(!s.fractions.empty() && s.fractions.back() == 1.0 && std::is_sorted(s.fractions.begin(), s.fractions.end()),
                     "--fractions: shares must be increasing and end with 1, got '", fractions, "'");
    OSTEON_CHECK_ARG(s.size % 4 == 0, "--size: must be a multiple of 4 (two UNet downsamplings), got ", s.size);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "vertebra_study: %s\n", error.what());
    return 2;
  }
  try {
    namespace fs = std::filesystem;
    Clock clock;
    double t_data = 0, t_train = 0, t_eval = 0;
    const auto start = std::chrono::steady_clock::now();
    torch::set_num_threads(s.threads);
    fs::create_directories(s.out);
    const auto out = [&](const std::string& name) { return (fs::path(s.out) / name).string(); };

    const auto cohort = osteon::data::synthetic_vertebra_cohort(
        osteon::data::SyntheticVertebraOptions().subjects(s.subjects).size(s.size).seed(s.seed));
    const std::int64_t n = cohort.subjects(), S = cohort.size, voxels = S * S * S;
    auto images = torch::from_blob(const_cast<float*>(cohort.images.data()), {n, 1, S, S, S}).clone();
    images = (images.clamp(-200.0, 1000.0) - 150.0) / 250.0;
    const auto labels = torch::from_blob(const_cast<std::uint8_t*>(cohort.masks.data()), {n, 1, S, S, S}, torch::kUInt8)
                            .to(torch::kFloat);
    const auto split = osteon::split::stratified_holdout(cohort.density_class, cohort.subject_ids, s.test,
                                                         osteon::split::SplitOptions().seed(s.seed));
    const auto manifest = osteon::split::make_manifest(
        osteon::split::cohort_record(cohort.subject_ids, cohort.density_class, cohort.subject_ids), split, s.seed);
    osteon::split::write_manifest(out("split_manifest.csv"), manifest);
    std::vector<int> test_class;
    for (const auto r : split.test) test_class.push_back(cohort.density_class[static_cast<std::size_t>(r)]);
    std::fprintf(stderr, "vertebra study: %lld subjects at %lld^3, %zu train / %zu test\n", static_cast<long long>(n),
                 static_cast<long long>(S), split.train.size(), split.test.size());
    t_data += clock.lap();

    // 2. Learning curve: the first ⌈f·n⌉ training subjects (the manifest's seeded order) per share f.
    struct CurvePoint {
      std::int64_t n_train;
      std::vector<double> dice_l1, dice_l2;
    };
    std::vector<CurvePoint> curve;
    torch::Tensor all_predicted;  // (n, 1, S, S, S) labels of the full-size model, every subject
    for (const double f : s.fractions) {
      const auto m = std::max<std::int64_t>(2, static_cast<std::int64_t>(std::ceil(f * static_cast<double>(split.train.size()))));
      const std::vector<std::int64_t> rows(split.train.begin(), split.train.begin() + std::min<std::int64_t>(m, split.train.size()));
      std::fprintf(stderr, "segmentation, %zu training subjects\n", rows.size());
      auto net = train_segmenter(images, labels, rows, s, out("seg_n" + std::to_string(rows.size())));
      t_train += clock.lap();
      auto model = osteon::train::make_model(net.ptr());
      const bool last = f == s.fractions.back();
      const auto predicted = osteon::train::predict(model, last ? images : rows_of(images, split.test),
                                                    osteon::train::PredictOptions().batch_size(4))
                                 .argmax(1, true);
      const auto test_predicted = last ? rows_of(predicted, split.test) : predicted;
      const auto truth = rows_of(labels, split.test);
      CurvePoint point{static_cast<std::int64_t>(rows.size()), {}, {}};
      for (const int level : {1, 2}) {
        const auto counts = osteon::metrics::voxel_confusion_counts(test_predicted == level, truth == level);
        (level == 1 ? point.dice_l1 : point.dice_l2) = to_vector(osteon::metrics::dice_from_counts(counts));
      }
      curve.push_back(point);
      if (last) all_predicted = predicted.to(torch::kLong).contiguous();
      t_eval += clock.lap();
    }

    // 3. Density class from the segmented vertebrae: features (median, mean HU) of L1, then of L1 and L2.
    std::vector<float> features_l1, features_fused;
    std::int64_t empty_masks = 0;
    for (std::int64_t r = 0; r < n; ++r) {
      const float* image = cohort.images.data() + r * voxels;
      const std::int64_t* predicted = all_predicted.data_ptr<std::int64_t>() + r * voxels;
      auto l1 = median_mean(image, predicted, voxels, 1), l2 = median_mean(image, predicted, voxels, 2);
      if (std::isnan(l1.first)) ++empty_masks, l1 = {0.0, 0.0};  // no L1 segmented: the classifier sees 0 HU
      if (std::isnan(l2.first)) ++empty_masks, l2 = l1;          // no L2: L2 = L1
      features_l1.insert(features_l1.end(), {static_cast<float>(l1.first), static_cast<float>(l1.second)});
      features_fused.insert(features_fused.end(), {static_cast<float>(l1.first), static_cast<float>(l1.second),
                                                   static_cast<float>(l2.first), static_cast<float>(l2.second)});
    }
    const auto classes = torch::tensor(std::vector<std::int64_t>(cohort.density_class.begin(), cohort.density_class.end()));
    const std::vector<std::int64_t> train_rows(split.train.begin(), split.train.end());
    const auto p_l1 = fit_classifier(torch::tensor(features_l1).view({n, 2}), classes, train_rows, s, out("cls_l1"));
    const auto p_fused = fit_classifier(torch::tensor(features_fused).view({n, 4}), classes, train_rows, s, out("cls_l1_l2"));
    t_train += clock.lap();
    std::vector<double> test_l1, test_fused;
    for (const auto r : split.test) {
      for (int k = 0; k < 3; ++k) {
        test_l1.push_back(p_l1[static_cast<std::size_t>(r * 3 + k)]);
        test_fused.push_back(p_fused[static_cast<std::size_t>(r * 3 + k)]);
      }
    }
    const auto scores_l1 = osteon::metrics::ClassScores::from_row_major(test_l1.data(), split.test.size(), 3);
    const auto scores_fused = osteon::metrics::ClassScores::from_row_major(test_fused.data(), split.test.size(), 3);
    const auto per_class_l1 = osteon::metrics::per_class_auc(test_class, scores_l1);
    const auto per_class_fused = osteon::metrics::per_class_auc(test_class, scores_fused);
    const auto delong = osteon::metrics::per_class_delong_test(test_class, scores_fused, scores_l1);
    const double macro_l1 = osteon::metrics::multiclass_auc(test_class, scores_l1);
    const double macro_fused = osteon::metrics::multiclass_auc(test_class, scores_fused);

    // The report.
    osteon::report::StudyReport report("Opportunistic osteoporosis screening (synthetic chest-CT cohort)", "examples/vertebra_study");
    report.paragraph("Written by `vertebra_study` / `osteon study vertebra` (osteon). The volumes are synthetic "
                     "(`osteon/data/synthetic_vertebra.hpp`); the numbers show the pipeline, not a clinical result.");
    report.section("Design").paragraph(osteon::detail::concat(
        n, " subjects, ", S, "³ voxels, L1 and L2 labelled; density class by trabecular BMD (ACR QCT: normal > 120, "
        "osteopenia 80–120, osteoporosis < 80 mg/cm³). Test set: ", split.test.size(), " subjects (stratified by class), "
        "training: ", split.train.size(), ". Segmentation: 3-D UNet (channels 8/16/32, one residual unit), softmax "
        "Dice + CE, Adam lr 1e-2 with cosine decay, batch 4, ", s.epochs, " epochs, trained on growing shares of the "
        "training subjects (learning curve). Classifier: softmax regression on the median and mean HU inside the "
        "predicted L1 (and L2) mask of the full-size segmenter, Adam lr 5e-2, ", s.classifier_epochs,
        " full-batch epochs; ", empty_masks, " empty predicted level masks. Manifest: `split_manifest.csv` "
        "(content hash `", manifest.content_hash, "`)."));
    std::vector<osteon::report::SummaryRow> curve_rows;
    std::vector<osteon::report::BoxGroup> boxes;
    auto& seg_json = report.metrics()["segmentation"];
    seg_json = osteon::report::Json::array();
    for (const auto& point : curve) {
      const auto l1 = osteon::metrics::summarize(point.dice_l1), l2 = osteon::metrics::summarize(point.dice_l2);
      curve_rows.push_back({"n_train = " + std::to_string(point.n_train), {l1, l2}});
      seg_json.push_back({{"n_train", point.n_train}, {"dice_l1", osteon::report::to_json(l1)},
                          {"dice_l2", osteon::report::to_json(l2)}});
      auto both = finite_only(point.dice_l1);
      const auto l2_finite = finite_only(point.dice_l2);
      both.insert(both.end(), l2_finite.begin(), l2_finite.end());
      if (!both.empty()) boxes.push_back({"n=" + std::to_string(point.n_train), both});
    }
    report.section("Vertebra segmentation: Dice against training-set size");
    report.table(osteon::report::summary_table({"Dice L1", "Dice L2"}, curve_rows),
                 "Test subjects, Dice mean ± SD per level; each row a model trained on n_train subjects.");
    osteon::report::box_figure(out("dice_learning_curve.png"), boxes, "Dice (L1 and L2)",
                               osteon::report::FigureOptions().title("Dice against training-set size"));
    report.figure("dice_learning_curve.png", "Test Dice (L1 and L2) of the segmenters trained on growing training sets");

    report.section("Density class: one-vs-rest AUC per class (test subjects)");
    osteon::report::MarkdownTable auc_table({"class", "cases / rest", "L1 AUC [95 % CI]", "L1+L2 AUC [95 % CI]",
                                             "ΔAUC (L1+L2 − L1) [95 % CI]", "Z", "p"});
    auto& cls_json = report.metrics()["classification"];
    cls_json["macro_ovr_auc"] = {{"L1", macro_l1}, {"L1+L2", macro_fused}};
    for (std::size_t k = 0; k < 3; ++k) {
      const auto& d = delong[k];
      const std::string name = osteon::data::SyntheticVertebraCohort::kClassNames[k];
      auc_table.add_row({name, std::to_string(d.n_cases) + " / " + std::to_string(d.n_controls),
                         osteon::report::interval_text(d.auc_b, d.ci_low_b, d.ci_high_b),
                         osteon::report::interval_text(d.auc_a, d.ci_low_a, d.ci_high_a),
                         osteon::report::interval_text(d.auc_a - d.auc_b, d.difference_ci_low, d.difference_ci_high),
                         osteon::report::fixed(d.statistic, 2), osteon::report::p_value_text(d.p_value)});
      const auto row_json = [](const osteon::metrics::ClassAucRow& r) {
        return osteon::report::Json{{"n_cases", r.n_cases}, {"n_controls", r.n_controls}, {"auc", r.auc},
                                    {"ci_low", r.ci_low}, {"ci_high", r.ci_high}, {"variance", r.variance}};
      };
      cls_json["per_class"][name] = {{"L1", row_json(per_class_l1[k])}, {"L1+L2", row_json(per_class_fused[k])},
                                     {"delong", {{"difference", osteon::report::number(d.auc_a - d.auc_b)},
                                                 {"statistic", osteon::report::number(d.statistic)},
                                                 {"p_value", osteon::report::number(d.p_value)},
                                                 {"ci_low", osteon::report::number(d.difference_ci_low)},
                                                 {"ci_high", osteon::report::number(d.difference_ci_high)}}}};
    }
    report.table(auc_table, osteon::detail::concat(
        "Class k's probability against (class == k); AUC CIs by DeLong's method; paired DeLong test per class "
        "(unadjusted p). Macro one-vs-rest AUC: L1 ", osteon::report::fixed(macro_l1), ", L1+L2 ",
        osteon::report::fixed(macro_fused), "."));
    for (const auto& [model, scores, stem] : {std::tuple{"L1", &scores_l1, "l1"}, std::tuple{"L1+L2", &scores_fused, "l1_l2"}}) {
      std::vector<osteon::report::RocSeries> series;
      for (std::size_t k = 0; k < 3; ++k) {
        std::vector<int> is_k;
        for (const int c : test_class) is_k.push_back(c == static_cast<int>(k));
        const auto column = scores->column(k);
        series.push_back({osteon::data::SyntheticVertebraCohort::kClassNames[k], osteon::metrics::roc_curve(is_k, column),
                          osteon::metrics::auc_ci(is_k, column)});
      }
      const std::string file = std::string("roc_") + stem + ".png";
      osteon::report::roc_figure(out(file), series, osteon::report::FigureOptions().title(std::string(model) + ": one vs rest"));
      report.figure(file, std::string("ROC per class (one vs rest), ") + model + " model");
    }

    // Per-subject files: every number above is recomputable from them.
    osteon::report::ColumnsCsv predictions;
    std::vector<std::string> ids;
    std::vector<double> cls, bmd;
    std::vector<std::vector<double>> columns(6);
    for (std::size_t i = 0; i < split.test.size(); ++i) {
      const auto r = static_cast<std::size_t>(split.test[i]);
      ids.push_back(cohort.subject_ids[r]), cls.push_back(cohort.density_class[r]), bmd.push_back(cohort.bmd[r]);
      for (std::size_t k = 0; k < 3; ++k) columns[k].push_back(test_l1[i * 3 + k]), columns[3 + k].push_back(test_fused[i * 3 + k]);
    }
    predictions.text("subject_id", ids).number("density_class", cls).number("bmd", bmd);
    for (std::size_t k = 0; k < 3; ++k) predictions.number(std::string("p_l1_") + osteon::data::SyntheticVertebraCohort::kClassNames[k], columns[k]);
    for (std::size_t k = 0; k < 3; ++k) predictions.number(std::string("p_l1_l2_") + osteon::data::SyntheticVertebraCohort::kClassNames[k], columns[3 + k]);
    predictions.write(out("predictions.csv"));
    osteon::report::ColumnsCsv segmentation;
    std::vector<std::string> seg_ids;
    std::vector<double> seg_n, seg_l1, seg_l2;
    for (const auto& point : curve) {
      for (std::size_t i = 0; i < split.test.size(); ++i) {
        seg_ids.push_back(cohort.subject_ids[static_cast<std::size_t>(split.test[i])]);
        seg_n.push_back(static_cast<double>(point.n_train)), seg_l1.push_back(point.dice_l1[i]), seg_l2.push_back(point.dice_l2[i]);
      }
    }
    segmentation.text("subject_id", seg_ids).number("n_train", seg_n).number("dice_l1", seg_l1).number("dice_l2", seg_l2);
    segmentation.write(out("segmentation.csv"));
    report.file_written("predictions.csv").file_written("segmentation.csv").file_written("split_manifest.csv")
        .file_written("seg_n*/, cls_l1/, cls_l1_l2/ (checkpoints)");
    t_eval += clock.lap();

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.metrics()["timing_s"] = {{"data", t_data}, {"training", t_train}, {"evaluation", t_eval}, {"total", seconds}};
    report.setting("subjects", s.subjects).setting("size", s.size).setting("test", s.test).setting("fractions", fractions)
        .setting("epochs", s.epochs).setting("classifier_epochs", s.classifier_epochs).setting("seed", s.seed)
        .setting("threads", s.threads).setting("wall_time_s", std::round(seconds));
    report.software("LibTorch", TORCH_VERSION).software("PLplot", osteon::report::figures::plplot_version());
    report.write(s.out);
    std::printf("%s\nreport written to %s (%.0f s: data %.0f, training %.0f, evaluation %.0f)\n", report.markdown().c_str(),
                out("report.md").c_str(), seconds, t_data, t_train, t_eval);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "vertebra_study: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "vertebra_study: %s\n", error.what());
    return 1;
  }
  return 0;
}

}  // namespace osteon::studies
