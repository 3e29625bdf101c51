// Bindings of osteon::split (osteon._C.split). The Python package osteon.split normalises inputs
// (numpy arrays of labels, group ids of any type factorised to int64 codes, strata keys) and
// wraps these functions in sklearn-style classes; the C++ does all the work.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "osteon/split.hpp"

namespace osteon::python {

namespace {

namespace sp = osteon::split;
using Int64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

template <typename T, typename Array>
std::vector<T> to_vector(const Array& array, const char* name) {
  if (array.ndim() != 1) throw std::invalid_argument(std::string(name) + " must be 1-D, got " + std::to_string(array.ndim()) + " dimensions");
  return std::vector<T>(array.data(), array.data() + array.size());
}

// Hands a vector to numpy without copying: the array owns it through a capsule.
py::array_t<std::int64_t> to_numpy(std::vector<std::int64_t>&& values) {
  auto* owned = new std::vector<std::int64_t>(std::move(values));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<std::int64_t>*>(p); });
  return py::array_t<std::int64_t>({static_cast<py::ssize_t>(owned->size())}, owned->data(), owner);
}

py::tuple to_python(sp::Split&& split) {
  return py::make_tuple(to_numpy(std::move(split.train)), to_numpy(std::move(split.test)));
}

py::list to_python(std::vector<sp::Split>&& splits) {
  py::list out;
  for (auto& split : splits) out.append(to_python(std::move(split)));
  return out;
}

sp::Split to_split(const py::handle& pair, const char* name) {
  const auto sides = py::reinterpret_borrow<py::sequence>(pair);
  if (sides.size() != 2) throw std::invalid_argument(std::string(name) + ": each split must be a (train, test) pair");
  return sp::Split{to_vector<std::int64_t>(Int64Array::ensure(sides[0]), "train"),
                   to_vector<std::int64_t>(Int64Array::ensure(sides[1]), "test")};
}

std::vector<sp::Split> to_splits(const py::sequence& pairs, const char* name) {
  std::vector<sp::Split> out;
  for (const auto& pair : pairs) out.push_back(to_split(pair, name));
  return out;
}

sp::MixedLabels mixed_labels_policy(const std::string& name) {
  if (name == "error") return sp::MixedLabels::Error;
  if (name == "majority") return sp::MixedLabels::Majority;
  throw std::invalid_argument("mixed_labels must be 'error' or 'majority', got '" + name + "'");
}

// Everything but the splitter-specific arguments, converted once.
struct Inputs {
  std::vector<double> y;
  std::vector<std::int64_t> groups;
  bool has_groups = false;
  sp::SplitOptions options;

  Inputs(const DoubleArray& y_array, const std::optional<Int64Array>& groups_array,
         const std::vector<Int64Array>& strata, std::uint64_t seed, bool shuffle, const std::string& mixed_labels)
      : y(to_vector<double>(y_array, "y")) {
    if (groups_array) {
      groups = to_vector<std::int64_t>(*groups_array, "groups");
      has_groups = true;
    }
    std::vector<std::vector<std::int64_t>> keys;
    for (const auto& key : strata) keys.push_back(to_vector<std::int64_t>(key, "strata"));
    options.seed(seed).shuffle(shuffle).mixed_labels(mixed_labels_policy(mixed_labels)).strata(std::move(keys));
  }
  // Without groups every sample is its own group.
  const std::vector<std::int64_t>& group_ids() {
    if (!has_groups) {
      groups.resize(y.size());
      for (std::size_t i = 0; i < y.size(); ++i) groups[i] = static_cast<std::int64_t>(i);
      has_groups = true;
    }
    return groups;
  }
};

}  // namespace

