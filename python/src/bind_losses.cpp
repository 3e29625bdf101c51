// Bindings of osteon's losses: each loss is a torch.nn.Module (torch::python::bind_module) with
// MONAI's keywords, and a functional form taking the same keywords. Keyword values are converted
// here (weights from floats / sequences / tensors, reductions from strings, `other_act` from a
// Python callable); the numerics are all in include/osteon/losses.
#include <torch/python.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "osteon/losses.hpp"

namespace osteon::python {
namespace {

namespace L = osteon::losses;
namespace F = osteon::losses::functional;

// The keyword arguments of one call: typed reads with defaults, and a TypeError for any keyword
// the loss does not take (as Python does for a misspelt keyword).
class Keywords {
 public:
  Keywords(py::kwargs kwargs, std::string owner) : kwargs_(std::move(kwargs)), owner_(std::move(owner)) {}

  template <typename T>
  T get(const char* name, T fallback) {
    known_.insert(name);
    if (!kwargs_.contains(name) || kwargs_[name].is_none()) return fallback;
    try {
      return kwargs_[name].cast<T>();
    } catch (const py::cast_error&) {
      throw py::type_error(osteon::detail::concat(owner_, ": ", name, " has the wrong type, got ",
                                                  py::repr(kwargs_[name]).cast<std::string>()));
    }
  }

  py::object object(const char* name) {
    known_.insert(name);
    return kwargs_.contains(name) ? py::reinterpret_borrow<py::object>(kwargs_[name]) : py::none();
  }

  const std::string& owner() const { return owner_; }

  void finish() const {
    for (const auto& item : kwargs_) {
      const auto key = item.first.cast<std::string>();
      if (!known_.count(key)) {
        throw py::type_error(osteon::detail::concat(owner_, " got an unexpected keyword argument '", key, "'"));
      }
    }
  }

