"""osteon.metrics segmentation metrics against outside references: scipy.ndimage (exact EDT,
binary erosion) called live, an independent numpy/scipy implementation of the surface metrics,
MONAI 1.4's compute_dice / compute_hausdorff_distance / compute_average_surface_distance /
compute_surface_dice through the committed fixture tests/data/segmentation_monai_reference.json
(scripts/make_reference_segmentation.py), numpy's nan-reductions and scipy.stats.linregress."""
import math

import numpy as np
import pytest
import torch

import osteon
from osteon import metrics
from conftest import load_fixture

ndi = pytest.importorskip("scipy.ndimage")
scipy_stats = pytest.importorskip("scipy.stats")


@pytest.fixture(scope="module")
def monai_ref():
    return load_fixture("segmentation_monai_reference.json")


def _blobs(rng, shape, n, sigma, level):
    field = ndi.gaussian_filter(rng.standard_normal((n,) + shape), sigma=(0,) + (sigma,) * len(shape))
    return field > level * field.std()


def _reference_surface(pred, target, spacing, percentile, tolerance):
    """Independent surface metrics of two non-empty boolean masks with scipy (MONAI's convention)."""
    sp = pred & ~ndi.binary_erosion(pred)
    st = target & ~ndi.binary_erosion(target)
    d_pt = ndi.distance_transform_edt(~st, sampling=spacing)[sp]
    d_tp = ndi.distance_transform_edt(~sp, sampling=spacing)[st]
    both = np.concatenate([d_pt, d_tp])
    return {
        "hausdorff": max(d_pt.max(), d_tp.max()),
        "hausdorff_percentile": max(np.percentile(d_pt, percentile), np.percentile(d_tp, percentile)),
        "average_surface_distance": both.mean(),
        "surface_dice": (np.sum(d_pt <= tolerance) + np.sum(d_tp <= tolerance)) / both.size,
    }


# ---- distance transform ------------------------------------------------------------------------

@pytest.mark.parametrize("shape,sampling", [((13, 9, 11), (0.7, 1.9, 1.1)), ((21, 17), (1.0, 1.0)),
                                            ((25, 6), (0.3, 2.5)), ((33,), (0.5,)), ((6, 7, 5, 4), None)])
@pytest.mark.parametrize("method", ["auto", "lower_envelope", "brute_force"])
def test_edt_equals_scipy(shape, sampling, method):
    rng = np.random.default_rng(len(shape) * 100 + shape[0])
    x = rng.random(shape) < 0.9
    x.flat[3] = False
    ours = metrics.distance_transform_edt(torch.from_numpy(x), sampling, method=method)
    assert ours.dtype == torch.float64
    np.testing.assert_allclose(ours.numpy(), ndi.distance_transform_edt(x, sampling=sampling), rtol=1e-13, atol=0)


def test_edt_batch_axes_and_float32():
    rng = np.random.default_rng(7)
    x = rng.random((3, 10, 12)) < 0.95
    x[:, 0, 0] = False
    ours = metrics.distance_transform_edt(torch.from_numpy(x), (1.5, 0.5), dtype=torch.float32)
    assert ours.dtype == torch.float32
    for b in range(3):
        np.testing.assert_allclose(ours[b].numpy(), ndi.distance_transform_edt(x[b], sampling=(1.5, 0.5)),
                                   rtol=1e-6)


# ---- surface metrics ---------------------------------------------------------------------------

def test_surface_metrics_equal_monai_fixture(monai_ref):
    for case in monai_ref["surface"]:
        shape = case["shape"]
        pred = torch.tensor(case["prediction"], dtype=torch.uint8).reshape(shape)
        target = torch.tensor(case["target"], dtype=torch.uint8).reshape(shape)
        s = metrics.surface_distances(pred, target, spacing=case["spacing"], tolerance=case["tolerance"])
        ref = case["monai"]
        if case["name"] == "empty_masks":
            # Where MONAI and we agree, and the one place we deliberately differ: MONAI's HD95 is NaN
            # when one side is empty (torch.quantile over inf), which NaN-aware means then drop.
            np.testing.assert_array_equal(s.hausdorff.numpy(), np.array(ref["hausdorff"]))
            np.testing.assert_array_equal(s.average_surface_distance.numpy(), np.array(ref["assd"]))
            np.testing.assert_array_equal(s.surface_dice.numpy(), np.array(ref["surface_dice"]))
            assert np.isnan(ref["hausdorff95"][1][0]) and np.isnan(ref["hausdorff95"][2][0])
            assert s.hausdorff_percentile[1, 0] == math.inf and s.hausdorff_percentile[2, 0] == math.inf
            continue
        # MONAI works in float32 (its percentile interpolates in float32 too): 1e-5 relative.
        for ours, theirs in [("hausdorff", "hausdorff"), ("hausdorff_percentile", "hausdorff95"),
                             ("average_surface_distance", "assd"), ("surface_dice", "surface_dice")]:
            np.testing.assert_allclose(getattr(s, ours).numpy(), np.array(ref[theirs]), rtol=1e-5, err_msg=ours)
        np.testing.assert_allclose(metrics.hausdorff(pred, target, spacing=case["spacing"], percentile=90).numpy(),
                                   np.array(ref["hausdorff90"]), rtol=1e-5)


