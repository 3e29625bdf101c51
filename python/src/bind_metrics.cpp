// Bindings of osteon's metrics module: ROC, AUC, DeLong.
#include "bindings.hpp"

namespace osteon::python {

void bind_metrics(py::module_ /*m*/) {}

}  // namespace osteon::python
