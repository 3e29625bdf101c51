// The network rows of the bad-input matrix (tests/data/errors_matrix.json, docs/errors.md): integer
// images into a model (issue 16: a backend error before), wrong channel counts and ranks, spatial
// sizes the strides do not divide, checkpoints of another architecture.
#include <doctest/doctest.h>

#include <torch/torch.h>
#include <unistd.h>

#include <filesystem>

#include "errors_matrix_torch.hpp"
#include "osteon/io/state_dict.hpp"
#include "osteon/nn.hpp"

namespace onn = osteon::nn;
using osteon::test::Json;

namespace {

std::shared_ptr<torch::nn::Module> network(const Json& options) {
  if (options.contains("channels")) {
    return onn::UNet(onn::UNetOptions(options["spatial_dims"], options["in_channels"], options["out_channels"],
                                      options["channels"].get<std::vector<int64_t>>(),
                                      options["strides"].get<std::vector<int64_t>>()))
        .ptr();
  }
  if (options.contains("spatial_dims")) {
    return onn::VNet(onn::VNetOptions()
                         .spatial_dims(options["spatial_dims"])
                         .in_channels(options["in_channels"])
                         .out_channels(options["out_channels"]))
        .ptr();
  }
  return onn::resnet18<2>(onn::ResNetOptions().num_classes(options["num_classes"])).ptr();
}

torch::Tensor forward(const std::shared_ptr<torch::nn::Module>& model, const torch::Tensor& input) {
  if (auto unet = std::dynamic_pointer_cast<onn::UNetImpl>(model)) return unet->forward(input);
  if (auto vnet = std::dynamic_pointer_cast<onn::VNetImpl>(model)) return vnet->forward(input);
  return std::dynamic_pointer_cast<onn::ResNetImpl<onn::BasicBlockImpl, 2>>(model)->forward(input);
}

}  // namespace

TEST_CASE("bad-input matrix: networks") {
  std::map<std::string, Json> architectures;
  for (const auto& row : osteon::test::errors_matrix()["rows"]) {
    if (row["area"] == "nn" && row["args"].contains("input")) architectures[row["entry"]] = row["args"]["model"];
  }
  const int run = osteon::test::run_error_rows({"nn"}, [&](const Json& row) {
    const auto& a = row["args"];
    auto model = network(a["model"]);
    model->eval();
    if (row["entry"] == "load_state_dict") {
      const auto path = osteon::test::matrix_file(Json{{"missing", true}}, osteon::test::row_file_name(row));
      osteon::io::save_state_dict(*network(architectures.at(a["checkpoint"])), path);
      osteon::io::load_state_dict(*model, path);
      return;
    }
    torch::NoGradGuard no_grad;
    forward(model, osteon::test::matrix_tensor(a["input"]));
  });
  CHECK(run >= 20);
}
