// osteon._C.data: the built-in synthetic hip cohort (osteon/data/synthetic_hips.hpp).
#include <osteon/data/synthetic_hips.hpp>

#include "bindings.hpp"

namespace osteon::python {

void bind_data(py::module_ m) {
  m.def(
      "synthetic_hip_cohort",
      [](std::int64_t patients, std::int64_t image_size, double noise, double intercept, std::uint64_t seed) {
        auto cohort = osteon::data::synthetic_hip_cohort(osteon::data::SyntheticHipOptions()
                                                              .patients(patients)
                                                              .image_size(image_size)
                                                              .noise(noise)
                                                              .intercept(intercept)
                                                              .seed(seed));
        const std::int64_t size = cohort.image_size;
        py::dict out;
        out["images"] = torch::from_blob(cohort.images.data(), {cohort.hips(), 2, 1, size, size}).clone();
        out["outcome"] = torch::tensor(std::vector<std::int64_t>(cohort.outcome.begin(), cohort.outcome.end()));
        out["hip_ids"] = cohort.hip_ids;
        out["patient_ids"] = cohort.patient_ids;
        out["joint_space_mm"] = torch::tensor(cohort.joint_space_mm, torch::kDouble);
        out["cam_size"] = torch::tensor(cohort.cam_size, torch::kDouble);
        out["risk"] = torch::tensor(cohort.risk, torch::kDouble);
        return out;
      },
      py::arg("patients"), py::arg("image_size"), py::arg("noise"), py::arg("intercept"), py::arg("seed"));
}

}  // namespace osteon::python
