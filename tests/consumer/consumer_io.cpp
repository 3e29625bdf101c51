// Uses osteon::io alone (torch-free image readers / writers): writes a 16-bit PNG and reads it back.
#include <osteon/io/read_image.hpp>

#include <cstdio>
#include <filesystem>

int main() {
  xt::xarray<std::uint16_t> pixels = {{0, 1000}, {40000, 65535}};
  const std::string path = (std::filesystem::temp_directory_path() / "osteon_consumer_io.png").string();
  osteon::io::write_image(path, osteon::io::Image(pixels));
  const osteon::io::Image back = osteon::io::read_image(path);
  std::filesystem::remove(path);
  const bool same = back.array<std::uint16_t>() == pixels;
  std::printf("png round trip: %s\n", same ? "equal" : "different");
  return same ? 0 : 1;
}
