#pragma once
/// @file
/// Multi-view classification with ResNet backbones, for studies that image each case from
/// several projections (e.g. one AP and one frog-leg radiograph per hip). The views of a case
/// arrive as one tensor (N, V, C, spatial...). Backbones are shared (one network sees every view,
/// as in Siamese networks) or separate (one per view). Fusion:
///   - MeanLogits: late fusion, the mean of the per-view logits;
///   - MeanProbabilities: late fusion, the mean of the per-view probabilities (softmax, or
///     sigmoid for one output), returned as logits: log p̄ for softmax (cross_entropy applies
///     log_softmax, which leaves a log-probability vector unchanged), log(p̄ / (1 − p̄)) for one
///     output;
///   - Features: feature fusion, the pooled features of the views concatenated, then one linear
///     head (Wu et al., "Deep Neural Networks Improve Radiologists' Performance in Breast Cancer
///     Screening", IEEE TMI 2020, compare view-wise and feature-wise fusion in the same way).
///
/// Example:
///   auto model = osteon::nn::MultiViewResNet<osteon::nn::BottleneckImpl>(
///       osteon::nn::MultiViewOptions(osteon::nn::resnet_options(50).num_classes(2)));
///   auto out = model->forward_views(torch::randn({4, 2, 3, 224, 224}));
///   out.fused;          // (4, 2) logits of the fused model
///   out.view_features;  // (4, 2, 2048)

#include <torch/nn.h>
#include <torch/types.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/nn/networks/resnet.hpp"

namespace osteon::nn {

/// How the views of a case are combined (see the file comment).
enum class ViewFusion { MeanLogits, MeanProbabilities, Features };

/// Parses "mean_logits", "mean_probs" or "features" (the Python keyword values).
///
/// Example:
///   auto fusion = osteon::nn::parse_view_fusion("mean_probs");  // ViewFusion::MeanProbabilities
inline ViewFusion parse_view_fusion(const std::string& name) {
  if (name == "mean_logits") return ViewFusion::MeanLogits;
  if (name == "mean_probs") return ViewFusion::MeanProbabilities;
  OSTEON_CHECK_ARG(name == "features", "MultiViewResNet: fusion must be 'mean_logits', "
                   "'mean_probs' or 'features', got '", name, "'");
  return ViewFusion::Features;
}

/// Options of a MultiViewResNet. `backbone` describes one view's network; its num_classes is the
/// number of classes of the fused output (and of each view's logits in late fusion).
///
/// Example:
///   auto options = osteon::nn::MultiViewOptions(osteon::nn::resnet_options(50).num_classes(2))
///                      .shared_backbone(false).fusion(osteon::nn::ViewFusion::MeanLogits);
struct MultiViewOptions {
  explicit MultiViewOptions(ResNetOptions backbone) : backbone_(std::move(backbone)) {}
  /// One view's ResNet (layers, num_classes, in_channels, zero_init_residual, dropout).
  TORCH_ARG(ResNetOptions, backbone);
  /// Views per case (2 for AP + frog-leg).
  TORCH_ARG(int64_t, num_views) = 2;
  /// One backbone for every view (true) or one per view (false).
  TORCH_ARG(bool, shared_backbone) = true;
  TORCH_ARG(ViewFusion, fusion) = ViewFusion::Features;
};

/// Outputs of every view and of the fused model, for per-view and fused evaluation.
struct MultiViewOutput {
  torch::Tensor fused;          ///< (N, num_classes) logits of the fused prediction
  torch::Tensor view_logits;    ///< (N, V, num_classes) per-view logits; undefined for Features
  torch::Tensor view_features;  ///< (N, V, feature_dim) pooled features of each view
};

/// Multi-view ResNet. State-dict names: `backbone.*` (shared) or `backbones.<v>.*` (separate),
/// each a torchvision ResNet, plus `head.*` for feature fusion.
///
/// Example:
///   osteon::nn::MultiViewResNetImpl<osteon::nn::BasicBlockImpl> model(
///       osteon::nn::MultiViewOptions(osteon::nn::resnet_options(18).num_classes(1))
///           .fusion(osteon::nn::ViewFusion::MeanProbabilities));
///   model.forward(torch::randn({2, 2, 3, 64, 64})).sizes();  // [2, 1]
template <template <int> class Block, int D = 2>
struct MultiViewResNetImpl : torch::nn::Cloneable<MultiViewResNetImpl<Block, D>> {
  using Backbone = ResNet<Block, D>;

