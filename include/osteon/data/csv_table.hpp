#pragma once
/// @file
/// A small CSV reader for study tables (one header row, comma-separated, no quoted commas):
/// labels, scores and ids by column name. Errors name the file, the line and the column.

#include <cerrno>
#include <cstddef>
#include <cstdlib>
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
    }
    return table;
  }

  std::size_t rows() const { return columns_.empty() ? 0 : columns_[0].size(); }
  const std::vector<std::string>& names() const { return names_; }

  /// The text of one column.
  const std::vector<std::string>& text(const std::string& name) const { return columns_[column(name)]; }

  /// One column parsed as numbers; a field that is not a number is an error naming its line.
  std::vector<double> numeric(const std::string& name) const {
    const auto& fields = columns_[column(name)];
    std::vector<double> values;
    values.reserve(fields.size());
    for (std::size_t r = 0; r < fields.size(); ++r) {
      const char* begin = fields[r].c_str();
      char* end = nullptr;
      errno = 0;
      const double value = std::strtod(begin, &end);
      OSTEON_CHECK_ARG(end != begin && *end == '\0' && errno == 0, "CsvTable: column \"", name, "\" of \"", path_,
                       "\" line ", r + 2, " is not a number: \"", fields[r], "\"");
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
};

}  // namespace osteon::data
