// Segmentation metrics against outside references: scipy.ndimage (exact EDT, surfaces) and
// MONAI 1.4 (Dice, Hausdorff, HD95, ASSD, surface Dice) from tests/data/segmentation_monai_reference.json
// (scripts/make_reference_segmentation.py), plus hand-computed cases.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <vector>

#include "osteon/metrics/distance_transform.hpp"
#include "osteon/metrics/metric_reduction.hpp"
#include "osteon/metrics/segmentation.hpp"
#include "osteon/metrics/surface_distance.hpp"
#include "test_support.hpp"

namespace om = osteon::metrics;
using osteon::test::close;
using osteon::test::number;
using osteon::test::numbers;
using torch::indexing::Slice;

namespace {

const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

const nlohmann::json& fixture() {
  static const nlohmann::json data = osteon::test::load_fixture("segmentation_monai_reference.json");
  return data;
}

torch::Tensor tensor_of(const nlohmann::json& flat, const nlohmann::json& shape, torch::ScalarType dtype) {
  std::vector<double> values = numbers(flat);
  return torch::tensor(values, torch::kDouble).reshape(shape.get<std::vector<int64_t>>()).to(dtype);
}

std::vector<double> values_of(const torch::Tensor& t) {
  auto flat = t.to(torch::kDouble).contiguous().reshape({-1});
  return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

/// `actual` against a MONAI (float32) result; `expected` is a (B, C) nested JSON array.
void check_against(const torch::Tensor& actual, const nlohmann::json& expected, double rel) {
  std::vector<double> want;
  for (const auto& row : expected) for (double v : numbers(row)) want.push_back(v);
  const auto got = values_of(actual);
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("entry " << i << ": ours " << got[i] << ", reference " << want[i]);
    CHECK(close(got[i], want[i], rel, rel));
  }
}

}  // namespace

TEST_CASE("distance_transform_edt equals scipy.ndimage.distance_transform_edt, both methods") {
  for (const auto& c : fixture()["edt"]) {
    INFO("case " << c["name"].get<std::string>());
    const auto input = tensor_of(c["input"], c["shape"], torch::kUInt8);
    const auto spacing = c["spacing"].get<std::vector<double>>();
    for (auto method : {om::DistanceTransformMethod::lower_envelope, om::DistanceTransformMethod::brute_force}) {
      const auto d = om::distance_transform_edt(input, om::DistanceTransformOptions().spacing(spacing).method(method));
      CHECK((d.scalar_type() == torch::kDouble));
      osteon::test::check_all_close(values_of(d), numbers(c["distance"]));
    }
  }
}

TEST_CASE("distance_transform_edt: batch axes, float32, no feature gives +inf") {
  auto x = torch::ones({2, 5, 6}, torch::kBool);
  x.index_put_({0, 2, 3}, false);  // item 1 has no zero
  const auto d = om::distance_transform_edt(x, om::DistanceTransformOptions().spacing({2.0, 1.0}).dtype(torch::kFloat));
  CHECK((d.scalar_type() == torch::kFloat));
  CHECK(d[0][2][3].item<float>() == 0.0f);
  CHECK(d[0][4][5].item<float>() == doctest::Approx(std::sqrt(4.0 * 4 + 2.0 * 2)));  // 2 rows of 2, 2 columns of 1
  CHECK(torch::isinf(d[1]).all().item<bool>());
  CHECK_THROWS_AS(om::distance_transform_edt(x, om::DistanceTransformOptions().spacing({1.0, -1.0})), c10::Error);
}

TEST_CASE("surface voxels equal m ^ scipy.ndimage.binary_erosion(m)") {
  for (const auto& c : fixture()["surface"]) {
    INFO("case " << c["name"].get<std::string>());
    const auto pred = tensor_of(c["prediction"], c["shape"], torch::kBool);
    const auto spatial = static_cast<int64_t>(c["shape"].size()) - 2;
    const auto surface = om::detail::surface_voxels(pred, spatial);
    CHECK((values_of(surface) == numbers(c["scipy_surface_prediction"])));
  }
}

TEST_CASE("surface metrics equal MONAI where every mask is non-empty") {
  for (const auto& c : fixture()["surface"]) {
    const auto name = c["name"].get<std::string>();
    if (name == "empty_masks") continue;
    INFO("case " << name);
    const auto pred = tensor_of(c["prediction"], c["shape"], torch::kUInt8);
    const auto target = tensor_of(c["target"], c["shape"], torch::kUInt8);
    const auto options = om::SegmentationOptions().spacing(c["spacing"].get<std::vector<double>>());
    for (auto method : {om::DistanceTransformMethod::lower_envelope, om::DistanceTransformMethod::brute_force}) {
      const auto s = om::surface_distances(pred, target, options,
                                           om::SurfaceDistanceOptions().tolerance(c["tolerance"]).method(method));
      // MONAI computes in float32: compare at 1e-6 relative.
      check_against(s.hausdorff, c["monai"]["hausdorff"], 1e-6);
      check_against(s.hausdorff_percentile, c["monai"]["hausdorff95"], 1e-6);
      check_against(s.average_surface_distance, c["monai"]["assd"], 1e-6);
      check_against(s.surface_dice, c["monai"]["surface_dice"], 1e-6);
    }
    check_against(om::percentile_hausdorff_distance(pred, target, options, om::SurfaceDistanceOptions().percentile(90)),
                  c["monai"]["hausdorff90"], 1e-6);
    check_against(om::hausdorff_distance(pred, target, options), c["monai"]["hausdorff"], 1e-6);
    check_against(om::dice(pred, target, options), c["monai"]["dice_ignore_empty_false"], 1e-6);
  }
}

