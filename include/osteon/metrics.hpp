#pragma once
/// @file
/// Everything in osteon::metrics, LibTorch included. The folders say what needs LibTorch:
///   metrics/roc/, metrics/classification/, metrics/segmentation/host/  torch-free (metrics/host.hpp)
///   metrics/roc/tensor.hpp, metrics/segmentation/                      tensor backends (LibTorch)
///
/// Example:
///   #include <osteon/metrics.hpp>
///   torch::Tensor dice = osteon::metrics::dice(prediction, target);   // (B, C) on the input's device

#include "osteon/metrics/host.hpp"

// Tensor backend of the ROC area (docs/metrics.md)
#include "osteon/metrics/roc/tensor.hpp"

// Segmentation metrics on tensors (docs/segmentation.md)
#include "osteon/metrics/segmentation/distance_transform.hpp"
#include "osteon/metrics/segmentation/input.hpp"
#include "osteon/metrics/segmentation/overlap.hpp"
#include "osteon/metrics/segmentation/reduction.hpp"
#include "osteon/metrics/segmentation/surface_distance.hpp"
