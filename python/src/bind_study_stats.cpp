// Bindings of the study statistics beyond pROC (issue 17): power and sample size (osteon._C.stats),
// Obuchowski–Rockette MRMC (osteon._C.stats), calibration and decision curves (osteon._C.metrics).
// Functions are bound with a leading underscore; the documented Python API is in osteon/stats.py
// and osteon/_metrics_study.py. Results are plain records (repr and _asdict()).
#include <optional>
#include <string>
#include <vector>

#include <osteon/metrics/classification/calibration.hpp>
#include <osteon/metrics/classification/decision_curve.hpp>
#include <osteon/metrics/classification/weighted.hpp>
#include <osteon/metrics/roc/coords.hpp>
#include <osteon/metrics/roc/delong.hpp>
#include <osteon/metrics/roc/mrmc_auc.hpp>
#include <osteon/metrics/roc/obuchowski.hpp>
#include <osteon/metrics/roc/roc.hpp>
#include <osteon/metrics/roc/roc_tests.hpp>
#include <osteon/stats/mrmc.hpp>
#include <osteon/stats/power.hpp>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "array_view.hpp"
#include "bindings.hpp"
#include "record_binding.hpp"

namespace osteon::python {
namespace om = osteon::metrics;
namespace st = osteon::stats;

namespace {

using OptionalDouble = std::optional<double>;

st::PowerRocOptions power_options(OptionalDouble auc, OptionalDouble ncontrols, OptionalDouble ncases,
                                  OptionalDouble sig_level, OptionalDouble power, OptionalDouble kappa,
                                  const std::string& alternative) {
  return st::PowerRocOptions().auc(auc).ncontrols(ncontrols).ncases(ncases).sig_level(sig_level).power(power).kappa(kappa).alternative(
      alternative);
}

void bind_power(py::module_& m) {
  auto power = py::class_<st::PowerRocTest>(m, "PowerRocTest", "Result of power_roc_test (pROC's power.htest fields).")
                   .def_readonly("ncases", &st::PowerRocTest::ncases)
                   .def_readonly("ncontrols", &st::PowerRocTest::ncontrols)
                   .def_readonly("auc", &st::PowerRocTest::auc)
                   .def_readonly("auc1", &st::PowerRocTest::auc1)
                   .def_readonly("auc2", &st::PowerRocTest::auc2)
                   .def_readonly("sig_level", &st::PowerRocTest::sig_level)
                   .def_readonly("power", &st::PowerRocTest::power)
                   .def_readonly("alternative", &st::PowerRocTest::alternative)
                   .def_readonly("method", &st::PowerRocTest::method);
  add_record_methods(power, "PowerRocTest",
                     {"ncases", "ncontrols", "auc", "auc1", "auc2", "sig_level", "power", "alternative", "method"});

  m.def("_power_roc_test_one",
        [](OptionalDouble auc, OptionalDouble ncontrols, OptionalDouble ncases, OptionalDouble sig_level,
           OptionalDouble power, OptionalDouble kappa, const std::string& alternative) {
          return st::power_roc_test(power_options(auc, ncontrols, ncases, sig_level, power, kappa, alternative));
        },
        py::arg("auc"), py::arg("ncontrols"), py::arg("ncases"), py::arg("sig_level"), py::arg("power"), py::arg("kappa"),
        py::arg("alternative"));
  m.def("_power_roc_test_binormal",
        [](double a1, double b1, double a2, double b2, double rn, double ra, double delta, OptionalDouble fpr11,
           OptionalDouble fpr12, OptionalDouble fpr21, OptionalDouble fpr22, OptionalDouble ncontrols, OptionalDouble ncases,
           OptionalDouble sig_level, OptionalDouble power, OptionalDouble kappa, const std::string& alternative) {
          const auto pars = st::BinormalRocPair().a1(a1).b1(b1).a2(a2).b2(b2).rn(rn).ra(ra).delta(delta).fpr11(fpr11).fpr12(
              fpr12).fpr21(fpr21).fpr22(fpr22);
          return st::power_roc_test(pars, power_options(std::nullopt, ncontrols, ncases, sig_level, power, kappa, alternative));
        },
        py::arg("a1"), py::arg("b1"), py::arg("a2"), py::arg("b2"), py::arg("rn"), py::arg("ra"), py::arg("delta"),
        py::arg("fpr11"), py::arg("fpr12"), py::arg("fpr21"), py::arg("fpr22"), py::arg("ncontrols"), py::arg("ncases"),
        py::arg("sig_level"), py::arg("power"), py::arg("kappa"), py::arg("alternative"));
  m.def("_power_roc_test_curves",
        [](const HostArray& y_true, const HostArray& score1, const py::object& score2, OptionalDouble sig_level,
           OptionalDouble power, OptionalDouble kappa, const std::string& alternative, const std::string& method,
           const std::string& direction_text) {
          const auto y = view_1d(y_true, "power_roc_test_curves", "y_true");
          const auto a = view_1d(score1, "power_roc_test_curves", "y_score1");
          const om::Direction direction = om::parse_direction(direction_text);
          if (method != "delong" && method != "obuchowski")
            throw py::value_error("power_roc_test_curves: method must be \"delong\" or \"obuchowski\", got \"" + method + "\"");
          const auto options = power_options(std::nullopt, std::nullopt, std::nullopt, sig_level, power, kappa, alternative);
          const om::DelongComponents pa = om::delong_components(y, a, direction);
          const double n_cases = static_cast<double>(pa.case_placements.size());
          const double n_controls = static_cast<double>(pa.control_placements.size());
          if (score2.is_none()) return st::power_roc_test_from_auc(pa.auc, n_cases, n_controls, options);
          const HostArray second = score2.cast<HostArray>();
          const auto b = view_1d(second, "power_roc_test_curves", "y_score2");
          double var1, var2, cov12;
          if (method == "delong") {
            const Eigen::MatrixXd s = om::delong_cov(y, std::vector<ArrayView>{a, b}, direction);
            var1 = s(0, 0), var2 = s(1, 1), cov12 = s(0, 1);
          } else {
            var1 = om::obuchowski_variance(y, a, direction);
            var2 = om::obuchowski_variance(y, b, direction);
            cov12 = om::obuchowski_cov(y, a, b, direction);
          }
          return st::power_roc_test_from_moments(pa.auc, om::roc_auc(y, b, direction), var1, var2, cov12, n_cases,
                                                 n_controls, options);
        },
        py::arg("y_true"), py::arg("y_score1"), py::arg("y_score2"), py::arg("sig_level"), py::arg("power"),
        py::arg("kappa"), py::arg("alternative"), py::arg("method"), py::arg("direction"));
}

void bind_roc_methods(py::module_& m) {
  m.def("_obuchowski_variance",
        [](const HostArray& y_true, const HostArray& score, const std::string& direction) {
          return om::obuchowski_variance(view_1d(y_true, "obuchowski_variance", "y_true"),
                                         view_1d(score, "obuchowski_variance", "y_score"), om::parse_direction(direction));
        },
        py::arg("y_true"), py::arg("y_score"), py::arg("direction"));
  m.def("_obuchowski_cov",
        [](const HostArray& y_true, const HostArray& a, const HostArray& b, const std::string& direction) {
          return om::obuchowski_cov(view_1d(y_true, "obuchowski_cov", "y_true"), view_1d(a, "obuchowski_cov", "y_score_a"),
                                    view_1d(b, "obuchowski_cov", "y_score_b"), om::parse_direction(direction));
        },
        py::arg("y_true"), py::arg("y_score_a"), py::arg("y_score_b"), py::arg("direction"));
  auto test = py::class_<om::RocBootstrapTest>(m, "RocBootstrapTest", "Result of roc_bootstrap_test (pROC's roc.test, method = \"bootstrap\").")
                  .def_readonly("auc_a", &om::RocBootstrapTest::auc_a)
                  .def_readonly("auc_b", &om::RocBootstrapTest::auc_b)
                  .def_readonly("statistic", &om::RocBootstrapTest::statistic)
                  .def_readonly("p_value", &om::RocBootstrapTest::p_value)
                  .def_readonly("sd_difference", &om::RocBootstrapTest::sd_difference)
                  .def_readonly("n_boot", &om::RocBootstrapTest::n_boot)
                  .def_readonly("paired", &om::RocBootstrapTest::paired);
  add_record_methods(test, "RocBootstrapTest", {"auc_a", "auc_b", "statistic", "p_value", "sd_difference", "n_boot", "paired"});
  const auto options = [](std::int64_t n_boot, std::uint64_t seed, int n_threads) {
    return om::RocBootstrapOptions().n_boot(n_boot).seed(seed).n_threads(n_threads);
  };
  m.def("_auc_variance_bootstrap",
        [options](const HostArray& y, const HostArray& s, std::int64_t n_boot, std::uint64_t seed, int n_threads,
                  const std::string& direction) {
          const auto yv = view_1d(y, "auc_variance_bootstrap", "y_true");
          const auto sv = view_1d(s, "auc_variance_bootstrap", "y_score");
          const auto d = om::parse_direction(direction);
          py::gil_scoped_release release;
          return om::auc_variance_bootstrap(yv, sv, options(n_boot, seed, n_threads), d);
        },
        py::arg("y_true"), py::arg("y_score"), py::arg("n_boot"), py::arg("seed"), py::arg("n_threads"), py::arg("direction"));
  m.def("_auc_cov_bootstrap",
        [options](const HostArray& y, const HostArray& a, const HostArray& b, std::int64_t n_boot, std::uint64_t seed,
                  int n_threads, const std::string& direction) {
          const auto yv = view_1d(y, "auc_cov_bootstrap", "y_true");
          const auto av = view_1d(a, "auc_cov_bootstrap", "y_score_a");
          const auto bv = view_1d(b, "auc_cov_bootstrap", "y_score_b");
          const auto d = om::parse_direction(direction);
          py::gil_scoped_release release;
          return om::auc_cov_bootstrap(yv, av, bv, options(n_boot, seed, n_threads), d);
        },
        py::arg("y_true"), py::arg("y_score_a"), py::arg("y_score_b"), py::arg("n_boot"), py::arg("seed"),
        py::arg("n_threads"), py::arg("direction"));
  m.def("_roc_bootstrap_test",
        [options](const HostArray& y, const HostArray& a, const HostArray& b, std::int64_t n_boot, std::uint64_t seed,
                  int n_threads, const std::string& direction, const std::string& alternative) {
          const auto yv = view_1d(y, "roc_bootstrap_test", "y_true");
          const auto av = view_1d(a, "roc_bootstrap_test", "y_score_a");
          const auto bv = view_1d(b, "roc_bootstrap_test", "y_score_b");
          const auto d = om::parse_direction(direction);
          const auto alt = st::parse_alternative(alternative, "roc_bootstrap_test");
          py::gil_scoped_release release;
          return om::roc_bootstrap_test(yv, av, bv, options(n_boot, seed, n_threads), d, alt);
        },
        py::arg("y_true"), py::arg("y_score_a"), py::arg("y_score_b"), py::arg("n_boot"), py::arg("seed"),
        py::arg("n_threads"), py::arg("direction"), py::arg("alternative"));
  m.def("_roc_bootstrap_test_unpaired",
        [options](const HostArray& ya, const HostArray& a, const HostArray& yb, const HostArray& b, std::int64_t n_boot,
                  std::uint64_t seed, int n_threads, const std::string& direction, const std::string& alternative) {
          const auto yav = view_1d(ya, "roc_bootstrap_test_unpaired", "y_true_a");
          const auto av = view_1d(a, "roc_bootstrap_test_unpaired", "y_score_a");
          const auto ybv = view_1d(yb, "roc_bootstrap_test_unpaired", "y_true_b");
          const auto bv = view_1d(b, "roc_bootstrap_test_unpaired", "y_score_b");
          const auto d = om::parse_direction(direction);
          const auto alt = st::parse_alternative(alternative, "roc_bootstrap_test_unpaired");
          py::gil_scoped_release release;
          return om::roc_bootstrap_test_unpaired(yav, av, ybv, bv, options(n_boot, seed, n_threads), d, alt);
        },
        py::arg("y_true_a"), py::arg("y_score_a"), py::arg("y_true_b"), py::arg("y_score_b"), py::arg("n_boot"),
        py::arg("seed"), py::arg("n_threads"), py::arg("direction"), py::arg("alternative"));
  m.def("_roc_point_test",
        [options](const HostArray& y, const HostArray& a, const HostArray& b, const std::string& input, double at,
                  std::int64_t n_boot, std::uint64_t seed, int n_threads, const std::string& direction,
                  const std::string& alternative) {
          const auto yv = view_1d(y, "roc_point_test", "y_true");
          const auto av = view_1d(a, "roc_point_test", "y_score_a");
          const auto bv = view_1d(b, "roc_point_test", "y_score_b");
          const auto d = om::parse_direction(direction);
          const auto alt = st::parse_alternative(alternative, "roc_point_test");
          py::gil_scoped_release release;
          return om::roc_point_test(yv, av, bv, input, at, options(n_boot, seed, n_threads), d, alt);
        },
        py::arg("y_true"), py::arg("y_score_a"), py::arg("y_score_b"), py::arg("input"), py::arg("at"), py::arg("n_boot"),
        py::arg("seed"), py::arg("n_threads"), py::arg("direction"), py::arg("alternative"));
  m.def("_partial_auc_ci_bootstrap",
        [options](const HostArray& y, const HostArray& s, double low, double high, const std::string& focus, bool correct,
                  double level, std::int64_t n_boot, std::uint64_t seed, int n_threads, const std::string& direction) {
          const auto yv = view_1d(y, "partial_auc_ci_bootstrap", "y_true");
          const auto sv = view_1d(s, "partial_auc_ci_bootstrap", "y_score");
          const auto f = om::parse_partial_auc_focus(focus);
          const auto d = om::parse_direction(direction);
          py::gil_scoped_release release;
          return om::partial_auc_ci_bootstrap(yv, sv, low, high, f, correct, level, options(n_boot, seed, n_threads), d);
        },
        py::arg("y_true"), py::arg("y_score"), py::arg("low"), py::arg("high"), py::arg("focus"), py::arg("correct"),
        py::arg("level"), py::arg("n_boot"), py::arg("seed"), py::arg("n_threads"), py::arg("direction"));
  m.def("_ideal_bootstrap_auc_variance",
        [](const HostArray& y, const HostArray& s, const std::string& direction) {
          return om::ideal_bootstrap_auc_variance(view_1d(y, "ideal_bootstrap_auc_variance", "y_true"),
                                                  view_1d(s, "ideal_bootstrap_auc_variance", "y_score"),
                                                  om::parse_direction(direction));
        },
        py::arg("y_true"), py::arg("y_score"), py::arg("direction"));

  m.def("_coords_at",
        [](const HostArray& y, const HostArray& s, const std::string& input, const HostArray& values,
           const std::string& direction) {
          om::RocCurveOptions options;
          options.direction(om::parse_direction(direction));
          const auto curve = om::roc_curve(view_1d(y, "coords_at", "y_true"), view_1d(s, "coords_at", "y_score"), options);
          const auto v = view_1d(values, "coords_at", "values");
          const auto points = om::coords_at(curve, input, std::vector<double>(v.begin(), v.end()));
          std::vector<double> thr, se, sp;
          for (const auto& p : points) thr.push_back(p.threshold), se.push_back(p.sensitivity), sp.push_back(p.specificity);
          return py::make_tuple(to_numpy(thr), to_numpy(se), to_numpy(sp));
        },
        py::arg("y_true"), py::arg("y_score"), py::arg("input"), py::arg("values"), py::arg("direction"));
  m.def("_local_maxima",
        [](const HostArray& y, const HostArray& s, const std::string& direction) {
          om::RocCurveOptions options;
          options.direction(om::parse_direction(direction));
          const auto curve = om::roc_curve(view_1d(y, "local_maxima", "y_true"), view_1d(s, "local_maxima", "y_score"), options);
          std::vector<double> thr, se, sp;
          for (std::size_t i : om::local_maxima(curve))
            thr.push_back(curve.thresholds[i]), se.push_back(curve.sensitivity[i]), sp.push_back(curve.specificity[i]);
          return py::make_tuple(to_numpy(thr), to_numpy(se), to_numpy(sp));
        },
        py::arg("y_true"), py::arg("y_score"), py::arg("direction"));
}

void bind_mrmc(py::module_& m) {
  auto estimate = py::class_<st::MrmcEstimate>(m, "MrmcEstimate", "An MRMC estimate with its SE, df and interval.")
                      .def_readonly("estimate", &st::MrmcEstimate::estimate)
                      .def_readonly("std_err", &st::MrmcEstimate::std_err)
                      .def_readonly("df", &st::MrmcEstimate::df)
                      .def_readonly("ci_low", &st::MrmcEstimate::ci_low)
                      .def_readonly("ci_high", &st::MrmcEstimate::ci_high)
                      .def_readonly("statistic", &st::MrmcEstimate::statistic)
                      .def_readonly("p_value", &st::MrmcEstimate::p_value);
  add_record_methods(estimate, "MrmcEstimate", {"estimate", "std_err", "df", "ci_low", "ci_high", "statistic", "p_value"});
  auto inference = py::class_<st::MrmcInference>(m, "MrmcInference", "One kind of OR inference (random or fixed readers, fixed cases).")
                       .def_readonly("statistic", &st::MrmcInference::statistic)
                       .def_readonly("df1", &st::MrmcInference::df1)
                       .def_readonly("df2", &st::MrmcInference::df2)
                       .def_readonly("p_value", &st::MrmcInference::p_value)
                       .def_readonly("differences", &st::MrmcInference::differences)
                       .def_readonly("modalities", &st::MrmcInference::modalities)
                       .def_readonly("reader_differences", &st::MrmcInference::reader_differences);
  add_record_methods(inference, "MrmcInference",
                     {"statistic", "df1", "df2", "p_value", "differences", "modalities", "reader_differences"});
  auto result = py::class_<st::OrMrmc>(m, "OrMrmc", "Result of or_mrmc (Obuchowski-Rockette with Hillis ddf).")
                    .def_property_readonly("foms", [](const st::OrMrmc& r) {
                      py::array_t<double> out({r.foms.size(), r.foms.empty() ? std::size_t{0} : r.foms[0].size()});
                      auto view = out.mutable_unchecked<2>();
                      for (std::size_t i = 0; i < r.foms.size(); ++i)
                        for (std::size_t j = 0; j < r.foms[i].size(); ++j) view(i, j) = r.foms[i][j];
                      return out;
                    })
                    .def_property_readonly("modality_foms", [](const st::OrMrmc& r) { return to_numpy(r.modality_foms); })
                    .def_property_readonly("aucs", [](const st::OrMrmc& r) { return to_numpy(r.modality_foms); })
                    .def_readonly("f_statistic", &st::OrMrmc::f_statistic)
                    .def_readonly("df1", &st::OrMrmc::df1)
                    .def_readonly("ddf", &st::OrMrmc::ddf)
                    .def_readonly("p_value", &st::OrMrmc::p_value)
                    .def_readonly("difference", &st::OrMrmc::difference)
                    .def_readonly("ci_low", &st::OrMrmc::ci_low)
                    .def_readonly("ci_high", &st::OrMrmc::ci_high)
                    .def_readonly("level", &st::OrMrmc::level)
                    .def_readonly("var_error", &st::OrMrmc::var_error)
                    .def_readonly("cov1", &st::OrMrmc::cov1)
                    .def_readonly("cov2", &st::OrMrmc::cov2)
                    .def_readonly("cov3", &st::OrMrmc::cov3)
                    .def_readonly("var_reader", &st::OrMrmc::var_reader)
                    .def_readonly("var_treatment_reader", &st::OrMrmc::var_treatment_reader)
                    .def_readonly("ms_t", &st::OrMrmc::ms_t)
                    .def_readonly("ms_r", &st::OrMrmc::ms_r)
                    .def_readonly("ms_tr", &st::OrMrmc::ms_tr)
                    .def_readonly("covariance", &st::OrMrmc::covariance)
                    .def_readonly("random_readers", &st::OrMrmc::random_readers)
                    .def_readonly("fixed_readers", &st::OrMrmc::fixed_readers)
                    .def_readonly("fixed_cases", &st::OrMrmc::fixed_cases);
  add_record_methods(result, "OrMrmc",
                     {"f_statistic", "df1", "ddf", "p_value", "difference", "ci_low", "ci_high", "modality_foms", "foms",
                      "var_error", "cov1", "cov2", "cov3", "var_reader", "var_treatment_reader", "ms_t", "ms_r", "ms_tr",
                      "covariance", "level", "random_readers", "fixed_readers", "fixed_cases"});

  m.def("_or_mrmc",
        [](const HostArray& truth, const HostArray& scores, const std::string& covariance, double level,
           const std::string& direction) {
          if (scores.ndim() != 3)
            throw py::value_error("or_mrmc: scores must be 3-D (modalities, readers, cases), got " +
                                  std::to_string(scores.ndim()) + " dimensions");
          const auto y = view_1d(truth, "or_mrmc", "truth");
          if (static_cast<py::ssize_t>(y.size()) != scores.shape(2))
            throw py::value_error("or_mrmc: truth has " + std::to_string(y.size()) + " cases, scores has " +
                                  std::to_string(scores.shape(2)));
          const std::vector<double> flat(scores.data(), scores.data() + scores.size());
          return om::or_mrmc(y, flat, static_cast<std::size_t>(scores.shape(0)), static_cast<std::size_t>(scores.shape(1)),
                             st::OrMrmcOptions().covariance(covariance).level(level), om::parse_direction(direction));
        },
        py::arg("truth"), py::arg("scores"), py::arg("covariance"), py::arg("level"), py::arg("direction"));
  m.def("_or_mrmc_per_case",
        [](const HostArray& values, double level) {
          if (values.ndim() != 3)
            throw py::value_error("or_mrmc_per_case: values must be 3-D (modalities, readers, cases), got " +
                                  std::to_string(values.ndim()) + " dimensions");
          const auto t = static_cast<std::size_t>(values.shape(0)), r = static_cast<std::size_t>(values.shape(1)),
                     n = static_cast<std::size_t>(values.shape(2));
          std::vector<std::vector<std::vector<double>>> nested(t, std::vector<std::vector<double>>(r));
          for (std::size_t i = 0; i < t; ++i)
            for (std::size_t j = 0; j < r; ++j) nested[i][j].assign(values.data() + (i * r + j) * n, values.data() + (i * r + j + 1) * n);
          return st::or_mrmc_per_case(nested, level);
        },
        py::arg("values"), py::arg("level"));
  m.def("_or_mrmc_from_moments",
        [](const HostArray& foms, const Eigen::MatrixXd& covariance, double level) {
          if (foms.ndim() != 2)
            throw py::value_error("or_mrmc_from_moments: foms must be 2-D (modalities, readers), got " +
                                  std::to_string(foms.ndim()) + " dimensions");
          std::vector<std::vector<double>> table(static_cast<std::size_t>(foms.shape(0)));
          for (py::ssize_t i = 0; i < foms.shape(0); ++i) table[i].assign(foms.data(i, 0), foms.data(i, 0) + foms.shape(1));
          return st::or_mrmc_from_moments(table, covariance, level);
        },
        py::arg("foms"), py::arg("covariance"), py::arg("level"));
}

void bind_calibration(py::module_& m) {
  auto curve = py::class_<om::ReliabilityCurve>(m, "ReliabilityCurve", "sklearn's calibration_curve with counts and CIs.")
                   .def_property_readonly("prob_true", [](const om::ReliabilityCurve& c) { return to_numpy(c.prob_true); })
                   .def_property_readonly("prob_pred", [](const om::ReliabilityCurve& c) { return to_numpy(c.prob_pred); })
                   .def_property_readonly("ci_low", [](const om::ReliabilityCurve& c) { return to_numpy(c.ci_low); })
                   .def_property_readonly("ci_high", [](const om::ReliabilityCurve& c) { return to_numpy(c.ci_high); })
                   .def_property_readonly("count", [](const om::ReliabilityCurve& c) { return to_numpy(c.count); })
                   .def_property_readonly("bin_edges", [](const om::ReliabilityCurve& c) { return to_numpy(c.bin_edges); })
                   .def_readonly("ece", &om::ReliabilityCurve::ece)
                   .def_readonly("mce", &om::ReliabilityCurve::mce);
  add_record_methods(curve, "ReliabilityCurve", {"prob_true", "prob_pred", "ci_low", "ci_high", "count", "bin_edges", "ece", "mce"});
  auto recal = py::class_<om::LogisticRecalibration>(m, "LogisticRecalibration", "Calibration intercept and slope.")
                   .def_readonly("intercept", &om::LogisticRecalibration::intercept)
                   .def_readonly("slope", &om::LogisticRecalibration::slope)
                   .def_readonly("n_used", &om::LogisticRecalibration::n_used)
                   .def_readonly("iterations", &om::LogisticRecalibration::iterations);
  add_record_methods(recal, "LogisticRecalibration", {"intercept", "slope", "n_used", "iterations"});
  auto cal = py::class_<om::Calibration>(m, "Calibration", "Result of calibration (rms::val.prob and sklearn names).")
                 .def_readonly("brier", &om::Calibration::brier)
                 .def_readonly("brier_ci_low", &om::Calibration::brier_ci_low)
                 .def_readonly("brier_ci_high", &om::Calibration::brier_ci_high)
                 .def_readonly("intercept", &om::Calibration::intercept)
                 .def_readonly("slope", &om::Calibration::slope)
                 .def_readonly("spiegelhalter_z", &om::Calibration::spiegelhalter_z)
                 .def_readonly("spiegelhalter_p", &om::Calibration::spiegelhalter_p)
                 .def_readonly("emax", &om::Calibration::emax)
                 .def_readonly("e90", &om::Calibration::e90)
                 .def_readonly("eavg", &om::Calibration::eavg)
                 .def_readonly("ece", &om::Calibration::ece)
                 .def_readonly("mce", &om::Calibration::mce)
                 .def_readonly("n", &om::Calibration::n)
                 .def_readonly("level", &om::Calibration::level)
                 .def_readonly("curve", &om::Calibration::curve);
  add_record_methods(cal, "Calibration",
                     {"brier", "brier_ci_low", "brier_ci_high", "intercept", "slope", "spiegelhalter_z", "spiegelhalter_p",
                      "emax", "e90", "eavg", "ece", "mce", "n", "level", "curve"});
  const auto options = [](std::int64_t n_bins, const std::string& strategy, double level) {
    return om::CalibrationOptions().n_bins(n_bins).strategy(strategy).level(level);
  };
  m.def("_brier_score", [](const HostArray& y, const HostArray& p) {
    return om::brier_score(view_1d(y, "brier_score", "y_true"), view_1d(p, "brier_score", "y_prob"));
  }, py::arg("y_true"), py::arg("y_prob"));
  m.def("_logistic_recalibration", [](const HostArray& y, const HostArray& p) {
    return om::logistic_recalibration(view_1d(y, "logistic_recalibration", "y_true"),
                                      view_1d(p, "logistic_recalibration", "y_prob"));
  }, py::arg("y_true"), py::arg("y_prob"));
  m.def("_reliability_curve",
        [options](const HostArray& y, const HostArray& p, std::int64_t n_bins, const std::string& strategy, double level) {
          return om::reliability_curve(view_1d(y, "reliability_curve", "y_true"), view_1d(p, "reliability_curve", "y_prob"),
                                       options(n_bins, strategy, level));
        },
        py::arg("y_true"), py::arg("y_prob"), py::arg("n_bins"), py::arg("strategy"), py::arg("level"));
  m.def("_calibration",
        [options](const HostArray& y, const HostArray& p, std::int64_t n_bins, const std::string& strategy, double level) {
          return om::calibration(view_1d(y, "calibration", "y_true"), view_1d(p, "calibration", "y_prob"),
                                 options(n_bins, strategy, level));
        },
        py::arg("y_true"), py::arg("y_prob"), py::arg("n_bins"), py::arg("strategy"), py::arg("level"));

  auto nb = py::class_<om::NetBenefit>(m, "NetBenefit", "Decision curve (Vickers & Elkin 2006) with bootstrap CIs.")
                .def_property_readonly("thresholds", [](const om::NetBenefit& r) { return to_numpy(r.thresholds); })
                .def_property_readonly("model", [](const om::NetBenefit& r) { return to_numpy(r.model); })
                .def_property_readonly("treat_all", [](const om::NetBenefit& r) { return to_numpy(r.treat_all); })
                .def_property_readonly("treat_none", [](const om::NetBenefit& r) { return to_numpy(r.treat_none); })
                .def_property_readonly("interventions_avoided",
                                       [](const om::NetBenefit& r) { return to_numpy(r.interventions_avoided); })
                .def_property_readonly("model_ci_low", [](const om::NetBenefit& r) { return to_numpy(r.model_ci_low); })
                .def_property_readonly("model_ci_high", [](const om::NetBenefit& r) { return to_numpy(r.model_ci_high); })
                .def_property_readonly("treat_all_ci_low", [](const om::NetBenefit& r) { return to_numpy(r.treat_all_ci_low); })
                .def_property_readonly("treat_all_ci_high", [](const om::NetBenefit& r) { return to_numpy(r.treat_all_ci_high); })
                .def_property_readonly("true_positives", [](const om::NetBenefit& r) { return to_numpy(r.true_positives); })
                .def_property_readonly("false_positives", [](const om::NetBenefit& r) { return to_numpy(r.false_positives); })
                .def_readonly("prevalence", &om::NetBenefit::prevalence)
                .def_readonly("n", &om::NetBenefit::n)
                .def_readonly("n_boot", &om::NetBenefit::n_boot)
                .def_readonly("level", &om::NetBenefit::level);
  add_record_methods(nb, "NetBenefit",
                     {"thresholds", "model", "treat_all", "treat_none", "interventions_avoided", "model_ci_low",
                      "model_ci_high", "treat_all_ci_low", "treat_all_ci_high", "true_positives", "false_positives",
                      "prevalence", "n", "n_boot", "level"});
  m.def("_net_benefit",
        [](const HostArray& y, const HostArray& p, const HostArray& thresholds, std::int64_t n_boot, std::uint64_t seed,
           double level, bool stratified, int n_threads) {
          const auto options = om::NetBenefitOptions().n_boot(n_boot).seed(seed).level(level).stratified(stratified).n_threads(
              n_threads);
          const auto yv = view_1d(y, "net_benefit", "y_true");
          const auto pv = view_1d(p, "net_benefit", "y_prob");
          const auto tv = view_1d(thresholds, "net_benefit", "thresholds");
          py::gil_scoped_release release;
          return om::net_benefit(yv, pv, tv, options);
        },
        py::arg("y_true"), py::arg("y_prob"), py::arg("thresholds"), py::arg("n_boot"), py::arg("seed"), py::arg("level"),
        py::arg("stratified"), py::arg("n_threads"));
}

void bind_weighted(py::module_& m) {
  auto report = py::class_<om::WeightedBinaryReport>(m, "WeightedBinaryReport", "Threshold metrics with sample weights.")
                    .def_readonly("tp", &om::WeightedBinaryReport::tp)
                    .def_readonly("fp", &om::WeightedBinaryReport::fp)
                    .def_readonly("tn", &om::WeightedBinaryReport::tn)
                    .def_readonly("fn", &om::WeightedBinaryReport::fn)
                    .def_readonly("accuracy", &om::WeightedBinaryReport::accuracy)
                    .def_readonly("precision", &om::WeightedBinaryReport::precision)
                    .def_readonly("recall", &om::WeightedBinaryReport::recall)
                    .def_readonly("specificity", &om::WeightedBinaryReport::specificity)
                    .def_readonly("f1", &om::WeightedBinaryReport::f1)
                    .def_readonly("threshold", &om::WeightedBinaryReport::threshold);
  add_record_methods(report, "WeightedBinaryReport",
                     {"tp", "fp", "tn", "fn", "accuracy", "precision", "recall", "specificity", "f1", "threshold"});
  m.def("_weighted_roc_auc", [](const HostArray& y, const HostArray& s, const HostArray& w) {
    return om::weighted_roc_auc(view_1d(y, "roc_auc", "y_true"), view_1d(s, "roc_auc", "y_score"),
                                view_1d(w, "roc_auc", "sample_weight"));
  }, py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight"));
  m.def("_weighted_roc_curve", [](const HostArray& y, const HostArray& s, const HostArray& w, bool drop_intermediate) {
    const auto c = om::weighted_roc_curve(view_1d(y, "roc_curve", "y_true"), view_1d(s, "roc_curve", "y_score"),
                                          view_1d(w, "roc_curve", "sample_weight"), drop_intermediate);
    return py::make_tuple(to_numpy(c.fpr), to_numpy(c.tpr), to_numpy(c.thresholds));
  }, py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight"), py::arg("drop_intermediate"));
  m.def("_weighted_binary_report", [](const HostArray& y, const HostArray& s, const HostArray& w, double threshold) {
    return om::weighted_binary_report(view_1d(y, "weighted_binary_report", "y_true"),
                                      view_1d(s, "weighted_binary_report", "y_score"),
                                      view_1d(w, "weighted_binary_report", "sample_weight"), threshold);
  }, py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight"), py::arg("threshold"));
}

}  // namespace

void bind_study_stats(py::module_ root) {
  py::module_ stats = root.attr("stats");
  py::module_ metrics = root.attr("metrics");
  bind_power(stats);
  bind_mrmc(stats);
  bind_calibration(metrics);
  bind_roc_methods(metrics);
  bind_weighted(metrics);
}

}  // namespace osteon::python
