// The segmentation rows of the bad-input matrix (tests/data/errors_matrix.json, docs/errors.md):
// a NaN threshold (issue 16: read as "all background"), NaN predictions, shapes, devices, masks
// that are not 0/1, label maps out of range, spacing; and volume_agreement's host inputs.
#include <doctest/doctest.h>

#include <torch/torch.h>

#include "errors_matrix_torch.hpp"
#include "osteon/metrics.hpp"

namespace om = osteon::metrics;
using osteon::test::Json;
using osteon::test::matrix_number;
using osteon::test::matrix_numbers;

// KNOWN FAILING since the merge of the reliability branch (2026-12-03; issue 16 stays open): run
// and reported, but not failing the program (doctest::may_fail) until fixed. See docs/reliability.md.
TEST_CASE("bad-input matrix: segmentation metrics and volume agreement" * doctest::may_fail()) {
  const int run = osteon::test::run_error_rows({"segmentation", "segmentation_host"}, [](const Json& row) {
    const auto& a = row["args"];
    const std::string entry = row["entry"];
    if (entry == "volume_agreement") {
      om::volume_agreement(matrix_numbers(a["predicted"]), matrix_numbers(a["truth"]),
                           a.contains("level") ? matrix_number(a["level"]) : 0.95);
      return;
    }
    auto options = om::SegmentationOptions();
    if (a.contains("threshold")) options.threshold(matrix_number(a["threshold"]));
    if (a.contains("num_classes")) options.num_classes(a["num_classes"].get<int64_t>());
    if (a.contains("spacing")) options.spacing(matrix_numbers(a["spacing"]));
    const auto prediction = osteon::test::matrix_tensor(a["prediction"]);
    const auto target = osteon::test::matrix_tensor(a["target"]);
    if (entry == "dice") om::dice(prediction, target, options);
    else if (entry == "iou") om::iou(prediction, target, options);
    else if (entry == "sensitivity") om::sensitivity(prediction, target, options);
    else if (entry == "specificity") om::specificity(prediction, target, options);
    else if (entry == "precision") om::precision(prediction, target, options);
    else if (entry == "voxel_confusion_counts") om::voxel_confusion_counts(prediction, target, options);
    else if (entry == "hausdorff95") om::hausdorff95(prediction, target, options);
    else if (entry == "average_surface_distance") om::average_surface_distance(prediction, target, options);
    else FAIL("no C++ call for " << entry);
  });
  CHECK(run > 60);
}

TEST_CASE("segmentation metrics: infinite thresholds stay meaningful (all foreground / all background)") {
  const auto prediction = torch::rand({1, 1, 4, 4});
  const auto target = torch::ones({1, 1, 4, 4}, torch::kByte);
  CHECK(om::dice(prediction, target, om::SegmentationOptions().threshold(-INFINITY)).item<double>() == 1.0);
  CHECK(om::voxel_confusion_counts(prediction, target, om::SegmentationOptions().threshold(INFINITY))
            .true_positives.item<int64_t>() == 0);
}
