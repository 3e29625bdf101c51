#pragma once
/// @file
/// What every subcommand of the `osteon` tool shares: the one-line error contract (bad input →
/// exit code 2 and one line naming the flag or file; anything else → exit code 1), label columns
/// read as class codes, and the output folder.

#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/data/csv_table.hpp"

namespace osteon::cli {

/// Exit codes of the tool.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   ///< a run that failed for another reason (disk full…)
inline constexpr int kExitBadInput = 2;  ///< bad flag, file, column, row: the message names it

/// Runs one subcommand: std::invalid_argument (bad input, from osteon's checks) becomes one line
/// "osteon <command>: <message>" on stderr and exit code 2; other exceptions exit code 1.
///
/// Example:
///   int status = osteon::cli::run_guarded("split", [&] { osteon::cli::run_split(options); });
inline int run_guarded(const std::string& command, const std::function<void()>& body) {
  const auto one_line = [](std::string text) {
    for (char& c : text) if (c == '\n' || c == '\r') c = ' ';
    return text;
  };
  try {
    body();
    return kExitOk;
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "osteon %s: %s\n", command.c_str(), one_line(error.what()).c_str());
    return kExitBadInput;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "osteon %s: %s\n", command.c_str(), one_line(error.what()).c_str());
    return kExitFailure;
  }
}

/// Class labels of a column as integer codes: integers as written (0/1, 0/1/2), otherwise the
/// distinct texts in sorted order (e.g. "normal" < "osteopenia" < "osteoporosis" → 0, 1, 2).
/// `names` receives the text of each code.
inline std::vector<int> label_codes(const data::CsvTable& table, const std::string& column,
                                    std::vector<std::string>* names = nullptr) {
  const auto& text = table.text(column);
  bool integers = !text.empty();
  for (const auto& t : text) {
    std::size_t used = 0;
    try { (void)std::stoi(t, &used); } catch (const std::exception&) { used = 0; }
    integers = integers && used == t.size() && !t.empty();
  }
  std::vector<int> codes;
  std::map<std::string, int> code_of;
  if (integers) {
    for (const auto& t : text) codes.push_back(std::stoi(t)), code_of.emplace(t, codes.back());
  } else {
    for (const auto& t : text) code_of.emplace(t, 0);
    int next = 0;
    for (auto& [name, code] : code_of) code = next++;
    for (const auto& t : text) codes.push_back(code_of[t]);
  }
  if (names) {
    names->clear();
    for (const auto& [name, code] : code_of) names->push_back(name);
  }
  return codes;
}

/// Binary labels (0 / 1) of a column; any other value is an error naming the file, line and column.
inline std::vector<int> binary_labels(const data::CsvTable& table, const std::string& column) {
  const auto values = table.numeric(column);
  std::vector<int> labels;
  for (std::size_t r = 0; r < values.size(); ++r) {
    OSTEON_CHECK_ARG(values[r] == 0.0 || values[r] == 1.0, "column \"", column, "\" row ", r + 1,
                     " holds ", values[r], "; labels must be 0 (control) or 1 (case)");
    labels.push_back(static_cast<int>(values[r]));
  }
  return labels;
}

/// Creates `folder` (and parents); a path that exists as a file is an error naming it.
inline std::string output_folder(const std::string& folder) {
  OSTEON_CHECK_ARG(!folder.empty(), "--out must name a folder");
  OSTEON_CHECK_ARG(!std::filesystem::exists(folder) || std::filesystem::is_directory(folder), "--out \"", folder,
                   "\" is a file, not a folder");
  std::filesystem::create_directories(folder);
  return folder;
}

}  // namespace osteon::cli
