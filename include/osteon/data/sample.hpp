#pragma once
/// @file
/// `Sample` and `Batch`: what a dataset returns and what a loader yields. A sample is MONAI's
/// dictionary sample ({"image", "label", ...}) as a struct, so that transforms know which tensor
/// is an image (interpolated) and which a mask (nearest neighbour) without string keys:
///   - `images`: one (C, spatial...) tensor per view (one for most studies; the hip study's AP and
///     frog-leg views are two). MONAI's "image".
///   - `mask`: the segmentation target, (C, spatial...) with the images' spatial size, or
///     undefined. MONAI calls it "label"; osteon keeps `label` for the classification target.
///   - `label`: the classification target(s), a 1-D tensor (one entry per label column), or undefined.
///   - `id`, `group` (patient / hip: what a split and the group-aware sampler keep whole),
///     `spacing` (one per spatial axis, array order, mm), `meta` (strata, split, file names).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace osteon::data {

/// One sample (see the file comment).
///
/// Example:
///   osteon::data::Sample sample;
///   sample.images = {torch::rand({1, 32, 32, 32})};
///   sample.mask = (sample.images[0] > 0.5).to(torch::kUInt8);
///   sample.label = torch::tensor({1});
///   sample.spacing = {1.0, 0.8, 0.8};
struct Sample {
  std::vector<torch::Tensor> images;
  torch::Tensor mask;
  torch::Tensor label;
  std::string id;
  std::string group;
  std::vector<double> spacing;
  std::map<std::string, std::string> meta;

  /// The first (or only) view; an error when the sample has none.
  const torch::Tensor& image() const {
    TORCH_CHECK(!images.empty(), "Sample::image: the sample \"", id, "\" has no image");
    return images.front();
  }
  torch::Tensor& image() {
    TORCH_CHECK(!images.empty(), "Sample::image: the sample \"", id, "\" has no image");
    return images.front();
  }
  /// Number of spatial dimensions of the images (2 or 3): their dim() − 1.
  std::int64_t spatial_dims() const { return image().dim() - 1; }
  /// Spatial size of the images, (H, W) or (D, H, W).
  std::vector<std::int64_t> spatial_size() const {
    const auto sizes = image().sizes();
    return {sizes.begin() + 1, sizes.end()};
  }
};

/// Samples stacked along a new first (batch) axis.
///
/// Example:
///   for (osteon::data::Batch& batch : loader) {
///     auto logits = model->forward(batch.image());    // (B, C, H, W)
///     auto both = batch.views();                      // (B, V, C, H, W) for MultiViewResNet
///   }
struct Batch {
  std::vector<torch::Tensor> images;  ///< per view, (B, C, spatial...)
  torch::Tensor mask;                 ///< (B, C, spatial...) or undefined
  torch::Tensor label;                ///< (B, n_labels) or undefined
  std::vector<std::string> ids;
  std::vector<std::string> groups;
  std::vector<std::int64_t> indices;  ///< dataset index of each element
  std::vector<std::map<std::string, std::string>> meta;

  std::int64_t size() const { return static_cast<std::int64_t>(ids.size()); }
  /// The first (or only) view, (B, C, spatial...).
  const torch::Tensor& image() const {
    TORCH_CHECK(!images.empty(), "Batch::image: the batch has no image");
    return images.front();
  }
  /// All views stacked on axis 1, (B, V, C, spatial...): the input of MultiViewResNet.
  torch::Tensor views() const {
    TORCH_CHECK(!images.empty(), "Batch::views: the batch has no image");
    return torch::stack(images, 1);
  }
};

/// Stacks samples into a batch; every sample must have the same number of views and the same
/// shapes (crop or pad them to one size first), masks and labels on all or none.
///
/// Example:
///   auto batch = osteon::data::collate({first, second});   // batch.image(): (2, C, ...)
inline Batch collate(const std::vector<Sample>& samples, const std::vector<std::int64_t>& indices = {}) {
  TORCH_CHECK(!samples.empty(), "collate: no samples");
  Batch batch;
  const auto views = samples.front().images.size();
  for (std::size_t s = 0; s < samples.size(); ++s) {
    TORCH_CHECK(samples[s].images.size() == views, "collate: sample \"", samples[s].id, "\" has ",
                samples[s].images.size(), " views, the first has ", views);
    TORCH_CHECK(samples[s].mask.defined() == samples.front().mask.defined(), "collate: sample \"", samples[s].id,
                "\" ", samples[s].mask.defined() ? "has" : "has no", " mask, unlike the first");
    TORCH_CHECK(samples[s].label.defined() == samples.front().label.defined(), "collate: sample \"", samples[s].id,
                "\" ", samples[s].label.defined() ? "has" : "has no", " label, unlike the first");
  }
  const auto stack = [&](auto&& pick, const char* what) {
    std::vector<torch::Tensor> parts;
    parts.reserve(samples.size());
    for (const auto& sample : samples) {
      parts.push_back(pick(sample));
      TORCH_CHECK(parts.back().sizes() == parts.front().sizes(), "collate: ", what, " of sample \"", sample.id,
                  "\" has shape ", parts.back().sizes(), ", the first has ", parts.front().sizes(),
                  " (crop or pad to one size, e.g. SpatialPad / CenterSpatialCrop)");
    }
    return torch::stack(parts);
  };
  for (std::size_t v = 0; v < views; ++v) {
    batch.images.push_back(stack([v](const Sample& sample) { return sample.images[v]; }, "image"));
  }
  if (samples.front().mask.defined()) batch.mask = stack([](const Sample& sample) { return sample.mask; }, "mask");
  if (samples.front().label.defined()) {
    batch.label = stack([](const Sample& sample) { return sample.label.reshape({-1}); }, "label");
  }
  for (std::size_t s = 0; s < samples.size(); ++s) {
    batch.ids.push_back(samples[s].id);
    batch.groups.push_back(samples[s].group);
    batch.meta.push_back(samples[s].meta);
    batch.indices.push_back(s < indices.size() ? indices[s] : static_cast<std::int64_t>(s));
  }
  return batch;
}

}  // namespace osteon::data
