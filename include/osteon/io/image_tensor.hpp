#pragma once
/// @file
/// `Image` ↔ torch::Tensor. `to_tensor(image)` views the pixels without a copy when torch has
/// their type (uint8, int8, int16, int32, int64, float32, float64): the tensor shares the memory
/// and keeps it alive, so writes through one are seen by the other. torch 1.13 has no uint16 /
/// uint32 / uint64 tensors; those pixels are copied into the next wider signed type (uint16 →
/// int32, uint32 → int64; uint64 → int64 after a range check). `from_tensor` goes back: it copies
/// the tensor (any device, any layout) into an Image with the geometry of `like`, since an
/// xt::xarray owns its buffer.
///
/// Example:
///   osteon::io::Image ct = osteon::io::read_image("ct.nii.gz");       // (k, j, i) float32 HU
///   torch::Tensor voxels = osteon::io::to_tensor(ct);                   // same memory
///   torch::Tensor mask = (voxels > 200).to(torch::kUInt8);
///   osteon::io::write_image("bone.nii.gz", osteon::io::from_tensor(mask, ct));  // ct's geometry

#include <torch/types.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "osteon/io/image.hpp"

namespace osteon::io {

namespace detail {
inline torch::ScalarType torch_scalar_type(PixelType type) {
  switch (type) {
    case PixelType::uint8: return torch::kUInt8;
    case PixelType::int8: return torch::kInt8;
    case PixelType::int16: return torch::kInt16;
    case PixelType::int32: return torch::kInt32;
    case PixelType::int64: return torch::kInt64;
    case PixelType::float32: return torch::kFloat32;
    case PixelType::float64: return torch::kFloat64;
    case PixelType::uint16: return torch::kInt32;   // no kUInt16 in torch 1.13: widened copy
    case PixelType::uint32:
    case PixelType::uint64: return torch::kInt64;
  }
  return torch::kFloat32;
}

template <typename T>
std::vector<std::int64_t> tensor_sizes(const xt::xarray<T>& array) {
  return std::vector<std::int64_t>(array.shape().begin(), array.shape().end());
}
}  // namespace detail

/// True when `to_tensor(image)` shares the image's memory (torch has the pixel type).
inline bool tensor_shares_pixels(const Image& image) {
  const PixelType type = image.pixel_type();
  return type != PixelType::uint16 && type != PixelType::uint32 && type != PixelType::uint64;
}

/// A CPU tensor of the pixels, shape = `image.shape()` (axes slowest first, channel axis last);
/// zero-copy when `tensor_shares_pixels(image)`, else a widened copy (see the file comment).
inline torch::Tensor to_tensor(const Image& image) {
  std::shared_ptr<PixelArray> owner = image.shared_pixels();
  return std::visit(
      [&](auto& array) -> torch::Tensor {
        using T = typename std::decay_t<decltype(array)>::value_type;
        const auto sizes = detail::tensor_sizes(array);
        const torch::ScalarType target = detail::torch_scalar_type(pixel_type_of<T>());
        if constexpr (std::is_same_v<T, std::uint16_t> || std::is_same_v<T, std::uint32_t> ||
                      std::is_same_v<T, std::uint64_t>) {
          if constexpr (std::is_same_v<T, std::uint64_t>) {
            for (std::size_t e = 0; e < array.size(); ++e) {
              TORCH_CHECK(array.data()[e] <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()),
                          "to_tensor: uint64 pixel ", e, " (", array.data()[e],
                          ") does not fit torch's int64; convert the image with as<double>() first");
            }
          }
          using Wide = std::conditional_t<std::is_same_v<T, std::uint16_t>, std::int32_t, std::int64_t>;
          torch::Tensor out = torch::empty(sizes, torch::TensorOptions().dtype(target));
          Wide* destination = out.data_ptr<Wide>();
          for (std::size_t e = 0; e < array.size(); ++e) destination[e] = static_cast<Wide>(array.data()[e]);
          return out;
        } else {
          void* data = const_cast<T*>(array.data());
          return torch::from_blob(
              data, sizes, [owner](void*) mutable { owner.reset(); }, torch::TensorOptions().dtype(target));
        }
      },
      *owner);
}

/// Copies `tensor` (any device, dtype uint8 / int8 / int16 / int32 / int64 / float32 / float64;
/// bool becomes uint8, float16 / bfloat16 become float32) into an Image with `like`'s spacing,
/// origin, direction and space. The tensor's spatial shape need not equal `like`'s (geometry is
/// per axis), but its number of spatial axes must; `channels` > 0 marks a trailing channel axis.
inline Image from_tensor(const torch::Tensor& tensor, const Image& like, std::size_t channels = 0) {
  TORCH_CHECK(tensor.defined(), "from_tensor: tensor is undefined");
  torch::Tensor host = tensor.detach().to(torch::kCPU).contiguous();
  switch (host.scalar_type()) {
    case torch::kBool: host = host.to(torch::kUInt8); break;
    case torch::kHalf:
    case torch::kBFloat16: host = host.to(torch::kFloat32); break;
    default: break;
  }
  const std::vector<std::size_t> shape(host.sizes().begin(), host.sizes().end());
  auto copy_as = [&](auto tag) -> PixelArray {
    using T = decltype(tag);
    xt::xarray<T> array = xt::xarray<T>::from_shape(shape);
    std::copy(host.data_ptr<T>(), host.data_ptr<T>() + host.numel(), array.data());
    return array;
  };
  PixelArray pixels;
  switch (host.scalar_type()) {
    case torch::kUInt8: pixels = copy_as(std::uint8_t{}); break;
    case torch::kInt8: pixels = copy_as(std::int8_t{}); break;
    case torch::kInt16: pixels = copy_as(std::int16_t{}); break;
    case torch::kInt32: pixels = copy_as(std::int32_t{}); break;
    case torch::kInt64: pixels = copy_as(std::int64_t{}); break;
    case torch::kFloat32: pixels = copy_as(float{}); break;
    case torch::kFloat64: pixels = copy_as(double{}); break;
    default: TORCH_CHECK(false, "from_tensor: tensor dtype ", host.scalar_type(), " is not an image pixel type");
  }
  const std::size_t spatial = channels > 0 ? shape.size() - 1 : shape.size();
  TORCH_CHECK(spatial == like.ndim(), "from_tensor: tensor of shape ", tensor.sizes(), " has ", spatial,
              " spatial axes but `like` has ", like.ndim(), " (drop batch / channel axes first, or pass channels)");
  return like.with_pixels(std::move(pixels), channels);
}

}  // namespace osteon::io
