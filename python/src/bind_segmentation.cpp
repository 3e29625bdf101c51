// Bindings of osteon's segmentation module (filled in by the issue that builds the module).
#include "bindings.hpp"

namespace osteon::python {

void bind_segmentation(py::module_ /*m*/) {}

}  // namespace osteon::python
