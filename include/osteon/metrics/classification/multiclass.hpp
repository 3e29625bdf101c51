#pragma once
/// @file
/// Multi-class ROC analysis, as a 3-class study (normal / osteopenia / osteoporosis) reports it:
///   one-vs-rest AUC per class, macro / weighted / micro averages — equal to scikit-learn's
///   roc_auc_score(multi_class = "ovr", average = ...);
///   one-vs-one (Hand & Till 2001, "A simple generalisation of the area under the ROC curve for
///   multiple class classification problems", Machine Learning 45:171) — M = mean over class
///   pairs of (A(a|b) + A(b|a)) / 2, equal to roc_auc_score(multi_class = "ovo") and to pROC's
///   multiclass.roc(y, probability_matrix);
///   per-class tables: the OvR AUC of each class with its DeLong CI, and per-class paired DeLong
///   tests between two models on the same samples (metrics/roc/delong.hpp does the statistics).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/roc/delong.hpp"
#include "osteon/metrics/roc/placements.hpp"
#include "osteon/metrics/roc/roc.hpp"

namespace osteon::metrics {

/// Scores of n samples for K classes, row-major (row i = sample i), e.g. softmax outputs.
struct ClassScores {
  std::vector<double> values;  ///< n_samples × n_classes, row-major
  std::size_t n_samples = 0;
  std::size_t n_classes = 0;

  double operator()(std::size_t sample, std::size_t label) const { return values[sample * n_classes + label]; }

  /// Column `label` as a vector: every sample's score for that class.
  std::vector<double> column(std::size_t label) const {
    std::vector<double> out(n_samples);
    for (std::size_t i = 0; i < n_samples; ++i) out[i] = (*this)(i, label);
    return out;
  }

  /// From a row-major buffer (e.g. an xt::xtensor<double, 2>'s data() or a numpy array).
  static ClassScores from_row_major(const double* data, std::size_t n_samples, std::size_t n_classes) {
    return ClassScores{std::vector<double>(data, data + n_samples * n_classes), n_samples, n_classes};
  }

  /// From rows (any iterable of iterables of numbers; one row per sample).
  template <typename Rows>
  static ClassScores from_rows(const Rows& rows) {
    ClassScores out;
    for (const auto& row : rows) {
      const std::vector<double> values = osteon::detail::copy_as<double>(row);
      if (out.n_samples == 0) out.n_classes = values.size();
      OSTEON_CHECK_ARG(values.size() == out.n_classes, "ClassScores: row ", out.n_samples, " has ", values.size(),
                       " columns, row 0 has ", out.n_classes);
      out.values.insert(out.values.end(), values.begin(), values.end());
      ++out.n_samples;
    }
    return out;
  }
};

/// How multi-class AUCs are combined.
enum class MulticlassStrategy { OneVsRest, OneVsOne };
enum class MulticlassAverage { Macro, Weighted, Micro };

inline MulticlassStrategy parse_multiclass_strategy(std::string_view text) {
  if (text == "ovr") return MulticlassStrategy::OneVsRest;
  if (text == "ovo") return MulticlassStrategy::OneVsOne;
  throw std::invalid_argument(osteon::detail::concat("multiclass_auc: multi_class must be \"ovr\" or \"ovo\", got \"",
                                                     text, "\""));
}

inline MulticlassAverage parse_multiclass_average(std::string_view text) {
  if (text == "macro") return MulticlassAverage::Macro;
  if (text == "weighted") return MulticlassAverage::Weighted;
  if (text == "micro") return MulticlassAverage::Micro;
  throw std::invalid_argument(osteon::detail::concat(
      "multiclass_auc: average must be \"macro\", \"weighted\" or \"micro\" (or None for per-class), got \"", text, "\""));
}

namespace detail {

/// Integer class labels in [0, n_classes), each class present at least once unless `allow_absent`.
template <typename Labels>
std::vector<std::size_t> class_labels(const Labels& y_true, std::size_t n_classes, std::size_t n_samples,
                                      const char* function, bool allow_absent = false) {
  const std::vector<double> raw = osteon::detail::copy_as<double>(y_true);
  OSTEON_CHECK_ARG(raw.size() == n_samples, function, ": y_true and the score matrix differ in length (",
                   raw.size(), " vs ", n_samples, " rows)");
  OSTEON_CHECK_ARG(n_classes >= 2, function, ": the score matrix needs >= 2 columns (classes), got ", n_classes);
  std::vector<std::size_t> labels(raw.size());
  std::vector<std::size_t> support(n_classes, 0);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const double label = raw[i];
    OSTEON_CHECK_ARG(label >= 0.0 && label < static_cast<double>(n_classes) && label == std::floor(label), function,
                     ": y_true[", i, "] must be a class index in 0..", n_classes - 1, ", got ", label);
    labels[i] = static_cast<std::size_t>(label);
    ++support[labels[i]];
  }
  for (std::size_t k = 0; k < n_classes && !allow_absent; ++k)
    OSTEON_CHECK_ARG(support[k] > 0, function, ": class ", k, " is absent from y_true (", n_classes,
                     " score columns); every class needs at least one sample");
  return labels;
}

/// Refuses non-finite scores and rows that are not probabilities (sum 1 within numpy's
/// allclose tolerance, |1 − Σ| ≤ 1e-8 + 1e-5·|Σ|, as scikit-learn requires).
inline void require_finite(const ClassScores& scores, const char* function, const char* argument) {
  for (std::size_t i = 0; i < scores.values.size(); ++i)
    OSTEON_CHECK_ARG(std::isfinite(scores.values[i]), function, ": ", argument, "[", i / scores.n_classes, ", ",
                     i % scores.n_classes, "] is not finite (", scores.values[i], ")");
}

inline void require_probabilities(const ClassScores& scores, const char* function, const char* argument) {
  for (std::size_t i = 0; i < scores.n_samples; ++i) {
    double sum = 0.0;
    for (std::size_t k = 0; k < scores.n_classes; ++k) sum += scores(i, k);
    OSTEON_CHECK_ARG(std::abs(1.0 - sum) <= 1e-8 + 1e-5 * std::abs(sum), function, ": ", argument, " row ", i,
                     " sums to ", sum, ", not 1; multi-class AUCs need class probabilities (apply softmax)");
  }
}

/// 0/1 indicator of `label` among `labels`.
inline std::vector<std::uint8_t> one_vs_rest_labels(const std::vector<std::size_t>& labels, std::size_t label) {
  std::vector<std::uint8_t> out(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) out[i] = labels[i] == label;
  return out;
}

}  // namespace detail

