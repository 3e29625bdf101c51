#pragma once
/// @file
/// NIfTI-1 and NIfTI-2 single files (`.nii`, `.nii.gz`): `read_nifti` and `write_nifti`, with
/// nifticlib (libnifti2) for the headers — its conversion of the 348- / 540-byte header (either
/// byte order) into an image description, quaternion ↔ matrix conversions and header writing —
/// and whole-buffer gzip (libdeflate, zlib fallback) for the voxel bytes.
///
/// Reading. Voxel types uint8 … float64 (DT_UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64,
/// INT64, FLOAT32, FLOAT64); RGB, complex and float128 data are refused. The array is
/// (k, j, i) = (nz, ny, nx): NIfTI's voxel order is i fastest, which is C order read backwards, so
/// the bytes are the file's. A 2-D file is a volume of one slice (1, ny, nx); 4-D files with more
/// than one time point or component are refused (osteon reads 3-D volumes). scl_slope /
/// scl_inter are applied as nibabel's `get_fdata` does (a slope of 0 or NaN means none; the result
/// is float32 for ≤ 16-bit or float32 data, float64 otherwise), unless `ReadOptions::rescale` is
/// false. Geometry follows nibabel's `get_best_affine`: the sform when sform_code ≠ 0, else the
/// qform when qform_code ≠ 0, else nibabel's base affine (pixdim scaling, x flipped, centred), so
/// `image.affine()` equals nibabel's `img.affine`; spacing is the length of each affine column.
/// World coordinates are RAS (NIfTI's frame).
///
/// Writing. The pixels in their own type, the image's affine (converted to RAS) as sform and qform
/// (sform_code / qform_code from the image's metadata when it was read from NIfTI, else 1 =
/// scanner), pixdim = spacing; NIfTI-2 when a dimension exceeds NIfTI-1's 32767. `.nii.gz` is
/// gzip-compressed. The file is written atomically.
///
/// Example:
///   auto ct = osteon::io::read_nifti("femur_ct.nii.gz");            // (k, j, i) float32 HU
///   xt::xarray<std::uint8_t> mask = xt::cast<std::uint8_t>(ct.array<float>() > 200.0f);
///   osteon::io::write_nifti("femur_mask.nii.gz", ct.with_pixels(std::move(mask)));  // ct's geometry

#include <nifti2_io.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "osteon/core/atomic_file.hpp"
#include "osteon/io/detail/gzip.hpp"
#include "osteon/io/detail/image_file.hpp"
#include "osteon/io/image.hpp"
#include "osteon/io/read_options.hpp"

