"""The bad-input matrix through the Python API: every row of tests/data/errors_matrix.json marked
python (written with docs/errors.md by scripts/make_errors_matrix.py) must raise its exception type
with a message containing its fragment; and docs/errors.md must be the script's output."""
from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import osteon
from osteon import losses, metrics, nn, split, stats

ROOT = Path(__file__).resolve().parents[2]
ROWS = [r for r in json.loads((ROOT / "tests/data/errors_matrix.json").read_text())["rows"] if r["python"]]
ERRORS = {"ValueError": ValueError, "RuntimeError": RuntimeError, "IndexError": IndexError}


def value(v):
    if isinstance(v, str):
        return {"NaN": math.nan, "Inf": math.inf, "-Inf": -math.inf}.get(v, v)
    if isinstance(v, dict) and "re" in v:
        return complex(v["re"], v["im"])
    if isinstance(v, list):
        return [value(x) for x in v]
    return v


def tensor(spec):
    shape = spec["shape"]
    dtype = getattr(torch, spec["dtype"])
    n = int(np.prod(shape)) if shape else 1
    fill = spec["fill"]
    ramp = torch.arange(n, dtype=torch.float64)
    if fill == "ramp":
        base = (ramp % 7) / 7
    elif fill == "zeros":
        base = torch.zeros(n, dtype=torch.float64)
    elif fill == "classes3":
        base = ramp % 3
    elif fill == "mask":
        base = (ramp % 2)
    elif fill == "onehot3":  # (B, 3, ...): channel (position % 3) hot
        per = n // (shape[0] * shape[1])
        classes = torch.arange(per) % 3
        one = torch.nn.functional.one_hot(classes, 3).T.reshape(-1).to(torch.float64)
        base = one.repeat(shape[0])
    else:
        raise AssertionError(fill)
    for index, v in spec.get("set", []):
        base[index] = value(v)
    out = base.to(dtype) if not dtype.is_complex else base.to(torch.float64).to(dtype)
    out = out.reshape(shape)
    if spec.get("device") == "meta":
        out = torch.empty(shape, dtype=dtype, device="meta")
    return out


def lcg_bytes(seed, n, prefix=b""):
    out = bytearray(prefix)
    state = seed
    while len(out) < n:
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        out.append(state >> 24)
    return bytes(out)