/// One-vs-rest AUC of every class: class k's column against (y == k). Equal to scikit-learn's
/// roc_auc_score(y, probs, multi_class = "ovr", average = None). Scores need not sum to 1.
///
/// Example:
///   auto aucs = osteon::metrics::one_vs_rest_aucs(y, ClassScores::from_rows(probs));  // one per class
template <typename Labels>
std::vector<double> one_vs_rest_aucs(const Labels& y_true, const ClassScores& scores) {
  detail::require_finite(scores, "one_vs_rest_aucs", "y_score");
  const auto labels = detail::class_labels(y_true, scores.n_classes, scores.n_samples, "one_vs_rest_aucs");
  std::vector<double> aucs(scores.n_classes);
  for (std::size_t k = 0; k < scores.n_classes; ++k)
    aucs[k] = roc_auc(detail::one_vs_rest_labels(labels, k), scores.column(k));
  return aucs;
}

/// One class pair of the one-vs-one analysis.
struct ClassPairAuc {
  std::size_t class_a = 0, class_b = 0;
  double auc_a_vs_b = 0.0;  ///< A(a|b): column a separates class a (cases) from class b
  double auc_b_vs_a = 0.0;  ///< A(b|a)
  double auc = 0.0;         ///< Hand & Till's Â(a, b) = (A(a|b) + A(b|a)) / 2
  double prevalence = 0.0;  ///< share of all samples in class a or b (sklearn's "weighted" weight)
};

/// Pairwise AUCs (a < b, in lexicographic order) of the one-vs-one analysis. With `skip_absent`, a
/// class that never occurs in y_true is allowed and its pairs are left out (scikit-learn's "ovo"
/// with labels= naming a class absent from y_true); otherwise such a class is an error.
template <typename Labels>
std::vector<ClassPairAuc> one_vs_one_aucs(const Labels& y_true, const ClassScores& scores, bool skip_absent = false) {
  detail::require_finite(scores, "one_vs_one_aucs", "y_score");
  const auto labels = detail::class_labels(y_true, scores.n_classes, scores.n_samples, "one_vs_one_aucs", skip_absent);
  std::vector<bool> present(scores.n_classes, false);
  for (std::size_t label : labels) present[label] = true;
  std::vector<ClassPairAuc> pairs;
  for (std::size_t a = 0; a < scores.n_classes; ++a) {
    for (std::size_t b = a + 1; b < scores.n_classes; ++b) {
      if (!present[a] || !present[b]) continue;
      std::vector<std::uint8_t> is_a;
      std::vector<double> score_a, score_b;
      for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] != a && labels[i] != b) continue;
        is_a.push_back(labels[i] == a);
        score_a.push_back(scores(i, a));
        score_b.push_back(scores(i, b));
      }
      ClassPairAuc pair;
      pair.class_a = a;
      pair.class_b = b;
      pair.auc_a_vs_b = roc_auc(is_a, score_a);
      pair.auc_b_vs_a = roc_auc(is_a, score_b, Direction::CasesLower);  // class b is the case for column b
      pair.auc = (pair.auc_a_vs_b + pair.auc_b_vs_a) / 2.0;
      pair.prevalence = static_cast<double>(is_a.size()) / static_cast<double>(labels.size());
      pairs.push_back(pair);
    }
  }
  return pairs;
}

