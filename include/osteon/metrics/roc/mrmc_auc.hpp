#pragma once
/// @file
/// Obuchowski–Rockette MRMC analysis of the empirical AUC (stats/mrmc.hpp) from a reader study's
/// ratings: scores of t modalities × r readers on the same n cases. The AUC of each modality-reader
/// pair and its covariances come from DeLong's placements (metrics/roc/placements.hpp): either
/// DeLong's covariance (DeLong et al. 1988) or the jackknife over cases (Hillis et al. 2008), whose
/// leave-one-out AUCs follow from the placements in O(1) each — without case a, AUC(−a) =
/// (m·AUC − V10_a)/(m − 1); without control b, (n₀·AUC − V01_b)/(n₀ − 1).

#include <Eigen/Dense>

#include <cstddef>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/metrics/roc/delong.hpp"
#include "osteon/metrics/roc/placements.hpp"
#include "osteon/stats/mrmc.hpp"

namespace osteon::metrics {

/// OR analysis of AUCs. `scores` holds t·r·n ratings, modality slowest, then reader, then case
/// (a C-ordered (modalities, readers, cases) array); `truth` the n case labels (1 = diseased).
/// `options.covariance()` is "jackknife" (default, as RJafroc / MRMCaov) or "delong".
///
/// Example:
///   auto study = osteon::metrics::or_mrmc(truth, ratings, 2, 5);
///   // Van Dyke et al. (1993), DeLong: F = 4.4849, ddf = 15.066, p = 0.0512 (MRMCaov)
template <typename Labels>
stats::OrMrmc or_mrmc(const Labels& truth, const std::vector<double>& scores, std::size_t n_modalities,
                      std::size_t n_readers, const stats::OrMrmcOptions& options = {},
                      Direction direction = Direction::CasesHigher) {
  const std::vector<std::uint8_t> y = osteon::detail::binary_labels(truth, "or_mrmc", "truth");
  const std::size_t n = y.size();
  OSTEON_CHECK_ARG(n_modalities >= 2 && n_readers >= 2, "or_mrmc: needs at least 2 modalities and 2 readers, got ",
                   n_modalities, " modalities and ", n_readers, " readers");
  OSTEON_CHECK_ARG(scores.size() == n_modalities * n_readers * n, "or_mrmc: scores must hold modalities x readers x cases = ",
                   n_modalities, " x ", n_readers, " x ", n, " = ", n_modalities * n_readers * n, " ratings, got ",
                   scores.size());
  const std::string& method = options.covariance();
  OSTEON_CHECK_ARG(method == "jackknife" || method == "delong", "or_mrmc: covariance must be \"jackknife\" or \"delong\", got \"",
                   method, "\"");
  std::vector<DelongComponents> parts;
  for (std::size_t k = 0; k < n_modalities * n_readers; ++k) {
    const std::vector<double> row(scores.begin() + static_cast<std::ptrdiff_t>(k * n),
                                  scores.begin() + static_cast<std::ptrdiff_t>((k + 1) * n));
    parts.push_back(delong_components(detail::split_by_label(y, row, direction, "or_mrmc")));
  }
  std::vector<std::vector<double>> foms(n_modalities, std::vector<double>(n_readers));
  for (std::size_t i = 0; i < n_modalities; ++i)
    for (std::size_t j = 0; j < n_readers; ++j) foms[i][j] = parts[i * n_readers + j].auc;
  Eigen::MatrixXd covariance;
  if (method == "delong") {
    covariance = delong_cov(parts);
  } else {
    const double m = static_cast<double>(parts[0].case_placements.size());
    const double n0 = static_cast<double>(parts[0].control_placements.size());
    OSTEON_CHECK_ARG(m >= 2 && n0 >= 2, "or_mrmc: the jackknife needs at least 2 diseased and 2 non-diseased cases, got ",
                     m, " and ", n0);
    std::vector<std::vector<double>> leave_one_out(parts.size(), std::vector<double>(n));
    for (std::size_t k = 0; k < parts.size(); ++k) {
      std::size_t a = 0, b = 0;
      for (std::size_t c = 0; c < n; ++c)
        leave_one_out[k][c] = y[c] ? (m * parts[k].auc - parts[k].case_placements[a++]) / (m - 1.0)
                                   : (n0 * parts[k].auc - parts[k].control_placements[b++]) / (n0 - 1.0);
    }
    covariance = stats::jackknife_covariance(leave_one_out);
  }
  stats::OrMrmc out = stats::or_mrmc_from_moments(foms, covariance, options.level());
  out.covariance = method;
  return out;
}

}  // namespace osteon::metrics
