// Bindings of osteon's ROC / AUC / DeLong metrics (osteon._C.metrics). The Python wrappers in
// osteon/_metrics_roc.py route tensors to the *_tensor entry points and host arrays to the others.
#include <osteon/metrics/roc/auc_ci.hpp>
#include <osteon/metrics/roc/tensor.hpp>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "array_view.hpp"
#include "bindings.hpp"

namespace osteon::python {
namespace om = osteon::metrics;

namespace {

const char* alternative_name(om::Alternative alternative) {
  switch (alternative) {
    case om::Alternative::TwoSided: return "two.sided";
    case om::Alternative::Less: return "less";
    case om::Alternative::Greater: return "greater";
  }
  return "?";
}

py::dict delong_test_dict(const om::DelongTest& t) {
  py::dict d;
  d["auc_a"] = t.auc_a;
  d["auc_b"] = t.auc_b;
  d["statistic"] = t.statistic;
  d["p_value"] = t.p_value;
  d["df"] = t.df;
  d["ci_low"] = t.ci_low;
  d["ci_high"] = t.ci_high;
  d["level"] = t.level;
  d["alternative"] = alternative_name(t.alternative);
  d["paired"] = t.paired;
  return d;
}

void bind_results(py::module_& m) {
  py::class_<om::AucCi>(m, "AucCi", "An AUC with its confidence interval.")
      .def_readonly("auc", &om::AucCi::auc)
      .def_readonly("ci_low", &om::AucCi::ci_low)
      .def_readonly("ci_high", &om::AucCi::ci_high)
      .def_readonly("level", &om::AucCi::level)
      .def_readonly("method", &om::AucCi::method)
      .def("__iter__", [](const om::AucCi& ci) { return py::iter(py::make_tuple(ci.ci_low, ci.auc, ci.ci_high)); })
      .def("to_dict", [](const om::AucCi& ci) {
        return py::dict(py::arg("auc") = ci.auc, py::arg("ci_low") = ci.ci_low, py::arg("ci_high") = ci.ci_high,
                        py::arg("level") = ci.level, py::arg("method") = ci.method);
      })
      .def("__repr__", [](const om::AucCi& ci) {
        return osteon::detail::concat("AucCi(auc=", ci.auc, ", ci_low=", ci.ci_low, ", ci_high=", ci.ci_high,
                                      ", level=", ci.level, ", method='", ci.method, "')");
      });

  py::class_<om::DelongTest>(m, "DelongTest",
                             "Comparison of two AUCs (pROC's roc.test, method='delong'). statistic is Z when "
                             "paired, D (t-distributed with df) when unpaired; ci_low/ci_high bound auc_a - auc_b.")
      .def_readonly("auc_a", &om::DelongTest::auc_a)
      .def_readonly("auc_b", &om::DelongTest::auc_b)
      .def_readonly("statistic", &om::DelongTest::statistic)
      .def_readonly("p_value", &om::DelongTest::p_value)
      .def_readonly("df", &om::DelongTest::df)
      .def_readonly("ci_low", &om::DelongTest::ci_low)
      .def_readonly("ci_high", &om::DelongTest::ci_high)
      .def_readonly("level", &om::DelongTest::level)
      .def_readonly("paired", &om::DelongTest::paired)
      .def_property_readonly("alternative", [](const om::DelongTest& t) { return alternative_name(t.alternative); })
      .def("to_dict", &delong_test_dict)
      .def("__repr__", [](const om::DelongTest& t) {
        return osteon::detail::concat("DelongTest(", t.paired ? "paired" : "unpaired", ", auc_a=", t.auc_a,
                                      ", auc_b=", t.auc_b, ", statistic=", t.statistic, ", df=", t.df,
                                      ", p_value=", t.p_value, ", ci=[", t.ci_low, ", ", t.ci_high, "], alternative='",
                                      alternative_name(t.alternative), "')");
      });

  py::class_<om::DelongContrastTest>(m, "DelongContrastTest", "Chi-square contrast test of k correlated AUCs.")
      .def_readonly("aucs", &om::DelongContrastTest::aucs)
      .def_readonly("statistic", &om::DelongContrastTest::statistic)
      .def_readonly("df", &om::DelongContrastTest::df)
      .def_readonly("p_value", &om::DelongContrastTest::p_value)
      .def("__repr__", [](const om::DelongContrastTest& t) {
        return osteon::detail::concat("DelongContrastTest(chi2=", t.statistic, ", df=", t.df, ", p_value=", t.p_value,
                                      ")");
      });
}

void bind_host(py::module_& m) {
  m.def(
      "roc_curve",
      [](const HostArray& y, const HostArray& s, const std::string& direction, const std::string& thresholds,
         bool drop_intermediate) {
        om::RocCurveOptions options;
        options.direction(om::parse_direction(direction));
        if (thresholds == "midpoint") options.convention(om::ThresholdConvention::Midpoint);
        else if (thresholds == "sklearn") options.convention(om::ThresholdConvention::Sklearn);
        else throw py::value_error("roc_curve: thresholds must be \"midpoint\" or \"sklearn\", got \"" + thresholds + "\"");
        options.drop_intermediate(drop_intermediate);
        const auto y_view = view_1d(y, "roc_curve", "y_true");
        const auto s_view = view_1d(s, "roc_curve", "y_score");
        om::RocCurve curve;
        {
          py::gil_scoped_release release;
          curve = om::roc_curve(y_view, s_view, options);
        }
        py::dict d;
        d["thresholds"] = to_numpy(curve.thresholds);
        d["sensitivity"] = to_numpy(curve.sensitivity);
        d["specificity"] = to_numpy(curve.specificity);
        d["fpr"] = to_numpy(curve.fpr);
        d["tpr"] = to_numpy(curve.sensitivity);
        d["true_positives"] = to_numpy(curve.true_positives);
        d["false_positives"] = to_numpy(curve.false_positives);
        d["n_cases"] = curve.n_cases;
        d["n_controls"] = curve.n_controls;
        return d;
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("direction") = "<", py::arg("thresholds") = "midpoint",
      py::arg("drop_intermediate") = false);

  m.def(
      "roc_auc",
      [](const HostArray& y, const HostArray& s, const std::string& direction) {
        return om::roc_auc(view_1d(y, "roc_auc", "y_true"), view_1d(s, "roc_auc", "y_score"), om::parse_direction(direction));
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("direction") = "<", py::call_guard<py::gil_scoped_release>());

  m.def(
      "auc_variance",
      [](const HostArray& y, const HostArray& s, const std::string& direction) {
        return om::auc_variance(view_1d(y, "auc_variance", "y_true"), view_1d(s, "auc_variance", "y_score"),
                                om::parse_direction(direction));
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("direction") = "<", py::call_guard<py::gil_scoped_release>());

  m.def(
      "delong_placements",
      [](const HostArray& y, const HostArray& s, const std::string& direction) {
        const auto y_view = view_1d(y, "delong_placements", "y_true");
        const auto s_view = view_1d(s, "delong_placements", "y_score");
        const auto parsed = om::parse_direction(direction);
        auto parts = [&] {
          py::gil_scoped_release release;
          return om::delong_components(y_view, s_view, parsed);
        }();
        return py::make_tuple(parts.auc, to_numpy(parts.case_placements), to_numpy(parts.control_placements));
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("direction") = "<");

  m.def(
      "delong_cov",
      [](const HostArray& y, const HostArray& scores, const std::string& direction) {
        return om::delong_cov(view_1d(y, "delong_cov", "y_true"), rows_2d(scores, "delong_cov", "y_scores"),
                              om::parse_direction(direction));
      },
      py::arg("y_true"), py::arg("y_scores"), py::arg("direction") = "<", py::call_guard<py::gil_scoped_release>());

  m.def(
      "auc_ci",
      [](const HostArray& y, const HostArray& s, double level, const std::string& method, std::int64_t n_boot,
         std::uint64_t seed, const std::string& direction) {
        return om::auc_ci(view_1d(y, "auc_ci", "y_true"), view_1d(s, "auc_ci", "y_score"), level,
                          om::parse_auc_ci_method(method), om::BootstrapOptions().n_boot(n_boot).seed(seed),
                          om::parse_direction(direction));
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("level") = 0.95, py::arg("method") = "delong",
      py::arg("n_boot") = 2000, py::arg("seed") = 0, py::arg("direction") = "<", py::call_guard<py::gil_scoped_release>());

  m.def(
      "delong_test",
      [](const HostArray& y, const HostArray& a, const HostArray& b, const std::string& direction,
         const std::string& alternative, double level) {
        return om::delong_test(view_1d(y, "delong_test", "y_true"), view_1d(a, "delong_test", "score_a"),
                               view_1d(b, "delong_test", "score_b"), om::parse_direction(direction),
                               om::parse_alternative(alternative), level);
      },
      py::arg("y_true"), py::arg("score_a"), py::arg("score_b"), py::arg("direction") = "<",
      py::arg("alternative") = "two.sided", py::arg("level") = 0.95, py::call_guard<py::gil_scoped_release>());

  m.def(
      "delong_test_unpaired",
      [](const HostArray& y_a, const HostArray& a, const HostArray& y_b, const HostArray& b,
         const std::string& direction, const std::string& alternative, double level) {
        const char* f = "delong_test_unpaired";
        return om::delong_test_unpaired(view_1d(y_a, f, "y_a"), view_1d(a, f, "score_a"), view_1d(y_b, f, "y_b"),
                                        view_1d(b, f, "score_b"), om::parse_direction(direction),
                                        om::parse_alternative(alternative, f), level);
      },
      py::arg("y_a"), py::arg("score_a"), py::arg("y_b"), py::arg("score_b"), py::arg("direction") = "<",
      py::arg("alternative") = "two.sided", py::arg("level") = 0.95, py::call_guard<py::gil_scoped_release>());

  m.def(
      "delong_contrast_test",
      [](const HostArray& y, const HostArray& scores, std::optional<Eigen::MatrixXd> contrast,
         const std::string& direction) {
        return om::delong_contrast_test(view_1d(y, "delong_contrast_test", "y_true"),
                                        rows_2d(scores, "delong_contrast_test", "y_scores"),
                                        om::parse_direction(direction), contrast.value_or(Eigen::MatrixXd()));
      },
      py::arg("y_true"), py::arg("y_scores"), py::arg("contrast") = py::none(), py::arg("direction") = "<", py::call_guard<py::gil_scoped_release>());
}

void bind_tensor(py::module_& m) {
  m.def(
      "roc_auc_tensor",
      [](const torch::Tensor& y, const torch::Tensor& s, const std::string& direction, bool validate) {
        return om::roc_auc(y, s, om::parse_direction(direction), validate);
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("direction") = "<", py::arg("validate") = true, py::call_guard<py::gil_scoped_release>());
  m.def(
      "auc_variance_tensor",
      [](const torch::Tensor& y, const torch::Tensor& s, const std::string& direction, bool validate) {
        return om::auc_variance(y, s, om::parse_direction(direction), validate);
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("direction") = "<", py::arg("validate") = true, py::call_guard<py::gil_scoped_release>());
  m.def(
      "delong_cov_tensor",
      [](const torch::Tensor& y, const torch::Tensor& s, const std::string& direction, bool validate) {
        return om::delong_cov(y, s, om::parse_direction(direction), validate);
      },
      py::arg("y_true"), py::arg("y_scores"), py::arg("direction") = "<", py::arg("validate") = true, py::call_guard<py::gil_scoped_release>());
  m.def(
      "auc_ci_tensor",
      [](const torch::Tensor& y, const torch::Tensor& s, double level, const std::string& direction) {
        return om::auc_ci(y, s, level, om::parse_direction(direction));
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("level") = 0.95, py::arg("direction") = "<", py::call_guard<py::gil_scoped_release>());
  m.def(
      "delong_test_tensor",
      [](const torch::Tensor& y, const torch::Tensor& a, const torch::Tensor& b, const std::string& direction,
         const std::string& alternative, double level) {
        return om::delong_test(y, a, b, om::parse_direction(direction), om::parse_alternative(alternative), level);
      },
      py::arg("y_true"), py::arg("score_a"), py::arg("score_b"), py::arg("direction") = "<",
      py::arg("alternative") = "two.sided", py::arg("level") = 0.95, py::call_guard<py::gil_scoped_release>());
  m.def(
      "delong_test_unpaired_tensor",
      [](const torch::Tensor& y_a, const torch::Tensor& a, const torch::Tensor& y_b, const torch::Tensor& b,
         const std::string& direction, const std::string& alternative, double level) {
        return om::delong_test_unpaired(y_a, a, y_b, b, om::parse_direction(direction),
                                        om::parse_alternative(alternative, "delong_test_unpaired"), level);
      },
      py::arg("y_a"), py::arg("score_a"), py::arg("y_b"), py::arg("score_b"), py::arg("direction") = "<",
      py::arg("alternative") = "two.sided", py::arg("level") = 0.95, py::call_guard<py::gil_scoped_release>());
}

}  // namespace

void bind_metrics(py::module_ m) {
  // The Python signatures take their defaults from the C++ options (osteon/_metrics_roc.py).
  const om::BootstrapOptions bootstrap;
  py::dict defaults;
  defaults["n_boot"] = bootstrap.n_boot();
  defaults["seed"] = bootstrap.seed();
  m.attr("_roc_defaults") = defaults;
  bind_results(m);
  bind_host(m);
  bind_tensor(m);
}

}  // namespace osteon::python
