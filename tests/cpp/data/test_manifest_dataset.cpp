// ManifestDataset on cohorts written by the synthetic writers (real PNG / NIfTI files read back
// through io/): values equal the in-memory cohort, geometry and labels from the manifest, errors
// that name the file, the line and the column; the loader over it with transforms.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "osteon/data/loader.hpp"
#include "osteon/data/manifest_dataset.hpp"
#include "osteon/data/synthetic_files.hpp"
#include "osteon/data/transforms.hpp"

namespace {

using namespace osteon::data;
namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  auto path = fs::temp_directory_path() / ("osteon_test_data_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(path);
  fs::create_directories(path);
  return path;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("femur cohort through NIfTI files and ManifestDataset equals the in-memory cohort") {
  const auto folder = scratch("femur");
  const auto cohort = synthetic_femur_cohort(SyntheticFemurOptions().subjects(3).size(24).seed(5));
  const auto manifest = write_synthetic_femur_cohort(cohort, folder.string());
  CHECK(fs::exists(folder / "images" / "F001.nii.gz"));
  ManifestDataset dataset(manifest, ManifestDatasetOptions().mask_column("mask").strata_columns({"sex"}).label_columns({"femur_volume_ml"}));
  REQUIRE(dataset.size() == 3);
  for (std::int64_t s = 0; s < 3; ++s) {
    const auto sample = dataset.get(s);
    CHECK(sample.id == cohort.subject_ids[s]);
    CHECK(sample.meta.at("sex") == cohort.sex[s]);
    CHECK(sample.image().sizes() == torch::IntArrayRef({1, 24, 24, 24}));
    CHECK((sample.mask.scalar_type() == torch::kUInt8));
    const auto expected = torch::from_blob(const_cast<float*>(cohort.images.data()) + s * 24 * 24 * 24, {1, 24, 24, 24});
    CHECK(torch::equal(sample.image(), expected));
    const auto mask = torch::from_blob(const_cast<std::uint8_t*>(cohort.masks.data()) + s * 24 * 24 * 24, {1, 24, 24, 24}, torch::kUInt8);
    CHECK(torch::equal(sample.mask, mask));
    REQUIRE(sample.spacing.size() == 3);
    for (int d = 0; d < 3; ++d) CHECK(sample.spacing[d] == doctest::Approx(cohort.spacing[d]));
    CHECK((sample.label.scalar_type() == torch::kFloat));
  }
  // Same cohort, same bytes.
  const auto again = scratch("femur_again");
  write_synthetic_femur_cohort(cohort, again.string());
  CHECK(read_bytes(folder / "images" / "F002.nii.gz") == read_bytes(again / "images" / "F002.nii.gz"));
  CHECK(read_bytes(folder / "manifest.csv") == read_bytes(again / "manifest.csv"));
  // The loader with a patch sampler and a flip: batches of patches.
  DataLoader loader(std::make_shared<ManifestDataset>(manifest, ManifestDatasetOptions().mask_column("mask")),
                    std::make_shared<Compose>(std::vector<TransformPtr>{
                        std::make_shared<ScaleIntensityRange>(ScaleIntensityRangeOptions(-200, 1200).b_min(0.0).b_max(1.0).clip(true)),
                        std::make_shared<RandCropByPosNegLabel>(RandCropByPosNegLabelOptions({16, 16, 16}).num_samples(2)),
                        std::make_shared<RandFlip>(RandFlipOptions().prob(0.5))}),
                    DataLoaderOptions().batch_size(2).num_workers(2).shuffle(true));
  std::int64_t patches = 0;
  for (auto& batch : loader) {
    CHECK(batch.image().size(1) == 1);
    CHECK(batch.mask.sizes() == batch.image().sizes());
    CHECK(batch.image().max().item<float>() <= 1.0f);
    patches += batch.size();
  }
  CHECK(patches == 6);
  fs::remove_all(folder);
  fs::remove_all(again);
}

TEST_CASE("hip cohort through 16-bit PNGs: two views per row, integer labels, groups") {
  const auto folder = scratch("hips");
  const auto cohort = synthetic_hip_cohort(SyntheticHipOptions().patients(3).image_size(32).seed(2));
  const auto manifest = write_synthetic_hip_cohort(cohort, folder.string());
  ManifestDataset hips(manifest, ManifestDatasetOptions().image_columns({"image_ap", "image_frog"}).label_columns({"outcome"}));
  REQUIRE(hips.size() == 6);
  CHECK(hips.groups()[1] == "P001");
  const auto sample = hips.get(1);
  REQUIRE(sample.images.size() == 2);
  CHECK((sample.label.scalar_type() == torch::kLong));
  CHECK(sample.label.item<std::int64_t>() == cohort.outcome[1]);
  // 16-bit quantisation: within half a step of the cohort's value (2 / 65535 / 2).
  const auto frog = torch::from_blob(const_cast<float*>(cohort.images.data()) + (1 * 2 + 1) * 32 * 32, {1, 32, 32});
  const auto decoded = sample.images[1] / 65535.0 * kHipPngRange + kHipPngLow;
  CHECK((decoded - frog).abs().max().item<double>() <= 1.6e-5);
  DataLoader grouped(std::make_shared<ManifestDataset>(manifest, ManifestDatasetOptions().image_columns({"image_ap", "image_frog"})
                                                                     .label_columns({"outcome"})),
                     nullptr, DataLoaderOptions().batch_size(1).group_batches(true));
  for (auto& batch : grouped) {
    CHECK(batch.views().sizes() == torch::IntArrayRef({2, 2, 1, 32, 32}));  // both hips of a patient
    CHECK(batch.groups[0] == batch.groups[1]);
  }
  fs::remove_all(folder);
}

TEST_CASE("ManifestDataset errors name the file, the line and the column; folds filter rows") {
  const auto folder = scratch("bad");
  write_text(folder / "a.png", "");
  const auto cohort = synthetic_hip_cohort(SyntheticHipOptions().patients(2).image_size(32));
  write_synthetic_hip_cohort(cohort, folder.string());
  const auto csv = (folder / "m.csv").string();
  write_text(csv, "sample_id,group,image,outcome,fold\nh1,p1,images/P001-L_ap.png,1,train\nh2,p1,images/missing.png,0,test\n");
  const std::string missing = "line 3 column \"image\": file \"" + (folder / "images/missing.png").string() + "\" does not exist";
  CHECK_THROWS_WITH_AS(ManifestDataset{csv}, doctest::Contains(missing.c_str()), std::invalid_argument);
  CHECK_THROWS_WITH_AS(ManifestDataset(csv, ManifestDatasetOptions().mask_column("mask")),
                       doctest::Contains("has no mask column \"mask\" (columns: sample_id, group, image, outcome, fold)"), std::invalid_argument);
  write_text(csv, "sample_id,group,image,outcome,fold\nh1,p1,images/P001-L_ap.png,yes,train\n");
  CHECK_THROWS_WITH_AS(ManifestDataset(csv, ManifestDatasetOptions().label_columns({"outcome"})),
                       doctest::Contains("line 2 column \"outcome\" is not a number: \"yes\""), std::invalid_argument);
  write_text(csv, "sample_id,group,image,outcome,fold\nh1,p1,images/P001-L_ap.png,1,train\nh2,p1,images/P001-R_ap.png,0,test\n"
                  "h3,p2,images/P002-L_ap.png,0,train\n");
  ManifestDataset train(csv, ManifestDatasetOptions().folds({"train"}).label_columns({"outcome"}));
  CHECK(train.ids() == std::vector<std::string>{"h1", "h3"});
  CHECK(ManifestDataset(csv).indices_of_fold("test") == std::vector<std::int64_t>{1});
  CHECK(torch::equal(ManifestDataset(csv, ManifestDatasetOptions().label_columns({"outcome"})).labels(), torch::tensor({{1}, {0}, {0}})));
  CHECK_THROWS_WITH_AS(ManifestDataset{(folder / "nope.csv").string()}, doctest::Contains("cannot open path"), std::invalid_argument);
  fs::remove_all(folder);
}
