#pragma once
/// @file
/// osteon::split — stratified, group-safe holdout and k-fold splits, nested designs, leakage
/// checks and CSV manifests. Torch-free; deterministic from a seed on every platform.

#include "osteon/split/balance.hpp"
#include "osteon/split/cohort.hpp"
#include "osteon/split/content_hash.hpp"
#include "osteon/split/holdout.hpp"
#include "osteon/split/indices.hpp"
#include "osteon/split/kfold.hpp"
#include "osteon/split/leakage.hpp"
#include "osteon/split/manifest.hpp"
#include "osteon/split/nested.hpp"
#include "osteon/split/options.hpp"
