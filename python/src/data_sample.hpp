#pragma once
// Sample / Batch ↔ Python dict, shared by bind_data.cpp and bind_data_transforms.cpp. A sample is
// MONAI's dictionary form with osteon's keys: "image" (a (C, spatial...) tensor, or a list of
// them for several views), "mask", "label", "id", "group", "spacing", "meta".
#include <pybind11/stl.h>

#include <map>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "osteon/data/sample.hpp"

namespace osteon::python {

inline osteon::data::Sample sample_from_dict(const py::dict& dict) {
  osteon::data::Sample sample;
  if (!dict.contains("image")) throw py::value_error("sample: the dict has no \"image\" key");
  const py::object image = dict["image"];
  if (py::isinstance<py::list>(image) || py::isinstance<py::tuple>(image)) {
    sample.images = image.cast<std::vector<torch::Tensor>>();
  } else {
    sample.images = {image.cast<torch::Tensor>()};
  }
  const auto get = [&](const char* key) -> py::object {
    return dict.contains(key) && !dict[key].is_none() ? py::object(dict[key]) : py::object();
  };
  if (auto mask = get("mask")) sample.mask = mask.cast<torch::Tensor>();
  if (auto label = get("label")) sample.label = label.cast<torch::Tensor>();
  if (auto id = get("id")) sample.id = id.cast<std::string>();
  if (auto group = get("group")) sample.group = group.cast<std::string>();
  if (auto spacing = get("spacing")) sample.spacing = spacing.cast<std::vector<double>>();
  if (auto meta = get("meta")) sample.meta = meta.cast<std::map<std::string, std::string>>();
  return sample;
}

inline py::dict sample_to_dict(const osteon::data::Sample& sample, bool list_views) {
  py::dict out;
  if (list_views || sample.images.size() != 1) {
    out["image"] = sample.images;
  } else {
    out["image"] = sample.images.front();
  }
  out["mask"] = sample.mask.defined() ? py::cast(sample.mask) : py::none();
  out["label"] = sample.label.defined() ? py::cast(sample.label) : py::none();
  out["id"] = sample.id;
  out["group"] = sample.group;
  out["spacing"] = sample.spacing;
  out["meta"] = sample.meta;
  return out;
}

inline py::dict batch_to_dict(const osteon::data::Batch& batch) {
  py::dict out;
  out["image"] = batch.image();
  out["images"] = batch.images;
  out["mask"] = batch.mask.defined() ? py::cast(batch.mask) : py::none();
  out["label"] = batch.label.defined() ? py::cast(batch.label) : py::none();
  out["ids"] = batch.ids;
  out["groups"] = batch.groups;
  out["indices"] = batch.indices;
  out["meta"] = batch.meta;
  return out;
}

}  // namespace osteon::python
