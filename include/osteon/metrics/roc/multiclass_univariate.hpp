#pragma once
/// @file
/// Univariate multi-class ROC: pROC 1.18's multiclass.roc(response, predictor) for one score and
/// K ≥ 2 classes — a binary ROC curve for each pair of classes (the lower level the controls), each
/// with its own direction (given, or pROC's "auto": "<" when median(controls) ≤ median(cases)), and
/// the multi-class AUC their mean, the univariate form of Hand & Till's M (Hand & Till 2001, Machine
/// Learning 45:171–186, eq. 7). The score-matrix form (sklearn's multi_class = "ovr" / "ovo", pROC's
/// multiclass.roc on a probability matrix) is metrics/classification/multiclass.hpp.

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

}  // namespace osteon::metrics
