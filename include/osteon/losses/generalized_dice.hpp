#pragma once
/// @file
/// Generalised Dice loss (Sudre, Li, Vercauteren, Ourselin & Cardoso 2017, "Generalised Dice
/// overlap as a deep learning loss function for highly unbalanced segmentations", DLMIA, eq. 4),
/// as MONAI's GeneralizedDiceLoss: 1 - 2 Σ_c w_c Σ p g / Σ_c w_c Σ (p + g), w_c = 1 / (Σ g)^2.

#include <ostream>

#include <torch/torch.h>

#include "osteon/losses/activation.hpp"
#include "osteon/losses/reduction.hpp"
#include "osteon/losses/region.hpp"
#include "osteon/losses/region_options.hpp"

namespace osteon::losses {

/// How the class weight w_c follows from the target volume Σ g (MONAI's `w_type`).
enum class GeneralizedDiceWeight {
  Square,   ///< 1 / (Σ g)^2 (Sudre et al.)
  Simple,   ///< 1 / Σ g
  Uniform,  ///< 1
};

/// Options of GeneralizedDiceLoss and functional::generalized_dice_loss (MONAI's keywords).
///
/// Example:
///   auto options = osteon::losses::GeneralizedDiceLossOptions().softmax(true).w_type(osteon::losses::GeneralizedDiceWeight::Simple);
struct GeneralizedDiceLossOptions : RegionLossOptions<GeneralizedDiceLossOptions> {
  // reduction: kNone gives (B, 1, 1, ...) — (1, 1, ...) with `batch` —, kMean / kSum over them.
  // batch: also takes the class weights over the whole batch.
  TORCH_ARG(GeneralizedDiceWeight, w_type) = GeneralizedDiceWeight::Square;
  /// Soft labels (MONAI's `soft_label`): the semimetric intersection (‖p‖₁ + ‖g‖₁ − ‖p − g‖₁) / 2
  /// of Wang et al. 2023 (region.hpp) instead of Σ p g; the same for hard labels and p in [0, 1].
  TORCH_ARG(bool, soft_label) = false;
};


namespace functional {

/// Generalised Dice loss of `input` (B, C, spatial...) against `target` (dense or class
/// indices). A class absent from the target would get an infinite weight: as in MONAI (after
/// NiftyNet) it gets the largest finite weight of its sample (of the batch with `batch`); a
/// sample whose classes are all absent gets weights 0 and loss 1 - smooth_nr / smooth_dr.
///
/// Example:
///   namespace F = osteon::losses::functional;
///   auto loss = F::generalized_dice_loss(logits, labels, osteon::losses::GeneralizedDiceLossOptions().softmax(true));
inline torch::Tensor generalized_dice_loss(const torch::Tensor& input, const torch::Tensor& target,
                                           const GeneralizedDiceLossOptions& options = {}) {
  constexpr const char* fn = "generalized_dice_loss";
  detail::check_region_options(fn, options);
  const auto probabilities = detail::activated_prediction(input, fn, options);
  const auto sums = detail::overlaps(probabilities, target, fn, options, /*squared=*/false, options.soft_label());
  const auto& intersection = sums.intersection;
  const auto& volume = sums.target;
  const auto denominator = sums.prediction + volume;

  torch::Tensor weight;
  switch (options.w_type()) {
    case GeneralizedDiceWeight::Square: weight = volume.square().reciprocal(); break;
    case GeneralizedDiceWeight::Simple: weight = volume.reciprocal(); break;
    case GeneralizedDiceWeight::Uniform: weight = torch::ones_like(volume); break;
  }
  const auto absent = torch::isinf(weight);
  weight = weight.masked_fill(absent, 0);
  const auto largest = options.batch() ? weight.max() : std::get<0>(weight.max(1, true));
  weight = torch::where(absent, largest.expand_as(weight), weight);

  const int64_t class_axis = options.batch() ? 0 : 1;
  const auto numerator = 2 * (intersection * weight).sum(class_axis, true) + options.smooth_nr();
  const auto loss = 1 - detail::ratio_or_one(
                            numerator, (denominator * weight).sum(class_axis, true) + options.smooth_dr());
  if (detail::reduction_enum(options.reduction()) == at::Reduction::None) {
    return detail::unreduced_shape(loss, input.dim());
  }
  return detail::reduce(loss, options.reduction());
}

}  // namespace functional

/// Generalised Dice loss as a module; see functional::generalized_dice_loss.
///
/// Example:
///   osteon::losses::GeneralizedDiceLoss criterion(osteon::losses::GeneralizedDiceLossOptions().softmax(true));
///   auto loss = criterion(logits, labels);
struct GeneralizedDiceLossImpl : torch::nn::Cloneable<GeneralizedDiceLossImpl> {
  explicit GeneralizedDiceLossImpl(GeneralizedDiceLossOptions options_ = {})
      : options(std::move(options_)) {
    reset();
  }

  void reset() override {
    detail::check_single_activation("GeneralizedDiceLoss", options.sigmoid(), options.softmax(),
                                    options.other_act());
    detail::check_smoothing("GeneralizedDiceLoss", options.smooth_nr(), options.smooth_dr());
  }

  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& target) {
    return functional::generalized_dice_loss(input, target, options);
  }

  void pretty_print(std::ostream& stream) const override {
    stream << "osteon::losses::GeneralizedDiceLoss(sigmoid=" << options.sigmoid()
           << ", softmax=" << options.softmax() << ", batch=" << options.batch() << ")";
  }

  GeneralizedDiceLossOptions options;
};

/// A ModuleHolder around GeneralizedDiceLossImpl (torch's module convention).
TORCH_MODULE(GeneralizedDiceLoss);

}  // namespace osteon::losses
