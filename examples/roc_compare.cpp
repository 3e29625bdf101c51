// Compares two predictors of a binary outcome, as a results section reports them:
// AUC with DeLong 95 % CI for each, and DeLong's paired test of the difference.
//
//   roc_compare <table.csv> <label column> <score column A> <score column B>
//
// Example (the demo's synthetic hip-outcome table):
//   roc_compare examples/data/hip_outcome_scores.csv outcome ap_score frog_score
#include <osteon/data/csv_table.hpp>
#include <osteon/metrics/roc/auc_ci.hpp>
#include <osteon/metrics/roc/delong.hpp>

#include <cstdio>
#include <exception>
#include <string>

namespace om = osteon::metrics;

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <table.csv> <label column> <score column A> <score column B>\n", argv[0]);
    return 2;
  }
  try {
    const auto table = osteon::data::CsvTable::read(argv[1]);
    const auto labels = table.numeric(argv[2]);
    const std::string name_a = argv[3], name_b = argv[4];
    const auto score_a = table.numeric(name_a);
    const auto score_b = table.numeric(name_b);

    std::size_t cases = 0;
    for (double label : labels) cases += label == 1.0;
    std::printf("%s: %zu subjects, %zu cases (%s = 1), %zu controls\n\n", argv[1], labels.size(), cases, argv[2],
                labels.size() - cases);
    std::printf("%-14s %8s   %-17s\n", "predictor", "AUC", "95% CI (DeLong)");
    for (const auto* name : {&name_a, &name_b}) {
      const auto ci = om::auc_ci(labels, table.numeric(*name));
      std::printf("%-14s %8.4f   [%.4f, %.4f]\n", name->c_str(), ci.auc, ci.ci_low, ci.ci_high);
    }
    const auto test = om::delong_test(labels, score_a, score_b);
    std::printf("\nDeLong's test for two correlated ROC curves (paired, two-sided)\n");
    std::printf("  AUC %s - AUC %s = %.4f, 95%% CI [%.4f, %.4f]\n", name_a.c_str(), name_b.c_str(),
                test.auc_a - test.auc_b, test.ci_low, test.ci_high);
    std::printf("  Z = %.4f, p = %.4g\n", test.statistic, test.p_value);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "roc_compare: %s\n", error.what());
    return 1;
  }
  return 0;
}
