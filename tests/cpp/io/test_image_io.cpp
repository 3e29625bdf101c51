// Image readers and writers against the readings of PIL, nibabel and pydicom on the same files
// (tests/data/io/, written by those libraries: scripts/make_reference_io.py), plus round trips of
// the writers and the errors for bad files.
#include <osteon/io/read_image.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

namespace io = osteon::io;
namespace fs = std::filesystem;

std::string data_path(const std::string& name) { return std::string(OSTEON_TEST_DATA_DIR) + "/io/" + name; }

/// The image's values in C order as doubles.
std::vector<double> flat(const io::Image& image) {
  const xt::xarray<double> values = image.as<double>();
  return std::vector<double>(values.begin(), values.end());
}

/// A nested JSON array flattened in C order.
void flatten(const nlohmann::json& value, std::vector<double>& out) {
  if (value.is_array()) {
    for (const auto& item : value) flatten(item, out);
  } else {
    out.push_back(osteon::test::number(value));
  }
}
std::vector<double> flat(const nlohmann::json& value) {
  std::vector<double> out;
  flatten(value, out);
  return out;
}

void check_values(const io::Image& image, const nlohmann::json& expected, double rel = 0.0) {
  const std::vector<double> actual = flat(image), wanted = flat(expected);
  REQUIRE(actual.size() == wanted.size());
  for (std::size_t e = 0; e < actual.size(); ++e) {
    INFO("element " << e);
    CHECK(osteon::test::close(actual[e], wanted[e], rel, 0.0));
  }
}

void check_affine(const io::Image& image, const nlohmann::json& expected, double rel) {
  const auto affine = image.affine();
  for (std::size_t r = 0; r < 4; ++r) {
    for (std::size_t c = 0; c < 4; ++c) {
      INFO("affine(" << r << ", " << c << ")");
      CHECK(osteon::test::close(affine(r, c), expected[r][c].get<double>(), rel, 1e-9));
    }
  }
}

