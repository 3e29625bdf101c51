#pragma once
/// @file
/// The torch-free half of osteon::metrics: ROC / AUC / DeLong (metrics/roc/), threshold and
/// multi-class classification (metrics/classification/) and the host summaries of segmentation
/// results (metrics/segmentation/host/). Links osteon::host only; compiles in seconds.
///
/// Example:
///   #include <osteon/metrics/host.hpp>
///   auto test = osteon::metrics::delong_test(labels, scores_a, scores_b);

// ROC / AUC / DeLong (docs/metrics.md)
#include "osteon/metrics/roc/auc_ci.hpp"
#include "osteon/metrics/roc/bootstrap.hpp"
#include "osteon/metrics/roc/delong.hpp"
#include "osteon/metrics/roc/partial_auc.hpp"
#include "osteon/metrics/roc/placements.hpp"
#include "osteon/metrics/roc/roc.hpp"

// Threshold and multi-class metrics (docs/classification.md)
#include "osteon/metrics/classification/binary_report.hpp"
#include "osteon/metrics/classification/multiclass.hpp"
#include "osteon/metrics/classification/proportion_ci.hpp"
#include "osteon/metrics/classification/thresholds.hpp"

// Fold summaries and volume agreement of segmentation results (docs/segmentation.md)
#include "osteon/metrics/segmentation/host/aggregation.hpp"
#include "osteon/metrics/segmentation/host/volume_agreement.hpp"