/// Multi-class AUC: sklearn's roc_auc_score(y, probs, multi_class, average) for average "macro",
/// "weighted" (OvR: by class support; OvO: by pair prevalence) and "micro" (OvR only: one ROC
/// over the one-hot-raveled labels). Rows of `probabilities` must sum to 1, as sklearn requires.
/// multi_class = "ovo" with "macro" is Hand & Till's M (= pROC's multiclass.roc). Under "ovo" a
/// score column whose class never occurs in y_true is allowed and its pairs are left out, as
/// scikit-learn does for labels= naming an absent class; "ovr" refuses it (its AUC is undefined).
///
/// Example:
///   double m = osteon::metrics::multiclass_auc(y, ClassScores::from_rows(probs), MulticlassStrategy::OneVsOne);
template <typename Labels>
double multiclass_auc(const Labels& y_true, const ClassScores& probabilities,
                      MulticlassStrategy strategy = MulticlassStrategy::OneVsRest,
                      MulticlassAverage average = MulticlassAverage::Macro) {
  detail::require_finite(probabilities, "multiclass_auc", "y_score");
  detail::require_probabilities(probabilities, "multiclass_auc", "y_score");
  const bool ovo = strategy == MulticlassStrategy::OneVsOne;
  const auto labels = detail::class_labels(y_true, probabilities.n_classes, probabilities.n_samples, "multiclass_auc", ovo);
  if (ovo) {
    OSTEON_CHECK_ARG(average != MulticlassAverage::Micro,
                     "multiclass_auc: average \"micro\" is defined for multi_class \"ovr\" only");
    const std::vector<ClassPairAuc> pairs = one_vs_one_aucs(labels, probabilities, true);
    OSTEON_CHECK_ARG(!pairs.empty(), "multiclass_auc: y_true holds fewer than two of the ", probabilities.n_classes,
                     " classes; no class pair to compare");
    double sum = 0.0, weights = 0.0;
    for (const ClassPairAuc& pair : pairs) {
      const double weight = average == MulticlassAverage::Weighted ? pair.prevalence : 1.0;
      sum += weight * pair.auc;
      weights += weight;
    }
    return sum / weights;
  }
  if (average == MulticlassAverage::Micro) {
    std::vector<std::uint8_t> one_hot(probabilities.values.size());
    for (std::size_t i = 0; i < labels.size(); ++i) one_hot[i * probabilities.n_classes + labels[i]] = 1;
    return roc_auc(one_hot, probabilities.values);
  }
  const std::vector<double> aucs = one_vs_rest_aucs(labels, probabilities);
  std::vector<double> support(probabilities.n_classes, 0.0);
  for (std::size_t label : labels) support[label] += 1.0;
  double sum = 0.0, weights = 0.0;
  for (std::size_t k = 0; k < aucs.size(); ++k) {
    const double weight = average == MulticlassAverage::Weighted ? support[k] : 1.0;
    sum += weight * aucs[k];
    weights += weight;
  }
  return sum / weights;
}

/// Hand & Till's M: multiclass_auc(y, probabilities, OneVsOne, Macro).
template <typename Labels>
double hand_till_auc(const Labels& y_true, const ClassScores& probabilities) {
  return multiclass_auc(y_true, probabilities, MulticlassStrategy::OneVsOne, MulticlassAverage::Macro);
}

/// One row of a per-class table: class k against the rest.
struct ClassAucRow {
  std::size_t label = 0;
  std::int64_t n_cases = 0;     ///< samples of class k
  std::int64_t n_controls = 0;  ///< all other samples
  double auc = 0.0;
  double variance = 0.0;        ///< DeLong variance
  double ci_low = 0.0;          ///< DeLong CI at `level` (clamped to [0, 1], as pROC)
  double ci_high = 0.0;
};

