"""The `make demo` job (examples/hip_outcome_study) on a small synthetic cohort: every file it writes
is checked against outside references — scikit-learn for the metrics and ROC points, torchvision's
ResNet-18 carrying the written checkpoints for the predictions."""
import csv
import os
import pathlib
import subprocess

import numpy as np
import pytest
import torch
import torchvision
from sklearn import metrics as skm

import osteon

MODELS = {"AP": "ap", "frog": "frog", "AP+frog": "ap_frog"}


def study_binary():
    build = pathlib.Path(os.environ.get("OSTEON_BUILD_DIR", pathlib.Path(osteon.__file__).resolve().parents[2]))
    binary = build / "examples" / "hip_outcome_study"
    assert binary.exists(), f"{binary} is not built (make build builds the examples)"
    return binary


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    out = tmp_path_factory.mktemp("hip_study")
    run = subprocess.run([str(study_binary()), "--out", str(out), "--patients", "40", "--image-size", "32",
                          "--epochs", "2", "--threads", "1", "--seed", "5"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return out, run.stdout


def test_writes_every_file_and_prints_progress(study):
    out, stdout = study
    expected = ["report.md", "metrics.csv", "comparisons.csv", "predictions.csv", "split_manifest.csv"]
    expected += [f"roc_{stem}.csv" for stem in MODELS.values()] + [f"model_{stem}.pt" for stem in MODELS.values()]
    for name in expected:
        assert (out / name).stat().st_size > 0, name
    assert "AP+frog  epoch  2/2" in stdout
    report = (out / "report.md").read_text()
    assert "80 hips of 40 patients" in report and "| AP+frog |" in report and "true risk (ceiling)" in report
    assert not list(out.glob("*.partial"))  # atomic writes leave no temporaries


def test_split_keeps_patients_whole_and_predictions_cover_the_test_side(study):
    out, _ = study
    manifest = read_rows(out / "split_manifest.csv")
    sides = {}
    for row in manifest:
        sides.setdefault(row["group"], set()).add(row["fold"])
    assert all(len(s) == 1 for s in sides.values())  # no patient on both sides
    test_hips = [row["sample_id"] for row in manifest if row["fold"] == "test"]
    predictions = read_rows(out / "predictions.csv")
    assert sorted(row["hip_id"] for row in predictions) == sorted(test_hips)
    assert len(test_hips) == 20  # 3:1 of 80 hips


def test_metrics_equal_scikit_learn(study):
    out, _ = study
    predictions = read_rows(out / "predictions.csv")
    y = np.array([int(row["outcome"]) for row in predictions])
    by_model = {row["model"]: row for row in read_rows(out / "metrics.csv")}
    for name, stem in MODELS.items():
        p = np.array([float(row[f"p_{stem}"]) for row in predictions])
        row = by_model[name]
        assert float(row["auc"]) == pytest.approx(skm.roc_auc_score(y, p), rel=1e-12, abs=1e-12)
        predicted = (p >= 0.5).astype(int)
        assert float(row["accuracy"]) == pytest.approx(skm.accuracy_score(y, predicted), abs=1e-12)
        tn, fp, fn, tp = skm.confusion_matrix(y, predicted, labels=[0, 1]).ravel()
        assert [int(row[k]) for k in ("tp", "fp", "tn", "fn")] == [tp, fp, tn, fn]
        if tp + fp > 0:
            assert float(row["precision"]) == pytest.approx(skm.precision_score(y, predicted), abs=1e-12)
        assert float(row["recall"]) == pytest.approx(skm.recall_score(y, predicted), abs=1e-12)
        # The ROC file holds scikit-learn's ROC points (pROC's midpoint thresholds beside them).
        roc = read_rows(out / f"roc_{stem}.csv")
        ours = sorted((float(r["fpr"]), float(r["tpr"])) for r in roc)
        fpr, tpr, _ = skm.roc_curve(y, p, drop_intermediate=False)
        assert ours == pytest.approx(sorted(zip(fpr, tpr)), abs=1e-12)
    comparisons = read_rows(out / "comparisons.csv")
    assert [(c["model_a"], c["model_b"]) for c in comparisons] == [("AP+frog", "AP"), ("AP+frog", "frog"), ("AP", "frog")]
    for c in comparisons:
        assert float(c["auc_a"]) == pytest.approx(float(by_model[c["model_a"]]["auc"]), abs=1e-15)
        assert 0.0 <= float(c["p"]) <= 1.0


def test_torchvision_reproduces_the_study_predictions(study):
    """The same cohort (osteon.data), standardised with the training hips' statistics as the study
    does, through torchvision's ResNet-18 carrying the study's checkpoints, gives the probabilities
    the C++ study wrote: the C++ models are torchvision's networks, and the checkpoints are faithful."""
    out, _ = study
    cohort = osteon.data.synthetic_hip_cohort(patients=40, image_size=32, seed=5)
    manifest = read_rows(out / "split_manifest.csv")
    assert [row["sample_id"] for row in manifest] == cohort.hip_ids
    train = torch.tensor([i for i, row in enumerate(manifest) if row["fold"] == "train"])
    test = torch.tensor([i for i, row in enumerate(manifest) if row["fold"] == "test"])
    reference = cohort.images[train]
    images = (cohort.images - reference.mean((0, 2, 3, 4), keepdim=True)) / reference.std((0, 2, 3, 4), keepdim=True)
    predictions = read_rows(out / "predictions.csv")
    assert [row["hip_id"] for row in predictions] == [cohort.hip_ids[i] for i in test]

    def resnet18(state, classes):
        net = torchvision.models.resnet18(num_classes=max(classes, 1))
        net.conv1 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
        if classes == 0:
            net.fc = torch.nn.Identity()
        net.load_state_dict(state, strict=True)
        return net.eval()

    with torch.no_grad():
        for stem, view in (("ap", 0), ("frog", 1)):
            net = resnet18(torch.load(out / f"model_{stem}.pt"), 2)
            p = torch.softmax(net(images[test, view]), 1)[:, 1]
            expected = torch.tensor([float(row[f"p_{stem}"]) for row in predictions], dtype=torch.float64)
            assert torch.allclose(p.double(), expected, rtol=0, atol=2e-5), stem
        fused = torch.load(out / "model_ap_frog.pt")
        backbones = [resnet18({k[len(f"backbones.{v}."):]: t for k, t in fused.items()
                               if k.startswith(f"backbones.{v}.")}, 0) for v in (0, 1)]
        features = torch.cat([backbones[v](images[test, v]) for v in (0, 1)], 1)
        logits = torch.nn.functional.linear(features, fused["head.weight"], fused["head.bias"])
        expected = torch.tensor([float(row["p_ap_frog"]) for row in predictions], dtype=torch.float64)
        assert torch.allclose(torch.softmax(logits, 1)[:, 1].double(), expected, rtol=0, atol=2e-5)
