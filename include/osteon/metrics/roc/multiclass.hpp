#pragma once
/// @file
/// Multi-class ROC AUC.
/// - multiclass_roc_univariate: pROC 1.18's multiclass.roc(response, predictor) for one score and
///   K ≥ 2 classes — a binary ROC curve for each pair of classes (the lower level the controls),
///   each with its own direction (given, or pROC's "auto": "<" when median(controls) ≤
///   median(cases)), and the multi-class AUC their mean, the univariate form of Hand & Till (2001,
///   Machine Learning 45:171–186, eq. 7).
/// - multiclass_roc_auc: scikit-learn's roc_auc_score(y_true, y_score, multi_class = "ovr" | "ovo",
///   average = "macro" | "weighted") on an n × K score matrix. "ovo" is Hand & Till's M:
///   M = 2/(K(K − 1)) Σ_{i<j} [A(i|j) + A(j|i)] / 2, A(i|j) the AUC of score column i separating
///   class i from class j (equal to pROC's multiclass.roc on a score matrix); "weighted" weights each
///   pair by the share of samples in its two classes. "ovr" averages the one-vs-rest AUC of every
///   class (weighted: by its prevalence). Classes that never occur in y_true are left out of the
///   "ovo" pairs, as scikit-learn does; "ovr" refuses them (their AUC is undefined), as it does.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/host_array.hpp"
#include "osteon/metrics/roc/roc.hpp"

