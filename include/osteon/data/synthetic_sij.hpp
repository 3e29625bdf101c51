#pragma once
/// @file
/// A synthetic sacroiliac-joint MRI cohort for the fat-metaplasia study (UNet segmentation, an
/// axSpA classifier, internal and external test sets): 2-D T1-weighted-like semicoronal slices
/// with an exact fat-metaplasia mask, an axSpA label and two centres.
///
/// Each image (size × size, rows top→bottom, spacing 1.5 mm scaled by 64 / size) shows the
/// sacrum in the middle and the two ilia beside it, separated by the joint spaces (dark, cartilage
/// and cortex); bone marrow is intermediate signal (≈ 0.45), fat metaplasia bright (≈ 0.85, as fat
/// on T1): blobs in the subchondral marrow on either side of a joint, and the mask is exactly the
/// lesion pixels. Patients with axSpA (label 1) have more and larger lesions (fat metaplasia is a
/// structural sign of axSpA: Maksymowych et al., "Fat metaplasia on MRI of the sacroiliac joints
/// increases the propensity for disease progression", Ann Rheum Dis 2018); some patients have
/// none and some controls have small ones (mechanical back pain, age), so the label is not a
/// function of the mask: learnable, not trivial. Two centres: "internal" and "external", the
/// external one with another scanner — a gain, an offset, more noise and a bias field — for the
/// external-test analysis. Deterministic from the seed (PCG32); torch-free.

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

/// Options of synthetic_sij_cohort.
///
/// Example:
///   auto options = osteon::data::SyntheticSijOptions().patients(120).external_fraction(0.25).seed(5);
struct SyntheticSijOptions {
  OSTEON_ARG(std::int64_t, patients) = 120;
  /// Side of the square image, in [32, 512].
  OSTEON_ARG(std::int64_t, size) = 64;
  /// Fraction of patients with axSpA.
  OSTEON_ARG(double, prevalence) = 0.5;
  /// Fraction of patients from the external centre.
  OSTEON_ARG(double, external_fraction) = 0.25;
  OSTEON_ARG(double, noise) = 0.05;
  OSTEON_ARG(std::uint64_t, seed) = 2024;
};

/// A generated SIJ cohort.
struct SyntheticSijCohort {
  std::int64_t size = 0;
  std::vector<double> spacing;           ///< (row, column) mm
  std::vector<float> images;             ///< (patients, size, size), about 0…1
  std::vector<std::uint8_t> masks;       ///< (patients, size, size), 1 = fat metaplasia
  std::vector<std::string> patient_ids;  ///< "S001", …
  std::vector<int> axspa;                ///< 1 = axial spondyloarthritis
  std::vector<std::string> centre;       ///< "internal" / "external"
  std::vector<std::int64_t> lesions;     ///< number of lesions drawn
  std::int64_t patients() const { return static_cast<std::int64_t>(patient_ids.size()); }
};

