// Bindings of osteon's classification networks (ResNet family, multi-view fusion) (filled in by the issue that builds the module).
#include "bindings.hpp"

namespace osteon::python {

void bind_nn_classification(py::module_ /*m*/) {}

}  // namespace osteon::python
