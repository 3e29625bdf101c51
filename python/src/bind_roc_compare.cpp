// Bindings of Venkatraman's tests, the binormal smoothed ROC and multi-class ROC AUC (issue 17):
// osteon._C.metrics._venkatraman_test, _venkatraman_test_unpaired, _smooth_roc_binormal,
// _multiclass_roc_univariate. They return plain dicts; the documented Python
// API (result records) is python/osteon/_roc_compare.py.
#include <cstdint>
#include <optional>
#include <string>

#include <osteon/metrics/roc/multiclass_univariate.hpp>
#include <osteon/metrics/roc/roc.hpp>
#include <osteon/metrics/roc/smooth.hpp>
#include <osteon/metrics/roc/venkatraman.hpp>

#include <pybind11/stl.h>

#include "array_view.hpp"
#include "bindings.hpp"

namespace osteon::python {
namespace om = osteon::metrics;

namespace {
py::dict test_dict(const om::VenkatramanTest& t) {
  py::dict d;
  d["statistic"] = t.statistic;
  d["p_value"] = t.p_value;
  d["n_permutations"] = t.n_permutations;
  d["paired"] = t.paired;
  return d;
}
}  // namespace

void bind_roc_compare(py::module_ m) {
  m.def(
      "_venkatraman_test",
      [](const HostArray& y, const HostArray& a, const HostArray& b, std::int64_t n, std::uint64_t seed, int threads) {
        const auto yv = view_1d(y, "venkatraman_test", "y_true");
        const auto av = view_1d(a, "venkatraman_test", "y_score_a");
        const auto bv = view_1d(b, "venkatraman_test", "y_score_b");
        om::VenkatramanTest t;
        {
          py::gil_scoped_release release;
          t = om::venkatraman_test(yv, av, bv, om::VenkatramanOptions().n_permutations(n).seed(seed).n_threads(threads));
        }
        return test_dict(t);
      },
      py::arg("y_true"), py::arg("y_score_a"), py::arg("y_score_b"), py::arg("n_permutations"), py::arg("seed"),
      py::arg("n_threads"));
  m.def(
      "_venkatraman_test_unpaired",
      [](const HostArray& ya, const HostArray& a, const HostArray& yb, const HostArray& b, std::int64_t n,
         std::uint64_t seed, int threads) {
        const auto yav = view_1d(ya, "venkatraman_test_unpaired", "y_true_a");
        const auto av = view_1d(a, "venkatraman_test_unpaired", "y_score_a");
        const auto ybv = view_1d(yb, "venkatraman_test_unpaired", "y_true_b");
        const auto bv = view_1d(b, "venkatraman_test_unpaired", "y_score_b");
        om::VenkatramanTest t;
        {
          py::gil_scoped_release release;
          t = om::venkatraman_test_unpaired(yav, av, ybv, bv,
                                            om::VenkatramanOptions().n_permutations(n).seed(seed).n_threads(threads));
        }
        return test_dict(t);
      },
      py::arg("y_true_a"), py::arg("y_score_a"), py::arg("y_true_b"), py::arg("y_score_b"), py::arg("n_permutations"),
      py::arg("seed"), py::arg("n_threads"));
  m.def(
      "_smooth_roc_binormal",
      [](const HostArray& y, const HostArray& s, std::int64_t n, const std::string& direction) {
        const auto yv = view_1d(y, "smooth_roc_binormal", "y_true");
        const auto sv = view_1d(s, "smooth_roc_binormal", "y_score");
        const auto curve = om::roc_curve(yv, sv, om::RocCurveOptions().direction(om::parse_direction(direction)));
        const om::SmoothRoc r = om::smooth_roc_binormal(curve, n);
        py::dict d;
        d["a"] = r.a;
        d["b"] = r.b;
        d["sensitivity"] = r.sensitivity;
        d["specificity"] = r.specificity;
        d["auc"] = r.auc;
        d["auc_trapezoid"] = r.auc_trapezoid;
        return d;
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("n"), py::arg("direction"));
  m.def(
      "_multiclass_roc_univariate",
      [](const HostArray& y, const HostArray& s, const std::string& direction) {
        const auto yv = view_1d(y, "multiclass_roc_univariate", "y_true");
        const auto sv = view_1d(s, "multiclass_roc_univariate", "y_score");
        std::optional<om::Direction> d;
        if (direction != "auto") d = om::parse_direction(direction);
        const om::MulticlassRoc r = om::multiclass_roc_univariate(yv, sv, d);
        py::list pairs;
        for (const auto& p : r.pairs) {
          py::dict e;
          e["control_level"] = p.control_level;
          e["case_level"] = p.case_level;
          e["direction"] = p.direction == om::Direction::CasesHigher ? "<" : ">";
          e["auc"] = p.auc;
          pairs.append(e);
        }
        py::dict out;
        out["levels"] = r.levels;
        out["pairs"] = pairs;
        out["auc"] = r.auc;
        return out;
      },
      py::arg("y_true"), py::arg("y_score"), py::arg("direction"));
}

}  // namespace osteon::python
