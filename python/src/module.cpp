// osteon._C: one bind_x per library module, each in its own translation unit.
#include "bindings.hpp"

namespace osteon::python {
void bind_study_stats(py::module_ root);  // bind_study_stats.cpp: power, MRMC, calibration, decision curves
}  // namespace osteon::python

PYBIND11_MODULE(_C, m) {
  m.doc() = "osteon's compiled core; use the Python package `osteon`, not this module directly.";
  auto metrics = m.def_submodule("metrics");
  osteon::python::bind_metrics(metrics);
  osteon::python::bind_classification(metrics);
  osteon::python::bind_segmentation(metrics);
  osteon::python::bind_stats(m.def_submodule("stats"));
  osteon::python::bind_split(m.def_submodule("split"));
  osteon::python::bind_losses(m.def_submodule("losses"));
  auto nn = m.def_submodule("nn");
  osteon::python::bind_nn_classification(nn);
  osteon::python::bind_nn_segmentation(nn);
  osteon::python::bind_data(m.def_submodule("data"));
  osteon::python::bind_study_stats(m);  // into the stats and metrics submodules above

  // Used by the tests to prove that tensors cross the binding without a copy, both ways.
  auto testing = m.def_submodule("_testing");
  testing.def("identity", [](const torch::Tensor& t) { return t; });
  testing.def("fill_", [](torch::Tensor t, double value) { t.fill_(value); });
  testing.def("data_ptr", [](const torch::Tensor& t) { return reinterpret_cast<std::uintptr_t>(t.data_ptr()); });
}
