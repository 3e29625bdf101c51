// Loss values against outside references: MONAI 1.5 (tests/data/losses_monai_reference.json and
// losses_soft_label_monai_reference.json, written by scripts/make_reference_losses.py), torch's own cross_entropy /
// binary_cross_entropy_with_logits, and cases computed by hand. Plus the error messages and the
// behaviour at saturated logits and empty masks.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osteon/losses.hpp"

namespace {

namespace L = osteon::losses;
namespace F = osteon::losses::functional;
using json = nlohmann::json;

json read_reference(const char* file) {
  std::ifstream in(std::string(OSTEON_TEST_DATA_DIR) + "/" + file);
  REQUIRE(in.good());
  return json::parse(in);
}

const json& reference() {
  static const json document = read_reference("losses_monai_reference.json");
  return document;
}

// MONAI's soft_label=True cases (and one soft_label=False contrast), on inputs of their own.
const json& soft_label_reference() {
  static const json document = read_reference("losses_soft_label_monai_reference.json");
  return document;
}

torch::Tensor tensor_from(const json& stored) {
  const auto shape = stored["shape"].get<std::vector<int64_t>>();
  if (stored["dtype"] == "int64") {
    return torch::tensor(stored["values"].get<std::vector<int64_t>>()).reshape(shape);
  }
  return torch::tensor(stored["values"].get<std::vector<float>>()).reshape(shape);
}

L::Reduction reduction_from(const std::string& name) {
  if (name == "none") return torch::kNone;
  if (name == "sum") return torch::kSum;
  return torch::kMean;
}

torch::Tensor weight_from(const json& kwargs, const char* key = "weight") {
  return torch::tensor(kwargs[key].get<std::vector<float>>());
}

// The keywords every overlap loss and its compounds share, as in MONAI.
template <typename Options>
Options region_options(const json& kwargs) {
  Options options;
  options.include_background(kwargs.value("include_background", true))
      .to_onehot_y(kwargs.value("to_onehot_y", false))
      .sigmoid(kwargs.value("sigmoid", false))
      .softmax(kwargs.value("softmax", false))
      .reduction(reduction_from(kwargs.value("reduction", "mean")))
      .smooth_nr(kwargs.value("smooth_nr", 1e-5))
      .smooth_dr(kwargs.value("smooth_dr", 1e-5))
      .batch(kwargs.value("batch", false));
  if (kwargs.value("other_act", "") == "tanh") {
    options.other_act([](const torch::Tensor& x) { return torch::tanh(x); });
  }
  return options;
}

template <typename Options>
Options with_dice_keywords(Options options, const json& kwargs) {
  options.squared_pred(kwargs.value("squared_pred", false)).jaccard(kwargs.value("jaccard", false));
  if (kwargs.contains("weight")) options.weight(weight_from(kwargs));
  return options;
}

torch::Tensor our_loss(const json& entry, const torch::Tensor& x, const torch::Tensor& y) {
  const auto& kwargs = entry["kwargs"];
  const std::string loss = entry["loss"];
  if (loss == "DiceLoss") {
    return F::dice_loss(x, y, with_dice_keywords(region_options<L::DiceLossOptions>(kwargs), kwargs)
                                  .soft_label(kwargs.value("soft_label", false)));
  }
  if (loss == "GeneralizedDiceLoss") {
    auto options = region_options<L::GeneralizedDiceLossOptions>(kwargs);
    const std::string w_type = kwargs.value("w_type", "square");
    options.w_type(w_type == "simple"    ? L::GeneralizedDiceWeight::Simple
                   : w_type == "uniform" ? L::GeneralizedDiceWeight::Uniform
                                         : L::GeneralizedDiceWeight::Square);
    return F::generalized_dice_loss(x, y, options.soft_label(kwargs.value("soft_label", false)));
  }
  if (loss == "TverskyLoss") {
    return F::tversky_loss(x, y, region_options<L::TverskyLossOptions>(kwargs)
                                     .alpha(kwargs.value("alpha", 0.5))
                                     .beta(kwargs.value("beta", 0.5))
                                     .soft_label(kwargs.value("soft_label", false)));
  }
  if (loss == "FocalLoss") {
    auto options = L::FocalLossOptions()
                       .include_background(kwargs.value("include_background", true))
                       .to_onehot_y(kwargs.value("to_onehot_y", false))
                       .gamma(kwargs.value("gamma", 2.0))
                       .use_softmax(kwargs.value("use_softmax", false))
                       .reduction(reduction_from(kwargs.value("reduction", "mean")));
    if (kwargs.contains("alpha")) options.alpha(torch::tensor(kwargs["alpha"].get<double>()));
    if (kwargs.contains("weight")) options.weight(weight_from(kwargs));
    return F::focal_loss(x, y, options);
  }
  if (loss == "DiceCELoss") {
    auto options = with_dice_keywords(region_options<L::DiceCELossOptions>(kwargs), kwargs)
                       .label_smoothing(kwargs.value("label_smoothing", 0.0))
                       .lambda_dice(kwargs.value("lambda_dice", 1.0))
                       .lambda_ce(kwargs.value("lambda_ce", 1.0));
    return F::dice_ce_loss(x, y, options);
  }
  REQUIRE(loss == "DiceFocalLoss");
  auto options = with_dice_keywords(region_options<L::DiceFocalLossOptions>(kwargs), kwargs)
                     .gamma(kwargs.value("gamma", 2.0))
                     .lambda_dice(kwargs.value("lambda_dice", 1.0))
                     .lambda_focal(kwargs.value("lambda_focal", 1.0));
  if (kwargs.contains("alpha")) options.alpha(torch::tensor(kwargs["alpha"].get<double>()));
  return F::dice_focal_loss(x, y, options);
}

// |a - b| <= 1e-6 (1 + |b|) elementwise: MONAI parity "to 1e-6 in float32".
void check_close(const torch::Tensor& ours, const torch::Tensor& expected, double tolerance = 1e-6) {
  REQUIRE(ours.numel() == expected.numel());
  const auto a = ours.to(torch::kDouble).reshape(-1);
  const auto b = expected.to(torch::kDouble).reshape(-1);
  const double excess = ((a - b).abs() - tolerance * (1 + b.abs())).max().item<double>();
  CHECK(excess <= 0);
}

// Every case of a MONAI fixture: our loss, scaled where documented, to 1e-6.
void check_against_monai(const json& document) {
  const auto& tensors = document["tensors"];
  for (const auto& entry : document["cases"]) {
    CAPTURE(entry["name"].get<std::string>());
    const auto x = tensor_from(tensors[entry["input"].get<std::string>()]);
    const auto y = tensor_from(tensors[entry["target"].get<std::string>()]);
    const auto expected = tensor_from(entry["expected"]) * entry["scale"].get<double>();
    const auto ours = our_loss(entry, x, y);
    CHECK((ours.scalar_type() == torch::kFloat));
    CHECK(ours.numel() == expected.numel());
    check_close(ours, expected);
  }
}

}  // namespace

