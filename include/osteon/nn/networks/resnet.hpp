#pragma once
/// @file
/// ResNet-18/34/50/101/152 (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016)
/// with torchvision's structure, initialisation and state-dict names, so that a state dict saved
/// by torchvision loads without renaming (see nn/weights/torchvision.hpp) and gives the same outputs. The stride
/// of a Bottleneck sits on its 3x3 convolution ("ResNet v1.5"), as in torchvision.
/// The spatial dimensionality D is a template parameter: D = 2 for radiographs, D = 3 for
/// volumes (same layers with cubic kernels, as MONAI's ResNet).
///
/// Example:
///   auto model = osteon::nn::resnet50(osteon::nn::ResNetOptions().num_classes(2).in_channels(1));
///   auto logits = model->forward(torch::randn({8, 1, 224, 224}));  // (8, 2)

#include <torch/nn.h>
#include <torch/types.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/nn/blocks/spatial.hpp"

namespace osteon::nn {

/// Options of a ResNet. `layers` (blocks per stage) is set by the factories resnet18 ... resnet152.
///
/// Example:
///   auto options = osteon::nn::ResNetOptions().num_classes(3).dropout(0.2);
struct ResNetOptions {
  /// Blocks in each of the four stages (torchvision: ResNet-50 = {3, 4, 6, 3}).
  TORCH_ARG(std::vector<int64_t>, layers) = std::vector<int64_t>{2, 2, 2, 2};
  /// Outputs of the head `fc`; 0 removes the head and forward() returns pooled features (timm).
  TORCH_ARG(int64_t, num_classes) = 1000;
  /// Input channels of the stem `conv1` (1 for radiographs; see nn/weights/torchvision.hpp for ImageNet init).
  TORCH_ARG(int64_t, in_channels) = 3;
  /// Start every residual branch at zero (last BN weight = 0), so each block starts as the
  /// identity (Goyal et al., "Accurate, Large Minibatch SGD", 2017); torchvision's option.
  TORCH_ARG(bool, zero_init_residual) = false;
  /// Dropout probability on the pooled features, before `fc` (0 = none, as torchvision).
  TORCH_ARG(double, dropout) = 0.0;
};

namespace detail {

template <int D>
typename Spatial<D>::Conv conv3x3(int64_t in_planes, int64_t out_planes, int64_t stride) {
  return typename Spatial<D>::Conv(
      typename Spatial<D>::ConvOptions(in_planes, out_planes, 3).stride(stride).padding(1).bias(
          false));
}

template <int D>
typename Spatial<D>::Conv conv1x1(int64_t in_planes, int64_t out_planes, int64_t stride) {
  return typename Spatial<D>::Conv(
      typename Spatial<D>::ConvOptions(in_planes, out_planes, 1).stride(stride).bias(false));
}

/// torchvision's shortcut projection: `downsample.0` (1x1 conv), `downsample.1` (BN), present
/// when the block changes resolution or width.
template <int D>
torch::nn::Sequential downsample_or_null(int64_t in_planes, int64_t out_planes, int64_t stride) {
  if (stride == 1 && in_planes == out_planes) return nullptr;
  return torch::nn::Sequential(conv1x1<D>(in_planes, out_planes, stride),
                               typename Spatial<D>::BatchNorm(out_planes));
}

}  // namespace detail

/// Two 3x3 convolutions with a residual connection (ResNet-18/34).
///
/// Example:
///   osteon::nn::BasicBlockImpl<2> block(64, 128, /*stride=*/2);  // has downsample.0 / .1
///   block.forward(torch::randn({1, 64, 8, 8})).sizes();          // [1, 128, 4, 4]
template <int D = 2>
struct BasicBlockImpl : torch::nn::Cloneable<BasicBlockImpl<D>> {
  static constexpr int64_t expansion = 1;

  BasicBlockImpl(int64_t in_planes, int64_t planes, int64_t stride = 1)
      : in_planes(in_planes), planes(planes), stride(stride) {
    reset();
  }

