#pragma once
// Tensors of the bad-input matrix: {"shape", "dtype", "fill", "set", "device"} (see
// scripts/make_errors_matrix.py); the same values as tests/python/test_errors_matrix.py builds.
#include <torch/torch.h>

#include "errors_matrix.hpp"

namespace osteon::test {

inline torch::Dtype matrix_dtype(const std::string& name) {
  if (name == "float32") return torch::kFloat;
  if (name == "float64") return torch::kDouble;
  if (name == "int64") return torch::kLong;
  if (name == "int16") return torch::kShort;
  if (name == "uint8") return torch::kByte;
  if (name == "bool") return torch::kBool;
  if (name == "complex64") return torch::kComplexFloat;
  throw std::logic_error("errors matrix: unknown dtype " + name);
}

inline torch::Tensor matrix_tensor(const Json& spec) {
  const auto shape = spec["shape"].get<std::vector<int64_t>>();
  const auto dtype = matrix_dtype(spec["dtype"].get<std::string>());
  if (spec.contains("device") && spec["device"] == "meta") {
    return torch::empty(shape, torch::TensorOptions().dtype(dtype).device(torch::kMeta));
  }
  int64_t n = 1;
  for (const auto size : shape) n *= size;
  const auto ramp = torch::arange(n, torch::kDouble);
  const std::string fill = spec["fill"];
  torch::Tensor base;
  if (fill == "ramp") base = torch::remainder(ramp, 7) / 7;
  else if (fill == "zeros") base = torch::zeros({n}, torch::kDouble);
  else if (fill == "classes3") base = torch::remainder(ramp, 3);
  else if (fill == "mask") base = torch::remainder(ramp, 2);
  else if (fill == "onehot3") {  // (B, 3, ...): channel (position % 3) is hot
    const int64_t per = n / (shape[0] * shape[1]);
    const auto classes = torch::remainder(torch::arange(per), 3);
    base = torch::one_hot(classes, 3).t().reshape({-1}).to(torch::kDouble).repeat({shape[0]});
  } else {
    throw std::logic_error("errors matrix: unknown fill " + fill);
  }
  if (spec.contains("set")) {
    for (const auto& item : spec["set"]) base[item[0].get<int64_t>()] = matrix_number(item[1]);
  }
  return base.to(dtype).reshape(shape);
}

}  // namespace osteon::test
