// Gradients checked against central finite differences in double precision (torch's gradcheck
// recipe: eps 1e-6, atol 1e-5, rtol 1e-3; the C++ API of torch 1.13 has no gradcheck), bf16
// inputs, and the module side: buffers, clone, device/dtype moves, the L2 parameter selection.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osteon/losses.hpp"

namespace {

namespace L = osteon::losses;
namespace F = osteon::losses::functional;
using LossOfInput = std::function<torch::Tensor(const torch::Tensor&)>;

// Largest violation of |analytic - numeric| <= atol + rtol |numeric| over the input's entries.
// Non-scalar losses are contracted with a fixed random tensor first.
double gradient_error(const LossOfInput& loss, const torch::Tensor& point) {
  torch::manual_seed(11);
  const auto probe = loss(point);
  const auto projection = torch::rand(probe.sizes(), point.options());
  const auto scalar = [&](const torch::Tensor& x) { return (loss(x) * projection).sum(); };

  const auto x = point.clone().requires_grad_(true);
  const auto analytic = torch::autograd::grad({scalar(x)}, {x})[0].reshape(-1);

  constexpr double eps = 1e-6;
  const auto flat = point.clone().reshape(-1);
  auto numeric = torch::empty_like(flat);
  torch::NoGradGuard no_grad;
  for (int64_t i = 0; i < flat.numel(); ++i) {
    const double original = flat[i].item<double>();
    flat[i] = original + eps;
    const double up = scalar(flat.reshape(point.sizes())).item<double>();
    flat[i] = original - eps;
    const double down = scalar(flat.reshape(point.sizes())).item<double>();
    flat[i] = original;
    numeric[i] = (up - down) / (2 * eps);
  }
  return ((analytic - numeric).abs() - (1e-5 + 1e-3 * numeric.abs())).max().item<double>();
}

}  // namespace

TEST_CASE("gradients match finite differences in double precision") {
  torch::manual_seed(7);
  const auto x = torch::randn({2, 3, 2, 3}, torch::kDouble);
  const auto labels = torch::randint(0, 3, {2, 1, 2, 3});
  const auto soft = torch::rand({2, 3, 2, 3}, torch::kDouble);
  const auto weight = torch::tensor({0.5, 1.0, 2.0}, torch::kDouble);
  const std::vector<std::pair<std::string, LossOfInput>> losses = {
      {"focal sigmoid", [&](const torch::Tensor& in) { return F::focal_loss(in, soft, L::FocalLossOptions().alpha(torch::tensor(0.3))); }},
      {"focal softmax gamma 0.5", [&](const torch::Tensor& in) { return F::focal_loss(in, labels, L::FocalLossOptions().use_softmax(true).gamma(0.5).weight(weight)); }},
      {"focal softmax none", [&](const torch::Tensor& in) { return F::focal_loss(in, labels, L::FocalLossOptions().use_softmax(true).reduction(torch::kNone)); }},
      {"focal softmax alpha, ignored labels, no background", [&](const torch::Tensor& in) { return F::focal_loss(in, labels.masked_fill(labels == 1, -100), L::FocalLossOptions().use_softmax(true).gamma(1.5).alpha(torch::tensor(0.25)).include_background(false)); }},
      {"cross-entropy smoothing", [&](const torch::Tensor& in) { return F::cross_entropy(in, labels, L::CrossEntropyLossOptions().label_smoothing(0.1).weight(weight)); }},
      {"dice softmax", [&](const torch::Tensor& in) { return F::dice_loss(in, labels, L::DiceLossOptions().softmax(true)); }},
      {"dice sigmoid squared jaccard batch", [&](const torch::Tensor& in) { return F::dice_loss(in, soft, L::DiceLossOptions().sigmoid(true).squared_pred(true).jaccard(true).batch(true)); }},
      {"dice none", [&](const torch::Tensor& in) { return F::dice_loss(in, labels, L::DiceLossOptions().softmax(true).reduction(torch::kNone).include_background(false)); }},
      {"generalized dice", [&](const torch::Tensor& in) { return F::generalized_dice_loss(in, labels, L::GeneralizedDiceLossOptions().softmax(true)); }},
      {"tversky", [&](const torch::Tensor& in) { return F::tversky_loss(in, labels, L::TverskyLossOptions().softmax(true).alpha(0.3).beta(0.7)); }},
      {"dice soft_label", [&](const torch::Tensor& in) { return F::dice_loss(in, soft, L::DiceLossOptions().sigmoid(true).soft_label(true).jaccard(true)); }},
      {"generalized dice soft_label", [&](const torch::Tensor& in) { return F::generalized_dice_loss(in, soft, L::GeneralizedDiceLossOptions().softmax(true).soft_label(true)); }},
      {"tversky soft_label", [&](const torch::Tensor& in) { return F::tversky_loss(in, soft, L::TverskyLossOptions().sigmoid(true).alpha(0.3).beta(0.7).soft_label(true).reduction(torch::kNone)); }},
      {"dice + ce", [&](const torch::Tensor& in) { return F::dice_ce_loss(in, labels, L::DiceCELossOptions().softmax(true).weight(weight)); }},
      {"dice + focal softmax", [&](const torch::Tensor& in) { return F::dice_focal_loss(in, labels, L::DiceFocalLossOptions().softmax(true)); }},
      {"ce + focal", [&](const torch::Tensor& in) { return F::ce_focal_loss(in, labels, L::CEFocalLossOptions().alpha(torch::tensor(0.25))); }},
  };
  for (const auto& [name, loss] : losses) {
    CAPTURE(name);
    CHECK(gradient_error(loss, x) <= 0);
  }
  // Dice + L2: the gradient with respect to the regularised weights is 2 λ w.
  const auto w = torch::randn({4}, torch::kDouble).requires_grad_(true);
  F::dice_l2_loss(x, labels, {w}, L::DiceL2LossOptions().softmax(true).lambda_l2(0.3)).backward();
  CHECK(torch::allclose(w.grad(), 0.6 * w.detach(), 1e-14, 0));
}

