#pragma once
/// @file
/// Everything in osteon::metrics. Includes LibTorch (tensor backends); a torch-free program includes
/// the host headers it needs instead (roc.hpp, delong.hpp, auc_ci.hpp, binary_report.hpp, ...).

// ROC / AUC / DeLong (docs/metrics.md)
#include "osteon/metrics/auc_ci.hpp"
#include "osteon/metrics/bootstrap.hpp"
#include "osteon/metrics/delong.hpp"
#include "osteon/metrics/placements.hpp"
#include "osteon/metrics/roc.hpp"
#include "osteon/metrics/roc_tensor.hpp"

// Threshold, multi-class and partial-AUC metrics (docs/classification.md)
#include "osteon/metrics/binary_report.hpp"
#include "osteon/metrics/multiclass.hpp"
#include "osteon/metrics/partial_auc.hpp"
#include "osteon/metrics/proportion_ci.hpp"
#include "osteon/metrics/thresholds.hpp"

// Segmentation metrics (docs/segmentation.md)
#include "osteon/metrics/aggregation.hpp"
#include "osteon/metrics/distance_transform.hpp"
#include "osteon/metrics/metric_reduction.hpp"
#include "osteon/metrics/segmentation.hpp"
#include "osteon/metrics/segmentation_input.hpp"
#include "osteon/metrics/surface_distance.hpp"
#include "osteon/metrics/volume_agreement.hpp"
