#pragma once
/// @file
/// Predictions and per-subject tables as CSV: named columns of text or numbers, written atomically
/// (core/atomic_file.hpp), numbers in their shortest round-trip form so that reading the file back
/// (data/csv_table.hpp) gives the exact doubles the report was computed from.

#include <string>
#include <variant>
#include <vector>

#include "osteon/core/atomic_file.hpp"
#include "osteon/core/check.hpp"
#include "osteon/core/csv.hpp"

namespace osteon::report {

/// A table of equally long columns, written as one CSV file.
///
/// Example:
///   osteon::report::ColumnsCsv table;
///   table.text("hip_id", ids).number("outcome", outcome).number("p_ap", p_ap);
///   table.write("out/predictions.csv");
class ColumnsCsv {
 public:
  /// Adds a text column.
  ColumnsCsv& text(const std::string& name, std::vector<std::string> values) {
    add(name, values.size());
    columns_.emplace_back(std::move(values));
    return *this;
  }

  /// Adds a numeric column (any iterable of numbers); NaN is written as "nan" (pandas reads it).
  template <typename Values>
  ColumnsCsv& number(const std::string& name, const Values& values) {
    std::vector<double> copy;
    for (const auto v : values) copy.push_back(static_cast<double>(v));
    add(name, copy.size());
    columns_.emplace_back(std::move(copy));
    return *this;
  }

  std::size_t rows() const { return rows_; }
  const std::vector<std::string>& names() const { return names_; }

  /// Writes the table atomically; std::runtime_error names `path` when it cannot.
  void write(const std::string& path) const {
    write_file_atomically(path, "ColumnsCsv::write", [&](std::ostream& out) {
      for (std::size_t c = 0; c < names_.size(); ++c) out << (c ? "," : "") << csv_field(names_[c]);
      out << '\n';
      for (std::size_t r = 0; r < rows_; ++r) {
        for (std::size_t c = 0; c < columns_.size(); ++c) {
          if (c) out << ',';
          if (const auto* text = std::get_if<std::vector<std::string>>(&columns_[c])) {
            out << csv_field((*text)[r]);
          } else {
            const double v = std::get<std::vector<double>>(columns_[c])[r];
            out << (std::isnan(v) ? std::string("nan") : osteon::detail::concat(v));
          }
        }
        out << '\n';
      }
    });
  }

 private:
  void add(const std::string& name, std::size_t size) {
    OSTEON_CHECK_ARG(names_.empty() || size == rows_, "ColumnsCsv: column \"", name, "\" has ", size,
                     " values, column \"", names_.empty() ? "" : names_[0], "\" has ", rows_);
    for (const auto& existing : names_) {
      OSTEON_CHECK_ARG(existing != name, "ColumnsCsv: column \"", name, "\" was added twice");
    }
    names_.push_back(name);
    rows_ = size;
  }

  std::vector<std::string> names_;
  std::vector<std::variant<std::vector<std::string>, std::vector<double>>> columns_;
  std::size_t rows_ = 0;
};

}  // namespace osteon::report
