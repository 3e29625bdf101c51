#pragma once
/// @file
/// osteon::nn, the networks: ResNet family and multi-view fusion (radiograph classification),
/// V-Net and UNet (segmentation), with weight import from torchvision and MONAI state dicts.
#include "osteon/nn/spatial.hpp"
#include "osteon/nn/state_dict.hpp"
#include "osteon/nn/resnet.hpp"
#include "osteon/nn/multiview.hpp"
#include "osteon/nn/weights.hpp"
#include "osteon/nn/folded_conv.hpp"
#include "osteon/nn/transposed_conv.hpp"
#include "osteon/nn/blocks.hpp"
#include "osteon/nn/factories.hpp"
#include "osteon/nn/vnet.hpp"
#include "osteon/nn/unet.hpp"
#include "osteon/nn/monai_weights.hpp"
