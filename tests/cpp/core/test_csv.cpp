#include <osteon/core/csv.hpp>
#include <osteon/core/rng.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

using osteon::CsvDialect;
using osteon::parse_csv;
using Fields = std::vector<std::string>;

namespace {
std::vector<Fields> fields_of(const std::vector<osteon::CsvRecord>& records) {
  std::vector<Fields> out;
  for (const auto& record : records) out.push_back(record.fields);
  return out;
}
}  // namespace

TEST_CASE("parse_csv reads the examples of RFC 4180, section 2") {
  // 2.1 / 2.2: CRLF line ends, with or without one after the last record.
  CHECK(fields_of(parse_csv("aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n", "t", "s")) ==
        std::vector<Fields>{{"aaa", "bbb", "ccc"}, {"zzz", "yyy", "xxx"}});
  CHECK(fields_of(parse_csv("aaa,bbb,ccc\r\nzzz,yyy,xxx", "t", "s")) ==
        std::vector<Fields>{{"aaa", "bbb", "ccc"}, {"zzz", "yyy", "xxx"}});
  // 2.5: quoted fields.
  CHECK(fields_of(parse_csv("\"aaa\",\"bbb\",\"ccc\"\r\nzzz,yyy,xxx", "t", "s"))[0] == Fields{"aaa", "bbb", "ccc"});
  // 2.6: line breaks and commas inside quotes.
  CHECK(fields_of(parse_csv("\"aaa\",\"b\r\nbb\",\"ccc\"\r\nzzz,yyy,xxx", "t", "s")) ==
        std::vector<Fields>{{"aaa", "b\r\nbb", "ccc"}, {"zzz", "yyy", "xxx"}});
  // 2.7: a doubled quote inside quotes is one quote.
  CHECK(fields_of(parse_csv("\"aaa\",\"b\"\"bb\",\"ccc\"", "t", "s"))[0] == Fields{"aaa", "b\"bb", "ccc"});
  // Empty fields, quoted and not, keep their place.
  CHECK(fields_of(parse_csv("a,,\"\",b,\n", "t", "s"))[0] == Fields{"a", "", "", "b", ""});
}

TEST_CASE("parse_csv numbers records by the line they start on, skipping blank lines") {
  const auto records = parse_csv("h1,h2\n\n\"two\nlines\",x\r\ny,z\rlast,1\n\n", "t", "s");
  REQUIRE(records.size() == 4);
  CHECK(records[0].line == 1);
  CHECK(records[1].line == 3);  // after a blank line
  CHECK(records[1].fields == Fields{"two\nlines", "x"});
  CHECK(records[2].line == 5);  // the quoted field spanned lines 3-4
  CHECK(records[3].line == 6);  // a bare CR ends a line too
  CHECK(records[3].fields == Fields{"last", "1"});
}

TEST_CASE("trim_whitespace drops blanks around fields and quotes, never inside quotes") {
  const CsvDialect trim{true};
  CHECK(parse_csv(" a , \" b \" ,\tc\t\n", "t", "s", trim)[0].fields == Fields{"a", " b ", "c"});
  CHECK(parse_csv(" a , \" b \" ,\tc\t\n", "t", "s")[0].fields == Fields{" a ", " \" b \" ", "\tc\t"});
  CHECK(parse_csv("x\n   \n y\n", "t", "s", trim).size() == 2);  // a line of blanks is blank
}

TEST_CASE("parse_csv errors name the caller, the source and the line") {
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n\"open,c\nd\n", "read_manifest", "m.csv"),
                       "read_manifest: m.csv line 2: quoted field is not terminated", std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n\"x\"y,c\n", "CsvTable::read", "t.csv"),
                       "CsvTable::read: t.csv line 2: unexpected character 'y' after a closing quote",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(osteon::read_csv("/nonexistent/x.csv", "CsvTable::read"),
                       doctest::Contains("CsvTable::read: cannot open path \"/nonexistent/x.csv\""),
                       std::invalid_argument);
}

TEST_CASE("csv_field writes what parse_csv reads back, for any text") {
  // Property check over random strings drawn from the characters that matter to CSV.
  const std::string alphabet = "ab ,\"\r\n\t1";
  osteon::Pcg32 rng(2024);
  for (int trial = 0; trial < 2000; ++trial) {
    Fields row(1 + rng.uniform_below(4));
    for (auto& field : row) {
      const auto length = rng.uniform_below(7);
      for (std::uint64_t i = 0; i < length; ++i) field += alphabet[rng.uniform_below(alphabet.size())];
    }
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "," : "") + osteon::csv_field(row[i]);
    const bool only_empty = row.size() == 1 && row[0].empty();  // an empty line is a blank line
    for (const CsvDialect dialect : {CsvDialect{false}, CsvDialect{true}}) {
      const auto records = parse_csv(line + "\r\n", "t", "s", dialect);
      if (only_empty) {
        CHECK(records.empty());
      } else {
        REQUIRE(records.size() == 1);
        CHECK(records[0].fields == row);
      }
    }
  }
  CHECK(osteon::csv_field("hip 7, left") == "\"hip 7, left\"");
  CHECK(osteon::csv_field("plain") == "plain");
}