namespace osteon::io {

namespace detail {

using NiftiImagePtr = std::unique_ptr<nifti_image, void (*)(nifti_image*)>;

inline std::int32_t byte_swapped(std::int32_t value) {
  const auto u = static_cast<std::uint32_t>(value);
  return static_cast<std::int32_t>((u >> 24) | ((u >> 8) & 0xFF00u) | ((u << 8) & 0xFF0000u) | (u << 24));
}

/// The NIfTI version (1 or 2) of a header's first bytes, 0 when it is not NIfTI.
inline int nifti_version(const unsigned char* bytes, std::size_t size) {
  if (size < 4) return 0;
  std::int32_t sizeof_hdr = 0;
  std::memcpy(&sizeof_hdr, bytes, 4);
  if (sizeof_hdr == 348 || byte_swapped(sizeof_hdr) == 348) return size >= 348 ? 1 : -1;
  if (sizeof_hdr == 540 || byte_swapped(sizeof_hdr) == 540) return size >= 540 ? 2 : -1;
  return 0;
}

/// nifticlib's description of the header at `bytes` (converted to native byte order), or an
/// exception naming the file.
inline NiftiImagePtr parse_nifti_header(const unsigned char* bytes, std::size_t size, const char* function,
                                        const std::string& path) {
  const int version = nifti_version(bytes, size);
  if (version == 0) fail_file(function, path, "not a NIfTI file (no 348- or 540-byte header)");
  if (version < 0) fail_file(function, path, "truncated NIfTI header (", size, " bytes)");
  nifti_set_debug_level(0);
  nifti_image* nim = nullptr;
  if (version == 1) {
    nifti_1_header header;
    std::memcpy(&header, bytes, sizeof(header));
    if (std::memcmp(header.magic, "ni1", 4) == 0) {
      fail_file(function, path, "two-file NIfTI (.hdr / .img) is not read; convert it to a single .nii");
    }
    if (std::memcmp(header.magic, "n+1", 4) != 0) fail_file(function, path, "NIfTI-1 header without the 'n+1' magic");
    nim = nifti_convert_n1hdr2nim(header, path.c_str());
  } else {
    nifti_2_header header;
    std::memcpy(&header, bytes, sizeof(header));
    if (std::memcmp(header.magic, "n+2", 4) != 0) {
      fail_file(function, path, "NIfTI-2 header without the 'n+2' magic (two-file NIfTI-2 is not read)");
    }
    nim = nifti_convert_n2hdr2nim(header, path.c_str());
  }
  if (nim == nullptr) fail_file(function, path, "invalid NIfTI header (nifticlib refused it)");
  return NiftiImagePtr(nim, nifti_image_free);
}

inline PixelType nifti_pixel_type(int datatype, const char* function, const std::string& path) {
  switch (datatype) {
    case DT_UINT8: return PixelType::uint8;
    case DT_INT8: return PixelType::int8;
    case DT_UINT16: return PixelType::uint16;
    case DT_INT16: return PixelType::int16;
    case DT_UINT32: return PixelType::uint32;
    case DT_INT32: return PixelType::int32;
    case DT_UINT64: return PixelType::uint64;
    case DT_INT64: return PixelType::int64;
    case DT_FLOAT32: return PixelType::float32;
    case DT_FLOAT64: return PixelType::float64;
    default: break;
  }
  fail_file(function, path, "unsupported NIfTI datatype ", datatype, " (", nifti_datatype_string(datatype),
            "); osteon reads uint8 … float64");
}

inline int nifti_datatype(PixelType type) {
  switch (type) {
    case PixelType::uint8: return DT_UINT8;
    case PixelType::int8: return DT_INT8;
    case PixelType::uint16: return DT_UINT16;
    case PixelType::int16: return DT_INT16;
    case PixelType::uint32: return DT_UINT32;
    case PixelType::int32: return DT_INT32;
    case PixelType::uint64: return DT_UINT64;
    case PixelType::int64: return DT_INT64;
    case PixelType::float32: return DT_FLOAT32;
    case PixelType::float64: return DT_FLOAT64;
  }
  return DT_FLOAT32;
}

/// Spacing, origin and direction in osteon's order from an affine (i, j, k) → (x, y, z).
inline Image image_from_affine(PixelArray pixels, const double affine[4][4]) {
  std::vector<double> spacing(3), origin(3), direction(9);
  for (int c = 0; c < 3; ++c) {  // c: voxel axis i, j, k → array axis 2 - c
    const double length = std::sqrt(affine[0][c] * affine[0][c] + affine[1][c] * affine[1][c] +
                                    affine[2][c] * affine[2][c]);
    const double safe = length > 0 ? length : 1.0;
    spacing[2 - c] = safe;
    for (int r = 0; r < 3; ++r) direction[(2 - r) * 3 + (2 - c)] = length > 0 ? affine[r][c] / safe : (r == c);
  }
  for (int r = 0; r < 3; ++r) origin[2 - r] = affine[r][3];
  return Image(std::move(pixels), std::move(spacing), std::move(origin), std::move(direction), Space::RAS);
}

/// nibabel's `get_best_affine`: sform, qform, or the base affine (x flipped, centred).
inline void nibabel_best_affine(const nifti_image& nim, double out[4][4]) {
  const nifti_dmat44* chosen = nim.sform_code != 0 ? &nim.sto_xyz : nim.qform_code != 0 ? &nim.qto_xyz : nullptr;
  if (chosen != nullptr) {
    for (int r = 0; r < 4; ++r) {
      for (int c = 0; c < 4; ++c) out[r][c] = chosen->m[r][c];
    }
    return;
  }
  const double zooms[3] = {nim.dx, nim.dy, nim.dz};
  const double sizes[3] = {static_cast<double>(nim.nx), static_cast<double>(nim.ny), static_cast<double>(nim.nz)};
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) out[r][c] = r == c && r == 3 ? 1.0 : 0.0;
  }
  for (int a = 0; a < 3; ++a) {
    const double zoom = (zooms[a] == 0 || !std::isfinite(zooms[a])) ? 1.0 : zooms[a];
    const double signed_zoom = a == 0 ? -zoom : zoom;
    out[a][a] = signed_zoom;
    out[a][3] = -(sizes[a] - 1) / 2.0 * signed_zoom;
  }
}