@pytest.mark.parametrize("method", ["lower_envelope", "brute_force"])
def test_surface_metrics_equal_scipy_reference(method):
    rng = np.random.default_rng(11)
    pred = _blobs(rng, (16, 14, 12), 6, 1.5, 0.2).reshape(3, 2, 16, 14, 12)
    target = _blobs(rng, (16, 14, 12), 6, 1.5, 0.2).reshape(3, 2, 16, 14, 12)
    spacing, percentile, tolerance = (1.3, 0.6, 2.1), 87.5, 1.7
    s = metrics.surface_distances(torch.from_numpy(pred), torch.from_numpy(target), spacing=spacing,
                                  percentile=percentile, tolerance=tolerance, method=method)
    for b in range(3):
        for c in range(2):
            ref = _reference_surface(pred[b, c], target[b, c], spacing, percentile, tolerance)
            for name, value in ref.items():
                assert getattr(s, name)[b, c].item() == pytest.approx(value, rel=1e-12), (name, b, c)
    assert metrics.hausdorff95(torch.from_numpy(pred), torch.from_numpy(target), spacing=spacing).shape == (3, 2)


def _ellipsoid(shape, centre, radii):
    grid = np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")).astype(np.float64)
    scaled = (grid - np.reshape(centre, (-1,) + (1,) * len(shape))) / np.reshape(radii, (-1,) + (1,) * len(shape))
    return (scaled ** 2).sum(0) < 1


@pytest.mark.parametrize("shape,spacing", [((40, 36, 30), (0.8, 0.8, 1.25)), ((48, 44), (0.6, 1.1)),
                                           ((14, 12, 10, 9), (1.0, 0.7, 1.3, 2.0))])
def test_surface_metrics_cpu_path_near_and_far_surfaces(shape, spacing):
    # The CPU path searches outwards from each surface voxel when the other surface is near (a
    # prediction close to the truth) and falls back to full passes when it is far (a structure
    # found in the wrong place): both against scipy, with probabilities thresholded on the way.
    n = np.array(shape, dtype=np.float64)
    truth = _ellipsoid(shape, n / 2, n / 3.5)
    near = _ellipsoid(shape, n / 2 + 1.5, n / 3.3)
    far = _ellipsoid(shape, n / 5, n / 9)
    pred = np.stack([near, far, truth & ~near])[:, None]
    target = np.stack([truth, truth, truth])[:, None]
    probabilities = torch.from_numpy(np.where(pred, 0.9, 0.1).astype(np.float32))
    s = metrics.surface_distances(probabilities, torch.from_numpy(target), spacing=spacing, percentile=95,
                                  tolerance=1.5)
    for b in range(3):
        ref = _reference_surface(pred[b, 0], target[b, 0], spacing, 95, 1.5)
        for name, value in ref.items():
            assert getattr(s, name)[b, 0].item() == pytest.approx(value, rel=1e-12), (name, b)


def test_surface_label_maps_and_background():
    rng = np.random.default_rng(5)
    labels_t = rng.integers(0, 3, size=(2, 1, 12, 10))
    labels_p = np.where(rng.random(labels_t.shape) < 0.8, labels_t, rng.integers(0, 3, size=labels_t.shape))
    hd = metrics.hausdorff95(torch.from_numpy(labels_p), torch.from_numpy(labels_t), num_classes=3,
                             include_background=False, spacing=(0.5, 2.0))
    assert hd.shape == (2, 2)
    for b in range(2):
        for c in (1, 2):
            ref = _reference_surface(labels_p[b, 0] == c, labels_t[b, 0] == c, (0.5, 2.0), 95, 1.0)
            assert hd[b, c - 1].item() == pytest.approx(ref["hausdorff_percentile"], rel=1e-12)