/// Generates the cohort (see the file comment).
///
/// Example:
///   auto cohort = osteon::data::synthetic_sij_cohort(osteon::data::SyntheticSijOptions().patients(20));
///   // cohort.images: 20 × 64², cohort.masks: fat metaplasia, cohort.axspa, cohort.centre
inline SyntheticSijCohort synthetic_sij_cohort(const SyntheticSijOptions& options = {}) {
  OSTEON_CHECK_ARG(options.patients() >= 1, "synthetic_sij_cohort: patients must be >= 1, got ", options.patients());
  OSTEON_CHECK_ARG(options.size() >= 32 && options.size() <= 512, "synthetic_sij_cohort: size must be in [32, 512], got ",
                   options.size());
  OSTEON_CHECK_ARG(options.prevalence() >= 0 && options.prevalence() <= 1, "synthetic_sij_cohort: prevalence must be in [0, 1], got ",
                   options.prevalence());
  OSTEON_CHECK_ARG(options.external_fraction() >= 0 && options.external_fraction() <= 1,
                   "synthetic_sij_cohort: external_fraction must be in [0, 1], got ", options.external_fraction());
  OSTEON_CHECK_ARG(std::isfinite(options.noise()) && options.noise() >= 0, "synthetic_sij_cohort: noise must be >= 0, got ",
                   options.noise());
  const std::int64_t n = options.size();
  const double unit = static_cast<double>(n) / 64.0;
  Pcg32 rng(options.seed());
  SyntheticSijCohort cohort;
  cohort.size = n;
  cohort.spacing = {1.5 / unit, 1.5 / unit};
  const auto pixels = static_cast<std::size_t>(n * n);
  cohort.images.resize(pixels * static_cast<std::size_t>(options.patients()));
  cohort.masks.resize(cohort.images.size());
  struct Lesion {
    double row, column, radius_row, radius_column;
  };
  for (std::int64_t p = 0; p < options.patients(); ++p) {
    char name[16];
    std::snprintf(name, sizeof(name), "S%03lld", static_cast<long long>(p + 1));
    const int axspa = rng.uniform01() < options.prevalence() ? 1 : 0;
    const bool external = rng.uniform01() < options.external_fraction();
    const double gain = external ? 0.8 + 0.1 * rng.uniform01() : 0.95 + 0.1 * rng.uniform01();
    const double offset = external ? 0.08 : 0.0;
    const double noise = options.noise() * (external ? 1.6 : 1.0);
    const double bias = external ? 0.15 * (rng.uniform01() - 0.5) : 0.0;
    // Joints: two slightly oblique lines either side of the midline, from row 14 to 54 (64 px).
    const double tilt = 0.18 + 0.05 * rng.standard_normal();
    const double half_gap = (11.0 + 1.0 * rng.standard_normal()) * unit;
    const double centre_column = (32.0 + 1.5 * rng.standard_normal()) * unit;
    const double top = 14.0 * unit, bottom = 54.0 * unit;
    const auto joint_column = [&](int side, double row) {  // side −1 left, +1 right
      return centre_column + side * (half_gap + tilt * (row - top));
    };
    // Lesions: Poisson-like counts, axSpA ~ 2.2 (some 0), controls ~ 0.35; beside a joint.
    const double mean = axspa ? 2.2 : 0.35;
    std::int64_t count = 0;
    for (double u = rng.uniform01(), limit = std::exp(-mean), product = u; product > limit; product *= rng.uniform01()) ++count;
    std::vector<Lesion> lesions;
    for (std::int64_t l = 0; l < count; ++l) {
      const int side = rng.uniform01() < 0.5 ? -1 : 1;
      const double row = top + (bottom - top) * (0.1 + 0.8 * rng.uniform01());
      const double away = (rng.uniform01() < 0.5 ? -1.0 : 1.0) * (2.5 + 1.5 * rng.uniform01()) * unit;  // sacral or iliac side
      const double size_scale = axspa ? 1.0 : 0.6;
      lesions.push_back({row, joint_column(side, row) + away, (1.5 + 2.0 * rng.uniform01()) * unit * size_scale,
                         (1.2 + 1.2 * rng.uniform01()) * unit * size_scale});
    }
    float* image = cohort.images.data() + static_cast<std::size_t>(p) * pixels;
    std::uint8_t* mask = cohort.masks.data() + static_cast<std::size_t>(p) * pixels;
    for (std::int64_t r = 0; r < n; ++r) {
      for (std::int64_t c = 0; c < n; ++c) {
        const double row = r + 0.5, column = c + 0.5;
        double value = 0.12;  // background / soft tissue
        const bool in_pelvis = row > top - 6.0 * unit && row < bottom + 4.0 * unit &&
                               std::abs(column - centre_column) < half_gap + tilt * (bottom - top) + 14.0 * unit;
        std::uint8_t lesion = 0;
        if (in_pelvis) {
          value = 0.45;  // marrow
          bool in_joint = false;
          for (const int side : {-1, 1}) {
            if (row > top && row < bottom && std::abs(column - joint_column(side, row)) < 1.1 * unit) in_joint = true;
          }
          if (in_joint) {
            value = 0.08;  // cartilage and cortex: dark
          } else {
            for (const auto& l : lesions) {
              const double dr = (row - l.row) / l.radius_row, dc = (column - l.column) / l.radius_column;
              if (dr * dr + dc * dc < 1.0) lesion = 1;
            }
            if (lesion) value = 0.85;
          }
        }
        const double field = 1.0 + bias * (column / static_cast<double>(n) - 0.5) * 2.0;
        const std::size_t at = static_cast<std::size_t>(r * n + c);
        image[at] = static_cast<float>(gain * field * value + offset + noise * rng.standard_normal());
        mask[at] = lesion;
      }
    }
    cohort.patient_ids.emplace_back(name);
    cohort.axspa.push_back(axspa);
    cohort.centre.emplace_back(external ? "external" : "internal");
    cohort.lesions.push_back(count);
  }
  return cohort;
}

}  // namespace osteon::data
