#include <osteon/core/atomic_file.hpp>
#include <osteon/data/csv_table.hpp>

#include <filesystem>
#include <iterator>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/osteon_test_" + name;
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("CsvTable reads columns by name and parses numbers") {
  const auto path = write_temp("ok.csv", "id,label,score\r\nA,0,0.25\nB,1, 1e-3 \n\n");
  const auto table = osteon::data::CsvTable::read(path);
  CHECK(table.rows() == 2);
  CHECK(table.text("id") == std::vector<std::string>{"A", "B"});
  CHECK(table.numeric("score") == std::vector<double>{0.25, 1e-3});
}

TEST_CASE("CsvTable reads quoted fields (RFC 4180) and trims blanks outside quotes") {
  const auto path = write_temp("quoted.csv", "id, note ,score\n\"hip 7, left\", \"said \"\"no\"\"\" ,0.5\n");
  const auto table = osteon::data::CsvTable::read(path);
  CHECK(table.names() == std::vector<std::string>{"id", "note", "score"});
  CHECK(table.text("id") == std::vector<std::string>{"hip 7, left"});
  CHECK(table.text("note") == std::vector<std::string>{"said \"no\""});
  CHECK(table.numeric("score") == std::vector<double>{0.5});
  const auto twice = write_temp("twice.csv", "id,score,id\nA,1,B\n");
  CHECK_THROWS_WITH_AS(osteon::data::CsvTable::read(twice), doctest::Contains("has the column \"id\" twice"),
                       std::invalid_argument);
}

TEST_CASE("CsvTable errors name the file, line and column") {
  const auto path = write_temp("bad.csv", "id,score\nA,0.5\nB,abc\nC\n");
  CHECK_THROWS_WITH_AS(osteon::data::CsvTable::read(path), doctest::Contains("line 4 has 1 fields"),
                       std::invalid_argument);
  // Line numbers count blank lines too.
  const auto path2 = write_temp("bad2.csv", "id,score\n\nA,0.5\nB,abc\nC,1e999\n");
  const auto table = osteon::data::CsvTable::read(path2);
  CHECK_THROWS_WITH_AS(table.numeric("score"), doctest::Contains("line 4 is not a number: \"abc\""),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(table.numeric("nope"), doctest::Contains("has no column \"nope\""), std::invalid_argument);
  CHECK_THROWS_WITH_AS(osteon::data::CsvTable::read("/nonexistent.csv"), doctest::Contains("cannot open"),
                       std::invalid_argument);
}

TEST_CASE("write_file_atomically replaces the file only when writing succeeded") {
  const std::string path = "/tmp/osteon_test_atomic.txt";
  osteon::write_file_atomically(path, "test", [](std::ostream& out) { out << "first\n"; });
  CHECK_THROWS_WITH_AS(osteon::write_file_atomically(path, "test",
                                                     [](std::ostream& out) {
                                                       out << "half";
                                                       throw std::runtime_error("disk full");
                                                     }),
                       "disk full", std::runtime_error);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "first\n");  // the old contents survive
  CHECK_FALSE(std::filesystem::exists(path + ".partial"));  // and no temporary is left behind
  CHECK_THROWS_WITH_AS(osteon::write_file_atomically("/nonexistent-dir/x.txt", "write_manifest",
                                                     [](std::ostream& out) { out << "x"; }),
                       doctest::Contains("write_manifest: cannot create a temporary file"), std::runtime_error);
}