TEST_CASE("empty masks: the documented policy, and where MONAI differs") {
  const nlohmann::json* found = nullptr;
  for (const auto& c : fixture()["surface"]) if (c["name"] == "empty_masks") found = &c;
  REQUIRE(found != nullptr);
  const auto& c = *found;
  const auto& monai = c["monai"];
  // Samples: 0 both empty, 1 empty target + false positives, 2 empty prediction.
  const auto pred = tensor_of(c["prediction"], c["shape"], torch::kUInt8);
  const auto target = tensor_of(c["target"], c["shape"], torch::kUInt8);

  SUBCASE("Dice: nan / perfect / nan_when_target_empty") {
    osteon::test::check_all_close(values_of(om::dice(pred, target)), {kNan, 0.0, 0.0});
    // perfect = MONAI ignore_empty=False, nan_when_target_empty = MONAI ignore_empty=True (its default,
    // under which the false positives of sample 1 vanish).
    check_against(om::dice(pred, target, om::SegmentationOptions().empty(om::EmptyPolicy::perfect)),
                  monai["dice_ignore_empty_false"], 0.0);
    check_against(om::dice(pred, target, om::SegmentationOptions().empty(om::EmptyPolicy::nan_when_target_empty)),
                  monai["dice_ignore_empty_true"], 0.0);
  }
  SUBCASE("sensitivity, precision, specificity, relative volume difference") {
    const auto r = om::segmentation_report(pred, target);
    osteon::test::check_all_close(values_of(r.sensitivity), {kNan, kNan, 0.0});  // TP / (TP + FN)
    osteon::test::check_all_close(values_of(r.precision), {kNan, 0.0, kNan});    // TP / (TP + FP)
    osteon::test::check_all_close(values_of(r.specificity), {1.0, (504.0 - 48.0) / 504.0, 1.0});
    osteon::test::check_all_close(values_of(r.relative_volume_difference), {kNan, kInf, -1.0});
    const auto perfect = om::segmentation_report(pred, target, om::SegmentationOptions().empty(om::EmptyPolicy::perfect));
    osteon::test::check_all_close(values_of(perfect.sensitivity), {1.0, 1.0, 0.0});
    osteon::test::check_all_close(values_of(perfect.relative_volume_difference), {0.0, kInf, -1.0});
  }
  SUBCASE("surface metrics: one side empty is +inf, never NaN") {
    const auto s = om::surface_distances(pred, target);
    osteon::test::check_all_close(values_of(s.hausdorff), {kNan, kInf, kInf});
    check_against(s.hausdorff, monai["hausdorff"], 0.0);  // MONAI agrees for the maximum ...
    // ... but its HD95 is NaN with one side empty (torch.quantile of inf), so a miss would vanish
    // from a NaN-aware mean: ours is +inf.
    osteon::test::check_all_close(values_of(s.hausdorff_percentile), {kNan, kInf, kInf});
    CHECK(std::isnan(number(monai["hausdorff95"][1][0])));
    check_against(s.average_surface_distance, monai["assd"], 0.0);
    check_against(s.surface_dice, monai["surface_dice"], 0.0);
    const auto capped = om::surface_distances(pred, target, om::SegmentationOptions().empty(om::EmptyPolicy::perfect),
                                              om::SurfaceDistanceOptions().one_side_empty(om::OneSideEmpty::image_diagonal));
    const double diagonal = std::sqrt(8.0 * 8 + 7.0 * 7 + 6.0 * 6);
    osteon::test::check_all_close(values_of(capped.hausdorff_percentile), {0.0, diagonal, diagonal});
    osteon::test::check_all_close(values_of(capped.surface_dice), {1.0, 0.0, 0.0});
  }
}

