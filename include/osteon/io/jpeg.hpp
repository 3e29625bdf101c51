#pragma once
/// @file
/// JPEG files through libjpeg(-turbo): `read_jpeg` decodes baseline and progressive 8-bit JPEG to
/// uint8 (rows, columns) for grayscale or (rows, columns, 3) RGB for colour, with libjpeg's
/// defaults (islow DCT, fancy upsampling), which is what PIL does with the same library, so the
/// pixels equal PIL's `np.asarray(Image.open(path))`. CMYK / YCCK files are refused. A corrupt or
/// truncated file is an error, not a grey-filled image: libjpeg's premature-end warnings, after
/// which it would pad the picture, are raised as errors. Spacing from the JFIF density when it is
/// in dots per inch (25.4 / dpi mm) or per cm (10 / dpcm mm), else 1.
///
/// Example:
///   osteon::io::Image photo = osteon::io::read_jpeg("wrist.jpg");   // (rows, cols[, 3]) uint8

#include <cstddef>  // jpeglib.h needs size_t and FILE declared first
#include <cstdio>

#include <jpeglib.h>
#include <jerror.h>

#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "osteon/io/detail/image_file.hpp"
#include "osteon/io/image.hpp"

namespace osteon::io {

namespace detail {

/// libjpeg's error manager extended with the jump buffer (error_exit must not return).
struct JpegErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = "";
};

inline void jpeg_error_exit(j_common_ptr info) {
  auto* manager = reinterpret_cast<JpegErrorManager*>(info->err);
  (*info->err->format_message)(info, manager->message);
  std::longjmp(manager->jump, 1);
}

/// Level −1 is a corrupt-data warning. For a premature end of the file or of the entropy-coded
/// data libjpeg would pad the picture with grey: stop instead. Other warnings (extraneous bytes
/// before a marker, as many cameras write) leave the pixels intact, as PIL treats them.
inline void jpeg_emit_message(j_common_ptr info, int level) {
  if (level < 0 && (info->err->msg_code == JWRN_JPEG_EOF || info->err->msg_code == JWRN_HIT_MARKER)) {
    jpeg_error_exit(info);
  }
}

struct JpegDecompressor {
  jpeg_decompress_struct info{};
  bool created = false;
  ~JpegDecompressor() {
    if (created) jpeg_destroy_decompress(&info);
  }
};

}  // namespace detail

/// Reads a JPEG file. Throws std::invalid_argument naming the file for a missing, truncated or
/// corrupt file, one that is not a JPEG, or a CMYK / YCCK one.
///
/// Example:
///   auto image = osteon::io::read_jpeg("hand.jpg");
///   bool colour = image.channels() == 3;
inline Image read_jpeg(const std::string& path) {
  constexpr const char* function = "read_jpeg";
  const std::vector<unsigned char> head = detail::read_file_head(function, path, 3);
  if (head.size() < 3 || head[0] != 0xFF || head[1] != 0xD8 || head[2] != 0xFF) {
    detail::fail_file(function, path, "not a JPEG file");
  }
  detail::OpenFile file(function, path, "rb");
  detail::JpegDecompressor decoder;
  detail::JpegErrorManager errors;
  std::vector<unsigned char> buffer;
  std::size_t rows = 0, columns = 0, channels = 0;
  double spacing_y = 1.0, spacing_x = 1.0;
  decoder.info.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = detail::jpeg_error_exit;
  errors.base.emit_message = detail::jpeg_emit_message;
  if (setjmp(errors.jump)) detail::fail_file(function, path, "corrupt or truncated JPEG: ", errors.message);
  jpeg_create_decompress(&decoder.info);
  decoder.created = true;
  jpeg_stdio_src(&decoder.info, file.handle);
  jpeg_read_header(&decoder.info, TRUE);
  const J_COLOR_SPACE colour = decoder.info.jpeg_color_space;
  if (colour == JCS_CMYK || colour == JCS_YCCK) {
    detail::fail_file(function, path, "CMYK / YCCK JPEG is not supported (convert it to RGB)");
  }
  decoder.info.out_color_space = decoder.info.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  if (decoder.info.saw_JFIF_marker && decoder.info.X_density > 0 && decoder.info.Y_density > 0) {
    const double per_unit = decoder.info.density_unit == 1 ? 25.4 : decoder.info.density_unit == 2 ? 10.0 : 0.0;
    if (per_unit > 0) {
      spacing_x = per_unit / decoder.info.X_density;
      spacing_y = per_unit / decoder.info.Y_density;
    }
  }
  jpeg_start_decompress(&decoder.info);
  rows = decoder.info.output_height;
  columns = decoder.info.output_width;
  channels = static_cast<std::size_t>(decoder.info.output_components);
  const std::size_t row_bytes = columns * channels;
  buffer.resize(rows * row_bytes);
  while (decoder.info.output_scanline < decoder.info.output_height) {
    JSAMPROW row = buffer.data() + static_cast<std::size_t>(decoder.info.output_scanline) * row_bytes;
    jpeg_read_scanlines(&decoder.info, &row, 1);
  }
  jpeg_finish_decompress(&decoder.info);

  std::vector<std::size_t> shape = {rows, columns};
  if (channels > 1) shape.push_back(channels);
  auto array = xt::xarray<std::uint8_t>::from_shape(shape);
  std::memcpy(array.data(), buffer.data(), buffer.size());
  Image image(PixelArray(std::move(array)), {spacing_y, spacing_x}, {}, {}, Space::LPS, channels > 1 ? channels : 0);
  image.metadata()["format"] = "jpeg";
  return image;
}

}  // namespace osteon::io
