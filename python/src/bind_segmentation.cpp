// Bindings of osteon's segmentation metrics (osteon._C.metrics, private `_seg_*` names). The
// documented Python functions are in osteon/_metrics_segmentation.py; tensors cross zero-copy and
// results come back on the inputs' device.
#include <osteon/metrics/segmentation/host/aggregation.hpp>
#include <osteon/metrics/segmentation/distance_transform.hpp>
#include <osteon/metrics/segmentation/reduction.hpp>
#include <osteon/metrics/segmentation/overlap.hpp>
#include <osteon/metrics/segmentation/surface_distance.hpp>
#include <osteon/metrics/segmentation/host/volume_agreement.hpp>

#include <pybind11/stl.h>

#include "bindings.hpp"

namespace osteon::python {
namespace om = osteon::metrics;

namespace {

om::SegmentationOptions segmentation_options(int64_t num_classes, double threshold, bool argmax,
                                             bool include_background, const std::string& empty,
                                             const std::vector<double>& spacing) {
  return om::SegmentationOptions()
      .num_classes(num_classes)
      .threshold(threshold)
      .argmax(argmax)
      .include_background(include_background)
      .empty(om::parse_empty_policy(empty))
      .spacing(spacing);
}

om::DistanceTransformMethod parse_method(const std::string& method) {
  if (method == "auto") return om::DistanceTransformMethod::Automatic;
  if (method == "lower_envelope") return om::DistanceTransformMethod::LowerEnvelope;
  if (method == "brute_force") return om::DistanceTransformMethod::BruteForce;
  OSTEON_CHECK_ARG(false, "method must be 'auto', 'lower_envelope' or 'brute_force', got '", method, "'");
  return om::DistanceTransformMethod::Automatic;
}

torch::ScalarType parse_dtype(const std::string& dtype) {
  if (dtype == "float64") return torch::kDouble;
  if (dtype == "float32") return torch::kFloat;
  OSTEON_CHECK_ARG(false, "dtype must be torch.float64 or torch.float32, got ", dtype);
  return torch::kDouble;
}

py::dict summary_dict(const om::Summary& s) {
  py::dict d;
  d["n"] = s.n;
  d["n_nan"] = s.n_nan;
  d["n_infinite"] = s.n_infinite;
  d["ddof"] = s.ddof;
  d["mean"] = s.mean;
  d["sd"] = s.sd;
  d["median"] = s.median;
  d["q1"] = s.q1;
  d["q3"] = s.q3;
  d["min"] = s.min;
  d["max"] = s.max;
  return d;
}

}  // namespace

void bind_segmentation(py::module_ m) {
  // The Python signatures take their defaults from here (osteon/_metrics_segmentation.py).
  const om::SegmentationOptions segmentation;
  const om::SurfaceDistanceOptions surface;
  py::dict defaults;
  defaults["threshold"] = segmentation.threshold();
  defaults["argmax"] = segmentation.argmax();
  defaults["include_background"] = segmentation.include_background();
  switch (segmentation.empty()) {
    case om::EmptyPolicy::nan: defaults["empty"] = "nan"; break;
    case om::EmptyPolicy::perfect: defaults["empty"] = "perfect"; break;
    case om::EmptyPolicy::nan_when_target_empty: defaults["empty"] = "nan_when_target_empty"; break;
  }
  defaults["percentile"] = surface.percentile();
  defaults["tolerance"] = surface.tolerance();
  defaults["one_side_empty"] = surface.one_side_empty() == om::OneSideEmpty::infinity ? "inf" : "diagonal";
  switch (surface.method()) {
    case om::DistanceTransformMethod::automatic: defaults["method"] = "auto"; break;
    case om::DistanceTransformMethod::lower_envelope: defaults["method"] = "lower_envelope"; break;
    case om::DistanceTransformMethod::brute_force: defaults["method"] = "brute_force"; break;
  }
  m.attr("_segmentation_defaults") = defaults;

  m.def(
      "_seg_report",
      [](const torch::Tensor& prediction, const torch::Tensor& target, int64_t num_classes, double threshold,
         bool argmax, bool include_background, const std::string& empty, const std::vector<double>& spacing) {
        const auto options = segmentation_options(num_classes, threshold, argmax, include_background, empty, spacing);
        const auto r = [&] {
          py::gil_scoped_release release;
          return om::segmentation_report(prediction, target, options);
        }();
        py::dict d;
        d["true_positives"] = r.counts.true_positives;
        d["false_positives"] = r.counts.false_positives;
        d["false_negatives"] = r.counts.false_negatives;
        d["true_negatives"] = r.counts.true_negatives;
        d["dice"] = r.dice;
        d["iou"] = r.iou;
        d["sensitivity"] = r.sensitivity;
        d["specificity"] = r.specificity;
        d["precision"] = r.precision;
        d["volume_prediction"] = r.volume_prediction;
        d["volume_target"] = r.volume_target;
        d["volume_difference"] = r.volume_difference;
        d["absolute_volume_difference"] = r.absolute_volume_difference;
        d["relative_volume_difference"] = r.relative_volume_difference;
        return d;
      },
      py::arg("prediction"), py::arg("target"), py::arg("num_classes"), py::arg("threshold"), py::arg("argmax"),
      py::arg("include_background"), py::arg("empty"), py::arg("spacing"));

  m.def(
      "_seg_overlap",
      [](const std::string& metric, const torch::Tensor& prediction, const torch::Tensor& target,
         int64_t num_classes, double threshold, bool argmax, bool include_background, const std::string& empty) {
        const auto options =
            segmentation_options(num_classes, threshold, argmax, include_background, empty, {});
        const auto counts = om::voxel_confusion_counts(prediction, target, options);
        if (metric == "dice") return om::dice_from_counts(counts, options.empty());
        if (metric == "iou") return om::iou_from_counts(counts, options.empty());
        if (metric == "sensitivity") return om::sensitivity_from_counts(counts, options.empty());
        if (metric == "specificity") return om::specificity_from_counts(counts, options.empty());
        if (metric == "precision") return om::precision_from_counts(counts, options.empty());
        OSTEON_CHECK_ARG(false, "_seg_overlap: unknown metric '", metric, "'");
        return torch::Tensor();
      },
      py::arg("metric"), py::arg("prediction"), py::arg("target"), py::arg("num_classes"), py::arg("threshold"),
      py::arg("argmax"), py::arg("include_background"), py::arg("empty"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "_seg_volume",
      [](const torch::Tensor& mask, int64_t num_classes, double threshold, bool argmax, bool include_background,
         const std::vector<double>& spacing) {
        return om::volume(mask,
                          segmentation_options(num_classes, threshold, argmax, include_background, "nan", spacing));
      },
      py::arg("mask"), py::arg("num_classes"), py::arg("threshold"), py::arg("argmax"),
      py::arg("include_background"), py::arg("spacing"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "_seg_surface",
      [](const torch::Tensor& prediction, const torch::Tensor& target, int64_t num_classes, double threshold,
         bool argmax, bool include_background, const std::string& empty, const std::vector<double>& spacing,
         double percentile, double tolerance, const std::string& one_side_empty, const std::string& method,
         const std::string& dtype, bool with_percentile) {
        OSTEON_CHECK_ARG(one_side_empty == "inf" || one_side_empty == "diagonal",
                         "one_side_empty must be 'inf' or 'diagonal', got '", one_side_empty, "'");
        const auto surface = om::SurfaceDistanceOptions()
                                 .percentile(percentile)
                                 .tolerance(tolerance)
                                 .one_side_empty(one_side_empty == "inf" ? om::OneSideEmpty::Infinity
                                                                          : om::OneSideEmpty::ImageDiagonal)
                                 .method(parse_method(method))
                                 .dtype(parse_dtype(dtype));
        const auto options = segmentation_options(num_classes, threshold, argmax, include_background, empty, spacing);
        const auto s = [&] {
          py::gil_scoped_release release;
          return om::detail::surface_distances(prediction, target, options, surface, with_percentile,
                                               "surface_distances");
        }();
        py::dict d;
        d["hausdorff"] = s.hausdorff;
        d["hausdorff_percentile"] = with_percentile ? py::cast(s.hausdorff_percentile) : py::none();
        d["average_surface_distance"] = s.average_surface_distance;
        d["surface_dice"] = s.surface_dice;
        d["surface_voxels_prediction"] = s.surface_voxels_prediction;
        d["surface_voxels_target"] = s.surface_voxels_target;
        return d;
      },
      py::arg("prediction"), py::arg("target"), py::arg("num_classes"), py::arg("threshold"), py::arg("argmax"),
      py::arg("include_background"), py::arg("empty"), py::arg("spacing"), py::arg("percentile"),
      py::arg("tolerance"), py::arg("one_side_empty"), py::arg("method"), py::arg("dtype"),
      py::arg("with_percentile"));

  m.def(
      "_seg_distance_transform_edt",
      [](const torch::Tensor& input, const std::vector<double>& spacing, const std::string& method,
         const std::string& dtype) {
        return om::distance_transform_edt(
            input, om::DistanceTransformOptions().spacing(spacing).method(parse_method(method)).dtype(parse_dtype(dtype)));
      },
      py::arg("input"), py::arg("spacing"), py::arg("method"), py::arg("dtype"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "_seg_reduce",
      [](const torch::Tensor& scores, const std::string& reduction) {
        const auto parsed = om::parse_reduction(reduction);
        const auto r = [&] {
          py::gil_scoped_release release;
          return om::reduce_metric(scores, parsed);
        }();
        return py::make_tuple(r.value, r.n_valid, r.n_nan);
      },
      py::arg("scores"), py::arg("reduction"));

  m.def(
      "_seg_summarize",
      [](const std::vector<double>& values, int ddof) {
        const auto summary = [&] {
          py::gil_scoped_release release;
          return om::summarize(values, ddof);
        }();
        return summary_dict(summary);
      },
      py::arg("values"), py::arg("ddof"));

  m.def(
      "_seg_fold_table",
      [](const std::vector<std::vector<double>>& folds, int ddof) {
        const auto table = [&] {
          py::gil_scoped_release release;
          return om::fold_table(folds, ddof);
        }();
        py::list per_fold;
        for (const auto& s : table.folds) per_fold.append(summary_dict(s));
        py::dict d;
        d["folds"] = per_fold;
        d["pooled"] = summary_dict(table.pooled);
        d["across_folds"] = summary_dict(table.across_folds);
        return d;
      },
      py::arg("folds"), py::arg("ddof"));

  m.def(
      "_seg_volume_agreement",
      [](const std::vector<double>& predicted, const std::vector<double>& truth, double level) {
        const auto a = [&] {
          py::gil_scoped_release release;
          return om::volume_agreement(predicted, truth, level);
        }();
        py::dict d;
        d["n"] = a.regression.n;
        d["r2"] = a.regression.r2;
        d["r"] = a.regression.r;
        d["p_value"] = a.regression.p_value;
        d["slope"] = a.regression.slope;
        d["intercept"] = a.regression.intercept;
        d["bias"] = a.bland_altman.bias;
        d["sd_difference"] = a.bland_altman.sd;
        d["lower_limit"] = a.bland_altman.lower_limit;
        d["upper_limit"] = a.bland_altman.upper_limit;
        d["bias_ci"] = py::make_tuple(a.bland_altman.bias_ci_low, a.bland_altman.bias_ci_high);
        d["lower_limit_ci"] = py::make_tuple(a.bland_altman.lower_limit_ci_low, a.bland_altman.lower_limit_ci_high);
        d["upper_limit_ci"] = py::make_tuple(a.bland_altman.upper_limit_ci_low, a.bland_altman.upper_limit_ci_high);
        d["level"] = a.bland_altman.level;
        return d;
      },
      py::arg("predicted"), py::arg("truth"), py::arg("level"));
}

}  // namespace osteon::python