def test_surface_empty_policy():
    empty = torch.zeros(1, 1, 6, 6, dtype=torch.bool)
    blob = empty.clone()
    blob[0, 0, 1:4, 2:5] = True
    pred = torch.cat([empty, blob, empty])
    target = torch.cat([empty, empty, blob])
    s = metrics.surface_distances(pred, target)
    assert math.isnan(s.hausdorff[0, 0]) and s.hausdorff[1, 0] == math.inf and s.hausdorff[2, 0] == math.inf
    assert s.surface_dice[1:, 0].tolist() == [0.0, 0.0]
    capped = metrics.surface_distances(pred, target, empty="perfect", one_side_empty="diagonal", spacing=(1.0, 2.0))
    diagonal = math.hypot(5 * 1.0, 5 * 2.0)
    assert capped.hausdorff_percentile[:, 0].tolist() == [0.0, diagonal, diagonal]
    assert capped.surface_dice[:, 0].tolist() == [1.0, 0.0, 0.0]
    monai_like = metrics.hausdorff(pred, target, empty="nan_when_target_empty")
    assert math.isnan(monai_like[1, 0]) and monai_like[2, 0] == math.inf


# ---- overlap metrics ---------------------------------------------------------------------------

def _counts(p, t):
    return np.sum(p & t), np.sum(p & ~t), np.sum(~p & t), np.sum(~p & ~t)


def test_overlap_metrics_equal_counting_with_numpy():
    rng = np.random.default_rng(3)
    pred = rng.random((4, 3, 9, 8, 7)) < 0.4
    target = rng.random((4, 3, 9, 8, 7)) < 0.4
    r = metrics.segmentation_report(torch.from_numpy(pred), torch.from_numpy(target), spacing=(0.5, 0.5, 2.0))
    for b in range(4):
        for c in range(3):
            tp, fp, fn, tn = _counts(pred[b, c], target[b, c])
            assert r.true_positives[b, c] == tp and r.true_negatives[b, c] == tn
            assert r.dice[b, c].item() == pytest.approx(2 * tp / (2 * tp + fp + fn), rel=1e-15)
            assert r.iou[b, c].item() == pytest.approx(tp / (tp + fp + fn), rel=1e-15)
            assert r.sensitivity[b, c].item() == pytest.approx(tp / (tp + fn), rel=1e-15)
            assert r.specificity[b, c].item() == pytest.approx(tn / (tn + fp), rel=1e-15)
            assert r.precision[b, c].item() == pytest.approx(tp / (tp + fp), rel=1e-15)
            assert r.volume_prediction[b, c].item() == pytest.approx((tp + fp) * 0.5, rel=1e-15)
            assert r.relative_volume_difference[b, c].item() == pytest.approx((fp - fn) / (tp + fn), rel=1e-13)
    assert torch.equal(metrics.dice(torch.from_numpy(pred), torch.from_numpy(target)), r.dice)
    # Probabilities (both floating) take the floating-point counting path: same counts.
    noisy_pred = torch.from_numpy(np.where(pred, 0.7, 0.2)).float()
    noisy_target = torch.from_numpy(target).double()
    r_float = metrics.segmentation_report(noisy_pred, noisy_target, spacing=(0.5, 0.5, 2.0))
    for key in ("true_positives", "false_positives", "false_negatives", "true_negatives", "dice"):
        assert torch.equal(getattr(r_float, key), getattr(r, key)), key
    assert r.dice.dtype == torch.float64 and r.dice.device == torch.device("cpu")


def test_dice_equals_monai_fixture(monai_ref):
    for case in monai_ref["surface"]:
        pred = torch.tensor(case["prediction"], dtype=torch.uint8).reshape(case["shape"])
        target = torch.tensor(case["target"], dtype=torch.uint8).reshape(case["shape"])
        ref = case["monai"]
        np.testing.assert_allclose(metrics.dice(pred, target, empty="perfect").numpy(),
                                   np.array(ref["dice_ignore_empty_false"]), rtol=1e-6)
        np.testing.assert_allclose(metrics.dice(pred, target, empty="nan_when_target_empty").numpy(),
                                   np.array(ref["dice_ignore_empty_true"]), rtol=1e-6)
        if case["name"] == "empty_masks":
            # Ours by default: both empty NaN, false positives on an empty target 0 (MONAI: NaN).
            d = metrics.dice(pred, target).numpy()[:, 0]
            assert math.isnan(d[0]) and d[1] == 0.0 and d[2] == 0.0


