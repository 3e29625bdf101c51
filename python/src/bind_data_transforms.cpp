// osteon._C.data.transforms (MONAI-named transforms on dict samples) and
// osteon._C.data.sliding_window_inference. Defaults come from the C++ options objects.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "data_sample.hpp"
#include "osteon/data/sliding_window.hpp"
#include "osteon/data/transforms.hpp"

namespace osteon::python {
namespace {

namespace D = osteon::data;
using TransformClass = py::class_<D::Transform, std::shared_ptr<D::Transform>>;

template <typename T>
std::vector<T> one_or_many(const py::object& value) {
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) return value.cast<std::vector<T>>();
  return {value.cast<T>()};
}

template <typename T, typename... Args>
py::class_<T, D::Transform, std::shared_ptr<T>> transform_class(py::module_& m, const char* name, const char* doc) {
  return py::class_<T, D::Transform, std::shared_ptr<T>>(m, name, doc);
}

}  // namespace

void bind_data_transforms(py::module_ data) {
  const D::SlidingWindowOptions sw;
  data.def(
      "sliding_window_inference",
      [](const torch::Tensor& inputs, const py::object& roi_size, std::int64_t sw_batch_size, const py::object& predictor,
         const py::object& overlap, const std::string& mode, const py::object& sigma_scale, const std::string& padding_mode,
         double cval) {
        const D::Predictor call = [&predictor](const torch::Tensor& x) {
          py::object out = predictor(x);
          return out.cast<torch::Tensor>();
        };
        return D::sliding_window_inference(inputs, one_or_many<std::int64_t>(roi_size), sw_batch_size, call,
                                           D::SlidingWindowOptions()
                                               .overlap(one_or_many<double>(overlap))
                                               .mode(mode)
                                               .sigma_scale(one_or_many<double>(sigma_scale))
                                               .padding_mode(padding_mode)
                                               .cval(cval));
      },
      py::arg("inputs"), py::arg("roi_size"), py::arg("sw_batch_size"), py::arg("predictor"),
      py::arg("overlap") = sw.overlap().front(), py::arg("mode") = sw.mode(), py::arg("sigma_scale") = sw.sigma_scale().front(),
      py::arg("padding_mode") = sw.padding_mode(), py::arg("cval") = sw.cval());

  auto m = data.def_submodule("transforms", "MONAI-named transforms on dict samples");
  TransformClass(m, "Transform", "Base of osteon's transforms: t(sample, seed=0) → sample; t.expand(sample, seed) → list")
      .def("__call__",
           [](const D::Transform& t, const py::dict& sample, std::uint64_t seed) {
             const bool listed = py::isinstance<py::list>(sample["image"]);
             D::Sample out;
             {
               auto in = sample_from_dict(sample);
               py::gil_scoped_release release;
               out = t(std::move(in), seed);
             }
             return sample_to_dict(out, listed);
           },
           py::arg("sample"), py::arg("seed") = 0)
      .def("expand",
           [](const D::Transform& t, const py::dict& sample, std::uint64_t seed) {
             const bool listed = py::isinstance<py::list>(sample["image"]);
             std::vector<D::Sample> out;
             {
               auto in = sample_from_dict(sample);
               py::gil_scoped_release release;
               osteon::Pcg32 rng(seed);
               out = t.expand(std::move(in), rng);
             }
             py::list samples;
             for (const auto& s : out) samples.append(sample_to_dict(s, listed));
             return samples;
           },
           py::arg("sample"), py::arg("seed") = 0)
      .def_property_readonly("name", &D::Transform::name)
      .def("__repr__", [](const D::Transform& t) { return "<osteon.data.transforms." + t.name() + ">"; });

  transform_class<D::Compose>(m, "Compose", "Transforms applied in order (MONAI's Compose)")
      .def(py::init([](const std::vector<std::shared_ptr<D::Transform>>& transforms) {
             return std::make_shared<D::Compose>(std::vector<D::TransformPtr>(transforms.begin(), transforms.end()));
           }),
           py::arg("transforms"));

  const D::ResizeOptions resize({-1});
  transform_class<D::Resize>(m, "Resize", "MONAI's Resize (torch interpolate; masks nearest)")
      .def(py::init([](const py::object& spatial_size, const std::string& mode, std::optional<bool> align_corners) {
             return std::make_shared<D::Resize>(
                 D::ResizeOptions(one_or_many<std::int64_t>(spatial_size)).mode(mode).align_corners(align_corners));
           }),
           py::arg("spatial_size"), py::arg("mode") = resize.mode(), py::arg("align_corners") = py::none());
  const D::SpacingOptions spacing({1.0});
  transform_class<D::Spacing>(m, "Spacing", "MONAI's Spacing for axis-aligned images (needs sample['spacing'])")
      .def(py::init([](const py::object& pixdim, const std::string& mode, const std::string& padding_mode) {
             return std::make_shared<D::Spacing>(D::SpacingOptions(one_or_many<double>(pixdim)).mode(mode).padding_mode(padding_mode));
           }),
           py::arg("pixdim"), py::arg("mode") = spacing.mode(), py::arg("padding_mode") = spacing.padding_mode());
  const D::SpatialPadOptions pad({-1});
  transform_class<D::SpatialPad>(m, "SpatialPad", "MONAI's SpatialPad")
      .def(py::init([](const py::object& spatial_size, const std::string& method, const std::string& mode, double value) {
             return std::make_shared<D::SpatialPad>(
                 D::SpatialPadOptions(one_or_many<std::int64_t>(spatial_size)).method(method).mode(mode).value(value));
           }),
           py::arg("spatial_size"), py::arg("method") = pad.method(), py::arg("mode") = pad.mode(), py::arg("value") = pad.value());
  const D::DivisiblePadOptions divisible({1});
  transform_class<D::DivisiblePad>(m, "DivisiblePad", "MONAI's DivisiblePad (to a multiple of k)")
      .def(py::init([](const py::object& k, const std::string& method, const std::string& mode, double value) {
             return std::make_shared<D::DivisiblePad>(
                 D::DivisiblePadOptions(one_or_many<std::int64_t>(k)).method(method).mode(mode).value(value));
           }),
           py::arg("k"), py::arg("method") = divisible.method(), py::arg("mode") = divisible.mode(),
           py::arg("value") = divisible.value());
  transform_class<D::CenterSpatialCrop>(m, "CenterSpatialCrop", "MONAI's CenterSpatialCrop")
      .def(py::init([](const py::object& roi_size) { return std::make_shared<D::CenterSpatialCrop>(one_or_many<std::int64_t>(roi_size)); }),
           py::arg("roi_size"));
  const D::CropForegroundOptions foreground;
  transform_class<D::CropForeground>(m, "CropForeground", "MONAI's CropForeground")
      .def(py::init([](const std::string& source, double threshold, const py::object& margin, bool allow_smaller,
                       const py::object& k_divisible) {
             return std::make_shared<D::CropForeground>(D::CropForegroundOptions()
                                                            .source(source)
                                                            .threshold(threshold)
                                                            .margin(one_or_many<std::int64_t>(margin))
                                                            .allow_smaller(allow_smaller)
                                                            .k_divisible(one_or_many<std::int64_t>(k_divisible)));
           }),
           py::arg("source") = foreground.source(), py::arg("threshold") = foreground.threshold(),
           py::arg("margin") = foreground.margin().front(), py::arg("allow_smaller") = foreground.allow_smaller(),
           py::arg("k_divisible") = foreground.k_divisible().front());
  transform_class<D::ScaleIntensityRange>(m, "ScaleIntensityRange", "MONAI's ScaleIntensityRange (a HU window)")
      .def(py::init([](double a_min, double a_max, std::optional<double> b_min, std::optional<double> b_max, bool clip) {
             return std::make_shared<D::ScaleIntensityRange>(
                 D::ScaleIntensityRangeOptions(a_min, a_max).b_min(b_min).b_max(b_max).clip(clip));
           }),
           py::arg("a_min"), py::arg("a_max"), py::arg("b_min") = py::none(), py::arg("b_max") = py::none(),
           py::arg("clip") = false);
  transform_class<D::ScaleIntensityRangePercentiles>(m, "ScaleIntensityRangePercentiles", "MONAI's ScaleIntensityRangePercentiles")
      .def(py::init([](double lower, double upper, std::optional<double> b_min, std::optional<double> b_max, bool clip,
                       bool relative, bool channel_wise) {
             return std::make_shared<D::ScaleIntensityRangePercentiles>(
                 D::ScaleIntensityRangePercentilesOptions(lower, upper, b_min, b_max).clip(clip).relative(relative).channel_wise(channel_wise));
           }),
           py::arg("lower"), py::arg("upper"), py::arg("b_min"), py::arg("b_max"), py::arg("clip") = false,
           py::arg("relative") = false, py::arg("channel_wise") = false);
  const D::NormalizeIntensityOptions normalize;
  transform_class<D::NormalizeIntensity>(m, "NormalizeIntensity", "MONAI's NormalizeIntensity (z-score)")
      .def(py::init([](const py::object& subtrahend, const py::object& divisor, bool nonzero, bool channel_wise) {
             return std::make_shared<D::NormalizeIntensity>(
                 D::NormalizeIntensityOptions()
                     .subtrahend(subtrahend.is_none() ? std::vector<double>{} : one_or_many<double>(subtrahend))
                     .divisor(divisor.is_none() ? std::vector<double>{} : one_or_many<double>(divisor))
                     .nonzero(nonzero)
                     .channel_wise(channel_wise));
           }),
           py::arg("subtrahend") = py::none(), py::arg("divisor") = py::none(), py::arg("nonzero") = normalize.nonzero(),
           py::arg("channel_wise") = normalize.channel_wise());
  m.def("imagenet_normalize", [](std::int64_t channels) { return std::shared_ptr<D::NormalizeIntensity>(D::imagenet_normalize(channels)); },
        py::arg("channels") = 3, "ImageNet mean / SD normalisation of images scaled to [0, 1]");
  const D::RandFlipOptions flip;
  transform_class<D::RandFlip>(m, "RandFlip", "MONAI's RandFlip")
      .def(py::init([](double prob, const py::object& spatial_axis) {
             return std::make_shared<D::RandFlip>(D::RandFlipOptions().prob(prob).spatial_axis(
                 spatial_axis.is_none() ? std::vector<std::int64_t>{} : one_or_many<std::int64_t>(spatial_axis)));
           }),
           py::arg("prob") = flip.prob(), py::arg("spatial_axis") = py::none());
  const D::RandRotate90Options rot90;
  transform_class<D::RandRotate90>(m, "RandRotate90", "MONAI's RandRotate90")
      .def(py::init([](double prob, std::int64_t max_k, const std::vector<std::int64_t>& spatial_axes) {
             return std::make_shared<D::RandRotate90>(D::RandRotate90Options().prob(prob).max_k(max_k).spatial_axes(spatial_axes));
           }),
           py::arg("prob") = rot90.prob(), py::arg("max_k") = rot90.max_k(), py::arg("spatial_axes") = rot90.spatial_axes());
  const D::RandAffineOptions affine;
  transform_class<D::RandAffine>(m, "RandAffine", "MONAI's RandAffine (rotation, scale, translation)")
      .def(py::init([](double prob, const py::object& rotate_range, const py::object& scale_range, const py::object& translate_range,
                       const std::string& mode, const std::string& padding_mode) {
             const auto list = [](const py::object& v) { return v.is_none() ? std::vector<double>{} : one_or_many<double>(v); };
             return std::make_shared<D::RandAffine>(D::RandAffineOptions()
                                                        .prob(prob)
                                                        .rotate_range(list(rotate_range))
                                                        .scale_range(list(scale_range))
                                                        .translate_range(list(translate_range))
                                                        .mode(mode)
                                                        .padding_mode(padding_mode));
           }),
           py::arg("prob") = affine.prob(), py::arg("rotate_range") = py::none(), py::arg("scale_range") = py::none(),
           py::arg("translate_range") = py::none(), py::arg("mode") = affine.mode(), py::arg("padding_mode") = affine.padding_mode());
  const D::RandGaussianNoiseOptions noise;
  transform_class<D::RandGaussianNoise>(m, "RandGaussianNoise", "MONAI's RandGaussianNoise")
      .def(py::init([](double prob, double mean, double std, bool sample_std) {
             return std::make_shared<D::RandGaussianNoise>(D::RandGaussianNoiseOptions().prob(prob).mean(mean).std(std).sample_std(sample_std));
           }),
           py::arg("prob") = noise.prob(), py::arg("mean") = noise.mean(), py::arg("std") = noise.std(),
           py::arg("sample_std") = noise.sample_std());
  const D::RandShiftIntensityOptions shift({0.0});
  transform_class<D::RandShiftIntensity>(m, "RandShiftIntensity", "MONAI's RandShiftIntensity")
      .def(py::init([](const py::object& offsets, double prob) {
             return std::make_shared<D::RandShiftIntensity>(D::RandShiftIntensityOptions(one_or_many<double>(offsets)).prob(prob));
           }),
           py::arg("offsets"), py::arg("prob") = shift.prob());
  const D::RandScaleIntensityOptions scale({0.0});
  transform_class<D::RandScaleIntensity>(m, "RandScaleIntensity", "MONAI's RandScaleIntensity")
      .def(py::init([](const py::object& factors, double prob) {
             return std::make_shared<D::RandScaleIntensity>(D::RandScaleIntensityOptions(one_or_many<double>(factors)).prob(prob));
           }),
           py::arg("factors"), py::arg("prob") = scale.prob());
  transform_class<D::RandSpatialCrop>(m, "RandSpatialCrop", "MONAI's RandSpatialCrop (fixed size, random centre)")
      .def(py::init([](const py::object& roi_size) { return std::make_shared<D::RandSpatialCrop>(one_or_many<std::int64_t>(roi_size)); }),
           py::arg("roi_size"));
  const D::RandCropByPosNegLabelOptions posneg({-1});
  transform_class<D::RandCropByPosNegLabel>(m, "RandCropByPosNegLabel", "MONAI's RandCropByPosNegLabel (use expand for num_samples > 1)")
      .def(py::init([](const py::object& spatial_size, double pos, double neg, std::int64_t num_samples, std::optional<double> image_threshold,
                       bool allow_smaller) {
             return std::make_shared<D::RandCropByPosNegLabel>(D::RandCropByPosNegLabelOptions(one_or_many<std::int64_t>(spatial_size))
                                                                   .pos(pos)
                                                                   .neg(neg)
                                                                   .num_samples(num_samples)
                                                                   .use_image(image_threshold.has_value())
                                                                   .image_threshold(image_threshold.value_or(0.0))
                                                                   .allow_smaller(allow_smaller));
           }),
           py::arg("spatial_size"), py::arg("pos") = posneg.pos(), py::arg("neg") = posneg.neg(),
           py::arg("num_samples") = posneg.num_samples(), py::arg("image_threshold") = py::none(),
           py::arg("allow_smaller") = posneg.allow_smaller());
}

}  // namespace osteon::python
