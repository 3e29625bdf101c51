// ResNet and MultiViewResNet: structure and names against torchvision 0.14 (keys, shapes and
// parameter counts in tests/data/nn_resnet/reference.json, written by make_fixtures.py),
// torchvision's initialisation, options, memory formats and the fusion formulas.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "osteon/nn/networks/multiview.hpp"
#include "osteon/nn/networks/resnet.hpp"
#include "osteon/io/state_dict.hpp"
#include "test_support.hpp"

namespace {

using osteon::nn::BasicBlockImpl;
using osteon::nn::BottleneckImpl;
using osteon::nn::ResNetOptions;

using osteon::test::parameter_count;

void check_keys_match_torchvision(const torch::nn::Module& model, const nlohmann::json& expected) {
  const auto ours = osteon::nn::module_state_dict(model);
  REQUIRE(ours.size() == expected.size());
  size_t i = 0;
  for (const auto& item : ours) {  // same names, shapes and order as torchvision's state_dict()
    CHECK(item.key() == expected[i][0].get<std::string>());
    CHECK(item.value().sizes().vec() == expected[i][1].get<std::vector<int64_t>>());
    ++i;
  }
}

}  // namespace

TEST_CASE("ResNet parameter counts equal torchvision's for all five depths") {
  const auto counts = osteon::test::load_fixture("nn_resnet/reference.json")["parameter_counts"];
  CHECK(parameter_count(*osteon::nn::resnet18()) == counts["18"].get<int64_t>());
  CHECK(parameter_count(*osteon::nn::resnet34()) == counts["34"].get<int64_t>());
  CHECK(parameter_count(*osteon::nn::resnet50()) == counts["50"].get<int64_t>());
  CHECK(parameter_count(*osteon::nn::resnet50()) == 25557032);  // the stated number
  CHECK(parameter_count(*osteon::nn::resnet101()) == counts["101"].get<int64_t>());
  CHECK(parameter_count(*osteon::nn::resnet152()) == counts["152"].get<int64_t>());
}

TEST_CASE("ResNet state-dict keys, shapes and order equal torchvision's") {
  const auto reference = osteon::test::load_fixture("nn_resnet/reference.json");
  check_keys_match_torchvision(*osteon::nn::resnet18(), reference["resnet18_keys"]);
  check_keys_match_torchvision(*osteon::nn::resnet50(), reference["resnet50_keys"]);
}

TEST_CASE("ResNet initialisation follows torchvision") {
  torch::manual_seed(0);
  auto model = osteon::nn::resnet50();
  // kaiming_normal_(mode="fan_out", nonlinearity="relu"): std = sqrt(2 / (out_channels * k * k))
  const auto& w = model->layer4[0]->as<BottleneckImpl<2>>()->conv2->weight;  // 512 x 512 x 3 x 3
  const double expected_std = std::sqrt(2.0 / (512.0 * 9.0));
  CHECK(w.std().item<double>() == doctest::Approx(expected_std).epsilon(0.01));
  CHECK(std::abs(w.mean().item<double>()) < 0.01 * expected_std);
  CHECK(torch::all(model->bn1->weight == 1).item<bool>());
  CHECK(torch::all(model->bn1->bias == 0).item<bool>());
  // without zero_init_residual the closing BN starts at 1 ...
  CHECK(torch::all(model->layer1[0]->as<BottleneckImpl<2>>()->bn3->weight == 1).item<bool>());
  // ... with it, every residual branch starts at zero
  auto zeroed = osteon::nn::resnet18(ResNetOptions().zero_init_residual(true));
  for (const auto& layer : {zeroed->layer1, zeroed->layer2, zeroed->layer3, zeroed->layer4})
    for (const auto& block : layer->children())
      CHECK(torch::all(block->as<BasicBlockImpl<2>>()->bn2->weight == 0).item<bool>());
  CHECK(torch::all(zeroed->layer1[0]->as<BasicBlockImpl<2>>()->bn1->weight == 1).item<bool>());
}

TEST_CASE("ResNet options: classes, channels, head-less features, 3-D volumes") {
  torch::manual_seed(0);
  auto grey = osteon::nn::resnet18(ResNetOptions().num_classes(2).in_channels(1));
  grey->eval();
  CHECK(grey->conv1->weight.sizes().vec() == std::vector<int64_t>{64, 1, 7, 7});
  CHECK(grey->forward(torch::randn({2, 1, 32, 32})).sizes().vec() == std::vector<int64_t>{2, 2});

  auto backbone = osteon::nn::resnet50(ResNetOptions().num_classes(0));
  CHECK(backbone->fc.is_empty());
  CHECK(backbone->forward(torch::randn({2, 3, 32, 32})).sizes().vec() ==
        std::vector<int64_t>{2, 2048});

  auto volume = osteon::nn::resnet18<3>(ResNetOptions().num_classes(3).in_channels(1));
  CHECK(volume->conv1->weight.sizes().vec() == std::vector<int64_t>{64, 1, 7, 7, 7});
  volume->eval();  // one volume: train-mode BN cannot normalise a 1x1x1 map
  CHECK(volume->forward(torch::randn({1, 1, 16, 16, 16})).sizes().vec() ==
        std::vector<int64_t>{1, 3});

  auto dropped = osteon::nn::resnet18(ResNetOptions().num_classes(4).dropout(0.5));
  dropped->eval();  // dropout is the identity in eval mode
  auto x = torch::randn({2, 3, 32, 32});
  CHECK(torch::allclose(dropped->forward(x), dropped->fc(dropped->forward_features(x))));
}

