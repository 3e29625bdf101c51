// osteon._C.io: Image and the image / volume readers and writers (osteon/io/read_image.hpp),
// exposed to users as osteon.data.Image, read_image, read_dicom_series, write_image.
#include <osteon/io/image_tensor.hpp>
#include <osteon/io/read_image.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <optional>
#include <string>

#include "bindings.hpp"

namespace osteon::python {

namespace {

namespace io = osteon::io;

/// A path argument: str or os.PathLike.
std::string path_text(const py::object& path) {
  return py::str(py::module_::import("os").attr("fspath")(path)).cast<std::string>();
}

/// FileNotFoundError (an OSError) for a path that does not exist; everything else the readers
/// find wrong is a ValueError (std::invalid_argument).
void require_exists(const char* function, const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    PyErr_SetString(PyExc_FileNotFoundError, (std::string(function) + ": '" + path + "': no such file or folder").c_str());
    throw py::error_already_set();
  }
}

std::optional<io::Space> parse_space(const std::optional<std::string>& space, const char* function) {
  if (!space) return std::nullopt;
  if (*space == "RAS") return io::Space::RAS;
  if (*space == "LPS") return io::Space::LPS;
  throw py::value_error(std::string(function) + ": space must be 'RAS' or 'LPS', got '" + *space + "'");
}

io::ReadOptions read_options(const std::optional<std::string>& space, bool rescale, bool invert_monochrome1,
                             const char* function) {
  return io::ReadOptions().space(parse_space(space, function)).rescale(rescale).invert_monochrome1(invert_monochrome1);
}

/// The pixels as a numpy array sharing the Image's memory (kept alive by the array's base).
py::array pixels_array(const io::Image& image) {
  auto owner = new std::shared_ptr<io::PixelArray>(image.shared_pixels());
  py::capsule base(owner, [](void* pointer) { delete static_cast<std::shared_ptr<io::PixelArray>*>(pointer); });
  return std::visit(
      [&](auto& array) -> py::array {
        using T = typename std::decay_t<decltype(array)>::value_type;
        std::vector<py::ssize_t> shape(array.shape().begin(), array.shape().end());
        return py::array_t<T>(shape, array.data(), base);
      },
      **owner);
}

/// A copy of a numpy array (any dtype Image holds) as pixels.
io::PixelArray pixels_from_numpy(const py::array& input) {
  const py::dtype dtype = input.dtype();
  auto copy = [&](auto tag) -> io::PixelArray {
    using T = decltype(tag);
    const auto contiguous = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(input);
    std::vector<std::size_t> shape(contiguous.shape(), contiguous.shape() + contiguous.ndim());
    auto array = xt::xarray<T>::from_shape(shape);
    std::copy(contiguous.data(), contiguous.data() + contiguous.size(), array.data());
    return array;
  };
  const char kind = dtype.kind();
  const auto size = dtype.itemsize();
  if (kind == 'b' || (kind == 'u' && size == 1)) return copy(std::uint8_t{});
  if (kind == 'i' && size == 1) return copy(std::int8_t{});
  if (kind == 'u' && size == 2) return copy(std::uint16_t{});
  if (kind == 'i' && size == 2) return copy(std::int16_t{});
  if (kind == 'u' && size == 4) return copy(std::uint32_t{});
  if (kind == 'i' && size == 4) return copy(std::int32_t{});
  if (kind == 'u' && size == 8) return copy(std::uint64_t{});
  if (kind == 'i' && size == 8) return copy(std::int64_t{});
  if (kind == 'f' && size <= 4) return copy(float{});
  if (kind == 'f' && size == 8) return copy(double{});
  throw py::value_error(std::string("Image: array dtype ") + py::str(py::handle(dtype)).cast<std::string>() +
                        " is not an image pixel type");
}

py::array matrix(const std::vector<double>& values, std::size_t rows, std::size_t columns) {
  py::array_t<double> out({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(columns)});
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

}  // namespace

void bind_io(py::module_ m) {
  py::class_<io::Image>(m, "Image", R"doc(
An image or volume: pixels (``array``, numpy, sharing memory; ``tensor()``, torch, sharing memory
when torch has the dtype) with ``spacing``, ``origin``, ``direction`` in the array's axis order
(slowest first: a volume is (slice, row, column) = (k, j, i); a colour image (rows, columns, 3)),
``affine`` (voxel (i, j, k) -> world (x, y, z), equal to nibabel's for a NIfTI file) and ``space``
('RAS' for NIfTI, 'LPS' for DICOM). Copies share pixels; ``clone()`` copies them.

Example:
    >>> ct = osteon.data.read_image("ct.nii.gz")
    >>> ct.array.shape, ct.spacing            # (k, j, i) and its spacing in mm
    >>> mask = (ct.tensor() > 200).to(torch.uint8)
    >>> osteon.data.write_image("bone.nii.gz", ct.with_array(mask.numpy()))
)doc")
      .def(py::init([](py::object array, std::optional<std::vector<double>> spacing,
                       std::optional<std::vector<double>> origin, std::optional<std::vector<double>> direction,
                       const std::string& space, std::size_t channels) {
             py::array values = py::module_::import("numpy").attr("asarray")(
                 py::hasattr(array, "detach") ? array.attr("detach")().attr("cpu")() : array);
             return io::Image(pixels_from_numpy(values), spacing.value_or(std::vector<double>{}),
                              origin.value_or(std::vector<double>{}), direction.value_or(std::vector<double>{}),
                              *parse_space(space, "Image"), channels);
           }),
           py::arg("array"), py::arg("spacing") = py::none(), py::arg("origin") = py::none(),
           py::arg("direction") = py::none(), py::arg("space") = "RAS", py::arg("channels") = 0,
           "Pixels (numpy array or tensor, copied) with spacing / origin / direction in array-axis order; "
           "direction is row-major d x d (column a = unit vector of axis a)")
      .def_property_readonly("array", &pixels_array, "The pixels as a numpy array sharing the image's memory")
      .def("tensor", [](const io::Image& image) { return io::to_tensor(image); },
           "The pixels as a CPU torch tensor: the same memory when torch has the dtype, else (uint16, uint32, "
           "uint64) a widened copy (int32 / int64)")
      .def_property_readonly("shape", [](const io::Image& image) { return py::tuple(py::cast(image.shape())); })
      .def_property_readonly("ndim", &io::Image::ndim, "Spatial dimensions (the channel axis not counted)")
      .def_property_readonly("channels", &io::Image::channels, "0 without a channel axis, else its size (last axis)")
      .def_property_readonly("dtype", [](const io::Image& image) { return io::pixel_type_name(image.pixel_type()); })
      .def_property_readonly("source_dtype",
                             [](const io::Image& image) { return io::pixel_type_name(image.source_pixel_type()); },
                             "The type stored in the file (before DICOM / NIfTI rescaling)")
      .def_property_readonly("spacing", [](const io::Image& image) { return py::tuple(py::cast(image.spacing())); })
      .def_property_readonly("origin", [](const io::Image& image) { return py::tuple(py::cast(image.origin())); })
      .def_property_readonly("direction",
                             [](const io::Image& image) { return matrix(image.direction(), image.ndim(), image.ndim()); })
      .def_property_readonly("affine", [](const io::Image& image) {
        const auto affine = image.affine();
        return matrix(std::vector<double>(affine.begin(), affine.end()), affine.shape()[0], affine.shape()[1]);
      })
      .def_property_readonly("space", [](const io::Image& image) { return io::space_name(image.space()); })
      .def_property_readonly("metadata", [](const io::Image& image) { return image.metadata(); })
      .def("orientation", &io::Image::orientation, "nibabel's aff2axcodes of the voxel axes (i, j, k), e.g. 'RAS'")
      .def("in_space", [](const io::Image& image, const std::string& space) {
             return image.in_space(*parse_space(space, "Image.in_space"));
           }, py::arg("space"), "The same image with world coordinates in 'RAS' or 'LPS' (pixels shared)")
      .def("with_array", [](const io::Image& image, py::object array, std::size_t channels) {
             py::array values = py::module_::import("numpy").attr("asarray")(
                 py::hasattr(array, "detach") ? array.attr("detach")().attr("cpu")() : array);
             return image.with_pixels(pixels_from_numpy(values), channels);
           }, py::arg("array"), py::arg("channels") = 0,
           "Other pixels (copied) in this image's geometry, e.g. a predicted mask to save beside its input")
      .def("clone", &io::Image::clone)
      .def("__repr__", [](const io::Image& image) {
        std::string shape;
        for (std::size_t s : image.shape()) shape += (shape.empty() ? "" : ", ") + std::to_string(s);
        return "Image(shape=(" + shape + "), dtype=" + io::pixel_type_name(image.pixel_type()) +
               ", space=" + io::space_name(image.space()) + ")";
      });

  m.def("read_image", [](const py::object& path, std::optional<std::string> space, bool rescale, bool invert) {
          const std::string text = path_text(path);
          require_exists("read_image", text);
          const io::ReadOptions options = read_options(space, rescale, invert, "read_image");
          py::gil_scoped_release release;
          return io::read_image(text, options);
        }, py::arg("path"), py::arg("space") = py::none(), py::arg("rescale") = true,
        py::arg("invert_monochrome1") = true,
        "Reads PNG, JPEG, TIFF, NIfTI (.nii / .nii.gz) or DICOM by content; a folder is a DICOM series. "
        "space='RAS' / 'LPS' converts the world frame; rescale applies DICOM Rescale Slope / Intercept and "
        "NIfTI scl_slope / scl_inter.");
  m.def("read_dicom_series", [](const py::object& folder, std::optional<std::string> space, bool rescale, bool invert) {
          const std::string text = path_text(folder);
          require_exists("read_dicom_series", text);
          const io::ReadOptions options = read_options(space, rescale, invert, "read_dicom_series");
          py::gil_scoped_release release;
          return io::read_dicom_series(text, options);
        }, py::arg("folder"), py::arg("space") = py::none(), py::arg("rescale") = true,
        py::arg("invert_monochrome1") = true,
        "Reads one DICOM series from a folder: slices sorted by position along the normal, HU applied, "
        "(slices, rows, columns) in LPS. Raises ValueError naming the folder and slice for mixed series, "
        "mixed geometry or a missing slice.");
  m.def("write_image", [](const py::object& path, const io::Image& image) {
          const std::string text = path_text(path);
          py::gil_scoped_release release;
          io::write_image(text, image);
        }, py::arg("path"), py::arg("image"),
        "Writes .nii / .nii.gz (geometry kept, any dtype) or .png (2-D uint8 / uint16) by the file name, atomically.");
}

}  // namespace osteon::python
