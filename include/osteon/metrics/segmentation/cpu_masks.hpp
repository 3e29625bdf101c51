#pragma once
/// @file
/// CPU inputs of the segmentation metrics read as masks straight from their memory, one
/// (sample, class) row at a time, without building boolean tensors first.
///
/// The rule is foreground()'s (input.hpp), applied voxel by voxel while the data is in
/// cache: floating values are foreground where value > threshold (compared in the input's type, as
/// torch's gt does), booleans are themselves, integers are foreground where non-zero and must be 0
/// or 1. The checks foreground() makes on values (no NaN, only 0/1) happen in the same pass.
/// Label maps and argmax inputs are not read this way: they go through foreground() and the
/// resulting boolean tensor is read instead (host_mask_of_bool).

#include <torch/torch.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "osteon/metrics/segmentation/input.hpp"

namespace osteon::metrics::detail {

/// Writes `n` voxels starting at `source` as 0/1 bytes to `out`; returns true when a value breaks
/// the input's rule (NaN in a floating input, neither 0 nor 1 in an integer one).
using MaskReader = bool (*)(const void* source, int64_t n, double threshold, uint8_t* out);

template <typename T>
bool read_floating_mask(const void* source, int64_t n, double threshold, uint8_t* out) {
  const T* x = static_cast<const T*>(source);
  const T t = static_cast<T>(threshold);
  uint8_t nan = 0;
  for (int64_t i = 0; i < n; ++i) {  // branch-free, so that the compiler vectorises it
    out[i] = static_cast<uint8_t>(x[i] > t);
    nan |= static_cast<uint8_t>(x[i] != x[i]);
  }
  return nan != 0;
}

template <typename T>
bool read_integer_mask(const void* source, int64_t n, double, uint8_t* out) {
  const T* x = static_cast<const T*>(source);
  T outside = 0;
  for (int64_t i = 0; i < n; ++i) {
    out[i] = static_cast<uint8_t>(x[i] != 0);
    outside |= static_cast<T>(x[i] & ~T(1));  // any bit besides the lowest: not 0/1
  }
  return outside != 0;
}

inline bool read_bool_mask(const void* source, int64_t n, double, uint8_t* out) {
  std::memcpy(out, source, static_cast<size_t>(n));  // torch stores booleans as bytes 0/1
  return false;
}

/// The used channels of one CPU input, as rows of voxels that a MaskReader turns into bytes.
struct HostMaskInput {
  torch::Tensor storage;   ///< keeps the memory alive (the input itself, or a contiguous copy)
  const char* base = nullptr;
  int64_t batch_stride = 0, channel_stride = 0;  ///< in bytes
  int64_t element_size = 1;
  int64_t channels = 0;    ///< C' (background dropped if asked)
  MaskReader read = nullptr;
  bool floating = false;   ///< which message a broken rule gives

  /// Address of voxel `voxel` (row-major over the spatial axes) of row r = b * C' + c.
  const void* at(int64_t row, int64_t voxel) const {
    return base + (row / channels) * batch_stride + (row % channels) * channel_stride + voxel * element_size;
  }
  /// Reads `n` voxels of row `row` from `voxel` on; true when a value breaks the input's rule.
  bool read_mask(int64_t row, int64_t voxel, int64_t n, double threshold, uint8_t* out) const {
    return read(at(row, voxel), n, threshold, out);
  }
};

/// Points `out` at `input`'s memory: trailing spatial axes row-major (otherwise a contiguous copy
/// is taken), channels from `first` on.
inline void point_at_rows(const torch::Tensor& input, int64_t first, HostMaskInput& out) {
  bool row_major = true;
  int64_t expected = 1;
  for (int64_t d = input.dim() - 1; d >= 2; --d) {
    if (input.size(d) != 1 && input.stride(d) != expected) row_major = false;
    expected *= input.size(d);
  }
  out.storage = row_major ? input : input.contiguous();
  out.element_size = static_cast<int64_t>(out.storage.element_size());
  out.batch_stride = out.storage.stride(0) * out.element_size;
  out.channel_stride = out.storage.stride(1) * out.element_size;
  out.base = static_cast<const char*>(out.storage.data_ptr()) + first * out.channel_stride;
  out.channels = input.size(1) - first;
}

/// Sets up `out` to read `input` (a raw (B, C, spatial...) CPU input) the way foreground() would
/// binarise it. Returns false, touching nothing, where the input needs foreground() itself: not a
/// dense CPU tensor, a label map, an argmax over C, a dtype without a reader (half precision), or
/// options that foreground() rejects (it then gives the message).
inline bool host_mask_input(const torch::Tensor& input, const SegmentationOptions& options, HostMaskInput& out) {
  if (!input.device().is_cpu() || input.layout() != torch::kStrided || input.dim() < 3 || options.num_classes() < 0) {
    return false;
  }
  const bool integral = !input.is_floating_point() && input.scalar_type() != torch::kBool;
  if (options.num_classes() > 0 && input.size(1) == 1 && integral) return false;  // a label map
  if (input.is_floating_point() && options.argmax() && input.size(1) > 1) return false;
  const int64_t first = options.include_background() ? 0 : 1;
  if (input.size(1) - first < 1) return false;
  MaskReader read = nullptr;
  switch (input.scalar_type()) {
    case torch::kFloat: read = read_floating_mask<float>; break;
    case torch::kDouble: read = read_floating_mask<double>; break;
    case torch::kBool: read = read_bool_mask; break;
    case torch::kByte: read = read_integer_mask<uint8_t>; break;
    case torch::kChar: read = read_integer_mask<int8_t>; break;
    case torch::kShort: read = read_integer_mask<int16_t>; break;
    case torch::kInt: read = read_integer_mask<int32_t>; break;
    case torch::kLong: read = read_integer_mask<int64_t>; break;
    default: return false;
  }
  point_at_rows(input, first, out);
  out.read = read;
  out.floating = input.is_floating_point();
  return true;
}

/// Reads an already binarised (B, C', spatial...) boolean CPU mask (what foreground() returns).
inline HostMaskInput host_mask_of_bool(const torch::Tensor& mask) {
  HostMaskInput out;
  point_at_rows(mask, 0, out);
  out.read = read_bool_mask;
  return out;
}

/// The message of a broken input rule, worded as foreground()'s checks word it.
inline std::string broken_mask_message(const HostMaskInput& input, const char* function, const char* name) {
  if (input.floating) return std::string(function) + ": " + name + " contains NaN";
  return invalid_mask_message(function, name);
}

}  // namespace osteon::metrics::detail