TEST_CASE("the softmax focal loss's analytic gradient equals the composite form's") {
  // The label-map path is one autograd node with a written-out backward (softmax_focal.hpp);
  // the composite form is the same loss by differentiable ops.
  torch::manual_seed(12);
  for (const auto dtype : {torch::kFloat, torch::kDouble}) {
    for (double gamma : {0.0, 0.5, 2.0, 3.0}) {
      CAPTURE(gamma);
      const auto logits = (torch::randn({64, 5, 3}, dtype) * 4).requires_grad_(true);
      const auto labels = torch::randint(0, 5, {64, 1, 3});
      const auto class_factor = torch::rand({5}, dtype);
      const auto probe = torch::rand({64, 3}, dtype);
      const auto fast = L::detail::SoftmaxFocalLabelTerms::apply(logits, labels, gamma, class_factor);
      const auto composite = L::detail::softmax_focal_label_terms(logits, labels, gamma, class_factor);
      const double tolerance = dtype == torch::kDouble ? 1e-14 : 1e-6;
      CHECK(torch::allclose(fast, composite, tolerance, tolerance));
      const auto fast_grad = torch::autograd::grad({fast}, {logits}, {probe})[0];
      const auto composite_grad = torch::autograd::grad({composite}, {logits}, {probe})[0];
      CHECK(torch::allclose(fast_grad, composite_grad, tolerance, tolerance));

      // Under create_graph the backward differentiates the composite form: second derivatives.
      const auto first = torch::autograd::grad({L::detail::SoftmaxFocalLabelTerms::apply(
                                                   logits, labels, gamma, class_factor)},
                                               {logits}, {probe}, true, true)[0];
      const auto first_composite = torch::autograd::grad(
          {L::detail::softmax_focal_label_terms(logits, labels, gamma, class_factor)}, {logits}, {probe},
          true, true)[0];
      const auto second = torch::autograd::grad({(first * first).sum()}, {logits})[0];
      const auto second_composite = torch::autograd::grad({(first_composite * first_composite).sum()}, {logits})[0];
      CHECK(torch::allclose(second, second_composite, tolerance, tolerance));
    }
  }
}

