#pragma once
/// @file
/// A small CSV reader for study tables (one header row, comma-separated; quoted fields are not
/// supported — split manifests have their own RFC 4180 reader in split/manifest.hpp):
/// labels, scores and ids by column name. Errors name the file, the line and the column.

#include <charconv>
#include <cstddef>
#include <system_error>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::data {

/// A CSV file held as text columns.
///
/// Example:
///   auto table = osteon::data::CsvTable::read("scores.csv");
///   std::vector<double> ap = table.numeric("ap_score");
class CsvTable {
 public:
  static CsvTable read(const std::string& path) {
    std::ifstream file(path);
    OSTEON_CHECK_ARG(file.good(), "CsvTable::read: cannot open path \"", path, "\"");
    CsvTable table;
    table.path_ = path;
    std::string line;
    OSTEON_CHECK_ARG(static_cast<bool>(std::getline(file, line)), "CsvTable::read: \"", path, "\" is empty");
    table.names_ = split(strip(line));
    for (std::size_t c = 0; c < table.names_.size(); ++c) table.index_[table.names_[c]] = c;
    table.columns_.resize(table.names_.size());
    std::size_t line_number = 1;
    while (std::getline(file, line)) {
      ++line_number;
      line = strip(line);
      if (line.empty()) continue;
      const auto fields = split(line);
      OSTEON_CHECK_ARG(fields.size() == table.names_.size(), "CsvTable::read: \"", path, "\" line ", line_number,
                       " has ", fields.size(), " fields, the header has ", table.names_.size());
      for (std::size_t c = 0; c < fields.size(); ++c) table.columns_[c].push_back(fields[c]);
      table.line_numbers_.push_back(line_number);
    }
    return table;
  }

  /// Number of data rows. Example: `table.rows()` → 432 for the demo table.
  std::size_t rows() const { return columns_.empty() ? 0 : columns_[0].size(); }
  /// Column names in file order. Example: `table.names()[0]` → "hip_id".
  const std::vector<std::string>& names() const { return names_; }

  /// The text of one column.
  const std::vector<std::string>& text(const std::string& name) const { return columns_[column(name)]; }

  /// One column parsed as numbers; a field that is not a number is an error naming its line.
  std::vector<double> numeric(const std::string& name) const {
    const auto& fields = columns_[column(name)];
    std::vector<double> values;
    values.reserve(fields.size());
    for (std::size_t r = 0; r < fields.size(); ++r) {
      // std::from_chars: locale-independent ("0.5" is a number under a decimal-comma locale too).
      const std::string& field = fields[r];
      const char* first = field.data();
      if (!field.empty() && field.front() == '+') ++first;  // from_chars refuses a leading '+'
      double value = 0.0;
      const auto [end, error] = std::from_chars(first, field.data() + field.size(), value);
      OSTEON_CHECK_ARG(!field.empty() && error == std::errc() && end == field.data() + field.size(), "CsvTable: column \"",
                       name, "\" of \"", path_, "\" line ", line_numbers_[r], " is not a number: \"", field, "\"");
      values.push_back(value);
    }
    return values;
  }

 private:
  std::size_t column(const std::string& name) const {
    const auto found = index_.find(name);
    OSTEON_CHECK_ARG(found != index_.end(), "CsvTable: \"", path_, "\" has no column \"", name, "\"");
    return found->second;
  }

  static std::string strip(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
  }

  static std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
      const auto comma = line.find(',', start);
      fields.push_back(strip(line.substr(start, comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return fields;
  }

  std::string path_;
  std::vector<std::string> names_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::vector<std::string>> columns_;
  std::vector<std::size_t> line_numbers_;  ///< file line of each row (blank lines are skipped)
};

}  // namespace osteon::data
