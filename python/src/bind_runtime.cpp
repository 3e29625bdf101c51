// osteon._C's runtime services (not a library module): the warning channel routed to Python's
// warnings, C++ pretty_print for print(model), and the build facts `python -m osteon doctor` shows.
#include <torch/version.h>

#include <sstream>
#include <string>

#include <osteon/core/warnings.hpp>

#include "bindings.hpp"

namespace osteon::python {

namespace {

void bind_build_info(py::module_& m) {
  py::dict info;
  info["cxx_standard"] = static_cast<long>(__cplusplus);
#if defined(__clang__)
  info["compiler"] = "clang " __clang_version__;
#elif defined(__GNUC__)
  info["compiler"] = "gcc " __VERSION__;
#else
  info["compiler"] = "unknown";
#endif
#ifdef NDEBUG
  info["build_type"] = "release (NDEBUG)";
#else
  info["build_type"] = "debug (assertions on)";
#endif
  info["torch_version_compiled"] = TORCH_VERSION;
#ifdef _OPENMP
  info["openmp"] = static_cast<long>(_OPENMP);
#else
  info["openmp"] = py::none();
#endif
  info["pybind11"] = std::to_string(PYBIND11_VERSION_MAJOR) + "." + std::to_string(PYBIND11_VERSION_MINOR) + "." +
                     std::to_string(PYBIND11_VERSION_PATCH);
  m.attr("_build_info") = info;
}

}  // namespace

void bind_runtime(py::module_ m) {
  bind_build_info(m);

  // osteon's warning channel (core/warnings.hpp) → Python's warnings.warn, as UserWarnings that
  // warnings filters, catch_warnings and pytest.warns see. The GIL is taken here because the
  // warning may come from code that released it. An "error" filter makes PyErr_WarnEx fail:
  // the exception then leaves the C++ call that warned.
  osteon::set_warning_handler([](const std::string& message) {
    py::gil_scoped_acquire gil;
    if (PyErr_WarnEx(PyExc_UserWarning, message.c_str(), 1) < 0) throw py::error_already_set();
  });
  // Back to the default (stderr) handler before the interpreter goes away.
  py::module_::import("atexit").attr("register")(py::cpp_function([] { osteon::set_warning_handler(nullptr); }));
  // C++ pretty_print of one module (torch's Python binding shows only its type name): what
  // print(model) shows for a leaf, "torch::nn::Conv2d(1, 64, kernel_size=[7, 7], ...)".
  m.def(
      "_pretty_print",
      [](const torch::nn::Module& module) {
        std::ostringstream out;
        module.pretty_print(out);
        return out.str();
      },
      py::arg("module"));
  m.def("_warn", [](const std::string& message) { osteon::warn(message); }, py::arg("message"),
        "Gives `message` through osteon's C++ warning channel (as library code does).");
}

}  // namespace osteon::python
