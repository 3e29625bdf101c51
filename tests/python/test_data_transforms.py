"""osteon.data.transforms and sliding_window_inference against MONAI 1.3.2's outputs
(tests/data/data_monai, written by scripts/make_reference_data_monai.py) and torch reference ops."""
import json
import os

import pytest
import torch

import osteon
from osteon.data import transforms as T

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "data", "data_monai")


def load(name):
    return torch.load(os.path.join(FIXTURES, name))


def manifest():
    with open(os.path.join(FIXTURES, "manifest.json")) as f:
        return json.load(f)


@pytest.mark.parametrize("case", manifest()["sliding_window"], ids=lambda c: c["name"])
def test_sliding_window_equals_monai(case):
    data = load(case["name"] + ".pt")
    weight, bias = data["weight"], data["bias"]
    conv = torch.nn.functional.conv3d if weight.dim() == 5 else torch.nn.functional.conv2d
    calls = []

    def predictor(x):
        calls.append(x.shape[0])
        return torch.sigmoid(conv(x, weight, bias, padding=1))

    out = osteon.data.sliding_window_inference(data["input"], case["roi_size"], case["sw_batch_size"], predictor,
                                               **case["kwargs"])
    assert out.shape == data["output"].shape
    assert torch.allclose(out, data["output"], atol=1e-5, rtol=0)
    assert max(calls) <= case["sw_batch_size"]


def test_sliding_window_with_an_osteon_module_and_errors():
    net = osteon.nn.UNet(spatial_dims=2, in_channels=1, out_channels=2, channels=(4, 8), strides=(2,)).eval()
    x = torch.randn(1, 1, 16, 16)
    with torch.no_grad():
        assert torch.allclose(osteon.data.sliding_window_inference(x, 16, 1, net), net(x), atol=1e-6)
        assert osteon.data.sliding_window_inference(torch.randn(2, 1, 30, 21), (16, 16), 3, net, overlap=0.5,
                                                    mode="gaussian").shape == (2, 2, 30, 21)
    with pytest.raises(RuntimeError, match="sw_batch_size must be >= 1, got 0"):
        osteon.data.sliding_window_inference(x, 8, 0, net)
    with pytest.raises(RuntimeError, match='mode must be "constant" or "gaussian", got "mean"'):
        osteon.data.sliding_window_inference(x, 8, 1, net, mode="mean")


CASES = [
    # fixture name, transform, input name, tolerance
    ("resize_area", lambda: T.Resize((7, 12, 9), mode="area"), "image3", 1e-3),
    ("resize_trilinear", lambda: T.Resize((20, 8, 11), mode="trilinear"), "image3", 1e-3),
    ("resize_nearest", lambda: T.Resize((9, 31), mode="nearest"), "image2", 0),
    ("resize_bilinear_ac", lambda: T.Resize((30, 11), mode="bilinear", align_corners=True), "image2", 1e-6),
    ("center_crop", lambda: T.CenterSpatialCrop((6, 7, 20)), "image3", 0),
    ("center_crop_2d", lambda: T.CenterSpatialCrop((8, 9)), "image2", 0),
    ("spatial_pad", lambda: T.SpatialPad((16, 11, 15)), "image3", 0),
    ("spatial_pad_end_reflect", lambda: T.SpatialPad((20, 25), method="end", mode="reflect"), "image2", 0),
    ("divisible_pad", lambda: T.DivisiblePad(8), "image3", 0),
    ("crop_foreground", lambda: T.CropForeground(margin=1, k_divisible=4), "image3", 0),
    ("crop_foreground_plain", lambda: T.CropForeground(), "image3", 0),
    ("scale_range", lambda: T.ScaleIntensityRange(-500, 800, 0.0, 1.0, clip=True), "image3", 1e-6),
    ("scale_range_noclip", lambda: T.ScaleIntensityRange(-500, 800, -1.0, 1.0), "image3", 1e-6),
    ("percentiles", lambda: T.ScaleIntensityRangePercentiles(5, 95, 0.0, 1.0, clip=True), "image3", 1e-5),
    ("percentiles_relative_cw",
     lambda: T.ScaleIntensityRangePercentiles(10, 90, 0.0, 1.0, relative=True, channel_wise=True), "image3", 1e-5),
    ("normalize", lambda: T.NormalizeIntensity(), "image3", 1e-5),
    ("normalize_nonzero_cw", lambda: T.NormalizeIntensity(nonzero=True, channel_wise=True), "image3", 1e-5),
    ("normalize_fixed_cw",
     lambda: T.NormalizeIntensity(subtrahend=[100.0, -50.0], divisor=[300.0, 200.0], channel_wise=True), "image3", 1e-5),
]


