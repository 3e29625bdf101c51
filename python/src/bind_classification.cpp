// Bindings of osteon's threshold, proportion-CI, multi-class and partial-AUC metrics (into
// osteon._C.metrics). Functions are bound with a leading underscore; the documented Python API is
// osteon/_metrics_classification.py, which moves tensors to the host and shapes the results.
#include <optional>
#include <string>

#include <osteon/metrics/classification/binary_report.hpp>
#include <osteon/metrics/classification/multiclass.hpp>
#include <osteon/metrics/roc/partial_auc.hpp>
#include <osteon/metrics/classification/proportion_ci.hpp>
#include <osteon/metrics/classification/thresholds.hpp>

#include <pybind11/stl.h>

#include "array_view.hpp"
#include "bindings.hpp"
#include "record_binding.hpp"

namespace osteon::python {
namespace om = osteon::metrics;

namespace {

om::ClassScores class_scores(const HostArray& array, const char* function, const char* argument) {
  if (array.ndim() != 2) {
    throw py::value_error(std::string(function) + ": " + argument + " must be 2-D (n_samples, n_classes), got " +
                          std::to_string(array.ndim()) + " dimensions");
  }
  return om::ClassScores::from_row_major(array.data(), static_cast<std::size_t>(array.shape(0)),
                                         static_cast<std::size_t>(array.shape(1)));
}

void bind_results(py::module_& m) {
  auto proportion = py::class_<om::ProportionCi>(m, "ProportionCi", "A proportion k/n with its confidence interval.")
                        .def_readonly("estimate", &om::ProportionCi::estimate)
                        .def_readonly("ci_low", &om::ProportionCi::ci_low)
                        .def_readonly("ci_high", &om::ProportionCi::ci_high)
                        .def_readonly("k", &om::ProportionCi::k)
                        .def_readonly("n", &om::ProportionCi::n)
                        .def_readonly("level", &om::ProportionCi::level)
                        .def_readonly("method", &om::ProportionCi::method)
                        .def("__iter__", [](const om::ProportionCi& p) {
                          return py::iter(py::make_tuple(p.estimate, p.ci_low, p.ci_high));
                        });
  add_record_methods(proportion, "ProportionCi", {"estimate", "ci_low", "ci_high", "k", "n", "level", "method"});

  auto report =
      py::class_<om::BinaryReport>(m, "BinaryReport",
                                   "Threshold metrics at one operating point; NaN + a name in `undefined` where a "
                                   "denominator is 0.")
          .def_property_readonly("tp", [](const om::BinaryReport& r) { return r.counts.tp; })
          .def_property_readonly("fp", [](const om::BinaryReport& r) { return r.counts.fp; })
          .def_property_readonly("tn", [](const om::BinaryReport& r) { return r.counts.tn; })
          .def_property_readonly("fn", [](const om::BinaryReport& r) { return r.counts.fn; })
          .def_readonly("threshold", &om::BinaryReport::threshold)
          .def_readonly("accuracy", &om::BinaryReport::accuracy)
          .def_readonly("precision", &om::BinaryReport::precision)
          .def_readonly("recall", &om::BinaryReport::recall)
          .def_property_readonly("sensitivity", [](const om::BinaryReport& r) { return r.recall; })
          .def_readonly("specificity", &om::BinaryReport::specificity)
          .def_readonly("f1", &om::BinaryReport::f1)
          .def_readonly("npv", &om::BinaryReport::npv)
          .def_property_readonly("ppv", [](const om::BinaryReport& r) { return r.precision; })
          .def_readonly("balanced_accuracy", &om::BinaryReport::balanced_accuracy)
          .def_readonly("mcc", &om::BinaryReport::mcc)
          .def_readonly("youden_j", &om::BinaryReport::youden_j)
          .def_readonly("accuracy_ci", &om::BinaryReport::accuracy_ci)
          .def_readonly("precision_ci", &om::BinaryReport::precision_ci)
          .def_readonly("recall_ci", &om::BinaryReport::recall_ci)
          .def_readonly("specificity_ci", &om::BinaryReport::specificity_ci)
          .def_readonly("npv_ci", &om::BinaryReport::npv_ci)
          .def_readonly("undefined", &om::BinaryReport::undefined);
  add_record_methods(report, "BinaryReport",
                     {"threshold", "tp", "fp", "tn", "fn", "accuracy", "precision", "recall", "specificity", "f1",
                      "npv", "balanced_accuracy", "mcc", "youden_j", "accuracy_ci", "precision_ci", "recall_ci",
                      "specificity_ci", "npv_ci", "undefined"});

  auto choice = py::class_<om::ThresholdChoice>(m, "ThresholdChoice",
                                                "Operating points chosen on a ROC curve (every tied optimum for "
                                                "Youden / closest-topleft, in curve order).")
                    .def_property_readonly("thresholds", [](const om::ThresholdChoice& c) { return to_numpy(c.thresholds); })
                    .def_property_readonly("sensitivity", [](const om::ThresholdChoice& c) { return to_numpy(c.sensitivity); })
                    .def_property_readonly("specificity", [](const om::ThresholdChoice& c) { return to_numpy(c.specificity); })
                    .def_property_readonly("true_positives", [](const om::ThresholdChoice& c) { return to_numpy(c.true_positives); })
                    .def_property_readonly("false_positives", [](const om::ThresholdChoice& c) { return to_numpy(c.false_positives); })
                    .def_readonly("criterion", &om::ThresholdChoice::criterion)
                    .def_property_readonly("threshold", [](const om::ThresholdChoice& c) {
                      if (c.thresholds.size() != 1) {
                        throw py::value_error(osteon::detail::concat(
                            "ThresholdChoice.threshold: ", c.thresholds.size(), " operating points tie on the ",
                            c.criterion, " criterion; pick one from .thresholds"));
                      }
                      return c.thresholds.front();
                    }, "The single chosen threshold; raises ValueError when several points tie.")
                    .def("__len__", [](const om::ThresholdChoice& c) { return c.thresholds.size(); });
  add_record_methods(choice, "ThresholdChoice", {"criterion", "thresholds", "sensitivity", "specificity"});

  auto partial = py::class_<om::PartialAuc>(m, "PartialAuc",
                                            "A partial AUC; `value` is McClish-standardised when `corrected`, NaN "
                                            "with `below_diagonal` set where the standardisation is undefined.")
                     .def_readonly("value", &om::PartialAuc::value)
                     .def_readonly("area", &om::PartialAuc::area)
                     .def_readonly("range_low", &om::PartialAuc::range_low)
                     .def_readonly("range_high", &om::PartialAuc::range_high)
                     .def_readonly("focus", &om::PartialAuc::focus)
                     .def_readonly("corrected", &om::PartialAuc::corrected)
                     .def_readonly("below_diagonal", &om::PartialAuc::below_diagonal)
                     .def("__float__", [](const om::PartialAuc& p) { return p.value; });
  add_record_methods(partial, "PartialAuc",
                     {"value", "area", "range_low", "range_high", "focus", "corrected", "below_diagonal"});
}

om::BinaryReportOptions report_options(double level, const std::string& ci_method, const std::string& direction) {
  om::BinaryReportOptions options;
  options.level(level);
  options.ci_method(om::parse_proportion_ci_method(ci_method));
  options.direction(om::parse_direction(direction));
  return options;
}

py::dict columns_of(const std::vector<om::ClassAucRow>& rows) {
  std::vector<std::int64_t> label, n_cases, n_controls;
  std::vector<double> auc, variance, ci_low, ci_high;
  for (const auto& r : rows) {
    label.push_back(static_cast<std::int64_t>(r.label));
    n_cases.push_back(r.n_cases);
    n_controls.push_back(r.n_controls);
    auc.push_back(r.auc);
    variance.push_back(r.variance);
    ci_low.push_back(r.ci_low);
    ci_high.push_back(r.ci_high);
  }
  py::dict d;
  d["label"] = to_numpy(label);
  d["n_cases"] = to_numpy(n_cases);
  d["n_controls"] = to_numpy(n_controls);
  d["auc"] = to_numpy(auc);
  d["variance"] = to_numpy(variance);
  d["ci_low"] = to_numpy(ci_low);
  d["ci_high"] = to_numpy(ci_high);
  return d;
}

py::dict columns_of(const std::vector<om::ClassDelongRow>& rows) {
  std::vector<std::int64_t> label, n_cases, n_controls;
  std::vector<double> auc_a, ci_low_a, ci_high_a, auc_b, ci_low_b, ci_high_b, statistic, p_value, diff_low, diff_high;
  for (const auto& r : rows) {
    label.push_back(static_cast<std::int64_t>(r.label));
    n_cases.push_back(r.n_cases);
    n_controls.push_back(r.n_controls);
    auc_a.push_back(r.auc_a);
    ci_low_a.push_back(r.ci_low_a);
    ci_high_a.push_back(r.ci_high_a);
    auc_b.push_back(r.auc_b);
    ci_low_b.push_back(r.ci_low_b);
    ci_high_b.push_back(r.ci_high_b);
    statistic.push_back(r.statistic);
    p_value.push_back(r.p_value);
    diff_low.push_back(r.difference_ci_low);
    diff_high.push_back(r.difference_ci_high);
  }
  py::dict d;
  d["label"] = to_numpy(label);
  d["n_cases"] = to_numpy(n_cases);
  d["n_controls"] = to_numpy(n_controls);
  d["auc_a"] = to_numpy(auc_a);
  d["ci_low_a"] = to_numpy(ci_low_a);
  d["ci_high_a"] = to_numpy(ci_high_a);
  d["auc_b"] = to_numpy(auc_b);
  d["ci_low_b"] = to_numpy(ci_low_b);
  d["ci_high_b"] = to_numpy(ci_high_b);
  d["statistic"] = to_numpy(statistic);
  d["p_value"] = to_numpy(p_value);
  d["difference_ci_low"] = to_numpy(diff_low);
  d["difference_ci_high"] = to_numpy(diff_high);
  return d;
}

}  // namespace

void bind_classification(py::module_ m) {
  bind_results(m);

  m.def(
      "proportion_ci",
      [](std::int64_t k, std::int64_t n, double level, const std::string& method) {
        return om::proportion_ci(k, n, level, om::parse_proportion_ci_method(method));
      },
      py::arg("k"), py::arg("n"), py::arg("level") = 0.95, py::arg("method") = "wilson", py::call_guard<py::gil_scoped_release>(),
      R"doc(Confidence interval of the proportion k/n.

Args:
    k: successes (e.g. true positives), 0 <= k <= n.
    n: trials (e.g. cases), n >= 1.
    level: two-sided confidence level.
    method: "wilson" (R's prop.test(correct=FALSE)), "wilson_cc" (Newcombe's continuity-corrected
        Wilson, prop.test(correct=TRUE)) or "clopper_pearson" (exact; R's binom.test).

Returns:
    ProportionCi with ``estimate``, ``ci_low``, ``ci_high``, ``k``, ``n``, ``level``, ``method``;
    iterating gives (estimate, ci_low, ci_high).

Example:
    >>> ci = osteon.metrics.proportion_ci(45, 50)
    >>> round(ci.ci_low, 4), round(ci.ci_high, 4)
    (0.7864, 0.9565)
)doc");

  m.def(
      "_binary_report",
      [](const HostArray& y, const HostArray& score, std::optional<double> threshold, double level,
         const std::string& ci_method, const std::string& direction) {
        const auto options = report_options(level, ci_method, direction);
        const auto labels = view_1d(y, "binary_report", "y_true");
        if (!threshold) return om::binary_report_from_predictions(labels, view_1d(score, "binary_report", "y_pred"), options);
        return om::binary_report(labels, view_1d(score, "binary_report", "y_score"), *threshold, options);
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("threshold"), py::arg("level"), py::arg("ci_method"),
      py::arg("direction"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "_choose_threshold",
      [](const HostArray& y, const HostArray& score, const std::string& criterion, double value,
         const std::string& direction, double cost, double prevalence) {
        const auto curve = om::roc_curve(view_1d(y, criterion.c_str(), "y_true"),
                                         view_1d(score, criterion.c_str(), "y_score"),
                                         om::RocCurveOptions().direction(om::parse_direction(direction)));
        const om::BestWeights weights{cost, prevalence};
        if (criterion == "youden_threshold") return om::youden_threshold(curve, weights);
        if (criterion == "closest_topleft_threshold") return om::closest_topleft_threshold(curve, weights);
        if (criterion == "threshold_at_sensitivity") return om::threshold_at_sensitivity(curve, value);
        return om::threshold_at_specificity(curve, value);
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("criterion"), py::arg("value"), py::arg("direction"),
      py::arg("cost"), py::arg("prevalence"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "_multiclass_auc",
      [](const HostArray& y, const HostArray& probs, const std::string& multi_class, const std::string& average) {
        return om::multiclass_auc(view_1d(y, "multiclass_auc", "y_true"), class_scores(probs, "multiclass_auc", "y_score"),
                                  om::parse_multiclass_strategy(multi_class), om::parse_multiclass_average(average));
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("multi_class"), py::arg("average"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "_one_vs_rest_aucs",
      [](const HostArray& y, const HostArray& scores) {
        const auto labels = view_1d(y, "multiclass_auc", "y_true");
        const auto columns = class_scores(scores, "multiclass_auc", "y_score");
        std::vector<double> aucs;
        {
          py::gil_scoped_release release;
          aucs = om::one_vs_rest_aucs(labels, columns);
        }
        return to_numpy(aucs);
      },
      py::arg("y_true"), py::arg("y_score"));

  m.def(
      "_per_class_auc",
      [](const HostArray& y, const HostArray& scores, double level) {
        const auto labels = view_1d(y, "per_class_auc", "y_true");
        const auto columns = class_scores(scores, "per_class_auc", "y_score");
        std::vector<om::ClassAucRow> rows;
        {
          py::gil_scoped_release release;
          rows = om::per_class_auc(labels, columns, level);
        }
        return columns_of(rows);
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("level"));

  m.def(
      "_per_class_delong_test",
      [](const HostArray& y, const HostArray& scores_a, const HostArray& scores_b, double level,
         const std::string& alternative) {
        const auto labels = view_1d(y, "per_class_delong_test", "y_true");
        const auto columns_a = class_scores(scores_a, "per_class_delong_test", "y_score_a");
        const auto columns_b = class_scores(scores_b, "per_class_delong_test", "y_score_b");
        const auto parsed = om::parse_alternative(alternative, "per_class_delong_test");
        std::vector<om::ClassDelongRow> rows;
        {
          py::gil_scoped_release release;
          rows = om::per_class_delong_test(labels, columns_a, columns_b, level, parsed);
        }
        return columns_of(rows);
      },
      py::arg("y_true"), py::arg("y_score_a"), py::arg("y_score_b"), py::arg("level"), py::arg("alternative"));

  m.def(
      "_partial_auc",
      [](const HostArray& y, const HostArray& score, double low, double high, const std::string& focus, bool correct,
         const std::string& direction, bool allow_invalid_correction) {
        return om::partial_auc(view_1d(y, "partial_auc", "y_true"), view_1d(score, "partial_auc", "y_score"), low, high,
                               om::parse_partial_auc_focus(focus), correct, om::parse_direction(direction),
                               allow_invalid_correction);
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("low"), py::arg("high"), py::arg("focus"), py::arg("correct"),
      py::arg("direction"), py::arg("allow_invalid_correction"), py::call_guard<py::gil_scoped_release>());
}

}  // namespace osteon::python
