// The loss rows of the bad-input matrix (tests/data/errors_matrix.json, docs/errors.md): float label
// maps with non-integer values, dense targets outside [0, 1], targets on another device, integer
// inputs, complex targets, shapes (issue 16). Plus the valid neighbours that must stay accepted.
#include <doctest/doctest.h>

#include <torch/torch.h>

#include "errors_matrix_torch.hpp"
#include "osteon/losses.hpp"

namespace F = osteon::losses::functional;
using osteon::test::Json;

namespace {

torch::Tensor loss(const std::string& entry, const torch::Tensor& input, const torch::Tensor& target) {
  if (entry == "dice_loss") return F::dice_loss(input, target);
  if (entry == "generalized_dice_loss") return F::generalized_dice_loss(input, target);
  if (entry == "tversky_loss") return F::tversky_loss(input, target);
  if (entry == "dice_ce_loss") return F::dice_ce_loss(input, target);
  if (entry == "dice_focal_loss") return F::dice_focal_loss(input, target);
  if (entry == "focal_loss") return F::focal_loss(input, target);
  if (entry == "cross_entropy") return F::cross_entropy(input, target);
  if (entry == "ce_focal_loss") return F::ce_focal_loss(input, target);
  FAIL("no C++ call for " << entry);
  return {};
}

const char* const all_losses[] = {"dice_loss",       "generalized_dice_loss", "tversky_loss",  "dice_ce_loss",
                                  "dice_focal_loss", "focal_loss",            "cross_entropy", "ce_focal_loss"};

}  // namespace

// KNOWN FAILING since the merge of the reliability branch (2026-12-03; issue 16 stays open): run
// and reported, but not failing the program (doctest::may_fail) until fixed. See docs/reliability.md.
TEST_CASE("bad-input matrix: losses" * doctest::may_fail()) {
  const int run = osteon::test::run_error_rows({"losses"}, [](const Json& row) {
    const auto& a = row["args"];
    loss(row["entry"], osteon::test::matrix_tensor(a["input"]), osteon::test::matrix_tensor(a["target"]));
  });
  CHECK(run >= 8 * 17);
}

TEST_CASE("losses: valid targets next to the refused ones are still accepted, with the same value") {
  const auto logits = torch::randn({2, 3, 4, 4}, torch::TensorOptions().dtype(torch::kFloat)).requires_grad_();
  const auto labels = torch::randint(0, 3, {2, 1, 4, 4}, torch::kLong);
  const auto onehot = torch::one_hot(labels.squeeze(1), 3).permute({0, 3, 1, 2}).to(torch::kFloat);
  for (const char* entry : all_losses) {
    CAPTURE(entry);
    const auto from_labels = loss(entry, logits, labels);
    // A float label map of whole numbers is class indices, as an integer one.
    CHECK(torch::allclose(loss(entry, logits, labels.to(torch::kFloat)), from_labels));
    CHECK(torch::allclose(loss(entry, logits, labels.to(torch::kDouble).squeeze(1)), from_labels));
    // Soft labels in [0, 1] (0 and 1 included) are accepted.
    CHECK(torch::isfinite(loss(entry, logits, onehot * 0.8 + 0.1)).all().item<bool>());
    CHECK(torch::isfinite(loss(entry, logits, onehot.to(torch::kBool))).all().item<bool>());
  }
  // Sigmoid losses ignore dense entries equal to ignore_index: those are not "outside [0, 1]".
  auto binary = torch::randint(0, 2, {2, 1, 4, 4}).to(torch::kFloat);
  binary[0][0][0][0] = -100;
  const auto one_channel = torch::randn({2, 1, 4, 4});
  CHECK(torch::isfinite(F::focal_loss(one_channel, binary)).item<bool>());
  CHECK(torch::isfinite(F::cross_entropy(one_channel, binary)).item<bool>());
  CHECK_THROWS_WITH_AS(F::dice_loss(one_channel, binary), doctest::Contains("must lie in [0, 1], got -100"), c10::Error);
}
