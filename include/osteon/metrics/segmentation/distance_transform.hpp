#pragma once
/// @file
/// Exact Euclidean distance transform with anisotropic spacing, on any device.
///
/// The squared distance to the nearest feature is separable: D²(x) = min over features y of
/// Σ_d s_d² (x_d − y_d)², so one 1-D pass per axis, g_d(i) = min_j g_{d−1}(j) + s_d² (i − j)²,
/// gives it exactly (Felzenszwalb & Huttenlocher 2012, "Distance transforms of sampled
/// functions", Theory of Computing 8(19), §2–3). Two implementations of the 1-D pass:
///   * lower_envelope — the paper's O(n) lower envelope of parabolas, a loop over each line,
///     parallel over lines with at::parallel_for. CPU tensors only (it reads their memory).
///   * brute_force — min over j of the same expression with tensor ops, O(n²) per line and chunked
///     to bound memory; it runs wherever torch runs (CUDA included) and is exact for the same reason.
/// `automatic` picks lower_envelope on the CPU and brute_force elsewhere. Both evaluate the same
/// expression s²(i − j)² + g(j) at the chosen j, so they agree to the last bit up to ties.

#include <torch/torch.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <limits>
#include <vector>

namespace osteon::metrics {

/// Which 1-D pass the distance transform uses (see the file comment).
enum class DistanceTransformMethod {
  Automatic, LowerEnvelope, BruteForce,
  // Deprecated in 0.2 (enumerators are PascalCase); removed in 0.3.
  automatic [[deprecated("use DistanceTransformMethod::Automatic")]] = Automatic,
  lower_envelope [[deprecated("use DistanceTransformMethod::LowerEnvelope")]] = LowerEnvelope,
  brute_force [[deprecated("use DistanceTransformMethod::BruteForce")]] = BruteForce,
};

/// Options of distance_transform_edt.
///
/// Example:
///   auto options = osteon::metrics::DistanceTransformOptions().spacing({0.7, 0.7, 2.5});
struct DistanceTransformOptions {
  /// Spacing of the trailing spacing.size() axes, which are the spatial axes; leading axes are
  /// batch axes. Empty: every axis is spatial with spacing 1 (scipy's default).
  TORCH_ARG(std::vector<double>, spacing) = {};
  TORCH_ARG(DistanceTransformMethod, method) = DistanceTransformMethod::Automatic;
  /// Floating type of the result (float64 is exact for any spacing that float64 represents).
  TORCH_ARG(torch::ScalarType, dtype) = torch::kDouble;
};

namespace detail {

/// The lower envelope of the parabolas f[j] + weight (i − j)² of one line (Felzenszwalb &
/// Huttenlocher 2012, Algorithm DT(f), first loop). Entries f[j] = +inf are no parabola at all.
/// Fills the roots `v` (n) and boundaries `z` (n + 1); returns the index of the last parabola,
/// or -1 when the line holds none.
template <typename T>
int64_t lower_envelope_build(const T* f, int64_t n, T weight, int64_t* v, T* z) {
  constexpr T infinity = std::numeric_limits<T>::infinity();
  int64_t k = -1;
  for (int64_t q = 0; q < n; ++q) {
    if (f[q] == infinity) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -infinity;
      z[1] = infinity;
      continue;
    }
    // Abscissa where the parabola rooted at q overtakes the one rooted at v[k]; pop the
    // parabolas it hides. z[0] = -inf stops the loop at k = 0.
    T s;
    while (true) {
      const int64_t p = v[k];
      s = ((f[q] + weight * T(q * q)) - (f[p] + weight * T(p * p))) / (T(2) * weight * T(q - p));
      if (s > z[k]) break;
      --k;
    }
    ++k;
    v[k] = q;
    z[k] = s;
    z[k + 1] = infinity;
  }
  return k;
}

/// The value at i of the parabola rooted at `root`. The CPU paths (the envelope here, the searches
/// of the surface metrics) evaluate this one expression, so they agree to the last bit wherever
/// they pick the same root.
template <typename T>
inline T lower_envelope_value(const T* f, T weight, int64_t root, int64_t i) {
  const T offset = T(i - root);
  return weight * offset * offset + f[root];
}

/// One line of the lower-envelope pass: out[i] = min_j f[j] + weight (i − j)². A line without
/// features stays +inf. `v` (n) and `z` (n + 1) are scratch.
template <typename T>
void lower_envelope_line(const T* f, int64_t n, T weight, T* out, int64_t* v, T* z) {
  if (lower_envelope_build(f, n, weight, v, z) < 0) {
    for (int64_t i = 0; i < n; ++i) out[i] = std::numeric_limits<T>::infinity();
    return;
  }
  int64_t j = 0;
  for (int64_t i = 0; i < n; ++i) {
    while (z[j + 1] < T(i)) ++j;
    out[i] = lower_envelope_value(f, weight, v[j], i);
  }
}

/// The lower-envelope pass over `data` laid out as (outer, n, inner), along the middle axis, in
/// place. With `needed` (one flag per line, outer × inner), lines without a flag are left as they
/// are. Lines along an outer axis are strided in memory: they are copied in blocks of `kBlock`
/// neighbouring lines, so that every cache line read serves the whole block.
template <typename T>
void lower_envelope_lines(T* data, int64_t outer, int64_t n, int64_t inner, double spacing,
                          const bool* needed = nullptr) {
  constexpr int64_t kBlock = 16;
  if (outer * n * inner == 0) return;
  const int64_t blocks_per_outer = (inner + kBlock - 1) / kBlock;
  const T weight = static_cast<T>(spacing * spacing);
  at::parallel_for(0, outer * blocks_per_outer, 4, [&](int64_t begin, int64_t end) {
    std::vector<T> lines(static_cast<size_t>(kBlock * n)), result(static_cast<size_t>(n)),
        z(static_cast<size_t>(n) + 1);
    std::vector<int64_t> v(static_cast<size_t>(n));
    for (int64_t block = begin; block < end; ++block) {
      const int64_t o = block / blocks_per_outer, first = (block % blocks_per_outer) * kBlock;
      const int64_t width = std::min(kBlock, inner - first);
      T* start = data + o * n * inner + first;
      for (int64_t i = 0; i < n; ++i) {
        for (int64_t b = 0; b < width; ++b) lines[b * n + i] = start[i * inner + b];
      }
      for (int64_t b = 0; b < width; ++b) {
        if (needed != nullptr && !needed[o * inner + first + b]) continue;
        lower_envelope_line(lines.data() + b * n, n, weight, result.data(), v.data(), z.data());
        for (int64_t i = 0; i < n; ++i) start[i * inner + b] = result[i];
      }
    }
  });
}

/// The lower-envelope pass along `axis` of a contiguous CPU tensor, in place (see
/// lower_envelope_lines; `needed` holds one flag per line, the tensor reduced over `axis`).
template <typename T>
void lower_envelope_pass(torch::Tensor& squared, int64_t axis, double spacing, const bool* needed = nullptr) {
  const int64_t n = squared.size(axis);
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < squared.dim(); ++d) inner *= squared.size(d);
  const int64_t outer = squared.numel() / std::max<int64_t>(n * inner, 1);
  lower_envelope_lines(squared.data_ptr<T>(), outer, n, inner, spacing, needed);
}

