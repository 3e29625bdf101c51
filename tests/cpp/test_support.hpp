#pragma once
// Helpers shared by the C++ tests: reading the reference fixtures under tests/data, comparing
// doubles at the tolerance the contract states (1e-12 relative), the message of an expected
// exception, and scratch folders.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <iomanip>
#include <limits>
#include <string>
#include <vector>

namespace osteon::test {

/// tests/data/<relative> as a path.
inline std::string fixture_path(const std::string& relative) {
  return std::string(OSTEON_TEST_DATA_DIR) + "/" + relative;
}

/// A fresh-or-reused folder <tmp>/osteon_test_<name> for files a test writes.
inline std::filesystem::path scratch_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("osteon_test_" + name);
  std::filesystem::remove_all(dir);  // a fresh folder: tests count the files they write there
  std::filesystem::create_directories(dir);
  return dir;
}

/// The message of the `Error` (std::invalid_argument by default; c10::Error for tensor checks)
/// that `call` throws, or "<no exception>". Other exceptions propagate, so the test fails.
template <typename Error = std::invalid_argument, typename Call>
std::string message_of(Call&& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.what();
  }
  return "<no exception>";
}

/// Whether `text` contains `fragment` (for CHECK(contains(message_of(...), "...")).
inline bool contains(const std::string& text, const std::string& fragment) {
  return text.find(fragment) != std::string::npos;
}

/// Number of parameter values of a torch module (any type with parameters() of tensors).
template <typename Module>
std::int64_t parameter_count(const Module& module) {
  std::int64_t count = 0;
  for (const auto& parameter : module.parameters()) count += parameter.numel();
  return count;
}

/// Parses tests/data/<name>.
inline nlohmann::json load_fixture(const std::string& name) {
  std::ifstream file(fixture_path(name));
  REQUIRE_MESSAGE(file.good(), "missing fixture tests/data/" << name);
  return nlohmann::json::parse(file);
}

/// A fixture number: JSON numbers, or the strings "Inf", "-Inf", "NaN"; null reads as NaN.
inline double number(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
  const auto text = value.get<std::string>();
  if (text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  FAIL("not a number in fixture: " << text);
  return 0.0;
}

inline std::vector<double> numbers(const nlohmann::json& values) {
  std::vector<double> out;
  for (const auto& value : values) out.push_back(number(value));
  return out;
}

/// |actual − expected| ≤ rel·|expected| + abs (the absolute term only matters at exact zeros);
/// equal infinities and two NaNs match.
inline bool close(double actual, double expected, double rel = 1e-12, double abs = 1e-14) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (std::isinf(expected)) return actual == expected;
  return std::abs(actual - expected) <= rel * std::abs(expected) + abs;
}

#define OSTEON_CHECK_CLOSE(actual, expected)                                                     \
  CHECK_MESSAGE(::osteon::test::close((actual), (expected)), #actual " = " << std::setprecision(17) \
                                                                           << (actual) << ", expected " << (expected))

inline void check_all_close(const std::vector<double>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("index " << i);
    OSTEON_CHECK_CLOSE(actual[i], expected[i]);
  }
}

}  // namespace osteon::test
