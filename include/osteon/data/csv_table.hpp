#pragma once
/// @file
/// Study tables read from CSV (core/csv.hpp: RFC 4180, blank lines skipped, blanks around fields
/// trimmed): labels, scores and ids by column name. Errors name the file, the line and the column.

#include <charconv>
#include <cstddef>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/csv.hpp"

namespace osteon::data {

/// A CSV file held as text columns.
///
/// Example:
///   auto table = osteon::data::CsvTable::read("scores.csv");
///   std::vector<double> ap = table.numeric("ap_score");
class CsvTable {
 public:
  static CsvTable read(const std::string& path) {
    auto records = read_csv(path, "CsvTable::read", CsvDialect{/*trim_whitespace=*/true});
    OSTEON_CHECK_ARG(!records.empty(), "CsvTable::read: \"", path, "\" is empty");
    CsvTable table;
    table.path_ = path;
    table.names_ = std::move(records[0].fields);
    for (std::size_t c = 0; c < table.names_.size(); ++c) {
      const bool fresh = table.index_.emplace(table.names_[c], c).second;
      OSTEON_CHECK_ARG(fresh, "CsvTable::read: \"", path, "\" has the column \"", table.names_[c], "\" twice");
    }
    table.columns_.resize(table.names_.size());
    for (std::size_t r = 1; r < records.size(); ++r) {
      auto& fields = records[r].fields;
      OSTEON_CHECK_ARG(fields.size() == table.names_.size(), "CsvTable::read: \"", path, "\" line ", records[r].line,
                       " has ", fields.size(), " fields, the header has ", table.names_.size());
      for (std::size_t c = 0; c < fields.size(); ++c) table.columns_[c].push_back(std::move(fields[c]));
      table.line_numbers_.push_back(records[r].line);
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

  std::string path_;
  std::vector<std::string> names_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::vector<std::string>> columns_;
  std::vector<std::size_t> line_numbers_;  ///< file line of each row (blank lines are skipped)
};

}  // namespace osteon::data