@pytest.mark.parametrize("name, make, source, tolerance", CASES, ids=[c[0] for c in CASES])
def test_deterministic_transform_equals_monai(name, make, source, tolerance):
    data = load("transforms.pt")
    image = data[source].clone()
    out = make()({"image": image})["image"]
    assert torch.equal(image, data[source])  # the input is not modified
    assert out.shape == data[name].shape
    assert (out - data[name]).abs().max().item() <= tolerance


def test_spacing_equals_monai():
    data = load("transforms.pt")
    out = T.Spacing((1.0, 1.1, 0.7))({"image": data["image3"], "spacing": [1.5, 0.8, 1.0]})
    assert (out["image"] - data["spacing"]).abs().max().item() <= 2e-3  # values ±1000: 2e-6 relative
    assert out["spacing"] == [1.0, 1.1, 0.7]
    nearest = T.Spacing((2.0, 0.5, 1.3), mode="nearest")({"image": data["image3"], "spacing": [1.5, 0.8, 1.0]})
    assert torch.equal(nearest["image"], data["spacing_nearest"])


def test_label_aware_geometry_and_seeds():
    mask = (torch.rand(1, 12, 15, 10) > 0.6).to(torch.uint8)
    sample = {"image": mask.float(), "mask": mask}
    pipeline = T.Compose([T.RandFlip(prob=1.0), T.RandRotate90(prob=1.0),
                          T.RandAffine(prob=1.0, rotate_range=0.3, scale_range=0.1, translate_range=2, mode="nearest"),
                          T.Resize((20, 20, 20), mode="nearest"), T.DivisiblePad(16)])
    out = pipeline(sample, seed=4)
    assert out["mask"].dtype == torch.uint8 and torch.equal(out["mask"].float(), out["image"])
    assert torch.equal(pipeline(sample, seed=4)["image"], out["image"])
    flipped = T.RandFlip(prob=1.0, spatial_axis=0)(sample)
    assert torch.equal(flipped["mask"], torch.flip(mask, [1]))
    noisy = T.Compose([T.RandGaussianNoise(prob=1.0, std=0.3), T.RandShiftIntensity(0.5, prob=1.0)])
    a, b = noisy(sample, seed=1)["image"], noisy(sample, seed=2)["image"]
    assert torch.equal(a, noisy(sample, seed=1)["image"]) and not torch.equal(a, b)


def test_imagenet_normalisation_and_views():
    rgb = torch.rand(3, 8, 8)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
    sd = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
    assert torch.allclose(T.imagenet_normalize(3)({"image": rgb})["image"], (rgb - mean) / sd, atol=1e-6)
    views = T.CenterSpatialCrop(4)({"image": [torch.rand(1, 8, 8), torch.rand(1, 8, 8)]})["image"]
    assert isinstance(views, list) and views[1].shape == (1, 4, 4)


def test_rand_crop_by_pos_neg_label():
    mask = torch.zeros(1, 24, 24, 24, dtype=torch.uint8)
    mask[:, 4:10, 10:16, 3:9] = 1
    crop = T.RandCropByPosNegLabel((8, 8, 8), pos=1, neg=3, num_samples=400)
    patches = crop.expand({"image": torch.rand(1, 24, 24, 24), "mask": mask}, seed=3)
    assert len(patches) == 400 and all(p["image"].shape == (1, 8, 8, 8) for p in patches)
    positive = sum(int(p["mask"][0, 4, 4, 4]) for p in patches)
    assert 70 < positive < 130  # binomial(400, 1/4): 100 ± 8.7
    with pytest.raises(RuntimeError, match="spatial_size 30 on axis 0 is larger than the mask"):
        T.RandCropByPosNegLabel((30, 8, 8)).expand({"image": torch.rand(1, 24, 24, 24), "mask": mask})
    with pytest.raises(RuntimeError, match="prob must be in \\[0, 1\\], got 2"):
        T.RandFlip(prob=2)