  void reset() override {
    conv1 = this->register_module("conv1", detail::conv3x3<D>(in_planes, planes, stride));
    bn1 = this->register_module("bn1", typename Spatial<D>::BatchNorm(planes));
    conv2 = this->register_module("conv2", detail::conv3x3<D>(planes, planes, 1));
    bn2 = this->register_module("bn2", typename Spatial<D>::BatchNorm(planes));
    downsample = detail::downsample_or_null<D>(in_planes, planes * expansion, stride);
    if (downsample) this->register_module("downsample", downsample);
  }

  torch::Tensor forward(const torch::Tensor& x) {
    auto out = bn1(conv1(x)).relu_();
    out = bn2(conv2(out));
    out += downsample ? downsample->forward(x) : x;
    return out.relu_();
  }

  /// The BN that closes the residual branch (zeroed by zero_init_residual).
  typename Spatial<D>::BatchNorm& last_bn() { return bn2; }

  int64_t in_planes, planes, stride;
  typename Spatial<D>::Conv conv1{nullptr}, conv2{nullptr};
  typename Spatial<D>::BatchNorm bn1{nullptr}, bn2{nullptr};
  torch::nn::Sequential downsample{nullptr};
};

/// 1x1 → 3x3 (strided) → 1x1 (×4 channels) with a residual connection (ResNet-50/101/152).
///
/// Example:
///   osteon::nn::BottleneckImpl<2> block(64, 64);               // 64 → 256 channels
///   block.forward(torch::randn({1, 64, 8, 8})).sizes();        // [1, 256, 8, 8]
template <int D = 2>
struct BottleneckImpl : torch::nn::Cloneable<BottleneckImpl<D>> {
  static constexpr int64_t expansion = 4;

  BottleneckImpl(int64_t in_planes, int64_t planes, int64_t stride = 1)
      : in_planes(in_planes), planes(planes), stride(stride) {
    reset();
  }

  void reset() override {
    conv1 = this->register_module("conv1", detail::conv1x1<D>(in_planes, planes, 1));
    bn1 = this->register_module("bn1", typename Spatial<D>::BatchNorm(planes));
    conv2 = this->register_module("conv2", detail::conv3x3<D>(planes, planes, stride));
    bn2 = this->register_module("bn2", typename Spatial<D>::BatchNorm(planes));
    conv3 = this->register_module("conv3", detail::conv1x1<D>(planes, planes * expansion, 1));
    bn3 = this->register_module("bn3", typename Spatial<D>::BatchNorm(planes * expansion));
    downsample = detail::downsample_or_null<D>(in_planes, planes * expansion, stride);
    if (downsample) this->register_module("downsample", downsample);
  }

  torch::Tensor forward(const torch::Tensor& x) {
    auto out = bn1(conv1(x)).relu_();
    out = bn2(conv2(out)).relu_();
    out = bn3(conv3(out));
    out += downsample ? downsample->forward(x) : x;
    return out.relu_();
  }

  /// The BN that closes the residual branch (zeroed by zero_init_residual).
  typename Spatial<D>::BatchNorm& last_bn() { return bn3; }

  int64_t in_planes, planes, stride;
  typename Spatial<D>::Conv conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
  typename Spatial<D>::BatchNorm bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
  torch::nn::Sequential downsample{nullptr};
};

/// ResNet over D spatial dims built from `Block` (BasicBlockImpl or BottleneckImpl). Submodules
/// and their names are torchvision's: conv1, bn1, relu, maxpool, layer1..layer4, avgpool, fc.
///
/// Example:
///   osteon::nn::ResNetImpl<osteon::nn::BottleneckImpl, 3> net(
///       osteon::nn::ResNetOptions().layers({3, 4, 6, 3}).num_classes(2).in_channels(1));
///   net.forward(torch::randn({1, 1, 32, 32, 32})).sizes();  // [1, 2]
template <template <int> class Block, int D = 2>
struct ResNetImpl : torch::nn::Cloneable<ResNetImpl<Block, D>> {
  using BlockType = Block<D>;
  static constexpr int spatial_dims = D;