/// Stored values × slope + inter in float32 (≤ 16-bit / float32 data) or float64.
template <typename Out, typename In>
PixelArray scaled(const xt::xarray<In>& stored, double slope, double inter) {
  auto out = xt::xarray<Out>::from_shape(stored.shape());
  const In* source = stored.data();
  Out* destination = out.data();
  for (std::size_t e = 0; e < stored.size(); ++e) {
    destination[e] = static_cast<Out>(static_cast<double>(source[e]) * slope + inter);
  }
  return out;
}

inline PixelArray apply_scaling(PixelArray stored, double slope, double inter) {
  return std::visit(
      [&](const auto& array) -> PixelArray {
        using T = typename std::decay_t<decltype(array)>::value_type;
        if constexpr (sizeof(T) <= 2 || std::is_same_v<T, float>) {
          return scaled<float>(array, slope, inter);
        } else {
          return scaled<double>(array, slope, inter);
        }
      },
      stored);
}

}  // namespace detail

/// Reads a `.nii` or `.nii.gz` file (NIfTI-1 or -2; see the file comment). Throws
/// std::invalid_argument naming the file for a missing, truncated or corrupt file, one that is not
/// NIfTI, an unsupported datatype or a 4-D series.
///
/// Example:
///   auto t1 = osteon::io::read_nifti("sij_t1.nii.gz");
///   auto affine = t1.affine();                 // == nibabel.load("sij_t1.nii.gz").affine
inline Image read_nifti(const std::string& path, const ReadOptions& options = {}) {
  constexpr const char* function = "read_nifti";
  detail::require_readable_file(function, path);
  std::vector<unsigned char> bytes;
  {
    detail::OpenFile file(function, path, "rb");
    std::fseek(file.handle, 0, SEEK_END);
    const long size = std::ftell(file.handle);
    std::fseek(file.handle, 0, SEEK_SET);
    if (size < 0) detail::fail_file(function, path, "cannot read the file size");
    bytes.resize(static_cast<std::size_t>(size));
    if (std::fread(bytes.data(), 1, bytes.size(), file.handle) != bytes.size()) {
      detail::fail_file(function, path, "read error");
    }
  }
  if (detail::is_gzip(bytes.data(), bytes.size())) bytes = detail::gunzip(bytes, function, path);
  const int version = detail::nifti_version(bytes.data(), bytes.size());
  detail::NiftiImagePtr nim = detail::parse_nifti_header(bytes.data(), bytes.size(), function, path);
  for (int d = 4; d <= 7; ++d) {
    if (nim->dim[0] >= d && nim->dim[d] > 1) {
      detail::fail_file(function, path, nim->dim[0], "-D NIfTI (dim[", d, "] = ", nim->dim[d],
                        ") is not read: osteon reads 3-D volumes (split the series first)");
    }
  }
  const PixelType stored_type = detail::nifti_pixel_type(nim->datatype, function, path);
  const std::vector<std::size_t> shape = {static_cast<std::size_t>(std::max<int64_t>(nim->nz, 1)),
                                          static_cast<std::size_t>(std::max<int64_t>(nim->ny, 1)),
                                          static_cast<std::size_t>(std::max<int64_t>(nim->nx, 1))};
  const std::size_t voxels = shape[0] * shape[1] * shape[2];
  const std::size_t offset = static_cast<std::size_t>(nim->iname_offset);
  const std::size_t element = static_cast<std::size_t>(nim->nbyper);
  if (offset > bytes.size() || (bytes.size() - offset) / element < voxels) {
    detail::fail_file(function, path, "truncated: the header promises ", voxels, " voxels of ", element,
                      " bytes from offset ", offset, ", the (decompressed) file has ", bytes.size(), " bytes");
  }
  const bool swap = nim->byteorder != nifti_short_order();
  PixelArray pixels = with_pixel_type(stored_type, [&](auto tag) -> PixelArray {
    using T = decltype(tag);
    auto array = xt::xarray<T>::from_shape(shape);
    std::memcpy(array.data(), bytes.data() + offset, voxels * sizeof(T));
    if (swap && sizeof(T) > 1) nifti_swap_Nbytes(static_cast<int64_t>(voxels), sizeof(T), array.data());
    return array;
  });
  bytes = {};  // release the file's bytes before any scaling copy
  double slope = nim->scl_slope, inter = nim->scl_inter;
  if (slope == 0 || !std::isfinite(slope)) slope = 1.0;
  if (!std::isfinite(inter)) inter = 0.0;
  const bool scale = options.rescale() && (slope != 1.0 || inter != 0.0);
  if (scale) pixels = detail::apply_scaling(std::move(pixels), slope, inter);
  double affine[4][4];
  detail::nibabel_best_affine(*nim, affine);
  Image image = detail::image_from_affine(std::move(pixels), affine);
  image.set_source_pixel_type(stored_type);
  auto& metadata = image.metadata();
  metadata["format"] = version == 2 ? "nifti2" : "nifti1";
  metadata["sform_code"] = std::to_string(nim->sform_code);
  metadata["qform_code"] = std::to_string(nim->qform_code);
  metadata["scl_slope"] = ::osteon::detail::concat(nim->scl_slope);
  metadata["scl_inter"] = ::osteon::detail::concat(nim->scl_inter);
  metadata["descrip"] = std::string(nim->descrip, strnlen(nim->descrip, sizeof(nim->descrip)));
  return apply_space(std::move(image), options);
}

