#pragma once
// Binding the plain result structs of osteon's host statistics as Python records: __repr__ and
// _asdict() from the names of their fields. Used by bind_stats.cpp and bind_classification.cpp.
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

#include "array_view.hpp"

namespace osteon::python {
namespace py = pybind11;

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
  cls.def(
      "_asdict",
      [fields](const py::object& self) {
        py::dict out;
        for (const char* field : fields) out[field] = self.attr(field);
        return out;
      },
      "The fields as a dict (as a namedtuple's _asdict()).");
}

/// An optional second sample: None → zeros the length of `first` (a one-sample test against 0).
inline HostArray second_sample_or_zeros(const py::object& second, const HostArray& first) {
  if (!second.is_none()) return second.cast<HostArray>();
  HostArray zeros(first.size());
  std::fill(zeros.mutable_data(), zeros.mutable_data() + zeros.size(), 0.0);
  return zeros;
}

}  // namespace osteon::python
