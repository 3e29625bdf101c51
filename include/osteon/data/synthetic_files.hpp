#pragma once
/// @file
/// Synthetic cohorts written to disk as real files plus a manifest CSV, so that a demo runs
/// through the same readers and ManifestDataset as a user's data. Torch-free (io/ writers).
///   write_synthetic_hip_cohort      images/<hip>_ap.png, images/<hip>_frog.png (16-bit gray)
///   write_synthetic_femur_cohort    images/<id>.nii.gz (HU, float32), masks/<id>.nii.gz (uint8)
///   write_synthetic_vertebra_cohort images/<id>.nii.gz, masks/<id>.nii.gz (0 / 1 = L1 / 2 = L2)
///   write_synthetic_sij_cohort      images/<id>.nii.gz (2-D), masks/<id>.nii.gz
/// Each writes `<folder>/manifest.csv` (sample_id, group, image column(s), mask, labels, strata,
/// true values) and returns its path. Files are written atomically; the same cohort gives
/// byte-identical files.

#include <filesystem>
#include <string>
#include <vector>

#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>

#include "osteon/core/atomic_file.hpp"
#include "osteon/core/check.hpp"
#include "osteon/core/csv.hpp"
#include "osteon/data/synthetic_femur.hpp"
#include "osteon/data/synthetic_hips.hpp"
#include "osteon/data/synthetic_sij.hpp"
#include "osteon/data/synthetic_vertebra.hpp"
#include "osteon/io/image.hpp"
#include "osteon/io/nifti.hpp"
#include "osteon/io/png.hpp"

namespace osteon::data {

/// Hip radiographs are stored as 16-bit PNG: value = u / 65535 · kHipPngRange + kHipPngLow
/// (so [−0.25, 1.75] covers every synthetic intensity); ScaleIntensityRange(0, 65535, …) undoes it.
inline constexpr double kHipPngLow = -0.25;
inline constexpr double kHipPngRange = 2.0;

namespace detail {

inline std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.6g", value);
  return text;
}

inline void write_manifest_csv(const std::string& path, const std::vector<std::string>& header,
                               const std::vector<std::vector<std::string>>& rows, const char* function) {
  write_file_atomically(path, function, [&](std::ostream& out) {
    for (std::size_t c = 0; c < header.size(); ++c) out << (c ? "," : "") << csv_field(header[c]);
    out << "\n";
    for (const auto& row : rows) {
      for (std::size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << csv_field(row[c]);
      out << "\n";
    }
  });
}

inline void make_folders(const std::string& folder, const char* function) {
  std::error_code error;
  for (const char* sub : {"images", "masks"}) std::filesystem::create_directories(std::filesystem::path(folder) / sub, error);
  OSTEON_CHECK_ARG(!error, function, ": cannot create folders under \"", folder, "\": ", error.message());
}

template <typename T>
io::Image volume_image(const T* data, const std::vector<std::size_t>& shape, const std::vector<double>& spacing) {
  std::size_t count = 1;
  for (const auto s : shape) count *= s;
  xt::xarray<T> pixels = xt::adapt(data, count, xt::no_ownership(), shape);
  return io::Image(xt::xarray<T>(pixels), spacing);
}

/// Writes image + mask NIfTI pairs for a volume / slice cohort; returns the relative paths.
template <typename Cohort>
void write_image_mask_pairs(const std::string& folder, const Cohort& cohort, const std::vector<std::string>& ids,
                            const std::vector<std::size_t>& shape, std::vector<std::string>& images,
                            std::vector<std::string>& masks) {
  std::size_t per = 1;
  for (const auto s : shape) per *= s;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto image_path = "images/" + ids[i] + ".nii.gz", mask_path = "masks/" + ids[i] + ".nii.gz";
    io::write_nifti((std::filesystem::path(folder) / image_path).string(),
                    volume_image(cohort.images.data() + i * per, shape, cohort.spacing));
    io::write_nifti((std::filesystem::path(folder) / mask_path).string(),
                    volume_image(cohort.masks.data() + i * per, shape, cohort.spacing));
    images.push_back(image_path);
    masks.push_back(mask_path);
  }
}

}  // namespace detail

