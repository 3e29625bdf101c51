// Bindings of osteon::train: the C++ Trainer behind osteon.train.Trainer, predict / evaluate and
// cross_validate. An osteon network (osteon.nn) and an osteon loss (osteon.losses) or a named
// loss run in C++ with the GIL released; any other torch.nn.Module or Python callable works too,
// reacquiring the GIL for each call into Python. Python callbacks are called with the GIL held.
#include <osteon/losses/ce_focal.hpp>
#include <osteon/losses/dice.hpp>
#include <osteon/losses/dice_ce.hpp>
#include <osteon/losses/dice_focal.hpp>
#include <osteon/losses/focal.hpp>
#include <osteon/losses/generalized_dice.hpp>
#include <osteon/losses/tversky.hpp>
#include <osteon/nn/networks/multiview.hpp>
#include <osteon/nn/networks/resnet.hpp>
#include <osteon/nn/networks/unet.hpp>
#include <osteon/nn/networks/vnet.hpp>
#include <osteon/train.hpp>

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings.hpp"

namespace osteon::python {
namespace {

namespace ot = osteon::train;
namespace L = osteon::losses;
using osteon::nn::BasicBlockImpl;
using osteon::nn::BottleneckImpl;

// The C++ module of an osteon network, as a TrainModel that never touches Python.
template <typename Impl>
bool try_cpp_model(const py::object& cpp_module, ot::TrainModel& model) {
  if (!py::isinstance<Impl>(cpp_module)) return false;
  model = ot::make_model(cpp_module.cast<std::shared_ptr<Impl>>());
  return true;
}

// A Python object shared by C++ closures; released with the GIL held, wherever the last copy dies.
std::shared_ptr<py::object> gil_shared(py::object object) {
  return std::shared_ptr<py::object>(new py::object(std::move(object)), [](py::object* p) {
    py::gil_scoped_acquire gil;
    delete p;
  });
}

// A Python torch.nn.Module: every call takes the GIL.
ot::TrainModel python_model(py::object module) {
  ot::TrainModel model;
  auto shared = gil_shared(std::move(module));
  model.forward = [shared](const torch::Tensor& x) {
    py::gil_scoped_acquire gil;
    return (*shared)(x).cast<torch::Tensor>();
  };
  model.parameters = [shared] {
    py::gil_scoped_acquire gil;
    std::vector<torch::Tensor> out;
    for (const auto& p : shared->attr("parameters")()) out.push_back(p.cast<torch::Tensor>());
    return out;
  };
  model.state_dict = [shared] {
    py::gil_scoped_acquire gil;
    osteon::io::StateDict out;
    for (const auto& item : shared->attr("state_dict")(py::arg("keep_vars") = true).attr("items")()) {
      const auto pair = item.cast<py::tuple>();
      out.insert(pair[0].cast<std::string>(), pair[1].cast<torch::Tensor>());
    }
    return out;
  };
  model.set_training = [shared](bool on) {
    py::gil_scoped_acquire gil;
    shared->attr("train")(on);
  };
  return model;
}

ot::TrainModel train_model(const py::object& module) {
  ot::TrainModel model;
  if (py::hasattr(module, "cpp_module")) {
    const auto cpp = module.attr("cpp_module");
    if (try_cpp_model<osteon::nn::ResNetImpl<BasicBlockImpl, 2>>(cpp, model) ||
        try_cpp_model<osteon::nn::ResNetImpl<BottleneckImpl, 2>>(cpp, model) ||
        try_cpp_model<osteon::nn::ResNetImpl<BasicBlockImpl, 3>>(cpp, model) ||
        try_cpp_model<osteon::nn::ResNetImpl<BottleneckImpl, 3>>(cpp, model) ||
        try_cpp_model<osteon::nn::MultiViewResNetImpl<BasicBlockImpl, 2>>(cpp, model) ||
        try_cpp_model<osteon::nn::MultiViewResNetImpl<BottleneckImpl, 2>>(cpp, model) ||
        try_cpp_model<osteon::nn::MultiViewResNetImpl<BasicBlockImpl, 3>>(cpp, model) ||
        try_cpp_model<osteon::nn::MultiViewResNetImpl<BottleneckImpl, 3>>(cpp, model) ||
        try_cpp_model<osteon::nn::VNetImpl>(cpp, model) || try_cpp_model<osteon::nn::UNetImpl>(cpp, model))
      return model;
  }
  const auto torch_nn = py::module_::import("torch.nn");
  OSTEON_CHECK_ARG(py::isinstance(module, torch_nn.attr("Module")), "Trainer: model must be a torch.nn.Module, got ",
                   py::str(py::type::of(module)).cast<std::string>());
  return python_model(module);
}

template <typename Impl>
bool try_cpp_loss(const py::object& loss, ot::LossFn& out) {
  if (!py::isinstance<Impl>(loss)) return false;
  auto module = loss.cast<std::shared_ptr<Impl>>();
  out = [module](const torch::Tensor& output, const torch::Tensor& target) { return module->forward(output, target); };
  return true;
}

ot::LossFn loss_function(const py::object& loss) {
  ot::LossFn out;
  if (py::isinstance<py::str>(loss)) {
    const auto name = loss.cast<std::string>();
    if (name == "cross_entropy")
      return [](const torch::Tensor& o, const torch::Tensor& t) { return torch::nn::functional::cross_entropy(o, t); };
    if (name == "bce_with_logits")
      return [](const torch::Tensor& o, const torch::Tensor& t) {
        return torch::nn::functional::binary_cross_entropy_with_logits(o, t.to(o.dtype()).view_as(o));
      };
    if (name == "mse")
      return [](const torch::Tensor& o, const torch::Tensor& t) { return torch::nn::functional::mse_loss(o, t.to(o.dtype())); };
    OSTEON_CHECK_ARG(false, "Trainer: loss must be 'cross_entropy', 'bce_with_logits', 'mse', an osteon.losses module "
                            "or a callable, got '", name, "'");
  }
  if (try_cpp_loss<L::CEFocalLossImpl>(loss, out) || try_cpp_loss<L::DiceCELossImpl>(loss, out) ||
      try_cpp_loss<L::DiceFocalLossImpl>(loss, out) || try_cpp_loss<L::DiceLossImpl>(loss, out) ||
      try_cpp_loss<L::FocalLossImpl>(loss, out) || try_cpp_loss<L::GeneralizedDiceLossImpl>(loss, out) ||
      try_cpp_loss<L::TverskyLossImpl>(loss, out))
    return out;
  OSTEON_CHECK_ARG(PyCallable_Check(loss.ptr()) == 1, "Trainer: loss must be a name, an osteon.losses module or a "
                   "callable, got ", py::str(py::type::of(loss)).cast<std::string>());
  auto shared = gil_shared(loss);
  return [shared](const torch::Tensor& o, const torch::Tensor& t) {
    py::gil_scoped_acquire gil;
    return (*shared)(o, t).cast<torch::Tensor>();
  };
}

py::dict record_dict(const ot::EpochRecord& r) {
  py::dict d;
  d["epoch"] = r.epoch;
  d["step"] = r.step;
  d["lr"] = r.lr;
  d["train_loss"] = r.train_loss;
  d["seconds"] = r.seconds;
  d["skipped_steps"] = r.skipped_steps;
  d["validated"] = r.validated;
  py::dict val;
  for (const auto& [name, value] : r.val) val[py::str(name)] = value;
  d["val"] = val;
  return d;
}

ot::TrainerOptions options_from(const py::dict& o) {
  ot::TrainerOptions options;
  const auto get = [&](const char* key) { return o[key]; };
  options.max_epochs(get("max_epochs").cast<std::int64_t>())
      .optimizer(ot::parse_optimizer(get("optimizer").cast<std::string>()))
      .lr(get("lr").cast<double>())
      .betas(get("betas").cast<std::tuple<double, double>>())
      .eps(get("eps").cast<double>())
      .weight_decay(get("weight_decay").cast<double>())
      .momentum(get("momentum").cast<double>())
      .nesterov(get("nesterov").cast<bool>())
      .scheduler(ot::parse_scheduler(get("scheduler").cast<std::string>()))
      .warmup_epochs(get("warmup_epochs").cast<std::int64_t>())
      .step_size(get("step_size").cast<std::int64_t>())
      .gamma(get("gamma").cast<double>())
      .plateau_patience(get("plateau_patience").cast<std::int64_t>())
      .min_lr(get("min_lr").cast<double>())
      .batch_size(get("batch_size").cast<std::int64_t>())
      .shuffle(get("shuffle").cast<bool>())
      .even_batches(get("even_batches").cast<bool>())
      .accumulate(get("accumulate").cast<std::int64_t>())
      .grad_clip(get("grad_clip").cast<double>())
      .amp(get("amp").cast<bool>())
      .seed(get("seed").cast<std::uint64_t>())
      .val_interval(get("val_interval").cast<std::int64_t>())
      .val_metric(get("val_metric").cast<std::string>())
      .early_stopping(get("early_stopping").cast<std::int64_t>())
      .min_delta(get("min_delta").cast<double>())
      .restore_best(get("restore_best").cast<bool>())
      .output_dir(get("output_dir").cast<std::string>())
      .checkpoint_interval(get("checkpoint_interval").cast<std::int64_t>())
      .keep_last(get("keep_last").cast<std::int64_t>())
      .progress(ot::Progress::none);  // Python draws its own (tqdm) through a callback
  const auto policy = get("non_finite").cast<std::string>();
  OSTEON_CHECK_ARG(policy == "error" || policy == "skip", "Trainer: non_finite must be 'error' or 'skip', got '",
                   policy, "'");
  options.non_finite(policy == "error" ? ot::NonFinitePolicy::error : ot::NonFinitePolicy::skip);
  return options;
}

// The defaults, from the C++ options object, so that Python shows and uses the same ones.
py::dict default_options() {
  const ot::TrainerOptions o;
  py::dict d;
  d["max_epochs"] = o.max_epochs();
  d["optimizer"] = ot::to_string(o.optimizer());
  d["lr"] = o.lr();
  d["betas"] = o.betas();
  d["eps"] = o.eps();
  d["weight_decay"] = o.weight_decay();
  d["momentum"] = o.momentum();
  d["nesterov"] = o.nesterov();
  d["scheduler"] = ot::to_string(o.scheduler());
  d["warmup_epochs"] = o.warmup_epochs();
  d["step_size"] = o.step_size();
  d["gamma"] = o.gamma();
  d["plateau_patience"] = o.plateau_patience();
  d["min_lr"] = o.min_lr();
  d["batch_size"] = o.batch_size();
  d["shuffle"] = o.shuffle();
  d["even_batches"] = o.even_batches();
  d["accumulate"] = o.accumulate();
  d["grad_clip"] = o.grad_clip();
  d["amp"] = o.amp();
  d["seed"] = o.seed();
  d["val_interval"] = o.val_interval();
  d["val_metric"] = o.val_metric();
  d["early_stopping"] = o.early_stopping();
  d["min_delta"] = o.min_delta();
  d["restore_best"] = o.restore_best();
  d["non_finite"] = o.non_finite() == ot::NonFinitePolicy::error ? "error" : "skip";
  d["output_dir"] = o.output_dir();
  d["checkpoint_interval"] = o.checkpoint_interval();
  d["keep_last"] = o.keep_last();
  return d;
}

std::optional<ot::TensorData> data_of(const std::optional<torch::Tensor>& inputs, const std::optional<torch::Tensor>& targets,
                                      const std::vector<std::int64_t>& groups, const char* which) {
  OSTEON_CHECK_ARG(inputs.has_value() == targets.has_value(), "Trainer.fit: ", which, "_inputs and ", which,
                   "_targets must be given together");
  if (!inputs) return std::nullopt;
  return ot::TensorData{*inputs, *targets, groups};
}

// The Trainer and the Python objects it calls into, kept alive together.
struct PyTrainer {
  PyTrainer(py::object model_object, py::object loss_object, const py::dict& options)
      : model(std::move(model_object)), loss(std::move(loss_object)),
        trainer(train_model(model), loss_function(loss), options_from(options)) {}
  py::object model;
  py::object loss;
  ot::Trainer trainer;
};

// Wraps a Python callback object (methods on_epoch_begin, on_batch_end, on_validation_end,
// on_epoch_end, each optional) or a callable (called as on_epoch_end(record)).
ot::Callbacks callbacks_of(const py::object& callback) {
  auto shared = gil_shared(callback);
  const auto has = [&](const char* name) { return py::hasattr(callback, name); };
  ot::Callbacks c;
  if (!has("on_epoch_begin") && !has("on_batch_end") && !has("on_validation_end") && !has("on_epoch_end")) {
    OSTEON_CHECK_ARG(PyCallable_Check(callback.ptr()) == 1, "Trainer: a callback must be callable or have "
                     "on_epoch_begin / on_batch_end / on_validation_end / on_epoch_end methods");
    c.on_epoch_end = [shared](const ot::EpochRecord& r) {
      py::gil_scoped_acquire gil;
      (*shared)(record_dict(r));
    };
    return c;
  }
  if (has("on_epoch_begin"))
    c.on_epoch_begin = [shared](std::int64_t epoch) {
      py::gil_scoped_acquire gil;
      shared->attr("on_epoch_begin")(epoch);
    };
  if (has("on_batch_end"))
    c.on_batch_end = [shared](const ot::BatchEvent& e) {
      py::gil_scoped_acquire gil;
      py::dict d;
      d["epoch"] = e.epoch;
      d["batch"] = e.batch;
      d["batches"] = e.batches;
      d["step"] = e.step;
      d["loss"] = e.loss;
      shared->attr("on_batch_end")(d);
    };
  if (has("on_validation_end"))
    c.on_validation_end = [shared](const ot::EpochRecord& r) {
      py::gil_scoped_acquire gil;
      shared->attr("on_validation_end")(record_dict(r));
    };
  if (has("on_epoch_end"))
    c.on_epoch_end = [shared](const ot::EpochRecord& r) {
      py::gil_scoped_acquire gil;
      shared->attr("on_epoch_end")(record_dict(r));
    };
  return c;
}

ot::PredictOptions predict_options(std::int64_t batch_size, std::vector<std::int64_t> flip_dims, const std::string& activation) {
  ot::Activation kind = ot::Activation::softmax;
  if (activation == "sigmoid") kind = ot::Activation::sigmoid;
  else if (activation == "none") kind = ot::Activation::none;
  else OSTEON_CHECK_ARG(activation == "softmax", "predict: activation must be 'softmax', 'sigmoid' or 'none', got '",
                        activation, "'");
  return ot::PredictOptions().batch_size(batch_size).flip_dims(std::move(flip_dims)).activation(kind);
}

py::dict fold_metric_dict(const ot::FoldMetric& m) {
  py::dict d;
  d["name"] = m.name;
  d["fold"] = m.fold;
  d["holdout"] = m.holdout;
  d["fold_mean"] = m.fold_summary.mean;
  d["fold_sd"] = m.fold_summary.sd;
  d["holdout_mean"] = m.holdout_summary.mean;
  d["holdout_sd"] = m.holdout_summary.sd;
  d["ddof"] = m.fold_summary.ddof;
  d["pooled"] = m.pooled;
  d["ensemble_holdout"] = m.ensemble_holdout;
  return d;
}

}  // namespace

void bind_train(py::module_ m) {
  m.def("_default_options", &default_options);
  m.def("metric_names", &ot::metric_names, "The built-in validation metric names (plus 'loss').");

  py::class_<PyTrainer>(m, "_Trainer")
      .def(py::init<py::object, py::object, py::dict>(), py::arg("model"), py::arg("loss"), py::arg("options"))
      .def("add_callback", [](PyTrainer& self, const py::object& callback) { self.trainer.add_callbacks(callbacks_of(callback)); })
      .def("set_val_metrics", [](PyTrainer& self, std::vector<std::string> names) { self.trainer.set_val_metrics(std::move(names)); })
      .def("add_metric", [](PyTrainer& self, const std::string& name, py::object fn) {
        auto shared = gil_shared(std::move(fn));
        self.trainer.add_metric(name, [shared](const torch::Tensor& o, const torch::Tensor& t) {
          py::gil_scoped_acquire gil;
          const auto value = (*shared)(o, t);
          return py::isinstance<py::float_>(value) || py::isinstance<py::int_>(value)
                     ? torch::tensor(value.cast<double>(), torch::kDouble)
                     : value.cast<torch::Tensor>();
        });
      })
      .def("fit",
           [](PyTrainer& self, const torch::Tensor& inputs, const torch::Tensor& targets,
              const std::optional<torch::Tensor>& val_inputs, const std::optional<torch::Tensor>& val_targets,
              const std::vector<std::int64_t>& groups) {
             const ot::TensorData train{inputs, targets, groups};
             const auto validation = data_of(val_inputs, val_targets, {}, "val");
             ot::FitResult result;
             {
               py::gil_scoped_release release;
               result = self.trainer.fit(train, validation);
             }
             py::dict out;
             py::list history;
             for (const auto& r : result.history) history.append(record_dict(r));
             out["history"] = history;
             out["best_epoch"] = result.best_epoch;
             out["best_value"] = result.best_value;
             out["stopped_early"] = result.stopped_early;
             return out;
           },
           py::arg("inputs"), py::arg("targets"), py::arg("val_inputs") = py::none(), py::arg("val_targets") = py::none(),
           py::arg("groups") = std::vector<std::int64_t>{})
      .def("validate",
           [](PyTrainer& self, const torch::Tensor& inputs, const torch::Tensor& targets) {
             py::gil_scoped_release release;
             return self.trainer.validate({inputs, targets});
           },
           py::arg("inputs"), py::arg("targets"))
      .def("save_checkpoint", [](PyTrainer& self, const std::string& path) {
        py::gil_scoped_release release;
        self.trainer.save_checkpoint(path);
      })
      .def("load_checkpoint", [](PyTrainer& self, const std::string& path) {
        py::gil_scoped_release release;
        self.trainer.load_checkpoint(path);
      })
      .def("resume", [](PyTrainer& self, const std::string& path) {
        py::gil_scoped_release release;
        return self.trainer.resume(path);
      })
      .def("request_stop", [](PyTrainer& self) { self.trainer.request_stop(); })
      .def_property_readonly("epoch", [](const PyTrainer& self) { return self.trainer.epoch(); })
      .def_property_readonly("step", [](const PyTrainer& self) { return self.trainer.step(); })
      .def_property_readonly("history", [](const PyTrainer& self) {
        py::list out;
        for (const auto& r : self.trainer.history()) out.append(record_dict(r));
        return out;
      });

  m.def("predict",
        [](const py::object& model, const torch::Tensor& inputs, std::int64_t batch_size, std::vector<std::int64_t> flip_dims,
           const std::string& activation) {
          auto train_model_ = train_model(model);
          const auto options = predict_options(batch_size, std::move(flip_dims), activation);
          py::gil_scoped_release release;
          return ot::predict(train_model_, inputs, options);
        },
        py::arg("model"), py::arg("inputs"), py::arg("batch_size") = 32, py::arg("flip_dims") = std::vector<std::int64_t>{},
        py::arg("activation") = "softmax");
  m.def("evaluate",
        [](const py::object& model, const torch::Tensor& inputs, const torch::Tensor& targets, std::vector<std::string> metrics,
           std::int64_t batch_size, std::vector<std::int64_t> flip_dims, const std::string& activation) {
          auto train_model_ = train_model(model);
          const auto options = predict_options(batch_size, std::move(flip_dims), activation);
          py::gil_scoped_release release;
          return ot::evaluate(train_model_, {inputs, targets}, metrics, options);
        },
        py::arg("model"), py::arg("inputs"), py::arg("targets"), py::arg("metrics"), py::arg("batch_size") = 32,
        py::arg("flip_dims") = std::vector<std::int64_t>{}, py::arg("activation") = "softmax");
  m.def("cross_validate",
        [](const osteon::split::Manifest& manifest, const torch::Tensor& inputs, const torch::Tensor& targets,
           const py::object& model_factory, const py::object& loss, std::vector<std::string> metrics, int ddof,
           bool validate_on_fold, const py::dict& options) {
          auto factory_object = gil_shared(model_factory);
          std::vector<py::object> keep_alive;  // the fold models (Python objects) outlive their Trainers
          const ot::ModelFactory factory = [factory_object, &keep_alive](std::int64_t fold) {
            py::gil_scoped_acquire gil;
            keep_alive.push_back((*factory_object)(fold));
            return train_model(keep_alive.back());
          };
          const auto cv_options = ot::CrossValidationOptions().trainer(options_from(options)).metrics(std::move(metrics))
                                      .ddof(ddof).validate_on_fold(validate_on_fold);
          const auto loss_fn = loss_function(loss);
          ot::CrossValidationResult result;
          {
            py::gil_scoped_release release;
            result = ot::cross_validate(manifest, {inputs, targets}, factory, loss_fn, cv_options);
          }
          py::dict out;
          py::list rows;
          for (const auto& metric : result.metrics) rows.append(fold_metric_dict(metric));
          out["metrics"] = rows;
          out["table"] = result.table();
          out["out_of_fold"] = result.out_of_fold;
          out["out_of_fold_rows"] = result.out_of_fold_rows;
          out["ensemble_probabilities"] = result.ensemble_probabilities.defined() ? py::cast(result.ensemble_probabilities) : py::none();
          out["holdout_rows"] = result.holdout_rows;
          out["models"] = keep_alive;
          return out;
        },
        py::arg("manifest"), py::arg("inputs"), py::arg("targets"), py::arg("model_factory"), py::arg("loss"),
        py::arg("metrics"), py::arg("ddof"), py::arg("validate_on_fold"), py::arg("options"));
}

}  // namespace osteon::python
