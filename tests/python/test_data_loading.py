"""osteon.data cohorts on disk, ManifestDataset and DataLoader: files written by osteon read back by
nibabel and PIL (values, spacing), byte-identical for one seed; the loader's order, seeds, workers,
groups; errors naming the file, line and column."""
import csv
import hashlib
import os
import threading
import time

import nibabel
import numpy as np
import pytest
import torch
from PIL import Image

import osteon
from osteon.data import transforms as T


def digest(folder):
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            with open(os.path.join(root, name), "rb") as f:
                h.update(name.encode() + f.read())
    return h.hexdigest()


def rows(manifest):
    with open(manifest, newline="") as f:
        return list(csv.DictReader(f))


def test_femur_cohort_files_read_by_nibabel(tmp_path):
    cohort = osteon.data.synthetic_femur_cohort(subjects=3, size=24, seed=5)
    manifest = osteon.data.write_synthetic_femur_cohort(str(tmp_path / "a"), subjects=3, size=24, seed=5)
    table = rows(manifest)
    assert [r["sample_id"] for r in table] == cohort.subject_ids and [r["sex"] for r in table] == cohort.sex
    for i, row in enumerate(table):
        image = nibabel.load(os.path.join(tmp_path / "a", row["image"]))
        mask = nibabel.load(os.path.join(tmp_path / "a", row["mask"]))
        # osteon's arrays are (z, y, x); nibabel's (i, j, k) = (x, y, z)
        assert np.array_equal(np.asarray(image.dataobj).transpose(2, 1, 0), cohort.images[i, 0].numpy())
        assert np.array_equal(np.asarray(mask.dataobj).transpose(2, 1, 0), cohort.masks[i, 0].numpy())
        assert np.allclose(image.header.get_zooms(), cohort.spacing[::-1])
        assert float(row["femur_volume_ml"]) == pytest.approx(cohort.femur_volume_ml[i].item(), rel=1e-5)
    again = osteon.data.write_synthetic_femur_cohort(str(tmp_path / "b"), subjects=3, size=24, seed=5)
    assert digest(os.path.dirname(manifest)) == digest(os.path.dirname(again))
    other = osteon.data.write_synthetic_femur_cohort(str(tmp_path / "c"), subjects=3, size=24, seed=6)
    assert digest(os.path.dirname(manifest)) != digest(os.path.dirname(other))


def test_vertebra_and_sij_cohorts_on_disk(tmp_path):
    spine = osteon.data.synthetic_vertebra_cohort(subjects=4, size=24, seed=1)
    manifest = osteon.data.write_synthetic_vertebra_cohort(str(tmp_path / "v"), subjects=4, size=24, seed=1)
    dataset = osteon.data.ManifestDataset(manifest, mask_column="mask", label_columns=["density_class"],
                                          strata_columns=["sex"])
    sample = dataset[2]
    assert torch.equal(sample["image"], spine.images[2]) and torch.equal(sample["mask"], spine.masks[2])
    assert set(sample["mask"].unique().tolist()) == {0, 1, 2}
    assert sample["label"].tolist() == [spine.density_class[2].item()] and sample["label"].dtype == torch.int64
    sij = osteon.data.synthetic_sij_cohort(patients=6, seed=2)
    manifest = osteon.data.write_synthetic_sij_cohort(str(tmp_path / "s"), patients=6, seed=2)
    table = rows(manifest)
    assert [r["centre"] for r in table] == sij.centre
    first = nibabel.load(os.path.join(tmp_path / "s", table[0]["mask"]))
    pixels = np.asarray(first.dataobj)
    pixels = pixels.reshape(pixels.shape[:2])  # nibabel may show a 2-D NIfTI with a trailing axis of 1
    assert np.array_equal(pixels.T, sij.masks[0, 0].numpy())
    assert np.allclose(first.header.get_zooms()[:2], sij.spacing[::-1])