/// The brute-force pass along `axis`: min_j g(j) + s²(i − j)² with tensor ops, rows chunked so
/// that one chunk holds at most `max_elements` candidates.
inline torch::Tensor brute_force_pass(const torch::Tensor& squared, int64_t axis, double spacing,
                                      int64_t max_elements = int64_t(1) << 24) {
  const int64_t n = squared.size(axis);
  auto lines = squared.movedim(axis, -1).contiguous();
  const auto line_shape = lines.sizes().vec();
  lines = lines.reshape({-1, n});
  const auto position = torch::arange(n, squared.options());
  // offsets[i][j] = s² (i − j)²
  const auto offsets = (position.unsqueeze(1) - position.unsqueeze(0)).square() * (spacing * spacing);
  auto out = torch::empty_like(lines);
  const int64_t rows_per_chunk = std::max<int64_t>(1, max_elements / std::max<int64_t>(n * n, 1));
  for (int64_t row = 0; row < lines.size(0); row += rows_per_chunk) {
    const int64_t rows = std::min(rows_per_chunk, lines.size(0) - row);
    out.narrow(0, row, rows).copy_(std::get<0>((lines.narrow(0, row, rows).unsqueeze(1) + offsets).min(-1)));
  }
  return out.reshape(line_shape).movedim(-1, axis);
}

