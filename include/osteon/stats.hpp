#pragma once
/// @file
/// osteon::stats — the torch-free statistics a results table needs: distributions, descriptive
/// statistics (mean ± SD), paired tests, regression and correlation, Bland–Altman agreement.

#include "osteon/stats/agreement.hpp"
#include "osteon/stats/alternative.hpp"
#include "osteon/stats/descriptive.hpp"
#include "osteon/stats/distributions.hpp"
#include "osteon/stats/paired_tests.hpp"
#include "osteon/stats/quantile.hpp"
#include "osteon/stats/regression.hpp"
