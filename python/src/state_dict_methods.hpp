#pragma once
// State-dict methods shared by every bound network (python/osteon/_nn_classification.py's
// _CppNetwork calls them): the state dict under PyTorch's names and order, strict assignment
// with PyTorch's semantics, and the C++ file reader / writer (osteon/io/state_dict.hpp).
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "osteon/io/state_dict.hpp"

namespace osteon::python {

/// Adds `_state_dict_items`, `_assign_state_dict`, `save_state_dict` and `load_state_dict_file`
/// to a class bound with torch::python::bind_module.
///
/// Example:
///   auto cls = torch::python::bind_module<osteon::nn::VNetImpl>(m, "VNet");
///   osteon::python::add_state_dict_methods(cls);
template <typename Class>
void add_state_dict_methods(Class& cls) {
  using Impl = typename Class::type;
  auto keys = [](const osteon::nn::IncompatibleKeys& incompatible) {
    return py::make_tuple(incompatible.missing_keys, incompatible.unexpected_keys);
  };
  cls.def("_state_dict_items",
          [](Impl& self) {
            std::vector<std::pair<std::string, torch::Tensor>> items;
            for (const auto& item : osteon::nn::module_state_dict(self))
              items.emplace_back(item.key(), item.value());
            return items;
          },
          py::call_guard<py::gil_scoped_release>())
      .def("_assign_state_dict",
           [keys](Impl& self, const std::vector<std::pair<std::string, torch::Tensor>>& items,
                  bool strict) {
             osteon::nn::StateDict dict;
             osteon::nn::IncompatibleKeys incompatible;
             {
               py::gil_scoped_release release;
               for (const auto& [name, tensor] : items) dict.insert(name, tensor);
               incompatible = osteon::nn::assign_state_dict(self, dict, strict);
             }
             return keys(incompatible);
           },
           py::arg("items"), py::arg("strict") = true)
      .def("save_state_dict",
           [](Impl& self, const std::string& path) { osteon::nn::save_state_dict(self, path); },
           py::arg("path"), py::call_guard<py::gil_scoped_release>(),
           "Writes the state dict to `path` from C++, in torch.save's format (atomic).")
      .def("load_state_dict_file",
           [keys](Impl& self, const std::string& path, bool strict) {
             osteon::nn::IncompatibleKeys incompatible;
             {
               py::gil_scoped_release release;
               incompatible = osteon::nn::load_state_dict(self, path, strict);
             }
             return keys(incompatible);
           },
           py::arg("path"), py::arg("strict") = true,
           "Reads a torch.save'd state dict file from C++ into the model; returns "
           "(missing_keys, unexpected_keys).");
}

/// Rebinds `forward` and `__call__` (torch::python::bind_module binds them holding the GIL) so
/// that the C++ forward runs with the GIL released: Python threads (a loader, a second model)
/// run meanwhile. The forward touches no Python object; the tensors are converted before.
///
/// Example:
///   auto cls = torch::python::bind_module<osteon::nn::UNetImpl>(m, "UNet");
///   osteon::python::add_forward_without_gil(cls);
template <typename Class>
void add_forward_without_gil(Class& cls) {
  using Impl = typename Class::type;
  for (const char* name : {"forward", "__call__"}) {
    if (py::hasattr(cls, name)) py::delattr(cls, name);
    cls.def(name, [](Impl& self, const torch::Tensor& input) { return self.forward(input); }, py::arg("input"),
            py::call_guard<py::gil_scoped_release>());
  }
}

}  // namespace osteon::python