TEST_CASE("overlap metrics, hand-computed") {
  // Target rows 0-1 of a 4×4 image (8 voxels), prediction rows 1-2 (8 voxels): TP 4, FP 4, FN 4, TN 4.
  auto target = torch::zeros({1, 1, 4, 4}, torch::kBool);
  target.index_put_({0, 0, Slice(0, 2)}, true);
  auto prediction = torch::zeros_like(target);
  prediction.index_put_({0, 0, Slice(1, 3)}, true);
  const auto r = om::segmentation_report(prediction, target, om::SegmentationOptions().spacing({0.5, 2.0}));
  CHECK(r.counts.true_positives.item<int64_t>() == 4);
  CHECK(r.counts.true_negatives.item<int64_t>() == 4);
  CHECK(r.dice.item<double>() == 0.5);
  CHECK(r.iou.item<double>() == doctest::Approx(1.0 / 3.0).epsilon(1e-15));
  CHECK(r.sensitivity.item<double>() == 0.5);
  CHECK(r.specificity.item<double>() == 0.5);
  CHECK(r.precision.item<double>() == 0.5);
  CHECK(r.volume_prediction.item<double>() == 8.0);  // 8 voxels of 0.5 × 2
  CHECK(r.volume_difference.item<double>() == 0.0);
  CHECK((r.dice.sizes() == torch::IntArrayRef({1, 1})));

  SUBCASE("label maps, probabilities with threshold, argmax, background dropped") {
    // Labels 0/1/2 in a 1×6 image.
    const auto labels_true = torch::tensor({0, 1, 1, 2, 2, 2}, torch::kLong).reshape({1, 1, 6});
    const auto labels_pred = torch::tensor({0, 1, 2, 2, 2, 0}, torch::kLong).reshape({1, 1, 6});
    const auto d = om::dice(labels_pred, labels_true, om::SegmentationOptions().num_classes(3));
    // class 0: {0} vs {0, 5} → 2/3; class 1: {1, 2} vs {1} → 2/3; class 2: {3, 4, 5} vs {2, 3, 4} → 2/3
    osteon::test::check_all_close(values_of(d), {2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0});
    const auto no_bg = om::dice(labels_pred, labels_true, om::SegmentationOptions().num_classes(3).include_background(false));
    CHECK((no_bg.sizes() == torch::IntArrayRef({1, 2})));
    const auto probabilities = torch::one_hot(labels_pred.squeeze(1), 3).permute({0, 2, 1}).to(torch::kFloat) * 0.8 + 0.05;
    const auto by_argmax = om::dice(probabilities, labels_true, om::SegmentationOptions().num_classes(3).argmax(true));
    CHECK(torch::equal(by_argmax, d));
    const auto by_threshold = om::dice(probabilities, labels_true, om::SegmentationOptions().num_classes(3).threshold(0.5));
    CHECK(torch::equal(by_threshold, d));
    // Both inputs floating: the floating-point counting path gives the same counts.
    const auto truth_one_hot = torch::one_hot(labels_true.squeeze(1), 3).permute({0, 2, 1}).to(torch::kDouble);
    const auto float_report = om::segmentation_report(probabilities, truth_one_hot);
    const auto bool_report = om::segmentation_report(probabilities.gt(0.5), truth_one_hot.gt(0.5));
    CHECK(torch::equal(float_report.counts.true_negatives, bool_report.counts.true_negatives));
    CHECK(torch::equal(float_report.dice, d));
    CHECK(torch::equal(om::dice(probabilities, truth_one_hot, om::SegmentationOptions().include_background(false)),
                       d.narrow(1, 1, 2)));
  }
  SUBCASE("bad input is an error naming the argument") {
    CHECK_THROWS_WITH_AS(om::dice(prediction, target.narrow(2, 0, 3)), doctest::Contains("shapes differ"), c10::Error);
    CHECK_THROWS_WITH_AS(om::dice(prediction.to(torch::kLong) * 2, target), doctest::Contains("prediction must hold 0/1"),
                         c10::Error);
    const auto labels = torch::tensor({0, 3}, torch::kLong).reshape({1, 1, 2});
    CHECK_THROWS_WITH_AS(om::dice(labels, labels, om::SegmentationOptions().num_classes(3)),
                         doctest::Contains("outside [0, num_classes=3)"), c10::Error);
    CHECK_THROWS_WITH_AS(om::dice(prediction[0][0], target[0][0]), doctest::Contains("(B, C, spatial...)"),
                         c10::Error);
    CHECK_THROWS_WITH_AS(om::hausdorff95(prediction, target, om::SegmentationOptions().spacing({1.0})),
                         doctest::Contains("spacing has 1 values"), c10::Error);
    CHECK_THROWS_AS(om::parse_empty_policy("zero"), std::invalid_argument);
  }
}

TEST_CASE("reduce_metric keeps an all-NaN class NaN and counts") {
  const auto scores = torch::tensor({0.8, kNan, 0.6, kNan, kInf, kNan}, torch::kDouble).reshape({3, 2});
  const auto per_class = om::reduce_metric(scores, om::Reduction::mean_batch);
  osteon::test::check_all_close(values_of(per_class.value), {(0.8 + 0.6 + kInf) / 3.0, kNan});
  osteon::test::check_all_close(values_of(per_class.n_valid), {3.0, 0.0});
  osteon::test::check_all_close(values_of(per_class.n_nan), {0.0, 3.0});
  const auto first = om::reduce_metric(scores.narrow(0, 0, 2), om::Reduction::mean);
  CHECK(first.value.item<double>() == doctest::Approx(0.7));
  CHECK(first.n_nan.item<int64_t>() == 2);
  CHECK(std::isnan(om::reduce_metric(scores, om::Reduction::sum_batch).value[1].item<double>()));
}
