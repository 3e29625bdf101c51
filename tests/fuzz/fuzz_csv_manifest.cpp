// libFuzzer target: the CSV reader and the manifest reader on arbitrary bytes (written to a file, as
// users hand them over). A manifest that reads back must survive write_manifest → read_manifest.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_support.hpp"
#include "osteon/core/csv.hpp"
#include "osteon/split/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  using osteon::fuzz::expect_result_or_invalid_argument;
  expect_result_or_invalid_argument([&] { osteon::parse_csv(text, "fuzz_csv", "input.csv"); });
  expect_result_or_invalid_argument([&] {
    osteon::parse_csv(text, "fuzz_csv", "input.csv", osteon::CsvDialect{true});
  });
  static const std::string folder = [] {
    const auto dir = std::filesystem::temp_directory_path() / ("osteon_fuzz_manifest_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir.string();
  }();
  const std::string path = folder + "/manifest.csv";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  expect_result_or_invalid_argument([&] {
    const auto manifest = osteon::split::read_manifest(path);
    manifest.kind();
    osteon::split::write_manifest(folder + "/again.csv", manifest);
    const auto again = osteon::split::read_manifest(folder + "/again.csv");
    if (again.sample_ids != manifest.sample_ids || again.groups != manifest.groups || again.folds != manifest.folds)
      std::abort();
  });
  return 0;
}
