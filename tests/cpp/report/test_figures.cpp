// report/figures: PNGs drawn through PLplot's pngcairo device. The drawn ROC paths are checked
// (area = AUC); the images themselves are checked for a PNG signature and a plausible size here,
// and were looked at by eye when the figures were written.
#include <doctest/doctest.h>

#include <osteon/core/rng.hpp>
#include <osteon/metrics/roc/auc_ci.hpp>
#include <osteon/metrics/roc/roc.hpp>
#include <osteon/report/figures/agreement_figures.hpp>
#include <osteon/report/figures/box_figure.hpp>
#include <osteon/report/figures/roc_figure.hpp>

#include <filesystem>
#include <fstream>

namespace om = osteon::metrics;
namespace rp = osteon::report;

namespace {
std::string figure_path(const std::string& name) {
  const auto dir = std::filesystem::path(OSTEON_TEST_OUTPUT_DIR) / "figures";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}
void check_png(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), path);
  char signature[8] = {0};
  in.read(signature, 8);
  CHECK(std::string(signature + 1, 3) == "PNG");
  CHECK(std::filesystem::file_size(path) > 5000);
  CHECK(!std::filesystem::exists(path + ".partial.png"));
}
}  // namespace

TEST_CASE("roc_figure draws the paths whose areas are the AUCs") {
  osteon::Pcg32 rng(5, 1);
  std::vector<int> y;
  std::vector<double> good, tied;
  for (int i = 0; i < 120; ++i) {
    const int label = static_cast<int>(rng.uniform_below(2));
    y.push_back(label);
    good.push_back(label + 1.2 * rng.uniform01());
    tied.push_back(std::floor(4.0 * (0.5 * label + rng.uniform01())));  // few distinct scores: ties
  }
  const auto path = figure_path("roc.png");
  const auto paths = rp::roc_figure(path,
                                    {{"model A", om::roc_curve(y, good), om::auc_ci(y, good)},
                                     {"model B (tied)", om::roc_curve(y, tied), om::auc_ci(y, tied)}},
                                    rp::FigureOptions().title("ROC, test set"));
  REQUIRE(paths.size() == 2);
  CHECK(rp::path_area(paths[0]) == doctest::Approx(om::roc_auc(y, good)).epsilon(1e-13));
  CHECK(rp::path_area(paths[1]) == doctest::Approx(om::roc_auc(y, tied)).epsilon(1e-13));
  check_png(path);
  CHECK_THROWS_AS(rp::roc_figure(path, {}), std::invalid_argument);
}

TEST_CASE("box_figure: Tukey boxes per fold") {
  const auto box = rp::box_statistics({0.80, 0.82, 0.85, 0.90, 0.20});
  CHECK(box.median == doctest::Approx(0.82));
  REQUIRE(box.outliers.size() == 1);
  CHECK(box.outliers[0] == 0.20);
  CHECK(box.whisker_low == 0.80);
  CHECK(box.whisker_high == 0.90);
  osteon::Pcg32 rng(9, 2);
  std::vector<rp::BoxGroup> groups;
  for (int f = 0; f < 5; ++f) {
    rp::BoxGroup group{"fold " + std::to_string(f + 1), {}};
    for (int i = 0; i < 12; ++i) group.values.push_back(0.85 + 0.08 * (rng.uniform01() - 0.5) - 0.01 * f);
    groups.push_back(group);
  }
  groups[2].values.push_back(0.6);
  const auto path = figure_path("dice_folds.png");
  rp::box_figure(path, groups, "Dice", rp::FigureOptions().title("Dice per fold"));
  check_png(path);
}

TEST_CASE("volume scatter and Bland-Altman figures") {
  osteon::Pcg32 rng(3, 4);
  std::vector<double> truth, predicted;
  for (int i = 0; i < 40; ++i) {
    truth.push_back(150.0 + 80.0 * rng.uniform01());
    predicted.push_back(truth.back() * 0.97 + 3.0 + 8.0 * (rng.uniform01() - 0.5));
  }
  const auto agreement = om::volume_agreement(predicted, truth);
  const auto scatter = figure_path("volume_scatter.png");
  rp::volume_scatter_figure(scatter, predicted, truth, agreement, "volume (mL)", rp::FigureOptions().title("Femur volume"));
  check_png(scatter);
  const auto ba = figure_path("bland_altman.png");
  rp::bland_altman_figure(ba, predicted, truth, agreement, "volume (mL)", rp::FigureOptions().title("Bland-Altman"));
  check_png(ba);
  predicted[3] = std::nan("");
  CHECK_THROWS_WITH_AS(rp::bland_altman_figure(ba, predicted, truth, agreement, "mL"), doctest::Contains("predicted[3]"),
                       std::invalid_argument);
}
