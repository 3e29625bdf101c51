#pragma once
/// @file
/// Umbrella header of report/: study reports (tables, metrics.json, predictions CSV) and their
/// PNG figures (PLplot; link osteon::report).

#include "osteon/report/columns_csv.hpp"
#include "osteon/report/figures/agreement_figures.hpp"
#include "osteon/report/figures/box_figure.hpp"
#include "osteon/report/figures/canvas.hpp"
#include "osteon/report/figures/roc_figure.hpp"
#include "osteon/report/format.hpp"
#include "osteon/report/markdown.hpp"
#include "osteon/report/metrics_json.hpp"
#include "osteon/report/roc_path.hpp"
#include "osteon/report/software.hpp"
#include "osteon/report/study_report.hpp"
#include "osteon/report/tables.hpp"