  explicit MultiViewResNetImpl(MultiViewOptions options_) : options(std::move(options_)) {
    OSTEON_CHECK_ARG(options.num_views() >= 1, "MultiViewResNet: num_views must be >= 1, got ",
                     options.num_views());
    OSTEON_CHECK_ARG(options.backbone().num_classes() >= 1,
                     "MultiViewResNet: backbone num_classes must be >= 1, got ",
                     options.backbone().num_classes());
    reset();
  }

  void reset() override {
    ResNetOptions view_options = options.backbone();
    const bool feature_fusion = options.fusion() == ViewFusion::Features;
    if (feature_fusion) view_options.num_classes(0).dropout(0.0);  // the fused head classifies
    backbones_.clear();
    if (options.shared_backbone()) {
      backbone = this->register_module("backbone", Backbone(view_options));
    } else {
      backbones = this->register_module("backbones", torch::nn::ModuleList());
      for (int64_t v = 0; v < options.num_views(); ++v) {
        backbones_.emplace_back(view_options);
        backbones->push_back(backbones_.back());
      }
    }
    if (feature_fusion) {
      const int64_t feature_dim = 512 * Block<D>::expansion;
      head = this->register_module(
          "head", torch::nn::Linear(options.num_views() * feature_dim, options.backbone().num_classes()));
    }
  }

  /// Fused logits (N, num_classes) for views (N, V, C, spatial...).
  torch::Tensor forward(const torch::Tensor& views) { return forward_views(views).fused; }

  /// Fused and per-view outputs for views (N, V, C, spatial...).
  MultiViewOutput forward_views(const torch::Tensor& views) {
    detail::check_floating_input(views, "MultiViewResNet");
    TORCH_CHECK(views.dim() == D + 3 && views.size(1) == options.num_views(),
                "MultiViewResNet: views must be (N, ", options.num_views(), ", C, ", D,
                " spatial dims), got shape ", views.sizes());
    const int64_t batch = views.size(0);
    const int64_t n_views = options.num_views();
    MultiViewOutput out;
    if (options.shared_backbone()) {  // one pass over all N·V images
      auto features = backbone->forward_features(views.flatten(0, 1));
      out.view_features = features.view({batch, n_views, -1});
      if (!head) out.view_logits = backbone->classify(features).view({batch, n_views, -1});
    } else {
      std::vector<torch::Tensor> features, logits;
      for (int64_t v = 0; v < n_views; ++v) {
        features.push_back(backbones_[v]->forward_features(views.select(1, v)));
        if (!head) logits.push_back(backbones_[v]->classify(features.back()));
      }
      out.view_features = torch::stack(features, 1);
      if (!head) out.view_logits = torch::stack(logits, 1);
    }
    out.fused = fuse(out);
    return out;
  }

  MultiViewOptions options;
  Backbone backbone{nullptr};                  ///< shared backbone (shared_backbone = true)
  torch::nn::ModuleList backbones{nullptr};    ///< one backbone per view (shared_backbone = false)
  torch::nn::Linear head{nullptr};             ///< fused head (fusion = Features)

 private:
  torch::Tensor fuse(const MultiViewOutput& out) {
    switch (options.fusion()) {
      case ViewFusion::MeanLogits:
        return out.view_logits.mean(1);
      case ViewFusion::MeanProbabilities: {
        const double log_views = std::log(static_cast<double>(options.num_views()));
        if (out.view_logits.size(2) == 1) {  // sigmoid: logit of the mean probability
          auto log_p = torch::log_sigmoid(out.view_logits).logsumexp(1) - log_views;
          auto log_q = torch::log_sigmoid(-out.view_logits).logsumexp(1) - log_views;
          return log_p - log_q;
        }
        return torch::log_softmax(out.view_logits, 2).logsumexp(1) - log_views;
      }
      case ViewFusion::Features: {
        auto features = out.view_features.flatten(1);
        const double p = options.backbone().dropout();
        if (p > 0.0) features = torch::dropout(features, p, this->is_training());
        return head(features);
      }
    }
    return {};
  }

  std::vector<Backbone> backbones_;  // typed handles of the modules in `backbones`
};

/// Module holder of MultiViewResNetImpl.
template <template <int> class Block, int D = 2>
class MultiViewResNet : public torch::nn::ModuleHolder<MultiViewResNetImpl<Block, D>> {
 public:
  using torch::nn::ModuleHolder<MultiViewResNetImpl<Block, D>>::ModuleHolder;
};

}  // namespace osteon::nn
