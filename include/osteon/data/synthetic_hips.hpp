#pragma once
/// @file
/// A synthetic hip-preservation cohort, built in: the demo study and the tests need radiographs
/// with a known outcome model, and no patient data can ship with a library.
///
/// Each patient has two hips; each hip one AP and one frog-leg view, rendered as a simplified
/// radiograph: a soft-tissue gradient, the femoral head (a disc), the acetabular roof (an arc above
/// the head, separated from it by the joint space), the femoral neck, and a cam bump at the
/// head-neck junction. The outcome (1 = failure of hip preservation) follows a logistic model of
///   * the joint-space width — joint-space narrowing predicts failure of joint preservation;
///   * the cam bump size — the alpha angle of cam impingement, seen best on the frog-leg lateral
///     view (Clohisy et al., "A systematic approach to the plain radiographic evaluation of the
///     young adult hip", J Bone Joint Surg Am 90 Suppl 4, 2008, for both signs and views);
///   * a patient effect shared by both hips, so that splitting hips of one patient across train and
///     test would leak (the reason the study splits by patient).
/// The AP view shows the joint space clearly and the cam bump faintly; the frog-leg view the
/// reverse, so a model of both views should beat either one, as in the study.
///
/// Deterministic from the seed through osteon's PCG32 (the same cohort on every platform, up to
/// the last bit of std::log / std::cos). Torch-free: images are a flat float array, (hips, 2,
/// size, size) in row-major order, ready for torch::from_blob.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/options.hpp"
#include "osteon/core/rng.hpp"

namespace osteon::data {

/// Options of synthetic_hip_cohort; `OSTEON_ARG` chained setters.
///
/// Example:
///   auto options = osteon::data::SyntheticHipOptions().patients(216).image_size(64).seed(2024);
struct SyntheticHipOptions {
  /// Number of patients; each contributes a left and a right hip (216 → the study's 432 hips).
  OSTEON_ARG(std::int64_t, patients) = 216;
  /// Side of the square images in pixels (>= 32); anatomy scales with it.
  OSTEON_ARG(std::int64_t, image_size) = 64;
  /// Standard deviation of the additive Gaussian pixel noise (intensities lie around 0…1).
  OSTEON_ARG(double, noise) = 0.08;
  /// Intercept of the outcome's logistic model; −1 gives a prevalence near 30 %.
  OSTEON_ARG(double, intercept) = -1.0;
  OSTEON_ARG(std::uint64_t, seed) = 2024;
};

/// A generated cohort: one entry per hip, hips of a patient adjacent (left, then right).
struct SyntheticHipCohort {
  static constexpr std::int64_t kViews = 2;  ///< view 0: AP, view 1: frog-leg
  std::int64_t image_size = 0;
  std::vector<float> images;               ///< (hips, 2, image_size, image_size), row-major
  std::vector<int> outcome;                ///< 1 = failure of hip preservation
  std::vector<std::string> hip_ids;        ///< "P001-L", "P001-R", …
  std::vector<std::string> patient_ids;    ///< "P001", …: the grouping a split must respect
  std::vector<double> joint_space_mm;      ///< true joint-space width
  std::vector<double> cam_size;            ///< true cam bump size (0 = spherical head)
  std::vector<double> risk;                ///< true outcome probability of the logistic model

