#pragma once
/// @file
/// All of osteon's transforms (data/transforms/): the interface and Compose, crops and pads,
/// resampling, intensity, random flips / rotations / affine / intensity, patch samplers.

#include "osteon/data/transforms/affine.hpp"
#include "osteon/data/transforms/crop_pad.hpp"
#include "osteon/data/transforms/flip_rotate.hpp"
#include "osteon/data/transforms/intensity.hpp"
#include "osteon/data/transforms/patches.hpp"
#include "osteon/data/transforms/random_intensity.hpp"
#include "osteon/data/transforms/spatial.hpp"
#include "osteon/data/transforms/transform.hpp"
