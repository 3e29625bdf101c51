#pragma once
// Shared declarations of the binding translation units (one per library module).
#include <torch/extension.h>

namespace osteon::python {
namespace py = pybind11;

void bind_metrics(py::module_ m);            // bind_metrics.cpp: ROC, AUC, DeLong
void bind_classification(py::module_ m);     // bind_classification.cpp: threshold, multi-class metrics
void bind_segmentation(py::module_ m);       // bind_segmentation.cpp: Dice, IoU, surface distances
void bind_stats(py::module_ m);              // bind_stats.cpp: tests, regression, agreement
void bind_split(py::module_ m);              // bind_split.cpp: splitters and manifests
void bind_losses(py::module_ m);             // bind_losses.cpp: focal, Dice and compound losses
void bind_nn_classification(py::module_ m);  // bind_nn_classification.cpp: ResNet, multi-view
void bind_nn_segmentation(py::module_ m);    // bind_nn_segmentation.cpp: V-Net, UNet
void bind_data(py::module_ m);               // bind_data.cpp: the synthetic hip cohort

}  // namespace osteon::python
