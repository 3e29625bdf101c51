// Bindings of osteon's classification networks (ResNet family, multi-view fusion), the
// torchvision weight import and the C++ state-dict file reader / writer. Each network is bound
// with torch::python::bind_module under a private name (`_BottleneckResNet2d`, ...);
// python/osteon/_nn_classification.py subclasses them into the public classes and factories.
#include <torch/python.h>

#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "state_dict_methods.hpp"
#include "osteon/nn/networks/multiview.hpp"
#include "osteon/nn/networks/resnet.hpp"
#include "osteon/io/state_dict.hpp"
#include "osteon/nn/weights/torchvision.hpp"

namespace osteon::python {
namespace {

using osteon::nn::BasicBlockImpl;
using osteon::nn::BottleneckImpl;
using osteon::nn::IncompatibleKeys;
using osteon::nn::ResNetOptions;

py::tuple incompatible_keys(const IncompatibleKeys& keys) {
  return py::make_tuple(keys.missing_keys, keys.unexpected_keys);
}

template <template <int> class Block, int D>
void bind_resnet(py::module_ m, const char* name) {
  using Impl = osteon::nn::ResNetImpl<Block, D>;
  auto cls = torch::python::bind_module<Impl>(m, name);
  cls.def(py::init([](std::vector<int64_t> layers, int64_t num_classes, int64_t in_channels,
                      bool zero_init_residual, double dropout) {
            return std::make_shared<Impl>(ResNetOptions()
                                              .layers(std::move(layers))
                                              .num_classes(num_classes)
                                              .in_channels(in_channels)
                                              .zero_init_residual(zero_init_residual)
                                              .dropout(dropout));
          }),
          py::arg("layers"), py::arg("num_classes") = 1000, py::arg("in_channels") = 3,
          py::arg("zero_init_residual") = false, py::arg("dropout") = 0.0)
      .def("forward_features", &Impl::forward_features, py::arg("x"), py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("feature_dim", &Impl::feature_dim)
      .def_property_readonly("num_classes", [](const Impl& self) { return self.options.num_classes(); })
      .def_property_readonly("in_channels", [](const Impl& self) { return self.options.in_channels(); })
      .def_property_readonly("spatial_dims", [](const Impl&) { return D; });
  add_state_dict_methods(cls);
  add_forward_without_gil(cls);
}

template <template <int> class Block, int D>
void bind_multiview(py::module_ m, const char* name) {
  using Impl = osteon::nn::MultiViewResNetImpl<Block, D>;
  auto cls = torch::python::bind_module<Impl>(m, name);
  cls.def(py::init([](std::vector<int64_t> layers, int64_t num_classes, int64_t in_channels,
                      int64_t num_views, bool shared_backbone, const std::string& fusion,
                      bool zero_init_residual, double dropout) {
            auto backbone = ResNetOptions()
                                .layers(std::move(layers))
                                .num_classes(num_classes)
                                .in_channels(in_channels)
                                .zero_init_residual(zero_init_residual)
                                .dropout(dropout);
            return std::make_shared<Impl>(osteon::nn::MultiViewOptions(backbone)
                                              .num_views(num_views)
                                              .shared_backbone(shared_backbone)
                                              .fusion(osteon::nn::parse_view_fusion(fusion)));
          }),
          py::arg("layers"), py::arg("num_classes"), py::arg("in_channels") = 3,
          py::arg("num_views") = 2, py::arg("shared_backbone") = true,
          py::arg("fusion") = "features", py::arg("zero_init_residual") = false,
          py::arg("dropout") = 0.0)
      .def("forward_views",
           [](Impl& self, const torch::Tensor& views) {
             osteon::nn::MultiViewOutput out;
             {
               py::gil_scoped_release release;
               out = self.forward_views(views);
             }
             py::dict result;
             result["fused"] = out.fused;
             result["view_logits"] = out.view_logits.defined() ? py::cast(out.view_logits) : py::none();
             result["view_features"] = out.view_features;
             return result;
           },
           py::arg("views"))
      .def_property_readonly("num_views", [](const Impl& self) { return self.options.num_views(); })
      .def_property_readonly("spatial_dims", [](const Impl&) { return D; });
  add_state_dict_methods(cls);
  add_forward_without_gil(cls);
}

}  // namespace

void bind_nn_classification(py::module_ m) {
  bind_resnet<BasicBlockImpl, 2>(m, "_BasicResNet2d");
  bind_resnet<BottleneckImpl, 2>(m, "_BottleneckResNet2d");
  bind_resnet<BasicBlockImpl, 3>(m, "_BasicResNet3d");
  bind_resnet<BottleneckImpl, 3>(m, "_BottleneckResNet3d");
  bind_multiview<BasicBlockImpl, 2>(m, "_BasicMultiViewResNet");
  bind_multiview<BottleneckImpl, 2>(m, "_BottleneckMultiViewResNet");
  bind_multiview<BasicBlockImpl, 3>(m, "_BasicMultiViewResNet3d");
  bind_multiview<BottleneckImpl, 3>(m, "_BottleneckMultiViewResNet3d");

  // One overload per bound 2-D type; pybind11 picks the one the model converts to.
  auto load = [](auto& model, const std::string& path) {
    IncompatibleKeys keys;
    {
      py::gil_scoped_release release;
      keys = osteon::nn::load_torchvision_weights(model, path);
    }
    return incompatible_keys(keys);
  };
  m.def("_load_torchvision_weights",
        [load](osteon::nn::ResNetImpl<BasicBlockImpl, 2>& model, const std::string& path) { return load(model, path); });
  m.def("_load_torchvision_weights",
        [load](osteon::nn::ResNetImpl<BottleneckImpl, 2>& model, const std::string& path) { return load(model, path); });
  m.def("_load_torchvision_weights",
        [load](osteon::nn::MultiViewResNetImpl<BasicBlockImpl, 2>& model, const std::string& path) { return load(model, path); });
  m.def("_load_torchvision_weights",
        [load](osteon::nn::MultiViewResNetImpl<BottleneckImpl, 2>& model, const std::string& path) { return load(model, path); },
        "Loads a torchvision ResNet state dict file into a 2-D ResNet or MultiViewResNet "
        "(C++ object); use osteon.nn.load_torchvision_weights.");
}

}  // namespace osteon::python
