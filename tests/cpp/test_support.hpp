#pragma once
// Helpers shared by the C++ tests: reading the reference fixtures under tests/data and comparing
// doubles at the tolerance the contract states (1e-12 relative).
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <string>
#include <vector>

namespace osteon::test {

/// Parses tests/data/<name>.
inline nlohmann::json load_fixture(const std::string& name) {
  std::ifstream file(std::string(OSTEON_TEST_DATA_DIR) + "/" + name);
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
