#pragma once
/// @file
/// DICOM through GDCM: `read_dicom(file)` for one file, `read_dicom_series(folder)` for the slices
/// of one series in a folder. GDCM decodes the transfer syntaxes it supports — uncompressed
/// (implicit / explicit, little / big endian), deflate, RLE, JPEG baseline / extended / lossless,
/// JPEG-LS and JPEG 2000.
///
/// Values. Rescale Slope / Intercept are applied (HU for CT), as pydicom's `apply_modality_lut`:
/// the result is float32 (float64 for 32-bit stored values) unless the slope is 1 and the
/// intercept 0, when the stored type is kept. MONOCHROME1 images (low values white) are inverted
/// first (see `ReadOptions::invert_monochrome1`), so every image reads as MONOCHROME2. RGB stays
/// (rows, columns, 3) uint8; YBR_FULL / YBR_FULL_422 are converted to RGB by GDCM. Window
/// centre / width, slope / intercept, photometric interpretation, modality and the series UID
/// are kept in `metadata()` (window values as written, for the rescaled values).
///
/// Geometry. A single-frame file is a 2-D image (rows, columns) with spacing (row spacing,
/// column spacing) from Pixel Spacing (or Imager Pixel Spacing) and `metadata()`
/// "image_position_patient" / "image_orientation_patient" for its place in the patient. A
/// multi-frame file and a series are volumes (slice, row, column) in LPS: origin = Image Position
/// (Patient) of the first slice, direction columns = the normal (row × column cosines), the
/// column cosine (down the rows) and the row cosine (along a row), spacing (slice step, row
/// spacing, column spacing). Slices are sorted by their position along the normal, not by file
/// name or Instance Number; the slice step is measured from those positions (Slice Thickness is
/// not spacing).
///
/// Example:
///   auto ct = osteon::io::read_dicom_series("patient_001/ct");    // (slices, 512, 512) float32 HU
///   auto step = ct.spacing()[0];                                  // mm between slice centres
///   auto radiograph = osteon::io::read_dicom("hip_ap.dcm");        // (rows, cols), MONOCHROME2

#include <gdcmImage.h>
#include <gdcmImageChangePhotometricInterpretation.h>
#include <gdcmImageReader.h>
#include <gdcmMediaStorage.h>
#include <gdcmPixelFormat.h>
#include <gdcmStringFilter.h>
#include <gdcmTag.h>
#include <gdcmTrace.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <istream>
#include <map>
#include <numeric>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "osteon/io/detail/dicom_structure.hpp"
#include "osteon/io/detail/image_file.hpp"
#include "osteon/io/image.hpp"
#include "osteon/io/read_options.hpp"

