#pragma once
/// @file
/// osteon::nn, the networks: ResNet family and multi-view fusion (radiograph classification),
/// V-Net and UNet (segmentation), with weight import from torchvision and MONAI state dicts.
///   nn/networks/  the models          nn/blocks/  their building blocks (MONAI's Convolution, ...)
///   nn/ops/       CPU kernels behind a layer     nn/weights/ torchvision / MONAI key mappings
/// State-dict files themselves are in osteon::io (io/state_dict.hpp).
///
/// Example:
///   #include <osteon/nn.hpp>
///   auto model = osteon::nn::resnet50(osteon::nn::ResNetOptions().num_classes(2).in_channels(1));

#include "osteon/io/state_dict.hpp"
#include "osteon/nn/blocks/convolution.hpp"
#include "osteon/nn/blocks/factories.hpp"
#include "osteon/nn/blocks/spatial.hpp"
#include "osteon/nn/networks/multiview.hpp"
#include "osteon/nn/networks/resnet.hpp"
#include "osteon/nn/networks/unet.hpp"
#include "osteon/nn/networks/vnet.hpp"
#include "osteon/nn/ops/folded_conv.hpp"
#include "osteon/nn/ops/transposed_conv.hpp"
#include "osteon/nn/weights/monai.hpp"
#include "osteon/nn/weights/torchvision.hpp"
