// Bindings of osteon's split module (filled in by the issue that builds the module).
#include "bindings.hpp"

namespace osteon::python {

void bind_split(py::module_ /*m*/) {}

}  // namespace osteon::python
