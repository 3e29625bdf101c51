// The splitter and manifest rows of the bad-input matrix (tests/data/errors_matrix.json,
// docs/errors.md).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "errors_matrix.hpp"
#include "osteon/split.hpp"

namespace split = osteon::split;
using osteon::test::Json;
using osteon::test::matrix_number;
using osteon::test::matrix_numbers;

namespace {

std::vector<std::int64_t> ints(const Json& values) { return values.get<std::vector<std::int64_t>>(); }
std::vector<std::string> texts(const Json& values) { return values.get<std::vector<std::string>>(); }

// read_manifest_with_data: a manifest written for `data` (holdout, seed 5), then the row's change
// applied to the data or (edit_group) to the file.
void manifest_with_data(const Json& row) {
  const auto& a = row["args"];
  const auto& data = a["data"];
  const auto& change = a["change"];
  const auto ids = texts(data["sample_ids"]);
  const auto y = ints(data["y"]);
  const auto groups = texts(data["groups"]);
  const auto path = osteon::test::matrix_file(Json{{"missing", true}}, osteon::test::row_file_name(row));
  const auto holdout = split::stratified_holdout(y, groups, 0.5, split::SplitOptions().seed(5));
  split::write_manifest(path, split::make_manifest(split::cohort_record(ids, y, groups), holdout, 5));
  if (change.contains("edit_group")) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto lines = text.str();
    const auto row_index = change["edit_group"][0].get<std::size_t>();
    const auto id = ids[row_index] + "," + groups[row_index] + ",";
    const auto at = lines.find(id);
    REQUIRE(at != std::string::npos);
    lines.replace(at, id.size(), ids[row_index] + "," + change["edit_group"][1].get<std::string>() + ",");
    std::ofstream(path, std::ios::binary) << lines;
  }
  split::read_manifest(path, split::cohort_record(change.contains("sample_ids") ? texts(change["sample_ids"]) : ids,
                                                  change.contains("y") ? ints(change["y"]) : y,
                                                  change.contains("groups") ? texts(change["groups"]) : groups));
}

}  // namespace

TEST_CASE("bad-input matrix: splitters and manifests") {
  const int run = osteon::test::run_error_rows({"split"}, [](const Json& row) {
    const auto& a = row["args"];
    const std::string entry = row["entry"];
    if (entry == "read_manifest") {
      split::read_manifest(osteon::test::matrix_file(a["path"], osteon::test::row_file_name(row)));
      return;
    }
    if (entry == "read_manifest_with_data") return manifest_with_data(row);
    const auto y = matrix_numbers(a["y"]);
    const auto groups = ints(a["groups"]);
    if (entry == "stratified_holdout") split::stratified_holdout(y, groups, matrix_number(a["test_size"]));
    else if (entry == "stratified_kfold") split::stratified_kfold(y, a["n_splits"].get<std::int64_t>(), groups);
    else if (entry == "nested_split") split::nested_split(y, a["n_splits"].get<std::int64_t>(), groups, matrix_number(a["test_size"]));
    else FAIL("no C++ call for " << entry);
  });
  CHECK(run > 50);
}
