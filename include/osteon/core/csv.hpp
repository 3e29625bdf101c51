#pragma once
/// @file
/// One CSV reader and field writer for every table osteon reads or writes (study tables, split
/// manifests): RFC 4180 — comma-separated, fields optionally in double quotes, `""` for a quote
/// inside one, commas and line breaks allowed inside quotes; LF, CRLF or CR line ends.
///
/// Two leniencies that spreadsheets and hand-edited files need, both documented in docs/data.md:
///   * blank lines are skipped (pandas' skip_blank_lines), so a trailing newline or two is harmless;
///   * with `trim_whitespace`, spaces and tabs around an unquoted field, and around the quotes of a
///     quoted one, are dropped ("A, 0.5" reads as "A","0.5"); inside quotes they are kept.
/// Text must be UTF-8 (a BOM-less UTF-8 file, or ASCII); the first other byte is an error naming
/// its line and column.
/// Every record carries the file line it starts on, so errors name the line a user sees in an
/// editor even when a quoted field spans lines.

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon {

/// One CSV record: its fields and the 1-based file line it starts on.
struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;
};

/// How to read: see the file comment.
struct CsvDialect {
  bool trim_whitespace = false;
};

namespace detail {

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

inline void trim_trailing_blanks(std::string& field) {
  while (!field.empty() && is_blank(field.back())) field.pop_back();
}

/// Offset of the first byte of `text` that is not part of well-formed UTF-8 (RFC 3629: no
/// overlong forms, no surrogates, nothing above U+10FFFF), or npos if all of it is.
inline std::size_t first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (byte < 0x80) { ++i; continue; }
    if (byte >= 0xC2 && byte <= 0xDF) length = 2;
    else if (byte == 0xE0) { length = 3; low = 0xA0; }
    else if (byte == 0xED) { length = 3; high = 0x9F; }
    else if (byte >= 0xE1 && byte <= 0xEF) length = 3;
    else if (byte == 0xF0) { length = 4; low = 0x90; }
    else if (byte == 0xF4) { length = 4; high = 0x8F; }
    else if (byte >= 0xF1 && byte <= 0xF3) length = 4;
    else return i;
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

/// Throws std::invalid_argument naming the line, column and byte of the first byte of `text`
/// that is not UTF-8 (the message itself stays valid UTF-8, so Python can show it).
inline void check_utf8(std::string_view text, const char* function, const std::string& source) {
  const std::size_t bad = first_invalid_utf8(text);
  if (bad == std::string_view::npos) return;
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < bad; ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
      line_start = i + 1;
    }
  }
  static const char* hex = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(text[bad]);
  const char code[5] = {'0', 'x', hex[byte >> 4], hex[byte & 15], 0};
  OSTEON_CHECK_ARG(false, function, ": ", source, " line ", line, " column ", bad - line_start + 1, ": byte ", code,
                   " is not UTF-8; save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
}

}  // namespace detail

/// The whole content of the file at `path`. std::invalid_argument naming `function` and `path`
/// when it is missing, a directory or unreadable (reading a directory would otherwise give an
/// empty text and a misleading "empty file" error further on).
///
/// Example:
///   std::string text = osteon::read_text_file("scores.csv", "read_scores");
inline std::string read_text_file(const std::string& path, const char* function) {
  std::error_code error;
  OSTEON_CHECK_ARG(!std::filesystem::is_directory(path, error), function, ": path \"", path,
                   "\" is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  OSTEON_CHECK_ARG(in.good(), function, ": cannot open path \"", path, "\"");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  OSTEON_CHECK_ARG(!in.bad(), function, ": reading path \"", path, "\" failed");
  return buffer.str();
}

/// Splits CSV `text` into records. `function` and `source` (a path) name the caller and the input
/// in errors: an unterminated quote, or text after a closing quote, is std::invalid_argument naming
/// the line.
///
/// Example:
///   auto records = osteon::parse_csv("id,score\nA,0.5\n\"B,2\",0.7\n", "read_scores", "scores.csv");
///   // records[2].fields == {"B,2", "0.7"}, records[2].line == 3
inline std::vector<CsvRecord> parse_csv(std::string_view text, const char* function, const std::string& source,
                                        CsvDialect dialect = {}) {
  detail::check_utf8(text, function, source);
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  // Where the scanner stands inside the current field.
  enum class State { start, unquoted, quoted, after_quote } state = State::start;
  std::size_t line = 1, field_line = 1;
  record.line = 1;
  const auto end_field = [&] {
    if (dialect.trim_whitespace && state == State::unquoted) detail::trim_trailing_blanks(field);
    record.fields.push_back(std::move(field));
    field.clear();
    state = State::start;
  };
  const auto end_record = [&] {
    const bool blank = record.fields.empty() && field.empty() && state == State::start;
    if (!blank) {
      end_field();
      records.push_back(std::move(record));
    }
    record = CsvRecord{};
    record.line = line;
    state = State::start;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
    if (state == State::quoted) {  // everything is data, line breaks kept as written
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        state = State::after_quote;
      } else {
        field += c;
        if (c == '\n' || (c == '\r' && !crlf)) ++line;
      }
      continue;
    }
    const bool line_break = c == '\n' || c == '\r';
    if (crlf) ++i;  // CRLF is one break
    if (line_break) {
      ++line;
      end_record();
    } else if (c == ',') {
      end_field();
    } else if (state == State::start && c == '"') {
      state = State::quoted;
      field_line = line;
    } else if (state == State::start && dialect.trim_whitespace && detail::is_blank(c)) {
      // leading blank of a field: dropped
    } else if (state == State::after_quote) {
      OSTEON_CHECK_ARG(dialect.trim_whitespace && detail::is_blank(c), function, ": ", source, " line ", line,
                       ": unexpected character '", c, "' after a closing quote");
    } else {
      field += c;
      state = State::unquoted;
    }
  }
  OSTEON_CHECK_ARG(state != State::quoted, function, ": ", source, " line ", field_line,
                   ": quoted field is not terminated");
  end_record();
  return records;
}

/// Reads and splits a CSV file (parse_csv); a file that cannot be opened, or a directory, is
/// std::invalid_argument naming `path` (read_text_file).
///
/// Example:
///   auto records = osteon::read_csv("scores.csv", "read_scores");
inline std::vector<CsvRecord> read_csv(const std::string& path, const char* function, CsvDialect dialect = {}) {
  return parse_csv(read_text_file(path, function), function, path, dialect);
}

/// One field as CSV: quoted (with inner quotes doubled) only when it holds a comma, a quote, a
/// line break or leading/trailing blanks, so that parse_csv reads back exactly `text`.
///
/// Example:
///   osteon::csv_field("hip 7, left");  // → "\"hip 7, left\""
inline std::string csv_field(const std::string& text) {
  const bool edge_blank = !text.empty() && (detail::is_blank(text.front()) || detail::is_blank(text.back()));
  if (!edge_blank && text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace osteon
