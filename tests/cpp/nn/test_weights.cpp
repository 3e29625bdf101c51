// State-dict files and weight import: files written by Python's torch.save (fixtures from
// tests/data/nn_resnet/make_fixtures.py, values in reference.json), our own writer, the checks
// of assign_state_dict, the timm stem adaptation and load_torchvision_weights.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "osteon/nn/networks/resnet.hpp"
#include "osteon/io/state_dict.hpp"
#include "osteon/nn/weights/torchvision.hpp"
#include "test_support.hpp"

namespace {

std::string fixture_path(const std::string& name) {
  return std::string(OSTEON_TEST_DATA_DIR) + "/nn_resnet/" + name;
}

std::string temp_path(const std::string& name) {
  return (std::string("/tmp/osteon_test_nn_resnet_") + name);
}

void check_equals_reference(const osteon::nn::StateDict& dict, const nlohmann::json& expected) {
  REQUIRE(dict.size() == expected.size());
  for (const auto& [name, entry] : expected.items()) {
    INFO("key " << name);
    const torch::Tensor* tensor = dict.find(name);
    REQUIRE(tensor != nullptr);
    CHECK(tensor->sizes().vec() == entry["shape"].get<std::vector<int64_t>>());
    auto values = tensor->contiguous().to(torch::kDouble).flatten();
    const auto expected_values = osteon::test::numbers(entry["values"]);
    REQUIRE(values.numel() == static_cast<int64_t>(expected_values.size()));
    for (size_t i = 0; i < expected_values.size(); ++i)  // float32 values are exact in a double
      CHECK(values[static_cast<int64_t>(i)].item<double>() == expected_values[i]);
  }
}

}  // namespace

TEST_CASE("load_state_dict_file reads torch.save(model.state_dict()) from Python") {
  const auto reference = osteon::test::load_fixture("nn_resnet/reference.json");
  const auto dict = osteon::nn::load_state_dict_file(fixture_path("sequential_state_dict.pt"));
  check_equals_reference(dict, reference["sequential_state_dict"]);
  CHECK(dict.keys() == std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias",
                                                "1.running_mean", "1.running_var",
                                                "1.num_batches_tracked"});
  CHECK((dict["1.num_batches_tracked"].scalar_type() == torch::kLong));
}

TEST_CASE("load_state_dict_file keeps offsets, strides, shared storage and dtypes") {
  const auto reference = osteon::test::load_fixture("nn_resnet/reference.json");
  const auto dict = osteon::nn::load_state_dict_file(fixture_path("tensor_views.pt"));
  check_equals_reference(dict, reference["tensor_views"]);
  CHECK((dict["bf16"].scalar_type() == torch::kBFloat16));
  CHECK(dict["transposed"].data_ptr() == dict["base"].data_ptr());  // one storage, as saved
}

TEST_CASE("save_state_dict_file round-trips and matches torch.save's layout") {
  auto source = osteon::nn::load_state_dict_file(fixture_path("tensor_views.pt"));
  const auto path = temp_path("roundtrip.pt");
  osteon::nn::save_state_dict_file(source, path);
  const auto back = osteon::nn::load_state_dict_file(path);
  REQUIRE(back.keys() == source.keys());
  for (const auto& item : source) {
    CHECK((back[item.key()].scalar_type() == item.value().scalar_type()));
    CHECK(torch::equal(back[item.key()], item.value()));
  }
  std::ifstream temporary(path + ".tmp");
  CHECK_FALSE(temporary.good());  // the temporary file was renamed away
  std::remove(path.c_str());
}

TEST_CASE("save_state_dict / load_state_dict of a model") {
  torch::manual_seed(0);
  auto a = osteon::nn::resnet18(osteon::nn::ResNetOptions().num_classes(3));
  auto b = osteon::nn::resnet18(osteon::nn::ResNetOptions().num_classes(3));
  const auto path = temp_path("model.pt");
  osteon::nn::save_state_dict(*a, path);
  osteon::nn::load_state_dict(*b, path);
  a->eval();
  b->eval();
  auto x = torch::randn({1, 3, 32, 32});
  CHECK(torch::equal(a->forward(x), b->forward(x)));
  std::remove(path.c_str());
}

