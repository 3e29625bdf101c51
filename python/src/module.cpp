// osteon._C: one bind_x per library module, each in its own translation unit.
#include "bindings.hpp"
#include "osteon/version.hpp"

namespace osteon::python {
void bind_data_transforms(py::module_ m);  // bind_data_transforms.cpp: transforms, sliding window
void bind_io(py::module_ m);  // bind_io.cpp: Image, read_image, read_dicom_series, write_image
void bind_runtime(py::module_ m);  // bind_runtime.cpp: warnings → Python, print(model), build facts
void bind_train(py::module_ m);  // bind_train.cpp: the Trainer, predict, cross_validate
}  // namespace osteon::python

namespace osteon::python {
void bind_study_stats(py::module_ root);  // bind_study_stats.cpp: power, MRMC, calibration, decision curves
void bind_roc_compare(py::module_ m);  // bind_roc_compare.cpp: Venkatraman, binormal smoothing, multi-class ROC
}  // namespace osteon::python

PYBIND11_MODULE(_C, m) {
  m.doc() = "osteon's compiled core; use the Python package `osteon`, not this module directly.";
  m.attr("__version__") = OSTEON_VERSION_STRING;  // include/osteon/version.hpp, the one source
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
  auto data = m.def_submodule("data");
  osteon::python::bind_data(data);
  osteon::python::bind_data_transforms(data);
  osteon::python::bind_io(m.def_submodule("io"));
  osteon::python::bind_train(m.def_submodule("train"));
  osteon::python::bind_runtime(m);
  osteon::python::bind_study_stats(m);  // into the stats and metrics submodules above
  osteon::python::bind_roc_compare(metrics);
}
