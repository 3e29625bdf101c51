// V-Net and UNet against MONAI: parameter counts of the full-size configurations (MONAI 1.3.2:
// VNet 3-D 1→2 = 45,597,898; UNet 2-D (16..256), res2, 1→2 = 1,625,161), and outputs of
// MONAI-initialised small models (tests/data/nn_monai, written by
// scripts/make_reference_nn_monai.py) after load_monai_weights, in eval and train mode.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "osteon/nn/ops/folded_conv.hpp"
#include "osteon/nn/weights/monai.hpp"
#include "osteon/nn/ops/transposed_conv.hpp"
#include "osteon/io/state_dict.hpp"
#include "osteon/nn/networks/unet.hpp"
#include "osteon/nn/networks/vnet.hpp"
#include "test_support.hpp"

namespace {

using namespace osteon::nn;

std::string fixture(const std::string& name) {
  return std::string(OSTEON_TEST_DATA_DIR) + "/nn_monai/" + name;
}


nlohmann::json manifest_case(const std::string& name) {
  std::ifstream file(fixture("manifest.json"));
  REQUIRE_MESSAGE(file.good(), "missing tests/data/nn_monai/manifest.json");
  return nlohmann::json::parse(file)["cases"][name];
}

bool all_dropout_off(torch::nn::Module& module) {
  for (const auto& child : module.modules()) {
    if (child->name().find("Dropout") != std::string::npos) return false;
  }
  return true;
}

// Loads MONAI's weights into `net`, then compares with MONAI's outputs on MONAI's input.
template <typename Net>
void check_against_monai(Net& net, const std::string& name) {
  INFO("case " << name);
  CHECK(osteon::test::parameter_count(*net) == manifest_case(name)["n_parameters"].get<int64_t>());
  load_monai_weights(*net, fixture(name + ".pt"));
  const auto io = load_state_dict_file(fixture(name + "_io.pt"));
  const auto& input = io["input"];
  net->eval();
  {
    torch::NoGradGuard no_grad;
    const auto output = net->forward(input);
    REQUIRE(output.sizes() == io["output_eval"].sizes());
    // rtol 1e-4: oneDNN sums in another order on AVX2 than on AVX-512 machines (seen: 1.5e-5
    // absolute, 1e-4 relative on 2 of 4096 outputs of vnet2d_base2 on an AVX2-only EPYC).
    CHECK(torch::allclose(output, io["output_eval"], 1e-4, 1e-5));
  }
  // Train mode: batch statistics; MONAI's dropouts were set to p = 0, ours are absent.
  REQUIRE(all_dropout_off(*net));
  net->train();
  torch::NoGradGuard no_grad;
  const auto output = net->forward(input);
  CHECK(torch::allclose(output, io["output_train"], 1e-4, 1e-5));
}

VNetOptions no_dropout(VNetOptions options) {
  return options.dropout_prob_down(std::nullopt)
      .dropout_prob_up({std::nullopt, std::nullopt})
      .dropout_prob_skip(std::nullopt);
}

}  // namespace

TEST_CASE("full-size configurations have MONAI's parameter counts") {
  VNet vnet(VNetOptions().spatial_dims(3).in_channels(1).out_channels(2));
  CHECK(osteon::test::parameter_count(*vnet) == 45597898);
  UNet unet(UNetOptions(2, 1, 2, {16, 32, 64, 128, 256}, {2, 2, 2, 2}).num_res_units(2));
  CHECK(osteon::test::parameter_count(*unet) == 1625161);
}

