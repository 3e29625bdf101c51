// osteon._C.data: synthetic cohorts (in memory and written to folders), datasets (TensorDataset,
// ManifestDataset, Subset) and the DataLoader, whose iteration releases the GIL while it loads.
// Transforms and sliding-window inference are in bind_data_transforms.cpp.
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "data_sample.hpp"
#include "osteon/data/dataset.hpp"
#include "osteon/data/loader.hpp"
#include "osteon/data/manifest_dataset.hpp"
#include "osteon/data/synthetic_files.hpp"

namespace osteon::python {
namespace {

namespace D = osteon::data;

template <typename T>
torch::Tensor tensor_of(std::vector<T>& values, std::vector<std::int64_t> shape, torch::ScalarType type) {
  return torch::from_blob(values.data(), shape, torch::TensorOptions().dtype(type)).clone();
}

D::SyntheticHipOptions hip_options(std::int64_t patients, std::int64_t image_size, double noise, double intercept, std::uint64_t seed) {
  return D::SyntheticHipOptions().patients(patients).image_size(image_size).noise(noise).intercept(intercept).seed(seed);
}
D::SyntheticFemurOptions femur_options(std::int64_t subjects, std::int64_t size, double noise, double female_fraction, std::uint64_t seed) {
  return D::SyntheticFemurOptions().subjects(subjects).size(size).noise(noise).female_fraction(female_fraction).seed(seed);
}
D::SyntheticVertebraOptions vertebra_options(std::int64_t subjects, std::int64_t size, double noise, double calibration_sd,
                                             std::uint64_t seed) {
  return D::SyntheticVertebraOptions().subjects(subjects).size(size).noise(noise).calibration_sd(calibration_sd).seed(seed);
}
D::SyntheticSijOptions sij_options(std::int64_t patients, std::int64_t size, double prevalence, double external_fraction, double noise,
                                   std::uint64_t seed) {
  return D::SyntheticSijOptions().patients(patients).size(size).prevalence(prevalence).external_fraction(external_fraction).noise(noise).seed(seed);
}

// One epoch of a DataLoader as a Python iterator.
struct PyEpoch {
  std::shared_ptr<D::DataLoader> loader;
  std::unique_ptr<D::DataLoader::Epoch> epoch;
};

}  // namespace

void bind_data(py::module_ m) {
  // --- synthetic cohorts -------------------------------------------------------------------
  const D::SyntheticHipOptions hip;
  m.def(
      "synthetic_hip_cohort",
      [](std::int64_t patients, std::int64_t image_size, double noise, double intercept, std::uint64_t seed) {
        auto cohort = D::synthetic_hip_cohort(hip_options(patients, image_size, noise, intercept, seed));
        const std::int64_t size = cohort.image_size;
        py::dict out;
        out["images"] = tensor_of(cohort.images, {cohort.hips(), 2, 1, size, size}, torch::kFloat);
        out["outcome"] = torch::tensor(std::vector<std::int64_t>(cohort.outcome.begin(), cohort.outcome.end()));
        out["hip_ids"] = cohort.hip_ids;
        out["patient_ids"] = cohort.patient_ids;
        out["joint_space_mm"] = torch::tensor(cohort.joint_space_mm, torch::kDouble);
        out["cam_size"] = torch::tensor(cohort.cam_size, torch::kDouble);
        out["risk"] = torch::tensor(cohort.risk, torch::kDouble);
        return out;
      },
      py::arg("patients") = hip.patients(), py::arg("image_size") = hip.image_size(), py::arg("noise") = hip.noise(),
      py::arg("intercept") = hip.intercept(), py::arg("seed") = hip.seed());
  m.def(
      "write_synthetic_hip_cohort",
      [](const std::string& folder, std::int64_t patients, std::int64_t image_size, double noise, double intercept, std::uint64_t seed) {
        py::gil_scoped_release release;
        return D::write_synthetic_hip_cohort(D::synthetic_hip_cohort(hip_options(patients, image_size, noise, intercept, seed)), folder);
      },
      py::arg("folder"), py::arg("patients") = hip.patients(), py::arg("image_size") = hip.image_size(), py::arg("noise") = hip.noise(),
      py::arg("intercept") = hip.intercept(), py::arg("seed") = hip.seed());

  const D::SyntheticFemurOptions femur;
  m.def(
      "synthetic_femur_cohort",
      [](std::int64_t subjects, std::int64_t size, double noise, double female_fraction, std::uint64_t seed) {
        auto cohort = D::synthetic_femur_cohort(femur_options(subjects, size, noise, female_fraction, seed));
        py::dict out;
        out["images"] = tensor_of(cohort.images, {cohort.subjects(), 1, size, size, size}, torch::kFloat);
        out["masks"] = tensor_of(cohort.masks, {cohort.subjects(), 1, size, size, size}, torch::kUInt8);
        out["subject_ids"] = cohort.subject_ids;
        out["sex"] = cohort.sex;
        out["femur_volume_ml"] = torch::tensor(cohort.femur_volume_ml, torch::kDouble);
        out["spacing"] = cohort.spacing;
        return out;
      },
      py::arg("subjects") = femur.subjects(), py::arg("size") = femur.size(), py::arg("noise") = femur.noise(),
      py::arg("female_fraction") = femur.female_fraction(), py::arg("seed") = femur.seed());
  m.def(
      "write_synthetic_femur_cohort",
      [](const std::string& folder, std::int64_t subjects, std::int64_t size, double noise, double female_fraction, std::uint64_t seed) {
        py::gil_scoped_release release;
        return D::write_synthetic_femur_cohort(D::synthetic_femur_cohort(femur_options(subjects, size, noise, female_fraction, seed)),
                                               folder);
      },
      py::arg("folder"), py::arg("subjects") = femur.subjects(), py::arg("size") = femur.size(), py::arg("noise") = femur.noise(),
      py::arg("female_fraction") = femur.female_fraction(), py::arg("seed") = femur.seed());

  const D::SyntheticVertebraOptions vertebra;
  m.def(
      "synthetic_vertebra_cohort",
      [](std::int64_t subjects, std::int64_t size, double noise, double calibration_sd, std::uint64_t seed) {
        auto cohort = D::synthetic_vertebra_cohort(vertebra_options(subjects, size, noise, calibration_sd, seed));
        py::dict out;
        out["images"] = tensor_of(cohort.images, {cohort.subjects(), 1, size, size, size}, torch::kFloat);
        out["masks"] = tensor_of(cohort.masks, {cohort.subjects(), 1, size, size, size}, torch::kUInt8);
        out["subject_ids"] = cohort.subject_ids;
        out["sex"] = cohort.sex;
        out["bmd"] = torch::tensor(cohort.bmd, torch::kDouble);
        out["density_class"] = torch::tensor(std::vector<std::int64_t>(cohort.density_class.begin(), cohort.density_class.end()));
        out["spacing"] = cohort.spacing;
        return out;
      },
      py::arg("subjects") = vertebra.subjects(), py::arg("size") = vertebra.size(), py::arg("noise") = vertebra.noise(),
      py::arg("calibration_sd") = vertebra.calibration_sd(), py::arg("seed") = vertebra.seed());
  m.def(
      "write_synthetic_vertebra_cohort",
      [](const std::string& folder, std::int64_t subjects, std::int64_t size, double noise, double calibration_sd, std::uint64_t seed) {
        py::gil_scoped_release release;
        return D::write_synthetic_vertebra_cohort(
            D::synthetic_vertebra_cohort(vertebra_options(subjects, size, noise, calibration_sd, seed)), folder);
      },
      py::arg("folder"), py::arg("subjects") = vertebra.subjects(), py::arg("size") = vertebra.size(),
      py::arg("noise") = vertebra.noise(), py::arg("calibration_sd") = vertebra.calibration_sd(), py::arg("seed") = vertebra.seed());

  const D::SyntheticSijOptions sij;
  m.def(
      "synthetic_sij_cohort",
      [](std::int64_t patients, std::int64_t size, double prevalence, double external_fraction, double noise, std::uint64_t seed) {
        auto cohort = D::synthetic_sij_cohort(sij_options(patients, size, prevalence, external_fraction, noise, seed));
        py::dict out;
        out["images"] = tensor_of(cohort.images, {cohort.patients(), 1, size, size}, torch::kFloat);
        out["masks"] = tensor_of(cohort.masks, {cohort.patients(), 1, size, size}, torch::kUInt8);
        out["patient_ids"] = cohort.patient_ids;
        out["axspa"] = torch::tensor(std::vector<std::int64_t>(cohort.axspa.begin(), cohort.axspa.end()));
        out["centre"] = cohort.centre;
        out["lesions"] = torch::tensor(cohort.lesions);
        out["spacing"] = cohort.spacing;
        return out;
      },
      py::arg("patients") = sij.patients(), py::arg("size") = sij.size(), py::arg("prevalence") = sij.prevalence(),
      py::arg("external_fraction") = sij.external_fraction(), py::arg("noise") = sij.noise(), py::arg("seed") = sij.seed());
  m.def(
      "write_synthetic_sij_cohort",
      [](const std::string& folder, std::int64_t patients, std::int64_t size, double prevalence, double external_fraction, double noise,
         std::uint64_t seed) {
        py::gil_scoped_release release;
        return D::write_synthetic_sij_cohort(
            D::synthetic_sij_cohort(sij_options(patients, size, prevalence, external_fraction, noise, seed)), folder);
      },
      py::arg("folder"), py::arg("patients") = sij.patients(), py::arg("size") = sij.size(), py::arg("prevalence") = sij.prevalence(),
      py::arg("external_fraction") = sij.external_fraction(), py::arg("noise") = sij.noise(), py::arg("seed") = sij.seed());

  // --- datasets ----------------------------------------------------------------------------
  py::class_<D::Dataset, std::shared_ptr<D::Dataset>>(m, "Dataset", "Base of osteon's datasets: len(d), d[i] → sample dict")
      .def("__len__", &D::Dataset::size)
      .def("__getitem__",
           [](const D::Dataset& d, std::int64_t index) {
             if (index < 0) index += d.size();
             D::Sample sample;
             {
               py::gil_scoped_release release;
               sample = d.get(index);
             }
             return sample_to_dict(sample, false);
           },
           py::arg("index"))
      .def("groups", &D::Dataset::groups);

  const D::TensorDatasetOptions tensor_defaults;
  py::class_<D::TensorDataset, D::Dataset, std::shared_ptr<D::TensorDataset>>(m, "TensorDataset", "Samples that are rows of tensors")
      .def(py::init([](torch::Tensor images, std::optional<torch::Tensor> masks, std::optional<torch::Tensor> labels, std::int64_t views,
                       std::vector<std::string> ids, std::vector<std::string> groups, std::vector<double> spacing) {
             return std::make_shared<D::TensorDataset>(std::move(images), D::TensorDatasetOptions()
                                                                              .masks(masks.value_or(torch::Tensor()))
                                                                              .labels(labels.value_or(torch::Tensor()))
                                                                              .views(views)
                                                                              .ids(std::move(ids))
                                                                              .groups(std::move(groups))
                                                                              .spacing(std::move(spacing)));
           }),
           py::arg("images"), py::arg("masks") = py::none(), py::arg("labels") = py::none(), py::arg("views") = tensor_defaults.views(),
           py::arg("ids") = tensor_defaults.ids(), py::arg("groups") = tensor_defaults.groups(), py::arg("spacing") = tensor_defaults.spacing());

  const D::ManifestDatasetOptions manifest;
  py::class_<D::ManifestDataset, D::Dataset, std::shared_ptr<D::ManifestDataset>>(m, "ManifestDataset", "A study described by a manifest CSV")
      .def(py::init([](const std::string& path, const std::vector<std::string>& image_columns, const std::string& mask_column,
                       const std::vector<std::string>& label_columns, const std::vector<std::string>& strata_columns,
                       const std::string& id_column, const std::string& group_column, const std::string& fold_column,
                       const std::string& split_manifest, const std::vector<std::string>& folds) {
             return std::make_shared<D::ManifestDataset>(path, D::ManifestDatasetOptions()
                                                                   .image_columns(image_columns)
                                                                   .mask_column(mask_column)
                                                                   .label_columns(label_columns)
                                                                   .strata_columns(strata_columns)
                                                                   .id_column(id_column)
                                                                   .group_column(group_column)
                                                                   .fold_column(fold_column)
                                                                   .split_manifest(split_manifest)
                                                                   .folds(folds));
           }),
           py::arg("path"), py::arg("image_columns") = manifest.image_columns(), py::arg("mask_column") = manifest.mask_column(),
           py::arg("label_columns") = manifest.label_columns(), py::arg("strata_columns") = manifest.strata_columns(),
           py::arg("id_column") = manifest.id_column(), py::arg("group_column") = manifest.group_column(),
           py::arg("fold_column") = manifest.fold_column(), py::arg("split_manifest") = manifest.split_manifest(),
           py::arg("folds") = manifest.folds())
      .def("ids", &D::ManifestDataset::ids)
      .def("labels", &D::ManifestDataset::labels)
      .def("indices_of_fold", &D::ManifestDataset::indices_of_fold, py::arg("fold"))
      .def_property_readonly("path", &D::ManifestDataset::path);

  py::class_<D::Subset, D::Dataset, std::shared_ptr<D::Subset>>(m, "Subset", "Some samples of another dataset, by index")
      .def(py::init([](std::shared_ptr<D::Dataset> dataset, std::vector<std::int64_t> indices) {
             return std::make_shared<D::Subset>(std::move(dataset), std::move(indices));
           }),
           py::arg("dataset"), py::arg("indices"));

  // --- loader ------------------------------------------------------------------------------
  py::class_<PyEpoch>(m, "LoaderEpoch", "One pass over a DataLoader")
      .def("__iter__", [](PyEpoch& self) -> PyEpoch& { return self; }, py::return_value_policy::reference_internal)
      .def("__next__",
           [](PyEpoch& self) {
             std::optional<D::Batch> batch;
             {
               py::gil_scoped_release release;
               batch = self.epoch->next();
             }
             if (!batch) throw py::stop_iteration();
             return batch_to_dict(*batch);
           })
      .def("__len__", [](const PyEpoch& self) { return self.epoch->size(); });

  const D::DataLoaderOptions loader;
  py::class_<D::DataLoader, std::shared_ptr<D::DataLoader>>(m, "DataLoader", "Batches of a dataset; see osteon.data.DataLoader")
      .def(py::init([](std::shared_ptr<D::Dataset> dataset, std::shared_ptr<D::Transform> transform, std::int64_t batch_size, bool shuffle,
                       std::uint64_t seed, std::int64_t num_workers, std::int64_t prefetch_factor, bool drop_last, bool cache,
                       bool group_batches) {
             return std::make_shared<D::DataLoader>(std::move(dataset), std::move(transform),
                                                    D::DataLoaderOptions()
                                                        .batch_size(batch_size)
                                                        .shuffle(shuffle)
                                                        .seed(seed)
                                                        .num_workers(num_workers)
                                                        .prefetch_factor(prefetch_factor)
                                                        .drop_last(drop_last)
                                                        .cache(cache)
                                                        .group_batches(group_batches));
           }),
           py::arg("dataset"), py::arg("transform") = nullptr, py::arg("batch_size") = loader.batch_size(),
           py::arg("shuffle") = loader.shuffle(), py::arg("seed") = loader.seed(), py::arg("num_workers") = loader.num_workers(),
           py::arg("prefetch_factor") = loader.prefetch_factor(), py::arg("drop_last") = loader.drop_last(),
           py::arg("cache") = loader.cache(), py::arg("group_batches") = loader.group_batches())
      .def("__len__", &D::DataLoader::size)
      .def("__iter__",
           [](std::shared_ptr<D::DataLoader> self) {
             const auto epoch = self->next_epoch();
             self->set_next_epoch(epoch + 1);
             return PyEpoch{self, self->epoch(epoch)};
           })
      .def("epoch", [](std::shared_ptr<D::DataLoader> self, std::int64_t epoch) { return PyEpoch{self, self->epoch(epoch)}; },
           py::arg("epoch"))
      .def("batch_indices", &D::DataLoader::batch_indices, py::arg("epoch"))
      .def_property("next_epoch", &D::DataLoader::next_epoch, &D::DataLoader::set_next_epoch);
}

}  // namespace osteon::python
