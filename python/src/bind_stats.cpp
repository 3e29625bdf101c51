// Bindings of osteon::stats (osteon.stats): paired tests, regression, correlation, agreement,
// mean ± SD. Inputs are host arrays (numpy, lists, CPU tensors); results are plain records.
#include <algorithm>
#include <sstream>
#include <string>

#include "bindings.hpp"
#include "record_binding.hpp"
#include "osteon/stats.hpp"

namespace osteon::python {

namespace {

namespace st = osteon::stats;

void bind_results(py::module_& m) {
  auto mean_sd = py::class_<st::MeanSd>(m, "MeanSd", "Mean and standard deviation (see mean_sd).")
                     .def_readonly("mean", &st::MeanSd::mean)
                     .def_readonly("sd", &st::MeanSd::sd)
                     .def_readonly("n", &st::MeanSd::n)
                     .def_readonly("ddof", &st::MeanSd::ddof)
                     .def("__str__", [](const st::MeanSd& s) {
                       std::ostringstream out;
                       out.precision(4);
                       out << s.mean << " ± " << s.sd;
                       return out.str();
                     });
  add_record_methods(mean_sd, "MeanSd", {"mean", "sd", "n", "ddof"});

  auto ttest = py::class_<st::PairedTTest>(m, "PairedTTest", "Result of paired_ttest.")
                   .def_readonly("statistic", &st::PairedTTest::statistic)
                   .def_readonly("p_value", &st::PairedTTest::p_value)
                   .def_readonly("df", &st::PairedTTest::df)
                   .def_readonly("mean_difference", &st::PairedTTest::mean_difference)
                   .def_readonly("sd_difference", &st::PairedTTest::sd_difference)
                   .def_readonly("ci_low", &st::PairedTTest::ci_low)
                   .def_readonly("ci_high", &st::PairedTTest::ci_high)
                   .def_readonly("level", &st::PairedTTest::level)
                   .def_readonly("n", &st::PairedTTest::n);
  add_record_methods(ttest, "PairedTTest",
                     {"statistic", "p_value", "df", "mean_difference", "sd_difference", "ci_low", "ci_high",
                      "level", "n"});

  auto wilcoxon = py::class_<st::WilcoxonSignedRank>(m, "WilcoxonSignedRank", "Result of wilcoxon_signed_rank.")
                      .def_readonly("statistic", &st::WilcoxonSignedRank::statistic)
                      .def_readonly("r_plus", &st::WilcoxonSignedRank::r_plus)
                      .def_readonly("r_minus", &st::WilcoxonSignedRank::r_minus)
                      .def_readonly("z", &st::WilcoxonSignedRank::z)
                      .def_readonly("p_value", &st::WilcoxonSignedRank::p_value)
                      .def_readonly("method", &st::WilcoxonSignedRank::method)
                      .def_readonly("n", &st::WilcoxonSignedRank::n)
                      .def_readonly("n_zero", &st::WilcoxonSignedRank::n_zero)
                      .def_readonly("has_ties", &st::WilcoxonSignedRank::has_ties);
  add_record_methods(wilcoxon, "WilcoxonSignedRank",
                     {"statistic", "p_value", "z", "method", "r_plus", "r_minus", "n", "n_zero", "has_ties"});

  auto regression = py::class_<st::LinearRegression>(m, "LinearRegression", "Result of linear_regression.")
                        .def_readonly("slope", &st::LinearRegression::slope)
                        .def_readonly("intercept", &st::LinearRegression::intercept)
                        .def_readonly("r", &st::LinearRegression::r)
                        .def_readonly("r2", &st::LinearRegression::r2)
                        .def_readonly("p_value", &st::LinearRegression::p_value)
                        .def_readonly("slope_stderr", &st::LinearRegression::slope_stderr)
                        .def_readonly("intercept_stderr", &st::LinearRegression::intercept_stderr)
                        .def_readonly("n", &st::LinearRegression::n);
  add_record_methods(regression, "LinearRegression",
                     {"slope", "intercept", "r", "r2", "p_value", "slope_stderr", "intercept_stderr", "n"});

  auto pearson = py::class_<st::Pearson>(m, "Pearson", "Result of pearson.")
                     .def_readonly("r", &st::Pearson::r)
                     .def_readonly("p_value", &st::Pearson::p_value)
                     .def_readonly("ci_low", &st::Pearson::ci_low)
                     .def_readonly("ci_high", &st::Pearson::ci_high)
                     .def_readonly("level", &st::Pearson::level)
                     .def_readonly("n", &st::Pearson::n);
  add_record_methods(pearson, "Pearson", {"r", "p_value", "ci_low", "ci_high", "level", "n"});

  auto agreement = py::class_<st::BlandAltman>(m, "BlandAltman", "Result of bland_altman.")
                       .def_readonly("bias", &st::BlandAltman::bias)
                       .def_readonly("sd", &st::BlandAltman::sd)
                       .def_readonly("lower_limit", &st::BlandAltman::lower_limit)
                       .def_readonly("upper_limit", &st::BlandAltman::upper_limit)
                       .def_readonly("bias_ci_low", &st::BlandAltman::bias_ci_low)
                       .def_readonly("bias_ci_high", &st::BlandAltman::bias_ci_high)
                       .def_readonly("lower_limit_ci_low", &st::BlandAltman::lower_limit_ci_low)
                       .def_readonly("lower_limit_ci_high", &st::BlandAltman::lower_limit_ci_high)
                       .def_readonly("upper_limit_ci_low", &st::BlandAltman::upper_limit_ci_low)
                       .def_readonly("upper_limit_ci_high", &st::BlandAltman::upper_limit_ci_high)
                       .def_readonly("level", &st::BlandAltman::level)
                       .def_readonly("n", &st::BlandAltman::n);
  add_record_methods(agreement, "BlandAltman",
                     {"bias", "sd", "lower_limit", "upper_limit", "bias_ci_low", "bias_ci_high",
                      "lower_limit_ci_low", "lower_limit_ci_high", "upper_limit_ci_low", "upper_limit_ci_high",
                      "level", "n"});
}

}  // namespace

void bind_stats(py::module_ m) {
  m.doc() = "Paired tests, regression, correlation, Bland–Altman agreement and mean ± SD (see docs/stats.md).";
  bind_results(m);

  m.def("mean_sd", [](const HostArray& values, int ddof) {
        return st::mean_sd(view_1d(values, "mean_sd", "values"), ddof);
      }, py::arg("values"), py::arg("ddof") = 1, py::call_guard<py::gil_scoped_release>(),
      R"doc(Mean and standard deviation with ``ddof`` delta degrees of freedom.

Args:
    values: 1-D array of numbers (e.g. Dice per fold).
    ddof: delta degrees of freedom of the SD; 1 (the sample SD, as papers and R's sd() report)
        by default. numpy's np.std uses 0.

Returns:
    MeanSd with ``mean``, ``sd``, ``n``, ``ddof``; ``str()`` gives ``"0.92 ± 0.01826"``.

Raises:
    ValueError: NaN/Inf values, or n <= ddof (a single value has no sample SD).

Example:
    >>> osteon.stats.mean_sd([0.91, 0.93, 0.90, 0.94]).sd
    0.018257418583505554
)doc");

  m.def("paired_ttest", [](const HostArray& a, const py::object& b, const std::string& alternative, double level) {
        const HostArray b_values = second_sample_or_zeros(b, a);
        const auto a_view = view_1d(a, "paired_ttest", "a");
        const auto b_view = view_1d(b_values, "paired_ttest", "b");
        const auto parsed = st::parse_alternative(alternative, "paired_ttest");
        py::gil_scoped_release release;
        return st::paired_ttest(a_view, b_view, parsed, level);
      }, py::arg("a"), py::arg("b") = py::none(), py::arg("alternative") = "two-sided", py::arg("level") = 0.95,
      R"doc(Paired t-test of a − b; equals scipy.stats.ttest_rel(a, b, alternative=...).

Args:
    a, b: paired 1-D samples of equal length (b = None tests a against 0).
    alternative: "two-sided", "less" (a < b) or "greater" (a > b).
    level: confidence level of the interval of the mean difference.

Returns:
    PairedTTest with ``statistic``, ``p_value``, ``df``, ``mean_difference``, ``sd_difference``,
    ``ci_low``, ``ci_high`` (one end infinite for one-sided alternatives), ``level``, ``n``.

Raises:
    ValueError: unequal lengths, n < 2, NaN/Inf, or all differences equal (zero variance).

Example:
    >>> osteon.stats.paired_ttest([0.81, 0.77, 0.90, 0.85], [0.78, 0.74, 0.86, 0.84]).p_value
    0.0221519679...
)doc");

  m.def("wilcoxon_signed_rank",
      [](const HostArray& a, const py::object& b, const std::string& zero_method, bool correction,
         const std::string& alternative, const std::string& method) {
        const HostArray b_values = second_sample_or_zeros(b, a);
        const auto a_view = view_1d(a, "wilcoxon_signed_rank", "a");
        const auto b_view = view_1d(b_values, "wilcoxon_signed_rank", "b");
        const auto zeros = st::parse_zero_method(zero_method);
        const auto parsed = st::parse_alternative(alternative, "wilcoxon_signed_rank");
        const auto exactness = st::parse_wilcoxon_method(method);
        py::gil_scoped_release release;
        return st::wilcoxon_signed_rank(a_view, b_view, zeros, correction, parsed, exactness);
      }, py::arg("a"), py::arg("b") = py::none(), py::arg("zero_method") = "wilcox", py::arg("correction") = false,
      py::arg("alternative") = "two-sided", py::arg("method") = "auto",
      R"doc(Wilcoxon signed-rank test of a − b; equals scipy.stats.wilcoxon with the same keywords.

Args:
    a, b: paired 1-D samples of equal length (b = None tests a against 0).
    zero_method: "wilcox" (drop zero differences), "pratt" or "zsplit".
    correction: continuity correction of the normal approximation.
    alternative: "two-sided", "less" or "greater".
    method: "auto" (exact for n <= 50 without zeros or tied magnitudes, else the normal
        approximation with tie correction), "exact" (refuses zeros and ties) or "approx".

Returns:
    WilcoxonSignedRank with ``statistic`` (min(R+, R−) two-sided, R+ one-sided, as scipy),
    ``p_value``, ``z`` (NaN when exact), ``method`` (the one used), ``r_plus``, ``r_minus``,
    ``n``, ``n_zero``, ``has_ties``.

Raises:
    ValueError: unequal lengths, NaN/Inf, no non-zero difference, or "exact" with zeros or ties.

Example:
    >>> osteon.stats.wilcoxon_signed_rank([1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 0, 0, 0, -0.5]).p_value
    0.015625
)doc");

  m.def("linear_regression", [](const HostArray& x, const HostArray& y) {
        return st::linear_regression(view_1d(x, "linear_regression", "x"), view_1d(y, "linear_regression", "y"));
      }, py::arg("x"), py::arg("y"), py::call_guard<py::gil_scoped_release>(),
      R"doc(Least-squares line y = intercept + slope·x; equals scipy.stats.linregress(x, y).

For a volume study pass x = true volumes, y = predicted volumes.

Args:
    x, y: 1-D samples of equal length, n >= 3, neither constant.

Returns:
    LinearRegression with ``slope``, ``intercept``, ``r``, ``r2``, ``p_value`` (two-sided t-test
    of slope = 0, df = n − 2), ``slope_stderr``, ``intercept_stderr``, ``n``.

Raises:
    ValueError: unequal lengths, n < 3, NaN/Inf, or a constant x or y.

Example:
    >>> fit = osteon.stats.linear_regression([10, 20, 30, 40], [12, 19, 33, 41])
    >>> round(fit.r2, 5), round(fit.p_value, 5)
    (0.98323, 0.00842)
)doc");

  m.def("pearson", [](const HostArray& x, const HostArray& y, double level, const std::string& alternative) {
        return st::pearson(view_1d(x, "pearson", "x"), view_1d(y, "pearson", "y"), level,
                           st::parse_alternative(alternative, "pearson"));
      }, py::arg("x"), py::arg("y"), py::arg("level") = 0.95, py::arg("alternative") = "two-sided", py::call_guard<py::gil_scoped_release>(),
      R"doc(Pearson's r with p-value and Fisher-z confidence interval; equals scipy.stats.pearsonr
and its confidence_interval(level).

Args:
    x, y: 1-D samples of equal length, n >= 4, neither constant.
    level: confidence level of the interval.
    alternative: "two-sided", "less" or "greater" (one-sided intervals open one end at ±1).

Returns:
    Pearson with ``r``, ``p_value``, ``ci_low``, ``ci_high``, ``level``, ``n``.

Raises:
    ValueError: unequal lengths, n < 4, NaN/Inf, a constant sample, or level outside (0, 1).

Example:
    >>> osteon.stats.pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).ci_low
    -0.27964004196935...
)doc");

  m.def("bland_altman", [](const HostArray& a, const HostArray& b, double level) {
        return st::bland_altman(view_1d(a, "bland_altman", "a"), view_1d(b, "bland_altman", "b"), level);
      }, py::arg("a"), py::arg("b"), py::arg("level") = 0.95, py::call_guard<py::gil_scoped_release>(),
      R"doc(Bland–Altman bias and limits of agreement of a − b, with their confidence intervals.

Args:
    a, b: paired 1-D samples (e.g. a = predicted volume, b = true volume), n >= 2.
    level: coverage of the limits (bias ± Φ⁻¹((1+level)/2)·SD, 1.959964·SD at 95 %) and
        confidence of the intervals (Bland & Altman 1999).

Returns:
    BlandAltman with ``bias``, ``sd``, ``lower_limit``, ``upper_limit``, ``bias_ci_low``,
    ``bias_ci_high``, ``lower_limit_ci_low``, ``lower_limit_ci_high``, ``upper_limit_ci_low``,
    ``upper_limit_ci_high``, ``level``, ``n``.

Raises:
    ValueError: unequal lengths, n < 2, NaN/Inf, or level outside (0, 1).

Example:
    >>> ba = osteon.stats.bland_altman([10.2, 11.9, 9.8, 12.5], [10.0, 12.0, 9.5, 12.0])
    >>> round(ba.bias, 3), round(ba.upper_limit, 4)
    (0.225, 0.715)
)doc");
}

}  // namespace osteon::python