/// Squared Euclidean distance from every element to the nearest true element of `features`
/// over its trailing spacing.size() axes (+inf where a batch item has no feature). With `queries`
/// (a boolean tensor of the same shape), only the values where it is true are guaranteed: the
/// lower-envelope method then skips the lines of its last pass that hold no query.
inline torch::Tensor squared_distance_to_features(const torch::Tensor& features, const std::vector<double>& spacing,
                                                  DistanceTransformMethod method, torch::ScalarType dtype,
                                                  const char* function, const torch::Tensor& queries = {}) {
  TORCH_CHECK(dtype == torch::kDouble || dtype == torch::kFloat, function, ": dtype must be float64 or float32, got ",
              dtype);
  const int64_t spatial = static_cast<int64_t>(spacing.size());
  TORCH_CHECK(spatial >= 1 && spatial <= features.dim(), function, ": spacing has ", spatial,
              " values but the input has ", features.dim(), " axes");
  for (double s : spacing) {
    TORCH_CHECK(std::isfinite(s) && s > 0.0, function, ": spacing must be finite and positive, got ", s);
  }
  if (method == DistanceTransformMethod::Automatic) {
    method = features.device().is_cpu() ? DistanceTransformMethod::LowerEnvelope
                                        : DistanceTransformMethod::BruteForce;
  }
  TORCH_CHECK(method != DistanceTransformMethod::LowerEnvelope || features.device().is_cpu(), function,
              ": method lower_envelope runs on CPU tensors only, got a tensor on ", features.device(),
              " (use brute_force or automatic)");
  auto squared = torch::full(features.sizes(), std::numeric_limits<double>::infinity(),
                             features.options().dtype(dtype))
                     .masked_fill_(features.to(torch::kBool), 0.0);
  if (squared.numel() == 0) return squared;
  // Every axis, innermost first (memory-friendly for the first, binary pass).
  for (int64_t k = 0; k < spatial; ++k) {
    const int64_t axis = features.dim() - 1 - k;
    const double step = spacing[static_cast<size_t>(spatial - 1 - k)];
    if (method == DistanceTransformMethod::BruteForce) {
      squared = brute_force_pass(squared, axis, step);
    } else {
      torch::Tensor needed;
      if (queries.defined() && k + 1 == spatial) needed = queries.any(axis).contiguous();
      AT_DISPATCH_FLOATING_TYPES(squared.scalar_type(), "lower_envelope_pass", [&] {
        lower_envelope_pass<scalar_t>(squared, axis, step, needed.defined() ? needed.data_ptr<bool>() : nullptr);
      });
    }
  }
  return squared;
}

}  // namespace detail

/// Exact Euclidean distance transform: for every element, the distance to the nearest zero
/// element, with anisotropic spacing — what scipy.ndimage.distance_transform_edt(input, sampling)
/// returns, batched over leading axes and on the input's device. A batch item without any zero
/// gets +inf (scipy's result is then meaningless).
///
/// Example:
///   auto mask = torch::ones({1, 64, 64, 40}, torch::kBool);
///   mask.index_put_({0, 32, 32, 20}, false);
///   auto distance = osteon::metrics::distance_transform_edt(
///       mask, osteon::metrics::DistanceTransformOptions().spacing({0.8, 0.8, 2.0}));
///   // distance[0][32][32][22] == 4.0 (two slices of 2 mm)
inline torch::Tensor distance_transform_edt(const torch::Tensor& input, const DistanceTransformOptions& options = {}) {
  std::vector<double> spacing = options.spacing();
  if (spacing.empty()) spacing.assign(static_cast<size_t>(input.dim()), 1.0);
  return detail::squared_distance_to_features(input.eq(0), spacing, options.method(), options.dtype(),
                                              "distance_transform_edt")
      .sqrt_();
}

}  // namespace osteon::metrics
