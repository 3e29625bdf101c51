"""Reproducibility (docs/reproducibility.md): the same seed gives byte-identical splits, manifests
and synthetic cohorts, and identical CPU training losses — across two separate processes, not only
two calls in one (a process-global state would pass the latter)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(r'''
    import hashlib, json, sys
    import numpy as np, torch
    import osteon
    from osteon import data, nn, split
    out_dir = sys.argv[1]
    torch.set_num_threads(2)
    cohort = data.synthetic_hip_cohort(patients=24, image_size=32, seed=77)
    digest = hashlib.sha256()
    for name in ("images", "outcome", "joint_space_mm", "cam_size", "risk"):
        digest.update(getattr(cohort, name).contiguous().numpy().tobytes())
    digest.update("|".join(cohort.hip_ids + cohort.patient_ids).encode())
    y = cohort.outcome.numpy()
    folds = split.stratified_kfold(y, 3, groups=cohort.patient_ids, seed=5, mixed_labels="majority")
    holdout = split.stratified_holdout(y, groups=cohort.patient_ids, test_size=0.25, seed=5, mixed_labels="majority")
    split.write_manifest(out_dir + "/manifest.csv", holdout, cohort.hip_ids, y, cohort.patient_ids, seed=5)
    torch.manual_seed(0)
    model = nn.ResNet18(num_classes=2, in_channels=1)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, betas=(0.5, 0.999))
    images = cohort.images[:8, 0]
    labels = cohort.outcome[:8]
    losses = []
    for step in range(3):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item().hex())
    print(json.dumps({"cohort": digest.hexdigest(),
                      "folds": [[f[0].tolist(), f[1].tolist()] for f in folds],
                      "holdout": [holdout[0].tolist(), holdout[1].tolist()],
                      "losses": losses}))
''')


def run_child(tmp: Path) -> dict:
    tmp.mkdir()
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp)], capture_output=True, text=True, env=env,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["manifest"] = hashlib.sha256((tmp / "manifest.csv").read_bytes()).hexdigest()
    return result


def test_same_seed_same_bytes_in_two_processes(tmp_path):
    first = run_child(tmp_path / "a")
    second = run_child(tmp_path / "b")
    assert first["cohort"] == second["cohort"]        # synthetic cohort, byte for byte
    assert first["folds"] == second["folds"]          # k-fold split
    assert first["holdout"] == second["holdout"]      # holdout split
    assert first["manifest"] == second["manifest"]    # manifest file, byte for byte
    assert first["losses"] == second["losses"]        # CPU training losses, bit for bit (float.hex)
    assert len(set(first["losses"])) == 3             # and the model did train
