// libFuzzer target: the state-dict reader (zip container + restricted unpickler) on arbitrary bytes.
// Built only with OSTEON_FUZZ_TORCH=ON (clang against LibTorch): every input must load or be refused
// with std::invalid_argument naming the file.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_support.hpp"
#include "osteon/io/state_dict.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = [] {
    const auto dir = std::filesystem::temp_directory_path() / ("osteon_fuzz_state_dict_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / "w.pt").string();
  }();
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                               static_cast<std::streamsize>(size));
  osteon::fuzz::expect_result_or_invalid_argument([&] {
    const auto dict = osteon::io::load_state_dict_file(path);
    for (const auto& item : dict) item.value().sum();  // touch every element the views reach
  });
  return 0;
}