def make_file(spec, path: Path):
    if spec.get("missing"):
        return path
    if spec.get("directory"):
        path.mkdir()
        return path
    if "saved" in spec:
        torch.save({"w": torch.full((1000,), 3.0), "b": torch.full((10,), 3.0)}, path)
        whole = path.read_bytes()
        saved = spec["saved"]
        if "cut" in saved:
            cut = saved["cut"]
            n = int(len(whole) * cut) if isinstance(cut, float) else (len(whole) + cut if cut < 0 else cut)
            path.write_bytes(whole[:n])
        else:  # a flipped byte inside the tensor data (3.0f = 00 00 40 40)
            at = whole.find(b"\x00\x00\x40\x40", len(whole) // 2)
            path.write_bytes(whole[: at + 3] + b"\x41" + whole[at + 4:])
        return path
    file = spec["file"]
    if isinstance(file, str):
        path.write_bytes(file.encode())
    elif "hex" in file:
        path.write_bytes(bytes.fromhex(file["hex"]))
    else:
        path.write_bytes(lcg_bytes(file["seed"], file["random"], bytes.fromhex(file.get("prefix", ""))))
    return path


NETS = {"ResNet18": lambda o: nn.ResNet18(**o), "UNet": lambda o: nn.UNet(**o), "VNet": lambda o: nn.VNet(**o)}


def network(options):
    if "channels" in options:
        return nn.UNet(**options)
    if "spatial_dims" in options:
        return nn.VNet(**options)
    return nn.ResNet18(**options)


def call(row, tmp_path: Path):
    entry, a = row["entry"], {k: value(v) for k, v in row["args"].items()}
    raw = row["args"]
    area = row["area"]
    if area in ("roc", "classification"):
        if entry == "proportion_ci":
            return metrics.proportion_ci(a["k"], a["n"], **({"level": a["level"]} if "level" in a else {}))
        return getattr(metrics, entry)(**a)
    if area == "stats":
        return getattr(stats, entry)(**a)
    if area == "segmentation_host":
        return metrics.volume_agreement(**a)
    if area == "split":
        if entry == "read_manifest":
            return split.read_manifest(make_file(raw["path"], tmp_path / "m.csv"))
        if entry == "read_manifest_with_data":
            data, change = raw["data"], raw["change"]
            ids, y, groups = data["sample_ids"], data["y"], data["groups"]
            path = tmp_path / "m.csv"
            holdout = split.stratified_holdout(np.array(y), groups=np.array(groups), test_size=0.5, seed=5)
            split.write_manifest(path, holdout, ids, y, groups, seed=5)
            if "edit_group" in change:
                i, new = change["edit_group"]
                text = path.read_text().replace(f"{ids[i]},{groups[i]},", f"{ids[i]},{new},")
                path.write_text(text)
            return split.read_manifest(path, change.get("sample_ids", ids), change.get("y", y),
                                       change.get("groups", groups))
        kwargs = {k: v for k, v in a.items() if k not in ("y",)}
        return getattr(split, entry)(np.array(a["y"], dtype=float), **kwargs)
    if area == "io":
        path = make_file(raw["path"], tmp_path / "w.pt")
        return nn.ResNet18(num_classes=2).load_state_dict_file(os.fspath(path))
    if area == "losses":
        return getattr(losses, entry)(tensor(raw["input"]), tensor(raw["target"]))
    if area == "segmentation":
        kwargs = {k: v for k, v in a.items() if k not in ("prediction", "target")}
        return getattr(metrics, entry)(tensor(raw["prediction"]), tensor(raw["target"]), **kwargs)
    if area == "nn":
        model = network(raw["model"])
        if entry == "load_state_dict":
            other = network(NETS_OPTIONS[raw["checkpoint"]])
            path = tmp_path / "other.pt"
            nn.save_weights(other, path)
            return model.load_state_dict_file(os.fspath(path))
        return model(tensor(raw["input"]))
    raise AssertionError(f"no Python call for {entry}")


NETS_OPTIONS = {}
for r in ROWS:
    if r["area"] == "nn" and r["entry"] in ("ResNet18", "UNet", "VNet"):
        NETS_OPTIONS[r["entry"]] = r["args"]["model"]


# Known failures (run, reported as xfail, listed by id; issue 16 stays open until the list is empty).
KNOWN_FAILING = {line.strip() for line in (ROOT / "tests/python/errors_matrix_known_failing.txt").read_text().splitlines()
                 if line.strip() and not line.startswith("#")}


@pytest.mark.parametrize("row", [pytest.param(r, id=r["id"], marks=pytest.mark.xfail(
    reason="known failing since the reliability merge (issue 16)", strict=False)) if r["id"] in KNOWN_FAILING
    else pytest.param(r, id=r["id"]) for r in ROWS])
def test_bad_input_row(row, tmp_path):
    expected = row["message"]
    with pytest.raises(ERRORS[row["error"]]) as raised:
        call(row, tmp_path)
    message = str(raised.value)
    if "{path}" in expected:
        expected = expected.replace("{path}", os.fspath(tmp_path / ("m.csv" if row["area"] == "split" else "w.pt")))
    assert expected in message, f"{row['id']}: {message!r} lacks {expected!r}"


def test_matrix_has_300_rows_and_docs_match():
    rows = json.loads((ROOT / "tests/data/errors_matrix.json").read_text())["rows"]
    assert len(rows) >= 300
    done = subprocess.run([sys.executable, ROOT / "scripts/make_errors_matrix.py", "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
