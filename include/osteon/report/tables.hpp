#pragma once
/// @file
/// The tables of the four seed studies, laid out as their papers lay them out. Each takes the
/// library's own result structs (metrics/, stats/) and formats through report/format.hpp, so the
/// text is a pure function of the numbers that metrics.json also holds.
///   classification_table  model | AUC [95 % CI] | accuracy | precision | recall | F1   (hip, vertebra, SIJ)
///   comparison_table      comparison | ΔAUC [95 % CI] | statistic | p                (DeLong, paired or not)
///   fold_table            fold | Dice | sensitivity | … (mean ± SD per fold, across folds, pooled)
///   summary_table         set | n | Dice | …  (mean ± SD: holdout, internal / external test centre)
///   agreement_table       cohort | n | R² | p | slope | intercept | bias | 95 % limits of agreement
///   paired_table          measure | A | B | mean difference [CI] | paired t p | Wilcoxon p (reader study)

#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/classification/binary_report.hpp"
#include "osteon/metrics/roc/delong.hpp"
#include "osteon/metrics/segmentation/host/aggregation.hpp"
#include "osteon/metrics/segmentation/host/volume_agreement.hpp"
#include "osteon/report/format.hpp"
#include "osteon/report/markdown.hpp"
#include "osteon/stats/paired_tests.hpp"

