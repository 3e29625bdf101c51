#pragma once
/// @file
/// metrics.json: every number of a study report, machine-readable (nlohmann-json). One `to_json`
/// per result struct of metrics/ and stats/, with the struct's own field names; NaN and ±inf
/// (undefined metrics) become JSON null, never a number. Doubles are written in their shortest
/// round-trip form, so a reader recovers the exact value the report was made from.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteon/metrics/classification/binary_report.hpp"
#include "osteon/metrics/roc/delong.hpp"
#include "osteon/metrics/segmentation/host/aggregation.hpp"
#include "osteon/metrics/segmentation/host/volume_agreement.hpp"
#include "osteon/stats/paired_tests.hpp"

namespace osteon::report {

using Json = nlohmann::ordered_json;  ///< keys keep the order they were written in

/// `value`, or null when it is NaN or infinite (JSON has no such numbers).
inline Json number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

/// {"auc", "ci_low", "ci_high", "level", "method"}.
///
/// Example:
///   osteon::report::Json j = osteon::report::to_json(osteon::metrics::auc_ci(y, s));  // j["auc"]
inline Json to_json(const metrics::AucCi& ci) {
  return Json{{"auc", number(ci.auc)}, {"ci_low", number(ci.ci_low)}, {"ci_high", number(ci.ci_high)},
              {"level", ci.level}, {"method", ci.method}};
}

/// The counts and every threshold metric of a BinaryReport.
inline Json to_json(const metrics::BinaryReport& r) {
  return Json{{"threshold", number(r.threshold)},
              {"tp", r.counts.tp}, {"fp", r.counts.fp}, {"tn", r.counts.tn}, {"fn", r.counts.fn},
              {"accuracy", number(r.accuracy)}, {"precision", number(r.precision)}, {"recall", number(r.recall)},
              {"specificity", number(r.specificity)}, {"f1", number(r.f1)}, {"npv", number(r.npv)},
              {"balanced_accuracy", number(r.balanced_accuracy)}, {"mcc", number(r.mcc)},
              {"youden_j", number(r.youden_j)}, {"undefined", r.undefined}};
}

/// A DeLong test (paired or unpaired).
inline Json to_json(const metrics::DelongTest& t) {
  return Json{{"auc_a", number(t.auc_a)}, {"auc_b", number(t.auc_b)}, {"difference", number(t.auc_a - t.auc_b)},
              {"statistic", number(t.statistic)}, {"p_value", number(t.p_value)}, {"df", number(t.df)},
              {"ci_low", number(t.ci_low)}, {"ci_high", number(t.ci_high)}, {"level", t.level},
              {"paired", t.paired}};
}

/// A Summary: n, n_nan, mean, sd, median, q1, q3, min, max.
inline Json to_json(const metrics::Summary& s) {
  return Json{{"n", s.n}, {"n_nan", s.n_nan}, {"mean", number(s.mean)}, {"sd", number(s.sd)},
              {"median", number(s.median)}, {"q1", number(s.q1)}, {"q3", number(s.q3)},
              {"min", number(s.min)}, {"max", number(s.max)}, {"ddof", s.ddof}};
}

/// A FoldTable: {"folds": [Summary…], "across_folds": Summary, "pooled": Summary}.
inline Json to_json(const metrics::FoldTable& table) {
  Json folds = Json::array();
  for (const auto& fold : table.folds) folds.push_back(to_json(fold));
  return Json{{"folds", folds}, {"across_folds", to_json(table.across_folds)}, {"pooled", to_json(table.pooled)}};
}

/// Volume agreement: regression (r2, p_value, slope, intercept, r, n) and Bland–Altman.
inline Json to_json(const metrics::VolumeAgreement& a) {
  const auto& g = a.regression;
  const auto& b = a.bland_altman;
  return Json{{"regression", {{"n", g.n}, {"r2", number(g.r2)}, {"r", number(g.r)}, {"p_value", number(g.p_value)},
                              {"slope", number(g.slope)}, {"intercept", number(g.intercept)},
                              {"slope_stderr", number(g.slope_stderr)}}},
              {"bland_altman", {{"bias", number(b.bias)}, {"sd", number(b.sd)}, {"lower_limit", number(b.lower_limit)},
                                {"upper_limit", number(b.upper_limit)}, {"bias_ci_low", number(b.bias_ci_low)},
                                {"bias_ci_high", number(b.bias_ci_high)}}}};
}

/// A paired t-test.
inline Json to_json(const stats::PairedTTest& t) {
  return Json{{"n", t.n}, {"statistic", number(t.statistic)}, {"df", number(t.df)}, {"p_value", number(t.p_value)},
              {"mean_difference", number(t.mean_difference)}, {"sd_difference", number(t.sd_difference)},
              {"ci_low", number(t.ci_low)}, {"ci_high", number(t.ci_high)}};
}

/// A Wilcoxon signed-rank test.
inline Json to_json(const stats::WilcoxonSignedRank& w) {
  return Json{{"n", w.n}, {"n_zero", w.n_zero}, {"statistic", number(w.statistic)}, {"r_plus", number(w.r_plus)},
              {"r_minus", number(w.r_minus)}, {"z", number(w.z)}, {"p_value", number(w.p_value)},
              {"method", w.method}};
}

}  // namespace osteon::report
