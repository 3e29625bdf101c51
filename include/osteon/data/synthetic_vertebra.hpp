#pragma once
/// @file
/// A synthetic chest-CT vertebra cohort for the opportunistic osteoporosis-screening study:
/// CT-like volumes (HU) of two lumbar vertebrae with an exact label mask (1 = L1, 2 = L2) and a
/// 3-class bone-density label from the trabecular density, as QCT screening defines it (ACR
/// practice parameter for QCT, 2018: trabecular BMD > 120 mg/cm³ normal, 80–120 osteopenia,
/// < 80 osteoporosis; here 1 HU ≈ 1 mg/cm³, the usual approximation of uncalibrated CT).
///
/// Each volume (size³, axes (z, y, x) = superior→inferior, anterior→posterior, right→left,
/// spacing 1.25 mm × 0.8 × 0.8 scaled by 32 / size) shows L1 above L2 — vertebral bodies
/// (elliptic cylinders with a cortical shell ≈ 400–600 HU), the disc between them (≈ 80 HU), the
/// posterior elements (pedicles and spinous process: bone, not in the mask, so the segmenter
/// must tell body from arch) — in soft tissue (≈ 30 HU) with Gaussian noise. The label follows
/// the subject's true trabecular BMD (drawn from a mixture by age group and sex); the image
/// shows it through the trabecular intensity plus a scanner calibration offset (SD
/// `calibration_sd` HU, unknown to the model) and noise, so classes near the thresholds overlap:
/// learnable, not trivial. Deterministic from the seed (PCG32); torch-free.

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

/// Options of synthetic_vertebra_cohort.
///
/// Example:
///   auto options = osteon::data::SyntheticVertebraOptions().subjects(90).size(32).seed(3);
struct SyntheticVertebraOptions {
  OSTEON_ARG(std::int64_t, subjects) = 90;
  /// Side of the cubic volume in voxels, in [24, 256].
  OSTEON_ARG(std::int64_t, size) = 32;
  OSTEON_ARG(double, noise) = 40.0;
  /// SD of the per-scan calibration offset, HU.
  OSTEON_ARG(double, calibration_sd) = 12.0;
  OSTEON_ARG(std::uint64_t, seed) = 2024;
};

/// A generated vertebra cohort.
struct SyntheticVertebraCohort {
  static constexpr const char* kClassNames[3] = {"normal", "osteopenia", "osteoporosis"};
  std::int64_t size = 0;
  std::vector<double> spacing;           ///< (z, y, x) mm
  std::vector<float> images;             ///< (subjects, size, size, size) HU
  std::vector<std::uint8_t> masks;       ///< (subjects, size, size, size): 0 background, 1 L1, 2 L2
  std::vector<std::string> subject_ids;  ///< "V001", …
  std::vector<std::string> sex;          ///< "F" / "M"
  std::vector<double> bmd;               ///< true trabecular BMD, mg/cm³
  std::vector<int> density_class;        ///< 0 normal, 1 osteopenia, 2 osteoporosis
  std::int64_t subjects() const { return static_cast<std::int64_t>(subject_ids.size()); }
};

/// The ACR QCT class of a trabecular BMD (mg/cm³): 0 normal (> 120), 1 osteopenia (80–120), 2 osteoporosis (< 80).
inline int qct_density_class(double bmd) { return bmd > 120.0 ? 0 : (bmd >= 80.0 ? 1 : 2); }