/// Writes `image` (2-D or 3-D, any pixel type) as `.nii` or `.nii.gz` (by the ending), keeping its
/// geometry; see the file comment. Throws std::invalid_argument for another ending or an image
/// with a channel axis.
///
/// Example:
///   auto ct = osteon::io::read_nifti("ct.nii.gz");
///   osteon::io::write_nifti("copy.nii.gz", ct);    // nibabel reads the same values and affine
inline void write_nifti(const std::string& path, const Image& image) {
  constexpr const char* function = "write_nifti";
  const bool compressed = detail::has_suffix(path, ".nii.gz");
  OSTEON_CHECK_ARG(compressed || detail::has_suffix(path, ".nii"), function, ": '", path,
                   "': the file name must end in .nii or .nii.gz");
  OSTEON_CHECK_ARG(image.channels() == 0, function, ": '", path, "': images with a channel axis (",
                   image.channels(), " channels) are not written as NIfTI; write one file per channel");
  OSTEON_CHECK_ARG(image.ndim() == 2 || image.ndim() == 3, function, ": '", path, "': NIfTI volumes are 2-D or 3-D, got ",
                   image.ndim(), " spatial axes");
  OSTEON_CHECK_ARG(image.size() > 0, function, ": '", path, "': the image is empty");
  // The same image as a 3-D volume in RAS: a 2-D image becomes one slice of thickness 1.
  const Image ras = image.in_space(Space::RAS);
  std::vector<std::size_t> shape = ras.shape();
  std::vector<double> spacing = ras.spacing(), origin = ras.origin(), direction = ras.direction();
  if (ras.ndim() == 2) {
    shape.insert(shape.begin(), 1);
    spacing.insert(spacing.begin(), 1.0);
    origin.insert(origin.begin(), 0.0);
    direction = {1, 0, 0, 0, direction[0], direction[1], 0, direction[2], direction[3]};
  }
  const Image volume(PixelArray(xt::xarray<std::uint8_t>::from_shape({1, 1, 1})), spacing, origin, direction, Space::RAS);
  const auto affine = volume.affine();
  const bool nifti2 = shape[0] > 32767 || shape[1] > 32767 || shape[2] > 32767;
  const int64_t dims[8] = {3, static_cast<int64_t>(shape[2]), static_cast<int64_t>(shape[1]),
                           static_cast<int64_t>(shape[0]), 1, 1, 1, 1};
  detail::NiftiImagePtr nim(nifti_make_new_nim(dims, detail::nifti_datatype(image.pixel_type()), 0), nifti_image_free);
  if (!nim) detail::fail_file(function, path, "nifticlib could not create the header");
  nim->nifti_type = nifti2 ? NIFTI_FTYPE_NIFTI2_1 : NIFTI_FTYPE_NIFTI1_1;
  nim->dx = nim->pixdim[1] = spacing[2];
  nim->dy = nim->pixdim[2] = spacing[1];
  nim->dz = nim->pixdim[3] = spacing[0];
  nim->xyz_units = NIFTI_UNITS_MM;
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) nim->sto_xyz.m[r][c] = affine(r, c);
  }
  nim->sto_ijk = nifti_dmat44_inverse(nim->sto_xyz);
  double qfac = 1.0, ignored_dx, ignored_dy, ignored_dz;
  nifti_dmat44_to_quatern(nim->sto_xyz, &nim->quatern_b, &nim->quatern_c, &nim->quatern_d, &nim->qoffset_x,
                          &nim->qoffset_y, &nim->qoffset_z, &ignored_dx, &ignored_dy, &ignored_dz, &qfac);
  nim->qfac = qfac;
  nim->pixdim[0] = qfac;
  nim->qto_xyz = nifti_quatern_to_dmat44(nim->quatern_b, nim->quatern_c, nim->quatern_d, nim->qoffset_x,
                                         nim->qoffset_y, nim->qoffset_z, nim->dx, nim->dy, nim->dz, qfac);
  nim->qto_ijk = nifti_dmat44_inverse(nim->qto_xyz);
  auto code_from = [&](const char* key) {
    const auto it = image.metadata().find(key);
    if (it == image.metadata().end()) return static_cast<int>(NIFTI_XFORM_SCANNER_ANAT);
    const int code = std::atoi(it->second.c_str());
    return code > 0 && code <= 5 ? code : static_cast<int>(NIFTI_XFORM_SCANNER_ANAT);
  };
  nim->sform_code = code_from("sform_code");
  nim->qform_code = code_from("qform_code");
  nim->scl_slope = 0.0;
  nim->scl_inter = 0.0;
  const auto descrip = image.metadata().find("descrip");
  if (descrip != image.metadata().end()) {
    std::snprintf(nim->descrip, sizeof(nim->descrip), "%s", descrip->second.c_str());
  }
  nifti_set_iname_offset(nim.get(), nifti2 ? 2 : 1);
  const std::size_t offset = static_cast<std::size_t>(nim->iname_offset);

  // header, zero extension flag up to vox_offset, then the voxels (C order (k, j, i) = NIfTI's).
  std::vector<unsigned char> header_bytes(offset, 0);
  if (nifti2) {
    nifti_2_header header;
    if (nifti_convert_nim2n2hdr(nim.get(), &header) != 0) detail::fail_file(function, path, "nifticlib: bad header");
    std::memcpy(header_bytes.data(), &header, sizeof(header));
  } else {
    nifti_1_header header;
    if (nifti_convert_nim2n1hdr(nim.get(), &header) != 0) detail::fail_file(function, path, "nifticlib: bad header");
    std::memcpy(header_bytes.data(), &header, sizeof(header));
  }
  const auto* voxels = static_cast<const unsigned char*>(
      std::visit([](const auto& a) { return static_cast<const void*>(a.data()); }, image.pixels()));
  const std::size_t voxel_bytes =
      image.size() * with_pixel_type(image.pixel_type(), [](auto tag) { return sizeof(tag); });
  write_file_atomically(path, function, [&](std::ostream& out) {
    if (compressed) {
      std::vector<unsigned char> raw(offset + voxel_bytes);
      std::memcpy(raw.data(), header_bytes.data(), offset);
      std::memcpy(raw.data() + offset, voxels, voxel_bytes);
      const std::vector<unsigned char> gz = detail::gzip(raw.data(), raw.size(), 6, function, path);
      out.write(reinterpret_cast<const char*>(gz.data()), static_cast<std::streamsize>(gz.size()));
    } else {
      out.write(reinterpret_cast<const char*>(header_bytes.data()), static_cast<std::streamsize>(offset));
      out.write(reinterpret_cast<const char*>(voxels), static_cast<std::streamsize>(voxel_bytes));
    }
  });
}

}  // namespace osteon::io
