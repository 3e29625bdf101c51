#pragma once
// Host arrays from Python: numpy arrays (zero-copy when already contiguous float64) and anything
// numpy can convert (lists, tuples), seen by the C++ API as an iterable of doubles.
#include <pybind11/numpy.h>

#include <cstddef>
#include <string>
#include <utility>

namespace osteon::python {
namespace py = pybind11;

/// A C-contiguous float64 host array, converted from anything numpy can convert to float64 —
/// except complex input, which numpy's cast would silently drop the imaginary part of (issue 16):
/// that is a ValueError (see the type_caster below).
class HostArray : public py::array_t<double, py::array::c_style | py::array::forcecast> {
 public:
  using Base = py::array_t<double, py::array::c_style | py::array::forcecast>;
  using Base::Base;
  HostArray() = default;
  HostArray(Base base) : Base(std::move(base)) {}  // NOLINT: implicit, as the alias it replaces
};

/// begin()/end() over a 1-D host array, so the templated C++ API can take it without a copy here.
struct ArrayView {
  const double* first;
  const double* last;
  const double* begin() const { return first; }
  const double* end() const { return last; }
  std::size_t size() const { return static_cast<std::size_t>(last - first); }
};

inline ArrayView view_1d(const HostArray& array, const char* function, const char* argument) {
  if (array.ndim() != 1) {
    throw py::value_error(std::string(function) + ": " + argument + " must be 1-D, got " +
                          std::to_string(array.ndim()) + " dimensions");
  }
  return ArrayView{array.data(), array.data() + array.size()};
}

/// Rows of a 2-D (K, N) host array as K views.
inline std::vector<ArrayView> rows_2d(const HostArray& array, const char* function, const char* argument) {
  if (array.ndim() != 2) {
    throw py::value_error(std::string(function) + ": " + argument + " must be 2-D (K predictors, N samples), got " +
                          std::to_string(array.ndim()) + " dimensions");
  }
  std::vector<ArrayView> rows;
  const auto n = static_cast<std::size_t>(array.shape(1));
  for (py::ssize_t k = 0; k < array.shape(0); ++k) rows.push_back({array.data(k, 0), array.data(k, 0) + n});
  return rows;
}

template <typename Vector>
py::array_t<typename Vector::value_type> to_numpy(const Vector& values) {
  return py::array_t<typename Vector::value_type>(static_cast<py::ssize_t>(values.size()), values.data());
}

}  // namespace osteon::python

namespace pybind11::detail {
template <>
struct type_caster<osteon::python::HostArray> {
  PYBIND11_TYPE_CASTER(osteon::python::HostArray, _("numpy.ndarray[numpy.float64]"));
  bool load(handle source, bool convert) {
    using Base = osteon::python::HostArray::Base;
    if (!convert && !Base::check_(source)) return false;
    if (!isinstance<array>(source) || array::ensure(source).dtype().kind() == 'O') {  // lists, tuples, objects
      object as_array = reinterpret_steal<object>(PyArray_FromAny_Proxy(source));
      if (!as_array) {
        PyErr_Clear();
      } else if (array::ensure(as_array).dtype().kind() == 'c') {
        throw value_error("host array must be real, got complex values (the imaginary part would be dropped; "
                          "pass .real or abs() explicitly)");
      }
    } else if (array::ensure(source).dtype().kind() == 'c') {
      throw value_error("host array must be real, got dtype " + std::string(py::str(array::ensure(source).dtype())) +
                        " (the imaginary part would be dropped; pass .real or abs() explicitly)");
    }
    auto converted = Base::ensure(source);
    if (!converted) {  // e.g. strings: numpy's own reason, as a ValueError (not "incompatible arguments")
      error_already_set error;
      throw value_error(std::string("host array must hold numbers: ") + error.what());
    }
    value = osteon::python::HostArray(std::move(converted));
    return true;
  }
  static handle cast(const osteon::python::HostArray& source, return_value_policy, handle) {
    return source.inc_ref();
  }

 private:
  // numpy.asarray(source) without a dtype: what numpy would infer (complex for a list of complex).
  static PyObject* PyArray_FromAny_Proxy(handle source) {
    auto& api = npy_api::get();
    return api.PyArray_FromAny_(source.ptr(), nullptr, 0, 0, 0, nullptr);
  }
};
}  // namespace pybind11::detail
