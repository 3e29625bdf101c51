#!/usr/bin/python3
"""Regenerate tests/data/data_monai/: MONAI's outputs for osteon's data layer (sliding-window
inference, deterministic transforms, RandCropByPosNegLabel's centre correction).

Usage (from the repository root, with a MONAI source tree on PYTHONPATH, e.g. the 1.3.2 tag):
    PYTHONPATH=/tmp/monai-src /usr/bin/python3 scripts/make_reference_data_monai.py
Needs torch + numpy only. Produced with MONAI 1.3.2 and torch 1.13.1 (Debian). Every file is a
torch.save of a flat {name: tensor} dict (osteon::io::load_state_dict_file reads it); the
cases and their arguments are listed in manifest.json, and the C++ / Python tests repeat them.

Sliding window: the predictor is sigmoid(conv(x, weight, bias, padding=1)) with the weights
stored in the file, so that C++ and Python can run the same network; a convolution with zero
padding sees the window's border, so that overlapping windows disagree and the blending matters.
"""
import json
import os

import numpy as np
import torch

import monai
from monai.inferers import sliding_window_inference
from monai.data import MetaTensor
from monai.transforms import (CenterSpatialCrop, CropForeground, DivisiblePad, NormalizeIntensity, Resize,
                              ScaleIntensityRange, ScaleIntensityRangePercentiles, Spacing, SpatialPad)
from monai.transforms.utils import correct_crop_centers

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "data_monai")

SLIDING_CASES = [
    # name, input shape, roi_size, sw_batch_size, keyword arguments
    ("sw3d_constant", (2, 2, 20, 23, 17), (8, 10, 8), 3, dict(overlap=0.25, mode="constant")),
    ("sw3d_gaussian", (1, 1, 19, 16, 21), (10, 8, 12), 4, dict(overlap=0.5, mode="gaussian", sigma_scale=0.125)),
    ("sw2d_gaussian_axes", (2, 1, 37, 29), (16, 12), 5,
     dict(overlap=(0.3, 0.6), mode="gaussian", sigma_scale=(0.2, 0.1))),
    ("sw2d_pad_reflect", (1, 2, 9, 30), (12, 10), 2, dict(overlap=0.25, mode="constant", padding_mode="reflect")),
    ("sw2d_pad_cval", (1, 1, 7, 7), (10, 4), 1, dict(overlap=0.0, mode="gaussian", padding_mode="constant", cval=0.5)),
]


def predictor_for(weight, bias):
    conv = torch.nn.functional.conv3d if weight.dim() == 5 else torch.nn.functional.conv2d
    return lambda x: torch.sigmoid(conv(x, weight, bias, padding=1))


