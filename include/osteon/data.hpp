#pragma once
/// @file
/// Everything in osteon::data.
#include "osteon/data/csv_table.hpp"
