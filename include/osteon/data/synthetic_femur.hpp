#pragma once
/// @file
/// A synthetic QCT proximal-femur cohort for the segmentation study (V-Net, Dice + L2, by sex):
/// CT-like volumes in Hounsfield units with an exact femur mask, no patient data.
///
/// Each subject's volume (size³ voxels, axes (z, y, x) = superior→inferior, anterior→posterior,
/// right→left, spacing 1 mm × 0.8 × 0.8 scaled by 32 / size) shows soft tissue (≈ 40 HU), the
/// femur — a spherical head, a neck (a cylinder at the neck-shaft angle), the greater trochanter
/// (an ellipsoid) and the shaft (a cylinder), with a cortical shell (≈ 1000 HU) around trabecular
/// bone (≈ 150–350 HU) — and the acetabulum of the pelvis, bone of the same density that is
/// *not* in the mask and lies a joint space (≈ 2–4 voxels) from the head: a segmenter must find
/// the joint, not threshold bone. Noise is Gaussian (SD `noise` HU) plus a slow intensity drift.
/// Men have larger femora than women (head radius 1.15×, neck 1.1×, as the sexual dimorphism
/// of the proximal femur reported in QCT studies), so volume differs by sex and the study's
/// "male / female separately" analysis has something to find. The mask is the rendered femur
/// exactly (voxel centres inside the union of the shapes). Deterministic from the seed (PCG32).
/// Torch-free: flat arrays, (subjects, size, size, size) row-major.

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

/// Options of synthetic_femur_cohort.
///
/// Example:
///   auto options = osteon::data::SyntheticFemurOptions().subjects(40).size(32).seed(7);
struct SyntheticFemurOptions {
  OSTEON_ARG(std::int64_t, subjects) = 40;
  /// Side of the cubic volume in voxels, in [24, 256]; anatomy scales with it.
  OSTEON_ARG(std::int64_t, size) = 32;
  /// SD of the Gaussian noise, HU.
  OSTEON_ARG(double, noise) = 60.0;
  /// Fraction of women.
  OSTEON_ARG(double, female_fraction) = 0.5;
  OSTEON_ARG(std::uint64_t, seed) = 2024;
};

/// A generated femur cohort.
struct SyntheticFemurCohort {
  std::int64_t size = 0;
  std::vector<double> spacing;          ///< (z, y, x) mm, the same for every subject
  std::vector<float> images;            ///< (subjects, size, size, size) HU
  std::vector<std::uint8_t> masks;      ///< (subjects, size, size, size) 1 = femur
  std::vector<std::string> subject_ids; ///< "F001", …
  std::vector<std::string> sex;         ///< "F" / "M"
  std::vector<double> femur_volume_ml;  ///< mask voxels × voxel volume
  std::int64_t subjects() const { return static_cast<std::int64_t>(subject_ids.size()); }
};

namespace detail {
/// Distance from p to the segment a→b (3-D), and the position along it in [0, 1].
inline double segment_distance(const double p[3], const double a[3], const double b[3], double& along) {
  double ab[3], ap[3], length2 = 0.0, dot = 0.0;
  for (int i = 0; i < 3; ++i) {
    ab[i] = b[i] - a[i];
    ap[i] = p[i] - a[i];
    length2 += ab[i] * ab[i];
    dot += ab[i] * ap[i];
  }
  along = length2 > 0 ? std::clamp(dot / length2, 0.0, 1.0) : 0.0;
  double d2 = 0.0;
  for (int i = 0; i < 3; ++i) {
    const double diff = ap[i] - along * ab[i];
    d2 += diff * diff;
  }
  return std::sqrt(d2);
}
}  // namespace detail

