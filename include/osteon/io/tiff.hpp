#pragma once
/// @file
/// TIFF files through libtiff: `read_tiff` reads the first page (directory) of a striped or tiled
/// TIFF with contiguous samples — 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) samples of
/// unsigned or signed 8/16/32-bit integers or 32/64-bit floats — as (rows, columns[, channels]),
/// in the stored type; MINISWHITE (inverted gray) is returned as stored, with
/// `metadata()["photometric"] = "miniswhite"`. Palette, YCbCr-subsampled, bit-packed (1/2/4-bit)
/// and planar-separate files are refused with the reason. Spacing from X/YResolution when the
/// unit is inch or cm, else 1.
///
/// Example:
///   osteon::io::Image slide = osteon::io::read_tiff("scan.tif");

#include <tiffio.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "osteon/io/detail/image_file.hpp"
#include "osteon/io/image.hpp"

namespace osteon::io {

namespace detail {

/// libtiff's per-file error handler (TIFFOpenExt): keeps the first message, the caller throws.
inline int tiff_record_error(TIFF*, void* user_data, const char* module, const char* format, va_list arguments) {
  auto* message = static_cast<std::string*>(user_data);
  if (!message->empty()) return 1;
  char text[512];
  std::vsnprintf(text, sizeof(text), format, arguments);
  *message = (module != nullptr ? std::string(module) + ": " : std::string()) + text;
  return 1;
}
inline int tiff_ignore_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

struct TiffFile {
  TIFF* handle = nullptr;
  ~TiffFile() {
    if (handle != nullptr) TIFFClose(handle);
  }
};

template <typename T>
PixelArray tiff_pixels(const std::vector<unsigned char>& bytes, const std::vector<std::size_t>& shape) {
  auto array = xt::xarray<T>::from_shape(shape);
  std::memcpy(array.data(), bytes.data(), array.size() * sizeof(T));
  return array;
}

}  // namespace detail

/// Reads the first page of a TIFF file. Throws std::invalid_argument naming the file for a
/// missing, truncated or corrupt file, one that is not a TIFF, or a layout listed above as refused.
///
/// Example:
///   auto image = osteon::io::read_tiff("radiograph.tif");   // uint16 (rows, cols) for a 16-bit scan
inline Image read_tiff(const std::string& path) {
  constexpr const char* function = "read_tiff";
  const std::vector<unsigned char> head = detail::read_file_head(function, path, 4);
  const bool little = head.size() == 4 && head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0;
  const bool big = head.size() == 4 && head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
  if (!little && !big) detail::fail_file(function, path, "not a TIFF file");
  std::string message;
  TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(options, detail::tiff_record_error, &message);
  TIFFOpenOptionsSetWarningHandlerExtR(options, detail::tiff_ignore_warning, nullptr);
  detail::TiffFile file;
  file.handle = TIFFOpenExt(path.c_str(), "r", options);
  TIFFOpenOptionsFree(options);
  if (file.handle == nullptr) detail::fail_file(function, path, "corrupt TIFF: ", message);
  TIFF* tiff = file.handle;
  std::uint32_t width = 0, height = 0;
  std::uint16_t samples = 1, bits = 1, format = SAMPLEFORMAT_UINT, planar = PLANARCONFIG_CONTIG, photometric = 0;
  TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLEFORMAT, &format);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &photometric);
  if (width == 0 || height == 0) detail::fail_file(function, path, "image size ", width, "x", height);
  if (photometric == PHOTOMETRIC_PALETTE) detail::fail_file(function, path, "palette TIFF is not supported");
  if (photometric == PHOTOMETRIC_YCBCR || photometric == PHOTOMETRIC_SEPARATED) {
    detail::fail_file(function, path, "YCbCr / CMYK TIFF is not supported (photometric ", photometric, ")");
  }
  if (samples < 1 || samples > 4) detail::fail_file(function, path, samples, " samples per pixel (1 to 4 are read)");
  if (samples > 1 && planar != PLANARCONFIG_CONTIG) detail::fail_file(function, path, "planar-separate TIFF is not supported");
  if (bits != 8 && bits != 16 && bits != 32 && bits != 64) {
    detail::fail_file(function, path, bits, "-bit samples are not supported (8, 16, 32 or 64)");
  }
  const bool is_float = format == SAMPLEFORMAT_IEEEFP;
  const bool is_signed = format == SAMPLEFORMAT_INT;
  if (!is_float && !is_signed && format != SAMPLEFORMAT_UINT) {
    detail::fail_file(function, path, "sample format ", format, " is not supported");
  }
  if (is_float && bits != 32 && bits != 64) detail::fail_file(function, path, bits, "-bit floats are not supported");

  const std::size_t pixel_bytes = static_cast<std::size_t>(samples) * bits / 8;
  const std::size_t row_bytes = pixel_bytes * width;
  std::vector<unsigned char> bytes(row_bytes * height);
  if (TIFFIsTiled(tiff)) {
    std::uint32_t tile_width = 0, tile_height = 0;
    TIFFGetField(tiff, TIFFTAG_TILEWIDTH, &tile_width);
    TIFFGetField(tiff, TIFFTAG_TILELENGTH, &tile_height);
    std::vector<unsigned char> tile(static_cast<std::size_t>(TIFFTileSize(tiff)));
    for (std::uint32_t y = 0; y < height; y += tile_height) {
      for (std::uint32_t x = 0; x < width; x += tile_width) {
        if (TIFFReadTile(tiff, tile.data(), x, y, 0, 0) < 0) {
          detail::fail_file(function, path, "corrupt or truncated TIFF tile at (", y, ", ", x, "): ", message);
        }
        const std::uint32_t copy_rows = std::min(tile_height, height - y);
        const std::size_t copy_bytes = static_cast<std::size_t>(std::min(tile_width, width - x)) * pixel_bytes;
        for (std::uint32_t r = 0; r < copy_rows; ++r) {
          std::memcpy(bytes.data() + (y + r) * row_bytes + x * pixel_bytes,
                      tile.data() + static_cast<std::size_t>(r) * tile_width * pixel_bytes, copy_bytes);
        }
      }
    }
  } else {
    for (std::uint32_t r = 0; r < height; ++r) {
      if (TIFFReadScanline(tiff, bytes.data() + r * row_bytes, r, 0) < 0) {
        detail::fail_file(function, path, "corrupt or truncated TIFF at row ", r, ": ", message);
      }
    }
  }
  if (!message.empty()) detail::fail_file(function, path, "corrupt TIFF: ", message);

  std::vector<std::size_t> shape = {height, width};
  if (samples > 1) shape.push_back(samples);
  PixelArray pixels;
  if (is_float) {
    pixels = bits == 32 ? detail::tiff_pixels<float>(bytes, shape) : detail::tiff_pixels<double>(bytes, shape);
  } else if (bits == 8) {
    pixels = is_signed ? detail::tiff_pixels<std::int8_t>(bytes, shape) : detail::tiff_pixels<std::uint8_t>(bytes, shape);
  } else if (bits == 16) {
    pixels = is_signed ? detail::tiff_pixels<std::int16_t>(bytes, shape) : detail::tiff_pixels<std::uint16_t>(bytes, shape);
  } else if (bits == 32) {
    pixels = is_signed ? detail::tiff_pixels<std::int32_t>(bytes, shape) : detail::tiff_pixels<std::uint32_t>(bytes, shape);
  } else {
    pixels = is_signed ? detail::tiff_pixels<std::int64_t>(bytes, shape) : detail::tiff_pixels<std::uint64_t>(bytes, shape);
  }
  double spacing_y = 1.0, spacing_x = 1.0;
  float resolution_x = 0, resolution_y = 0;
  std::uint16_t unit = RESUNIT_NONE;
  TIFFGetFieldDefaulted(tiff, TIFFTAG_RESOLUTIONUNIT, &unit);
  if (TIFFGetField(tiff, TIFFTAG_XRESOLUTION, &resolution_x) && TIFFGetField(tiff, TIFFTAG_YRESOLUTION, &resolution_y) &&
      resolution_x > 0 && resolution_y > 0 && (unit == RESUNIT_INCH || unit == RESUNIT_CENTIMETER)) {
    const double per_unit = unit == RESUNIT_INCH ? 25.4 : 10.0;
    spacing_x = per_unit / resolution_x;
    spacing_y = per_unit / resolution_y;
  }
  Image image(std::move(pixels), {spacing_y, spacing_x}, {}, {}, Space::LPS, samples > 1 ? samples : 0);
  image.metadata()["format"] = "tiff";
  if (photometric == PHOTOMETRIC_MINISWHITE) image.metadata()["photometric"] = "miniswhite";
  return image;
}

}  // namespace osteon::io