/// OvR AUC of every class with its DeLong variance and CI (one row per class).
///
/// Example:
///   auto rows = osteon::metrics::per_class_auc(y, ClassScores::from_rows(probs), 0.95);
///   // rows[2].auc, rows[2].ci_low, rows[2].ci_high: "osteoporosis vs rest"
template <typename Labels>
std::vector<ClassAucRow> per_class_auc(const Labels& y_true, const ClassScores& scores, double level = 0.95) {
  detail::require_finite(scores, "per_class_auc", "y_score");
  const auto labels = detail::class_labels(y_true, scores.n_classes, scores.n_samples, "per_class_auc");
  std::vector<ClassAucRow> rows;
  for (std::size_t k = 0; k < scores.n_classes; ++k) {
    const auto parts = delong_components(detail::one_vs_rest_labels(labels, k), scores.column(k));
    ClassAucRow row;
    row.label = k;
    row.n_cases = static_cast<std::int64_t>(parts.case_placements.size());
    row.n_controls = static_cast<std::int64_t>(parts.control_placements.size());
    row.auc = parts.auc;
    row.variance = delong_cov(std::vector<DelongComponents>{parts})(0, 0);
    const AucCi ci = delong_ci_from_moments(row.auc, row.variance, level);
    row.ci_low = ci.ci_low;
    row.ci_high = ci.ci_high;
    rows.push_back(row);
  }
  return rows;
}

/// One row of the per-class comparison of two models: class k against the rest.
struct ClassDelongRow {
  std::size_t label = 0;
  std::int64_t n_cases = 0;
  std::int64_t n_controls = 0;
  double auc_a = 0.0, ci_low_a = 0.0, ci_high_a = 0.0;  ///< model A's OvR AUC and DeLong CI
  double auc_b = 0.0, ci_low_b = 0.0, ci_high_b = 0.0;  ///< model B's
  double statistic = 0.0;  ///< paired DeLong Z of AUC_a − AUC_b
  double p_value = 1.0;
  double difference_ci_low = 0.0;  ///< CI of AUC_a − AUC_b
  double difference_ci_high = 0.0;
};

/// Per-class paired DeLong tests between two models scored on the same samples: for each class k,
/// model A's column k against model B's column k on (y == k), equal to pROC's
/// roc.test(roc(y == k, a[, k]), roc(y == k, b[, k]), method = "delong", paired = TRUE).
/// P-values are per class, unadjusted: adjust for K comparisons if the study needs it.
///
/// Example:
///   auto table = osteon::metrics::per_class_delong_test(y, ClassScores::from_rows(probs_model1),
///                                                       ClassScores::from_rows(probs_model2));
template <typename Labels>
std::vector<ClassDelongRow> per_class_delong_test(const Labels& y_true, const ClassScores& scores_a,
                                                  const ClassScores& scores_b, double level = 0.95,
                                                  Alternative alternative = Alternative::TwoSided) {
  OSTEON_CHECK_ARG(scores_a.n_samples == scores_b.n_samples && scores_a.n_classes == scores_b.n_classes,
                   "per_class_delong_test: y_score_a and y_score_b differ in shape (", scores_a.n_samples, "x",
                   scores_a.n_classes, " vs ", scores_b.n_samples, "x", scores_b.n_classes, ")");
  detail::require_finite(scores_a, "per_class_delong_test", "y_score_a");
  detail::require_finite(scores_b, "per_class_delong_test", "y_score_b");
  const auto labels = detail::class_labels(y_true, scores_a.n_classes, scores_a.n_samples, "per_class_delong_test");
  std::vector<ClassDelongRow> rows;
  for (std::size_t k = 0; k < scores_a.n_classes; ++k) {
    const auto is_k = detail::one_vs_rest_labels(labels, k);
    const std::vector<DelongComponents> parts{delong_components(is_k, scores_a.column(k)),
                                              delong_components(is_k, scores_b.column(k))};
    const Eigen::MatrixXd s = delong_cov(parts);
    const DelongTest test =
        paired_delong_from_moments(parts[0].auc, parts[1].auc, s(0, 0), s(1, 1), s(0, 1), alternative, level);
    const AucCi ci_a = delong_ci_from_moments(parts[0].auc, s(0, 0), level);
    const AucCi ci_b = delong_ci_from_moments(parts[1].auc, s(1, 1), level);
    ClassDelongRow row;
    row.label = k;
    row.n_cases = static_cast<std::int64_t>(parts[0].case_placements.size());
    row.n_controls = static_cast<std::int64_t>(parts[0].control_placements.size());
    row.auc_a = parts[0].auc;
    row.ci_low_a = ci_a.ci_low;
    row.ci_high_a = ci_a.ci_high;
    row.auc_b = parts[1].auc;
    row.ci_low_b = ci_b.ci_low;
    row.ci_high_b = ci_b.ci_high;
    row.statistic = test.statistic;
    row.p_value = test.p_value;
    row.difference_ci_low = test.ci_low;
    row.difference_ci_high = test.ci_high;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace osteon::metrics