/// A fresh temporary folder, removed at the end of the test.
struct TemporaryFolder {
  fs::path path;
  explicit TemporaryFolder(const std::string& name) : path(fs::temp_directory_path() / ("osteon_io_" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no exception)";
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

}  // namespace

TEST_CASE("Image: geometry in array order, nibabel's affine, RAS <-> LPS, orientation codes") {
  xt::xarray<float> pixels = xt::zeros<float>({4, 5, 6});  // (k, j, i)
  // direction columns: axis 0 (k) -> world z, axis 1 (j) -> -y, axis 2 (i) -> x, in (z, y, x) order
  io::Image volume(io::PixelArray(pixels), {2.5, 0.8, 0.7}, {-30.0, 20.0, -10.0}, {1, 0, 0, 0, -1, 0, 0, 0, 1});
  const auto affine = volume.affine();
  CHECK(affine(0, 0) == doctest::Approx(0.7));
  CHECK(affine(1, 1) == doctest::Approx(-0.8));
  CHECK(affine(2, 2) == doctest::Approx(2.5));
  CHECK(affine(0, 3) == -10.0);
  CHECK(affine(1, 3) == 20.0);
  CHECK(affine(2, 3) == -30.0);
  CHECK(volume.orientation() == "RPS");
  const io::Image lps = volume.in_space(io::Space::LPS);
  CHECK(lps.space() == io::Space::LPS);
  CHECK(lps.origin() == std::vector<double>{-30.0, -20.0, 10.0});
  CHECK(lps.orientation() == "RPS");  // same anatomy, other frame
  CHECK(lps.shared_pixels() == volume.shared_pixels());
  CHECK(volume.pixel_type() == io::PixelType::float32);
  CHECK(error_of([&] { (void)volume.array<double>(); }).find("float32, not float64") != std::string::npos);
  CHECK(error_of([&] { io::Image bad(pixels, std::vector<double>{1.0, -2.0, 1.0}); }).find("spacing[1]") !=
        std::string::npos);
  CHECK(error_of([&] { io::Image bad(pixels, std::vector<double>{1.0, 1.0}); }).find("spacing has 2 entries") !=
        std::string::npos);
  xt::xarray<std::uint8_t> rgb = xt::zeros<std::uint8_t>({3, 4, 3});
  io::Image colour(rgb, 3);
  CHECK(colour.ndim() == 2);
  CHECK(colour.channels() == 3);
  CHECK(error_of([&] { volume.with_pixels(io::PixelArray(rgb)); }).find("spatial axes") == std::string::npos);
  CHECK(error_of([&] { volume.with_pixels(io::PixelArray(xt::xarray<float>::from_shape({2, 2}))); })
            .find("2 spatial axes") != std::string::npos);
}

TEST_CASE("PNG and JPEG equal PIL: 16-bit gray, palette expanded to RGB, JPEG RGB") {
  const auto reference = osteon::test::load_fixture("io/reference_io.json");
  const io::Image gray = io::read_image(data_path("gray16.png"));
  CHECK(gray.pixel_type() == io::PixelType::uint16);
  CHECK(gray.shape() == std::vector<std::size_t>{6, 7});
  check_values(gray, reference["gray16.png"]["values"]);
  const io::Image palette = io::read_image(data_path("palette.png"));
  CHECK(palette.channels() == 3);
  check_values(palette, reference["palette.png"]["values"]);
  const io::Image jpeg = io::read_image(data_path("rgb.jpg"));
  CHECK(jpeg.shape() == std::vector<std::size_t>{8, 10, 3});
  check_values(jpeg, reference["rgb.jpg"]["values"]);
}

TEST_CASE("PNG writer: 8- and 16-bit round trip, spacing in pHYs, atomic") {
  TemporaryFolder folder("png");
  xt::xarray<std::uint16_t> values = xt::xarray<std::uint16_t>::from_shape({5, 9});
  for (std::size_t e = 0; e < values.size(); ++e) values.data()[e] = static_cast<std::uint16_t>(e * 1400);
  io::write_image(folder / "a.png", io::Image(values, std::vector<double>{0.5, 0.25}));
  const io::Image back = io::read_png(folder / "a.png");
  CHECK(back.array<std::uint16_t>() == values);
  CHECK(back.spacing()[0] == doctest::Approx(0.5));
  CHECK(back.spacing()[1] == doctest::Approx(0.25));
  xt::xarray<std::uint8_t> rgb = xt::xarray<std::uint8_t>::from_shape({3, 4, 3});
  for (std::size_t e = 0; e < rgb.size(); ++e) rgb.data()[e] = static_cast<std::uint8_t>(e * 7);
  io::write_png(folder / "rgb.png", io::Image(rgb, 3));
  CHECK(io::read_png(folder / "rgb.png").array<std::uint8_t>() == rgb);
  CHECK(!fs::exists(folder / "rgb.png.partial"));
  CHECK(error_of([&] { io::write_png(folder / "f.png", io::Image(xt::xarray<float>::from_shape({2, 2}))); })
            .find("pixels are float32") != std::string::npos);
}

TEST_CASE("NIfTI equals nibabel: gzipped, scl_slope / scl_inter, sheared sform chosen over the qform") {
  const auto reference = osteon::test::load_fixture("io/reference_io.json")["sform.nii.gz"];
  const io::Image volume = io::read_image(data_path("sform.nii.gz"));
  CHECK(volume.shape() == std::vector<std::size_t>{6, 5, 4});
  CHECK(volume.pixel_type() == io::PixelType::float32);
  CHECK(volume.source_pixel_type() == io::PixelType::int16);
  CHECK(volume.space() == io::Space::RAS);
  check_values(volume, reference["values"]);
  check_affine(volume, reference["affine"], 1e-12);
  CHECK(volume.orientation() == "RPS");
  const io::Image raw = io::read_nifti(data_path("sform.nii.gz"), io::ReadOptions().rescale(false));
  CHECK(raw.pixel_type() == io::PixelType::int16);
}

TEST_CASE("NIfTI writer keeps the geometry: a mask saved in its input's geometry reads back equal") {
  TemporaryFolder folder("nifti");
  const io::Image volume = io::read_image(data_path("sform.nii.gz"));
  xt::xarray<std::uint8_t> mask = xt::cast<std::uint8_t>(volume.array<float>() > 0.0f);
  for (const std::string name : {"mask.nii.gz", "mask.nii"}) {
    io::write_image(folder / name, volume.with_pixels(io::PixelArray(mask)));
    const io::Image back = io::read_image(folder / name);
    CHECK(back.pixel_type() == io::PixelType::uint8);
    CHECK(back.array<std::uint8_t>() == mask);
    const auto a = volume.affine(), b = back.affine();
    for (std::size_t e = 0; e < 16; ++e) CHECK(b.data()[e] == doctest::Approx(a.data()[e]).epsilon(1e-6));
  }
  // An LPS volume is written in RAS: the same world positions.
  const io::Image lps = volume.in_space(io::Space::LPS);
  io::write_image(folder / "lps.nii", lps);
  const io::Image back = io::read_image(folder / "lps.nii");
  for (std::size_t e = 0; e < 16; ++e) CHECK(back.affine().data()[e] == doctest::Approx(volume.affine().data()[e]).epsilon(1e-6));
}

TEST_CASE("DICOM series equals pydicom's stack: files in shuffled order, sorted along the normal, HU") {
  const auto reference = osteon::test::load_fixture("io/reference_io.json")["series"];
  const io::Image ct = io::read_dicom_series(data_path("series"));
  CHECK(ct.shape() == std::vector<std::size_t>{5, 6, 8});
  CHECK(ct.space() == io::Space::LPS);
  CHECK(ct.source_pixel_type() == io::PixelType::int16);
  check_values(ct, reference["values"]);
  const auto spacing = osteon::test::numbers(reference["spacing"]);
  for (std::size_t a = 0; a < 3; ++a) CHECK(ct.spacing()[a] == doctest::Approx(spacing[a]).epsilon(1e-9));
  check_affine(ct, reference["affine"], 1e-6);
  CHECK(std::stod(ct.metadata().at("window_center")) == 40.0);
  CHECK(std::stod(ct.metadata().at("window_width")) == 400.0);
  // read_image on the folder is the same reader.
  CHECK(io::read_image(data_path("series")).as<double>() == ct.as<double>());
}

TEST_CASE("DICOM single files: RLE-compressed with rescale, MONOCHROME1 inverted") {
  const auto reference = osteon::test::load_fixture("io/reference_io.json");
  const io::Image rle = io::read_image(data_path("rle.dcm"));
  CHECK(rle.metadata().at("transfer_syntax") == "1.2.840.10008.1.2.5");
  check_values(rle, reference["rle.dcm"]["values"]);
  CHECK(rle.spacing()[0] == doctest::Approx(0.5));
  CHECK(rle.spacing()[1] == doctest::Approx(0.6));
  const io::Image mono1 = io::read_dicom(data_path("mono1.dcm"));
  check_values(mono1, reference["mono1.dcm"]["values"]);
  const io::Image stored = io::read_dicom(data_path("mono1.dcm"), io::ReadOptions().invert_monochrome1(false));
  check_values(stored, reference["mono1.dcm"]["stored"]);
}

TEST_CASE("bad files: an exception naming the file and what is wrong, never a crash") {
  TemporaryFolder folder("bad");
  CHECK(error_of([&] { io::read_image(folder / "missing.png"); }).find("missing.png': no such file") !=
        std::string::npos);
  write_bytes(folder / "text.png", "hello, not an image at all");
  CHECK(error_of([&] { io::read_image(folder / "text.png"); }).find("unknown image format") != std::string::npos);
  CHECK(error_of([&] { io::read_png(folder / "text.png"); }).find("not a PNG file") != std::string::npos);
  for (const std::string name : {"gray16.png", "rgb.jpg", "sform.nii.gz", "rle.dcm", "series/IM0001.dcm"}) {
    const std::string bytes = read_bytes(data_path(name));
    for (const std::size_t keep : {bytes.size() / 3, bytes.size() - 9}) {
      const std::string truncated = folder / ("cut_" + std::to_string(keep) + "_" + fs::path(name).filename().string());
      write_bytes(truncated, bytes.substr(0, keep));
      const std::string message = error_of([&] { io::read_image(truncated); });
      INFO(name << " cut to " << keep << " bytes: " << message);
      CHECK(message.find(truncated) != std::string::npos);
      CHECK((message.find("truncated") != std::string::npos || message.find("corrupt") != std::string::npos));
    }
  }
  // unsupported pixel type: a NIfTI RGB24 volume (datatype 128)
  std::string nifti = read_bytes(data_path("sform.nii.gz"));
  const std::vector<unsigned char> raw = osteon::io::detail::gunzip(
      std::vector<unsigned char>(nifti.begin(), nifti.end()), "test", "sform.nii.gz");
  std::string header(raw.begin(), raw.end());
  const std::int16_t rgb24 = 128, bits = 24;
  std::memcpy(&header[70], &rgb24, 2);
  std::memcpy(&header[72], &bits, 2);
  write_bytes(folder / "rgb24.nii", header);
  CHECK(error_of([&] { io::read_image(folder / "rgb24.nii"); }).find("unsupported NIfTI datatype 128") !=
        std::string::npos);
  CHECK(error_of([&] { io::write_image(folder / "x.bmp", io::Image(xt::xarray<std::uint8_t>::from_shape({2, 2}))); })
            .find("unknown file ending") != std::string::npos);
}

TEST_CASE("DICOM series errors name the folder and the slice: missing slice, mixed series, mixed geometry") {
  TemporaryFolder folder("series");
  const fs::path source = data_path("series");
  auto copy_series = [&](const std::string& name) {
    const fs::path target = folder.path / name;
    fs::create_directories(target);
    for (const auto& entry : fs::directory_iterator(source)) fs::copy_file(entry.path(), target / entry.path().filename());
    return target;
  };
  // Missing slice: remove the file at the third position along the normal (IM0000.dcm, see the fixture).
  const auto reference = osteon::test::load_fixture("io/reference_io.json")["series"];
  const std::string middle = reference["names"][2].get<std::string>();
  const fs::path gap = copy_series("gap");
  fs::remove(gap / middle);
  std::string message = error_of([&] { io::read_dicom_series(gap.string()); });
  INFO(message);
  CHECK(message.find(gap.string()) != std::string::npos);
  CHECK(message.find("a slice is missing") != std::string::npos);
  CHECK(message.find("slice '") != std::string::npos);
  // Mixed series: another series' file in the folder.
  const fs::path mixed = copy_series("mixed");
  fs::copy_file(data_path("rle.dcm"), mixed / "other.dcm");
  message = error_of([&] { io::read_dicom_series(mixed.string()); });
  CHECK(message.find("mixes 2 series") != std::string::npos);
  // Non-DICOM files beside the slices are skipped; an empty folder is an error.
  const fs::path extra = copy_series("extra");
  write_bytes((extra / "README.txt").string(), "notes");
  CHECK(io::read_dicom_series(extra.string()).shape()[0] == 5);
  fs::create_directories(folder.path / "empty");
  CHECK(error_of([&] { io::read_dicom_series((folder.path / "empty").string()); }).find("no DICOM image") !=
        std::string::npos);
  CHECK(error_of([&] { io::read_dicom_series((folder.path / "nothing").string()); }).find("no such folder") !=
        std::string::npos);
}