void bind_split(py::module_ m) {
  m.doc() = "Stratified, group-safe splitters, leakage checks and manifests (see osteon.split).";
  // The Python signatures take their defaults from the C++ options (osteon/split.py).
  const sp::SplitOptions options;
  py::dict defaults;
  defaults["seed"] = options.seed();
  defaults["shuffle"] = options.shuffle();
  defaults["mixed_labels"] = options.mixed_labels() == sp::MixedLabels::error ? "error" : "majority";
  m.attr("_split_defaults") = defaults;
  m.def(
      "stratified_holdout",
      [](const DoubleArray& y, const std::optional<Int64Array>& groups, double test_size,
         const std::vector<Int64Array>& strata, std::uint64_t seed, bool shuffle, const std::string& mixed_labels) {
        Inputs in(y, groups, strata, seed, shuffle, mixed_labels);
        const auto& ids = in.group_ids();
        sp::Split split;
        {
          py::gil_scoped_release release;
          split = sp::stratified_holdout(in.y, ids, test_size, in.options);
        }
        return to_python(std::move(split));
      },
      py::arg("y"), py::arg("groups"), py::arg("test_size"), py::arg("strata"), py::arg("seed"), py::arg("shuffle"),
      py::arg("mixed_labels"), "(train, test) index arrays; see osteon.split.stratified_holdout.");

  m.def(
      "repeated_stratified_holdout",
      [](const DoubleArray& y, std::int64_t n_repeats, const std::optional<Int64Array>& groups, double test_size,
         const std::vector<Int64Array>& strata, std::uint64_t seed, bool shuffle, const std::string& mixed_labels) {
        Inputs in(y, groups, strata, seed, shuffle, mixed_labels);
        const auto& ids = in.group_ids();
        std::vector<sp::Split> splits;
        {
          py::gil_scoped_release release;
          splits = sp::repeated_stratified_holdout(in.y, n_repeats, ids, test_size, in.options);
        }
        return to_python(std::move(splits));
      },
      py::arg("y"), py::arg("n_repeats"), py::arg("groups"), py::arg("test_size"), py::arg("strata"), py::arg("seed"),
      py::arg("shuffle"), py::arg("mixed_labels"));

  m.def(
      "stratified_kfold",
      [](const DoubleArray& y, std::int64_t n_splits, const std::optional<Int64Array>& groups,
         const std::vector<Int64Array>& strata, std::uint64_t seed, bool shuffle, const std::string& mixed_labels) {
        Inputs in(y, groups, strata, seed, shuffle, mixed_labels);
        const auto& ids = in.group_ids();
        std::vector<sp::Split> folds;
        {
          py::gil_scoped_release release;
          folds = sp::stratified_kfold(in.y, n_splits, ids, in.options);
        }
        return to_python(std::move(folds));
      },
      py::arg("y"), py::arg("n_splits"), py::arg("groups"), py::arg("strata"), py::arg("seed"), py::arg("shuffle"),
      py::arg("mixed_labels"));

  m.def(
      "repeated_stratified_kfold",
      [](const DoubleArray& y, std::int64_t n_splits, std::int64_t n_repeats, const std::optional<Int64Array>& groups,
         const std::vector<Int64Array>& strata, std::uint64_t seed, bool shuffle, const std::string& mixed_labels) {
        Inputs in(y, groups, strata, seed, shuffle, mixed_labels);
        const auto& ids = in.group_ids();
        std::vector<sp::Split> splits;
        {
          py::gil_scoped_release release;
          splits = sp::repeated_stratified_kfold(in.y, n_splits, n_repeats, ids, in.options);
        }
        return to_python(std::move(splits));
      },
      py::arg("y"), py::arg("n_splits"), py::arg("n_repeats"), py::arg("groups"), py::arg("strata"), py::arg("seed"),
      py::arg("shuffle"), py::arg("mixed_labels"));

  m.def(
      "nested_split",
      [](const DoubleArray& y, std::int64_t n_splits, const std::optional<Int64Array>& groups, double test_size,
         const std::vector<Int64Array>& strata, std::uint64_t seed, bool shuffle, const std::string& mixed_labels) {
        Inputs in(y, groups, strata, seed, shuffle, mixed_labels);
        const auto& ids = in.group_ids();
        sp::NestedSplit design;
        {
          py::gil_scoped_release release;
          design = sp::nested_split(in.y, n_splits, ids, test_size, in.options);
        }
        return py::make_tuple(to_numpy(std::move(design.holdout.train)), to_numpy(std::move(design.holdout.test)),
                              to_python(std::move(design.folds)));
      },
      py::arg("y"), py::arg("n_splits"), py::arg("groups"), py::arg("test_size"), py::arg("strata"), py::arg("seed"),
      py::arg("shuffle"), py::arg("mixed_labels"), "(development, test, folds); see osteon.split.nested_split.");

  m.def(
      "check_no_leakage",
      [](const py::sequence& splits, const Int64Array& groups, const std::optional<py::tuple>& holdout) {
        const auto group_ids = to_vector<std::int64_t>(groups, "groups");
        if (holdout) {
          sp::NestedSplit design{to_split(*holdout, "check_no_leakage"), to_splits(splits, "check_no_leakage")};
          sp::check_no_leakage(design, group_ids);
        } else {
          sp::check_no_leakage(to_splits(splits, "check_no_leakage"), group_ids);
        }
      },
      py::arg("splits"), py::arg("groups"), py::arg("holdout") = py::none(),
      "Raises ValueError if a group lies on both sides of a split (int64 group codes).");

  m.def(
      "label_texts",
      [](const DoubleArray& y) {
        std::vector<std::string> out;
        for (const double value : to_vector<double>(y, "y")) out.push_back(sp::label_text(value));
        return out;
      },
      py::arg("y"), "Canonical text of numeric labels, as manifests hash them.");

  py::class_<sp::CohortRecord>(m, "CohortRecord", "The inputs of a split as text (what a manifest hashes).")
      .def(py::init([](std::vector<std::string> ids, std::vector<std::string> labels, std::vector<std::string> groups,
                       std::vector<std::vector<std::string>> strata) {
             return sp::CohortRecord{std::move(ids), std::move(labels), std::move(groups), std::move(strata)};
           }),
           py::arg("sample_ids"), py::arg("labels"), py::arg("groups"), py::arg("strata"))
      .def_readonly("sample_ids", &sp::CohortRecord::sample_ids)
      .def_readonly("labels", &sp::CohortRecord::labels)
      .def_readonly("groups", &sp::CohortRecord::groups)
      .def_readonly("strata", &sp::CohortRecord::strata);

  m.def("content_hash", &sp::content_hash, py::arg("record"), "\"fnv1a64:<hex>\" of a CohortRecord.");

  py::class_<sp::Manifest>(m, "Manifest", "A split as stored in a CSV manifest.")
      .def_readonly("sample_ids", &sp::Manifest::sample_ids)
      .def_readonly("groups", &sp::Manifest::groups)
      .def_readonly("folds", &sp::Manifest::folds)
      .def_readonly("seed", &sp::Manifest::seed)
      .def_readonly("content_hash", &sp::Manifest::content_hash)
      .def_property_readonly("kind", [](const sp::Manifest& manifest) {
        switch (manifest.kind()) {
          case sp::ManifestKind::Holdout: return "holdout";
          case sp::ManifestKind::KFold: return "kfold";
          case sp::ManifestKind::Nested: return "nested";
        }
        return "";
      })
      .def("splits", [](const sp::Manifest& manifest) {
        sp::NestedSplit design = manifest.splits();
        return py::make_tuple(to_numpy(std::move(design.holdout.train)), to_numpy(std::move(design.holdout.test)),
                              to_python(std::move(design.folds)));
      }, "(train-or-development, test, folds) index arrays.");

  m.def(
      "make_manifest",
      [](const sp::CohortRecord& record, const py::object& split, std::uint64_t seed, const std::string& kind) {
        if (kind == "holdout") return sp::make_manifest(record, to_split(split, "write_manifest"), seed);
        if (kind == "kfold") return sp::make_manifest(record, to_splits(split, "write_manifest"), seed);
        if (kind == "nested") {
          const auto parts = py::reinterpret_borrow<py::sequence>(split);
          sp::NestedSplit design{sp::Split{to_vector<std::int64_t>(Int64Array::ensure(parts[0]), "development"),
                                           to_vector<std::int64_t>(Int64Array::ensure(parts[1]), "test")},
                                 to_splits(parts[2], "write_manifest")};
          return sp::make_manifest(record, design, seed);
        }
        throw std::invalid_argument("make_manifest: kind must be 'holdout', 'kfold' or 'nested', got '" + kind + "'");
      },
      py::arg("record"), py::arg("split"), py::arg("seed"), py::arg("kind"));
  m.def("write_manifest", &sp::write_manifest, py::arg("path"), py::arg("manifest"),
        "Writes a manifest atomically (temporary file in the same folder, then rename).");
  m.def("read_manifest", py::overload_cast<const std::string&>(&sp::read_manifest), py::arg("path"));
  m.def("read_manifest", py::overload_cast<const std::string&, const sp::CohortRecord&>(&sp::read_manifest),
        py::arg("path"), py::arg("record"));
}

}  // namespace osteon::python
