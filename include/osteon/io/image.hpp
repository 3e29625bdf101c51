#pragma once
/// @file
/// `Image`: one type for 2-D images and 3-D volumes read from PNG, JPEG, TIFF, DICOM and NIfTI —
/// pixels in an xtensor array (osteon's host N-d array) plus the geometry that places them in the
/// patient. Torch-free (osteon::host); `io/image_tensor.hpp` views it as a torch tensor.
///
/// Storage. The pixels keep the type they have after decoding (a std::variant of `xt::xarray<T>`
/// over `PixelType`): a 16-bit PNG stays uint16, a NIfTI mask stays uint8 and is written back as
/// uint8, so nothing is rounded or widened behind the user's back. Scaled data (DICOM Rescale
/// Slope / Intercept, NIfTI scl_slope / scl_inter) is float32 (float64 when the stored type is
/// wider than 16 bits), as the scaling is not integral in general. `source_pixel_type()` names
/// the type stored in the file. `array<T>()` reads the pixels in their own type (and refuses
/// another), `as<T>()` returns a converted copy. Copies of an `Image` share pixels (as
/// torch::Tensor does); `clone()` copies them.
///
/// Axis convention (DESIGN.md): array axes slowest first, C order — a volume is (slice, row,
/// column) = (k, j, i), a radiograph (row, column); colour images carry one trailing channel axis
/// (rows, columns, 3), which has no geometry. `spacing()`, `origin()` and `direction()` list the
/// spatial axes in the same order, and the world axes in the matching reversed order too — for a
/// volume (z, y, x), for a 2-D image (y, x) — so that, in that one order,
///     world(index) = origin + direction · diag(spacing) · index,
/// with `direction()` row-major d×d: column a is the unit vector of array axis a. `affine()` gives
/// the conventional (d+1)×(d+1) matrix in the order everybody else uses: voxel (i, j, k) (fastest
/// axis first) → world (x, y, z); for a NIfTI file it equals nibabel's `img.affine`.
///
/// World coordinates: `space()` says which patient frame they are in — RAS (NIfTI and nibabel:
/// +x toward the patient's Right, +y Anterior, +z Superior) or LPS (DICOM and ITK: +x Left,
/// +y Posterior, +z Superior). Readers return their format's own
/// frame (NIfTI RAS, DICOM LPS); `in_space(Space::RAS)` converts (negates world x and y, pixels
/// untouched), and `orientation()` gives nibabel's axis codes (`aff2axcodes`) of the voxel axes.
///
/// Example:
///   xt::xarray<float> pixels = xt::zeros<float>({4, 5, 6});            // (k, j, i)
///   osteon::io::Image volume(pixels, {2.5, 0.8, 0.8});                 // spacing (k, j, i), mm
///   auto affine = volume.affine();                                     // 4×4, diag(0.8, 0.8, 2.5, 1)
///   float first = volume.array<float>()(0, 0, 0);
///   xt::xarray<double> as_double = volume.as<double>();

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::io {

/// Element types an `Image` holds: those of NIfTI, DICOM and PNG that numpy and torch share
/// (bool and complex data are not images osteon reads).
enum class PixelType { uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64 };

/// Name as numpy spells it ("uint16", "float32").
inline const char* pixel_type_name(PixelType type) {
  switch (type) {
    case PixelType::uint8: return "uint8";
    case PixelType::int8: return "int8";
    case PixelType::uint16: return "uint16";
    case PixelType::int16: return "int16";
    case PixelType::uint32: return "uint32";
    case PixelType::int32: return "int32";
    case PixelType::uint64: return "uint64";
    case PixelType::int64: return "int64";
    case PixelType::float32: return "float32";
    case PixelType::float64: return "float64";
  }
  return "unknown";
}

/// The pixels: one xtensor array in the decoded type. The variant's index is the `PixelType`.
using PixelArray = std::variant<xt::xarray<std::uint8_t>, xt::xarray<std::int8_t>, xt::xarray<std::uint16_t>,
                                xt::xarray<std::int16_t>, xt::xarray<std::uint32_t>, xt::xarray<std::int32_t>,
                                xt::xarray<std::uint64_t>, xt::xarray<std::int64_t>, xt::xarray<float>,
                                xt::xarray<double>>;

namespace detail {
template <typename T, std::size_t I = 0>
constexpr std::size_t pixel_index() {
  static_assert(I < std::variant_size_v<PixelArray>, "osteon::io: not a pixel type of Image");
  if constexpr (std::is_same_v<std::variant_alternative_t<I, PixelArray>, xt::xarray<T>>) {
    return I;
  } else {
    return pixel_index<T, I + 1>();
  }
}
}  // namespace detail

/// The `PixelType` of a C++ element type: `pixel_type_of<std::uint16_t>() == PixelType::uint16`.
template <typename T>
constexpr PixelType pixel_type_of() {
  return static_cast<PixelType>(detail::pixel_index<T>());
}

/// Calls `f(T{})` with the C++ element type of `type`: `with_pixel_type(type, [](auto tag) { ... })`.
template <typename F>
decltype(auto) with_pixel_type(PixelType type, F&& f) {
  switch (type) {
    case PixelType::uint8: return f(std::uint8_t{});
    case PixelType::int8: return f(std::int8_t{});
    case PixelType::uint16: return f(std::uint16_t{});
    case PixelType::int16: return f(std::int16_t{});
    case PixelType::uint32: return f(std::uint32_t{});
    case PixelType::int32: return f(std::int32_t{});
    case PixelType::uint64: return f(std::uint64_t{});
    case PixelType::int64: return f(std::int64_t{});
    case PixelType::float32: return f(float{});
    case PixelType::float64: break;
  }
  return f(double{});
}

/// Patient frame of the world coordinates (see the file comment).
enum class Space { RAS, LPS };

inline const char* space_name(Space space) { return space == Space::RAS ? "RAS" : "LPS"; }

/// Pixels + geometry. See the file comment for the storage and axis conventions.
class Image {
 public:
  /// An empty image (no pixels); readers return filled ones.
  Image() : pixels_(std::make_shared<PixelArray>()) {}

  /// Pixels with unit spacing, zero origin and identity direction; `channels` > 0 marks a trailing
  /// channel axis of that size (RGB: 3) that has no geometry.
  template <typename T>
  explicit Image(xt::xarray<T> pixels, std::size_t channels = 0)
      : Image(PixelArray(std::move(pixels)), {}, {}, {}, Space::RAS, channels) {}

  /// Pixels with the given spacing (one per spatial axis, array order), zero origin, identity direction.
  template <typename T>
  Image(xt::xarray<T> pixels, std::vector<double> spacing, std::size_t channels = 0)
      : Image(PixelArray(std::move(pixels)), std::move(spacing), {}, {}, Space::RAS, channels) {}

  /// Everything: spacing (d), origin (d), direction (d×d row-major), all in array-axis order;
  /// empty vectors mean unit spacing, zero origin, identity direction. Throws std::invalid_argument
  /// on a size mismatch, a non-positive or non-finite spacing, or a non-finite origin / direction.
  Image(PixelArray pixels, std::vector<double> spacing, std::vector<double> origin, std::vector<double> direction,
        Space space = Space::RAS, std::size_t channels = 0)
      : pixels_(std::make_shared<PixelArray>(std::move(pixels))),
        spacing_(std::move(spacing)),
        origin_(std::move(origin)),
        direction_(std::move(direction)),
        space_(space),
        channels_(channels) {
    const std::size_t rank = array_rank();
    OSTEON_CHECK_ARG(channels_ == 0 || (rank >= 2 && shape_at(rank - 1) == channels_),
                     "Image: channels is ", channels_, " but the last array axis has size ",
                     rank == 0 ? 0 : shape_at(rank - 1), " (the channel axis is the last one)");
    const std::size_t d = ndim();
    if (spacing_.empty()) spacing_.assign(d, 1.0);
    if (origin_.empty()) origin_.assign(d, 0.0);
    if (direction_.empty()) {
      direction_.assign(d * d, 0.0);
      for (std::size_t a = 0; a < d; ++a) direction_[a * d + a] = 1.0;
    }
    OSTEON_CHECK_ARG(spacing_.size() == d, "Image: spacing has ", spacing_.size(), " entries for ", d,
                     " spatial axes");
    OSTEON_CHECK_ARG(origin_.size() == d, "Image: origin has ", origin_.size(), " entries for ", d,
                     " spatial axes");
    OSTEON_CHECK_ARG(direction_.size() == d * d, "Image: direction has ", direction_.size(), " entries; a ", d,
                     "-D image needs ", d * d, " (row-major ", d, "x", d, ")");
    for (std::size_t a = 0; a < d; ++a) {
      OSTEON_CHECK_ARG(std::isfinite(spacing_[a]) && spacing_[a] > 0, "Image: spacing[", a,
                       "] must be positive and finite, got ", spacing_[a]);
      OSTEON_CHECK_ARG(std::isfinite(origin_[a]), "Image: origin[", a, "] is not finite (", origin_[a], ")");
    }
    for (std::size_t e = 0; e < direction_.size(); ++e) {
      OSTEON_CHECK_ARG(std::isfinite(direction_[e]), "Image: direction[", e, "] is not finite (", direction_[e],
                       ")");
    }
  }

  /// Type of the pixels as held (after any rescaling).
  PixelType pixel_type() const { return static_cast<PixelType>(pixels_->index()); }
  /// Type stored in the file (uint16 for a CT whose HU were rescaled to float32); equal to
  /// `pixel_type()` for images built in memory.
  PixelType source_pixel_type() const { return source_pixel_type_.value_or(pixel_type()); }
  void set_source_pixel_type(PixelType type) { source_pixel_type_ = type; }

  /// Spatial dimensions (2 for a radiograph, 3 for a volume); the channel axis is not counted.
  std::size_t ndim() const { return channels_ > 0 ? array_rank() - 1 : array_rank(); }
  /// 0 when there is no channel axis, else its size (the last array axis).
  std::size_t channels() const { return channels_; }
  /// Full array shape, channel axis included.
  std::vector<std::size_t> shape() const {
    return std::visit([](const auto& a) { return std::vector<std::size_t>(a.shape().begin(), a.shape().end()); },
                      *pixels_);
  }
  /// Number of elements.
  std::size_t size() const {
    return std::visit([](const auto& a) { return static_cast<std::size_t>(a.size()); }, *pixels_);
  }

  /// The pixels in their own type; std::invalid_argument when `T` is another type.
  template <typename T>
  const xt::xarray<T>& array() const {
    check_type<T>();
    return std::get<xt::xarray<T>>(*pixels_);
  }
  template <typename T>
  xt::xarray<T>& array() {
    check_type<T>();
    return std::get<xt::xarray<T>>(*pixels_);
  }
  /// The pixels converted to `T` (a copy; static_cast per element).
  template <typename T>
  xt::xarray<T> as() const {
    return std::visit([](const auto& a) { return xt::xarray<T>(xt::cast<T>(a)); }, *pixels_);
  }
  /// The variant itself, for `std::visit([](auto& array) { ... }, image.pixels())`.
  const PixelArray& pixels() const { return *pixels_; }
  PixelArray& pixels() { return *pixels_; }
  /// Shared ownership of the pixels (what a zero-copy torch tensor or numpy array keeps alive).
  std::shared_ptr<PixelArray> shared_pixels() const { return pixels_; }
  /// A deep copy (pixels no longer shared).
  Image clone() const {
    Image copy = *this;
    copy.pixels_ = std::make_shared<PixelArray>(*pixels_);
    return copy;
  }

  /// What the file said besides pixels and geometry, as text: DICOM `window_center`,
  /// `window_width`, `rescale_slope`, `rescale_intercept`, `photometric_interpretation`,
  /// `modality`, `series_instance_uid`; NIfTI `sform_code`, `qform_code`, `scl_slope`,
  /// `scl_inter`, `descrip`; `format` for every reader ("png", "dicom", "nifti1", ...).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  std::map<std::string, std::string>& metadata() { return metadata_; }

  const std::vector<double>& spacing() const { return spacing_; }
  const std::vector<double>& origin() const { return origin_; }
  const std::vector<double>& direction() const { return direction_; }
  Space space() const { return space_; }

  /// Other pixels in this image's geometry (and metadata): a predicted mask saved in its input's
  /// geometry. The new pixels need the same number of spatial axes.
  Image with_pixels(PixelArray pixels, std::size_t channels = 0) const {
    Image out(std::move(pixels), {}, {}, {}, space_, channels);
    OSTEON_CHECK_ARG(out.ndim() == ndim(), "Image::with_pixels: the new pixels have ", out.ndim(),
                     " spatial axes, the image has ", ndim());
    out.spacing_ = spacing_;
    out.origin_ = origin_;
    out.direction_ = direction_;
    out.metadata_ = metadata_;
    return out;
  }

  /// The same image in another patient frame: RAS ↔ LPS negates world x and y (the last two world
  /// components in osteon's reversed order) of origin and direction; pixels are shared, not moved.
  /// A 2-D image's world is (y, x), so both of its components change sign.
  Image in_space(Space target) const {
    Image out = *this;
    if (target == space_) return out;
    const std::size_t d = ndim();
    for (std::size_t r = (d >= 2 ? d - 2 : 0); r < d; ++r) {
      out.origin_[r] = -out.origin_[r];
      for (std::size_t c = 0; c < d; ++c) out.direction_[r * d + c] = -out.direction_[r * d + c];
    }
    out.space_ = target;
    return out;
  }

  /// The (d+1)×(d+1) homogeneous matrix from voxel indices, fastest axis first (i, j, k), to world
  /// (x, y, z) in `space()` — the NIfTI / nibabel affine for a volume.
  xt::xtensor<double, 2> affine() const {
    const std::size_t d = ndim();
    xt::xtensor<double, 2> out = xt::zeros<double>({d + 1, d + 1});
    for (std::size_t r = 0; r < d; ++r) {      // r: world row in osteon's (reversed) order
      for (std::size_t c = 0; c < d; ++c) {    // c: array axis
        out(d - 1 - r, d - 1 - c) = direction_[r * d + c] * spacing_[c];
      }
      out(d - 1 - r, d) = origin_[r];
    }
    out(d, d) = 1.0;
    return out;
  }

  /// nibabel's `aff2axcodes(affine)` in `space()`'s letters: for each voxel axis (i, j, k), the
  /// world direction it points to most ("RAS", "LPS", "LIP", ...). Ties go to the lower world axis.
  std::string orientation() const {
    const std::size_t d = ndim();
    OSTEON_CHECK_ARG(d == 3, "Image::orientation: needs a 3-D volume, this image has ", d, " spatial axes");
    // World axes x, y, z; positive letters of RAS, and their opposites.
    const char positive[3] = {'R', 'A', 'S'};
    const char negative[3] = {'L', 'P', 'I'};
    const auto matrix = affine();
    std::string codes;
    for (std::size_t voxel_axis = 0; voxel_axis < 3; ++voxel_axis) {
      std::size_t best = 0;
      for (std::size_t w = 1; w < 3; ++w) {
        if (std::abs(matrix(w, voxel_axis)) > std::abs(matrix(best, voxel_axis))) best = w;
      }
      bool toward_positive = matrix(best, voxel_axis) > 0;
      if (space_ == Space::LPS && best < 2) toward_positive = !toward_positive;  // LPS +x is Left
      codes += toward_positive ? positive[best] : negative[best];
    }
    return codes;
  }

 private:
  std::size_t array_rank() const {
    return std::visit([](const auto& a) { return static_cast<std::size_t>(a.dimension()); }, *pixels_);
  }
  std::size_t shape_at(std::size_t axis) const {
    return std::visit([axis](const auto& a) { return static_cast<std::size_t>(a.shape()[axis]); }, *pixels_);
  }
  template <typename T>
  void check_type() const {
    OSTEON_CHECK_ARG(pixel_type() == pixel_type_of<T>(), "Image::array: the pixels are ",
                     pixel_type_name(pixel_type()), ", not ", pixel_type_name(pixel_type_of<T>()),
                     " (use as<T>() for a converted copy)");
  }

  std::shared_ptr<PixelArray> pixels_;
  std::vector<double> spacing_;
  std::vector<double> origin_;
  std::vector<double> direction_;
  Space space_ = Space::RAS;
  std::size_t channels_ = 0;
  std::optional<PixelType> source_pixel_type_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace osteon::io