/// Generates the cohort (see the file comment).
///
/// Example:
///   auto cohort = osteon::data::synthetic_vertebra_cohort(osteon::data::SyntheticVertebraOptions().subjects(12));
///   int first = cohort.density_class[0];   // 0, 1 or 2
inline SyntheticVertebraCohort synthetic_vertebra_cohort(const SyntheticVertebraOptions& options = {}) {
  OSTEON_CHECK_ARG(options.subjects() >= 1, "synthetic_vertebra_cohort: subjects must be >= 1, got ", options.subjects());
  OSTEON_CHECK_ARG(options.size() >= 24 && options.size() <= 256, "synthetic_vertebra_cohort: size must be in [24, 256], got ",
                   options.size());
  OSTEON_CHECK_ARG(std::isfinite(options.noise()) && options.noise() >= 0, "synthetic_vertebra_cohort: noise must be >= 0, got ",
                   options.noise());
  OSTEON_CHECK_ARG(std::isfinite(options.calibration_sd()) && options.calibration_sd() >= 0,
                   "synthetic_vertebra_cohort: calibration_sd must be >= 0, got ", options.calibration_sd());
  const std::int64_t n = options.size();
  const double unit = static_cast<double>(n) / 32.0;
  Pcg32 rng(options.seed());
  SyntheticVertebraCohort cohort;
  cohort.size = n;
  cohort.spacing = {1.25 / unit, 0.8 / unit, 0.8 / unit};
  const auto voxels = static_cast<std::size_t>(n * n * n);
  cohort.images.resize(voxels * static_cast<std::size_t>(options.subjects()));
  cohort.masks.resize(cohort.images.size());
  for (std::int64_t s = 0; s < options.subjects(); ++s) {
    char name[16];
    std::snprintf(name, sizeof(name), "V%03lld", static_cast<long long>(s + 1));
    const bool female = rng.uniform01() < 0.55;
    // Age group mixture: the older, the lower; women lower after menopause.
    const double age_group = rng.uniform01();
    const double mean_bmd = age_group < 0.35 ? 150.0 : (age_group < 0.7 ? 110.0 : 80.0);
    const double bmd = std::max(20.0, mean_bmd - (female ? 12.0 : 0.0) + 22.0 * rng.standard_normal());
    const double calibration = options.calibration_sd() * rng.standard_normal();
    const double cortical = 450.0 + 100.0 * rng.uniform01();
    // Geometry, drawn for 32³ and scaled: bodies centred anteriorly, arch posteriorly.
    const double cy = (12.0 + rng.standard_normal()) * unit, cx = (16.0 + 0.8 * rng.standard_normal()) * unit;
    const double ry = (6.0 + 0.5 * rng.standard_normal()) * unit, rx = (7.5 + 0.5 * rng.standard_normal()) * unit;
    const double body_height = (11.0 + 0.8 * rng.standard_normal()) * unit, disc = (3.0 + 0.5 * rng.uniform01()) * unit;
    const double top = (16.0 * unit) - body_height - disc / 2.0 + rng.standard_normal() * unit;
    const double shell = 1.2 * unit;
    float* image = cohort.images.data() + static_cast<std::size_t>(s) * voxels;
    std::uint8_t* mask = cohort.masks.data() + static_cast<std::size_t>(s) * voxels;
    for (std::int64_t z = 0; z < n; ++z) {
      for (std::int64_t y = 0; y < n; ++y) {
        for (std::int64_t x = 0; x < n; ++x) {
          const double pz = z + 0.5, py = y + 0.5, px = x + 0.5;
          double value = 30.0;
          std::uint8_t label = 0;
          const double radial = std::hypot((py - cy) / ry, (px - cx) / rx);  // < 1 inside the body's cross-section
          for (int level = 0; level < 2; ++level) {
            const double z0 = top + level * (body_height + disc), z1 = z0 + body_height;
            if (pz >= z0 && pz < z1 && radial < 1.0) {
              const double depth = std::min({(1.0 - radial) * std::min(rx, ry), pz - z0, z1 - pz});
              value = depth < shell ? cortical : bmd + calibration;
              label = static_cast<std::uint8_t>(level + 1);
            }
            // Posterior elements: pedicles (two bars) and the spinous process, behind the body.
            const double mid = (z0 + z1) / 2.0;
            const bool pedicle = std::abs(pz - mid) < 2.5 * unit && py > cy + ry * 0.9 && py < cy + ry + 5.0 * unit &&
                                 std::abs(std::abs(px - cx) - 4.0 * unit) < 1.2 * unit;
            const bool spinous = std::abs(pz - mid - 1.0 * unit) < 2.0 * unit && py > cy + ry + 4.0 * unit &&
                                 py < cy + ry + 11.0 * unit && std::abs(px - cx) < 1.2 * unit;
            if (label == 0 && (pedicle || spinous)) value = cortical * 0.8;
          }
          if (label == 0 && radial < 1.0 && pz >= top + body_height && pz < top + body_height + disc) value = 80.0;  // disc
          const std::size_t at = static_cast<std::size_t>((z * n + y) * n + x);
          image[at] = static_cast<float>(value + options.noise() * rng.standard_normal());
          mask[at] = label;
        }
      }
    }
    cohort.subject_ids.emplace_back(name);
    cohort.sex.emplace_back(female ? "F" : "M");
    cohort.bmd.push_back(bmd);
    cohort.density_class.push_back(qct_density_class(bmd));
  }
  return cohort;
}

}  // namespace osteon::data
