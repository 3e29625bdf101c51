// The tensor half of data/: sliding-window inference and the deterministic transforms against
// MONAI 1.3.2 (tests/data/data_monai, written by scripts/make_reference_data_monai.py), patch
// sampling (MONAI's centre correction exactly, the pos/neg ratio statistically), random
// transforms (seeded, mask geometry equal to the image's), collate, TensorDataset, DataLoader.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <atomic>
#include <fstream>
#include <set>
#include <string>

#include "osteon/data/dataset.hpp"
#include "osteon/data/loader.hpp"
#include "osteon/data/sliding_window.hpp"
#include "osteon/data/transforms.hpp"
#include "osteon/io/state_dict.hpp"

namespace {

using namespace osteon::data;

std::string fixture(const std::string& name) { return std::string(OSTEON_TEST_DATA_DIR) + "/data_monai/" + name; }

nlohmann::json manifest() {
  std::ifstream file(fixture("manifest.json"));
  REQUIRE_MESSAGE(file.good(), "missing tests/data/data_monai/manifest.json");
  return nlohmann::json::parse(file);
}

template <typename T>
std::vector<T> vector_of(const nlohmann::json& value) {
  if (value.is_array()) return value.get<std::vector<T>>();
  return {value.get<T>()};
}

void check_close(const torch::Tensor& actual, const torch::Tensor& expected, double tolerance, const std::string& what) {
  INFO(what);
  REQUIRE(actual.sizes() == expected.sizes());
  const double error = (actual.to(torch::kDouble) - expected.to(torch::kDouble)).abs().max().item<double>();
  CHECK_MESSAGE(error <= tolerance, what << ": max abs error " << error);
}

Sample sample_of(const torch::Tensor& image) {
  Sample sample;
  sample.images = {image};
  sample.id = "s";
  return sample;
}

}  // namespace

TEST_CASE("sliding_window_inference equals MONAI's") {
  for (const auto& entry : manifest()["sliding_window"]) {
    const auto name = entry["name"].get<std::string>();
    INFO("case " << name);
    auto data = osteon::io::load_state_dict_file(fixture(name + ".pt"));
    const auto weight = data["weight"], bias = data["bias"];
    const Predictor predictor = [&](const torch::Tensor& x) {
      return torch::sigmoid(x.dim() == 5 ? torch::conv3d(x, weight, bias, 1, 1) : torch::conv2d(x, weight, bias, 1, 1));
    };
    const auto& kwargs = entry["kwargs"];
    SlidingWindowOptions options;
    if (kwargs.contains("overlap")) options.overlap(vector_of<double>(kwargs["overlap"]));
    if (kwargs.contains("mode")) options.mode(kwargs["mode"].get<std::string>());
    if (kwargs.contains("sigma_scale")) options.sigma_scale(vector_of<double>(kwargs["sigma_scale"]));
    if (kwargs.contains("padding_mode")) options.padding_mode(kwargs["padding_mode"].get<std::string>());
    if (kwargs.contains("cval")) options.cval(kwargs["cval"].get<double>());
    const auto output = sliding_window_inference(data["input"], entry["roi_size"].get<std::vector<std::int64_t>>(),
                                                 entry["sw_batch_size"].get<std::int64_t>(), predictor, options);
    check_close(output, data["output"], 1e-5, name);
    // Same result whatever the window batch.
    check_close(sliding_window_inference(data["input"], entry["roi_size"].get<std::vector<std::int64_t>>(), 1, predictor, options),
                data["output"], 1e-5, name + " sw_batch_size 1");
  }
}

