// Bindings of osteon's segmentation networks (V-Net, UNet) (filled in by the issue that builds the module).
#include "bindings.hpp"

namespace osteon::python {

void bind_nn_segmentation(py::module_ /*m*/) {}

}  // namespace osteon::python