TEST_CASE("the sigmoid focal terms' analytic gradient equals the composite form's") {
  torch::manual_seed(13);
  for (const auto dtype : {torch::kFloat, torch::kDouble}) {
    for (double gamma : {0.0, 0.5, 2.0}) {
      CAPTURE(gamma);
      const auto logits = (torch::randn({16, 3, 4}, dtype) * 4).requires_grad_(true);
      const auto hard = (torch::rand({16, 3, 4}, dtype) < 0.3).to(dtype);
      const auto soft = torch::rand({16, 3, 4}, dtype);
      const auto alpha = torch::rand({1, 3, 1}, dtype);
      const auto probe = torch::rand({16, 3, 4}, dtype);
      const double tolerance = dtype == torch::kDouble ? 1e-13 : 1e-6;
      for (const auto& target : {hard, soft}) {
        const auto fast = L::detail::SigmoidFocalTerms::apply(logits, target, gamma, alpha);
        const auto composite = L::detail::sigmoid_focal_terms_composite(logits, target, gamma, alpha);
        CHECK(torch::allclose(fast, composite, tolerance, tolerance));
        CHECK(torch::allclose(torch::autograd::grad({fast}, {logits}, {probe})[0],
                              torch::autograd::grad({composite}, {logits}, {probe})[0], tolerance,
                              tolerance));
        const auto first = torch::autograd::grad(
            {L::detail::SigmoidFocalTerms::apply(logits, target, gamma, alpha)}, {logits}, {probe}, true, true)[0];
        const auto first_composite = torch::autograd::grad(
            {L::detail::sigmoid_focal_terms_composite(logits, target, gamma, alpha)}, {logits}, {probe}, true,
            true)[0];
        CHECK(torch::allclose(torch::autograd::grad({(first * first).sum()}, {logits})[0],
                              torch::autograd::grad({(first_composite * first_composite).sum()}, {logits})[0],
                              tolerance, tolerance));
      }
    }
  }
}

TEST_CASE("the label-map overlap sums' analytic gradient equals the composite form's") {
  torch::manual_seed(14);
  for (const auto dtype : {torch::kFloat, torch::kDouble}) {
    for (bool squared : {false, true}) {
      CAPTURE(squared);
      const auto probabilities = torch::softmax(torch::randn({3, 4, 50}, dtype), 1).requires_grad_(true);
      const auto labels = torch::randint(0, 4, {3, 1, 50});
      const auto bins = L::detail::sample_class_bins(labels, 4);
      const std::vector<torch::Tensor> probes = {torch::rand({3, 4}, dtype), torch::rand({3, 4}, dtype)};
      const double tolerance = dtype == torch::kDouble ? 1e-13 : 1e-6;
      const auto fast = L::detail::LabelMapSums::apply(probabilities, labels, bins, squared);
      const auto composite = L::detail::label_map_sums_composite(probabilities, labels, squared);
      for (size_t i = 0; i < 2; ++i) CHECK(torch::allclose(fast[i], composite[i], tolerance, tolerance));
      CHECK(torch::allclose(torch::autograd::grad(fast, {probabilities}, probes)[0],
                            torch::autograd::grad(composite, {probabilities}, probes)[0], tolerance, tolerance));
      if (squared) {  // (without, the sums are linear: the first derivative is constant)
        const auto first = torch::autograd::grad(L::detail::LabelMapSums::apply(probabilities, labels, bins, squared),
                                                 {probabilities}, probes, true, true)[0];
        const auto first_composite = torch::autograd::grad(
            L::detail::label_map_sums_composite(probabilities, labels, squared), {probabilities}, probes, true, true)[0];
        CHECK(torch::allclose(torch::autograd::grad({(first * first).sum()}, {probabilities})[0],
                              torch::autograd::grad({(first_composite * first_composite).sum()}, {probabilities})[0],
                              tolerance, tolerance));
      }
      // Σ g: the voxels of each class.
      const auto counts = L::detail::class_voxel_counts(bins, 3, 4, dtype);
      CHECK(torch::equal(counts, torch::zeros({3, 4}, dtype).scatter_add_(1, labels.squeeze(1), torch::ones({3, 50}, dtype))));
    }
  }
}

