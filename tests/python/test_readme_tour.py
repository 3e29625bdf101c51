"""The README's 30-second tour, run as written (on the demo table and small synthetic tensors), so
that the README stays true."""
import pathlib

import numpy as np
import torch

import osteon
from osteon import losses, metrics, nn, split, stats

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _demo_table():
    rows = np.genfromtxt(ROOT / "examples" / "data" / "hip_outcome_scores.csv", delimiter=",", names=True,
                         dtype=None, encoding="utf-8")
    return rows["outcome"].astype(int), rows["ap_score"], rows["frog_score"]


def test_tour_metrics_and_split_on_the_demo_table():
    y, p_ap, p_frog = _demo_table()
    ci = metrics.auc_ci(y, p_ap)
    assert f"{ci.auc:.4f} [{ci.ci_low:.4f}, {ci.ci_high:.4f}]" == "0.7274 [0.6763, 0.7785]"  # README
    t = metrics.delong_test(y, p_ap, p_frog)
    assert f"{t.statistic:.4f} {t.p_value:.4f}" == "1.3397 0.1804"  # README and examples/roc_compare
    auc = metrics.roc_auc(torch.tensor(y), torch.tensor(p_ap))
    assert isinstance(auc, torch.Tensor) and auc.dtype == torch.float64
    rows = metrics.results_table(y, {"AP": p_ap, "Frog": p_frog})
    assert [r["model"] for r in rows] == ["AP", "Frog"]
    # one row per radiograph: the AP and the frog-leg image of each hip share the hip's id
    outcome, hip_id = np.repeat(y, 2), np.repeat(np.arange(len(y)), 2)
    train, test = split.stratified_holdout(outcome, groups=hip_id, test_size=0.25, seed=0)
    assert not set(hip_id[train]) & set(hip_id[test])
    assert abs(len(test) / len(outcome) - 0.25) < 0.01


def test_tour_models_losses_and_segmentation_metrics():
    model = nn.ResNet50(num_classes=2, in_channels=1)
    logits = model(torch.randn(2, 1, 64, 64))
    assert logits.shape == (2, 2)
    loss = losses.CEFocalLoss(gamma=2.0)(logits, torch.tensor([0, 1]))
    loss.backward()
    seg = nn.UNet(spatial_dims=2, in_channels=1, out_channels=2, channels=(16, 32, 64, 128, 256),
                  strides=(2, 2, 2, 2), num_res_units=2)
    assert sum(p.numel() for p in seg.parameters()) == 1_625_161  # MONAI's UNet, same config
    prediction = torch.zeros(1, 2, 8, 8)
    prediction[:, 1, 2:6, 2:6] = 1
    prediction[:, 0] = 1 - prediction[:, 1]
    target = prediction.clone()
    d = metrics.dice(prediction, target)
    assert d.shape == (1, 2) and torch.all(d == 1)
    fit = stats.linear_regression([1.0, 2.0, 3.0, 4.0], [1.1, 1.9, 3.2, 3.9])
    assert 0.9 < fit.r2 <= 1.0
