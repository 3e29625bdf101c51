#pragma once
/// @file
/// State dicts on disk, shared by C++ and Python: read a file written by Python's
/// `torch.save(model.state_dict(), path)` (torchvision, MONAI, our own Python side), write one that
/// Python's `torch.load(path)` reads, and copy a name → tensor dict into a module with
/// PyTorch's `load_state_dict` semantics (strict key matching, shape checks).
///
/// Example:
///   auto model = osteon::nn::resnet50();
///   osteon::io::save_state_dict(*model, "resnet50.pt");      // torch.load("resnet50.pt") reads it
///   osteon::io::load_state_dict(*model, "resnet50.pt");      // so does torch.save(...) from Python

#include <torch/nn/module.h>
#include <torch/ordered_dict.h>
#include <torch/types.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <string>
#include <utility>
#include <vector>

#include "osteon/core/atomic_file.hpp"
#include "osteon/core/check.hpp"
#include "osteon/io/detail/torch_archive.hpp"

namespace osteon::io {

/// Parameter and buffer names → tensors, in the order PyTorch's `Module.state_dict()` lists them.
using StateDict = torch::OrderedDict<std::string, torch::Tensor>;

namespace detail {

inline void flatten_tensor_dict(const PickleValue& dict, const std::string& prefix,
                                StateDict& out, const std::string& path) {
  for (const auto& [key, value] : dict.entries) {
    OSTEON_CHECK_ARG(key.kind == PickleValue::Kind::String,
                     "load_state_dict_file: a key in ", path, " is not a string");
    const std::string name = prefix + key.text;
    if (value.kind == PickleValue::Kind::Dict) {
      flatten_tensor_dict(value, name + ".", out, path);
    } else {
      OSTEON_CHECK_ARG(value.kind == PickleValue::Kind::Tensor && value.tensor.defined(),
                       "load_state_dict_file: entry '", name, "' in ", path, " is not a tensor");
      OSTEON_CHECK_ARG(!out.contains(name), "load_state_dict_file: entry '", name, "' appears twice in ", path);
      out.insert(name, value.tensor);
    }
  }
}

}  // namespace detail

namespace detail {
inline StateDict read_state_dict_archive(const std::string& path);
}  // namespace detail

/// Reads a state dict saved with `torch.save(obj, path)` from Python (PyTorch's default zip
/// format) or with `save_state_dict` from C++. `obj` is a dict of tensors; nested dicts are
/// flattened with dotted names (`{"model": {"fc.weight": t}}` → `model.fc.weight`). Tensors come
/// back on the CPU with the dtype they were saved with, whatever device they were saved from.
/// Throws std::invalid_argument (ValueError in Python) naming the path if the file is missing or a
/// directory, is not a torch.save zip archive (e.g. `_use_new_zipfile_serialization=False`, random
/// bytes), is truncated or corrupt (no zip central directory, a CRC mismatch, a tensor reaching past
/// its storage), or holds anything but tensors.
///
/// Example:
///   // Python: torch.save(torchvision.models.resnet50().state_dict(), "r50.pt")
///   auto dict = osteon::io::load_state_dict_file("r50.pt");
///   dict["conv1.weight"].sizes();  // [64, 3, 7, 7]
inline StateDict load_state_dict_file(const std::string& path) {
  std::error_code status_error;
  OSTEON_CHECK_ARG(!std::filesystem::is_directory(path, status_error), "load_state_dict_file: path '", path,
                   "' is a directory, not a state-dict file");
  {
    std::ifstream probe(path, std::ios::binary);
    OSTEON_CHECK_ARG(probe.good(), "load_state_dict_file: cannot open path '", path, "'");
    char magic[2] = {0, 0};
    probe.read(magic, 2);
    OSTEON_CHECK_ARG(magic[0] == 'P' && magic[1] == 'K', "load_state_dict_file: path '", path,
                     "' is not a torch.save zip archive (re-save it with torch.save's default "
                     "_use_new_zipfile_serialization=True)");
  }
  // The zip reader checks the central directory at the end of the file (a file cut short by a
  // crash has none) and each record's CRC-32; its errors become std::invalid_argument naming the
  // file, as every other problem with the file.
  try {
    return detail::read_state_dict_archive(path);
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const std::exception& error) {
    std::string reason = error.what();
    reason = reason.substr(0, reason.find('\n'));  // c10::Error appends a C++ backtrace
    OSTEON_CHECK_ARG(false, "load_state_dict_file: path '", path, "' is not a readable torch.save archive ",
                     "(truncated or corrupt: ", reason, ")");
  }
  return StateDict();
}

namespace detail {

inline StateDict read_state_dict_archive(const std::string& path) {
  caffe2::serialize::PyTorchStreamReader archive(path);
  OSTEON_CHECK_ARG(archive.hasRecord("data.pkl"), "load_state_dict_file: path '", path,
                   "' is a zip archive without data.pkl (not written by torch.save)");
  if (archive.hasRecord("byteorder")) {
    auto record = archive.getRecord("byteorder");
    const std::string order(static_cast<const char*>(std::get<0>(record).get()),
                            std::get<1>(record));
    OSTEON_CHECK_ARG(order == "little", "load_state_dict_file: path '", path,
                     "' was saved with byte order '", order, "'; only little-endian is read");
  }
  auto pickle = archive.getRecord("data.pkl");
  const char* begin = static_cast<const char*>(std::get<0>(pickle).get());
  StateDictUnpickler unpickler(path, archive,
                                       std::vector<char>(begin, begin + std::get<1>(pickle)));
  const auto root = unpickler.run();
  OSTEON_CHECK_ARG(root.kind == PickleValue::Kind::Dict, "load_state_dict_file: path '",
                   path, "' does not hold a dict of tensors");
  StateDict out;
  flatten_tensor_dict(root, "", out, path);
  return out;
}

}  // namespace detail

/// Writes `dict` to `path` in the format of Python's `torch.save(dict, path)`, so
/// `torch.load(path)` (also with `weights_only=True`) returns a dict of CPU tensors. The write
/// is atomic: a temporary file next to `path` is renamed over it once complete.
///
/// Example:
///   osteon::nn::StateDict dict;
///   dict.insert("weight", torch::ones({2, 2}));
///   osteon::io::save_state_dict_file(dict, "w.pt");
inline void save_state_dict_file(const StateDict& dict, const std::string& path) {
  std::vector<std::pair<std::string, torch::Tensor>> entries;
  for (const auto& item : dict) {
    OSTEON_CHECK_ARG(item.value().defined(), "save_state_dict_file: entry '", item.key(),
                     "' is an undefined tensor");
    entries.emplace_back(item.key(), item.value());
  }
  detail::StateDictPickler pickler(entries);

  write_file_atomically(path, "save_state_dict_file", [&](std::ostream& file) {
    caffe2::serialize::PyTorchStreamWriter writer([&file](const void* data, size_t size) {
      file.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
      return file.good() ? size : size_t{0};
    });
    writer.writeRecord("data.pkl", pickler.bytes.data(), pickler.bytes.size());
    writer.writeRecord("byteorder", "little", 6);
    for (size_t i = 0; i < pickler.storages.size(); ++i) {
      const auto& storage = pickler.storages[i];
      writer.writeRecord("data/" + std::to_string(i), storage.data_ptr(),
                         static_cast<size_t>(storage.numel()) * storage.element_size());
    }
    writer.writeEndOfFile();
  });
}

/// The parameters and buffers of `module` under PyTorch's `state_dict()` names and order
/// (pre-order over submodules; each module's parameters, then its buffers). Tensors are the
/// module's own (not copies).
///
/// Example:
///   auto names = osteon::nn::module_state_dict(*model).keys();  // "conv1.weight", "bn1.weight", ...
inline StateDict module_state_dict(const torch::nn::Module& module) {
  StateDict out;
  auto add_own = [&out](const torch::nn::Module& owner, const std::string& prefix) {
    for (const auto& parameter : owner.named_parameters(/*recurse=*/false))
      if (parameter.value().defined()) out.insert(prefix + parameter.key(), parameter.value());
    for (const auto& buffer : owner.named_buffers(/*recurse=*/false))
      if (buffer.value().defined()) out.insert(prefix + buffer.key(), buffer.value());
  };
  add_own(module, "");  // include_self=false: the root need not be held by a shared_ptr
  for (const auto& item : module.named_modules("", /*include_self=*/false))
    add_own(*item.value(), item.key() + ".");
  return out;
}

/// Keys of a non-strict load that did not match (PyTorch's `_IncompatibleKeys`).
struct IncompatibleKeys {
  std::vector<std::string> missing_keys;     ///< in the module, absent from the dict
  std::vector<std::string> unexpected_keys;  ///< in the dict, absent from the module
};

/// Copies `dict` into the parameters and buffers of `module`, as PyTorch's
/// `module.load_state_dict(dict, strict)`: values are copied in place (keeping the module's
/// device, dtype and memory format). Shapes must match; with `strict`, the key sets must be equal.
/// Throws std::invalid_argument listing every missing, unexpected and mis-shaped key at once
/// (PyTorch raises RuntimeError for the same condition); nothing is copied if it throws.
///
/// Example:
///   auto dict = osteon::io::load_state_dict_file("r50.pt");
///   dict.erase("fc.weight"); dict.erase("fc.bias");                 // new head
///   auto keys = osteon::nn::assign_state_dict(*model, dict, /*strict=*/false);
///   // keys.missing_keys == {"fc.weight", "fc.bias"}
inline IncompatibleKeys assign_state_dict(torch::nn::Module& module, const StateDict& dict,
                                          bool strict = true) {
  auto own = module_state_dict(module);
  IncompatibleKeys keys;
  std::vector<std::string> mis_shaped;
  for (const auto& item : own) {
    const torch::Tensor* source = dict.find(item.key());
    if (source == nullptr) {
      keys.missing_keys.push_back(item.key());
    } else if (source->sizes() != item.value().sizes()) {
      mis_shaped.push_back(::osteon::detail::concat(item.key(), " (file ", source->sizes(), ", model ",
                                          item.value().sizes(), ")"));
    }
  }
  for (const auto& item : dict)
    if (own.find(item.key()) == nullptr) keys.unexpected_keys.push_back(item.key());

  auto append = [](std::string& text, const char* label, const std::vector<std::string>& names) {
    if (names.empty()) return;
    text += ::osteon::detail::concat(" ", label, " (", names.size(), "): ");
    for (size_t i = 0; i < names.size(); ++i) text += (i == 0 ? "" : ", ") + names[i];
    text += ".";
  };
  std::string problems;
  if (strict) append(problems, "Missing keys", keys.missing_keys);
  if (strict) append(problems, "Unexpected keys", keys.unexpected_keys);
  append(problems, "Shape mismatch", mis_shaped);
  OSTEON_CHECK_ARG(problems.empty(), "load_state_dict: the state dict does not fit the model.",
                   problems);

  torch::NoGradGuard no_grad;
  for (auto& item : own) {
    if (const torch::Tensor* source = dict.find(item.key())) item.value().copy_(*source);
  }
  return keys;
}

/// Writes the state dict of `module` to `path` (see save_state_dict_file); Python's
/// `model.load_state_dict(torch.load(path))` reads it back into the same architecture.
///
/// Example:
///   osteon::io::save_state_dict(*model, "checkpoint.pt");
inline void save_state_dict(const torch::nn::Module& module, const std::string& path) {
  save_state_dict_file(module_state_dict(module), path);
}

/// Reads `path` (see load_state_dict_file) into `module` (see assign_state_dict).
///
/// Example:
///   osteon::io::load_state_dict(*model, "checkpoint.pt");  // also a Python torch.save file
inline IncompatibleKeys load_state_dict(torch::nn::Module& module, const std::string& path,
                                        bool strict = true) {
  return assign_state_dict(module, load_state_dict_file(path), strict);
}

}  // namespace osteon::io

namespace osteon::nn {
// Deprecated in 0.2, removed in 0.3: the state-dict files moved from osteon::nn to osteon::io.
using io::assign_state_dict;
using io::IncompatibleKeys;
using io::load_state_dict;
using io::load_state_dict_file;
using io::module_state_dict;
using io::save_state_dict;
using io::save_state_dict_file;
using io::StateDict;
}  // namespace osteon::nn
