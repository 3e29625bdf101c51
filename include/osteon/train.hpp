#pragma once
/// @file
/// Everything in osteon::train except distributed.hpp (which needs the Gloo headers; include it
/// where a run is data-parallel).
#include "osteon/train/cross_validate.hpp"
#include "osteon/train/loader.hpp"
#include "osteon/train/predict.hpp"
#include "osteon/train/sliding_window.hpp"
#include "osteon/train/trainer.hpp"
