// Bindings of osteon's losses: each loss is a torch.nn.Module (torch::python::bind_module) with
// MONAI's keywords, and a functional form taking the same keywords, declared as real keyword-only
// arguments whose defaults come from the C++ options. Keyword values are converted here (weights
// from floats / sequences / tensors, reductions from strings, `other_act` from a Python
// callable); the numerics are all in include/osteon/losses.
#include <torch/python.h>

#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "osteon/losses.hpp"

namespace osteon::python {
namespace {

namespace L = osteon::losses;
namespace F = osteon::losses::functional;

// ---- keywords: real Python arguments whose defaults are read from the C++ options ----------------
//
// A loss's keywords are declared once, as a tuple of `keyword(name, getter)`; the binding turns it
// into keyword-only arguments of the module's __init__ and of the functional form, each with the
// default of a default-constructed options object (so the C++ default is the only one), and sets
// the options from the values of a call. A keyword that is not one of them reaches **kwargs and
// raises TypeError, as Python does for a misspelt keyword.

template <typename Access>
struct Keyword {
  const char* name;
  Access access;  // options -> the field (its TORCH_ARG getter, which returns a reference)
};

template <typename Access>
Keyword<Access> keyword(const char* name, Access access) {
  return {name, access};
}

// keyword("smooth_nr", getter of smooth_nr): the Python name is the C++ option's name.
#define OSTEON_KEYWORD(option) keyword(#option, [](auto& options) -> auto& { return options.option(); })

// How a field of type T crosses: its Python argument type, its default as a Python object, and
// the field from an argument. Numbers and flags convert as pybind11 does; a tensor, a reduction,
// an activation and an enum have their own rules below.
template <typename T>
struct Conversion {
  using python_type = T;
  static py::object default_of(const T& value) { return py::cast(value); }
  static T from(const T& value, const char*, const char*) { return value; }
};

// None → undefined; a tensor as given; a number → 0-d; a sequence → 1-d. Numbers are kept in
// float64 and cast to the input's dtype when used (in float32 that gives MONAI's values).
template <>
struct Conversion<torch::Tensor> {
  using python_type = py::object;
  static py::object default_of(const torch::Tensor& value) {
    return value.defined() ? py::cast(value) : py::none();
  }
  static torch::Tensor from(const py::object& value, const char* owner, const char* name) {
    if (value.is_none()) return {};
    if (THPVariable_Check(value.ptr())) return value.cast<torch::Tensor>();
    try {
      if (py::isinstance<py::float_>(value) || py::isinstance<py::int_>(value)) {
        return torch::tensor(value.cast<double>(), torch::kDouble);
      }
      return torch::tensor(value.cast<std::vector<double>>(), torch::kDouble);
    } catch (const py::cast_error&) {
      throw py::type_error(osteon::detail::concat(owner, ": ", name,
                                                  " must be a number, a sequence of numbers or a tensor, got ",
                                                  py::repr(value).cast<std::string>()));
    }
  }
};

template <>
struct Conversion<L::Reduction> {
  using python_type = std::string;
  static py::object default_of(const L::Reduction& value) {
    switch (L::detail::reduction_enum(value)) {
      case at::Reduction::None: return py::str("none");
      case at::Reduction::Sum: return py::str("sum");
      default: return py::str("mean");
    }
  }
  static L::Reduction from(const std::string& name, const char* owner, const char*) {
    if (name == "mean") return torch::kMean;
    if (name == "sum") return torch::kSum;
    if (name == "none") return torch::kNone;
    throw py::value_error(osteon::detail::concat(owner, ": reduction must be 'none', 'mean' or 'sum', got '", name, "'"));
  }
};

// A Python callable as MONAI's other_act; it runs with the GIL held.
template <>
struct Conversion<L::Activation> {
  using python_type = py::object;
  static py::object default_of(const L::Activation&) { return py::none(); }
  static L::Activation from(const py::object& value, const char* owner, const char*) {
    if (value.is_none()) return nullptr;
    if (!PyCallable_Check(value.ptr())) {
      throw py::type_error(osteon::detail::concat(owner, ": other_act must be None or callable, got ",
                                                  py::repr(value).cast<std::string>()));
    }
    auto function = std::make_shared<py::object>(value);
    return [function](const torch::Tensor& x) {
      py::gil_scoped_acquire gil;
      return (*function)(x).cast<torch::Tensor>();
    };
  }
};

template <>
struct Conversion<L::GeneralizedDiceWeight> {
  using python_type = std::string;
  static py::object default_of(const L::GeneralizedDiceWeight& value) {
    switch (value) {
      case L::GeneralizedDiceWeight::Simple: return py::str("simple");
      case L::GeneralizedDiceWeight::Uniform: return py::str("uniform");
      default: return py::str("square");
    }
  }
  static L::GeneralizedDiceWeight from(const std::string& name, const char* owner, const char*) {
    if (name == "square") return L::GeneralizedDiceWeight::Square;
    if (name == "simple") return L::GeneralizedDiceWeight::Simple;
    if (name == "uniform") return L::GeneralizedDiceWeight::Uniform;
    throw py::value_error(osteon::detail::concat(owner, ": w_type must be 'square', 'simple' or 'uniform', got '", name, "'"));
  }
};

template <typename Options, typename K>
using field_t = std::decay_t<decltype(std::declval<const K&>().access(std::declval<Options&>()))>;

template <typename Options, typename K>
using python_t = typename Conversion<field_t<Options, K>>::python_type;

// The keywords as pybind11 arguments (after py::kw_only()), defaults from Options().
template <typename Options, typename... K>
auto keyword_arguments(const std::tuple<K...>& keywords) {
  return std::apply([](const auto&... each) {
    Options defaults;
    return std::make_tuple(py::arg_v(each.name, Conversion<field_t<Options, K>>::default_of(each.access(defaults)))...);
  }, keywords);
}

// "*, include_background=True, ..., soft_label=False": the keywords as a text signature.
template <typename Options, typename... K>
std::string keyword_signature(const std::tuple<K...>& keywords) {
  std::string text = "*";
  std::apply([&text](const auto&... each) {
    Options defaults;
    ((text += osteon::detail::concat(", ", each.name, "=",
                                     py::repr(Conversion<field_t<Options, K>>::default_of(each.access(defaults)))
                                         .template cast<std::string>())),
     ...);
  }, keywords);
  return text;
}

// The keywords as inspect.Parameter objects (keyword-only), for a class's __signature__.
template <typename Options, typename... K>
py::list keyword_parameters(const std::tuple<K...>& keywords) {
  const auto inspect = py::module_::import("inspect");
  const auto parameter = inspect.attr("Parameter");
  py::list parameters;
  std::apply([&](const auto&... each) {
    Options defaults;
    (parameters.append(parameter(each.name, parameter.attr("KEYWORD_ONLY"),
                                 py::arg("default") = Conversion<field_t<Options, K>>::default_of(each.access(defaults)))),
     ...);
  }, keywords);
  return parameters;
}

void reject_unknown_keywords(const char* owner, const py::kwargs& unknown) {
  for (const auto& item : unknown) {
    throw py::type_error(osteon::detail::concat(owner, " got an unexpected keyword argument '",
                                                item.first.cast<std::string>(), "'"));
  }
}

template <typename... Leading>
struct LeadingArguments {};

// A callable (Leading..., one argument per keyword, **kwargs) that sets an Options from the
// keyword values and returns body(leading..., options).
template <typename Options, typename... Leading, typename... K, typename Body>
auto keyword_call(const char* owner, LeadingArguments<Leading...>, const std::tuple<K...>& keywords, Body body) {
  return [owner, keywords, body](Leading... leading, python_t<Options, K>... values, const py::kwargs& unknown) {
    reject_unknown_keywords(owner, unknown);
    Options options;
    const auto set = [&options, owner](const auto& each, const auto& value) {
      using Field = std::decay_t<decltype(each.access(options))>;
      each.access(options) = Conversion<Field>::from(value, owner, each.name);
    };
    std::apply([&](const auto&... each) { (set(each, values), ...); }, keywords);
    return body(std::forward<Leading>(leading)..., std::move(options));
  };
}

// The keywords every overlap loss and its Dice compounds share (RegionLossOptions).
auto region_keywords() {
  return std::make_tuple(OSTEON_KEYWORD(include_background), OSTEON_KEYWORD(to_onehot_y),
                         OSTEON_KEYWORD(sigmoid), OSTEON_KEYWORD(softmax), OSTEON_KEYWORD(other_act),
                         OSTEON_KEYWORD(reduction), OSTEON_KEYWORD(smooth_nr), OSTEON_KEYWORD(smooth_dr),
                         OSTEON_KEYWORD(batch));
}

// ... plus the Dice term's (DiceTermOptions).
auto dice_term_keywords() {
  return std::tuple_cat(region_keywords(), std::make_tuple(OSTEON_KEYWORD(squared_pred), OSTEON_KEYWORD(jaccard),
                                                           OSTEON_KEYWORD(weight)));
}

// MONAI's soft_label, which its DiceLoss, GeneralizedDiceLoss and TverskyLoss take (not its
// compounds, so neither do ours).
auto dice_loss_keywords() { return std::tuple_cat(dice_term_keywords(), std::make_tuple(OSTEON_KEYWORD(soft_label))); }

auto generalized_dice_keywords() {
  return std::tuple_cat(region_keywords(), std::make_tuple(OSTEON_KEYWORD(w_type), OSTEON_KEYWORD(soft_label)));
}

auto tversky_keywords() {
  return std::tuple_cat(region_keywords(),
                        std::make_tuple(OSTEON_KEYWORD(alpha), OSTEON_KEYWORD(beta), OSTEON_KEYWORD(soft_label)));
}

auto focal_keywords() {
  return std::make_tuple(OSTEON_KEYWORD(include_background), OSTEON_KEYWORD(to_onehot_y), OSTEON_KEYWORD(gamma),
                         OSTEON_KEYWORD(alpha), OSTEON_KEYWORD(weight), OSTEON_KEYWORD(reduction),
                         OSTEON_KEYWORD(use_softmax), OSTEON_KEYWORD(ignore_index));
}

auto cross_entropy_keywords() {
  return std::make_tuple(OSTEON_KEYWORD(weight), OSTEON_KEYWORD(ignore_index), OSTEON_KEYWORD(label_smoothing),
                         OSTEON_KEYWORD(reduction));
}

auto dice_ce_keywords() {
  return std::tuple_cat(dice_term_keywords(), std::make_tuple(OSTEON_KEYWORD(label_smoothing),
                                                              OSTEON_KEYWORD(lambda_dice), OSTEON_KEYWORD(lambda_ce)));
}

auto dice_focal_keywords() {
  return std::tuple_cat(dice_term_keywords(),
                        std::make_tuple(OSTEON_KEYWORD(gamma), OSTEON_KEYWORD(alpha), OSTEON_KEYWORD(lambda_dice),
                                        OSTEON_KEYWORD(lambda_focal)));
}

auto ce_focal_keywords() {
  return std::make_tuple(OSTEON_KEYWORD(weight), OSTEON_KEYWORD(ignore_index), OSTEON_KEYWORD(label_smoothing),
                         OSTEON_KEYWORD(gamma), OSTEON_KEYWORD(alpha), OSTEON_KEYWORD(lambda_ce),
                         OSTEON_KEYWORD(lambda_focal), OSTEON_KEYWORD(reduction));
}

auto dice_l2_keywords() {
  return std::tuple_cat(dice_term_keywords(),
                        std::make_tuple(OSTEON_KEYWORD(lambda_dice), OSTEON_KEYWORD(lambda_l2),
                                        OSTEON_KEYWORD(exclude_norm_and_bias)));
}

#undef OSTEON_KEYWORD

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

// The __signature__ of the class `m.name` that users see: bind_module exports a Python subclass of
// torch.nn.cpp.ModuleWrapper whose __init__ takes (*args, **kwargs) and forwards them to the bound
// C++ class, so inspect.signature and help() read this attribute instead: `leading` positional
// parameters, then the keywords.
template <typename Options, typename Keywords>
void set_signature(py::module_& m, const char* name, const std::vector<const char*>& leading,
                   const Keywords& keywords) {
  const auto parameter = py::module_::import("inspect").attr("Parameter");
  py::list parameters;
  for (const char* each : leading) parameters.append(parameter(each, parameter.attr("POSITIONAL_OR_KEYWORD")));
  for (const auto& each : keyword_parameters<Options>(keywords)) parameters.append(each);
  m.attr(name).attr("__signature__") = py::module_::import("inspect").attr("Signature")(parameters);
}

// A loss module: a torch.nn.Module whose __init__ takes the loss's keywords (keyword-only).
template <typename Impl, typename Options, typename Keywords>
void bind_loss_module(py::module_ m, const char* name, const Keywords& keywords) {
  auto cls = torch::python::bind_module<Impl>(m, name);
  const auto make = keyword_call<Options>(name, LeadingArguments<>{}, keywords,
                                          [](Options options) { return std::make_shared<Impl>(std::move(options)); });
  std::apply([&](const auto&... keyword_args) { cls.def(py::init(make), py::kw_only(), keyword_args...); },
             keyword_arguments<Options>(keywords));
  set_signature<Options>(m, name, {}, keywords);
}

// A functional form `name(input, target[, leading...], *, keywords...)`. Its docstring starts with
// a text signature ("name(...)\n--\n\n"), which help() prints and inspect.signature parses.
template <typename Options, typename... Leading, typename Keywords, typename Body, typename... LeadingArgs>
void bind_functional(py::module_ m, const char* name, const char* module_name, const Keywords& keywords,
                     LeadingArguments<Leading...> lead, Body body, const std::tuple<LeadingArgs...>& leading_args,
                     const std::string& description = {}) {
  std::string leading_names;
  std::apply([&](const auto&... leading) { ((leading_names += osteon::detail::concat(leading.name, ", ")), ...); },
             leading_args);
  const auto doc = osteon::detail::concat(
      name, "(", leading_names, keyword_signature<Options>(keywords), ")\n--\n\n",
      description.empty() ? osteon::detail::concat("Functional form of ", module_name, ": the same keywords, see its docstring.\n\n"
                                                   "Example:\n    >>> osteon.losses.", name, "(logits, labels, to_onehot_y=True)\n")
                          : description);
  py::options options;
  options.disable_function_signatures();
  const auto call = keyword_call<Options>(name, lead, keywords, body);
  std::apply([&](const auto&... keyword_args) {
    std::apply([&](const auto&... leading) { m.def(name, call, leading..., py::kw_only(), keyword_args..., doc.c_str()); },
               leading_args);
  }, keyword_arguments<Options>(keywords));
}

// input and target, the leading arguments of every functional form.
const auto tensors = LeadingArguments<const torch::Tensor&, const torch::Tensor&>{};

template <typename Loss>
auto call_with_options(Loss loss) {
  return [loss](const torch::Tensor& input, const torch::Tensor& target, auto options) {
    return loss(input, target, options);
  };
}

}  // namespace

void bind_losses(py::module_ m) {
  const auto input_target = std::make_tuple(py::arg("input"), py::arg("target"));
  bind_loss_module<L::DiceLossImpl, L::DiceLossOptions>(m, "DiceLoss", dice_loss_keywords());
  bind_loss_module<L::GeneralizedDiceLossImpl, L::GeneralizedDiceLossOptions>(m, "GeneralizedDiceLoss",
                                                                             generalized_dice_keywords());
  bind_loss_module<L::TverskyLossImpl, L::TverskyLossOptions>(m, "TverskyLoss", tversky_keywords());
  bind_loss_module<L::FocalLossImpl, L::FocalLossOptions>(m, "FocalLoss", focal_keywords());
  bind_loss_module<L::DiceCELossImpl, L::DiceCELossOptions>(m, "DiceCELoss", dice_ce_keywords());
  bind_loss_module<L::DiceFocalLossImpl, L::DiceFocalLossOptions>(m, "DiceFocalLoss", dice_focal_keywords());
  bind_loss_module<L::CEFocalLossImpl, L::CEFocalLossOptions>(m, "CEFocalLoss", ce_focal_keywords());
  {
    // DiceL2Loss(model_or_parameters, *, keywords...): the model's parameters are selected here.
    auto cls = torch::python::bind_module<L::DiceL2LossImpl>(m, "DiceL2Loss");
    const auto keywords = dice_l2_keywords();
    const auto make = keyword_call<L::DiceL2LossOptions>(
        "DiceL2Loss", LeadingArguments<const py::object&>{}, keywords,
        [](const py::object& model_or_parameters, L::DiceL2LossOptions options) {
          auto parameters = regularised_parameters_of(model_or_parameters, options.exclude_norm_and_bias());
          return std::make_shared<L::DiceL2LossImpl>(std::move(parameters), std::move(options));
        });
    std::apply([&](const auto&... keyword_args) {
      cls.def(py::init(make), py::arg("model_or_parameters"), py::kw_only(), keyword_args...);
    }, keyword_arguments<L::DiceL2LossOptions>(keywords));
    set_signature<L::DiceL2LossOptions>(m, "DiceL2Loss", {"model_or_parameters"}, keywords);
    cls.def_property_readonly("regularised", [](const L::DiceL2LossImpl& loss) { return loss.regularised; });
  }

  bind_functional<L::DiceLossOptions>(m, "dice_loss", "DiceLoss", dice_loss_keywords(), tensors,
                                      call_with_options(F::dice_loss), input_target);
  bind_functional<L::GeneralizedDiceLossOptions>(m, "generalized_dice_loss", "GeneralizedDiceLoss",
                                                 generalized_dice_keywords(), tensors,
                                                 call_with_options(F::generalized_dice_loss), input_target);
  bind_functional<L::TverskyLossOptions>(m, "tversky_loss", "TverskyLoss", tversky_keywords(), tensors,
                                         call_with_options(F::tversky_loss), input_target);
  bind_functional<L::FocalLossOptions>(m, "focal_loss", "FocalLoss", focal_keywords(), tensors,
                                       call_with_options(F::focal_loss), input_target);
  bind_functional<L::CrossEntropyLossOptions>(m, "cross_entropy", "", cross_entropy_keywords(), tensors,
                                              call_with_options(F::cross_entropy), input_target,
                                              R"doc(Cross-entropy from logits. C > 1: torch's cross_entropy (class indices (B, ...) or (B, 1, ...), or
dense probabilities). C == 1: binary cross-entropy with logits, weight as pos_weight.

Args:
    weight (float | sequence | Tensor | None): class weights.
    ignore_index (int): class index left out.
    label_smoothing (float): ε in [0, 1].
    reduction (str): 'mean', 'sum' or 'none'.

Example:
    >>> osteon.losses.cross_entropy(logits, labels, label_smoothing=0.1)
)doc");
  bind_functional<L::DiceCELossOptions>(m, "dice_ce_loss", "DiceCELoss", dice_ce_keywords(), tensors,
                                        call_with_options(F::dice_ce_loss), input_target);
  bind_functional<L::DiceFocalLossOptions>(m, "dice_focal_loss", "DiceFocalLoss", dice_focal_keywords(), tensors,
                                           call_with_options(F::dice_focal_loss), input_target);
  bind_functional<L::CEFocalLossOptions>(m, "ce_focal_loss", "CEFocalLoss", ce_focal_keywords(), tensors,
                                         call_with_options(F::ce_focal_loss), input_target);
  bind_functional<L::DiceL2LossOptions>(
      m, "dice_l2_loss", "DiceL2Loss", dice_l2_keywords(),
      LeadingArguments<const torch::Tensor&, const torch::Tensor&, const py::object&>{},
      [](const torch::Tensor& input, const torch::Tensor& target, const py::object& model_or_parameters,
         const L::DiceL2LossOptions& options) {
        return F::dice_l2_loss(input, target,
                               regularised_parameters_of(model_or_parameters, options.exclude_norm_and_bias()), options);
      },
      std::make_tuple(py::arg("input"), py::arg("target"), py::arg("model_or_parameters")),
      "Functional form of DiceL2Loss: the same keywords.\n\nExample:\n"
      "    >>> osteon.losses.dice_l2_loss(logits, mask, vnet, sigmoid=True)\n");
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
