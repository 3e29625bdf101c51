#pragma once
// Runs the rows of the bad-input matrix (tests/data/errors_matrix.json, written with docs/errors.md
// by scripts/make_errors_matrix.py) that belong to one test program: each row's call must throw
// the row's exception type (mapped as pybind11 maps C++ exceptions to Python) with a message that
// contains the row's fragment.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace osteon::test {

using Json = nlohmann::json;

inline const Json& errors_matrix() {
  static const Json table = [] {
    std::ifstream in(std::string(OSTEON_TEST_DATA_DIR) + "/errors_matrix.json");
    REQUIRE_MESSAGE(in.good(), "missing tests/data/errors_matrix.json");
    return Json::parse(in);
  }();
  return table;
}

/// A number of the table: JSON numbers, or "NaN", "Inf", "-Inf".
inline double matrix_number(const Json& value) {
  if (value.is_number()) return value.get<double>();
  const auto text = value.get<std::string>();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  throw std::logic_error("errors matrix: not a number: " + text);
}

inline std::vector<double> matrix_numbers(const Json& values) {
  std::vector<double> out;
  for (const auto& value : values) out.push_back(matrix_number(value));
  return out;
}

/// A file described by a row: {"missing": true}, {"directory": true}, {"file": text | {"hex": ...} |
/// {"random": n, "seed": s, "prefix": hex}}; written under a scratch folder. Returns its path.
/// Specs it does not know (e.g. "saved") are left to `custom`, which writes `path` itself.
inline std::string matrix_file(const Json& spec, const std::string& name,
                               const std::function<void(const Json&, const std::string&)>& custom = {}) {
  const auto dir = std::filesystem::temp_directory_path() / ("osteon_errors_matrix_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::filesystem::remove_all(path);
  if (spec.contains("missing")) return path.string();
  if (spec.contains("directory")) {
    std::filesystem::create_directories(path);
    return path.string();
  }
  if (!spec.contains("file")) {
    REQUIRE_MESSAGE(static_cast<bool>(custom), "errors matrix: unknown file spec " << spec.dump());
    custom(spec, path.string());
    return path.string();
  }
  const auto& file = spec["file"];
  std::string bytes;
  const auto from_hex = [](const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
  };
  if (file.is_string()) {
    bytes = file.get<std::string>();
  } else if (file.contains("hex")) {
    bytes = from_hex(file["hex"].get<std::string>());
  } else {
    // The same bytes as the Python runner: a 32-bit LCG (Numerical Recipes), top byte of each step.
    std::uint32_t state = file["seed"].get<std::uint32_t>();
    bytes = file.contains("prefix") ? from_hex(file["prefix"].get<std::string>()) : std::string();
    const auto n = file["random"].get<std::size_t>();
    while (bytes.size() < n) {
      state = state * 1664525u + 1013904223u;
      bytes += static_cast<char>(state >> 24);
    }
  }
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

/// The Python exception pybind11 raises for a C++ exception (c10::Error: RuntimeError).
inline std::string python_type_of(const std::exception& error) {
  if (dynamic_cast<const std::invalid_argument*>(&error) || dynamic_cast<const std::domain_error*>(&error) ||
      dynamic_cast<const std::length_error*>(&error) || dynamic_cast<const std::range_error*>(&error)) {
    return "ValueError";
  }
  if (dynamic_cast<const std::out_of_range*>(&error)) return "IndexError";
  if (dynamic_cast<const std::overflow_error*>(&error)) return "OverflowError";
  return "RuntimeError";
}

inline std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

/// Runs every C++ row of `areas`: `call(row)` must throw. "{path}" in an expected message is the
/// scratch file of the row (matrix_file with row_file_name). Returns the rows run.
inline int run_error_rows(const std::vector<std::string>& areas, const std::function<void(const Json&)>& call) {
  int run = 0;
  for (const auto& row : errors_matrix()["rows"]) {
    if (!row["cpp"].get<bool>()) continue;
    if (std::find(areas.begin(), areas.end(), row["area"].get<std::string>()) == areas.end()) continue;
    const std::string id = row["id"].get<std::string>();
    CAPTURE(id);
    bool threw = false;
    try {
      call(row);
    } catch (const std::exception& error) {
      threw = true;
      const std::string message = error.what();
      CHECK_MESSAGE(python_type_of(error) == row["error"].get<std::string>(),
                    id << ": threw " << python_type_of(error) << ": " << message);
      // The path is the one the row's file got; rows name it as {path}.
      std::string expected = row["message"].get<std::string>();
      if (expected.find("{path}") != std::string::npos) {
        const auto dir = std::filesystem::temp_directory_path() / ("osteon_errors_matrix_" + std::to_string(::getpid()));
        expected = replace_all(expected, "{path}", (dir / replace_all(id, "/", "_")).string());
      }
      CHECK_MESSAGE(message.find(expected) != std::string::npos, id << ": message '" << message
                                                                    << "' lacks '" << expected << "'");
    }
    CHECK_MESSAGE(threw, id << ": no exception (a silent result)");
    ++run;
  }
  return run;
}

/// The scratch file name of a row (used with matrix_file, so "{path}" can be reconstructed).
inline std::string row_file_name(const Json& row) { return replace_all(row["id"].get<std::string>(), "/", "_"); }

}  // namespace osteon::test