TEST_CASE("sliding_window_inference: a module, identity predictor, bad arguments") {
  auto conv = torch::nn::Conv3d(torch::nn::Conv3dOptions(1, 2, 3).padding(1));
  const auto volume = torch::randn({1, 1, 12, 12, 12});
  torch::NoGradGuard no_grad;
  const auto out = sliding_window_inference(volume, {12, 12, 12}, 1, conv);
  check_close(out, conv->forward(volume), 1e-6, "one window = the module");
  // Identity predictor: any blending of identical values gives the input back.
  const Predictor identity = [](const torch::Tensor& x) { return x.clone(); };
  check_close(sliding_window_inference(volume, {5, 7, 4}, 3, identity, SlidingWindowOptions().mode("gaussian").overlap({0.6})),
              volume, 1e-5, "identity");
  CHECK_THROWS_WITH_AS(sliding_window_inference(volume, {4, 4, 4}, 0, identity), doctest::Contains("sw_batch_size must be >= 1, got 0"),
                       c10::Error);
  CHECK_THROWS_WITH_AS(sliding_window_inference(volume, {4, 4, 4}, 1, identity, SlidingWindowOptions().overlap({1.0})),
                       doctest::Contains("overlap must be >= 0 and < 1, got 1"), c10::Error);
  CHECK_THROWS_WITH_AS(sliding_window_inference(volume, {4, 4, 4}, 1, identity, SlidingWindowOptions().mode("median")),
                       doctest::Contains("mode must be \"constant\" or \"gaussian\", got \"median\""), c10::Error);
  CHECK_THROWS_WITH_AS(sliding_window_inference(volume, {4, 4}, 1, identity), doctest::Contains("roi_size has 2 entries for 3 spatial dims"),
                       c10::Error);
  const Predictor halves = [](const torch::Tensor& x) { return x.narrow(2, 0, 2); };
  CHECK_THROWS_WITH_AS(sliding_window_inference(volume, {4, 4, 4}, 1, halves), doctest::Contains("differs from roi_size"), c10::Error);
}

TEST_CASE("deterministic transforms equal MONAI's") {
  auto data = osteon::io::load_state_dict_file(fixture("transforms.pt"));
  const auto image3 = data["image3"], image2 = data["image2"];
  const auto run = [](const Transform& transform, const torch::Tensor& image) { return transform(sample_of(image)).image(); };
  check_close(run(Resize(ResizeOptions({7, 12, 9}).mode("area")), image3), data["resize_area"], 1e-3, "Resize area");
  check_close(run(Resize(ResizeOptions({20, 8, 11}).mode("trilinear")), image3), data["resize_trilinear"], 1e-3, "Resize trilinear");
  check_close(run(Resize(ResizeOptions({9, 31}).mode("nearest")), image2), data["resize_nearest"], 0, "Resize nearest");
  check_close(run(Resize(ResizeOptions({30, 11}).mode("bilinear").align_corners(true)), image2), data["resize_bilinear_ac"], 1e-6,
              "Resize bilinear align_corners");
  check_close(run(CenterSpatialCrop({6, 7, 20}), image3), data["center_crop"], 0, "CenterSpatialCrop");
  check_close(run(CenterSpatialCrop({8, 9}), image2), data["center_crop_2d"], 0, "CenterSpatialCrop 2-D");
  check_close(run(SpatialPad(SpatialPadOptions({16, 11, 15})), image3), data["spatial_pad"], 0, "SpatialPad");
  check_close(run(SpatialPad(SpatialPadOptions({20, 25}).method("end").mode("reflect")), image2), data["spatial_pad_end_reflect"], 0,
              "SpatialPad end reflect");
  check_close(run(DivisiblePad(DivisiblePadOptions({8})), image3), data["divisible_pad"], 0, "DivisiblePad");
  check_close(run(CropForeground(CropForegroundOptions().margin({1}).k_divisible({4})), image3), data["crop_foreground"], 0,
              "CropForeground margin k_divisible");
  check_close(run(CropForeground(), image3), data["crop_foreground_plain"], 0, "CropForeground");
  check_close(run(ScaleIntensityRange(ScaleIntensityRangeOptions(-500, 800).b_min(0.0).b_max(1.0).clip(true)), image3),
              data["scale_range"], 1e-6, "ScaleIntensityRange clip");
  check_close(run(ScaleIntensityRange(ScaleIntensityRangeOptions(-500, 800).b_min(-1.0).b_max(1.0)), image3),
              data["scale_range_noclip"], 1e-6, "ScaleIntensityRange");
  check_close(run(ScaleIntensityRangePercentiles(ScaleIntensityRangePercentilesOptions(5, 95, 0.0, 1.0).clip(true)), image3),
              data["percentiles"], 1e-5, "ScaleIntensityRangePercentiles");
  check_close(run(ScaleIntensityRangePercentiles(
                      ScaleIntensityRangePercentilesOptions(10, 90, 0.0, 1.0).relative(true).channel_wise(true)),
                  image3),
              data["percentiles_relative_cw"], 1e-5, "ScaleIntensityRangePercentiles relative channel_wise");
  check_close(run(NormalizeIntensity(), image3), data["normalize"], 1e-5, "NormalizeIntensity");
  check_close(run(NormalizeIntensity(NormalizeIntensityOptions().nonzero(true).channel_wise(true)), image3),
              data["normalize_nonzero_cw"], 1e-5, "NormalizeIntensity nonzero channel_wise");
  check_close(run(NormalizeIntensity(NormalizeIntensityOptions().subtrahend({100.0, -50.0}).divisor({300.0, 200.0}).channel_wise(true)),
                  image3),
              data["normalize_fixed_cw"], 1e-5, "NormalizeIntensity fixed");
  auto spaced = sample_of(image3);
  spaced.spacing = {1.5, 0.8, 1.0};
  check_close(Spacing(SpacingOptions({1.0, 1.1, 0.7}))(spaced).image(), data["spacing"], 2e-3, "Spacing bilinear");
  check_close(Spacing(SpacingOptions({2.0, 0.5, 1.3}).mode("nearest"))(spaced).image(), data["spacing_nearest"], 0, "Spacing nearest");
  CHECK(Spacing(SpacingOptions({1.0, 1.1, 0.7}))(spaced).spacing == std::vector<double>{1.0, 1.1, 0.7});
}