TEST_CASE("ResNet rejects bad options and inputs with the value in the message") {
  CHECK_THROWS_WITH_AS(osteon::nn::resnet18(ResNetOptions().in_channels(0)),
                       doctest::Contains("in_channels must be >= 1, got 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(osteon::nn::resnet18(ResNetOptions().dropout(1.0)),
                       doctest::Contains("dropout must be in [0, 1), got 1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(osteon::nn::resnet_layers(42), doctest::Contains("got 42"),
                       std::invalid_argument);
  auto model = osteon::nn::resnet18(ResNetOptions().in_channels(1));
  CHECK_THROWS_WITH_AS(model->forward(torch::randn({1, 3, 32, 32})),
                       doctest::Contains("[1, 3, 32, 32]"), c10::Error);
}

TEST_CASE("ResNet gives the same output in channels_last and channels_last_3d") {
  torch::manual_seed(0);
  auto model = osteon::nn::resnet50(ResNetOptions().num_classes(5));
  model->eval();
  auto x = torch::randn({2, 3, 32, 32});
  const auto expected = model->forward(x);
  for (auto& p : model->parameters()) {
    if (p.dim() == 4) p.set_data(p.data().contiguous(torch::MemoryFormat::ChannelsLast));
  }
  const auto actual = model->forward(x.contiguous(torch::MemoryFormat::ChannelsLast));
  CHECK(torch::allclose(actual, expected, 1e-4, 1e-5));

  auto volume = osteon::nn::resnet18<3>(ResNetOptions().num_classes(2));
  volume->eval();
  auto v = torch::randn({1, 3, 16, 16, 16});
  CHECK(torch::allclose(volume->forward(v.contiguous(osteon::nn::Spatial<3>::channels_last)),
                        volume->forward(v), 1e-4, 1e-5));
}

TEST_CASE("MultiViewResNet: shapes, names and the fusion formulas") {
  using osteon::nn::MultiViewOptions;
  using osteon::nn::ViewFusion;
  torch::manual_seed(0);
  const auto views = torch::randn({3, 2, 3, 32, 32});

  SUBCASE("late fusion, mean of logits, shared backbone = the backbone applied view by view") {
    osteon::nn::MultiViewResNet<BasicBlockImpl> model(
        MultiViewOptions(osteon::nn::resnet_options(18).num_classes(4)).fusion(ViewFusion::MeanLogits));
    model->eval();
    auto out = model->forward_views(views);
    CHECK(out.view_logits.sizes().vec() == std::vector<int64_t>{3, 2, 4});
    CHECK(out.view_features.sizes().vec() == std::vector<int64_t>{3, 2, 512});
    auto ap = model->backbone->forward(views.select(1, 0));
    auto frog = model->backbone->forward(views.select(1, 1));
    CHECK(torch::allclose(out.view_logits.select(1, 1), frog, 1e-5, 1e-6));
    CHECK(torch::allclose(out.fused, (ap + frog) / 2, 1e-5, 1e-6));
    CHECK(osteon::nn::module_state_dict(*model).find("backbone.layer1.0.conv1.weight") != nullptr);
  }
  SUBCASE("late fusion, mean of probabilities: softmax and sigmoid") {
    for (int64_t classes : {3, 1}) {
      osteon::nn::MultiViewResNet<BasicBlockImpl> model(
          MultiViewOptions(osteon::nn::resnet_options(18).num_classes(classes))
              .shared_backbone(false)
              .fusion(ViewFusion::MeanProbabilities));
      model->eval();
      auto out = model->forward_views(views);
      if (classes > 1) {  // softmax(fused) = mean of the per-view softmax
        auto mean_p = torch::softmax(out.view_logits, 2).mean(1);
        CHECK(torch::allclose(torch::softmax(out.fused, 1), mean_p, 1e-5, 1e-7));
      } else {            // sigmoid(fused) = mean of the per-view sigmoid
        auto mean_p = torch::sigmoid(out.view_logits).mean(1);
        CHECK(torch::allclose(torch::sigmoid(out.fused), mean_p, 1e-5, 1e-7));
      }
      const auto keys = osteon::nn::module_state_dict(*model);
      CHECK(keys.find("backbones.0.fc.weight") != nullptr);
      CHECK(keys.find("backbones.1.layer4.1.bn2.running_var") != nullptr);
    }
  }
  SUBCASE("feature fusion: concatenated pooled features, one head") {
    osteon::nn::MultiViewResNet<BottleneckImpl> model(
        MultiViewOptions(osteon::nn::resnet_options(50).num_classes(2)).shared_backbone(false));
    model->eval();
    auto out = model->forward_views(views);
    CHECK_FALSE(out.view_logits.defined());
    CHECK(out.view_features.sizes().vec() == std::vector<int64_t>{3, 2, 2048});
    CHECK(model->head->weight.sizes().vec() == std::vector<int64_t>{2, 4096});
    auto b0 = model->backbones[0]->as<osteon::nn::ResNetImpl<BottleneckImpl, 2>>();
    auto by_hand = model->head(torch::cat({b0->forward(views.select(1, 0)), out.view_features.select(1, 1)}, 1));
    CHECK(torch::allclose(out.fused, by_hand, 1e-5, 1e-6));
    CHECK(osteon::nn::module_state_dict(*model).find("backbones.0.fc.weight") == nullptr);
  }
  SUBCASE("bad views") {
    osteon::nn::MultiViewResNet<BasicBlockImpl> model(
        MultiViewOptions(osteon::nn::resnet_options(18).num_classes(2)).num_views(3));
    CHECK_THROWS_WITH_AS(model->forward(views), doctest::Contains("[3, 2, 3, 32, 32]"), c10::Error);
    CHECK_THROWS_WITH_AS(osteon::nn::parse_view_fusion("max"), doctest::Contains("'max'"),
                         std::invalid_argument);
  }
}