TEST_CASE("losses equal MONAI's on the reference inputs (scaled where documented)") {
  check_against_monai(reference());
}

TEST_CASE("soft_label: Dice, generalised Dice and Tversky equal MONAI's semimetric losses") {
  check_against_monai(soft_label_reference());
}

TEST_CASE("focal loss with gamma 0 is torch's cross-entropy and BCE-with-logits") {
  torch::manual_seed(3);
  const auto logits = torch::randn({6, 4, 5}, torch::kDouble);
  auto labels = torch::randint(0, 4, {6, 5});
  labels.index_put_({0, 1}, -100);
  const auto focal = F::focal_loss(logits, labels, L::FocalLossOptions().gamma(0).use_softmax(true));
  CHECK(torch::allclose(focal, torch::nn::functional::cross_entropy(logits, labels), 1e-12, 1e-14));

  const auto binary_target = torch::randint(0, 2, {6, 4, 5}).to(torch::kDouble);
  const auto sigmoid_focal = F::focal_loss(logits, binary_target, L::FocalLossOptions().gamma(0));
  CHECK(torch::allclose(sigmoid_focal,
                        torch::nn::functional::binary_cross_entropy_with_logits(logits, binary_target),
                        1e-12, 1e-14));
}

TEST_CASE("cross_entropy equals torch's, label maps in either layout, smoothing and weights") {
  torch::manual_seed(4);
  const auto logits = torch::randn({3, 4, 2, 5}, torch::kDouble);
  const auto labels = torch::randint(0, 4, {3, 2, 5});
  const auto weight = torch::tensor({0.5, 1.0, 2.0, 1.5}, torch::kDouble);
  const auto expected = torch::nn::functional::cross_entropy(
      logits, labels,
      torch::nn::functional::CrossEntropyFuncOptions().weight(weight).label_smoothing(0.2));
  const auto options = L::CrossEntropyLossOptions().weight(weight).label_smoothing(0.2);
  CHECK(torch::allclose(F::cross_entropy(logits, labels, options), expected, 1e-12, 1e-14));
  CHECK(torch::allclose(F::cross_entropy(logits, labels.unsqueeze(1), options), expected, 1e-12, 1e-14));

  // One logit: BCE with logits, weight as pos_weight, smoothing towards 1/2.
  const auto logit = torch::randn({5, 1}, torch::kDouble);
  const auto target = torch::tensor({1.0, 0.0, 1.0, 1.0, 0.0}, torch::kDouble).reshape({5, 1});
  const auto binary = F::cross_entropy(
      logit, target, L::CrossEntropyLossOptions().weight(torch::tensor({3.0})).label_smoothing(0.1));
  const auto by_hand = torch::nn::functional::binary_cross_entropy_with_logits(
      logit, target * 0.9 + 0.05,
      torch::nn::functional::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(
          torch::tensor({3.0}, torch::kDouble)));
  CHECK(torch::allclose(binary, by_hand, 1e-12, 1e-14));
}