TEST_CASE("geometric transforms move the mask with the image (nearest neighbour)") {
  // Image = mask exactly: after any geometric transform the mask must still be the image's
  // foreground (masks interpolate nearest, images bilinear — on a binary image with nearest
  // image mode both must agree exactly).
  const auto mask = (torch::rand({1, 14, 17, 11}) > 0.6).to(torch::kUInt8);
  Sample sample;
  sample.images = {mask.to(torch::kFloat)};
  sample.mask = mask;
  sample.spacing = {1.0, 1.2, 2.0};
  const std::vector<TransformPtr> transforms{
      std::make_shared<RandFlip>(RandFlipOptions().prob(1.0)),
      std::make_shared<RandRotate90>(RandRotate90Options().prob(1.0).spatial_axes({0, 2})),
      std::make_shared<RandAffine>(RandAffineOptions().prob(1.0).rotate_range({0.3}).scale_range({0.2}).translate_range({2}).mode("nearest")),
      std::make_shared<Resize>(ResizeOptions({9, 20, 15}).mode("nearest")),
      std::make_shared<Spacing>(SpacingOptions({0.7}).mode("nearest")),
      std::make_shared<DivisiblePad>(DivisiblePadOptions({16})),
      std::make_shared<CenterSpatialCrop>(std::vector<std::int64_t>{8, 8, 8}),
      std::make_shared<CropForeground>(CropForegroundOptions().source("mask").margin({2})),
      std::make_shared<RandSpatialCrop>(std::vector<std::int64_t>{6, 9, 5})};
  for (const auto& transform : transforms) {
    INFO(transform->name());
    osteon::Pcg32 rng(3);
    const auto out = (*transform)(sample, rng);
    CHECK((out.mask.scalar_type() == torch::kUInt8));
    CHECK(out.mask.sizes() == out.image().sizes());
    CHECK(torch::equal(out.mask.to(torch::kFloat), out.image()));
  }
  // RandFlip / RandRotate90 are exact permutations: the flipped mask is torch.flip of it.
  osteon::Pcg32 rng(0);
  const auto flipped = RandFlip(RandFlipOptions().prob(1.0).spatial_axis({1}))(sample, rng);
  CHECK(torch::equal(flipped.mask, torch::flip(mask, {2})));
  const auto rotated = RandRotate90(RandRotate90Options().prob(1.0).max_k(1))(sample, rng);
  CHECK(torch::equal(rotated.mask, torch::rot90(mask, 1, {1, 2})));
  CHECK(rotated.spacing == std::vector<double>{1.2, 1.0, 2.0});
}

