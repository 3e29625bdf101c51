#pragma once
/// @file
/// Agreement of predicted with true volumes across subjects, as the femur study reports it:
/// the regression of predicted on true volume (R² with the p-value of the slope) and the
/// Bland–Altman bias and limits of agreement of predicted − true. Host-side and torch-free; the
/// statistics are osteon::stats::linear_regression and osteon::stats::bland_altman.

#include "osteon/stats/agreement.hpp"
#include "osteon/stats/regression.hpp"

namespace osteon::metrics {

/// Regression and Bland–Altman agreement of predicted and true volumes.
struct VolumeAgreement {
  stats::LinearRegression regression;  ///< predicted = intercept + slope · true; r2, p_value
  stats::BlandAltman bland_altman;     ///< of predicted − true
};

/// Volume agreement across subjects (one predicted and one true volume per subject, same order);
/// needs n >= 3 and non-constant volumes. `level` is the Bland–Altman coverage and confidence.
///
/// Example:
///   auto agreement = osteon::metrics::volume_agreement(std::vector<double>{101, 152, 198, 250},
///                                                      std::vector<double>{100, 150, 200, 248});
///   // agreement.regression.r2 ≈ 0.9996, agreement.bland_altman.bias == 0.75
template <typename Predicted, typename Truth>
VolumeAgreement volume_agreement(const Predicted& predicted, const Truth& truth, double level = 0.95) {
  return {stats::linear_regression(truth, predicted), stats::bland_altman(predicted, truth, level)};
}

}  // namespace osteon::metrics
