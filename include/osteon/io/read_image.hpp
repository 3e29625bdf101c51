#pragma once
/// @file
/// `read_image(path)`: one entry point for every format osteon reads, chosen by the file's
/// content (magic bytes), not its name — PNG, JPEG, TIFF, NIfTI-1 / -2 (`.nii`, gzipped or not)
/// and DICOM (with or without the 128-byte preamble); a folder is read as one DICOM series.
/// `write_image(path, image)` writes NIfTI (`.nii`, `.nii.gz`) or PNG (`.png`) by the file name.
///
/// Example:
///   auto ct = osteon::io::read_image("ct.nii.gz");                 // NIfTI, RAS
///   auto dx = osteon::io::read_image("hip_ap.dcm");                // DICOM, 2-D
///   auto series = osteon::io::read_image("patient_001/ct");        // a folder: DICOM series
///   osteon::io::write_image("mask.nii.gz", ct.with_pixels(xt::xarray<std::uint8_t>(xt::cast<std::uint8_t>(ct.as<float>() > 200.0f))));

#include <filesystem>
#include <string>
#include <vector>

#include "osteon/io/detail/image_file.hpp"
#include "osteon/io/dicom.hpp"
#include "osteon/io/image.hpp"
#include "osteon/io/jpeg.hpp"
#include "osteon/io/nifti.hpp"
#include "osteon/io/png.hpp"
#include "osteon/io/read_options.hpp"
#include "osteon/io/tiff.hpp"

namespace osteon::io {

/// What `read_image` recognises in a file's first bytes.
enum class ImageFormat { png, jpeg, tiff, nifti, dicom, unknown };

/// The format of the file at `path` from its first 544 bytes (gzip is taken for NIfTI, the only
/// gzipped format osteon reads). Throws for a missing file.
inline ImageFormat detect_image_format(const std::string& path) {
  const std::vector<unsigned char> head = detail::read_file_head("read_image", path, 544);
  const std::size_t n = head.size();
  static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (n >= 8 && std::memcmp(head.data(), png_magic, 8) == 0) return ImageFormat::png;
  if (n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) return ImageFormat::jpeg;
  // DICOM before TIFF: a DICOM preamble may hold a TIFF header (dual-personality files).
  if (detail::has_dicm_preamble(head)) return ImageFormat::dicom;
  if (n >= 4 && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0) ||
                 (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)))) {
    return ImageFormat::tiff;
  }
  if (detail::is_gzip(head.data(), n) || detail::nifti_version(head.data(), n) != 0) return ImageFormat::nifti;
  if (detail::looks_like_raw_dicom(head)) return ImageFormat::dicom;
  return ImageFormat::unknown;
}

/// Reads an image or volume by content (see the file comment); `options` apply to DICOM and
/// NIfTI (space also to the 2-D formats). Throws std::invalid_argument naming the file for a
/// missing, truncated or corrupt file, an unknown format, or what the format's reader refuses.
///
/// Example:
///   auto image = osteon::io::read_image("knee.png");
///   auto volume = osteon::io::read_image("ct.nii.gz", osteon::io::ReadOptions().space(osteon::io::Space::LPS));
inline Image read_image(const std::string& path, const ReadOptions& options = {}) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return read_dicom_series(path, options);
  switch (detect_image_format(path)) {
    case ImageFormat::png: return apply_space(read_png(path), options);
    case ImageFormat::jpeg: return apply_space(read_jpeg(path), options);
    case ImageFormat::tiff: return apply_space(read_tiff(path), options);
    case ImageFormat::nifti: return read_nifti(path, options);
    case ImageFormat::dicom: return read_dicom(path, options);
    case ImageFormat::unknown: break;
  }
  detail::fail_file("read_image", path, "unknown image format (not PNG, JPEG, TIFF, NIfTI or DICOM)");
}

/// Writes `image` by the file name: `.nii` / `.nii.gz` (any pixel type, geometry kept) or `.png`
/// (2-D uint8 / uint16). Atomic. Throws std::invalid_argument for another ending.
///
/// Example:
///   osteon::io::write_image("prediction.nii.gz", ct.with_pixels(std::move(mask)));
inline void write_image(const std::string& path, const Image& image) {
  if (detail::has_suffix(path, ".nii") || detail::has_suffix(path, ".nii.gz")) return write_nifti(path, image);
  if (detail::has_suffix(path, ".png")) return write_png(path, image);
  throw std::invalid_argument(::osteon::detail::concat(
      "write_image: '", path, "': unknown file ending; osteon writes .nii, .nii.gz and .png"));
}

}  // namespace osteon::io