/// Generates the cohort (see the file comment).
///
/// Example:
///   auto cohort = osteon::data::synthetic_femur_cohort(osteon::data::SyntheticFemurOptions().subjects(10));
///   // cohort.images: 10 × 32³ HU, cohort.masks: the femur, cohort.sex: "F" / "M"
inline SyntheticFemurCohort synthetic_femur_cohort(const SyntheticFemurOptions& options = {}) {
  OSTEON_CHECK_ARG(options.subjects() >= 1, "synthetic_femur_cohort: subjects must be >= 1, got ", options.subjects());
  OSTEON_CHECK_ARG(options.size() >= 24 && options.size() <= 256, "synthetic_femur_cohort: size must be in [24, 256], got ",
                   options.size());
  OSTEON_CHECK_ARG(std::isfinite(options.noise()) && options.noise() >= 0, "synthetic_femur_cohort: noise must be >= 0, got ",
                   options.noise());
  OSTEON_CHECK_ARG(options.female_fraction() >= 0 && options.female_fraction() <= 1,
                   "synthetic_femur_cohort: female_fraction must be in [0, 1], got ", options.female_fraction());
  const std::int64_t n = options.size();
  const double unit = static_cast<double>(n) / 32.0;  // anatomy drawn for 32³ and scaled
  Pcg32 rng(options.seed());
  SyntheticFemurCohort cohort;
  cohort.size = n;
  cohort.spacing = {1.0 / unit, 0.8 / unit, 0.8 / unit};
  const double voxel_ml = cohort.spacing[0] * cohort.spacing[1] * cohort.spacing[2] / 1000.0;
  const auto voxels = static_cast<std::size_t>(n * n * n);
  cohort.images.resize(voxels * static_cast<std::size_t>(options.subjects()));
  cohort.masks.resize(cohort.images.size());
  for (std::int64_t s = 0; s < options.subjects(); ++s) {
    char name[16];
    std::snprintf(name, sizeof(name), "F%03lld", static_cast<long long>(s + 1));
    const bool female = rng.uniform01() < options.female_fraction();
    const double scale = (female ? 1.0 : 1.15) * (1.0 + 0.06 * rng.standard_normal());
    const double head_radius = 4.2 * unit * scale;
    const double head[3] = {9.0 * unit + rng.standard_normal() * unit, 12.0 * unit + rng.standard_normal() * unit,
                            11.0 * unit + rng.standard_normal() * unit};
    const double neck_angle = (127.0 + 5.0 * rng.standard_normal()) * 3.141592653589793 / 180.0;
    const double neck_length = 7.5 * unit * scale * (female ? 1.0 : 1.1 / 1.15);
    const double neck_radius = 2.4 * unit * scale;
    // Neck from the head centre laterally (+x) and down (+z); the shaft runs down from its end.
    const double neck_end[3] = {head[0] + neck_length * std::cos(3.141592653589793 - neck_angle), head[1],
                                head[2] + neck_length * std::sin(3.141592653589793 - neck_angle)};
    const double shaft_end[3] = {static_cast<double>(n) + 4.0, neck_end[1], neck_end[2] + 1.0 * unit};
    const double shaft_radius = 2.9 * unit * scale;
    const double trochanter[3] = {neck_end[0] - 1.5 * unit, neck_end[1] + 0.5 * unit, neck_end[2] + 1.8 * unit};
    const double joint_space = (2.0 + 1.0 * rng.uniform01()) * unit;
    const double trabecular = 150.0 + 200.0 * rng.uniform01() - (female ? 40.0 : 0.0);
    const double drift = 30.0 * rng.standard_normal();
    float* image = cohort.images.data() + static_cast<std::size_t>(s) * voxels;
    std::uint8_t* mask = cohort.masks.data() + static_cast<std::size_t>(s) * voxels;
    std::int64_t count = 0;
    for (std::int64_t z = 0; z < n; ++z) {
      for (std::int64_t y = 0; y < n; ++y) {
        for (std::int64_t x = 0; x < n; ++x) {
          const double p[3] = {z + 0.5, y + 0.5, x + 0.5};
          const double dz = p[0] - head[0], dy = p[1] - head[1], dx = p[2] - head[2];
          const double r_head = std::sqrt(dz * dz + dy * dy + dx * dx);
          double along = 0.0;
          const double r_neck = detail::segment_distance(p, head, neck_end, along);
          const double r_shaft = detail::segment_distance(p, neck_end, shaft_end, along);
          const double tz = (p[0] - trochanter[0]) / (2.6 * unit * scale), ty = (p[1] - trochanter[1]) / (2.2 * unit * scale),
                       tx = (p[2] - trochanter[2]) / (2.0 * unit * scale);
          const double r_troch = std::sqrt(tz * tz + ty * ty + tx * tx);
          // Depth inside the femur (voxels), for the cortical shell.
          const double depth = std::max({head_radius - r_head, neck_radius - r_neck, shaft_radius - r_shaft,
                                         (1.0 - r_troch) * 2.0 * unit * scale});
          double value = 40.0 + drift * (p[1] / static_cast<double>(n) - 0.5);  // soft tissue
          if (p[0] > head[0] - 6.0 * unit && p[0] < n - 2.0 * unit && std::abs(p[1] - n * 0.5) < n * 0.45) {
            value -= 60.0 * (std::abs(p[2] - n * 0.5) > n * 0.42);  // subcutaneous fat at the sides
          }
          const bool femur = depth > 0.0;
          // Acetabulum: a shell over the upper-medial half of the head, a joint space away.
          const double acetabulum_inner = head_radius + joint_space;
          const bool pelvis = !femur && r_head >= acetabulum_inner && r_head < acetabulum_inner + 2.5 * unit &&
                              dz < 0.35 * head_radius && dx < 0.6 * head_radius;
          if (femur) value = depth < 1.2 * unit ? 1000.0 : trabecular;
          if (pelvis) value = r_head < acetabulum_inner + 1.0 * unit ? 950.0 : trabecular + 50.0;
          const std::size_t at = static_cast<std::size_t>((z * n + y) * n + x);
          image[at] = static_cast<float>(value + options.noise() * rng.standard_normal());
          mask[at] = femur ? 1 : 0;
          count += femur ? 1 : 0;
        }
      }
    }
    cohort.subject_ids.emplace_back(name);
    cohort.sex.emplace_back(female ? "F" : "M");
    cohort.femur_volume_ml.push_back(static_cast<double>(count) * voxel_ml);
  }
  return cohort;
}

}  // namespace osteon::data
