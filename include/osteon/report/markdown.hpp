#pragma once
/// @file
/// A GitHub-flavoured markdown table: a header, rows of cells, rendered with `|` in cells escaped.

#include <string>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::report {

/// A markdown table built row by row.
///
/// Example:
///   osteon::report::MarkdownTable table({"model", "AUC [95 % CI]"});
///   table.add_row({"AP", "0.810 [0.740, 0.880]"});
///   std::string text = table.render();  // "| model | AUC [95 % CI] |\n|---|---|\n| AP | 0.810 … |\n"
class MarkdownTable {
 public:
  explicit MarkdownTable(std::vector<std::string> header) : header_(std::move(header)) {
    OSTEON_CHECK_ARG(!header_.empty(), "MarkdownTable: header must name at least one column, got 0");
  }

  /// Appends a row; it must have one cell per header column.
  MarkdownTable& add_row(std::vector<std::string> cells) {
    OSTEON_CHECK_ARG(cells.size() == header_.size(), "MarkdownTable::add_row: the row has ", cells.size(),
                     " cells, the header ", header_.size(), " (first cell \"", cells.empty() ? "" : cells[0], "\")");
    rows_.push_back(std::move(cells));
    return *this;
  }

  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }

  /// The table as markdown, one line per row, ending in a newline.
  std::string render() const {
    std::string text = line(header_);
    text += "|";
    for (std::size_t c = 0; c < header_.size(); ++c) text += "---|";
    text += "\n";
    for (const auto& row : rows_) text += line(row);
    return text;
  }

 private:
  static std::string line(const std::vector<std::string>& cells) {
    std::string text = "|";
    for (const auto& cell : cells) {
      text += " ";
      for (const char c : cell) {
        if (c == '|') text += "\\|";
        else if (c == '\n') text += ' ';
        else text += c;
      }
      text += " |";
    }
    return text + "\n";
  }

  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace osteon::report