TEST_CASE("random transforms are deterministic from the seed and honour prob") {
  Sample sample = sample_of(torch::rand({1, 16, 16}));
  const auto pipeline = Compose({std::make_shared<RandFlip>(RandFlipOptions().prob(0.5)),
                                 std::make_shared<RandRotate90>(RandRotate90Options().prob(0.5)),
                                 std::make_shared<RandAffine>(RandAffineOptions().prob(0.5).rotate_range({0.2})),
                                 std::make_shared<RandGaussianNoise>(RandGaussianNoiseOptions().prob(0.5)),
                                 std::make_shared<RandShiftIntensity>(RandShiftIntensityOptions({0.1}).prob(0.5)),
                                 std::make_shared<RandScaleIntensity>(RandScaleIntensityOptions({0.1}).prob(0.5))});
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    CHECK(torch::equal(pipeline(sample, seed).image(), pipeline(sample, seed).image()));
  }
  CHECK_FALSE(torch::equal(pipeline(sample, 1).image(), pipeline(sample, 2).image()));
  // prob 0 leaves the sample untouched; prob 1 always changes it.
  const auto never = Compose({std::make_shared<RandFlip>(RandFlipOptions().prob(0.0)),
                              std::make_shared<RandGaussianNoise>(RandGaussianNoiseOptions().prob(0.0))});
  CHECK(torch::equal(never(sample, 9).image(), sample.image()));
  // RandFlip(prob 0.3) flips about 30 % of 2000 draws (binomial SD ≈ 10).
  osteon::Pcg32 rng(11);
  int flips = 0;
  const RandFlip flip(RandFlipOptions().prob(0.3));
  for (int i = 0; i < 2000; ++i) flips += torch::equal(flip(sample, rng).image(), sample.image()) ? 0 : 1;
  CHECK(flips > 540);
  CHECK(flips < 660);
  // Gaussian noise has the requested SD when it is not sampled.
  osteon::Pcg32 noise_rng(5);
  const auto noisy = RandGaussianNoise(RandGaussianNoiseOptions().prob(1.0).std(0.2).sample_std(false))(
      sample_of(torch::zeros({1, 200, 200})), noise_rng);
  CHECK(noisy.image().std().item<double>() == doctest::Approx(0.2).epsilon(0.02));
  // Intensity shift draws inside its range.
  osteon::Pcg32 shift_rng(1);
  for (int i = 0; i < 50; ++i) {
    const double offset = RandShiftIntensity(RandShiftIntensityOptions({2.0, 3.0}).prob(1.0))(sample_of(torch::zeros({1, 2, 2})), shift_rng)
                              .image()[0][0][0].item<double>();
    CHECK(offset >= 2.0);
    CHECK(offset < 3.0);
  }
}