  std::int64_t hips() const { return static_cast<std::int64_t>(outcome.size()); }
};

namespace detail {

/// What one view draws of a hip; lengths in pixels.
struct HipView {
  double centre_x, centre_y, head_radius, joint_space, roof_thickness, neck_angle, neck_length, neck_half_width,
      bump_radius, gain;
};

/// Renders one view into `pixels` (size × size), then adds noise.
inline void render_hip_view(const HipView& view, std::int64_t size, double noise, Pcg32& rng, float* pixels) {
  const double cos_neck = std::cos(view.neck_angle), sin_neck = std::sin(view.neck_angle);
  // The bump sits on the head's rim, where the neck leaves it (the head-neck junction).
  const double bump_x = view.centre_x + view.head_radius * std::cos(view.neck_angle - 0.9);
  const double bump_y = view.centre_y + view.head_radius * std::sin(view.neck_angle - 0.9);
  const double roof_inner = view.head_radius + view.joint_space;
  for (std::int64_t row = 0; row < size; ++row) {
    for (std::int64_t column = 0; column < size; ++column) {
      const double x = static_cast<double>(column) + 0.5, y = static_cast<double>(row) + 0.5;
      const double dx = x - view.centre_x, dy = y - view.centre_y;
      const double distance = std::hypot(dx, dy);
      double value = 0.15 + 0.15 * y / static_cast<double>(size);  // soft tissue
      // Acetabular roof: an arc over the upper half of the head.
      if (dy < 0.3 * view.head_radius && distance >= roof_inner && distance < roof_inner + view.roof_thickness) {
        value = 0.9;
      }
      // Femoral neck: a band from the head centre along the neck axis.
      const double along = dx * cos_neck + dy * sin_neck, across = -dx * sin_neck + dy * cos_neck;
      if (along > 0.0 && along < view.neck_length && std::abs(across) < view.neck_half_width) value = 0.65;
      if (distance < view.head_radius) value = 0.7 + 0.1 * (1.0 - distance / view.head_radius);
      if (std::hypot(x - bump_x, y - bump_y) < view.bump_radius) value = 0.7;
      pixels[row * size + column] = static_cast<float>(view.gain * value + noise * rng.standard_normal());
    }
  }
}

}  // namespace detail

/// Generates the cohort (see the file comment for the model).
///
/// Example:
///   auto cohort = osteon::data::synthetic_hip_cohort(osteon::data::SyntheticHipOptions().seed(7));
///   auto images = torch::from_blob(cohort.images.data(), {cohort.hips(), 2, 1, 64, 64}).clone();
///   // split by cohort.patient_ids, train on images and cohort.outcome
inline SyntheticHipCohort synthetic_hip_cohort(const SyntheticHipOptions& options = {}) {
  OSTEON_CHECK_ARG(options.patients() >= 2, "synthetic_hip_cohort: patients must be >= 2, got ", options.patients());
  OSTEON_CHECK_ARG(options.image_size() >= 32 && options.image_size() <= 1024,
                   "synthetic_hip_cohort: image_size must be in [32, 1024], got ", options.image_size());
  OSTEON_CHECK_ARG(std::isfinite(options.noise()) && options.noise() >= 0.0,
                   "synthetic_hip_cohort: noise must be finite and >= 0, got ", options.noise());
  OSTEON_CHECK_ARG(std::isfinite(options.intercept()), "synthetic_hip_cohort: intercept must be finite, got ",
                   options.intercept());
  const std::int64_t size = options.image_size(), hips = 2 * options.patients();
  const double pixel = static_cast<double>(size) / 64.0;  // anatomy is drawn for 64 px and scaled
  Pcg32 rng(options.seed());
  SyntheticHipCohort cohort;
  cohort.image_size = size;
  cohort.images.resize(static_cast<std::size_t>(hips * SyntheticHipCohort::kViews * size * size));
  const auto jitter = [&] { return (rng.uniform01() * 6.0 - 3.0) * pixel; };
  const auto gain = [&] { return 0.85 + 0.3 * rng.uniform01(); };
  for (std::int64_t patient = 0; patient < options.patients(); ++patient) {
    char name[16];
    std::snprintf(name, sizeof(name), "P%03lld", static_cast<long long>(patient + 1));
    const double patient_effect = rng.standard_normal();
    for (const char* side : {"L", "R"}) {
      const double joint_space = std::clamp(4.0 + 0.8 * rng.standard_normal(), 1.5, 6.5);  // mm
      const double cam = std::max(0.0, 0.6 + 0.8 * rng.standard_normal());
      const double logit = options.intercept() + 2.0 * (4.0 - joint_space) + 1.6 * (cam - 0.6) + 0.7 * patient_effect;
      const double risk = 1.0 / (1.0 + std::exp(-logit));
      const int outcome = rng.uniform01() < risk ? 1 : 0;
      const std::int64_t hip = cohort.hips();
      cohort.outcome.push_back(outcome);
      cohort.hip_ids.push_back(std::string(name) + "-" + side);
      cohort.patient_ids.emplace_back(name);
      cohort.joint_space_mm.push_back(joint_space);
      cohort.cam_size.push_back(cam);
      cohort.risk.push_back(risk);
      const double head = 10.0 * pixel;
      // AP: the joint space at 2 px per mm, a faint bump; frog-leg: the joint space at a quarter of
      // that (the beam is oblique to it), the bump 2.5 times larger (the lateral head-neck profile).
      const detail::HipView ap{32.0 * pixel + jitter(), 30.0 * pixel + jitter(), head,
                               2.0 * joint_space * pixel, 4.0 * pixel, 0.8, 24.0 * pixel, 5.5 * pixel,
                               cam * 1.2 * pixel, gain()};
      const detail::HipView frog{32.0 * pixel + jitter(), 30.0 * pixel + jitter(), head,
                                 (2.0 + 0.5 * joint_space) * pixel, 4.0 * pixel, 0.35, 22.0 * pixel, 6.0 * pixel,
                                 cam * 3.0 * pixel, gain()};
      float* first = cohort.images.data() + hip * SyntheticHipCohort::kViews * size * size;
      detail::render_hip_view(ap, size, options.noise(), rng, first);
      detail::render_hip_view(frog, size, options.noise(), rng, first + size * size);
    }
  }
  return cohort;
}

}  // namespace osteon::data