 private:
  py::kwargs kwargs_;
  std::string owner_;
  std::set<std::string> known_;
};

// None → undefined; a tensor as given; a number → 0-d; a sequence → 1-d. Numbers are kept in
// float64 and cast to the input's dtype when used (in float32 that gives MONAI's values).
torch::Tensor tensor_keyword(Keywords& keywords, const char* name) {
  const auto value = keywords.object(name);
  if (value.is_none()) return {};
  if (THPVariable_Check(value.ptr())) return value.cast<torch::Tensor>();
  try {
    if (py::isinstance<py::float_>(value) || py::isinstance<py::int_>(value)) {
      return torch::tensor(value.cast<double>(), torch::kDouble);
    }
    return torch::tensor(value.cast<std::vector<double>>(), torch::kDouble);
  } catch (const py::cast_error&) {
    throw py::type_error(osteon::detail::concat(keywords.owner(), ": ", name,
                                                " must be a number, a sequence of numbers or a tensor, got ",
                                                py::repr(value).cast<std::string>()));
  }
}

L::Reduction reduction_keyword(Keywords& keywords) {
  const auto name = keywords.get<std::string>("reduction", "mean");
  if (name == "mean") return torch::kMean;
  if (name == "sum") return torch::kSum;
  if (name == "none") return torch::kNone;
  throw py::value_error(osteon::detail::concat(keywords.owner(), ": reduction must be 'none', 'mean' or 'sum', got '",
                                               name, "'"));
}

// A Python callable as MONAI's other_act; it runs with the GIL held.
L::Activation activation_keyword(Keywords& keywords) {
  const auto value = keywords.object("other_act");
  if (value.is_none()) return nullptr;
  if (!PyCallable_Check(value.ptr())) {
    throw py::type_error(osteon::detail::concat(keywords.owner(), ": other_act must be None or callable, got ",
                                                py::repr(value).cast<std::string>()));
  }
  auto function = std::make_shared<py::object>(value);
  return [function](const torch::Tensor& x) {
    py::gil_scoped_acquire gil;
    return (*function)(x).cast<torch::Tensor>();
  };
}

// The keywords every overlap loss and its Dice compounds share.
template <typename Options>
Options region_options(Keywords& keywords) {
  Options options;
  options.include_background(keywords.get("include_background", true))
      .to_onehot_y(keywords.get("to_onehot_y", false))
      .sigmoid(keywords.get("sigmoid", false))
      .softmax(keywords.get("softmax", false))
      .other_act(activation_keyword(keywords))
      .reduction(reduction_keyword(keywords))
      .smooth_nr(keywords.get("smooth_nr", 1e-5))
      .smooth_dr(keywords.get("smooth_dr", 1e-5))
      .batch(keywords.get("batch", false));
  return options;
}

template <typename Options>
Options dice_options(Keywords& keywords) {
  auto options = region_options<Options>(keywords);
  options.squared_pred(keywords.get("squared_pred", false))
      .jaccard(keywords.get("jaccard", false))
      .weight(tensor_keyword(keywords, "weight"));
  return options;
}

// MONAI's soft_label, which its DiceLoss, GeneralizedDiceLoss and TverskyLoss take (not its
// compounds, so neither do ours).
L::DiceLossOptions dice_loss_options(Keywords& keywords) {
  return dice_options<L::DiceLossOptions>(keywords).soft_label(keywords.get("soft_label", false));
}

L::GeneralizedDiceLossOptions generalized_dice_options(Keywords& keywords) {
  auto options = region_options<L::GeneralizedDiceLossOptions>(keywords);
  options.soft_label(keywords.get("soft_label", false));
  const auto w_type = keywords.get<std::string>("w_type", "square");
  if (w_type == "square") options.w_type(L::GeneralizedDiceWeight::Square);
  else if (w_type == "simple") options.w_type(L::GeneralizedDiceWeight::Simple);
  else if (w_type == "uniform") options.w_type(L::GeneralizedDiceWeight::Uniform);
  else throw py::value_error(osteon::detail::concat(keywords.owner(), ": w_type must be 'square', 'simple' or 'uniform', got '", w_type, "'"));
  return options;
}

L::TverskyLossOptions tversky_options(Keywords& keywords) {
  return region_options<L::TverskyLossOptions>(keywords)
      .alpha(keywords.get("alpha", 0.5))
      .beta(keywords.get("beta", 0.5))
      .soft_label(keywords.get("soft_label", false));
}

L::FocalLossOptions focal_options(Keywords& keywords) {
  return L::FocalLossOptions()
      .include_background(keywords.get("include_background", true))
      .to_onehot_y(keywords.get("to_onehot_y", false))
      .gamma(keywords.get("gamma", 2.0))
      .alpha(tensor_keyword(keywords, "alpha"))
      .weight(tensor_keyword(keywords, "weight"))
      .reduction(reduction_keyword(keywords))
      .use_softmax(keywords.get("use_softmax", false))
      .ignore_index(keywords.get<int64_t>("ignore_index", -100));
}

L::CrossEntropyLossOptions cross_entropy_options(Keywords& keywords) {
  return L::CrossEntropyLossOptions()
      .weight(tensor_keyword(keywords, "weight"))
      .ignore_index(keywords.get<int64_t>("ignore_index", -100))
      .label_smoothing(keywords.get("label_smoothing", 0.0))
      .reduction(reduction_keyword(keywords));
}

L::DiceCELossOptions dice_ce_options(Keywords& keywords) {
  return dice_options<L::DiceCELossOptions>(keywords)
      .label_smoothing(keywords.get("label_smoothing", 0.0))
      .lambda_dice(keywords.get("lambda_dice", 1.0))
      .lambda_ce(keywords.get("lambda_ce", 1.0));
}

L::DiceFocalLossOptions dice_focal_options(Keywords& keywords) {
  return dice_options<L::DiceFocalLossOptions>(keywords)
      .gamma(keywords.get("gamma", 2.0))
      .alpha(tensor_keyword(keywords, "alpha"))
      .lambda_dice(keywords.get("lambda_dice", 1.0))
      .lambda_focal(keywords.get("lambda_focal", 1.0));
}

L::CEFocalLossOptions ce_focal_options(Keywords& keywords) {
  return L::CEFocalLossOptions()
      .weight(tensor_keyword(keywords, "weight"))
      .ignore_index(keywords.get<int64_t>("ignore_index", -100))
      .label_smoothing(keywords.get("label_smoothing", 0.0))
      .gamma(keywords.get("gamma", 2.0))
      .alpha(tensor_keyword(keywords, "alpha"))
      .lambda_ce(keywords.get("lambda_ce", 1.0))
      .lambda_focal(keywords.get("lambda_focal", 1.0))
      .reduction(reduction_keyword(keywords));
}

L::DiceL2LossOptions dice_l2_options(Keywords& keywords) {
  return dice_options<L::DiceL2LossOptions>(keywords)
      .lambda_dice(keywords.get("lambda_dice", 1.0))
      .lambda_l2(keywords.get("lambda_l2", 1e-4))
      .exclude_norm_and_bias(keywords.get("exclude_norm_and_bias", true));
}

// Reads every keyword with `read`, rejects unknown ones, and returns the options.
template <typename Read>
auto options_from(const py::kwargs& kwargs, const char* owner, Read read) {
  Keywords keywords(kwargs, owner);
  auto options = read(keywords);
  keywords.finish();
  return options;
}

// The parameters the L2 term sums over, from a model (an osteon / C++ module, or a Python
// torch.nn.Module: the same rule, applied to its named_modules) or from an iterable of tensors.
std::vector<torch::Tensor> regularised_parameters_of(const py::object& source, bool exclude_norm_and_bias) {
  if (py::hasattr(source, "cpp_module") && exclude_norm_and_bias) {
    // A compiled (bind_module) model: its C++ layer types cannot be reached safely from here
    // (casting the wrapped module to torch::nn::Module crashed under Debian's torch 1.13), so
    // the rule reads names and shapes: biases and 1-d parameters (normalisation scales) are out.
    std::vector<torch::Tensor> selected;
    for (const auto& item : source.attr("named_parameters")().attr("items")()) {
      const auto pair = item.cast<py::tuple>();
      const auto name = pair[0].cast<std::string>();
      const auto tensor = pair[1].cast<torch::Tensor>();
      const bool is_bias = name == "bias" || (name.size() > 5 && name.compare(name.size() - 5, 5, ".bias") == 0);
      if (!is_bias && tensor.dim() > 1) selected.push_back(tensor);
    }
    return selected;
  }
  const auto tensors_of = [](const py::handle& iterable) {
    std::vector<torch::Tensor> tensors;
    for (const auto& item : iterable) tensors.push_back(item.cast<torch::Tensor>());
    return tensors;
  };
  const auto torch_nn = py::module_::import("torch.nn");
  if (!py::isinstance(source, torch_nn.attr("Module"))) return tensors_of(source);
  if (!exclude_norm_and_bias) return tensors_of(source.attr("parameters")());
  const auto normalisation_layers = py::make_tuple(
      py::module_::import("torch.nn.modules.batchnorm").attr("_NormBase"), torch_nn.attr("GroupNorm"),
      torch_nn.attr("LayerNorm"));
  std::vector<torch::Tensor> selected;
  for (const auto& entry : source.attr("named_modules")()) {
    const auto module = entry.cast<py::tuple>()[1];
    if (PyObject_IsInstance(module.ptr(), normalisation_layers.ptr()) == 1) continue;
    for (const auto& named : module.attr("named_parameters")(py::arg("recurse") = false)) {
      const auto pair = named.cast<py::tuple>();
      if (pair[0].cast<std::string>() != "bias") selected.push_back(pair[1].cast<torch::Tensor>());
    }
  }
  return selected;
}

template <typename Impl, typename Read>
void bind_loss_module(py::module_ m, const char* name, Read read) {
  torch::python::bind_module<Impl>(m, name).def(py::init([name, read](const py::kwargs& kwargs) {
    return std::make_shared<Impl>(options_from(kwargs, name, read));
  }));
}

template <typename Loss, typename Read>
void bind_functional(py::module_ m, const char* name, const char* module_name, Loss loss, Read read) {
  const auto doc = osteon::detail::concat(
      name, "(input, target, **keywords) -> Tensor\n\nFunctional form of ", module_name,
      ": the same keywords, see its docstring.\n\nExample:\n    >>> osteon.losses.", name,
      "(logits, labels, to_onehot_y=True)\n");
  m.def(name, [name, loss, read](const torch::Tensor& input, const torch::Tensor& target, const py::kwargs& kwargs) {
    return loss(input, target, options_from(kwargs, name, read));
  }, py::arg("input"), py::arg("target"), doc.c_str());
}

}  // namespace

void bind_losses(py::module_ m) {
  bind_loss_module<L::DiceLossImpl>(m, "DiceLoss", dice_loss_options);
  bind_loss_module<L::GeneralizedDiceLossImpl>(m, "GeneralizedDiceLoss", generalized_dice_options);
  bind_loss_module<L::TverskyLossImpl>(m, "TverskyLoss", tversky_options);
  bind_loss_module<L::FocalLossImpl>(m, "FocalLoss", focal_options);
  bind_loss_module<L::DiceCELossImpl>(m, "DiceCELoss", dice_ce_options);
  bind_loss_module<L::DiceFocalLossImpl>(m, "DiceFocalLoss", dice_focal_options);
  bind_loss_module<L::CEFocalLossImpl>(m, "CEFocalLoss", ce_focal_options);
  torch::python::bind_module<L::DiceL2LossImpl>(m, "DiceL2Loss")
      .def(py::init([](const py::object& model_or_parameters, const py::kwargs& kwargs) {
             const auto options = options_from(kwargs, "DiceL2Loss", dice_l2_options);
             return std::make_shared<L::DiceL2LossImpl>(
                 regularised_parameters_of(model_or_parameters, options.exclude_norm_and_bias()), options);
           }),
           py::arg("model_or_parameters"))
      .def_property_readonly("regularised", [](const L::DiceL2LossImpl& loss) { return loss.regularised; });

  bind_functional(m, "dice_loss", "DiceLoss", F::dice_loss, dice_loss_options);
  bind_functional(m, "generalized_dice_loss", "GeneralizedDiceLoss", F::generalized_dice_loss, generalized_dice_options);
  bind_functional(m, "tversky_loss", "TverskyLoss", F::tversky_loss, tversky_options);
  bind_functional(m, "focal_loss", "FocalLoss", F::focal_loss, focal_options);
  m.def("cross_entropy", [](const torch::Tensor& input, const torch::Tensor& target, const py::kwargs& kwargs) {
    return F::cross_entropy(input, target, options_from(kwargs, "cross_entropy", cross_entropy_options));
  }, py::arg("input"), py::arg("target"), R"doc(cross_entropy(input, target, **keywords) -> Tensor

Cross-entropy from logits. C > 1: torch's cross_entropy (class indices (B, ...) or (B, 1, ...), or
dense probabilities). C == 1: binary cross-entropy with logits, weight as pos_weight.

Args:
    weight (float | sequence | Tensor | None): class weights.
    ignore_index (int): class index left out. Default -100.
    label_smoothing (float): ε in [0, 1]. Default 0.
    reduction (str): 'mean' (default), 'sum' or 'none'.

Example:
    >>> osteon.losses.cross_entropy(logits, labels, label_smoothing=0.1)
)doc");
  bind_functional(m, "dice_ce_loss", "DiceCELoss", F::dice_ce_loss, dice_ce_options);
  bind_functional(m, "dice_focal_loss", "DiceFocalLoss", F::dice_focal_loss, dice_focal_options);
  bind_functional(m, "ce_focal_loss", "CEFocalLoss", F::ce_focal_loss, ce_focal_options);
  m.def("dice_l2_loss", [](const torch::Tensor& input, const torch::Tensor& target,
                           const py::object& model_or_parameters, const py::kwargs& kwargs) {
    const auto options = options_from(kwargs, "dice_l2_loss", dice_l2_options);
    return F::dice_l2_loss(input, target,
                           regularised_parameters_of(model_or_parameters, options.exclude_norm_and_bias()),
                           options);
  }, py::arg("input"), py::arg("target"), py::arg("model_or_parameters"),
     "dice_l2_loss(input, target, model_or_parameters, **keywords) -> Tensor\n\nFunctional form of "
     "DiceL2Loss: the same keywords.\n\nExample:\n    >>> osteon.losses.dice_l2_loss(logits, mask, vnet, sigmoid=True)\n");
  m.def("l2_penalty", [](const py::object& parameters) {
    return F::l2_penalty(regularised_parameters_of(parameters, false));
  }, py::arg("parameters"),
     "l2_penalty(parameters) -> Tensor\n\nΣ‖w‖² over an iterable of tensors (0 for none).\n\n"
     "Example:\n    >>> osteon.losses.l2_penalty(model.parameters())\n");
  m.def("regularised_parameters", &regularised_parameters_of, py::arg("model"),
        py::arg("exclude_norm_and_bias") = true,
        "regularised_parameters(model, exclude_norm_and_bias=True) -> list[Tensor]\n\n"
        "The parameters DiceL2Loss regularises: all, or all but those named 'bias' and those of\n"
        "BatchNorm / InstanceNorm / GroupNorm / LayerNorm layers. The model's own tensors.\n\n"
        "Example:\n    >>> osteon.losses.regularised_parameters(vnet)\n");
  m.def("check_label_map", [](const torch::Tensor& labels, int64_t n_classes, int64_t ignore_index) {
    L::check_label_map(labels, n_classes, ignore_index);
  }, py::arg("labels"), py::arg("n_classes"), py::arg("ignore_index") = -100,
     "check_label_map(labels, n_classes, ignore_index=-100) -> None\n\nRaises RuntimeError naming the "
     "first class index outside [0, n_classes) (reads the tensor: synchronises on a GPU; the losses\n"
     "check CPU label maps themselves).\n\nExample:\n    >>> osteon.losses.check_label_map(labels, 4)\n");
}

}  // namespace osteon::python
