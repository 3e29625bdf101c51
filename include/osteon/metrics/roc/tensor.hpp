#pragma once
/// @file
/// ROC AUC and DeLong on torch tensors, computed on the tensors' device (CPU or CUDA) without
/// copying the scores to the host. Same numbers as the host backend (metrics/roc/roc.hpp,
/// metrics/roc/delong.hpp): placements are counted in int64 and divided once, in float64.
///
/// The placement counts come from one sort per predictor and two searchsorted calls over the
/// sorted scores (the first and one-past-last position of each tie group), so every tensor has a
/// static shape and nothing waits on the host (Sun & Xu 2014's midrank formulation, vectorised).
///
/// Synchronisation: functions returning tensors (roc_auc, auc_variance, delong_cov) queue work
/// only — apart from input validation, which reads back four numbers once (pass
/// `validate = false` to skip it when the inputs are known good, e.g. inside a training step).
/// Functions returning a host result (auc_ci, delong_test, delong_test_unpaired) read back the
/// handful of moments they need, once, and finish in double precision on the host.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "osteon/metrics/roc/delong.hpp"
#include "osteon/metrics/roc/placements.hpp"
#include "osteon/metrics/roc/roc.hpp"

namespace osteon::metrics {

/// Placements of K predictors on the same N samples, on the device of the inputs.
struct TensorPlacements {
  torch::Tensor auc;                 ///< (K,) float64
  torch::Tensor case_placements;     ///< (K, N) float64, V10 at cases, 0 at controls
  torch::Tensor control_placements;  ///< (K, N) float64, V01 at controls, 0 at cases
  torch::Tensor is_case;             ///< (N,) float64, 1 at cases
  torch::Tensor n_cases;             ///< 0-dim float64
  torch::Tensor n_controls;          ///< 0-dim float64
};

namespace detail {

/// Checks labels (0/1, both classes present), scores (finite) and shapes. One device→host read of
/// four counts; the error path reads more to name the first offending element.
inline void check_binary_scores(const torch::Tensor& y_true, const torch::Tensor& scores, const char* function,
                                std::int64_t min_per_class) {
  TORCH_CHECK(y_true.dim() == 1, function, ": y_true must be 1-D (N,), got shape ", y_true.sizes());
  TORCH_CHECK(scores.dim() == 1 || scores.dim() == 2, function,
              ": y_score must be (N,) or (K, N) for K predictors, got shape ", scores.sizes());
  TORCH_CHECK(scores.size(-1) == y_true.size(0), function, ": y_true and y_score differ in length (",
              y_true.size(0), " vs ", scores.size(-1), ")");
  TORCH_CHECK(y_true.size(0) > 0, function, ": y_true is empty");
  TORCH_CHECK(y_true.device() == scores.device(), function, ": y_true is on ", y_true.device(), " but y_score on ",
              scores.device());
  TORCH_CHECK(!scores.is_complex(), function, ": y_score must be real, got ", scores.scalar_type());
  const auto label = y_true.to(torch::kDouble);
  const auto is_bad_label = (label != 0) & (label != 1);
  const auto is_bad_score = scores.is_floating_point() ? torch::logical_not(torch::isfinite(scores))
                                                       : torch::zeros_like(scores, torch::kBool);
  const auto summary = torch::stack({is_bad_label.sum(), is_bad_score.sum(), (label == 1).sum(), (label == 0).sum()})
                           .to(torch::kCPU, torch::kLong);
  const auto* counts = summary.data_ptr<std::int64_t>();
  if (counts[0] > 0) {
    const auto first = torch::nonzero(is_bad_label)[0][0].template item<std::int64_t>();
    TORCH_CHECK(false, function, ": y_true[", first, "] must be 0 (control) or 1 (case), got ",
                label[first].template item<double>());
  }
  if (counts[1] > 0) {
    const auto flat = torch::nonzero(is_bad_score.flatten())[0][0].template item<std::int64_t>();
    const auto value = scores.flatten()[flat].template item<double>();
    if (scores.dim() == 1) TORCH_CHECK(false, function, ": y_score[", flat, "] is not finite (", value, ")");
    TORCH_CHECK(false, function, ": y_score[", flat / scores.size(1), ", ", flat % scores.size(1),
                "] is not finite (", value, ")");
  }
  TORCH_CHECK(counts[2] >= min_per_class && counts[3] >= min_per_class, function, ": needs at least ", min_per_class,
              " case(s) and ", min_per_class, " control(s), got ", counts[2], " cases and ", counts[3], " controls");
}

}  // namespace detail

/// DeLong placements of one (N,) or K (K, N) predictors on the tensors' device.
///
/// Example:
///   auto p = osteon::metrics::tensor_placements(y.cuda(), scores.cuda());  // all on the GPU
inline TensorPlacements tensor_placements(const torch::Tensor& y_true, const torch::Tensor& y_score,
                                          Direction direction = Direction::CasesHigher, bool validate = true,
                                          std::int64_t min_per_class = 1, const char* function = "tensor_placements") {
  if (validate) detail::check_binary_scores(y_true, y_score, function, min_per_class);
  const auto scores = (y_score.dim() == 1 ? y_score.unsqueeze(0) : y_score).to(torch::kDouble);
  const auto oriented = direction == Direction::CasesHigher ? scores : -scores;
  const int64_t k = oriented.size(0);
  const auto is_case_long = (y_true == 1).to(torch::kLong);

  const auto [sorted, order] = oriented.sort(/*dim=*/1);
  const auto case_sorted = is_case_long.unsqueeze(0).expand({k, -1}).gather(1, order);
  const auto control_sorted = 1 - case_sorted;
  // Tie group of each sorted score: [first, one past last) positions of its value.
  const auto first = torch::searchsorted(sorted, sorted, /*out_int32=*/false, /*right=*/false);
  const auto past_last = torch::searchsorted(sorted, sorted, /*out_int32=*/false, /*right=*/true);
  const auto zero_column = torch::zeros({k, 1}, case_sorted.options());
  const auto cases_before = torch::cat({zero_column, case_sorted.cumsum(1)}, 1);        // (K, N+1)
  const auto controls_before = torch::cat({zero_column, control_sorted.cumsum(1)}, 1);  // (K, N+1)

  const auto n_cases_long = is_case_long.sum();
  const auto n_controls_long = is_case_long.numel() - n_cases_long;
  // Doubled counts: 2·(controls below) + (controls tied) for a case; 2·(cases above) + (tied) for a control.
  const auto doubled_case = controls_before.gather(1, first) + controls_before.gather(1, past_last);
  const auto doubled_control = 2 * n_cases_long - cases_before.gather(1, first) - cases_before.gather(1, past_last);

  TensorPlacements out;
  out.n_cases = n_cases_long.to(torch::kDouble);
  out.n_controls = n_controls_long.to(torch::kDouble);
  out.is_case = is_case_long.to(torch::kDouble);
  const auto doubled_u = (doubled_case * case_sorted).sum(1);  // int64, exact
  out.auc = doubled_u.to(torch::kDouble) / (2.0 * out.n_cases * out.n_controls);
  // Back to the input order; placements of the other class are zeroed.
  const auto case_values = (doubled_case * case_sorted).to(torch::kDouble) / (2.0 * out.n_controls);
  const auto control_values = (doubled_control * control_sorted).to(torch::kDouble) / (2.0 * out.n_cases);
  out.case_placements = torch::zeros_like(case_values).scatter(1, order, case_values);
  out.control_placements = torch::zeros_like(control_values).scatter(1, order, control_values);
  return out;
}

/// DeLong covariance (K, K) from placements: S10 / m + S01 / n (see metrics/roc/delong.hpp).
inline torch::Tensor delong_cov(const TensorPlacements& p) {
  const auto auc = p.auc.unsqueeze(1);
  const auto case_centred = (p.case_placements - auc) * p.is_case;
  const auto control_centred = (p.control_placements - auc) * (1.0 - p.is_case);
  const auto s10 = case_centred.matmul(case_centred.t()) / (p.n_cases - 1.0);
  const auto s01 = control_centred.matmul(control_centred.t()) / (p.n_controls - 1.0);
  return s10 / p.n_cases + s01 / p.n_controls;
}

/// AUC of `y_score` (N,) → 0-dim, or of K predictors (K, N) → (K,); float64 on the input's device.
///
/// Example:
///   torch::Tensor auc = osteon::metrics::roc_auc(labels, logits.sigmoid());  // stays on the GPU
inline torch::Tensor roc_auc(const torch::Tensor& y_true, const torch::Tensor& y_score,
                             Direction direction = Direction::CasesHigher, bool validate = true) {
  const auto auc = tensor_placements(y_true, y_score, direction, validate, 1, "roc_auc").auc;
  return y_score.dim() == 1 ? auc.squeeze(0) : auc;
}

/// DeLong variance of the AUC: 0-dim for (N,) scores, (K,) for (K, N).
inline torch::Tensor auc_variance(const torch::Tensor& y_true, const torch::Tensor& y_score,
                                  Direction direction = Direction::CasesHigher, bool validate = true) {
  const auto variance = delong_cov(tensor_placements(y_true, y_score, direction, validate, 2, "auc_variance")).diagonal();
  return y_score.dim() == 1 ? variance.squeeze(0) : variance;
}

/// DeLong covariance (K, K) of K predictors (K, N) on the same samples, on their device.
///
/// Example:
///   torch::Tensor s = osteon::metrics::delong_cov(y, torch::stack({model_a, model_b}));
inline torch::Tensor delong_cov(const torch::Tensor& y_true, const torch::Tensor& y_scores,
                                Direction direction = Direction::CasesHigher, bool validate = true) {
  return delong_cov(tensor_placements(y_true, y_scores, direction, validate, 2, "delong_cov"));
}

namespace detail {

/// The moments a test needs, read back to the host in one transfer.
inline std::vector<double> read_moments(const std::vector<torch::Tensor>& moments) {
  std::vector<torch::Tensor> flat;
  for (const auto& m : moments) flat.push_back(m.reshape({-1}).to(torch::kDouble));
  const auto host = torch::cat(flat).to(torch::kCPU).contiguous();
  return std::vector<double>(host.data_ptr<double>(), host.data_ptr<double>() + host.numel());
}

}  // namespace detail

/// DeLong interval of the AUC of tensor scores (N,); equal to the host auc_ci.
inline AucCi auc_ci(const torch::Tensor& y_true, const torch::Tensor& y_score, double level = 0.95,
                    Direction direction = Direction::CasesHigher) {
  TORCH_CHECK(y_score.dim() == 1, "auc_ci: y_score must be 1-D (N,), got shape ", y_score.sizes());
  const auto p = tensor_placements(y_true, y_score, direction, true, 2, "auc_ci");
  const auto m = detail::read_moments({p.auc, delong_cov(p)});
  return delong_ci_from_moments(m[0], m[1], level);
}

/// Paired DeLong test of two tensor predictors on the same samples; equal to the host delong_test.
///
/// Example:
///   auto test = osteon::metrics::delong_test(y, prob_ap_frog, prob_ap);  // one sync at the end
inline DelongTest delong_test(const torch::Tensor& y_true, const torch::Tensor& score_a, const torch::Tensor& score_b,
                              Direction direction = Direction::CasesHigher,
                              Alternative alternative = Alternative::TwoSided, double level = 0.95) {
  TORCH_CHECK(score_a.dim() == 1 && score_b.dim() == 1, "delong_test: scores must be 1-D (N,), got ",
              score_a.sizes(), " and ", score_b.sizes());
  TORCH_CHECK(score_a.size(0) == score_b.size(0), "delong_test: score_a and score_b differ in length (",
              score_a.size(0), " vs ", score_b.size(0), "); a paired test needs the same samples");
  const auto p = tensor_placements(y_true, torch::stack({score_a.to(torch::kDouble), score_b.to(torch::kDouble)}),
                                   direction, true, 2, "delong_test");
  const auto m = detail::read_moments({p.auc, delong_cov(p)});
  // m = auc_a, auc_b, S00, S01, S10, S11
  return paired_delong_from_moments(m[0], m[1], m[2], m[5], m[3], alternative, level);
}

/// Unpaired DeLong test of two tensor ROC curves on different samples.
inline DelongTest delong_test_unpaired(const torch::Tensor& y_a, const torch::Tensor& score_a,
                                       const torch::Tensor& y_b, const torch::Tensor& score_b,
                                       Direction direction = Direction::CasesHigher,
                                       Alternative alternative = Alternative::TwoSided, double level = 0.95) {
  const auto pa = tensor_placements(y_a, score_a, direction, true, 2, "delong_test_unpaired");
  const auto pb = tensor_placements(y_b, score_b, direction, true, 2, "delong_test_unpaired");
  const auto m = detail::read_moments({pa.auc, delong_cov(pa), pb.auc, delong_cov(pb)});
  return unpaired_delong_from_moments(m[0], m[1], y_a.size(0), m[2], m[3], y_b.size(0), alternative, level);
}

}  // namespace osteon::metrics
