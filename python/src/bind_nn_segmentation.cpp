// Bindings of osteon's segmentation networks (V-Net, UNet) and the MONAI weight import. The
// networks are bound with torch::python::bind_module under private names (`_VNet`, `_UNet`);
// python/osteon/_nn_segmentation.py subclasses them into the public classes. Layer arguments
// are taken as MONAI takes them: `act="prelu"`, `act=("leakyrelu", {"negative_slope": 0.1})`,
// `norm=("group", {"num_groups": 8})`; the conversion lives here.
#include <torch/python.h>

#include <string>

#include "bindings.hpp"
#include "state_dict_methods.hpp"
#include "osteon/nn/weights/monai.hpp"
#include "osteon/nn/networks/unet.hpp"
#include "osteon/nn/networks/vnet.hpp"

namespace osteon::python {
namespace {

using osteon::nn::ActivationOptions;
using osteon::nn::NormOptions;

// MONAI's `(name, {args})` or `name`; anything else is a ValueError naming `argument`.
std::pair<std::string, py::dict> split_layer_spec(const py::handle& spec, const char* argument) {
  if (py::isinstance<py::str>(spec)) return {spec.cast<std::string>(), py::dict()};
  if (py::isinstance<py::tuple>(spec) || py::isinstance<py::list>(spec)) {
    auto items = spec.cast<py::sequence>();
    if (items.size() == 2 && py::isinstance<py::str>(items[0]) && py::isinstance<py::dict>(items[1]))
      return {items[0].cast<std::string>(), items[1].cast<py::dict>()};
  }
  throw py::value_error(osteon::detail::concat(argument, " must be a name or (name, {arguments}), got ",
                                               py::repr(spec).cast<std::string>()));
}

template <typename Setter>
void take_arguments(const py::dict& arguments, const char* argument, const std::string& name,
                    const Setter& set) {
  for (const auto& item : arguments) {
    const auto key = item.first.cast<std::string>();
    if (!set(key, item.second)) {
      throw py::value_error(osteon::detail::concat(argument, ": '", name,
                                                   "' takes no argument '", key, "'"));
    }
  }
}

ActivationOptions activation_from_python(const py::handle& spec) {
  auto [name, arguments] = split_layer_spec(spec, "act");
  ActivationOptions options(osteon::nn::activation_from_name(name));
  // MONAI's VNet gives one PReLU slope per channel only for the exact string "prelu";
  // nn.PReLU() (one shared slope) for any other spelling or a (name, {args}) pair.
  const bool per_channel = py::isinstance<py::str>(spec) && name == "prelu";
  if (options.kind() == osteon::nn::ActivationKind::Prelu && !per_channel) options.num_parameters(1);
  take_arguments(arguments, "act", name, [&](const std::string& key, const py::handle& value) {
    if (key == "alpha") options.alpha(value.cast<double>());
    else if (key == "negative_slope") options.negative_slope(value.cast<double>());
    else if (key == "num_parameters") options.num_parameters(value.cast<int64_t>());
    else if (key == "init") options.init(value.cast<double>());
    else if (key == "inplace") options.inplace(value.cast<bool>());
    else return false;
    return true;
  });
  return options;
}

NormOptions norm_from_python(const py::handle& spec) {
  auto [name, arguments] = split_layer_spec(spec, "norm");
  NormOptions options(osteon::nn::norm_from_name(name));
  take_arguments(arguments, "norm", name, [&](const std::string& key, const py::handle& value) {
    if (key == "eps") options.eps(value.cast<double>());
    else if (key == "momentum") options.momentum(value.cast<double>());
    else if (key == "affine") options.affine(value.cast<bool>());
    else if (key == "track_running_stats") options.track_running_stats(value.cast<bool>());
    else if (key == "num_groups") options.num_groups(value.cast<int64_t>());
    else return false;
    return true;
  });
  return options;
}

osteon::nn::SpatialArray spatial_array_from_python(const py::handle& value, const char* argument) {
  if (py::isinstance<py::int_>(value)) return value.cast<int64_t>();
  try {
    return value.cast<std::vector<int64_t>>();
  } catch (const py::cast_error&) {
    throw py::value_error(osteon::detail::concat(argument, " must be an int or a sequence of ints, got ",
                                                 py::repr(value).cast<std::string>()));
  }
}

std::optional<double> optional_probability(const py::handle& value) {
  if (value.is_none()) return std::nullopt;
  return value.cast<double>();
}

}  // namespace

void bind_nn_segmentation(py::module_ m) {
  auto vnet = torch::python::bind_module<osteon::nn::VNetImpl>(m, "_VNet");
  vnet.def(py::init([](int64_t spatial_dims, int64_t in_channels, int64_t out_channels,
                       const py::object& act, const py::object& dropout_prob_down,
                       const py::object& dropout_prob_up, int64_t dropout_dim, bool bias,
                       const py::object& dropout_prob_skip, int64_t base_channels) {
             auto up = dropout_prob_up.cast<py::sequence>();
             if (up.size() != 2) {
               throw py::value_error(osteon::detail::concat(
                   "VNet: dropout_prob_up must be a pair (input, skip), got ",
                   py::repr(dropout_prob_up).cast<std::string>()));
             }
             return std::make_shared<osteon::nn::VNetImpl>(
                 osteon::nn::VNetOptions()
                     .spatial_dims(spatial_dims)
                     .in_channels(in_channels)
                     .out_channels(out_channels)
                     .act(activation_from_python(act))
                     .dropout_prob_down(optional_probability(dropout_prob_down))
                     .dropout_prob_up({optional_probability(up[0]), optional_probability(up[1])})
                     .dropout_prob_skip(optional_probability(dropout_prob_skip))
                     .dropout_dim(dropout_dim)
                     .bias(bias)
                     .base_channels(base_channels));
           }),
           py::arg("spatial_dims") = 3, py::arg("in_channels") = 1, py::arg("out_channels") = 1,
           py::arg("act") = py::make_tuple("elu", py::dict(py::arg("inplace") = true)),
           py::arg("dropout_prob_down") = 0.5,
           py::arg("dropout_prob_up") = py::make_tuple(0.5, 0.5), py::arg("dropout_dim") = 3,
           py::arg("bias") = false, py::arg("dropout_prob_skip") = 0.5,
           py::arg("base_channels") = 16);

  add_state_dict_methods(vnet);

  add_forward_without_gil(vnet);

  auto unet = torch::python::bind_module<osteon::nn::UNetImpl>(m, "_UNet");
  unet.def(py::init([](int64_t spatial_dims, int64_t in_channels, int64_t out_channels,
                       std::vector<int64_t> channels, std::vector<int64_t> strides,
                       const py::object& kernel_size, const py::object& up_kernel_size,
                       int64_t num_res_units, const py::object& act, const py::object& norm,
                       double dropout, bool bias, std::string adn_ordering) {
             return std::make_shared<osteon::nn::UNetImpl>(
                 osteon::nn::UNetOptions(spatial_dims, in_channels, out_channels,
                                         std::move(channels), std::move(strides))
                     .kernel_size(spatial_array_from_python(kernel_size, "UNet: kernel_size"))
                     .up_kernel_size(spatial_array_from_python(up_kernel_size, "UNet: up_kernel_size"))
                     .num_res_units(num_res_units)
                     .act(activation_from_python(act))
                     .norm(norm_from_python(norm))
                     .dropout(dropout)
                     .bias(bias)
                     .adn_ordering(std::move(adn_ordering)));
           }),
           py::arg("spatial_dims"), py::arg("in_channels"), py::arg("out_channels"),
           py::arg("channels"), py::arg("strides"), py::arg("kernel_size") = 3,
           py::arg("up_kernel_size") = 3, py::arg("num_res_units") = 0, py::arg("act") = "PRELU",
           py::arg("norm") = "INSTANCE", py::arg("dropout") = 0.0, py::arg("bias") = true,
           py::arg("adn_ordering") = "NDA");
  add_state_dict_methods(unet);
  add_forward_without_gil(unet);

  m.def(
      "_load_monai_weights",
      [](osteon::nn::VNetImpl& model, const std::string& path) {
        osteon::nn::load_monai_weights(model, path);
      },
      py::arg("model"), py::arg("path"), py::call_guard<py::gil_scoped_release>());
  m.def(
      "_load_monai_weights",
      [](osteon::nn::UNetImpl& model, const std::string& path) {
        osteon::nn::load_monai_weights(model, path);
      },
      py::arg("model"), py::arg("path"), py::call_guard<py::gil_scoped_release>(),
      "Loads a MONAI VNet / UNet state dict file into a VNet / UNet (C++ object); use "
      "osteon.nn.load_monai_weights.");
}

}  // namespace osteon::python