TEST_CASE("assign_state_dict reports missing, unexpected and mis-shaped keys") {
  auto model = osteon::nn::resnet18(osteon::nn::ResNetOptions().num_classes(3));
  auto dict = osteon::nn::module_state_dict(*model);
  const auto before = model->fc->weight.clone();

  auto broken = dict;
  broken.erase("layer2.0.downsample.0.weight");
  broken.insert("layer9.weight", torch::zeros({1}));
  broken["fc.weight"] = torch::zeros({5, 512});
  try {
    osteon::nn::assign_state_dict(*model, broken);
    FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    CHECK(message.find("Missing keys (1): layer2.0.downsample.0.weight") != std::string::npos);
    CHECK(message.find("Unexpected keys (1): layer9.weight") != std::string::npos);
    CHECK(message.find("fc.weight (file [5, 512], model [3, 512])") != std::string::npos);
  }
  CHECK(torch::equal(model->fc->weight, before));  // nothing copied when it throws

  broken["fc.weight"] = torch::ones({3, 512});
  const auto keys = osteon::nn::assign_state_dict(*model, broken, /*strict=*/false);
  CHECK(keys.missing_keys == std::vector<std::string>{"layer2.0.downsample.0.weight"});
  CHECK(keys.unexpected_keys == std::vector<std::string>{"layer9.weight"});
  CHECK(torch::all(model->fc->weight == 1).item<bool>());
}

TEST_CASE("load_state_dict_file rejects what is not a torch.save state dict") {
  CHECK_THROWS_WITH_AS(osteon::nn::load_state_dict_file("/nonexistent/weights.pt"),
                       doctest::Contains("'/nonexistent/weights.pt'"), std::invalid_argument);
  const auto path = temp_path("not_a_zip.pt");
  std::ofstream(path) << "plain text";
  CHECK_THROWS_WITH_AS(osteon::nn::load_state_dict_file(path),
                       doctest::Contains("not a torch.save zip archive"), std::invalid_argument);
  std::remove(path.c_str());
}

TEST_CASE("adapt_input_conv: timm's RGB -> grey (sum) and RGB -> N channels (tile, scale 3/N)") {
  const auto rgb = torch::randn({4, 3, 7, 7});
  CHECK(torch::allclose(osteon::nn::adapt_input_conv(rgb, 1),
                        rgb.select(1, 0).unsqueeze(1) + rgb.select(1, 1).unsqueeze(1) +
                            rgb.select(1, 2).unsqueeze(1)));
  const auto five = osteon::nn::adapt_input_conv(rgb, 5);
  CHECK(five.sizes().vec() == std::vector<int64_t>{4, 5, 7, 7});
  CHECK(torch::allclose(five.select(1, 4), rgb.select(1, 1) * 3.0 / 5.0));
  // a grey image replicated on every channel gives the RGB network's response
  const auto grey = torch::randn({1, 1, 9, 9});
  CHECK(torch::allclose(torch::conv2d(grey, osteon::nn::adapt_input_conv(rgb, 1)),
                        torch::conv2d(grey.expand({1, 3, 9, 9}), rgb), 1e-4, 1e-5));
}

TEST_CASE("load_torchvision_weights: stem adaptation, new head, wrong depth") {
  torch::manual_seed(0);
  auto imagenet = osteon::nn::resnet18();  // stands in for a torchvision file (same names)
  const auto path = temp_path("imagenet18.pt");
  osteon::nn::save_state_dict(*imagenet, path);

  auto grey = osteon::nn::resnet18(osteon::nn::ResNetOptions().in_channels(1).num_classes(2));
  const auto head_before = grey->fc->weight.clone();
  const auto keys = osteon::nn::load_torchvision_weights(*grey, path);
  CHECK(keys.missing_keys == std::vector<std::string>{"fc.weight", "fc.bias"});
  CHECK(torch::allclose(grey->conv1->weight, imagenet->conv1->weight.sum(1, true)));
  CHECK(torch::equal(grey->layer4[1]->as<osteon::nn::BasicBlockImpl<2>>()->conv2->weight,
                     imagenet->layer4[1]->as<osteon::nn::BasicBlockImpl<2>>()->conv2->weight));
  CHECK(torch::equal(grey->fc->weight, head_before));

  auto deeper = osteon::nn::resnet34();
  CHECK_THROWS_WITH_AS(osteon::nn::load_torchvision_weights(*deeper, path),
                       doctest::Contains("Missing keys (96): layer1.2.conv1.weight"),
                       std::invalid_argument);
  std::remove(path.c_str());
}
