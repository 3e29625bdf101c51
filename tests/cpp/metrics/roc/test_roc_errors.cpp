// The ROC / AUC / DeLong rows of the bad-input matrix (tests/data/errors_matrix.json, docs/errors.md).
#include <doctest/doctest.h>

#include "errors_matrix.hpp"
#include "osteon/metrics/host.hpp"

namespace om = osteon::metrics;
using osteon::test::Json;
using osteon::test::matrix_numbers;

TEST_CASE("bad-input matrix: ROC, AUC, DeLong") {
  const int run = osteon::test::run_error_rows({"roc"}, [](const Json& row) {
    const auto& a = row["args"];
    const std::string entry = row["entry"];
    if (entry == "delong_test") {
      om::delong_test(matrix_numbers(a["y_true"]), matrix_numbers(a["score_a"]), matrix_numbers(a["score_b"]));
    } else if (entry == "delong_test_unpaired") {
      om::delong_test_unpaired(matrix_numbers(a["y_a"]), matrix_numbers(a["score_a"]), matrix_numbers(a["y_b"]),
                               matrix_numbers(a["score_b"]));
    } else {
      const auto y = matrix_numbers(a["y_true"]), s = matrix_numbers(a["y_score"]);
      if (entry == "roc_auc") om::roc_auc(y, s);
      else if (entry == "roc_curve") om::roc_curve(y, s);
      else if (entry == "auc_variance") om::auc_variance(y, s);
      else if (entry == "auc_ci") om::auc_ci(y, s, a.contains("level") ? osteon::test::matrix_number(a["level"]) : 0.95);
      else FAIL("no C++ call for " << entry);
    }
  });
  CHECK(run > 50);
}
