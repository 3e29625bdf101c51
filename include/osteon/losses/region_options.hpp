#pragma once
/// @file
/// The options block the region (overlap) losses share — Dice, generalised Dice, Tversky and the
/// Dice compounds (Dice + CE, Dice + focal, Dice + L2) — declared once. Each loss's options derive
/// from it (CRTP), so MONAI's keyword names and torch's chained setters work on every loss's
/// options: `DiceCELossOptions().softmax(true).to_onehot_y(true).lambda_ce(0.5)`.
///
///   RegionLossOptions<D>   include_background, to_onehot_y, sigmoid, softmax, other_act,
///                          reduction, smooth_nr, smooth_dr, batch
///   DiceTermOptions<D>     + squared_pred, jaccard, weight   (Dice and its compounds)

#include <torch/torch.h>

#include "osteon/core/options.hpp"
#include "osteon/losses/activation.hpp"
#include "osteon/losses/reduction.hpp"

namespace osteon::losses {

/// The keywords every region loss takes (MONAI's names and meaning). `Derived` is the loss's
/// options struct, which the setters return.
///
/// Example:
///   auto options = osteon::losses::TverskyLossOptions().sigmoid(true).batch(true).alpha(0.3);
template <typename Derived>
struct RegionLossOptions {
  /// false: channel 0 (background) is left out (ignored when C == 1, as MONAI).
  OSTEON_CRTP_ARG(bool, include_background) = true;
  /// Require a label map (B, 1, ...) and one-hot it (label maps are recognised anyway).
  OSTEON_CRTP_ARG(bool, to_onehot_y) = false;
  /// Apply a sigmoid to the input first (at most one of sigmoid, softmax, other_act).
  OSTEON_CRTP_ARG(bool, sigmoid) = false;
  /// Apply a softmax over the channels first.
  OSTEON_CRTP_ARG(bool, softmax) = false;
  /// Apply this function to the input first.
  OSTEON_CRTP_ARG(Activation, other_act) = nullptr;
  /// kMean / kSum; what kNone gives (and whether a compound allows it) is said by each loss.
  OSTEON_CRTP_ARG(Reduction, reduction) = torch::kMean;
  /// Added to the numerator.
  OSTEON_CRTP_ARG(double, smooth_nr) = 1e-5;
  /// Added to the denominator.
  OSTEON_CRTP_ARG(double, smooth_dr) = 1e-5;
  /// Sum the overlaps over the batch before dividing (one value per channel).
  OSTEON_CRTP_ARG(bool, batch) = false;

 public:
  /// `other` (another loss's options, e.g. the Dice part of a compound) with this block's values.
  template <typename Other>
  Other copy_region_options_to(Other other) const {
    other.include_background(include_background())
        .to_onehot_y(to_onehot_y())
        .sigmoid(sigmoid())
        .softmax(softmax())
        .other_act(other_act())
        .reduction(reduction())
        .smooth_nr(smooth_nr())
        .smooth_dr(smooth_dr())
        .batch(batch());
    return other;
  }
};

/// The region keywords plus those of the Dice term (Dice and the Dice compounds).
///
/// Example:
///   auto options = osteon::losses::DiceCELossOptions().softmax(true).squared_pred(true).lambda_ce(0.5);
template <typename Derived>
struct DiceTermOptions : RegionLossOptions<Derived> {
  /// Σ p² + Σ g² in the denominator (Milletari et al.) instead of Σ p + Σ g.
  OSTEON_CRTP_ARG(bool, squared_pred) = false;
  /// Soft Jaccard (IoU) loss: denominator 2 (Σ p + Σ g - Σ p g).
  OSTEON_CRTP_ARG(bool, jaccard) = false;
  /// Non-negative weight per channel of the loss (C, or C - 1 without background), or a scalar;
  /// unused with a single channel (as MONAI). Dice + CE reads it as one weight per class.
  OSTEON_CRTP_ARG(torch::Tensor, weight) = {};

 public:
  /// `other` with this block's region and Dice-term values, except `weight` (a compound decides
  /// where its weight goes).
  template <typename Other>
  Other copy_dice_options_to(Other other) const {
    return this->copy_region_options_to(std::move(other)).squared_pred(squared_pred()).jaccard(jaccard());
  }
};

}  // namespace osteon::losses