/// Writes the hip cohort as 16-bit PNGs (one AP and one frog-leg view per hip) and manifest.csv
/// with columns sample_id (hip), group (patient), image_ap, image_frog, outcome, joint_space_mm,
/// cam_size, risk. Returns the manifest's path.
///
/// Example:
///   auto manifest = osteon::data::write_synthetic_hip_cohort(
///       osteon::data::synthetic_hip_cohort(osteon::data::SyntheticHipOptions().patients(20)), "hips");
///   osteon::data::ManifestDataset hips(manifest, osteon::data::ManifestDatasetOptions()
///       .image_columns({"image_ap", "image_frog"}).label_columns({"outcome"}));
inline std::string write_synthetic_hip_cohort(const SyntheticHipCohort& cohort, const std::string& folder) {
  constexpr const char* function = "write_synthetic_hip_cohort";
  detail::make_folders(folder, function);
  const auto size = static_cast<std::size_t>(cohort.image_size);
  std::vector<std::vector<std::string>> rows;
  for (std::int64_t hip = 0; hip < cohort.hips(); ++hip) {
    std::vector<std::string> paths;
    for (std::int64_t view = 0; view < SyntheticHipCohort::kViews; ++view) {
      const float* first = cohort.images.data() + (hip * SyntheticHipCohort::kViews + view) * cohort.image_size * cohort.image_size;
      xt::xarray<std::uint16_t> pixels = xt::xarray<std::uint16_t>::from_shape({size, size});
      for (std::size_t p = 0; p < size * size; ++p) {
        const double scaled = (static_cast<double>(first[p]) - kHipPngLow) / kHipPngRange * 65535.0;
        pixels.data()[p] = static_cast<std::uint16_t>(std::lround(std::clamp(scaled, 0.0, 65535.0)));
      }
      const auto relative = "images/" + cohort.hip_ids[hip] + (view == 0 ? "_ap.png" : "_frog.png");
      io::write_png((std::filesystem::path(folder) / relative).string(), io::Image(pixels));
      paths.push_back(relative);
    }
    rows.push_back({cohort.hip_ids[hip], cohort.patient_ids[hip], paths[0], paths[1], std::to_string(cohort.outcome[hip]),
                    detail::format_number(cohort.joint_space_mm[hip]), detail::format_number(cohort.cam_size[hip]),
                    detail::format_number(cohort.risk[hip])});
  }
  const auto manifest = (std::filesystem::path(folder) / "manifest.csv").string();
  detail::write_manifest_csv(manifest, {"sample_id", "group", "image_ap", "image_frog", "outcome", "joint_space_mm", "cam_size", "risk"},
                             rows, function);
  return manifest;
}

/// Writes the femur cohort (NIfTI volumes and masks) and manifest.csv with columns sample_id,
/// group, image, mask, sex, femur_volume_ml. Returns the manifest's path.
///
/// Example:
///   auto manifest = osteon::data::write_synthetic_femur_cohort(osteon::data::synthetic_femur_cohort(), "femur");
inline std::string write_synthetic_femur_cohort(const SyntheticFemurCohort& cohort, const std::string& folder) {
  constexpr const char* function = "write_synthetic_femur_cohort";
  detail::make_folders(folder, function);
  const auto n = static_cast<std::size_t>(cohort.size);
  std::vector<std::string> images, masks;
  detail::write_image_mask_pairs(folder, cohort, cohort.subject_ids, {n, n, n}, images, masks);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < images.size(); ++i) {
    rows.push_back({cohort.subject_ids[i], cohort.subject_ids[i], images[i], masks[i], cohort.sex[i],
                    detail::format_number(cohort.femur_volume_ml[i])});
  }
  const auto manifest = (std::filesystem::path(folder) / "manifest.csv").string();
  detail::write_manifest_csv(manifest, {"sample_id", "group", "image", "mask", "sex", "femur_volume_ml"}, rows, function);
  return manifest;
}

/// Writes the vertebra cohort and manifest.csv with columns sample_id, group, image, mask, sex,
/// bmd, density_class (0 normal, 1 osteopenia, 2 osteoporosis). Returns the manifest's path.
///
/// Example:
///   auto manifest = osteon::data::write_synthetic_vertebra_cohort(osteon::data::synthetic_vertebra_cohort(), "spine");
inline std::string write_synthetic_vertebra_cohort(const SyntheticVertebraCohort& cohort, const std::string& folder) {
  constexpr const char* function = "write_synthetic_vertebra_cohort";
  detail::make_folders(folder, function);
  const auto n = static_cast<std::size_t>(cohort.size);
  std::vector<std::string> images, masks;
  detail::write_image_mask_pairs(folder, cohort, cohort.subject_ids, {n, n, n}, images, masks);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < images.size(); ++i) {
    rows.push_back({cohort.subject_ids[i], cohort.subject_ids[i], images[i], masks[i], cohort.sex[i],
                    detail::format_number(cohort.bmd[i]), std::to_string(cohort.density_class[i])});
  }
  const auto manifest = (std::filesystem::path(folder) / "manifest.csv").string();
  detail::write_manifest_csv(manifest, {"sample_id", "group", "image", "mask", "sex", "bmd", "density_class"}, rows, function);
  return manifest;
}

/// Writes the SIJ cohort (2-D NIfTI images and masks) and manifest.csv with columns sample_id,
/// group, image, mask, axspa, centre, lesions. Returns the manifest's path.
///
/// Example:
///   auto manifest = osteon::data::write_synthetic_sij_cohort(osteon::data::synthetic_sij_cohort(), "sij");
inline std::string write_synthetic_sij_cohort(const SyntheticSijCohort& cohort, const std::string& folder) {
  constexpr const char* function = "write_synthetic_sij_cohort";
  detail::make_folders(folder, function);
  const auto n = static_cast<std::size_t>(cohort.size);
  std::vector<std::string> images, masks;
  detail::write_image_mask_pairs(folder, cohort, cohort.patient_ids, {n, n}, images, masks);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < images.size(); ++i) {
    rows.push_back({cohort.patient_ids[i], cohort.patient_ids[i], images[i], masks[i], std::to_string(cohort.axspa[i]),
                    cohort.centre[i], std::to_string(cohort.lesions[i])});
  }
  const auto manifest = (std::filesystem::path(folder) / "manifest.csv").string();
  detail::write_manifest_csv(manifest, {"sample_id", "group", "image", "mask", "axspa", "centre", "lesions"}, rows, function);
  return manifest;
}

}  // namespace osteon::data