namespace osteon::metrics {

/// One pair of classes of a univariate multi-class ROC.
struct MulticlassRocPair {
  double control_level = 0.0;  ///< the lower class: the controls
  double case_level = 0.0;     ///< the higher class: the cases
  Direction direction = Direction::CasesHigher;
  double auc = 0.0;
};

/// Result of multiclass_roc_univariate (pROC's multiclass.roc object).
struct MulticlassRoc {
  std::vector<double> levels;            ///< the classes, increasing
  std::vector<MulticlassRocPair> pairs;  ///< in pROC's combn order: (1,2), (1,3), …, (K−1,K)
  double auc = 0.0;                      ///< mean of the pair AUCs
};

namespace detail {

inline double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

}  // namespace detail

/// Univariate multi-class ROC (pROC: multiclass.roc(response, predictor, direction)); `direction`
/// std::nullopt is pROC's "auto" (chosen for each pair by the medians).
///
/// Example:
///   std::vector<double> grade{1, 1, 2, 2, 3, 3};
///   std::vector<double> score{0.1, 0.3, 0.2, 0.6, 0.5, 0.9};
///   auto mc = osteon::metrics::multiclass_roc_univariate(grade, score);  // mc.auc, mc.pairs[k].auc
template <typename Labels, typename Scores>
MulticlassRoc multiclass_roc_univariate(const Labels& y_true, const Scores& y_score,
                                        std::optional<Direction> direction = std::nullopt) {
  const char* fn = "multiclass_roc_univariate";
  const std::vector<double> y = osteon::detail::finite_scores(y_true, fn, "y_true");
  const std::vector<double> s = osteon::detail::finite_scores(y_score, fn, "y_score");
  OSTEON_CHECK_ARG(y.size() == s.size(), fn, ": y_true and y_score differ in length (", y.size(), " vs ", s.size(), ")");
  MulticlassRoc out;
  out.levels = y;
  std::sort(out.levels.begin(), out.levels.end());
  out.levels.erase(std::unique(out.levels.begin(), out.levels.end()), out.levels.end());
  OSTEON_CHECK_ARG(out.levels.size() >= 2, fn, ": y_true must have at least two classes, got ", out.levels.size());
  double sum = 0.0;
  for (std::size_t i = 0; i < out.levels.size(); ++i) {
    for (std::size_t j = i + 1; j < out.levels.size(); ++j) {
      std::vector<double> labels, scores, controls, cases;
      for (std::size_t k = 0; k < y.size(); ++k) {
        if (y[k] != out.levels[i] && y[k] != out.levels[j]) continue;
        const bool is_case = y[k] == out.levels[j];
        labels.push_back(is_case ? 1.0 : 0.0);
        scores.push_back(s[k]);
        (is_case ? cases : controls).push_back(s[k]);
      }
      MulticlassRocPair pair;
      pair.control_level = out.levels[i];
      pair.case_level = out.levels[j];
      pair.direction = direction ? *direction
                                 : (detail::median_of(controls) <= detail::median_of(cases) ? Direction::CasesHigher
                                                                                             : Direction::CasesLower);
      pair.auc = roc_auc(labels, scores, pair.direction);
      sum += pair.auc;
      out.pairs.push_back(pair);
    }
  }
  out.auc = sum / static_cast<double>(out.pairs.size());
  return out;
}

/// scikit-learn's multi_class schemes of roc_auc_score.
enum class MulticlassScheme { OneVsRest, OneVsOne };
/// scikit-learn's average of roc_auc_score for multi-class input.
enum class MulticlassAverage { Macro, Weighted };

/// Multi-class AUC of an n × K score matrix (row-major, `y_score[i * n_classes + k]` the score of
/// sample i for class k) with y_true the class index 0..K − 1 (scikit-learn: roc_auc_score(y_true,
/// y_score, multi_class = "ovr" / "ovo", average = "macro" / "weighted", labels = range(K))).
///
/// Example:
///   std::vector<int> y{0, 1, 2, 2};
///   std::vector<double> p{0.8, 0.1, 0.1,  0.3, 0.5, 0.2,  0.2, 0.3, 0.5,  0.1, 0.1, 0.8};
///   double m = osteon::metrics::multiclass_roc_auc(y, p, 3, osteon::metrics::MulticlassScheme::OneVsOne);  // Hand & Till
template <typename Labels, typename Scores>
double multiclass_roc_auc(const Labels& y_true, const Scores& y_score, std::size_t n_classes,
                          MulticlassScheme scheme = MulticlassScheme::OneVsRest,
                          MulticlassAverage average = MulticlassAverage::Macro) {
  const char* fn = "multiclass_roc_auc";
  const std::vector<double> yd = osteon::detail::finite_scores(y_true, fn, "y_true");
  const std::vector<double> p = osteon::detail::finite_scores(y_score, fn, "y_score");
  OSTEON_CHECK_ARG(n_classes >= 2, fn, ": n_classes must be >= 2, got ", n_classes);
  OSTEON_CHECK_ARG(p.size() == yd.size() * n_classes, fn, ": y_score has ", p.size(), " values; ", yd.size(),
                   " samples x ", n_classes, " classes need ", yd.size() * n_classes);
  std::vector<std::size_t> y(yd.size()), counts(n_classes, 0);
  for (std::size_t i = 0; i < yd.size(); ++i) {
    OSTEON_CHECK_ARG(yd[i] >= 0.0 && yd[i] < static_cast<double>(n_classes) && yd[i] == std::floor(yd[i]), fn,
                     ": y_true[", i, "] must be a class index in 0..", n_classes - 1, ", got ", yd[i]);
    y[i] = static_cast<std::size_t>(yd[i]);
    ++counts[y[i]];
  }
  const double n = static_cast<double>(y.size());
  std::vector<double> labels, scores;
  double total = 0.0, weights = 0.0;
  if (scheme == MulticlassScheme::OneVsRest) {
    for (std::size_t k = 0; k < n_classes; ++k) {
      OSTEON_CHECK_ARG(counts[k] > 0 && counts[k] < y.size(), fn, ": class ", k, " has ", counts[k],
                       " of ", y.size(), " samples; its one-vs-rest AUC is undefined");
      labels.assign(y.size(), 0.0);
      scores.resize(y.size());
      for (std::size_t i = 0; i < y.size(); ++i) labels[i] = y[i] == k ? 1.0 : 0.0, scores[i] = p[i * n_classes + k];
      const double w = average == MulticlassAverage::Weighted ? static_cast<double>(counts[k]) : 1.0;
      total += w * roc_auc(labels, scores);
      weights += w;
    }
    return total / weights;
  }
  std::vector<std::size_t> present;
  for (std::size_t k = 0; k < n_classes; ++k)
    if (counts[k] > 0) present.push_back(k);
  OSTEON_CHECK_ARG(present.size() >= 2, fn, ": y_true must hold at least two classes, got ", present.size());
  for (std::size_t ia = 0; ia < present.size(); ++ia) {
    for (std::size_t ib = ia + 1; ib < present.size(); ++ib) {
      const std::size_t a = present[ia], b = present[ib];
      double pair = 0.0;
      for (std::size_t column : {a, b}) {  // A(a|b) with column a, A(b|a) with column b
        labels.clear();
        scores.clear();
        for (std::size_t i = 0; i < y.size(); ++i) {
          if (y[i] != a && y[i] != b) continue;
          labels.push_back(y[i] == column ? 1.0 : 0.0);
          scores.push_back(p[i * n_classes + column]);
        }
        pair += roc_auc(labels, scores) / 2.0;
      }
      const double w = average == MulticlassAverage::Weighted ? static_cast<double>(counts[a] + counts[b]) / n : 1.0;
      total += w * pair;
      weights += w;
    }
  }
  return total / weights;
}

}  // namespace osteon::metrics