TEST_CASE("hand-computed Dice, Jaccard, Tversky, generalised Dice and focal values") {
  // Prediction {1, 0, 1, 1} against target {1, 0, 0, 1}: |P ∩ G| = 2, |P| = 3, |G| = 2.
  const auto p = torch::tensor({1.0, 0.0, 1.0, 1.0}, torch::kDouble).reshape({1, 1, 4});
  const auto g = torch::tensor({1.0, 0.0, 0.0, 1.0}, torch::kDouble).reshape({1, 1, 4});
  auto exact = L::DiceLossOptions().smooth_nr(0).smooth_dr(0);
  CHECK(F::dice_loss(p, g, exact).item<double>() == doctest::Approx(1 - 4.0 / 5).epsilon(1e-15));
  CHECK(F::dice_loss(p, g, exact.jaccard(true)).item<double>() == doctest::Approx(1 - 2.0 / 3).epsilon(1e-15));
  // Tversky with TP = 2, FP = 1, FN = 0, alpha = 0.3: 1 - 2 / 2.3.
  CHECK(F::tversky_loss(p, g, L::TverskyLossOptions().alpha(0.3).beta(0.7).smooth_nr(0).smooth_dr(0))
            .item<double>() == doctest::Approx(1 - 2 / 2.3).epsilon(1e-15));
  // Generalised Dice, two channels (target volumes 2 and 2): equal weights 1/4 → plain Dice of the union.
  const auto p2 = torch::cat({p, 1 - p}, 1);
  const auto g2 = torch::cat({g, 1 - g}, 1);
  const double numerator = 2 * (2 + 1) / 4.0;   // Σ_c w_c · 2|P_c ∩ G_c|
  const double denominator = (5 + 3) / 4.0;     // Σ_c w_c (|P_c| + |G_c|)
  CHECK(F::generalized_dice_loss(p2, g2, L::GeneralizedDiceLossOptions().smooth_nr(0).smooth_dr(0))
            .item<double>() == doctest::Approx(1 - numerator / denominator).epsilon(1e-15));
  // Focal at logit 0, target 1: p_t = 1/2, FL = α (1/2)^γ ln 2.
  const auto zero = torch::zeros({1, 1}, torch::kDouble);
  const auto one = torch::ones({1, 1}, torch::kDouble);
  CHECK(F::focal_loss(zero, one).item<double>() == doctest::Approx(0.25 * std::log(2.0)).epsilon(1e-15));
  CHECK(F::focal_loss(zero, one, L::FocalLossOptions().alpha(torch::tensor(0.25))).item<double>() ==
        doctest::Approx(0.0625 * std::log(2.0)).epsilon(1e-15));
  // Per-class α with softmax: two equal logits, class 1 target, α = {0.1, 0.9}: 0.9 · (1/2)^2 · ln 2.
  CHECK(F::focal_loss(torch::zeros({1, 2}, torch::kDouble), torch::tensor({1}),
                      L::FocalLossOptions().use_softmax(true).alpha(torch::tensor({0.1, 0.9}, torch::kDouble)))
            .item<double>() == doctest::Approx(0.9 * 0.25 * std::log(2.0)).epsilon(1e-12));
  // Dice + L2: the regulariser adds λ Σ w².
  const auto w = torch::tensor({1.0, -2.0, 3.0}, torch::kDouble);
  CHECK(F::l2_penalty({w}).item<double>() == 14.0);
  CHECK(F::dice_l2_loss(p, g, {w}, L::DiceL2LossOptions().smooth_nr(0).smooth_dr(0).lambda_l2(0.5))
            .item<double>() == doctest::Approx(0.2 + 7.0).epsilon(1e-15));
}