TEST_CASE("intensity transforms: ImageNet normalisation, zero ranges, errors") {
  const auto rgb = torch::rand({3, 8, 8});
  const auto mean = torch::tensor({0.485, 0.456, 0.406}).view({3, 1, 1}), sd = torch::tensor({0.229, 0.224, 0.225}).view({3, 1, 1});
  check_close((*imagenet_normalize(3))(sample_of(rgb)).image(), (rgb - mean) / sd, 1e-6, "ImageNet normalisation");
  const auto flat = torch::full({1, 4, 4}, 7.0);
  check_close(NormalizeIntensity()(sample_of(flat)).image(), torch::zeros({1, 4, 4}), 0, "SD 0 divides by 1");
  check_close(ScaleIntensityRange(ScaleIntensityRangeOptions(3, 3))(sample_of(flat)).image(), flat - 3, 0, "a_min == a_max shifts");
  CHECK_THROWS_WITH_AS(ScaleIntensityRange(ScaleIntensityRangeOptions(0, 1).clip(true)), doctest::Contains("clip needs b_min and b_max"),
                       c10::Error);
  CHECK_THROWS_WITH_AS(RandFlip(RandFlipOptions().prob(1.5)), doctest::Contains("prob must be in [0, 1], got 1.5"), c10::Error);
  CHECK_THROWS_WITH_AS(Resize(ResizeOptions({4, 4}).mode("cubic"))(sample_of(flat)), doctest::Contains("got \"cubic\""), c10::Error);
  CHECK_THROWS_WITH_AS(Spacing(SpacingOptions({1.0}))(sample_of(flat)), doctest::Contains("has 0 spacing values for 2 spatial dims"),
                       c10::Error);
}

TEST_CASE("RandCropByPosNegLabel: MONAI's centre correction exactly, the pos/neg ratio statistically") {
  auto data = osteon::io::load_state_dict_file(fixture("transforms.pt"));
  const auto cases = data["crop_centres"];
  REQUIRE(cases.size(0) > 100);
  for (std::int64_t row = 0; row < cases.size(0); ++row) {
    const auto values = cases[row];
    std::vector<std::int64_t> shape, size, centre, expected;
    for (int d = 0; d < 3; ++d) {
      if (values[d].item<std::int64_t>() < 0) continue;
      shape.push_back(values[d].item<std::int64_t>());
      size.push_back(values[3 + d].item<std::int64_t>());
      centre.push_back(values[6 + d].item<std::int64_t>());
      expected.push_back(values[9 + d].item<std::int64_t>());
    }
    std::int64_t flat = 0;
    for (std::size_t d = 0; d < shape.size(); ++d) flat = flat * shape[d] + centre[d];
    const RandCropByPosNegLabel sampler(RandCropByPosNegLabelOptions(size).pos(1).neg(0));
    osteon::Pcg32 rng(0);
    CHECK(sampler.centres(shape, {flat}, {}, rng).front() == expected);
  }
  // Statistically: pos 1 : neg 3 → a quarter of the patches centred on foreground.
  auto mask = torch::zeros({1, 24, 24, 24}, torch::kUInt8);
  mask.narrow(1, 4, 6).narrow(2, 10, 6).narrow(3, 3, 6).fill_(1);
  Sample sample;
  sample.images = {torch::rand({1, 24, 24, 24})};
  sample.mask = mask;
  const RandCropByPosNegLabel sampler(RandCropByPosNegLabelOptions({8, 8, 8}).pos(1).neg(3).num_samples(400));
  osteon::Pcg32 rng(21);
  const auto patches = sampler.expand(sample, rng);
  REQUIRE(patches.size() == 400);
  int centred_on_foreground = 0;
  for (const auto& patch : patches) {
    CHECK(patch.image().sizes() == torch::IntArrayRef({1, 8, 8, 8}));
    // A window's centre voxel (index 4 of 8) is foreground iff the window was centred on it
    // (the foreground is far from the borders, so no centre was moved).
    centred_on_foreground += patch.mask[0][4][4][4].item<int>();
  }
  CHECK(centred_on_foreground > 100 - 30);  // binomial(400, 0.25): mean 100, SD 8.7
  CHECK(centred_on_foreground < 100 + 30);
  // All-background mask: every patch is negative; a window larger than the image is an error.
  Sample empty = sample;
  empty.mask = torch::zeros_like(mask);
  osteon::Pcg32 rng2(1);
  CHECK(RandCropByPosNegLabel(RandCropByPosNegLabelOptions({8, 8, 8}).num_samples(3)).expand(empty, rng2).size() == 3);
  CHECK_THROWS_WITH_AS(RandCropByPosNegLabel(RandCropByPosNegLabelOptions({30, 8, 8})).expand(sample, rng2),
                       doctest::Contains("spatial_size 30 on axis 0 is larger than the mask (24)"), c10::Error);
  // In a Compose, the next transforms apply to every patch.
  const Compose pipeline({std::make_shared<RandCropByPosNegLabel>(RandCropByPosNegLabelOptions({8, 8, 8}).num_samples(4)),
                          std::make_shared<RandFlip>(RandFlipOptions().prob(1.0))});
  CHECK(pipeline.expand(sample, rng2).size() == 4);
}

