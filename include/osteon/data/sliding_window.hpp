#pragma once
/// @file
/// Sliding-window inference for images and volumes larger than the network's patch, with
/// MONAI's arguments and arithmetic (monai.inferers.sliding_window_inference): windows of
/// roi_size start every int(roi · (1 − overlap)) voxels (the last one flush with the end), are
/// run through the predictor sw_batch_size at a time, weighted by a constant or Gaussian
/// importance map (σ = sigma_scale · roi, clamped below at max(min, 1e-3)), summed, and divided
/// by the summed weights. Inputs smaller than the window are padded (padding_mode, cval) and the
/// output cropped back. Everything stays on the input's device: window positions are host
/// integers computed from the shape, so the loop never reads the device.

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace osteon::data {

/// Options of sliding_window_inference (MONAI's keywords).
struct SlidingWindowOptions {
  /// Fraction of overlap between neighbouring windows, per axis (one value for all), in [0, 1).
  TORCH_ARG(std::vector<double>, overlap) = {0.25};
  /// "constant" (equal weights) or "gaussian" (less weight at window edges).
  TORCH_ARG(std::string, mode) = "constant";
  /// σ of the Gaussian map as a fraction of the window size, per axis (one value for all).
  TORCH_ARG(std::vector<double>, sigma_scale) = {0.125};
  /// Padding of inputs smaller than roi_size: "constant", "reflect", "replicate", "circular".
  TORCH_ARG(std::string, padding_mode) = "constant";
  TORCH_ARG(double, cval) = 0.0;
};

/// A predictor: (n, C, roi...) windows → (n, C_out, roi...) outputs.
using Predictor = std::function<torch::Tensor(const torch::Tensor&)>;

namespace detail {

/// MONAI's dense_patch_slices start positions along one axis.
inline std::vector<std::int64_t> window_starts(std::int64_t image, std::int64_t roi, std::int64_t interval) {
  std::vector<std::int64_t> starts;
  std::int64_t count = 1;
  if (interval > 0) {
    const auto candidates = (image + interval - 1) / interval;
    count = candidates;  // first d with d·interval + roi >= image, plus one
    for (std::int64_t d = 0; d < candidates; ++d) {
      if (d * interval + roi >= image) {
        count = d + 1;
        break;
      }
    }
  }
  for (std::int64_t i = 0; i < count; ++i) {
    auto start = i * interval;
    start -= std::max<std::int64_t>(start + roi - image, 0);
    starts.push_back(start);
  }
  return starts;
}

/// MONAI's compute_importance_map for a window of `roi` (constant or Gaussian), on `options`' device.
inline torch::Tensor importance_map(const std::vector<std::int64_t>& roi, const std::string& mode,
                                    const std::vector<double>& sigma_scale, const torch::TensorOptions& options) {
  if (mode == "constant") return torch::ones(roi, options);
  // Separable: the product of 1-D Gaussians (float32, as MONAI); the minimum of a product of
  // positive factors is the product of their minima, so the clamp needs no device read.
  torch::Tensor map;
  double minimum = 1.0;
  for (std::size_t d = 0; d < roi.size(); ++d) {
    const double sigma = static_cast<double>(roi[d]) * sigma_scale[d];
    std::vector<float> profile(static_cast<std::size_t>(roi[d]));
    float smallest = 1.0f;
    for (std::int64_t i = 0; i < roi[d]; ++i) {
      const float x = static_cast<float>(-(static_cast<double>(roi[d]) - 1.0) / 2.0 + static_cast<double>(i));
      profile[i] = std::exp(x * x / static_cast<float>(-2.0 * sigma * sigma));
      smallest = std::min(smallest, profile[i]);
    }
    minimum *= smallest;
    auto axis = torch::tensor(profile, torch::kFloat);
    map = d == 0 ? axis : map.unsqueeze(-1) * axis;
  }
  return torch::clamp_min(map, std::max(minimum, 1e-3)).to(options);
}

}  // namespace detail

/// MONAI's sliding_window_inference for a predictor whose outputs have the window's spatial
/// size. `inputs` is (N, C, spatial...); `roi_size` one entry per spatial axis (<= 0 → the
/// input's size on that axis). Returns (N, C_out, spatial...) on the input's device, in the
/// input's dtype.
///
/// Example:
///   auto model = osteon::nn::VNet(osteon::nn::VNetOptions().spatial_dims(3).in_channels(1).out_channels(2));
///   model->eval();
///   torch::NoGradGuard no_grad;
///   auto logits = osteon::data::sliding_window_inference(
///       volume, {64, 64, 64}, 4, [&](const torch::Tensor& x) { return model->forward(x); },
///       osteon::data::SlidingWindowOptions().overlap({0.5}).mode("gaussian"));
inline torch::Tensor sliding_window_inference(const torch::Tensor& inputs, std::vector<std::int64_t> roi_size,
                                              std::int64_t sw_batch_size, const Predictor& predictor,
                                              const SlidingWindowOptions& options = {}) {
  TORCH_CHECK(inputs.dim() >= 3, "sliding_window_inference: inputs must be (N, C, spatial...), got shape ", inputs.sizes());
  TORCH_CHECK(sw_batch_size >= 1, "sliding_window_inference: sw_batch_size must be >= 1, got ", sw_batch_size);
  TORCH_CHECK(static_cast<bool>(predictor), "sliding_window_inference: predictor is empty");
  TORCH_CHECK(options.mode() == "constant" || options.mode() == "gaussian",
              "sliding_window_inference: mode must be \"constant\" or \"gaussian\", got \"", options.mode(), "\"");
  const auto dims = inputs.dim() - 2;
  const auto ndims = static_cast<std::size_t>(dims);
  TORCH_CHECK(roi_size.size() == ndims || roi_size.size() == 1, "sliding_window_inference: roi_size has ",
              roi_size.size(), " entries for ", dims, " spatial dims");
  if (roi_size.size() == 1) roi_size.assign(ndims, roi_size.front());
  auto overlap = options.overlap();
  TORCH_CHECK(overlap.size() == ndims || overlap.size() == 1, "sliding_window_inference: overlap has ", overlap.size(),
              " entries for ", dims, " spatial dims");
  if (overlap.size() == 1) overlap.assign(ndims, overlap.front());
  for (const double o : overlap) TORCH_CHECK(o >= 0 && o < 1, "sliding_window_inference: overlap must be >= 0 and < 1, got ", o);
  auto sigma_scale = options.sigma_scale();
  TORCH_CHECK(sigma_scale.size() == ndims || sigma_scale.size() == 1, "sliding_window_inference: sigma_scale has ",
              sigma_scale.size(), " entries for ", dims, " spatial dims");
  if (sigma_scale.size() == 1) sigma_scale.assign(ndims, sigma_scale.front());
  for (const double s : sigma_scale) TORCH_CHECK(s > 0, "sliding_window_inference: sigma_scale must be > 0, got ", s);

  const auto batch = inputs.size(0);
  std::vector<std::int64_t> original(ndims), image(ndims), pad_before(ndims), pad_after(ndims);
  for (std::size_t d = 0; d < ndims; ++d) {
    original[d] = inputs.size(static_cast<std::int64_t>(d) + 2);
    if (roi_size[d] <= 0) roi_size[d] = original[d];
    image[d] = std::max(original[d], roi_size[d]);
    const auto diff = image[d] - original[d];
    pad_before[d] = diff / 2;
    pad_after[d] = diff - diff / 2;
  }
  auto padded = inputs;
  if (image != original) {
    std::vector<std::int64_t> pads;
    for (std::size_t d = ndims; d-- > 0;) {
      pads.push_back(pad_before[d]);
      pads.push_back(pad_after[d]);
    }
    namespace F = torch::nn::functional;
    auto pad_options = F::PadFuncOptions(pads).value(options.cval());
    if (options.padding_mode() == "constant") pad_options.mode(torch::kConstant);
    else if (options.padding_mode() == "reflect") pad_options.mode(torch::kReflect);
    else if (options.padding_mode() == "replicate") pad_options.mode(torch::kReplicate);
    else if (options.padding_mode() == "circular") pad_options.mode(torch::kCircular);
    else TORCH_CHECK(false, "sliding_window_inference: padding_mode must be \"constant\", \"reflect\", \"replicate\" or \"circular\", got \"",
                     options.padding_mode(), "\"");
    padded = F::pad(inputs, pad_options);
  }
  // Window starts per axis, then all windows in C order (MONAI's meshgrid "ij").
  std::vector<std::vector<std::int64_t>> starts(ndims);
  for (std::size_t d = 0; d < ndims; ++d) {
    const auto interval = roi_size[d] == image[d] ? roi_size[d]
                                                  : std::max<std::int64_t>(1, static_cast<std::int64_t>(roi_size[d] * (1.0 - overlap[d])));
    starts[d] = detail::window_starts(image[d], roi_size[d], interval);
  }
  std::vector<std::vector<std::int64_t>> windows{{}};
  for (std::size_t d = 0; d < ndims; ++d) {
    std::vector<std::vector<std::int64_t>> next;
    for (const auto& prefix : windows) {
      for (const auto s : starts[d]) {
        auto w = prefix;
        w.push_back(s);
        next.push_back(std::move(w));
      }
    }
    windows = std::move(next);
  }
  const auto window_of = [&](const torch::Tensor& x, const std::vector<std::int64_t>& start) {
    auto view = x;
    for (std::size_t d = 0; d < ndims; ++d) view = view.narrow(static_cast<std::int64_t>(d) + 2, start[d], roi_size[d]);
    return view;
  };
  const auto weight = detail::importance_map(roi_size, options.mode(), sigma_scale, inputs.options());
  const auto per_image = static_cast<std::int64_t>(windows.size());
  const auto total = per_image * batch;
  torch::Tensor output, count;
  for (std::int64_t first = 0; first < total; first += sw_batch_size) {
    const auto last = std::min(total, first + sw_batch_size);
    std::vector<torch::Tensor> parts;
    for (std::int64_t w = first; w < last; ++w) {
      parts.push_back(window_of(padded.narrow(0, w / per_image, 1), windows[static_cast<std::size_t>(w % per_image)]));
    }
    const auto window_batch = parts.size() == 1 ? parts.front() : torch::cat(parts);
    auto predicted = predictor(window_batch);
    TORCH_CHECK(predicted.dim() == inputs.dim() && predicted.size(0) == last - first,
                "sliding_window_inference: the predictor returned shape ", predicted.sizes(), " for windows of shape ",
                window_batch.sizes());
    for (std::size_t d = 0; d < ndims; ++d) {
      TORCH_CHECK(predicted.size(static_cast<std::int64_t>(d) + 2) == roi_size[d],
                  "sliding_window_inference: the predictor's output spatial size ", predicted.sizes().slice(2),
                  " differs from roi_size; only same-size outputs are supported");
    }
    predicted = (predicted * weight).to(inputs.scalar_type());
    if (!output.defined()) {
      std::vector<std::int64_t> shape{batch, predicted.size(1)};
      shape.insert(shape.end(), image.begin(), image.end());
      output = torch::zeros(shape, inputs.options());
      std::vector<std::int64_t> count_shape{1, 1};
      count_shape.insert(count_shape.end(), image.begin(), image.end());
      count = torch::zeros(count_shape, inputs.options());
      const auto weight_view = weight.unsqueeze(0).unsqueeze(0);
      for (const auto& start : windows) window_of(count, start).add_(weight_view);
    }
    for (std::int64_t w = first; w < last; ++w) {
      window_of(output.narrow(0, w / per_image, 1), windows[static_cast<std::size_t>(w % per_image)])
          .add_(predicted.narrow(0, w - first, 1));
    }
  }
  output.div_(count);
  if (image != original) {
    for (std::size_t d = 0; d < ndims; ++d) output = output.narrow(static_cast<std::int64_t>(d) + 2, pad_before[d], original[d]);
  }
  return output;
}

/// The same with a module (anything with `forward(Tensor)`: a ModuleHolder such as osteon::nn::UNet).
template <typename Module, typename = decltype(std::declval<Module&>()->forward(std::declval<torch::Tensor>()))>
torch::Tensor sliding_window_inference(const torch::Tensor& inputs, std::vector<std::int64_t> roi_size,
                                       std::int64_t sw_batch_size, Module& module, const SlidingWindowOptions& options = {}) {
  return sliding_window_inference(
      inputs, std::move(roi_size), sw_batch_size, Predictor([&module](const torch::Tensor& x) { return module->forward(x); }),
      options);
}

}  // namespace osteon::data
