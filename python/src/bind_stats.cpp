// Bindings of osteon's stats module (filled in by the issue that builds the module).
#include "bindings.hpp"

namespace osteon::python {

void bind_stats(py::module_ /*m*/) {}

}  // namespace osteon::python