TEST_CASE("collate and TensorDataset") {
  const auto images = torch::rand({6, 2, 1, 8, 8});
  auto dataset = TensorDataset(images, TensorDatasetOptions().views(2).labels(torch::arange(6)).groups({"a", "a", "b", "c", "c", "c"}));
  CHECK(dataset.size() == 6);
  const auto sample = dataset.get(3);
  CHECK(sample.images.size() == 2);
  CHECK(torch::equal(sample.images[1], images[3][1]));
  CHECK(sample.group == "c");
  const auto batch = collate({dataset.get(0), dataset.get(1)}, {0, 1});
  CHECK(batch.views().sizes() == torch::IntArrayRef({2, 2, 1, 8, 8}));
  CHECK(batch.label.sizes() == torch::IntArrayRef({2, 1}));
  CHECK_THROWS_WITH_AS(dataset.get(6), doctest::Contains("index must be in [0, 6), got 6"), c10::Error);
  Sample other = dataset.get(2);
  other.images = {torch::rand({1, 9, 8}), torch::rand({1, 9, 8})};
  CHECK_THROWS_WITH_AS(collate({dataset.get(0), other}), doctest::Contains("image of sample \"2\" has shape [1, 9, 8]"), c10::Error);
}

namespace {
// A dataset that counts reads and can fail at one index.
class CountingDataset : public Dataset {
 public:
  explicit CountingDataset(std::int64_t n, std::int64_t failing = -1) : n_(n), failing_(failing) {}
  std::int64_t size() const override { return n_; }
  Sample get(std::int64_t index) const override {
    check_index(index, "CountingDataset::get");
    reads_ += 1;
    TORCH_CHECK(index != failing_, "CountingDataset: cannot read sample ", index);
    Sample sample;
    sample.images = {torch::full({1, 4, 4}, static_cast<float>(index))};
    sample.label = torch::tensor({index});
    sample.id = std::to_string(index);
    sample.group = "g" + std::to_string(index / 3);
    return sample;
  }
  mutable std::atomic<int> reads_{0};

 private:
  std::int64_t n_, failing_;
};
}  // namespace

