#pragma once
/// @file
/// The bridge from files to samples: `ImageReader` (a function path → io::Image), the default
/// reader (osteon's readers in io/, chosen by the file's extension), and `image_tensor`, which
/// turns an Image into the (C, spatial...) layout of a Sample (colour channels first).

#include <algorithm>
#include <cctype>
#include <functional>
#include <string>

#include <torch/torch.h>

#include "osteon/io/image.hpp"
#include "osteon/io/image_tensor.hpp"
#include "osteon/io/jpeg.hpp"
#include "osteon/io/nifti.hpp"
#include "osteon/io/png.hpp"
#include "osteon/io/tiff.hpp"

namespace osteon::data {

/// Reads one file into an image; ManifestDataset calls it from several threads at once.
using ImageReader = std::function<io::Image(const std::string&)>;

namespace detail {
inline bool ends_with(std::string text, const std::string& suffix) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace detail

/// The default reader: PNG, JPEG, TIFF and NIfTI (.nii, .nii.gz) by extension.
///
/// Example:
///   osteon::io::Image radiograph = osteon::data::read_image_file("study/images/P001-L_ap.png");
inline io::Image read_image_file(const std::string& path) {
  if (detail::ends_with(path, ".png")) return io::read_png(path);
  if (detail::ends_with(path, ".jpg") || detail::ends_with(path, ".jpeg")) return io::read_jpeg(path);
  if (detail::ends_with(path, ".tif") || detail::ends_with(path, ".tiff")) return io::read_tiff(path);
  if (detail::ends_with(path, ".nii") || detail::ends_with(path, ".nii.gz")) return io::read_nifti(path);
  OSTEON_CHECK_ARG(false, "read_image_file: \"", path, "\": unsupported file type (PNG, JPEG, TIFF, NIfTI)");
  return {};
}

/// An image as a (C, spatial...) tensor: gray images get a channel axis of 1, colour images
/// have their trailing channel axis moved first. Shares the pixels when io::to_tensor does.
///
/// Example:
///   torch::Tensor x = osteon::data::image_tensor(osteon::data::read_image_file("ap.png"));   // (1, H, W)
inline torch::Tensor image_tensor(const io::Image& image) {
  auto tensor = io::to_tensor(image);
  if (image.channels() == 0) return tensor.unsqueeze(0);
  return tensor.movedim(-1, 0);
}

}  // namespace osteon::data
