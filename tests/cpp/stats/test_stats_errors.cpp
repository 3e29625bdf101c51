// The statistics rows of the bad-input matrix (tests/data/errors_matrix.json, docs/errors.md).
#include <doctest/doctest.h>

#include "errors_matrix.hpp"
#include "osteon/stats.hpp"

namespace st = osteon::stats;
using osteon::test::Json;
using osteon::test::matrix_number;
using osteon::test::matrix_numbers;

TEST_CASE("bad-input matrix: statistics") {
  const int run = osteon::test::run_error_rows({"stats"}, [](const Json& row) {
    const auto& a = row["args"];
    const std::string entry = row["entry"];
    const double level = a.contains("level") ? matrix_number(a["level"]) : 0.95;
    if (entry == "mean_sd") {
      st::mean_sd(matrix_numbers(a["values"]), a["ddof"].get<int>());
    } else if (entry == "paired_ttest") {
      st::paired_ttest(matrix_numbers(a["a"]), matrix_numbers(a["b"]), st::Alternative::TwoSided, level);
    } else if (entry == "wilcoxon_signed_rank") {
      st::wilcoxon_signed_rank(matrix_numbers(a["a"]), matrix_numbers(a["b"]));
    } else if (entry == "bland_altman") {
      st::bland_altman(matrix_numbers(a["a"]), matrix_numbers(a["b"]), level);
    } else if (entry == "linear_regression") {
      st::linear_regression(matrix_numbers(a["x"]), matrix_numbers(a["y"]));
    } else if (entry == "pearson") {
      st::pearson(matrix_numbers(a["x"]), matrix_numbers(a["y"]), level);
    } else {
      FAIL("no C++ call for " << entry);
    }
  });
  CHECK(run > 50);
}
