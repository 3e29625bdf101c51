#pragma once
/// @file
/// osteon: deep-learning studies for musculoskeletal imaging on LibTorch. Includes every module;
/// a program that needs only statistics can include osteon/stats.hpp or a single metrics header
/// and compile without LibTorch.
///
/// Example:
///   #include <osteon/osteon.hpp>
///   auto t = osteon::metrics::delong_test(y, model_a, model_b);

#include "osteon/data.hpp"
#include "osteon/io.hpp"
#include "osteon/losses.hpp"
#include "osteon/metrics.hpp"
#include "osteon/nn.hpp"
#include "osteon/split.hpp"
#include "osteon/stats.hpp"
#include "osteon/train.hpp"
#include "osteon/version.hpp"
