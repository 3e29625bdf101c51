// Bindings of osteon's threshold and multi-class metrics (into osteon.metrics).
#include "bindings.hpp"

namespace osteon::python {

void bind_classification(py::module_ /*m*/) {}

}  // namespace osteon::python