  explicit ResNetImpl(ResNetOptions options_ = {}) : options(std::move(options_)) {
    OSTEON_CHECK_ARG(options.layers().size() == 4, "ResNet: layers must have 4 stages, got ",
                     options.layers().size());
    for (int64_t blocks : options.layers())
      OSTEON_CHECK_ARG(blocks >= 1, "ResNet: every stage needs >= 1 block, got ", blocks);
    OSTEON_CHECK_ARG(options.num_classes() >= 0, "ResNet: num_classes must be >= 0, got ",
                     options.num_classes());
    OSTEON_CHECK_ARG(options.in_channels() >= 1, "ResNet: in_channels must be >= 1, got ",
                     options.in_channels());
    OSTEON_CHECK_ARG(options.dropout() >= 0.0 && options.dropout() < 1.0,
                     "ResNet: dropout must be in [0, 1), got ", options.dropout());
    reset();
  }

  void reset() override {
    using S = Spatial<D>;
    in_planes_ = 64;
    conv1 = this->register_module(
        "conv1", typename S::Conv(typename S::ConvOptions(options.in_channels(), 64, 7)
                                      .stride(2).padding(3).bias(false)));
    bn1 = this->register_module("bn1", typename S::BatchNorm(64));
    relu = this->register_module("relu", torch::nn::ReLU(torch::nn::ReLUOptions(true)));
    maxpool = this->register_module(
        "maxpool", typename S::MaxPool(typename S::MaxPoolOptions(3).stride(2).padding(1)));
    layer1 = this->register_module("layer1", make_layer(64, options.layers()[0], 1));
    layer2 = this->register_module("layer2", make_layer(128, options.layers()[1], 2));
    layer3 = this->register_module("layer3", make_layer(256, options.layers()[2], 2));
    layer4 = this->register_module("layer4", make_layer(512, options.layers()[3], 2));
    avgpool = this->register_module(
        "avgpool", typename S::AdaptiveAvgPool(typename S::AdaptiveAvgPoolOptions(1)));
    if (options.num_classes() > 0)
      fc = this->register_module("fc", torch::nn::Linear(feature_dim(), options.num_classes()));
    initialize();
  }

  /// Logits (N, num_classes) for input (N, in_channels, spatial...); the pooled features
  /// (N, feature_dim()) when num_classes is 0.
  torch::Tensor forward(const torch::Tensor& x) { return classify(forward_features(x)); }

  /// Globally average-pooled features of the last stage, (N, feature_dim()).
  torch::Tensor forward_features(const torch::Tensor& x) {
    detail::check_floating_input(x, "ResNet");
    TORCH_CHECK(x.dim() == D + 2 && x.size(1) == options.in_channels(), "ResNet: input must be (N, ",
                options.in_channels(), ", ", D, " spatial dims), got shape ", x.sizes());
    auto out = maxpool(relu(bn1(conv1(x))));
    out = layer4->forward(layer3->forward(layer2->forward(layer1->forward(out))));
    return torch::flatten(avgpool(out), 1);
  }

  /// The head applied to pooled features: dropout, then `fc` (identity without a head).
  torch::Tensor classify(torch::Tensor features) {
    if (options.dropout() > 0.0)
      features = torch::dropout(features, options.dropout(), this->is_training());
    return fc ? fc(features) : features;
  }

  /// Width of the pooled features: 512 × Block::expansion (512 or 2048).
  int64_t feature_dim() const { return 512 * BlockType::expansion; }

  ResNetOptions options;
  typename Spatial<D>::Conv conv1{nullptr};
  typename Spatial<D>::BatchNorm bn1{nullptr};
  torch::nn::ReLU relu{nullptr};
  typename Spatial<D>::MaxPool maxpool{nullptr};
  torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
  typename Spatial<D>::AdaptiveAvgPool avgpool{nullptr};
  torch::nn::Linear fc{nullptr};

 private:
  // torchvision's _make_layer: the first block of a stage strides and widens.
  torch::nn::Sequential make_layer(int64_t planes, int64_t blocks, int64_t stride) {
    torch::nn::Sequential layer;
    layer->push_back(std::make_shared<BlockType>(in_planes_, planes, stride));
    in_planes_ = planes * BlockType::expansion;
    for (int64_t i = 1; i < blocks; ++i)
      layer->push_back(std::make_shared<BlockType>(in_planes_, planes, 1));
    return layer;
  }