TEST_CASE("bfloat16 predictions are computed in float32") {
  torch::manual_seed(8);
  const auto x = torch::randn({2, 3, 8, 8}).to(torch::kBFloat16);
  const auto labels = torch::randint(0, 3, {2, 1, 8, 8});
  const auto in_bf16 = F::dice_ce_loss(x, labels, L::DiceCELossOptions().softmax(true));
  const auto in_float = F::dice_ce_loss(x.to(torch::kFloat), labels, L::DiceCELossOptions().softmax(true));
  CHECK((in_bf16.scalar_type() == torch::kFloat));
  CHECK(in_bf16.item<float>() == doctest::Approx(in_float.item<float>()).epsilon(1e-6));
  const auto focal = F::focal_loss(x, labels, L::FocalLossOptions().use_softmax(true));
  CHECK((focal.scalar_type() == torch::kFloat));
}

TEST_CASE("modules keep weights as buffers that follow to() and are not shared by clone()") {
  L::DiceCELoss criterion(L::DiceCELossOptions().softmax(true).weight(torch::tensor({1.0f, 2.0f, 3.0f})));
  REQUIRE(criterion->named_buffers().contains("class_weight"));
  CHECK(criterion->parameters().empty());
  const auto copy = std::dynamic_pointer_cast<L::DiceCELossImpl>(criterion->clone());
  criterion->to(torch::kDouble);
  CHECK((criterion->options.weight().scalar_type() == torch::kDouble));
  CHECK((copy->options.weight().scalar_type() == torch::kFloat));
  criterion->named_buffers()["class_weight"].mul_(2);
  CHECK(copy->options.weight()[2].item<float>() == 3.0f);
  CHECK(criterion->options.weight()[2].item<double>() == 6.0);

  // The module computes what its functional form computes.
  torch::manual_seed(9);
  const auto x = torch::randn({2, 3, 4, 4}, torch::kDouble);
  const auto y = torch::randint(0, 3, {2, 1, 4, 4});
  const auto functional = F::dice_ce_loss(
      x, y, L::DiceCELossOptions().softmax(true).weight(torch::tensor({2.0, 4.0, 6.0}, torch::kDouble)));
  CHECK(criterion(x, y).item<double>() == doctest::Approx(functional.item<double>()).epsilon(1e-15));

  L::FocalLoss focal(L::FocalLossOptions().alpha(torch::tensor({0.2, 0.3, 0.5})).use_softmax(true));
  CHECK(focal->named_buffers().contains("alpha"));
  std::ostringstream printed;
  printed << *focal;
  CHECK(printed.str().find("osteon::losses::FocalLoss(gamma=2") != std::string::npos);
}

TEST_CASE("Dice + L2 regularises the model's weights, biases and normalisation layers excluded") {
  torch::nn::Sequential model(torch::nn::Conv3d(torch::nn::Conv3dOptions(1, 2, 3)),
                              torch::nn::BatchNorm3d(2), torch::nn::Conv3d(torch::nn::Conv3dOptions(2, 1, 1)),
                              torch::nn::GroupNorm(1, 1));
  const auto selected = L::regularised_parameters(*model);
  REQUIRE(selected.size() == 2);
  CHECK(selected[0].is_same(model[0]->as<torch::nn::Conv3d>()->weight));
  CHECK(selected[1].is_same(model[2]->as<torch::nn::Conv3d>()->weight));
  CHECK(L::regularised_parameters(*model, false).size() == model->parameters().size());

  L::DiceL2Loss criterion(*model, L::DiceL2LossOptions().sigmoid(true).lambda_l2(1e-2));
  CHECK(criterion->parameters().empty());
  const auto volume = torch::randn({1, 1, 5, 5, 5});
  const auto mask = (torch::rand({1, 1, 3, 3, 3}) > 0.5).to(torch::kFloat);
  const auto prediction = model->forward(volume);
  const auto expected = F::dice_loss(prediction, mask, L::DiceLossOptions().sigmoid(true)) +
                        1e-2 * (selected[0].square().sum() + selected[1].square().sum());
  CHECK(criterion(prediction, mask).item<float>() == doctest::Approx(expected.item<float>()).epsilon(1e-6));
}