TEST_CASE("state-dict keys are MONAI's") {
  UNet unet(UNetOptions(2, 1, 2, {4, 8, 16}, {2, 2}).num_res_units(2));
  const auto keys = module_state_dict(*unet).keys();
  // Printed by MONAI 1.3.2 for the same configuration (first keys and the deepest residual).
  CHECK(keys[0] == "model.0.conv.unit0.conv.weight");
  CHECK(keys[1] == "model.0.conv.unit0.conv.bias");
  CHECK(keys[2] == "model.0.conv.unit0.adn.A.weight");
  CHECK(std::find(keys.begin(), keys.end(), "model.1.submodule.1.submodule.residual.weight") !=
        keys.end());
  CHECK(std::find(keys.begin(), keys.end(), "model.2.1.conv.unit0.conv.weight") != keys.end());
  VNet vnet(VNetOptions().spatial_dims(2).base_channels(2).act(ActivationKind::Prelu));
  const auto vkeys = module_state_dict(*vnet).keys();
  CHECK(vkeys[0] == "in_tr.act_function.weight");
  CHECK(vkeys[1] == "in_tr.conv_block.conv.weight");
  CHECK(vkeys[2] == "in_tr.conv_block.adn.N.weight");
  CHECK(vkeys.back() == "out_tr.conv2.bias");
}

TEST_CASE("UNet equals MONAI's UNet") {
  SUBCASE("2-D, residual units (the issue's configuration, narrower)") {
    UNet net(UNetOptions(2, 1, 2, {4, 8, 16, 32, 64}, {2, 2, 2, 2}).num_res_units(2));
    check_against_monai(net, "unet2d_res2");
  }
  SUBCASE("3-D, batch norm, LeakyReLU, plain convolutions") {
    UNet net(UNetOptions(3, 2, 3, {4, 8, 16}, {2, 2})
                 .norm(NormKind::Batch)
                 .act(ActivationOptions(ActivationKind::LeakyRelu).negative_slope(0.1)));
    // MONAI's model has dropout 0.1, set to 0 for its train-mode reference (eval ignores it).
    check_against_monai(net, "unet3d_batch_leaky");
  }
  SUBCASE("2-D, group norm, kernel 5, ADN ordering, no bias") {
    UNet net(UNetOptions(2, 1, 2, {4, 8, 8}, {2, 1})
                 .kernel_size(5)
                 .up_kernel_size(3)
                 .num_res_units(1)
                 .norm(NormOptions(NormKind::Group).num_groups(2))
                 .act(ActivationKind::Relu)
                 .adn_ordering("ADN")
                 .bias(false));
    check_against_monai(net, "unet2d_group_k5");
  }
}

TEST_CASE("VNet equals MONAI's VNet") {
  SUBCASE("2-D, ELU, base width 2, two input channels") {
    VNet net(no_dropout(VNetOptions().spatial_dims(2).in_channels(2).out_channels(2).base_channels(2)));
    check_against_monai(net, "vnet2d_base2");
  }
  SUBCASE("3-D, per-channel PReLU, bias, base width 1") {
    VNet net(no_dropout(VNetOptions()
                            .spatial_dims(3)
                            .in_channels(1)
                            .out_channels(3)
                            .act(ActivationKind::Prelu)
                            .bias(true)
                            .base_channels(1)));
    check_against_monai(net, "vnet3d_base1_prelu");
  }
}

TEST_CASE("load_monai_weights peels DDP and checkpoint wrappers, and names bad keys") {
  const auto dict = load_state_dict_file(fixture("unet2d_group_k5.pt"));
  StateDict wrapped;
  for (const auto& item : dict) wrapped.insert("net.module." + item.key(), item.value());
  const std::string path = "nn_volumetric_wrapped.pt";
  save_state_dict_file(wrapped, path);
  auto make = [] {
    return UNet(UNetOptions(2, 1, 2, {4, 8, 8}, {2, 1})
                    .kernel_size(5)
                    .num_res_units(1)
                    .norm(NormOptions(NormKind::Group).num_groups(2))
                    .act(ActivationKind::Relu)
                    .adn_ordering("ADN")
                    .bias(false));
  };
  auto net = make();
  load_monai_weights(*net, path);
  CHECK(torch::equal(module_state_dict(*net)["model.0.conv.unit0.conv.weight"],
                     dict["model.0.conv.unit0.conv.weight"]));
  // A different configuration: the message names the file and the mismatched keys.
  UNet other(UNetOptions(2, 1, 2, {4, 8, 8}, {2, 1}).num_res_units(1));
  try {
    load_monai_weights(*other, path);
    FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    CHECK(message.find(path) != std::string::npos);
    CHECK(message.find("model.0.conv.unit0.conv.weight") != std::string::npos);
  }
  std::remove(path.c_str());
}

