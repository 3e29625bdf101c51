#pragma once
// Host arrays from Python (numpy arrays, lists, CPU tensors) as contiguous double buffers, and a
// compact way to bind the plain result structs of osteon's host statistics. Used by
// bind_stats.cpp and bind_classification.cpp.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::python {
namespace py = pybind11;

using HostArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

/// A read-only iterable over a contiguous double buffer: what osteon's host API copies from.
struct HostView {
  const double* first = nullptr;
  const double* last = nullptr;
  const double* begin() const { return first; }
  const double* end() const { return last; }
  std::size_t size() const { return static_cast<std::size_t>(last - first); }
};

/// Converts `values` to a contiguous 1-D float64 array, refusing other ranks with a message that
/// names the argument.
inline HostArray host_vector(const py::handle& values, const char* function, const char* argument) {
  HostArray array = HostArray::ensure(values);
  if (!array) {
    PyErr_Clear();
    throw std::invalid_argument(detail::concat(function, ": ", argument,
                                               " must be a 1-D array of numbers, got an object of type ",
                                               std::string(py::str(values.get_type().attr("__name__")))));
  }
  OSTEON_CHECK_ARG(array.ndim() == 1, function, ": ", argument, " must be 1-D, got ", array.ndim(), " dimensions");
  return array;
}

/// Converts `values` to a contiguous 2-D float64 array (rows = samples).
inline HostArray host_matrix(const py::handle& values, const char* function, const char* argument) {
  HostArray array = HostArray::ensure(values);
  if (!array) {
    PyErr_Clear();
    throw std::invalid_argument(detail::concat(function, ": ", argument,
                                               " must be a 2-D array of numbers, got an object of type ",
                                               std::string(py::str(values.get_type().attr("__name__")))));
  }
  OSTEON_CHECK_ARG(array.ndim() == 2, function, ": ", argument, " must be 2-D (n_samples, n_classes), got ",
                   array.ndim(), " dimensions");
  return array;
}

inline HostView view(const HostArray& array) {
  return HostView{array.data(), array.data() + array.size()};
}

/// Adds __repr__ and _asdict() to a bound result struct from the names of its fields.
template <typename Class>
void add_record_methods(Class& cls, const char* type_name, std::vector<const char*> fields) {
  cls.def("__repr__", [type_name, fields](const py::object& self) {
    std::ostringstream out;
    out << type_name << "(";
    for (std::size_t i = 0; i < fields.size(); ++i) {
      out << (i ? ", " : "") << fields[i] << "=" << std::string(py::repr(self.attr(fields[i])));
    }
    out << ")";
    return out.str();
  });
  cls.def("_asdict", [fields](const py::object& self) {
    py::dict out;
    for (const char* field : fields) out[field] = self.attr(field);
    return out;
  }, "The fields as a dict (as a namedtuple's _asdict()).");
}

}  // namespace osteon::python
