// Segmentation metrics against outside references: scipy.ndimage (exact EDT, surfaces) and
// MONAI 1.4 (Dice, Hausdorff, HD95, ASSD, surface Dice) from tests/data/segmentation_monai_reference.json
// (scripts/make_reference_segmentation.py), plus hand-computed cases.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <vector>

#include "osteon/metrics/segmentation/distance_transform.hpp"
#include "osteon/metrics/segmentation/reduction.hpp"
#include "osteon/metrics/segmentation/overlap.hpp"
#include "osteon/metrics/segmentation/surface_distance.hpp"
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
    for (auto method : {om::DistanceTransformMethod::LowerEnvelope, om::DistanceTransformMethod::BruteForce}) {
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
    for (auto method : {om::DistanceTransformMethod::LowerEnvelope, om::DistanceTransformMethod::BruteForce}) {
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
    check_against(om::dice(pred, target, om::SegmentationOptions().empty(om::EmptyPolicy::Perfect)),
                  monai["dice_ignore_empty_false"], 0.0);
    check_against(om::dice(pred, target, om::SegmentationOptions().empty(om::EmptyPolicy::NanWhenTargetEmpty)),
                  monai["dice_ignore_empty_true"], 0.0);
  }
  SUBCASE("sensitivity, precision, specificity, relative volume difference") {
    const auto r = om::segmentation_report(pred, target);
    osteon::test::check_all_close(values_of(r.sensitivity), {kNan, kNan, 0.0});  // TP / (TP + FN)
    osteon::test::check_all_close(values_of(r.precision), {kNan, 0.0, kNan});    // TP / (TP + FP)
    osteon::test::check_all_close(values_of(r.specificity), {1.0, (504.0 - 48.0) / 504.0, 1.0});
    osteon::test::check_all_close(values_of(r.relative_volume_difference), {kNan, kInf, -1.0});
    const auto perfect = om::segmentation_report(pred, target, om::SegmentationOptions().empty(om::EmptyPolicy::Perfect));
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
    const auto capped = om::surface_distances(pred, target, om::SegmentationOptions().empty(om::EmptyPolicy::Perfect),
                                              om::SurfaceDistanceOptions().one_side_empty(om::OneSideEmpty::ImageDiagonal));
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

namespace {

/// Random blobs: uniform noise smoothed by a box filter over the spatial axes, thresholded, so that
/// masks have interiors, holes and several components; some rows are left empty.
torch::Tensor random_masks(const std::vector<int64_t>& shape, double level, uint64_t seed) {
  torch::manual_seed(seed);
  auto x = torch::rand(shape, torch::kDouble);
  for (int64_t axis = 2; axis < static_cast<int64_t>(shape.size()); ++axis) {
    const int64_t n = x.size(axis);
    if (n < 3) continue;
    x = (x + x.roll(1, axis) + x.roll(-1, axis)) / 3.0;
  }
  auto masks = x.gt(level);
  if (shape[0] > 1) masks[1][0].fill_(false);  // an empty row (prediction and target alike here)
  return masks;
}

}  // namespace

TEST_CASE("surface metrics: the CPU path equals the tensor path, bit for bit where it should") {
  struct Case {
    std::vector<int64_t> shape;
    std::vector<double> spacing;
  };
  const std::vector<Case> cases = {
      {{2, 2, 40}, {0.7}},
      {{2, 2, 23, 31}, {1.3, 0.6}},
      {{2, 3, 2, 19}, {1.0, 0.9}},  // an axis of 2: every voxel touches the border
      {{3, 2, 17, 1, 13}, {0.8, 2.0, 1.25}},
      {{2, 2, 21, 18, 15}, {0.8, 0.8, 1.25}},
      {{1, 2, 7, 6, 5, 4}, {1.0, 0.5, 2.0, 1.5}},
  };
  uint64_t seed = 7;
  for (const auto& c : cases) {
    for (double level : {0.5, 0.53}) {
      const auto prediction = random_masks(c.shape, level, seed++);
      auto target = random_masks(c.shape, level, seed++);
      if (c.shape[0] > 2) target[2][1].fill_(false);  // one side empty
      const auto options = om::SegmentationOptions().spacing(c.spacing);
      for (auto dtype : {torch::kDouble, torch::kFloat}) {
        for (double percentile : {95.0, 50.0, 0.0, 100.0, 37.5}) {
          INFO("shape " << torch::IntArrayRef(c.shape) << " level " << level << " dtype " << dtype << " p "
                        << percentile);
          const auto surface = om::SurfaceDistanceOptions().percentile(percentile).tolerance(1.3).dtype(dtype);
          const auto host = om::surface_distances(prediction, target, options, surface);
          const auto tensor = om::detail::tensor_surface_distances(
              om::detail::mask_pair(prediction, target, options, "test"), options,
              om::SurfaceDistanceOptions(surface).method(om::DistanceTransformMethod::LowerEnvelope), true, "test");
          CHECK((host.hausdorff.scalar_type() == dtype));
          CHECK(torch::equal(host.surface_voxels_prediction, tensor.surface_voxels_prediction));
          CHECK(torch::equal(host.surface_voxels_target, tensor.surface_voxels_target));
          // Same distances, same selection and interpolation: equal, NaN where the other is NaN.
          CHECK(torch::allclose(host.hausdorff, tensor.hausdorff, 0.0, 0.0, true));
          CHECK(torch::allclose(host.hausdorff_percentile, tensor.hausdorff_percentile, 0.0, 0.0, true));
          CHECK(torch::allclose(host.surface_dice, tensor.surface_dice, 0.0, 0.0, true));
          // Sums in another order: the last bits may differ.
          const double rel = dtype == torch::kDouble ? 1e-14 : 1e-6;
          CHECK(torch::allclose(host.average_surface_distance, tensor.average_surface_distance, rel, 0.0, true));
        }
      }
    }
  }
}

TEST_CASE("surface metrics: the CPU path equals the tensor path with surfaces far apart") {
  // Plates 30 slices apart along the last axis (the CPU path's first pass), and blobs in opposite
  // corners: the searches outwards from each query would read more than the passes cost, so the
  // CPU path takes the passes (3-D), or the lower envelope on lines with many queries (2-D).
  auto plates_p = torch::zeros({1, 1, 24, 22, 40}, torch::kBool), plates_t = torch::zeros_like(plates_p);
  plates_p.index_put_({0, 0, Slice(2, 20), Slice(3, 21), Slice(2, 4)}, true);
  plates_t.index_put_({0, 0, Slice(4, 22), Slice(1, 19), Slice(34, 37)}, true);
  auto corners_p = torch::zeros({2, 1, 30, 26}, torch::kBool), corners_t = torch::zeros_like(corners_p);
  corners_p.index_put_({Slice(), 0, Slice(0, 6), Slice(0, 5)}, true);
  corners_t.index_put_({Slice(), 0, Slice(22, 30), Slice(19, 26)}, true);
  corners_t.index_put_({1, 0, Slice(1, 29), 13}, true);  // and a long line crossing the image
  for (const auto& [prediction, target, spacing] :
       {std::make_tuple(plates_p, plates_t, std::vector<double>{0.8, 0.8, 1.25}),
        std::make_tuple(corners_p, corners_t, std::vector<double>{1.0, 0.6})}) {
    const auto options = om::SegmentationOptions().spacing(spacing);
    const auto host = om::surface_distances(prediction, target, options);
    const auto tensor = om::detail::tensor_surface_distances(om::detail::mask_pair(prediction, target, options, "test"),
                                                             options, om::SurfaceDistanceOptions(), true, "test");
    CHECK(torch::equal(host.hausdorff, tensor.hausdorff));
    CHECK(torch::equal(host.hausdorff_percentile, tensor.hausdorff_percentile));
    CHECK(torch::allclose(host.average_surface_distance, tensor.average_surface_distance, 1e-14, 0.0));
    CHECK(host.hausdorff.min().item<double>() > 20.0);
  }
}

TEST_CASE("surface metrics on the CPU read every input kind as foreground() does") {
  const std::vector<int64_t> shape = {2, 3, 14, 12, 10};
  const auto prediction = random_masks(shape, 0.5, 101), target = random_masks(shape, 0.5, 202);
  const auto options = om::SegmentationOptions().spacing({0.9, 1.1, 1.4});
  const auto expected = om::surface_distances(prediction, target, options);
  const auto same = [&](const om::SurfaceDistances& s, const om::SurfaceDistances& e) {
    CHECK(torch::allclose(s.hausdorff, e.hausdorff, 0.0, 0.0, true));
    CHECK(torch::allclose(s.hausdorff_percentile, e.hausdorff_percentile, 0.0, 0.0, true));
    CHECK(torch::allclose(s.average_surface_distance, e.average_surface_distance, 0.0, 0.0, true));
    CHECK(torch::equal(s.surface_voxels_target, e.surface_voxels_target));
  };
  for (auto dtype : {torch::kUInt8, torch::kChar, torch::kShort, torch::kInt, torch::kLong, torch::kFloat,
                     torch::kDouble, torch::kHalf}) {
    INFO("dtype " << dtype);
    same(om::surface_distances(prediction.to(dtype), target.to(dtype), options), expected);
  }
  // Probabilities against their threshold, in the input's type.
  const auto noisy = [](const torch::Tensor& m) { return m.to(torch::kFloat) * 0.4f + 0.3f; };
  same(om::surface_distances(noisy(prediction), noisy(target), om::SegmentationOptions(options).threshold(0.6)),
       expected);
  // Non-contiguous inputs: a transposed view of transposed data, and a strided channel slice.
  const auto transposed = [](const torch::Tensor& m) { return m.transpose(2, 4).contiguous().transpose(2, 4); };
  same(om::surface_distances(transposed(prediction), transposed(target), options), expected);
  const auto wide_p = torch::cat({prediction, prediction}, 1).narrow(1, 0, 3);
  const auto wide_t = torch::cat({target, target}, 1).narrow(1, 0, 3);
  same(om::surface_distances(wide_p, wide_t, options), expected);
  // Background dropped; label maps and argmax take foreground() and then the same CPU path.
  const auto without_background = om::surface_distances(prediction, target,
                                                        om::SegmentationOptions(options).include_background(false));
  CHECK(torch::equal(without_background.hausdorff, expected.hausdorff.narrow(1, 1, 2)));
  auto labels_p = prediction.to(torch::kLong).argmax(1, true), labels_t = target.to(torch::kLong).argmax(1, true);
  const auto one_hot = [](const torch::Tensor& labels) {
    return torch::one_hot(labels.squeeze(1), 3).permute({0, 4, 1, 2, 3});
  };
  const auto from_labels = om::surface_distances(labels_p, labels_t, om::SegmentationOptions(options).num_classes(3));
  same(from_labels, om::surface_distances(one_hot(labels_p), one_hot(labels_t), options));
  const auto from_argmax = om::surface_distances(one_hot(labels_p).to(torch::kFloat) * 0.5f + 0.1f, labels_t,
                                                 om::SegmentationOptions(options).num_classes(3).argmax(true));
  same(from_argmax, from_labels);
  // The checks foreground() makes, with its messages.
  auto with_nan = prediction.to(torch::kFloat);
  with_nan[1][2][3][4][5] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(om::hausdorff95(with_nan, target.to(torch::kFloat)),
                       doctest::Contains("hausdorff95: prediction contains NaN"), c10::Error);
  auto with_two = target.to(torch::kInt);
  with_two[0][1][0][0][0] = 2;
  CHECK_THROWS_WITH_AS(om::hausdorff_distance(prediction, with_two), doctest::Contains("target must hold 0/1"),
                       c10::Error);
}

TEST_CASE("confusion counts on the CPU: every input kind, counted as foreground() decides") {
  const std::vector<int64_t> shape = {3, 2, 9, 8, 7};
  const auto prediction = random_masks(shape, 0.5, 11), target = random_masks(shape, 0.5, 12);
  const auto count = [](const torch::Tensor& m) { return m.flatten(2).sum(-1); };
  const auto tp = count(prediction.logical_and(target)), fp = count(prediction.logical_and(target.logical_not()));
  const auto fn = count(target.logical_and(prediction.logical_not()));
  const auto tn = count(prediction.logical_or(target).logical_not());
  const auto check_counts = [&](const torch::Tensor& p, const torch::Tensor& t, const om::SegmentationOptions& o) {
    const auto c = om::voxel_confusion_counts(p, t, o);
    CHECK(torch::equal(c.true_positives, tp));
    CHECK(torch::equal(c.false_positives, fp));
    CHECK(torch::equal(c.false_negatives, fn));
    CHECK(torch::equal(c.true_negatives, tn));
  };
  for (auto dtype : {torch::kBool, torch::kUInt8, torch::kChar, torch::kShort, torch::kInt, torch::kLong,
                     torch::kFloat, torch::kDouble, torch::kHalf}) {
    INFO("dtype " << dtype);
    check_counts(prediction.to(dtype), target.to(dtype), {});
    check_counts(prediction.to(dtype), target, {});  // mixed kinds
  }
  // Thresholds compare in the input's type, as torch's gt does: 0.3f > float(0.3) is false.
  const auto noisy = [](const torch::Tensor& m) { return m.to(torch::kFloat) * 0.4f + 0.3f; };
  check_counts(noisy(prediction), noisy(target), om::SegmentationOptions().threshold(0.3));
  check_counts(prediction.transpose(2, 4).contiguous().transpose(2, 4), target, {});
  // More voxels per row than one chunk, and an exact float32 count beyond 2^24 would not matter here.
  const auto big_p = random_masks({1, 1, 40, 40, 40}, 0.5, 13), big_t = random_masks({1, 1, 40, 40, 40}, 0.5, 14);
  const auto big = om::voxel_confusion_counts(big_p.to(torch::kFloat), big_t.to(torch::kFloat));
  CHECK(big.true_positives.item<int64_t>() == big_p.logical_and(big_t).sum().item<int64_t>());
  CHECK(big.true_negatives.item<int64_t>() == big_p.logical_or(big_t).logical_not().sum().item<int64_t>());
  auto with_nan = target.to(torch::kDouble);
  with_nan[2][1][8][7][6] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(om::dice(prediction.to(torch::kDouble), with_nan),
                       doctest::Contains("voxel_confusion_counts: target contains NaN"), c10::Error);
  CHECK((om::dice(torch::zeros({0, 2, 4}), torch::zeros({0, 2, 4})).sizes() == torch::IntArrayRef({0, 2})));
}

TEST_CASE("linear_quantile equals torch.quantile to within one unit in the last place") {
  // Bit-equal where torch's lerp uses a fused multiply-add (its AVX2 kernels, as here); a CPU
  // without FMA rounds torch's side once more, so one ulp is allowed.
  const auto within_one_ulp = [](auto ours, double expected) {
    using T = decltype(ours);
    const auto reference = static_cast<T>(expected);
    return ours == reference || ours == std::nextafter(reference, std::numeric_limits<T>::infinity()) ||
           ours == std::nextafter(reference, -std::numeric_limits<T>::infinity());
  };
  torch::manual_seed(3);
  for (int64_t n : {1, 2, 3, 10, 101, 1000}) {
    for (auto dtype : {torch::kDouble, torch::kFloat}) {
      const auto values = torch::rand({n}, dtype).mul_(10.0).round_().div_(3.0);  // ties included
      for (double q : {0.0, 0.05, 0.25, 0.5, 0.9, 0.95, 0.999, 1.0}) {
        INFO("n " << n << " dtype " << dtype << " q " << q);
        const double expected = at::quantile(values, q).item<double>();
        if (dtype == torch::kDouble) {
          std::vector<double> v(values.data_ptr<double>(), values.data_ptr<double>() + n);
          CHECK(within_one_ulp(om::detail::linear_quantile(v, q), expected));
        } else {
          std::vector<float> v(values.data_ptr<float>(), values.data_ptr<float>() + n);
          CHECK(within_one_ulp(om::detail::linear_quantile(v, q), expected));
        }
      }
    }
  }
}

TEST_CASE("reduce_metric keeps an all-NaN class NaN and counts") {
  const auto scores = torch::tensor({0.8, kNan, 0.6, kNan, kInf, kNan}, torch::kDouble).reshape({3, 2});
  const auto per_class = om::reduce_metric(scores, om::MetricReduction::MeanBatch);
  osteon::test::check_all_close(values_of(per_class.value), {(0.8 + 0.6 + kInf) / 3.0, kNan});
  osteon::test::check_all_close(values_of(per_class.n_valid), {3.0, 0.0});
  osteon::test::check_all_close(values_of(per_class.n_nan), {0.0, 3.0});
  const auto first = om::reduce_metric(scores.narrow(0, 0, 2), om::MetricReduction::Mean);
  CHECK(first.value.item<double>() == doctest::Approx(0.7));
  CHECK(first.n_nan.item<int64_t>() == 2);
  CHECK(std::isnan(om::reduce_metric(scores, om::MetricReduction::SumBatch).value[1].item<double>()));
}