namespace osteon::report {

/// One model of a classification table: its AUC with CI and its threshold metrics.
struct ClassifierRow {
  std::string name;
  metrics::AucCi auc;
  metrics::BinaryReport at_threshold;
};

/// model | n | AUC [95 % CI] | accuracy | precision | recall | F1 — the hip study's table 2.
///
/// Example:
///   auto table = osteon::report::classification_table(
///       {{"AP", osteon::metrics::auc_ci(y, p_ap), osteon::metrics::binary_report(y, p_ap, 0.5)}});
inline MarkdownTable classification_table(const std::vector<ClassifierRow>& rows, int digits = 3) {
  MarkdownTable table({"model", "n", "AUC [95 % CI]", "accuracy", "precision", "recall", "F1"});
  for (const auto& row : rows) {
    const auto& r = row.at_threshold;
    table.add_row({row.name, std::to_string(r.counts.tp + r.counts.fp + r.counts.tn + r.counts.fn),
                   auc_ci_text(row.auc, digits), fixed(r.accuracy, digits), fixed(r.precision, digits),
                   fixed(r.recall, digits), fixed(r.f1, digits)});
  }
  return table;
}

/// One comparison of two AUCs.
struct ComparisonRow {
  std::string name_a;
  std::string name_b;
  metrics::DelongTest test;
};

/// comparison | AUC A | AUC B | ΔAUC [95 % CI] | Z (paired) or D (df) (unpaired) | p.
///
/// Example:
///   auto table = osteon::report::comparison_table(
///       {{"AP+frog", "AP", osteon::metrics::delong_test(y, p_fused, p_ap)}});
inline MarkdownTable comparison_table(const std::vector<ComparisonRow>& rows, int digits = 3) {
  MarkdownTable table({"comparison", "AUC A", "AUC B", "ΔAUC [95 % CI]", "statistic", "p"});
  for (const auto& row : rows) {
    const auto& t = row.test;
    const std::string statistic =
        t.paired ? "Z = " + fixed(t.statistic, 2) : "D = " + fixed(t.statistic, 2) + " (df " + fixed(t.df, 1) + ")";
    table.add_row({row.name_a + " vs " + row.name_b, fixed(t.auc_a, digits), fixed(t.auc_b, digits),
                   interval_text(t.auc_a - t.auc_b, t.ci_low, t.ci_high, digits), statistic, p_value_text(t.p_value)});
  }
  return table;
}

/// fold | n | metric₁ | metric₂ … with "mean ± SD" over each fold's subjects, then a row "across
/// folds" (mean ± SD of the fold means, as papers report CV) and a row "all subjects" (pooled).
/// `tables[m]` is metric m's FoldTable (metrics::fold_table); all must have the same folds.
///
/// Example:
///   auto table = osteon::report::fold_table({"Dice", "sensitivity"},
///       {osteon::metrics::fold_table(dice_by_fold), osteon::metrics::fold_table(sens_by_fold)});
inline MarkdownTable fold_table(const std::vector<std::string>& metric_names,
                                const std::vector<metrics::FoldTable>& tables, int digits = 3) {
  OSTEON_CHECK_ARG(!tables.empty() && metric_names.size() == tables.size(), "fold_table: ", metric_names.size(),
                   " metric names for ", tables.size(), " fold tables (need as many, at least one)");
  const std::size_t folds = tables[0].folds.size();
  for (std::size_t m = 1; m < tables.size(); ++m) {
    OSTEON_CHECK_ARG(tables[m].folds.size() == folds, "fold_table: metric \"", metric_names[m], "\" has ",
                     tables[m].folds.size(), " folds, \"", metric_names[0], "\" has ", folds);
  }
  std::vector<std::string> header{"fold", "n"};
  header.insert(header.end(), metric_names.begin(), metric_names.end());
  MarkdownTable table(header);
  for (std::size_t f = 0; f < folds; ++f) {
    std::vector<std::string> cells{std::to_string(f + 1), std::to_string(tables[0].folds[f].n)};
    for (const auto& metric : tables) cells.push_back(mean_sd_text(metric.folds[f], digits));
    table.add_row(cells);
  }
  std::vector<std::string> across{"across folds", std::to_string(folds)};
  std::vector<std::string> pooled{"all subjects", std::to_string(tables[0].pooled.n)};
  for (const auto& metric : tables) {
    across.push_back(mean_sd_text(metric.across_folds, digits));
    pooled.push_back(mean_sd_text(metric.pooled, digits));
  }
  return table.add_row(across).add_row(pooled);
}

/// One set of subjects (a holdout, a test centre) with a summary per metric.
struct SummaryRow {
  std::string name;
  std::vector<metrics::Summary> metrics;
};

/// set | n | metric₁ (mean ± SD) | … — the holdout / internal / external rows of the studies.
///
/// Example:
///   auto table = osteon::report::summary_table({"Dice"}, {{"holdout", {osteon::metrics::summarize(dice)}}});
inline MarkdownTable summary_table(const std::vector<std::string>& metric_names, const std::vector<SummaryRow>& rows,
                                   int digits = 3) {
  std::vector<std::string> header{"set", "n"};
  header.insert(header.end(), metric_names.begin(), metric_names.end());
  MarkdownTable table(header);
  for (const auto& row : rows) {
    OSTEON_CHECK_ARG(row.metrics.size() == metric_names.size(), "summary_table: row \"", row.name, "\" has ",
                     row.metrics.size(), " summaries for ", metric_names.size(), " metric names");
    std::vector<std::string> cells{row.name, std::to_string(row.metrics.empty() ? 0 : row.metrics[0].n)};
    for (const auto& summary : row.metrics) cells.push_back(mean_sd_text(summary, digits));
    table.add_row(cells);
  }
  return table;
}

/// One cohort's predicted-vs-true volume agreement.
struct AgreementRow {
  std::string name;
  metrics::VolumeAgreement agreement;
};

/// cohort | n | R² | p | slope | intercept | bias | 95 % limits of agreement — the femur study's volumes.
///
/// Example:
///   auto table = osteon::report::agreement_table({{"all", osteon::metrics::volume_agreement(predicted, truth)}});
inline MarkdownTable agreement_table(const std::vector<AgreementRow>& rows, int digits = 3) {
  MarkdownTable table({"cohort", "n", "R²", "p", "slope", "intercept", "bias", "95 % limits of agreement"});
  for (const auto& row : rows) {
    const auto& g = row.agreement.regression;
    const auto& ba = row.agreement.bland_altman;
    table.add_row({row.name, std::to_string(g.n), fixed(g.r2, digits), p_value_text(g.p_value), fixed(g.slope, digits),
                   fixed(g.intercept, digits), fixed(ba.bias, digits),
                   "[" + fixed(ba.lower_limit, digits) + ", " + fixed(ba.upper_limit, digits) + "]"});
  }
  return table;
}

/// One paired comparison (a reader without vs with assistance, on the same cases).
struct PairedRow {
  std::string name;
  metrics::Summary a;
  metrics::Summary b;
  stats::PairedTTest t_test;
  stats::WilcoxonSignedRank wilcoxon;
};

/// measure | n | A | B | mean difference B − A [95 % CI] | paired t p | Wilcoxon p.
/// `t_test` and `wilcoxon` are of b − a (stats::paired_ttest(b, a)).
///
/// Example:
///   auto table = osteon::report::paired_table("unassisted", "assisted",
///       {{"reader 1", osteon::metrics::summarize(alone), osteon::metrics::summarize(helped),
///         osteon::stats::paired_ttest(helped, alone), osteon::stats::wilcoxon_signed_rank(helped, alone)}});
inline MarkdownTable paired_table(const std::string& name_a, const std::string& name_b,
                                  const std::vector<PairedRow>& rows, int digits = 3) {
  MarkdownTable table({"measure", "n", name_a, name_b, "difference [95 % CI]", "paired t p", "Wilcoxon p"});
  for (const auto& row : rows) {
    table.add_row({row.name, std::to_string(row.t_test.n), mean_sd_text(row.a, digits), mean_sd_text(row.b, digits),
                   interval_text(row.t_test.mean_difference, row.t_test.ci_low, row.t_test.ci_high, digits),
                   p_value_text(row.t_test.p_value), p_value_text(row.wilcoxon.p_value)});
  }
  return table;
}

}  // namespace osteon::report
