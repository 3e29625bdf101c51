#pragma once
/// @file
/// Everything in osteon::data (needs LibTorch; the synthetic generators, synthetic_files.hpp and
/// csv_table.hpp alone are torch-free).
#include "osteon/data/csv_table.hpp"
#include "osteon/data/dataset.hpp"
#include "osteon/data/loader.hpp"
#include "osteon/data/manifest_dataset.hpp"
#include "osteon/data/read_sample_image.hpp"
#include "osteon/data/sample.hpp"
#include "osteon/data/sliding_window.hpp"
#include "osteon/data/synthetic_femur.hpp"
#include "osteon/data/synthetic_files.hpp"
#include "osteon/data/synthetic_hips.hpp"
#include "osteon/data/synthetic_sij.hpp"
#include "osteon/data/synthetic_vertebra.hpp"
#include "osteon/data/transforms.hpp"