def test_hip_cohort_pngs_read_by_pil_and_manifest_dataset(tmp_path):
    cohort = osteon.data.synthetic_hip_cohort(patients=3, image_size=32, seed=2)
    manifest = osteon.data.write_synthetic_hip_cohort(str(tmp_path), patients=3, image_size=32, seed=2)
    table = rows(manifest)
    png = Image.open(os.path.join(tmp_path, table[1]["image_frog"]))
    assert png.mode.startswith("I;16") or png.mode == "I"
    decoded = np.asarray(png, dtype=np.float64) / 65535 * 2 - 0.25
    assert np.abs(decoded - cohort.images[1, 1, 0].numpy()).max() <= 1.6e-5
    hips = osteon.data.ManifestDataset(manifest, image_columns=["image_ap", "image_frog"], label_columns=["outcome"])
    assert len(hips) == 6 and hips.groups()[:2] == ["P001", "P001"]
    sample = hips[1]
    assert isinstance(sample["image"], list) and len(sample["image"]) == 2
    assert torch.equal(sample["image"][1], torch.from_numpy(np.asarray(png, dtype=np.float32))[None])
    loader = osteon.data.DataLoader(hips, T.Compose([T.ScaleIntensityRange(0, 65535, 0.0, 1.0)]), batch_size=1,
                                    group_batches=True)
    for batch in loader:
        assert batch["image"].shape == (2, 1, 32, 32) and len(batch["images"]) == 2
        assert batch["groups"][0] == batch["groups"][1]


def test_manifest_errors_name_file_line_column(tmp_path):
    osteon.data.write_synthetic_hip_cohort(str(tmp_path), patients=2, image_size=32)
    path = tmp_path / "m.csv"
    path.write_text("sample_id,group,image,outcome\nh1,p1,images/P001-L_ap.png,1\nh2,p1,images/none.png,0\n")
    with pytest.raises(ValueError, match='line 3 column "image": file ".*none.png" does not exist'):
        osteon.data.ManifestDataset(str(path))
    with pytest.raises(ValueError, match='has no label column "grade"'):
        osteon.data.ManifestDataset(str(path), label_columns=["grade"])


def test_loader_order_seeds_workers_and_gil(tmp_path):
    images = torch.rand(10, 1, 8, 8)
    dataset = osteon.data.TensorDataset(images, labels=torch.arange(10), groups=[f"g{i // 3}" for i in range(10)])
    loader = osteon.data.DataLoader(dataset, batch_size=4)
    assert len(loader) == 3 and [b["indices"] for b in loader] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert len(osteon.data.DataLoader(dataset, batch_size=4, drop_last=True)) == 2
    noise = T.Compose([T.RandGaussianNoise(prob=1.0)])
    serial = osteon.data.DataLoader(dataset, noise, batch_size=3, shuffle=True, seed=7)
    threaded = osteon.data.DataLoader(dataset, noise, batch_size=3, shuffle=True, seed=7, num_workers=3)
    for _ in range(2):
        a, b = list(serial), list(threaded)
        assert [x["indices"] for x in a] == [x["indices"] for x in b]
        assert all(torch.equal(x["image"], y["image"]) for x, y in zip(a, b))
        assert sorted(i for x in a for i in x["indices"]) == list(range(10))
    assert serial.batch_indices(0) != serial.batch_indices(1)
    for batch in osteon.data.DataLoader(dataset, batch_size=2, group_batches=True, shuffle=True, seed=1):
        groups = set(batch["groups"])
        assert len(groups) <= 2 and all(batch["groups"].count(g) == (1 if g == "g3" else 3) for g in groups)
    # The GIL is released while a batch loads: a Python thread runs meanwhile.
    big = osteon.data.TensorDataset(torch.rand(64, 1, 48, 48, 48))
    slow = osteon.data.DataLoader(big, T.Compose([T.RandAffine(prob=1.0, rotate_range=0.2)]), batch_size=16, num_workers=2)
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    for _ in slow:
        pass
    stop.set()
    ticker.join()
    assert len(ticks) > 5
