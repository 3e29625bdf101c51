#pragma once
/// @file
/// Options shared by the readers (`read_image`, `read_nifti`, `read_dicom`, `read_dicom_series`).
///
/// Example:
///   auto ct = osteon::io::read_image("ct.nii.gz", osteon::io::ReadOptions().space(osteon::io::Space::LPS));
///   auto raw = osteon::io::read_dicom("slice.dcm", osteon::io::ReadOptions().rescale(false));

#include <optional>

#include "osteon/core/options.hpp"
#include "osteon/io/image.hpp"

namespace osteon::io {

struct ReadOptions {
  /// World frame of the result's origin / direction; unset = the format's own (NIfTI RAS, DICOM
  /// LPS; 2-D PNG / JPEG / TIFF LPS, rows downward as DICOM's).
  OSTEON_ARG(std::optional<Space>, space) = std::nullopt;
  /// Apply DICOM Rescale Slope / Intercept (HU for CT) and NIfTI scl_slope / scl_inter (as
  /// pydicom's `apply_modality_lut` and nibabel's `get_fdata`); false keeps the stored values.
  OSTEON_ARG(bool, rescale) = true;
  /// DICOM MONOCHROME1 (low values shown white, as many radiographs): invert to MONOCHROME2 so that
  /// bone is bright in every image — stored' = (2^BitsStored − 1) − stored for unsigned pixels,
  /// −1 − stored for signed ones (the bitwise complement within BitsStored), before rescaling.
  OSTEON_ARG(bool, invert_monochrome1) = true;
};

/// `image` in `options.space()` when set, else unchanged.
inline Image apply_space(Image image, const ReadOptions& options) {
  if (options.space().has_value()) return image.in_space(*options.space());
  return image;
}

}  // namespace osteon::io
