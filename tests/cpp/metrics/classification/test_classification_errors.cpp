// The threshold-metric rows of the bad-input matrix (tests/data/errors_matrix.json, docs/errors.md).
#include <doctest/doctest.h>

#include "errors_matrix.hpp"
#include "osteon/metrics/host.hpp"

namespace om = osteon::metrics;
using osteon::test::Json;
using osteon::test::matrix_number;
using osteon::test::matrix_numbers;

TEST_CASE("bad-input matrix: threshold metrics, partial AUC, proportion CIs") {
  const int run = osteon::test::run_error_rows({"classification"}, [](const Json& row) {
    const auto& a = row["args"];
    const std::string entry = row["entry"];
    if (entry == "proportion_ci") {
      om::proportion_ci(a["k"].get<std::int64_t>(), a["n"].get<std::int64_t>(),
                        a.contains("level") ? matrix_number(a["level"]) : 0.95);
      return;
    }
    const auto y = matrix_numbers(a["y_true"]), s = matrix_numbers(a["y_score"]);
    if (entry == "youden_threshold") om::youden_threshold(y, s);
    else if (entry == "binary_report") om::binary_report(y, s, matrix_number(a["threshold"]));
    else if (entry == "partial_auc") om::partial_auc(y, s, matrix_number(a["low"]), matrix_number(a["high"]));
    else FAIL("no C++ call for " << entry);
  });
  CHECK(run > 30);
}
