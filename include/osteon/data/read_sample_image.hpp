#pragma once
/// @file
/// The bridge from files to samples: `ImageReader` (a function path → io::Image; the default is
/// io::read_image, which reads PNG, JPEG, TIFF, NIfTI, DICOM files and DICOM series folders by
/// content), and `image_tensor`, which turns an Image into the (C, spatial...) layout of a Sample.

#include <functional>
#include <string>

#include <torch/torch.h>

#include "osteon/io/image.hpp"
#include "osteon/io/image_tensor.hpp"
#include "osteon/io/read_image.hpp"

namespace osteon::data {

/// Reads one file (or DICOM series folder) into an image; ManifestDataset calls it from several threads at once.
using ImageReader = std::function<io::Image(const std::string&)>;

/// The default reader of ManifestDataset: io::read_image with its default options.
///
/// Example:
///   osteon::io::Image radiograph = osteon::data::read_image_file("study/images/P001-L_ap.png");
inline io::Image read_image_file(const std::string& path) { return io::read_image(path); }

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