def test_label_maps_probabilities_and_errors():
    labels_t = torch.tensor([0, 1, 1, 2, 2, 2]).reshape(1, 1, 6)
    labels_p = torch.tensor([0, 1, 2, 2, 2, 0]).reshape(1, 1, 6)
    d = metrics.dice(labels_p, labels_t, num_classes=3)
    assert d[0].tolist() == pytest.approx([2 / 3, 2 / 3, 2 / 3], rel=1e-15)
    probabilities = torch.nn.functional.one_hot(labels_p[:, 0], 3).permute(0, 2, 1).float() * 0.8 + 0.05
    assert torch.equal(metrics.dice(probabilities, labels_t, num_classes=3, argmax=True), d)
    assert metrics.dice(probabilities, labels_t, num_classes=3, include_background=False).shape == (1, 2)
    with pytest.raises(RuntimeError, match="outside \\[0, num_classes=3\\)"):
        metrics.dice(labels_p + 1, labels_t, num_classes=3)
    with pytest.raises(RuntimeError, match="shapes differ"):
        metrics.dice(labels_p, labels_t[..., :5], num_classes=3)
    with pytest.raises(ValueError, match="empty must be"):
        metrics.dice(labels_p, labels_t, num_classes=3, empty="zero")
    with pytest.raises(RuntimeError, match="spacing has 2 values"):
        metrics.hausdorff95(labels_p, labels_t, num_classes=3, spacing=(1.0, 1.0))
    with pytest.raises(RuntimeError, match="contains NaN"):
        metrics.dice(torch.full((1, 1, 3), float("nan")), labels_t[..., :3].bool())


def test_volume_with_spacing():
    mask = torch.zeros(2, 1, 4, 5, 6, dtype=torch.bool)
    mask[0, 0, :2] = True  # 60 voxels
    v = metrics.volume(mask, spacing=(0.5, 0.5, 2.0))
    assert v[:, 0].tolist() == [30.0, 0.0]


# ---- reductions and aggregation ----------------------------------------------------------------

def test_reduce_metric_equals_numpy_nanmean_and_keeps_all_nan():
    scores = torch.tensor([[0.8, math.nan, 0.5], [0.6, math.nan, math.nan], [0.7, math.nan, 0.9]],
                          dtype=torch.float64)
    value, n_valid, n_nan = metrics.reduce_metric(scores, "mean_batch")
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        expected = np.nanmean(scores.numpy(), axis=0)
    np.testing.assert_allclose(value.numpy(), expected, rtol=1e-15)  # class 1 is NaN in both
    assert n_valid.tolist() == [3, 0, 2] and n_nan.tolist() == [0, 3, 1]
    value, _, _ = metrics.reduce_metric(scores, "mean")
    assert value.item() == pytest.approx(np.nanmean(scores.numpy()), rel=1e-15)


@pytest.mark.parametrize("ddof", [0, 1])
def test_summarize_equals_numpy(ddof):
    values = np.array([0.91, np.nan, 0.88, 0.95, 0.97, np.nan, 0.93, 0.90])
    s = metrics.summarize(values, ddof=ddof)
    assert s.n == 6 and s.n_nan == 2
    assert s.mean == pytest.approx(np.nanmean(values), rel=1e-15)
    assert s.sd == pytest.approx(np.nanstd(values, ddof=ddof), rel=1e-13)
    for key, q in [("q1", 25), ("median", 50), ("q3", 75)]:
        assert getattr(s, key) == pytest.approx(np.nanpercentile(values, q), rel=1e-15)


def test_fold_table_across_folds():
    folds = [[0.80, 0.84, 0.83], [0.90, math.nan, 0.86], [0.79, 0.81]]
    t = metrics.fold_table(folds)
    means = [np.nanmean(f) for f in folds]
    assert t.across_folds.mean == pytest.approx(np.mean(means), rel=1e-15)
    assert t.across_folds.sd == pytest.approx(np.std(means, ddof=1), rel=1e-13)
    assert t.pooled.n == 7 and t.pooled.n_nan == 1
    assert [f.n for f in t.folds] == [3, 2, 2]


def test_volume_agreement_equals_scipy():
    rng = np.random.default_rng(2)
    truth = rng.uniform(80, 160, 25)
    predicted = truth * 0.97 + rng.normal(0, 4, 25) + 2
    a = metrics.volume_agreement(torch.from_numpy(predicted), truth)
    lr = scipy_stats.linregress(truth, predicted)
    assert a.r2 == pytest.approx(lr.rvalue ** 2, rel=1e-12)
    assert a.p_value == pytest.approx(lr.pvalue, rel=1e-9)
    assert a.slope == pytest.approx(lr.slope, rel=1e-12)
    diff = predicted - truth
    z = scipy_stats.norm.ppf(0.975)
    assert a.bias == pytest.approx(diff.mean(), rel=1e-12)
    assert a.lower_limit == pytest.approx(diff.mean() - z * diff.std(ddof=1), rel=1e-12)
    with pytest.raises(ValueError):
        metrics.volume_agreement([1.0, 2.0], [1.0, 2.0, 3.0])
