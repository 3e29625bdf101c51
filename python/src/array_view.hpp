#pragma once
// Host arrays from Python: numpy arrays (zero-copy when already contiguous float64) and anything
// numpy can convert (lists, tuples), seen by the C++ API as an iterable of doubles.
#include <pybind11/numpy.h>

#include <cstddef>

namespace osteon::python {
namespace py = pybind11;

using HostArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

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
