// Image <-> torch::Tensor: zero-copy where torch has the pixel type, widened copies where it has
// not (uint16 -> int32), and back with the geometry kept.
#include <osteon/io/image_tensor.hpp>

#include <torch/torch.h>

#include "test_support.hpp"

namespace io = osteon::io;

TEST_CASE("to_tensor shares the pixels (float32, uint8) and keeps them alive") {
  torch::Tensor tensor;
  const float* pixels = nullptr;
  {
    xt::xarray<float> values = xt::arange<float>(24.0f).reshape({2, 3, 4});
    io::Image image(values, std::vector<double>{3.0, 1.0, 1.0});
    pixels = image.array<float>().data();
    tensor = io::to_tensor(image);
    CHECK(io::tensor_shares_pixels(image));
    CHECK(tensor.data_ptr<float>() == pixels);
    CHECK(tensor.sizes() == torch::IntArrayRef({2, 3, 4}));
    tensor[1][2][3] = -5.0f;
    CHECK(image.array<float>()(1, 2, 3) == -5.0f);
  }
  // the image is gone; the tensor still owns the memory
  CHECK(tensor.data_ptr<float>() == pixels);
  CHECK(tensor[1][2][3].item<float>() == -5.0f);
  CHECK(tensor.sum().item<double>() == doctest::Approx(276.0 - 23.0 - 5.0));
}

TEST_CASE("uint16 pixels become an int32 copy; from_tensor keeps the geometry") {
  xt::xarray<std::uint16_t> values = {{0, 65535}, {1000, 2}};
  io::Image image(io::PixelArray(values), {0.5, 0.25}, {10.0, 20.0}, {}, io::Space::LPS);
  const torch::Tensor tensor = io::to_tensor(image);
  CHECK(!io::tensor_shares_pixels(image));
  CHECK(bool(tensor.scalar_type() == torch::kInt32));
  CHECK(tensor[0][1].item<int>() == 65535);
  const io::Image mask = io::from_tensor(tensor > 500, image);
  CHECK(mask.pixel_type() == io::PixelType::uint8);
  CHECK(mask.spacing() == image.spacing());
  CHECK(mask.origin() == image.origin());
  CHECK(mask.space() == io::Space::LPS);
  CHECK(mask.array<std::uint8_t>() == xt::xarray<std::uint8_t>{{0, 1}, {1, 0}});
  CHECK_THROWS_WITH_AS(io::from_tensor(torch::zeros({1, 2, 2}), image), doctest::Contains("3 spatial axes"),
                       c10::Error);
}
