#pragma once
/// @file
/// PNG files through libpng 1.6: `read_png` (1/2/4/8/16-bit gray, gray + alpha, RGB, RGBA and
/// palette images) and `write_png` (8- and 16-bit). Pixels stay in the file's depth: uint8 for
/// ≤ 8-bit files (1/2/4-bit samples one per byte, values as stored: 0…2^depth − 1, not rescaled),
/// uint16 for 16-bit files. A palette image is expanded to RGB (RGBA when it has transparency),
/// which is PIL's `convert("RGB")` / `convert("RGBA")`. Arrays are (rows, columns) for gray and
/// (rows, columns, channels) otherwise; spacing comes from the pHYs chunk when it is in metres
/// (mm per pixel = 1000 / pixels per metre), else 1.
///
/// Example:
///   osteon::io::Image radiograph = osteon::io::read_png("hip_ap.png");      // (rows, cols) uint16
///   osteon::io::write_png("hip_ap_copy.png", radiograph);

#include <png.h>

#include <cmath>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <string>
#include <vector>

#include "osteon/core/atomic_file.hpp"
#include "osteon/io/detail/image_file.hpp"
#include "osteon/io/image.hpp"

namespace osteon::io {

namespace detail {

/// libpng reports errors through a callback that must not return: it records the message and
/// longjmps back to the setjmp of the reading / writing function (no C++ objects live between the
/// two, only this state, which is declared before setjmp).
struct PngState {
  png_structp png = nullptr;
  png_infop info = nullptr;
  bool writing = false;
  char message[256] = "";
  std::ostream* out = nullptr;
  ~PngState() {
    if (png == nullptr) return;
    if (writing) {
      png_destroy_write_struct(&png, info != nullptr ? &info : nullptr);
    } else {
      png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
    }
  }
};

inline void png_error_to_state(png_structp png, png_const_charp message) {
  auto* state = static_cast<PngState*>(png_get_error_ptr(png));
  std::snprintf(state->message, sizeof(state->message), "%s", message);
  png_longjmp(png, 1);
}
inline void png_ignore_warning(png_structp, png_const_charp) {}

inline void png_write_to_stream(png_structp png, png_bytep data, png_size_t length) {
  auto* state = static_cast<PngState*>(png_get_io_ptr(png));
  state->out->write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(length));
  if (!*state->out) png_error(png, "write failed");
}
inline void png_flush_stream(png_structp png) {
  auto* state = static_cast<PngState*>(png_get_io_ptr(png));
  state->out->flush();
}

inline bool is_little_endian_host() {
  const std::uint16_t probe = 1;
  return *reinterpret_cast<const unsigned char*>(&probe) == 1;
}

}  // namespace detail

/// Reads a PNG file. Throws std::invalid_argument naming the file for a missing, truncated or
/// corrupt file, or one that is not a PNG.
///
/// Example:
///   auto image = osteon::io::read_png("knee.png");
///   if (image.pixel_type() == osteon::io::PixelType::uint16) { /* 16-bit radiograph */ }
inline Image read_png(const std::string& path) {
  constexpr const char* function = "read_png";
  const std::vector<unsigned char> head = detail::read_file_head(function, path, 8);
  if (head.size() < 8 || png_sig_cmp(head.data(), 0, 8) != 0) detail::fail_file(function, path, "not a PNG file");
  detail::OpenFile file(function, path, "rb");
  detail::PngState state;
  PixelArray pixels;
  std::vector<png_bytep> rows;
  std::uint32_t width = 0, height = 0;
  int channels = 0, bit_depth = 0;
  double spacing_y = 1.0, spacing_x = 1.0;
  state.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, detail::png_error_to_state,
                                     detail::png_ignore_warning);
  if (state.png == nullptr) detail::fail_file(function, path, "libpng could not start (out of memory)");
  state.info = png_create_info_struct(state.png);
  if (state.info == nullptr) detail::fail_file(function, path, "libpng could not start (out of memory)");
  if (setjmp(png_jmpbuf(state.png))) {
    detail::fail_file(function, path, "corrupt or truncated PNG: ", state.message);
  }
  png_init_io(state.png, file.handle);
  png_read_info(state.png, state.info);
  width = png_get_image_width(state.png, state.info);
  height = png_get_image_height(state.png, state.info);
  const int color_type = png_get_color_type(state.png, state.info);
  bit_depth = png_get_bit_depth(state.png, state.info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(state.png);
  if (color_type == PNG_COLOR_TYPE_PALETTE && png_get_valid(state.png, state.info, PNG_INFO_tRNS)) {
    png_set_tRNS_to_alpha(state.png);
  }
  if (bit_depth < 8) png_set_packing(state.png);  // one sample per byte, values kept (0…2^depth−1)
  if (bit_depth == 16 && detail::is_little_endian_host()) png_set_swap(state.png);
  png_uint_32 res_x = 0, res_y = 0;
  int unit = 0;
  if (png_get_pHYs(state.png, state.info, &res_x, &res_y, &unit) && unit == PNG_RESOLUTION_METER && res_x > 0 &&
      res_y > 0) {
    spacing_x = 1000.0 / res_x;
    spacing_y = 1000.0 / res_y;
  }
  png_read_update_info(state.png, state.info);
  channels = png_get_channels(state.png, state.info);
  const std::size_t row_bytes = png_get_rowbytes(state.png, state.info);
  // Decode straight into the array (no second copy).
  std::vector<std::size_t> shape = {height, width};
  if (channels > 1) shape.push_back(static_cast<std::size_t>(channels));
  unsigned char* destination = nullptr;
  if (bit_depth == 16) {
    pixels = xt::xarray<std::uint16_t>::from_shape(shape);
    destination = reinterpret_cast<unsigned char*>(std::get<xt::xarray<std::uint16_t>>(pixels).data());
  } else {
    pixels = xt::xarray<std::uint8_t>::from_shape(shape);
    destination = std::get<xt::xarray<std::uint8_t>>(pixels).data();
  }
  rows.resize(height);
  for (std::uint32_t r = 0; r < height; ++r) rows[r] = destination + r * row_bytes;
  png_read_image(state.png, rows.data());
  png_read_end(state.png, nullptr);

  Image image(std::move(pixels), {spacing_y, spacing_x}, {}, {}, Space::LPS,
              channels > 1 ? static_cast<std::size_t>(channels) : 0);
  image.metadata()["format"] = "png";
  image.metadata()["bit_depth"] = std::to_string(bit_depth);
  return image;
}