def main():
    os.makedirs(OUT, exist_ok=True)
    generator = torch.Generator().manual_seed(1234)
    manifest = {"monai": monai.__version__, "torch": torch.__version__, "sliding_window": [], "transforms": []}
    for name, shape, roi, sw_batch, kwargs in SLIDING_CASES:
        dims = len(shape) - 2
        inputs = torch.randn(shape, generator=generator)
        weight = torch.randn((3, shape[1]) + (3,) * dims, generator=generator) * 0.3
        bias = torch.randn(3, generator=generator) * 0.1
        output = sliding_window_inference(inputs, roi, sw_batch, predictor_for(weight, bias), **kwargs)
        torch.save({"input": inputs, "weight": weight, "bias": bias, "output": output.as_tensor().clone() if isinstance(output, MetaTensor) else output.clone()},
                   os.path.join(OUT, name + ".pt"))
        manifest["sliding_window"].append({"name": name, "roi_size": list(roi), "sw_batch_size": sw_batch,
                                           "kwargs": {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()}})

    # Deterministic transforms on one 3-D image (2 channels) and one 2-D image.
    image3 = torch.rand((2, 13, 10, 15), generator=generator) * 2000 - 1000
    image3[:, :2] = 0  # a zero margin for CropForeground and nonzero normalisation
    image3[:, :, -3:] = 0
    image2 = torch.rand((1, 17, 22), generator=generator)
    tensors = {"image3": image3.clone(), "image2": image2.clone()}  # every MONAI call gets its own copy

    def record(name, value, **kwargs):
        plain = value.as_tensor() if isinstance(value, MetaTensor) else torch.as_tensor(value)
        tensors[name] = plain.detach().clone().float()
        manifest["transforms"].append({"name": name, "kwargs": kwargs})

    record("resize_area", Resize((7, 12, 9), mode="area")(image3.clone()), spatial_size=[7, 12, 9], mode="area")
    record("resize_trilinear", Resize((20, 8, 11), mode="trilinear")(image3.clone()), spatial_size=[20, 8, 11], mode="trilinear")
    record("resize_nearest", Resize((9, 31), mode="nearest")(image2.clone()), spatial_size=[9, 31], mode="nearest")
    record("resize_bilinear_ac", Resize((30, 11), mode="bilinear", align_corners=True)(image2.clone()),
           spatial_size=[30, 11], mode="bilinear", align_corners=True)
    record("center_crop", CenterSpatialCrop((6, 7, 20))(image3.clone()), roi_size=[6, 7, 20])
    record("center_crop_2d", CenterSpatialCrop((8, 9))(image2.clone()), roi_size=[8, 9])
    record("spatial_pad", SpatialPad((16, 11, 15))(image3.clone()), spatial_size=[16, 11, 15])
    record("spatial_pad_end_reflect", SpatialPad((20, 25), method="end", mode="reflect")(image2.clone()),
           spatial_size=[20, 25], method="end", mode="reflect")
    record("divisible_pad", DivisiblePad(8)(image3.clone()), k=8)
    record("crop_foreground", CropForeground(margin=1, k_divisible=4)(image3.clone()), margin=1, k_divisible=4)
    record("crop_foreground_plain", CropForeground()(image3.clone()))
    record("scale_range", ScaleIntensityRange(-500, 800, 0.0, 1.0, clip=True)(image3.clone()),
           a_min=-500, a_max=800, b_min=0.0, b_max=1.0, clip=True)
    record("scale_range_noclip", ScaleIntensityRange(-500, 800, -1.0, 1.0)(image3.clone()), a_min=-500, a_max=800, b_min=-1.0, b_max=1.0)
    record("percentiles", ScaleIntensityRangePercentiles(5, 95, 0.0, 1.0, clip=True)(image3.clone()),
           lower=5, upper=95, b_min=0.0, b_max=1.0, clip=True)
    record("percentiles_relative_cw", ScaleIntensityRangePercentiles(10, 90, 0.0, 1.0, relative=True, channel_wise=True)(image3.clone()),
           lower=10, upper=90, b_min=0.0, b_max=1.0, relative=True, channel_wise=True)
    record("normalize", NormalizeIntensity()(image3.clone()))
    record("normalize_nonzero_cw", NormalizeIntensity(nonzero=True, channel_wise=True)(image3.clone()), nonzero=True, channel_wise=True)
    record("normalize_fixed_cw", NormalizeIntensity(subtrahend=[100.0, -50.0], divisor=[300.0, 200.0], channel_wise=True)(image3.clone()),
           subtrahend=[100.0, -50.0], divisor=[300.0, 200.0], channel_wise=True)
    spacing_in = MetaTensor(image3.clone(), affine=torch.diag(torch.tensor([1.5, 0.8, 1.0, 1.0], dtype=torch.float64)))
    record("spacing", Spacing(pixdim=(1.0, 1.1, 0.7), mode="bilinear", padding_mode="border")(spacing_in),
           pixdim=[1.0, 1.1, 0.7], spacing=[1.5, 0.8, 1.0])
    record("spacing_nearest", Spacing(pixdim=(2.0, 0.5, 1.3), mode="nearest", padding_mode="border")(spacing_in),
           pixdim=[2.0, 0.5, 1.3], spacing=[1.5, 0.8, 1.0], mode="nearest")

    # RandCropByPosNegLabel: MONAI's correction of a drawn centre into the valid range.
    cases = []
    for shape, size in (((20, 16, 12), (8, 8, 8)), ((9, 7), (4, 5)), ((10, 11, 6), (10, 3, 5))):
        for centre in np.ndindex(*shape):
            if np.random.RandomState(sum(centre)).rand() < 0.05 or all(c in (0, s - 1) for c, s in zip(centre, shape)):
                corrected = correct_crop_centers(list(centre), size, shape)
                cases.append(list(shape) + [-1] * (3 - len(shape)) + list(size) + [-1] * (3 - len(size)) +
                             list(centre) + [-1] * (3 - len(centre)) + [int(c) for c in corrected] + [-1] * (3 - len(shape)))
    tensors["crop_centres"] = torch.tensor(cases, dtype=torch.int64)
    torch.save(tensors, os.path.join(OUT, "transforms.pt"))
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