TEST_CASE("saturated logits of +-1e4 give finite losses and gradients in float32") {
  torch::manual_seed(5);
  const auto sign = torch::randint(0, 2, {2, 3, 4, 4}).to(torch::kFloat) * 2 - 1;
  const auto labels = torch::randint(0, 3, {2, 1, 4, 4});
  const auto onehot = torch::zeros({2, 3, 4, 4}).scatter_(1, labels, 1);
  const std::vector<std::function<torch::Tensor(const torch::Tensor&)>> losses = {
      [&](const torch::Tensor& x) { return F::focal_loss(x, onehot); },
      [&](const torch::Tensor& x) { return F::focal_loss(x, labels, L::FocalLossOptions().use_softmax(true).gamma(0.5)); },
      [&](const torch::Tensor& x) { return F::cross_entropy(x, labels); },
      [&](const torch::Tensor& x) { return F::dice_loss(x, labels, L::DiceLossOptions().softmax(true)); },
      [&](const torch::Tensor& x) { return F::dice_loss(x, onehot, L::DiceLossOptions().sigmoid(true).smooth_nr(0).smooth_dr(0)); },
      [&](const torch::Tensor& x) { return F::generalized_dice_loss(x, labels, L::GeneralizedDiceLossOptions().softmax(true)); },
      [&](const torch::Tensor& x) { return F::tversky_loss(x, onehot, L::TverskyLossOptions().sigmoid(true)); },
      [&](const torch::Tensor& x) { return F::dice_ce_loss(x, labels, L::DiceCELossOptions().softmax(true)); },
      [&](const torch::Tensor& x) { return F::dice_focal_loss(x, labels, L::DiceFocalLossOptions().softmax(true).gamma(0.5)); },
      [&](const torch::Tensor& x) { return F::ce_focal_loss(x, labels); },
  };
  for (size_t i = 0; i < losses.size(); ++i) {
    CAPTURE(i);
    for (double magnitude : {1e4, -1e4}) {
      // Correct (target logit +1e4, others -1e4), wrong, and random signs.
      for (const auto& logits : {onehot * 2e4 - 1e4, (1 - onehot) * 2e4 - 1e4, sign * magnitude}) {
        const auto x = logits.clone().requires_grad_(true);
        const auto loss = losses[i](x);
        loss.backward();
        CHECK(torch::isfinite(loss).all().item<bool>());
        CHECK(torch::isfinite(x.grad()).all().item<bool>());
      }
    }
  }
}