/// Writes a 2-D uint8 or uint16 image as an 8- or 16-bit PNG: gray (no channel axis), gray + alpha
/// (2 channels), RGB (3) or RGBA (4). Spacing other than 1 is kept in a pHYs chunk. Written
/// atomically (a complete file or none). Other pixel types throw: convert or scale first.
///
/// Example:
///   xt::xarray<std::uint16_t> pixels = xt::zeros<std::uint16_t>({256, 256});
///   osteon::io::write_png("blank.png", osteon::io::Image(pixels));
inline void write_png(const std::string& path, const Image& image) {
  constexpr const char* function = "write_png";
  const PixelType type = image.pixel_type();
  OSTEON_CHECK_ARG(type == PixelType::uint8 || type == PixelType::uint16, function, ": '", path, "': pixels are ",
                   pixel_type_name(type), "; PNG holds uint8 or uint16 (convert with as<std::uint8_t>() or "
                   "as<std::uint16_t>() after scaling)");
  OSTEON_CHECK_ARG(image.ndim() == 2, function, ": '", path, "': PNG holds 2-D images, this one has ", image.ndim(),
                   " spatial axes");
  const std::size_t channels = image.channels() == 0 ? 1 : image.channels();
  OSTEON_CHECK_ARG(channels <= 4, function, ": '", path, "': PNG holds 1 to 4 channels, got ", channels);
  const std::vector<std::size_t> shape = image.shape();
  OSTEON_CHECK_ARG(shape[0] > 0 && shape[1] > 0 && shape[0] <= 0x7fffffff && shape[1] <= 0x7fffffff, function,
                   ": '", path, "': image size ", shape[0], "x", shape[1], " cannot be a PNG");
  static const int color_types[] = {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                    PNG_COLOR_TYPE_RGB_ALPHA};
  const int bit_depth = type == PixelType::uint16 ? 16 : 8;
  const auto* bytes = static_cast<const unsigned char*>(
      std::visit([](const auto& a) { return static_cast<const void*>(a.data()); }, image.pixels()));
  const std::size_t row_bytes = shape[1] * channels * (bit_depth / 8);
  write_file_atomically(path, function, [&](std::ostream& out) {
    detail::PngState state;
    state.writing = true;
    state.out = &out;
    std::vector<png_bytep> rows(shape[0]);
    for (std::size_t r = 0; r < shape[0]; ++r) rows[r] = const_cast<png_bytep>(bytes + r * row_bytes);
    state.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, detail::png_error_to_state,
                                        detail::png_ignore_warning);
    if (state.png == nullptr) detail::fail_file(function, path, "libpng could not start (out of memory)");
    state.info = png_create_info_struct(state.png);
    if (state.info == nullptr) detail::fail_file(function, path, "libpng could not start (out of memory)");
    if (setjmp(png_jmpbuf(state.png))) detail::fail_file(function, path, "libpng: ", state.message);
    png_set_write_fn(state.png, &state, detail::png_write_to_stream, detail::png_flush_stream);
    png_set_IHDR(state.png, state.info, static_cast<png_uint_32>(shape[1]), static_cast<png_uint_32>(shape[0]),
                 bit_depth, color_types[channels - 1], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    const double spacing_y = image.spacing()[0], spacing_x = image.spacing()[1];
    if (spacing_y != 1.0 || spacing_x != 1.0) {
      png_set_pHYs(state.png, state.info, static_cast<png_uint_32>(std::lround(1000.0 / spacing_x)),
                   static_cast<png_uint_32>(std::lround(1000.0 / spacing_y)), PNG_RESOLUTION_METER);
    }
    png_write_info(state.png, state.info);
    if (bit_depth == 16 && detail::is_little_endian_host()) png_set_swap(state.png);
    png_write_image(state.png, rows.data());
    png_write_end(state.png, nullptr);
  });
}

}  // namespace osteon::io
