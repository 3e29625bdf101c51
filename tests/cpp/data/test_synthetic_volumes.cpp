// Synthetic femur, vertebra and SIJ cohorts: determinism, exact masks (noise-free renderings:
// the mask is exactly the voxels drawn with the structure's intensities), label distributions,
// and the signal each study needs (men's femora larger, density classes from BMD, axSpA with
// more lesions), plus argument errors.
#include <osteon/data/synthetic_femur.hpp>
#include <osteon/data/synthetic_sij.hpp>
#include <osteon/data/synthetic_vertebra.hpp>

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include <doctest/doctest.h>

using namespace osteon::data;

TEST_CASE("synthetic_femur_cohort: deterministic, exact masks, sex and volume") {
  const auto a = synthetic_femur_cohort(SyntheticFemurOptions().subjects(6).seed(3));
  const auto b = synthetic_femur_cohort(SyntheticFemurOptions().subjects(6).seed(3));
  const auto c = synthetic_femur_cohort(SyntheticFemurOptions().subjects(6).seed(4));
  CHECK(a.images == b.images);
  CHECK(a.masks == b.masks);
  CHECK(a.images != c.images);
  CHECK(a.images.size() == 6u * 32 * 32 * 32);
  CHECK(a.spacing == std::vector<double>{1.0, 0.8, 0.8});
  // Noise-free: mask voxels hold exactly the cortical (1000 HU) or this subject's trabecular value,
  // and no other voxel does; the acetabulum (bone, not femur) exists beside it.
  const auto clean = synthetic_femur_cohort(SyntheticFemurOptions().subjects(8).noise(0).seed(11));
  const std::size_t voxels = 32 * 32 * 32;
  for (std::int64_t s = 0; s < clean.subjects(); ++s) {
    std::set<float> femur_values, other_values;
    std::size_t count = 0;
    for (std::size_t v = 0; v < voxels; ++v) {
      const float value = clean.images[s * voxels + v];
      if (clean.masks[s * voxels + v]) {
        femur_values.insert(value);
        ++count;
      } else {
        other_values.insert(value);
      }
    }
    CHECK(femur_values.size() == 2);
    CHECK(femur_values.count(1000.0f) == 1);
    for (const float f : femur_values) CHECK(other_values.count(f) == 0);
    CHECK(other_values.count(950.0f) == 1);  // acetabular cortex
    CHECK(clean.femur_volume_ml[s] == doctest::Approx(count * 0.64 / 1000.0));
  }
  // Sex: about half women; men's femora larger on average.
  const auto cohort = synthetic_femur_cohort(SyntheticFemurOptions().subjects(60).size(24).seed(1));
  double male = 0, female = 0;
  int men = 0;
  for (std::int64_t s = 0; s < cohort.subjects(); ++s) {
    if (cohort.sex[s] == "M") {
      male += cohort.femur_volume_ml[s];
      ++men;
    } else {
      female += cohort.femur_volume_ml[s];
    }
  }
  CHECK(men > 18);
  CHECK(men < 42);
  CHECK(male / men > 1.2 * female / (60 - men));
  CHECK_THROWS_WITH_AS(synthetic_femur_cohort(SyntheticFemurOptions().size(16)), doctest::Contains("size must be in [24, 256], got 16"),
                       std::invalid_argument);
}

TEST_CASE("synthetic_vertebra_cohort: L1 / L2 masks exact, density classes follow the ACR thresholds") {
  const auto clean = synthetic_vertebra_cohort(SyntheticVertebraOptions().subjects(5).noise(0).calibration_sd(0).seed(2));
  const std::size_t voxels = 32 * 32 * 32;
  for (std::int64_t s = 0; s < clean.subjects(); ++s) {
    std::map<int, std::set<float>> values;
    for (std::size_t v = 0; v < voxels; ++v) values[clean.masks[s * voxels + v]].insert(clean.images[s * voxels + v]);
    REQUIRE(values.size() == 3);  // background, L1, L2
    CHECK(values[1] == values[2]);
    CHECK(values[1].size() == 2);  // cortical shell and trabecular bone
    CHECK(values[1].count(static_cast<float>(clean.bmd[s])) == 1);
    for (const float f : values[1]) CHECK(values[0].count(f) == 0);
  }
  const auto cohort = synthetic_vertebra_cohort(SyntheticVertebraOptions().subjects(300).size(24).seed(9));
  int counts[3] = {0, 0, 0};
  for (std::int64_t s = 0; s < cohort.subjects(); ++s) {
    const double bmd = cohort.bmd[s];
    CHECK(cohort.density_class[s] == (bmd > 120 ? 0 : (bmd >= 80 ? 1 : 2)));
    ++counts[cohort.density_class[s]];
  }
  for (const int count : counts) CHECK(count > 50);  // three classes, none rare
  CHECK(qct_density_class(120.0) == 1);
  CHECK(qct_density_class(79.9) == 2);
  CHECK(synthetic_vertebra_cohort(SyntheticVertebraOptions().subjects(3).seed(5)).images ==
        synthetic_vertebra_cohort(SyntheticVertebraOptions().subjects(3).seed(5)).images);
}

TEST_CASE("synthetic_sij_cohort: exact lesion masks, axSpA has more lesions, two centres") {
  const auto clean = synthetic_sij_cohort(SyntheticSijOptions().patients(30).noise(0).external_fraction(0).seed(4));
  const std::size_t pixels = 64 * 64;
  for (std::int64_t p = 0; p < clean.patients(); ++p) {
    std::set<float> lesion_values, other_values;
    for (std::size_t v = 0; v < pixels; ++v) {
      (clean.masks[p * pixels + v] ? lesion_values : other_values).insert(clean.images[p * pixels + v]);
    }
    CHECK(lesion_values.size() <= 1);  // one intensity (fat on T1), none when there is no lesion
    for (const float f : lesion_values) CHECK(other_values.count(f) == 0);
    CHECK(clean.centre[p] == "internal");
  }
  const auto cohort = synthetic_sij_cohort(SyntheticSijOptions().patients(400).size(32).seed(8));
  double lesions[2] = {0, 0};
  int cases = 0, external = 0, axspa_without = 0;
  for (std::int64_t p = 0; p < cohort.patients(); ++p) {
    lesions[cohort.axspa[p]] += static_cast<double>(cohort.lesions[p]);
    cases += cohort.axspa[p];
    external += cohort.centre[p] == "external";
    axspa_without += cohort.axspa[p] == 1 && cohort.lesions[p] == 0;
  }
  CHECK(cases > 160);
  CHECK(cases < 240);
  CHECK(external > 70);
  CHECK(external < 130);
  CHECK(lesions[1] / cases > 3.0 * lesions[0] / (400 - cases));
  CHECK(axspa_without > 0);  // not a function of the mask
  CHECK_THROWS_WITH_AS(synthetic_sij_cohort(SyntheticSijOptions().prevalence(1.5)), doctest::Contains("prevalence must be in [0, 1], got 1.5"),
                       std::invalid_argument);
}