  // torchvision's ResNet.__init__: kaiming_normal_(fan_out, relu) for convolutions, BN weight 1
  // and bias 0; the Linear head keeps PyTorch's default initialisation.
  void initialize() {
    torch::NoGradGuard no_grad;
    for (auto& module : this->modules(/*include_self=*/false)) {
      if (auto* conv = module->template as<typename Spatial<D>::Conv>()) {
        torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
      } else if (auto* bn = module->template as<typename Spatial<D>::BatchNorm>()) {
        torch::nn::init::ones_(bn->weight);
        torch::nn::init::zeros_(bn->bias);
      }
    }
    if (options.zero_init_residual()) {
      for (auto& module : this->modules(/*include_self=*/false))
        if (auto* block = module->template as<BlockType>())
          torch::nn::init::zeros_(block->last_bn()->weight);
    }
  }

  int64_t in_planes_ = 64;
};

/// Module holder of ResNetImpl (what the factories return), as TORCH_MODULE would declare.
template <template <int> class Block, int D = 2>
class ResNet : public torch::nn::ModuleHolder<ResNetImpl<Block, D>> {
 public:
  using torch::nn::ModuleHolder<ResNetImpl<Block, D>>::ModuleHolder;
};

/// Blocks per stage of torchvision's resnet<depth>, depth in {18, 34, 50, 101, 152}. Depths 18
/// and 34 use BasicBlockImpl, the others BottleneckImpl.
///
/// Example:
///   osteon::nn::resnet_layers(50);  // {3, 4, 6, 3}
inline std::vector<int64_t> resnet_layers(int64_t depth) {
  switch (depth) {
    case 18: return {2, 2, 2, 2};
    case 34: return {3, 4, 6, 3};
    case 50: return {3, 4, 6, 3};
    case 101: return {3, 4, 23, 3};
    case 152: return {3, 8, 36, 3};
    default: break;
  }
  OSTEON_CHECK_ARG(false, "resnet_layers: depth must be 18, 34, 50, 101 or 152, got ", depth);
  return {};
}

/// ResNetOptions with the stages of torchvision's resnet<depth> (see resnet_layers).
///
/// Example:
///   auto options = osteon::nn::resnet_options(50).num_classes(2);
inline ResNetOptions resnet_options(int64_t depth) {
  return ResNetOptions().layers(resnet_layers(depth));
}

/// ResNet-18 (11,689,512 parameters at 1000 classes, 2-D). `options.layers` is overwritten.
///
/// Example:
///   auto net = osteon::nn::resnet18(osteon::nn::ResNetOptions().num_classes(2));
template <int D = 2>
ResNet<BasicBlockImpl, D> resnet18(ResNetOptions options = {}) {
  return ResNet<BasicBlockImpl, D>(std::move(options.layers(resnet_layers(18))));
}

/// ResNet-34 (21,797,672 parameters at 1000 classes, 2-D).
///
/// Example:
///   auto net = osteon::nn::resnet34<3>(osteon::nn::ResNetOptions().in_channels(1));  // volumes
template <int D = 2>
ResNet<BasicBlockImpl, D> resnet34(ResNetOptions options = {}) {
  return ResNet<BasicBlockImpl, D>(std::move(options.layers(resnet_layers(34))));
}

/// ResNet-50 (25,557,032 parameters at 1000 classes, 2-D).
///
/// Example:
///   auto net = osteon::nn::resnet50(osteon::nn::ResNetOptions().num_classes(2).in_channels(1));
template <int D = 2>
ResNet<BottleneckImpl, D> resnet50(ResNetOptions options = {}) {
  return ResNet<BottleneckImpl, D>(std::move(options.layers(resnet_layers(50))));
}

/// ResNet-101 (44,549,160 parameters at 1000 classes, 2-D).
///
/// Example:
///   auto net = osteon::nn::resnet101();
template <int D = 2>
ResNet<BottleneckImpl, D> resnet101(ResNetOptions options = {}) {
  return ResNet<BottleneckImpl, D>(std::move(options.layers(resnet_layers(101))));
}

/// ResNet-152 (60,192,808 parameters at 1000 classes, 2-D).
///
/// Example:
///   auto net = osteon::nn::resnet152();
template <int D = 2>
ResNet<BottleneckImpl, D> resnet152(ResNetOptions options = {}) {
  return ResNet<BottleneckImpl, D>(std::move(options.layers(resnet_layers(152))));
}

}  // namespace osteon::nn