TEST_CASE("DataLoader: order, shuffling from the seed, workers, drop_last, groups, cache, errors") {
  auto dataset = std::make_shared<CountingDataset>(10);
  DataLoader plain(dataset, nullptr, DataLoaderOptions().batch_size(4));
  CHECK(plain.size() == 3);
  std::vector<std::int64_t> seen;
  for (auto& batch : plain) {
    for (const auto i : batch.indices) seen.push_back(i);
    CHECK(torch::equal(batch.label.reshape({-1}), torch::tensor(std::vector<std::int64_t>(batch.indices.begin(), batch.indices.end()))));
  }
  CHECK(seen == std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(DataLoader(dataset, nullptr, DataLoaderOptions().batch_size(4).drop_last(true)).size() == 2);

  // Shuffled: a permutation, the same for the same seed and epoch, new each epoch; the same
  // batches (transforms included) with 0 or 3 workers.
  const auto pipeline = std::make_shared<Compose>(std::vector<TransformPtr>{
      std::make_shared<RandGaussianNoise>(RandGaussianNoiseOptions().prob(1.0))});
  DataLoader serial(dataset, pipeline, DataLoaderOptions().batch_size(3).shuffle(true).seed(5));
  DataLoader threaded(dataset, pipeline, DataLoaderOptions().batch_size(3).shuffle(true).seed(5).num_workers(3).prefetch_factor(1));
  for (int epoch = 0; epoch < 2; ++epoch) {
    std::vector<Batch> a, b;
    for (auto& batch : serial) a.push_back(batch);
    for (auto& batch : threaded) b.push_back(batch);
    REQUIRE(a.size() == b.size());
    std::set<std::int64_t> all;
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].indices == b[i].indices);
      CHECK(torch::equal(a[i].image(), b[i].image()));
      all.insert(a[i].indices.begin(), a[i].indices.end());
    }
    CHECK(all.size() == 10);
  }
  CHECK(serial.batch_indices(0) != serial.batch_indices(1));
  CHECK(serial.batch_indices(1) == DataLoader(dataset, nullptr, DataLoaderOptions().batch_size(3).shuffle(true).seed(5)).batch_indices(1));

  // Group-aware: groups g0 = {0,1,2}, g1 = {3,4,5}, g2 = {6,7,8}, g3 = {9}; two groups a batch.
  DataLoader grouped(dataset, nullptr, DataLoaderOptions().batch_size(2).group_batches(true).shuffle(true).seed(2));
  for (const auto& batch : grouped.batch_indices(0)) {
    std::set<std::int64_t> groups;
    for (const auto i : batch) groups.insert(i / 3);
    CHECK(groups.size() <= 2);
    for (const auto g : groups) {
      CHECK(std::count_if(batch.begin(), batch.end(), [&](auto i) { return i / 3 == g; }) == (g == 3 ? 1 : 3));
    }
  }

  // Cache: a second epoch reads nothing.
  auto counted = std::make_shared<CountingDataset>(6);
  DataLoader cached(counted, nullptr, DataLoaderOptions().batch_size(2).cache(true).num_workers(2));
  for (auto& batch : cached) (void)batch;
  for (auto& batch : cached) (void)batch;
  CHECK(counted->reads_.load() == 6);

  // A worker's error reaches the consumer, naming the sample.
  DataLoader failing(std::make_shared<CountingDataset>(8, 5), nullptr, DataLoaderOptions().batch_size(2).num_workers(2));
  CHECK_THROWS_WITH_AS([&] { for (auto& batch : failing) (void)batch; }(), doctest::Contains("cannot read sample 5"), c10::Error);
  CHECK_THROWS_WITH_AS(DataLoader(dataset, nullptr, DataLoaderOptions().batch_size(0)), doctest::Contains("batch_size must be >= 1, got 0"),
                       c10::Error);
  // A patch sampler's samples all go into the batch.
  Sample volume;
  DataLoader patches(std::make_shared<TensorDataset>(torch::rand({3, 1, 12, 12, 12}),
                                                     TensorDatasetOptions().masks((torch::rand({3, 1, 12, 12, 12}) > 0.5).to(torch::kUInt8))),
                     std::make_shared<RandCropByPosNegLabel>(RandCropByPosNegLabelOptions({6, 6, 6}).num_samples(4)),
                     DataLoaderOptions().batch_size(2));
  auto epoch = patches.epoch(0);
  const auto first = epoch->next();
  REQUIRE(first.has_value());
  CHECK(first->image().sizes() == torch::IntArrayRef({8, 1, 6, 6, 6}));
  CHECK(first->indices == std::vector<std::int64_t>{0, 0, 0, 0, 1, 1, 1, 1});
}