TEST_CASE("empty targets and empty predictions give the documented finite values") {
  const auto empty = torch::zeros({1, 1, 8});
  const auto far_off = torch::full({1, 1, 8}, -1e4);  // sigmoid → exactly 0
  const auto full = torch::ones({1, 1, 8});
  // Both empty: 1 - smooth_nr / smooth_dr = 0 with the defaults; 0 (perfect) with no smoothing.
  CHECK(F::dice_loss(far_off, empty, L::DiceLossOptions().sigmoid(true)).item<float>() == 0.0f);
  const auto x = far_off.clone().requires_grad_(true);
  const auto unsmoothed = F::dice_loss(x, empty, L::DiceLossOptions().sigmoid(true).smooth_nr(0).smooth_dr(0));
  unsmoothed.backward();
  CHECK(unsmoothed.item<float>() == 0.0f);
  CHECK(torch::isfinite(x.grad()).all().item<bool>());
  // Empty target, full prediction: 1 - smooth_nr / (8 + smooth_dr) ≈ 1.
  CHECK(F::dice_loss(full, empty).item<float>() == doctest::Approx(1 - 1e-5 / (8 + 1e-5)));
  // Empty prediction, full target: the same by symmetry.
  CHECK(F::dice_loss(empty, full).item<float>() == doctest::Approx(1 - 1e-5 / (8 + 1e-5)));
  CHECK(F::tversky_loss(far_off, empty, L::TverskyLossOptions().sigmoid(true).smooth_nr(0).smooth_dr(0))
            .item<float>() == 0.0f);
  // Every position ignored: the focal mean is 0, not 0/0.
  const auto ignored = torch::full({4}, -100, torch::kLong);
  CHECK(F::focal_loss(torch::randn({4, 3}), ignored, L::FocalLossOptions().use_softmax(true)).item<float>() == 0.0f);
}

TEST_CASE("bad arguments name the argument and echo the value") {
  const auto x = torch::randn({2, 3, 4});
  const auto labels = torch::randint(0, 3, {2, 1, 4});
  const auto message = [](const std::function<void()>& call) {
    try {
      call();
    } catch (const std::exception& error) {
      return std::string(error.what());
    }
    return std::string("no exception");
  };
  const auto check_contains = [](const std::string& text, const std::string& part) {
    CAPTURE(text);
    CHECK(text.find(part) != std::string::npos);
  };
  check_contains(message([&] { F::dice_loss(x, torch::zeros({2, 2, 4})); }),
                 "dice_loss: target shape [2, 2, 4] does not fit input shape [2, 3, 4]");
  check_contains(message([&] { F::focal_loss(x, torch::full({2, 1, 4}, 7)); }),
                 "focal_loss: target holds class index 7, outside [0, 3)");
  check_contains(message([&] { F::cross_entropy(x, torch::full({2, 4}, -3)); }),
                 "cross_entropy: target holds class index -3");
  check_contains(message([&] { F::dice_loss(x, labels, L::DiceLossOptions().sigmoid(true).softmax(true)); }),
                 "dice_loss: at most one of sigmoid, softmax and other_act may be set, got sigmoid=1, softmax=1");
  check_contains(message([&] { F::dice_loss(x, labels, L::DiceLossOptions().weight(torch::ones({2}))); }),
                 "dice_loss: weight must be a scalar or have one entry per channel of the loss (3), got shape [2]");
  check_contains(message([&] { F::focal_loss(x, labels, L::FocalLossOptions().gamma(-1)); }),
                 "focal_loss: gamma must be a finite value >= 0, got -1");
  check_contains(message([&] { L::FocalLoss(L::FocalLossOptions().alpha(torch::tensor(1.5))); }),
                 "FocalLoss: alpha must lie in [0, 1], got 1.5");
  check_contains(message([&] { L::DiceCELoss(L::DiceCELossOptions().weight(torch::tensor({1.0, -2.0}))); }),
                 "DiceCELoss: weight must lie in [0, inf], got -2 at index 1");
  check_contains(message([&] { L::DiceCELoss(L::DiceCELossOptions().reduction(torch::kNone)); }),
                 "DiceCELoss: reduction must be mean or sum");
  check_contains(message([&] { F::dice_loss(x, labels.squeeze(1).unsqueeze(1).to(torch::kFloat).expand({2, 3, 4}), L::DiceLossOptions().to_onehot_y(true)); }),
                 "to_onehot_y=true needs a label map");
  // Option errors are std::invalid_argument (ValueError in Python); tensor errors c10::Error.
  CHECK_THROWS_AS(L::TverskyLoss(L::TverskyLossOptions().alpha(-0.1)), std::invalid_argument);
  CHECK_THROWS_AS(F::dice_loss(x, torch::zeros({3, 3, 4})), c10::Error);
}