namespace osteon::io {

namespace detail {

/// One decoded DICOM file: its stored pixels and what the readers need to place and scale them.
struct DicomSlice {
  std::string path;
  PixelType stored_type = PixelType::uint16;
  std::vector<char> bytes;
  std::size_t rows = 0, columns = 0, frames = 1, samples = 1;
  int bits_stored = 16;
  bool is_signed = false;
  bool monochrome1 = false;
  std::string photometric;
  double slope = 1.0, intercept = 0.0;
  std::array<double, 3> spacing{1.0, 1.0, 1.0};  // GDCM's order: column spacing (x), row spacing (y), frames
  std::array<double, 3> position{0.0, 0.0, 0.0};
  std::array<double, 6> cosines{1, 0, 0, 0, 1, 0};
  bool has_position = false, has_orientation = false;
  std::map<std::string, std::string> metadata;
};

inline std::string trimmed(std::string text) {
  const auto keep = [](unsigned char c) { return c != ' ' && c != '\0' && c != '\t' && c != '\r' && c != '\n'; };
  while (!text.empty() && !keep(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::size_t first = 0;
  while (first < text.size() && !keep(static_cast<unsigned char>(text[first]))) ++first;
  return text.substr(first);
}

inline bool has_dicm_preamble(const std::vector<unsigned char>& bytes) {
  return bytes.size() >= 132 && std::memcmp(bytes.data() + 128, "DICM", 4) == 0;
}

/// A file without the 128-byte preamble may still be DICOM (raw data set): its first element is
/// then in group 0002 or 0008 (either byte order).
inline bool looks_like_raw_dicom(const std::vector<unsigned char>& bytes) {
  if (bytes.size() < 8) return false;
  const unsigned group_le = bytes[0] | bytes[1] << 8, group_be = bytes[0] << 8 | bytes[1];
  return group_le == 0x0002 || group_le == 0x0008 || group_be == 0x0008;
}

/// A read-only std::streambuf over bytes in memory, seekable as GDCM's reader needs.
class MemoryStreamBuffer : public std::streambuf {
 public:
  MemoryStreamBuffer(const std::vector<unsigned char>& bytes) {
    char* begin = const_cast<char*>(reinterpret_cast<const char*>(bytes.data()));
    setg(begin, begin, begin + bytes.size());
  }

 protected:
  pos_type seekoff(off_type offset, std::ios_base::seekdir direction, std::ios_base::openmode) override {
    char* target = direction == std::ios_base::beg ? eback() + offset
                   : direction == std::ios_base::cur ? gptr() + offset
                                                    : egptr() + offset;
    if (target < eback() || target > egptr()) return pos_type(off_type(-1));
    setg(eback(), target, egptr());
    return pos_type(target - eback());
  }
  pos_type seekpos(pos_type position, std::ios_base::openmode mode) override {
    return seekoff(off_type(position), std::ios_base::beg, mode);
  }
};

inline PixelType gdcm_pixel_type(const gdcm::PixelFormat& format, const char* function, const std::string& path) {
  switch (format.GetScalarType()) {
    case gdcm::PixelFormat::UINT8: return PixelType::uint8;
    case gdcm::PixelFormat::INT8: return PixelType::int8;
    case gdcm::PixelFormat::UINT12:
    case gdcm::PixelFormat::UINT16: return PixelType::uint16;
    case gdcm::PixelFormat::INT12:
    case gdcm::PixelFormat::INT16: return PixelType::int16;
    case gdcm::PixelFormat::UINT32: return PixelType::uint32;
    case gdcm::PixelFormat::INT32: return PixelType::int32;
    case gdcm::PixelFormat::UINT64: return PixelType::uint64;
    case gdcm::PixelFormat::INT64: return PixelType::int64;
    case gdcm::PixelFormat::FLOAT32: return PixelType::float32;
    case gdcm::PixelFormat::FLOAT64: return PixelType::float64;
    default: break;
  }
  fail_file(function, path, "unsupported DICOM pixel format (Bits Allocated ", format.GetBitsAllocated(),
            ", Pixel Representation ", format.GetPixelRepresentation(), ")");
}

/// Numbers of a multi-valued DICOM string ("0.7\\0.7").
inline std::vector<double> dicom_numbers(const std::string& text) {
  std::vector<double> values;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, '\\')) {
    part = trimmed(part);
    if (part.empty()) continue;
    char* end = nullptr;
    const double value = std::strtod(part.c_str(), &end);
    if (end != part.c_str()) values.push_back(value);
  }
  return values;
}

/// Decodes one file; `skip_if_not_dicom` returns false (instead of throwing) for a file that is
/// not DICOM at all or a DICOMDIR, as a series folder may hold such files.
inline bool read_dicom_slice(const std::string& path, const char* function, DicomSlice& slice,
                             bool skip_if_not_dicom) {
  gdcm::Trace::WarningOff();
  gdcm::Trace::DebugOff();
  gdcm::Trace::ErrorOff();
  std::vector<unsigned char> file_bytes;
  {
    OpenFile file(function, path, "rb");
    std::fseek(file.handle, 0, SEEK_END);
    const long size = std::ftell(file.handle);
    std::fseek(file.handle, 0, SEEK_SET);
    if (size < 0) fail_file(function, path, "cannot read the file size");
    file_bytes.resize(static_cast<std::size_t>(size));
    if (std::fread(file_bytes.data(), 1, file_bytes.size(), file.handle) != file_bytes.size()) {
      fail_file(function, path, "read error");
    }
  }
  const bool dicm = has_dicm_preamble(file_bytes);
  if (!dicm && !looks_like_raw_dicom(file_bytes)) {
    if (skip_if_not_dicom) return false;
    fail_file(function, path, "not a DICOM file");
  }
  DicomStructure structure(file_bytes);
  const std::string problem = structure.check();
  if (!problem.empty()) fail_file(function, path, problem);
  if (structure.media_storage() == "1.2.840.10008.1.3.10") {
    if (skip_if_not_dicom) return false;
    fail_file(function, path, "is a DICOMDIR (an index of files), not an image");
  }
  if (!structure.has_top_level(0x7FE0, 0x0010)) {
    fail_file(function, path, "DICOM file without pixel data (not an image: structured report, plan, ...)");
  }
  if (structure.media_storage() == "1.2.840.10008.5.1.4.1.1.481.2" && !structure.has_top_level(0x0028, 0x0008)) {
    fail_file(function, path, "RT Dose without Number of Frames (0028,0008)");
  }
  MemoryStreamBuffer buffer(file_bytes);
  std::istream stream(&buffer);
  gdcm::ImageReader reader;
  reader.SetStream(stream);
  if (!reader.Read()) {
    MemoryStreamBuffer plain_buffer(file_bytes);
    std::istream plain_stream(&plain_buffer);
    gdcm::Reader plain;
    plain.SetStream(plain_stream);
    if (plain.Read()) {
      gdcm::MediaStorage storage;
      storage.SetFromFile(plain.GetFile());
      if (storage == gdcm::MediaStorage::MediaStorageDirectoryStorage) {
        if (skip_if_not_dicom) return false;
        fail_file(function, path, "is a DICOMDIR (an index of files), not an image");
      }
      fail_file(function, path, "DICOM file without readable pixel data");
    }
    fail_file(function, path, dicm ? "corrupt or truncated DICOM file" : "not a DICOM file");
  }
  const gdcm::Image& image = reader.GetImage();
  const gdcm::PixelFormat format = image.GetPixelFormat();
  slice.path = path;
  slice.stored_type = gdcm_pixel_type(format, function, path);
  slice.samples = format.GetSamplesPerPixel();
  slice.bits_stored = format.GetBitsStored();
  slice.is_signed = format.GetPixelRepresentation() == 1;
  const unsigned int* dims = image.GetDimensions();
  slice.columns = dims[0];
  slice.rows = dims[1];
  slice.frames = image.GetNumberOfDimensions() > 2 ? dims[2] : 1;
  const gdcm::PhotometricInterpretation photometric = image.GetPhotometricInterpretation();
  slice.photometric = trimmed(photometric.GetString() != nullptr ? photometric.GetString() : "");
  if (slice.samples != 1 && slice.samples != 3) {
    fail_file(function, path, slice.samples, " samples per pixel are not supported (1 or 3)");
  }
  const gdcm::PhotometricInterpretation::PIType pi = photometric.GetType();
  if (pi == gdcm::PhotometricInterpretation::PALETTE_COLOR) {
    fail_file(function, path, "PALETTE COLOR DICOM is not supported");
  }
  slice.monochrome1 = pi == gdcm::PhotometricInterpretation::MONOCHROME1;
  const gdcm::Image* decoded = &image;
  gdcm::ImageChangePhotometricInterpretation to_rgb;
  if (slice.samples == 3 && pi != gdcm::PhotometricInterpretation::RGB) {
    to_rgb.SetInput(image);
    to_rgb.SetPhotometricInterpretation(gdcm::PhotometricInterpretation::RGB);
    if (!to_rgb.Change()) fail_file(function, path, "cannot convert ", slice.photometric, " to RGB");
    decoded = &to_rgb.GetOutput();
    slice.photometric = "RGB";
  }
  const unsigned long length = decoded->GetBufferLength();
  const std::size_t element = with_pixel_type(slice.stored_type, [](auto tag) { return sizeof(tag); });
  const std::size_t expected = slice.rows * slice.columns * slice.frames * slice.samples * element;
  if (length < expected) {
    fail_file(function, path, "pixel data holds ", length, " bytes, the header promises ", expected);
  }
  // GDCM pads short native pixel data; a truncated file must not read as zeros.
  const gdcm::DataSet& pixel_dataset = reader.GetFile().GetDataSet();
  const gdcm::Tag pixel_data_tag(0x7FE0, 0x0010);
  if (!image.GetTransferSyntax().IsEncapsulated() && pixel_dataset.FindDataElement(pixel_data_tag)) {
    const gdcm::ByteValue* value = pixel_dataset.GetDataElement(pixel_data_tag).GetByteValue();
    const std::size_t stored = value != nullptr ? static_cast<std::size_t>(value->GetLength()) : 0;
    if (stored < expected) {
      fail_file(function, path, "truncated pixel data: ", stored, " bytes where ", slice.rows, "x", slice.columns,
                slice.frames > 1 ? ::osteon::detail::concat("x", slice.frames) : std::string(), " pixels need ",
                expected);
    }
  }
  slice.bytes.resize(length);
  if (!decoded->GetBuffer(slice.bytes.data())) {
    fail_file(function, path, "cannot decode the pixel data (transfer syntax ",
              gdcm::TransferSyntax::GetTSString(image.GetTransferSyntax()), ")");
  }
  slice.bytes.resize(expected);
  slice.slope = image.GetSlope();
  slice.intercept = image.GetIntercept();
  for (int a = 0; a < 3; ++a) slice.spacing[a] = image.GetSpacing(a);
  for (int a = 0; a < 3; ++a) slice.position[a] = image.GetOrigin(a);
  for (int a = 0; a < 6; ++a) slice.cosines[a] = image.GetDirectionCosines(a);

  gdcm::StringFilter strings;
  strings.SetFile(reader.GetFile());
  const gdcm::DataSet& dataset = reader.GetFile().GetDataSet();
  auto text = [&](std::uint16_t group, std::uint16_t element_tag) -> std::string {
    const gdcm::Tag tag(group, element_tag);
    if (!dataset.FindDataElement(tag)) return {};
    return trimmed(strings.ToString(tag));
  };
  slice.has_position = !text(0x0020, 0x0032).empty();
  slice.has_orientation = !text(0x0020, 0x0037).empty();
  const std::pair<const char*, std::array<std::uint16_t, 2>> kept[] = {
      {"modality", {0x0008, 0x0060}},          {"series_instance_uid", {0x0020, 0x000E}},
      {"window_center", {0x0028, 0x1050}},     {"window_width", {0x0028, 0x1051}},
      {"image_position_patient", {0x0020, 0x0032}}, {"image_orientation_patient", {0x0020, 0x0037}},
      {"instance_number", {0x0020, 0x0013}},   {"study_instance_uid", {0x0020, 0x000D}}};
  for (const auto& [name, tag] : kept) {
    const std::string value = text(tag[0], tag[1]);
    if (!value.empty()) slice.metadata[name] = value;
  }
  slice.metadata["photometric_interpretation"] = slice.photometric;
  slice.metadata["rescale_slope"] = ::osteon::detail::concat(slice.slope);
  slice.metadata["rescale_intercept"] = ::osteon::detail::concat(slice.intercept);
  slice.metadata["transfer_syntax"] = gdcm::TransferSyntax::GetTSString(image.GetTransferSyntax());
  slice.metadata["format"] = "dicom";
  return true;
}

/// Stored → (inverted) → rescaled values of `count` elements into `out`.
template <typename Out, typename Stored>
void convert_dicom_values(const Stored* in, Out* out, std::size_t count, const DicomSlice& slice, bool invert,
                          bool rescale) {
  const double slope = rescale ? slice.slope : 1.0, intercept = rescale ? slice.intercept : 0.0;
  const bool integral = std::is_integral_v<Stored>;
  const std::int64_t maximum = slice.is_signed ? -1 : (slice.bits_stored >= 63 ? INT64_MAX : (std::int64_t(1) << slice.bits_stored) - 1);
  for (std::size_t e = 0; e < count; ++e) {
    double value = static_cast<double>(in[e]);
    if (invert && integral) value = static_cast<double>(maximum) - value;
    out[e] = static_cast<Out>(value * slope + intercept);
  }
}

/// Writes every slice's converted pixels into one array (slice order given by `order`).
inline PixelArray assemble_dicom(const std::vector<DicomSlice>& slices, const std::vector<std::size_t>& order,
                                 std::vector<std::size_t> shape, const ReadOptions& options) {
  const DicomSlice& first = slices[order.front()];
  bool any_scaling = false;
  for (const DicomSlice& slice : slices) any_scaling |= slice.slope != 1.0 || slice.intercept != 0.0;
  const bool rescale = options.rescale() && any_scaling;
  const bool invert = options.invert_monochrome1() && first.monochrome1;
  const std::size_t per_slice = first.rows * first.columns * first.frames * first.samples;
  return with_pixel_type(first.stored_type, [&](auto stored_tag) -> PixelArray {
    using Stored = decltype(stored_tag);
    auto fill = [&](auto out_tag) -> PixelArray {
      using Out = decltype(out_tag);
      auto array = xt::xarray<Out>::from_shape(shape);
      for (std::size_t s = 0; s < order.size(); ++s) {
        const DicomSlice& slice = slices[order[s]];
        const auto* in = reinterpret_cast<const Stored*>(slice.bytes.data());
        Out* out = array.data() + s * per_slice;
        if constexpr (std::is_same_v<Out, Stored>) {
          if (!invert) {
            std::memcpy(out, in, per_slice * sizeof(Stored));
            continue;
          }
        }
        convert_dicom_values(in, out, per_slice, slice, invert, rescale);
      }
      return array;
    };
    if (!rescale) return fill(Stored{});
    if constexpr (sizeof(Stored) <= 2 || std::is_same_v<Stored, float>) {
      return fill(float{});
    } else {
      return fill(double{});
    }
  });
}

inline std::array<double, 3> cross(const std::array<double, 3>& a, const std::array<double, 3>& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

/// Volume geometry in osteon's order (k, j, i) with world (z, y, x), LPS.
inline Image dicom_volume(PixelArray pixels, const DicomSlice& first, double slice_step, std::size_t channels) {
  const std::array<double, 3> row{first.cosines[0], first.cosines[1], first.cosines[2]};     // along a row (i)
  const std::array<double, 3> column{first.cosines[3], first.cosines[4], first.cosines[5]};  // down the rows (j)
  const std::array<double, 3> normal = cross(row, column);                                   // slices (k)
  const std::array<std::array<double, 3>, 3> axes = {normal, column, row};                   // array axes 0, 1, 2
  std::vector<double> direction(9), origin(3);
  for (int a = 0; a < 3; ++a) {
    for (int w = 0; w < 3; ++w) direction[(2 - w) * 3 + a] = axes[a][w];
  }
  for (int w = 0; w < 3; ++w) origin[2 - w] = first.position[w];
  std::vector<double> spacing = {slice_step, first.spacing[1], first.spacing[0]};
  Image image(std::move(pixels), std::move(spacing), std::move(origin), std::move(direction), Space::LPS, channels);
  image.set_source_pixel_type(first.stored_type);
  image.metadata() = first.metadata;
  return image;
}

}  // namespace detail

/// Reads one DICOM file: single-frame → 2-D (rows, columns), multi-frame → volume (frames, rows,
/// columns); see the file comment. Throws std::invalid_argument naming the file for a missing,
/// truncated or corrupt file, one that is not DICOM or has no image, or an unsupported pixel format.
///
/// Example:
///   auto dx = osteon::io::read_dicom("knee_dx.dcm");
///   double row_spacing = dx.spacing()[0], column_spacing = dx.spacing()[1];
inline Image read_dicom(const std::string& path, const ReadOptions& options = {}) {
  constexpr const char* function = "read_dicom";
  detail::require_readable_file(function, path);
  std::vector<detail::DicomSlice> slices(1);
  detail::read_dicom_slice(path, function, slices[0], false);
  const detail::DicomSlice& slice = slices[0];
  const std::size_t channels = slice.samples > 1 ? slice.samples : 0;
  std::vector<std::size_t> shape = {slice.rows, slice.columns};
  if (slice.frames > 1) shape.insert(shape.begin(), slice.frames);
  if (channels > 0) shape.push_back(channels);
  PixelArray pixels = detail::assemble_dicom(slices, {0}, shape, options);
  if (slice.frames > 1) {
    const double step = slice.spacing[2] > 0 ? slice.spacing[2] : 1.0;
    return apply_space(detail::dicom_volume(std::move(pixels), slice, step, channels), options);
  }
  Image image(std::move(pixels), {slice.spacing[1], slice.spacing[0]}, {}, {}, Space::LPS, channels);
  image.set_source_pixel_type(slice.stored_type);
  image.metadata() = slice.metadata;
  return apply_space(std::move(image), options);
}

/// Reads the single-frame slices of one series from `folder` (files that are not DICOM, and
/// DICOMDIRs, are skipped; sub-folders are not searched) into a volume sorted along the slice
/// normal; see the file comment. Throws std::invalid_argument naming the folder and the slice for
/// an empty folder, several series, slices whose size, pixel format, orientation or pixel spacing
/// differ, two slices at one position, a missing slice (a gap in the positions) or a slice
/// without a position.
///
/// Example:
///   auto ct = osteon::io::read_dicom_series("ct_folder");
///   auto hu = ct.array<float>();                       // (slices, rows, columns)
inline Image read_dicom_series(const std::string& folder, const ReadOptions& options = {}) {
  constexpr const char* function = "read_dicom_series";
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    detail::fail_file(function, folder, fs::exists(folder, error) ? "is not a folder" : "no such folder");
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file(error)) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<detail::DicomSlice> slices;
  slices.reserve(files.size());
  for (const std::string& file : files) {
    detail::DicomSlice slice;
    if (detail::read_dicom_slice(file, function, slice, true)) slices.push_back(std::move(slice));
  }
  if (slices.empty()) detail::fail_file(function, folder, "no DICOM image in the folder");
  const detail::DicomSlice& reference = slices.front();
  auto fail_slice = [&](const detail::DicomSlice& slice, const auto&... parts) {
    detail::fail_file(function, folder, "slice '", fs::path(slice.path).filename().string(), "': ", parts...);
  };
  std::map<std::string, std::size_t> series;
  for (const auto& slice : slices) {
    const auto uid = slice.metadata.find("series_instance_uid");
    ++series[uid == slice.metadata.end() ? std::string("(none)") : uid->second];
  }
  if (series.size() > 1) {
    std::string list;
    for (const auto& [uid, count] : series) list += (list.empty() ? "" : ", ") + uid + " (" + std::to_string(count) + " files)";
    detail::fail_file(function, folder, "the folder mixes ", series.size(), " series: ", list,
                      "; put each series in its own folder");
  }
  for (const auto& slice : slices) {
    if (slice.frames > 1) fail_slice(slice, "is a multi-frame file (", slice.frames, " frames); read it with read_dicom");
    if (slice.rows != reference.rows || slice.columns != reference.columns) {
      fail_slice(slice, "size ", slice.rows, "x", slice.columns, " differs from '",
                 fs::path(reference.path).filename().string(), "' (", reference.rows, "x", reference.columns, ")");
    }
    if (slice.stored_type != reference.stored_type || slice.samples != reference.samples ||
        slice.monochrome1 != reference.monochrome1) {
      fail_slice(slice, "pixel format ", pixel_type_name(slice.stored_type), " x", slice.samples, " ", slice.photometric,
                 " differs from the first slice's (", pixel_type_name(reference.stored_type), " x", reference.samples,
                 " ", reference.photometric, ")");
    }
    if (slices.size() > 1 && !slice.has_position) fail_slice(slice, "has no Image Position (Patient)");
    for (int a = 0; a < 6; ++a) {
      if (std::abs(slice.cosines[a] - reference.cosines[a]) > 1e-4) {
        fail_slice(slice, "orientation differs from the first slice's (mixed geometry)");
      }
    }
    for (int a = 0; a < 2; ++a) {
      if (std::abs(slice.spacing[a] - reference.spacing[a]) > 1e-4 * std::max(1.0, reference.spacing[a])) {
        fail_slice(slice, "pixel spacing ", slice.spacing[1], "\\", slice.spacing[0], " differs from the first slice's ",
                   reference.spacing[1], "\\", reference.spacing[0], " (mixed geometry)");
      }
    }
  }
  const std::array<double, 3> row{reference.cosines[0], reference.cosines[1], reference.cosines[2]};
  const std::array<double, 3> column{reference.cosines[3], reference.cosines[4], reference.cosines[5]};
  const std::array<double, 3> normal = detail::cross(row, column);
  std::vector<double> along(slices.size());
  for (std::size_t s = 0; s < slices.size(); ++s) {
    along[s] = slices[s].position[0] * normal[0] + slices[s].position[1] * normal[1] + slices[s].position[2] * normal[2];
  }
  std::vector<std::size_t> order(slices.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return along[a] < along[b]; });
  double step = reference.spacing[2] > 0 ? reference.spacing[2] : 1.0;
  if (slices.size() > 1) {
    std::vector<double> steps(slices.size() - 1);
    for (std::size_t s = 0; s + 1 < order.size(); ++s) steps[s] = along[order[s + 1]] - along[order[s]];
    std::vector<double> sorted_steps = steps;
    std::nth_element(sorted_steps.begin(), sorted_steps.begin() + sorted_steps.size() / 2, sorted_steps.end());
    const double typical = sorted_steps[sorted_steps.size() / 2];
    for (std::size_t s = 0; s < steps.size(); ++s) {
      const auto& a = slices[order[s]];
      const auto& b = slices[order[s + 1]];
      if (steps[s] < 1e-3) {
        fail_slice(b, "lies at the same position along the normal as '", fs::path(a.path).filename().string(),
                   "' (", along[order[s]], " mm): duplicate slice or mixed series");
      }
      if (std::abs(steps[s] - typical) > 0.01 * typical + 1e-3) {
        fail_slice(b, "is ", steps[s], " mm from the previous slice '", fs::path(a.path).filename().string(),
                   "' where the others are ", typical, " mm apart: ",
                   steps[s] > typical ? "a slice is missing" : "uneven slice positions (mixed geometry)");
      }
    }
    step = (along[order.back()] - along[order.front()]) / static_cast<double>(slices.size() - 1);
  }
  const std::size_t channels = reference.samples > 1 ? reference.samples : 0;
  std::vector<std::size_t> shape = {slices.size(), reference.rows, reference.columns};
  if (channels > 0) shape.push_back(channels);
  PixelArray pixels = detail::assemble_dicom(slices, order, shape, options);
  Image volume = detail::dicom_volume(std::move(pixels), slices[order.front()], step, channels);
  volume.metadata().erase("instance_number");
  volume.metadata().erase("image_position_patient");
  return apply_space(std::move(volume), options);
}

}  // namespace osteon::io