TEST_CASE("VNet rejects a spatial size not divisible by 16, naming the nearest sizes") {
  VNet net(VNetOptions().spatial_dims(2).base_channels(2));
  try {
    net(torch::zeros({1, 1, 50, 64}));
    FAIL("expected c10::Error");
  } catch (const c10::Error& error) {
    const std::string message = error.what_without_backtrace();
    CHECK(message.find("divisible by 16") != std::string::npos);
    CHECK(message.find("size 50") != std::string::npos);
    CHECK(message.find("48 or 64") != std::string::npos);
  }
  CHECK_THROWS_WITH_AS(net(torch::zeros({1, 3, 32, 32})), doctest::Contains("in_channels=1"),
                       c10::Error);
  CHECK_THROWS_WITH_AS(net(torch::zeros({1, 1, 32, 32, 32})), doctest::Contains("(N, C, H, W)"),
                       c10::Error);
}

TEST_CASE("option errors name the argument and echo the value") {
  CHECK_THROWS_WITH_AS(VNet(VNetOptions().in_channels(3)), doctest::Contains("got 3"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(VNet(VNetOptions().spatial_dims(1)),
                       doctest::Contains("spatial_dims must be 2 or 3, got 1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(UNet(UNetOptions(2, 1, 1, {8}, {})), doctest::Contains("channels"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(UNet(UNetOptions(2, 1, 1, {8, 16, 32}, {2})), doctest::Contains("strides"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(UNet(UNetOptions(2, 1, 1, {8, 16}, {2}).kernel_size(4)),
                       doctest::Contains("kernel_size 4"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      UNet(UNetOptions(2, 1, 8, {8, 16}, {2}).norm(NormOptions(NormKind::Group).num_groups(3))),
      doctest::Contains("got 3"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(activation_from_name("swish"), doctest::Contains("'swish'"),
                       std::invalid_argument);
  UNet unet(UNetOptions(2, 1, 1, {4, 8}, {4}));
  CHECK_THROWS_WITH_AS(unet(torch::zeros({1, 1, 30, 32})), doctest::Contains("28 or 32"),
                       c10::Error);
}

TEST_CASE("memory format, autocast, checkpoints") {
  torch::manual_seed(0);
  VNet vnet(no_dropout(VNetOptions().spatial_dims(3).in_channels(2).out_channels(2).base_channels(2)));
  UNet unet(UNetOptions(2, 1, 2, {4, 8, 16}, {2, 2}).num_res_units(2));
  vnet->eval();
  unet->eval();
  const auto volume = torch::randn({1, 2, 16, 16, 16});
  const auto image = torch::randn({2, 1, 32, 32});
  torch::NoGradGuard no_grad;
  const auto vnet_reference = vnet(volume);
  const auto unet_reference = unet(image);

  SUBCASE("channels_last inputs and weights give the same outputs") {
    for (auto& p : vnet->parameters()) {
      if (p.dim() == 5) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast3d));
    }
    const auto out = vnet(volume.contiguous(torch::MemoryFormat::ChannelsLast3d));
    CHECK(torch::allclose(out, vnet_reference, 1e-4, 1e-5));
    const auto out2d = unet(image.contiguous(torch::MemoryFormat::ChannelsLast));
    CHECK(torch::allclose(out2d, unet_reference, 1e-4, 1e-5));
  }
  SUBCASE("bf16 autocast on the CPU") {
    at::autocast::set_cpu_enabled(true);
    const auto vnet_out = vnet(volume);
    const auto unet_out = unet(image);
    at::autocast::set_cpu_enabled(false);
    at::autocast::clear_cache();
    // V-Net ends in a convolution (autocast to bf16); UNet's last op adds the float residual.
    CHECK((vnet_out.scalar_type() == torch::kBFloat16));
    // bf16 keeps 8 bits of mantissa; over a dozen layers the error grows to a few per cent of the
    // output's scale (UNet on an AVX2-only CPU: 0.085 at a scale of 3.8), so compare against it.
    const auto within_bf16 = [](const torch::Tensor& out, const torch::Tensor& reference) {
      const double scale = reference.abs().max().item<double>();
      return (out.to(torch::kFloat) - reference).abs().max().item<double>() <= 0.05 * scale;
    };
    CHECK(within_bf16(vnet_out, vnet_reference));
    CHECK(within_bf16(unet_out, unet_reference));
  }
  SUBCASE("save_state_dict / load_state_dict round trip") {
    const std::string path = "nn_volumetric_vnet.pt";
    save_state_dict(*vnet, path);
    torch::manual_seed(1);
    VNet restored(no_dropout(VNetOptions().spatial_dims(3).in_channels(2).out_channels(2).base_channels(2)));
    restored->eval();
    load_state_dict(*restored, path);
    CHECK(torch::equal(restored(volume), vnet_reference));
    std::remove(path.c_str());
  }
}

TEST_CASE("training step: gradients reach every parameter") {
  torch::manual_seed(0);
  UNet unet(UNetOptions(3, 1, 2, {4, 8}, {2}).num_res_units(1).norm(NormKind::Batch));
  torch::optim::Adam optimizer(unet->parameters(), torch::optim::AdamOptions(1e-3));
  auto loss = unet(torch::randn({2, 1, 8, 8, 8})).square().mean();
  loss.backward();
  for (const auto& item : unet->named_parameters()) {
    INFO(item.key());
    CHECK(item.value().grad().defined());
  }
  optimizer.step();
}

TEST_CASE("clone() is a deep copy with the same keys and outputs") {
  torch::manual_seed(0);
  UNet unet(UNetOptions(2, 1, 2, {4, 8, 16}, {2, 2}).num_res_units(2));
  VNet vnet(VNetOptions().spatial_dims(2).base_channels(1));
  const auto image = torch::randn({1, 1, 32, 32});
  auto check = [&](torch::nn::Module& original, const std::shared_ptr<torch::nn::Module>& copy,
                   auto&& forward_original, auto&& forward_copy) {
    const auto own = module_state_dict(original);
    const auto cloned = module_state_dict(*copy);
    CHECK(own.keys() == cloned.keys());
    for (const auto& item : own) CHECK(item.value().data_ptr() != cloned[item.key()].data_ptr());
    original.eval();
    copy->eval();
    torch::NoGradGuard no_grad;
    CHECK(torch::equal(forward_original(), forward_copy()));
  };
  auto unet_copy = std::dynamic_pointer_cast<UNetImpl>(unet->clone());
  REQUIRE(unet_copy);
  check(*unet, unet_copy, [&] { return unet(image); }, [&] { return unet_copy->forward(image); });
  auto vnet_copy = std::dynamic_pointer_cast<VNetImpl>(vnet->clone());
  REQUIRE(vnet_copy);
  check(*vnet, vnet_copy, [&] { return vnet(image); }, [&] { return vnet_copy->forward(image); });
}

// Equal to float rounding: the largest difference within `relative` of the largest magnitude
// (sums of hundreds of products differ in their last bits when summed in another order).
bool equal_to_rounding(const torch::Tensor& actual, const torch::Tensor& expected,
                       double relative = 1e-5, double absolute = 0.0) {
  return actual.sizes() == expected.sizes() &&
         (actual - expected).abs().max().item<double>() <=
             relative * expected.abs().max().item<double>() + absolute;
}

TEST_CASE("conv_folding_first_axis equals the direct convolution, values and gradients") {
  torch::manual_seed(0);
  struct Case {
    std::vector<int64_t> input, weight, padding;
    bool bias;
  };
  const std::vector<Case> cases = {
      {{2, 8, 9, 6, 7}, {2, 8, 5, 5, 5}, {2, 2, 2}, false},  // V-Net's output stage, narrower
      {{1, 6, 8, 8, 8}, {1, 6, 3, 1, 5}, {1, 0, 2}, true},   // anisotropic kernel and padding
      {{2, 4, 12, 10}, {3, 4, 5, 3}, {2, 1}, true},
      {{3, 5, 11}, {2, 5, 7}, {3}, true},
      {{1, 3, 2, 6, 6}, {2, 3, 5, 3, 3}, {2, 1, 1}, false},  // kernel longer than the axis
  };
  for (const auto& c : cases) {
    INFO("input " << torch::IntArrayRef(c.input) << ", weight " << torch::IntArrayRef(c.weight));
    const auto x = torch::randn(c.input, torch::requires_grad());
    const auto w = torch::randn(c.weight, torch::requires_grad());
    const auto b = c.bias ? torch::randn({c.weight[0]}, torch::requires_grad()) : torch::Tensor();
    const auto upstream = torch::randn_like(osteon::nn::detail::convolution_of_rank(x, w, b, c.padding));
    std::vector<torch::Tensor> leaves = {x, w};
    if (c.bias) leaves.push_back(b);
    auto gradients = [&](const torch::Tensor& y) {
      return std::make_pair(y.detach(), torch::autograd::grad({y}, leaves, {upstream}));
    };
    const auto [direct, direct_grads] = gradients(osteon::nn::detail::convolution_of_rank(x, w, b, c.padding));
    const auto [folded, folded_grads] = gradients(conv_folding_first_axis(x, w, b, c.padding));
    CHECK(equal_to_rounding(folded, direct));
    for (size_t i = 0; i < direct_grads.size(); ++i) {
      INFO("gradient " << i);
      CHECK(equal_to_rounding(folded_grads[i], direct_grads[i]));
    }
  }
  SUBCASE("channels_last_3d input") {
    const auto x = torch::randn({2, 8, 8, 8, 8}).contiguous(torch::MemoryFormat::ChannelsLast3d);
    const auto w = torch::randn({2, 8, 5, 5, 5});
    CHECK(equal_to_rounding(conv_folding_first_axis(x, w, {}, {2, 2, 2}),
                            torch::conv3d(x.contiguous(), w, {}, 1, 2)));
  }
  SUBCASE("where it applies, and errors") {
    CHECK(folding_pays(torch::zeros({1, 32, 4, 4, 4}), 2, 5));
    CHECK_FALSE(folding_pays(torch::zeros({1, 32, 4, 4, 4}), 16, 5));
    CHECK_FALSE(folding_pays(torch::zeros({1, 32, 4, 4, 4}), 2, 1));
    CHECK_THROWS_WITH(conv_folding_first_axis(torch::zeros({1, 2, 8, 8}), torch::zeros({1, 2, 4, 3}),
                                              {}, {2, 1}),
                      doctest::Contains("first kernel extent must be odd with padding (extent - 1) / 2, got extent 4"));
    CHECK_THROWS_WITH(conv_folding_first_axis(torch::zeros({1, 2, 8, 8}), torch::zeros({1, 2, 3, 3}),
                                              {}, {1}),
                      doctest::Contains("padding needs one value per spatial axis"));
  }
}

TEST_CASE("V-Net's output stage folds its convolution on CPU and matches the direct one") {
  torch::manual_seed(0);
  VNet vnet(no_dropout(VNetOptions().out_channels(2).base_channels(2)));
  CHECK(vnet->out_tr->conv_block->fold_first_kernel_axis);
  const auto volume = torch::randn({2, 1, 16, 16, 16});
  const auto folded = vnet(volume);
  folded.square().mean().backward();
  std::vector<torch::Tensor> folded_grads;
  for (const auto& p : vnet->parameters()) folded_grads.push_back(p.grad().clone());
  vnet->zero_grad();
  vnet->out_tr->conv_block->fold_first_kernel_axis = false;
  const auto direct = vnet(volume);
  direct.square().mean().backward();
  CHECK(equal_to_rounding(folded, direct));
  const auto params = vnet->named_parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    INFO("parameter " << params[i].key());
    // The absolute term: a bias that batch norm follows has zero gradient up to rounding.
    CHECK(equal_to_rounding(folded_grads[i], params[i].value().grad(), 1e-4, 1e-7));
  }
}

TEST_CASE("conv_transpose_by_conv_gradient equals torch's transposed convolution") {
  torch::manual_seed(0);
  struct Case {
    std::vector<int64_t> input, weight, stride, padding, output_padding, dilation;
    int64_t groups;
    bool bias, input_grad;
  };
  const std::vector<Case> cases = {
      {{2, 8, 6, 7}, {8, 3, 3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}, 1, true, true},  // UNet's up layer
      {{1, 6, 4, 4, 4}, {6, 4, 2, 2, 2}, {2, 2, 2}, {0, 0, 0}, {0, 0, 0}, {1, 1, 1}, 1, true, true},  // V-Net's
      {{2, 4, 5, 6}, {4, 3, 3, 2}, {1, 2}, {1, 0}, {0, 1}, {2, 1}, 2, false, true},  // groups, dilation
      {{3, 4, 9}, {4, 2, 5}, {3}, {2}, {2}, {1}, 1, true, false},  // input without gradient
  };
  for (const auto& c : cases) {
    INFO("input " << torch::IntArrayRef(c.input) << ", weight " << torch::IntArrayRef(c.weight));
    const auto x = torch::randn(c.input, torch::requires_grad(c.input_grad));
    const auto w = torch::randn(c.weight, torch::requires_grad());
    const auto b = c.bias ? torch::randn({c.weight[1] * c.groups}, torch::requires_grad()) : torch::Tensor();
    const auto direct = at::convolution(x, w, b, c.stride, c.padding, c.dilation, /*transposed=*/true,
                                        c.output_padding, c.groups);
    const auto ours = conv_transpose_by_conv_gradient(x, w, b, c.stride, c.padding, c.output_padding,
                                                      c.dilation, c.groups);
    REQUIRE(ours.sizes() == direct.sizes());
    CHECK(equal_to_rounding(ours, direct));
    std::vector<torch::Tensor> leaves = {w};
    if (c.input_grad) leaves.push_back(x);
    if (c.bias) leaves.push_back(b);
    const auto upstream = torch::randn_like(direct);
    const auto direct_grads = torch::autograd::grad({direct}, leaves, {upstream});
    const auto our_grads = torch::autograd::grad({ours}, leaves, {upstream});
    for (size_t i = 0; i < leaves.size(); ++i) {
      INFO("gradient " << i);
      CHECK(equal_to_rounding(our_grads[i], direct_grads[i]));
    }
  }
  SUBCASE("forward_conv_layer routes transposed layers, channels_last included") {
    torch::nn::AnyModule up(torch::nn::ConvTranspose3d(torch::nn::ConvTranspose3dOptions(6, 4, 2).stride(2)));
    torch::nn::AnyModule conv(torch::nn::Conv3d(torch::nn::Conv3dOptions(6, 4, 3).padding(1)));
    const auto x = torch::randn({2, 6, 4, 4, 4});
    CHECK(conv_transpose_pays(x) == at::hasMKLDNN());
    CHECK(equal_to_rounding(forward_conv_layer(up, x), up.forward(x)));
    CHECK(torch::equal(forward_conv_layer(conv, x), conv.forward(x)));
    const auto x_last = x.contiguous(torch::MemoryFormat::ChannelsLast3d);
    CHECK(equal_to_rounding(forward_conv_layer(up, x_last), up.forward(x)));
  }
  SUBCASE("errors name the mismatch") {
    CHECK_THROWS_WITH(conv_transpose_by_conv_gradient(torch::zeros({1, 3, 4, 4}), torch::zeros({4, 2, 3, 3}), {},
                                                      {1, 1}, {0, 0}, {0, 0}, {1, 1}, 1),
                      doctest::Contains("input has 3 channels but weight [4, 2, 3, 3]"));
    CHECK_THROWS_WITH(conv_transpose_by_conv_gradient(torch::zeros({1, 4, 4, 4}), torch::zeros({4, 2, 3, 3}), {},
                                                      {1}, {0, 0}, {0, 0}, {1, 1}, 1),
                      doctest::Contains("one value per spatial axis (2)"));
  }
}
