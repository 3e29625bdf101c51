#!/usr/bin/env python3
"""Writes the bad-input matrix: tests/data/errors_matrix.json (read by the C++ programs'
test_*_errors.cpp and by tests/python/test_errors_matrix.py, which run every row) and
docs/errors.md (rendered from the same rows, so the page and the tests cannot drift; a test checks
that the committed page is this script's output).

Each row: id, area (the test program that runs it in C++), entry (public function), kind (class of
bad input), input (what is wrong, in words), args (the inputs, JSON: numbers, "NaN"/"Inf"/"-Inf",
{"re", "im"} complex numbers, tensor specs {"shape", "dtype", "fill", "set", "device"}, file specs
{"file": text or {"hex": ...}}), error (the Python exception type; C++: ValueError is
std::invalid_argument, RuntimeError is c10::Error from TORCH_CHECK or std::runtime_error), message
(a fragment the message must contain; "{path}" is the file's path), cpp / python (where the row is
run: some inputs only exist in one language, e.g. complex numpy arrays or C++ enums).

Usage: scripts/make_errors_matrix.py [--check]   (--check: exit 1 if the committed files differ)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAN, INF, NINF = "NaN", "Inf", "-Inf"
rows: list[dict] = []


def row(area, entry, kind, what, args, error, message, cpp=True, python=True, **extra):
    rid = f"{entry}/{kind}/{len([r for r in rows if r['entry'] == entry and r['kind'] == kind])}"
    rows.append(dict(id=rid, area=area, entry=entry, kind=kind, input=what, args=args, error=error,
                     message=message, cpp=cpp, python=python, **extra))


# ---- ROC / AUC / DeLong / threshold metrics (host, y_true + y_score) ------------------------------
Y = [0, 0, 1, 1]
S = [0.1, 0.4, 0.35, 0.8]
BINARY = {
    # entry: (area, extra args, score argument name)
    "roc_auc": ("roc", {}, "y_score"),
    "roc_curve": ("roc", {}, "y_score"),
    "auc_variance": ("roc", {}, "y_score"),
    "auc_ci": ("roc", {}, "y_score"),
    "youden_threshold": ("classification", {}, "y_score"),
    "binary_report": ("classification", {"threshold": 0.5}, "y_score"),
    "partial_auc": ("classification", {"low": 0.8, "high": 1.0}, "y_score"),
    "delong_test": ("roc", {}, "score_a"),
    "delong_test_unpaired": ("roc", {}, "score_a"),
}


def binary_args(entry, y, s):
    extra = BINARY[entry][1]
    if entry == "delong_test":
        return dict(y_true=y, score_a=s, score_b=S[: len(s)] if len(s) == len(S) else s, **extra)
    if entry == "delong_test_unpaired":
        return dict(y_a=y, score_a=s, y_b=Y, score_b=S, **extra)
    return dict(y_true=y, y_score=s, **extra)


for entry, (area, extra, score_name) in BINARY.items():
    labels = "y_a" if entry == "delong_test_unpaired" else "y_true"
    fn = entry
    length = f"{fn}: {labels} and {score_name} differ in length (4 vs 3)"
    if entry == "binary_report":
        length = "binary_report: y_true and y_score differ in length (4 vs 3)"
    row(area, entry, "lengths", f"{labels} has 4 entries, {score_name} 3", binary_args(entry, Y, S[:3]),
        "ValueError", length)
    for value, text in ((NAN, "nan"), (INF, "inf"), (NINF, "-inf")):
        s = [0.1, value, 0.35, 0.8]
        row(area, entry, "NaN/Inf", f"{score_name}[1] = {value}", binary_args(entry, Y, s), "ValueError",
            f"{fn}: {score_name}[1] is not finite ({text})")
    row(area, entry, "empty", "no samples", binary_args(entry, [], []), "ValueError",
        f"{fn}: {labels} is empty" if entry != "binary_report" else "binary_report: y_true is empty")
    if entry != "binary_report":  # a report of one class is defined (sensitivity or specificity NaN-free)
        for y, name in (([0, 0, 0, 0], "controls"), ([1, 1, 1, 1], "cases")):
            row(area, entry, "single class", f"only {name}", binary_args(entry, y, S), "ValueError",
                f"{fn}: ")
    for value, text in ((2, "2"), (-1, "-1"), (0.5, "0.5"), (NAN, "nan")):
        row(area, entry, "labels", f"{labels}[2] = {value}", binary_args(entry, [0, 0, value, 1], S), "ValueError",
            f"{fn}: {labels}[2] must be 0 (control) or 1 (case), got {text}")
    py_fn = fn
    row(area, entry, "dtype", f"{score_name} complex (imaginary part would be dropped)",
        binary_args(entry, Y, [{"re": 0.1, "im": 1.0}, 0.4, 0.35, 0.8]), "ValueError",
        "must be real, got complex", cpp=False)
    row(area, entry, "dtype", f"{score_name} strings", binary_args(entry, Y, ["a", "b", "c", "d"]), "ValueError",
        "could not convert string to float", cpp=False)
    row(area, entry, "dtype", f"{score_name} objects (None)", binary_args(entry, Y, [0.1, None, 0.35, 0.8]),
        "ValueError", f"{score_name}[1] is not finite (nan)", cpp=False)
    row(area, entry, "shape", f"{score_name} 2-D", binary_args(entry, Y, [[0.1, 0.4], [0.35, 0.8]]), "ValueError",
        "1-D", cpp=False)
    if entry not in ("binary_report",):
        row(area, entry, "options", "direction '<>'", dict(binary_args(entry, Y, S), direction="<>"), "ValueError",
            "direction must be '<' or '>'", cpp=False)

for level in (0.0, 1.0, NAN, 1.5):
    row("roc", "auc_ci", "options", f"level = {level}", dict(y_true=Y, y_score=S, level=level), "ValueError",
        "auc_ci: level must be in (0, 1)")
for low, high in ((0.5, 0.5), (-0.1, 1.0), (0.2, 1.5), (0.9, 0.1)):
    row("classification", "partial_auc", "options", f"range [{low}, {high}]",
        dict(y_true=Y, y_score=S, low=low, high=high), "ValueError",
        "partial_auc: the range must satisfy 0 <= low < high <= 1")
row("classification", "binary_report", "NaN/Inf", "threshold NaN", dict(y_true=Y, y_score=S, threshold=NAN),
    "ValueError", "binary_report: threshold is NaN")
row("roc", "delong_test", "lengths", "score_b shorter", dict(y_true=Y, score_a=S, score_b=S[:3]), "ValueError",
    "delong_test: y_true and score_b differ in length (4 vs 3)")
row("roc", "delong_test", "NaN/Inf", "score_b[0] = NaN", dict(y_true=Y, score_a=S, score_b=[NAN, 0.4, 0.35, 0.8]),
    "ValueError", "delong_test: score_b[0] is not finite (nan)")
row("roc", "delong_test_unpaired", "labels", "y_b[0] = 3", dict(y_a=Y, score_a=S, y_b=[3, 0, 1, 1], score_b=S),
    "ValueError", "delong_test_unpaired: y_b[0] must be 0 (control) or 1 (case), got 3")
for k, n, msg in ((5, 4, "proportion_ci: k must be in [0, n=4], got 5"), (-1, 4, "proportion_ci: k must be in [0, n=4], got -1"),
                  (0, 0, "proportion_ci: n must be >= 1, got 0")):
    row("classification", "proportion_ci", "out-of-range", f"k = {k}, n = {n}", dict(k=k, n=n), "ValueError", msg)
for level in (0.0, 1.0, NAN):
    row("classification", "proportion_ci", "options", f"level = {level}", dict(k=2, n=4, level=level), "ValueError",
        "proportion_ci: level must be in (0, 1)")

# ---- statistics (paired samples) -------------------------------------------------------------------
A = [1.0, 2.0, 3.5, 4.0, 5.5, 7.0]
B = [1.2, 1.9, 3.0, 4.4, 5.0, 6.1]
PAIRED = {  # entry: (first, second, min pairs, has level)
    "paired_ttest": ("a", "b", 2, True),
    "wilcoxon_signed_rank": ("a", "b", 1, False),
    "linear_regression": ("x", "y", 3, False),
    "pearson": ("x", "y", 4, True),
    "bland_altman": ("a", "b", 2, True),
    "volume_agreement": ("predicted", "truth", 3, True),
}
for entry, (first, second, min_pairs, has_level) in PAIRED.items():
    area = "segmentation_host" if entry == "volume_agreement" else "stats"
    row(area, entry, "lengths", f"{first} 6 values, {second} 5", {first: A, second: B[:5]}, "ValueError",
        f"{entry}: {first} and {second} differ in length (6 vs 5)")
    for name, values in ((first, A), (second, B)):
        for value, text in ((NAN, "nan"), (INF, "inf"), (NINF, "-inf")):
            bad = list(values)
            bad[2] = value
            args = {first: A, second: B}
            args[name] = bad
            row(area, entry, "NaN/Inf", f"{name}[2] = {value}", args, "ValueError",
                f"{entry}: {name}[2] is not finite ({text})")
    row(area, entry, "empty", "no pairs", {first: [], second: []}, "ValueError",
        f"{entry}: needs at least {min_pairs} pairs, got 0")
    row(area, entry, "too few", f"{min_pairs - 1} pairs", {first: A[: min_pairs - 1], second: B[: min_pairs - 1]},
        "ValueError", f"{entry}: needs at least {min_pairs} pairs, got {min_pairs - 1}")
    if has_level:
        for level in (0.0, 1.0, NAN, -0.5):
            row(area, entry, "options", f"level = {level}", {first: A, second: B, "level": level}, "ValueError",
                f"{entry}: level must be in (0, 1)")
    row(area, entry, "dtype", f"{first} complex", {first: [{"re": 1.0, "im": 2.0}] + A[1:], second: B}, "ValueError",
        "must be real, got complex", cpp=False)
    row(area, entry, "dtype", f"{first} strings", {first: ["x"] * 6, second: B}, "ValueError",
        "could not convert string to float", cpp=False)
for values, ddof, msg in (([], 1, "mean_sd: values needs at least 1 values, got 0"), ([1.0], 1, "mean_sd: values needs more than ddof=1"),
                          ([1.0, NAN], 1, "mean_sd: values[1] is not finite (nan)"),
                          ([1.0, INF], 1, "mean_sd: values[1] is not finite (inf)"),
                          ([1.0, 2.0], -1, "mean_sd: ddof must be >= 0, got -1")):
    row("stats", "mean_sd", "bad values" if ddof >= 0 else "options", f"values {values}, ddof {ddof}",
        dict(values=values, ddof=ddof), "ValueError", msg)

# ---- splitters -----------------------------------------------------------------------------------
YS = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1]
GS = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
for entry, extra in (("stratified_holdout", {"test_size": 0.25}), ("stratified_kfold", {"n_splits": 2}),
                     ("nested_split", {"n_splits": 2, "test_size": 0.34})):
    row("split", entry, "lengths", "groups one short", dict(y=YS, groups=GS[:-1], **extra), "ValueError",
        f"{entry}: groups")
    for value, text in ((NAN, "nan"), (INF, "inf")):
        y = list(YS)
        y[3] = value
        row("split", entry, "NaN/Inf", f"y[3] = {value}", dict(y=y, groups=GS, **extra), "ValueError",
            f"{entry}: y[3] is not a finite label ({text}")
    row("split", entry, "empty", "no samples", dict(y=[], groups=[], **extra), "ValueError", f"{entry}: y is empty")
    mixed = list(YS)
    mixed[1] = 1
    row("split", entry, "groups", "group 0 has labels 0 and 1", dict(y=mixed, groups=GS, **extra), "ValueError",
        f"{entry}: y: samples 0 and 1")
    row("split", entry, "single class", "one class with one group", dict(y=[0] * 10 + [1, 1], groups=GS, **extra),
        "ValueError", f"{entry}: ")
for size in (0.0, 1.0, -0.25, 1.5, NAN, INF):
    row("split", "stratified_holdout", "options", f"test_size = {size}", dict(y=YS, groups=GS, test_size=size),
        "ValueError", "stratified_holdout: test_size")
    row("split", "nested_split", "options", f"test_size = {size}", dict(y=YS, groups=GS, n_splits=2, test_size=size),
        "ValueError", "nested_split: test_size")
for n in (1, 0, -3):
    row("split", "stratified_kfold", "fold counts", f"n_splits = {n}", dict(y=YS, groups=GS, n_splits=n),
        "ValueError", f"stratified_kfold: n_splits must be >= 2, got {n}")
    row("split", "nested_split", "fold counts", f"n_splits = {n}", dict(y=YS, groups=GS, n_splits=n, test_size=0.34),
        "ValueError", f"nested_split: n_splits must be >= 2, got {n}")
for n in (4, 7, 100):
    row("split", "stratified_kfold", "fold counts", f"n_splits = {n} > groups per class (3)",
        dict(y=YS, groups=GS, n_splits=n), "ValueError", f"stratified_kfold: n_splits = {n} but the class")

# ---- files: manifests and state dicts ------------------------------------------------------------
HEADER = "sample_id,group,fold,seed,content_hash\n"
MANIFEST_CASES = [
    ("missing", "the path does not exist", {"missing": True}, "RuntimeError", "read_manifest: cannot open"),
    ("directory", "a directory", {"directory": True}, "ValueError",
     'read_manifest: path "{path}" is a directory, not a manifest file'),
    ("empty", "an empty file", {"file": ""}, "ValueError", "does not start with the header"),
    ("encoding", "a Latin-1 byte", {"file": {"hex": (HEADER + "h").encode().hex() + "fc" + "ft,p1,train,1,x\n".encode().hex()}},
     "ValueError", "read_manifest: {path} line 2 column 2: byte 0xfc is not UTF-8"),
    ("encoding", "a UTF-16 file (BOM)", {"file": {"hex": "fffe" + "s\0a\0".encode().hex()}}, "ValueError",
     "line 1 column 1: byte 0xff is not UTF-8"),
    ("format", "another header", {"file": "id,fold\na,train\n"}, "ValueError", "does not start with the header"),
    ("format", "header only", {"file": HEADER}, "ValueError", "read_manifest: {path} has no samples"),
    ("format", "a row with 4 fields", {"file": HEADER + "a,p1,train,1\n"}, "ValueError", "line 2 has 4 fields, expected 5"),
    ("format", "a row with 6 fields", {"file": HEADER + "a,p1,train,1,h,x\n"}, "ValueError", "line 2 has 6 fields, expected 5"),
    ("format", "seed not a number", {"file": HEADER + "a,p1,train,x1,h\n"}, "ValueError", "line 2: seed 'x1' is not an unsigned integer"),
    ("format", "negative seed", {"file": HEADER + "a,p1,train,-1,h\n"}, "ValueError", "seed '-1' is not an unsigned integer"),
    ("format", "two seeds", {"file": HEADER + "a,p1,train,1,h\nb,p2,test,2,h\n"}, "ValueError", "line 3: seed / content_hash differ from line 2"),
    ("format", "two hashes", {"file": HEADER + "a,p1,train,1,h\nb,p2,test,1,g\n"}, "ValueError", "line 3: seed / content_hash differ"),
    ("format", "unknown fold", {"file": HEADER + "a,p1,validation,1,h\n"}, "ValueError", "fold[0] must be 'train', 'test' or a fold number, got 'validation'"),
    ("format", "negative fold", {"file": HEADER + "a,p1,-1,1,h\nb,p2,0,1,h\n"}, "ValueError", "fold[0] must be 'train', 'test' or a fold number, got '-1'"),
    ("format", "fold ' 1' (a blank)", {"file": HEADER + "a,p1,\" 1\",1,h\n"}, "ValueError", "fold[0] must be 'train', 'test' or a fold number, got ' 1'"),
    ("format", "fold '+1'", {"file": HEADER + "a,p1,+1,1,h\n"}, "ValueError", "fold[0] must be 'train', 'test' or a fold number, got '+1'"),
    ("format", "seed ' 7' (a blank)", {"file": HEADER + "a,p1,train,\" 7\",h\n"}, "ValueError", "seed ' 7' is not an unsigned integer"),
    ("format", "train mixed with fold numbers", {"file": HEADER + "a,p1,train,1,h\nb,p2,0,1,h\n"}, "ValueError", "fold column mixes 'train' with fold numbers"),
    ("format", "a fold with no samples", {"file": HEADER + "a,p1,0,1,h\nb,p2,2,1,h\n"}, "ValueError", "Manifest: fold 1 has no samples"),
    ("format", "unterminated quote", {"file": HEADER + "\"a,p1,train,1,h\n"}, "ValueError", "line 2: quoted field is not terminated"),
    ("format", "text after a closing quote", {"file": HEADER + "\"a\"x,p1,train,1,h\n"}, "ValueError", "unexpected character 'x' after a closing quote"),
    ("leakage", "one group on both sides", {"file": HEADER + "a,p1,train,1,h\nb,p1,test,1,h\n"}, "ValueError", "group p1 is on both sides"),
    ("leakage", "one group in two folds", {"file": HEADER + "a,p1,0,1,h\nb,p1,1,1,h\nc,p2,1,1,h\n"}, "ValueError", "group p1 is on both sides"),
    ("torn", "cut inside the last row", {"file": HEADER + "a,p1,train,7,fnv1a64:0123\nb,p2,test,7,fnv1a"}, "ValueError", "line 3: seed / content_hash differ from line 2"),
    ("torn", "cut inside a field of the last row", {"file": HEADER + "a,p1,train,7,fnv1a64:0123\nb,p2,te"}, "ValueError", "line 3 has 3 fields, expected 5"),
]
for kind, what, spec, error, msg in MANIFEST_CASES:
    row("split", "read_manifest", kind, what, {"path": spec}, error, msg)
# With the data: the manifest must be of this data (ids, labels, groups).
IDS = ["h1_ap", "h1_frog", "h2_ap", "h2_frog", "h3_ap", "h3_frog", "h4_ap", "h4_frog"]
MY = [0, 0, 1, 1, 0, 0, 1, 1]
MG = ["h1", "h1", "h2", "h2", "h3", "h3", "h4", "h4"]
for kind, what, change, msg in (
        ("other data", "a label changed", {"y": [0, 0, 1, 1, 0, 0, 1, 0]}, "was made for other data"),
        ("other data", "two samples swapped", {"sample_ids": IDS[1::-1] + IDS[2:]}, "sample 0 is 'h1_ap' in the manifest but 'h1_frog' in the data"),
        ("other data", "fewer samples", {"sample_ids": IDS[:6], "y": MY[:6], "groups": MG[:6]}, "lists 8 samples but the data has 6"),
        ("groups", "the file's group column edited", {"edit_group": [7, "h9"]}, "has group 'h9' in the manifest but 'h4' in the data (was the group column edited?)"),
        ("groups", "the data's groups changed", {"groups": MG[:6] + ["h9", "h9"]}, "was made for other data"),
):
    row("split", "read_manifest_with_data", kind, what, {"data": dict(sample_ids=IDS, y=MY, groups=MG), "change": change},
        "ValueError", msg)

STATE_DICT_CASES = [
    ("missing", "the path does not exist", {"missing": True}, "cannot open path '{path}'"),
    ("directory", "a directory", {"directory": True}, "path '{path}' is a directory, not a state-dict file"),
    ("empty", "an empty file", {"file": ""}, "path '{path}' is not a torch.save zip archive"),
    ("format", "random bytes", {"file": {"random": 4096, "seed": 1}}, "is not a torch.save zip archive"),
    ("format", "text", {"file": "weights = [0.1, 0.2]\n"}, "is not a torch.save zip archive"),
    ("format", "legacy (non-zip) torch.save", {"file": {"hex": "80028a0a6cfc9c46f9206a" + "00" * 40}}, "_use_new_zipfile_serialization=True"),
    ("corrupt", "'PK' then random bytes", {"file": {"random": 4096, "seed": 2, "prefix": "504b0304"}}, "is not a readable torch.save archive (truncated or corrupt"),
    ("corrupt", "an empty zip archive", {"file": {"hex": "504b0506" + "00" * 18}}, "path '{path}'"),
    ("torn", "a state dict cut at half", {"saved": {"cut": 0.5}}, "is not a readable torch.save archive (truncated or corrupt"),
    ("torn", "a state dict cut 10 bytes short", {"saved": {"cut": -10}}, "is not a readable torch.save archive (truncated or corrupt"),
    ("torn", "a state dict cut after the first record", {"saved": {"cut": 200}}, "is not a readable torch.save archive (truncated or corrupt"),
    ("corrupt", "a flipped byte in tensor data", {"saved": {"flip": True}}, "is not a readable torch.save archive (truncated or corrupt"),
]
for kind, what, spec, msg in STATE_DICT_CASES:
    row("io", "load_state_dict_file", kind, what, {"path": spec}, "ValueError", "load_state_dict_file: " + msg)

# ---- losses (tensors) ----------------------------------------------------------------------------
LOSSES = ["dice_loss", "generalized_dice_loss", "tversky_loss", "dice_ce_loss", "dice_focal_loss", "focal_loss",
          "cross_entropy", "ce_focal_loss"]


def t(shape, dtype="float32", fill="ramp", set_=None, device="cpu"):
    spec = {"shape": shape, "dtype": dtype, "fill": fill}
    if set_:
        spec["set"] = set_
    if device != "cpu":
        spec["device"] = device
    return spec


LOGITS = t([2, 3, 4, 4])
LABELS = t([2, 1, 4, 4], "int64", "classes3")
for entry in LOSSES:
    row("losses", entry, "labels", "float label map with 0.5", dict(input=LOGITS, target=t([2, 1, 4, 4], "float32", "classes3", [[5, 0.5]])),
        "RuntimeError", f"{entry}: target is a label map (class indices) of dtype Float holding the non-integer value 0.5")
    row("losses", entry, "NaN/Inf", "float label map with NaN", dict(input=LOGITS, target=t([2, 1, 4, 4], "float32", "classes3", [[0, NAN]])),
        "RuntimeError", f"{entry}: target is a label map (class indices) of dtype Float holding the non-integer value nan")
    row("losses", entry, "NaN/Inf", "float label map with Inf", dict(input=LOGITS, target=t([2, 1, 4, 4], "float64", "classes3", [[3, INF]])),
        "RuntimeError", f"{entry}: target is a label map (class indices) of dtype Double holding the non-integer value inf")
    for value in (2.0, -1.0, NAN):
        row("losses", entry, "out-of-range", f"one-hot target holding {value}",
            dict(input=LOGITS, target=t([2, 3, 4, 4], "float32", "onehot3", [[7, value]])), "RuntimeError",
            f"{entry}: dense target (one-hot, binary or soft labels) must lie in [0, 1], got {str(value).replace('NaN', 'nan')}")
    row("losses", entry, "out-of-range", "integer one-hot holding 3", dict(input=LOGITS, target=t([2, 3, 4, 4], "int64", "onehot3", [[1, 3]])),
        "RuntimeError", f"{entry}: dense target (one-hot, binary or soft labels) must lie in [0, 1], got 3")
    row("losses", entry, "out-of-range", "class index 3 for 3 channels", dict(input=LOGITS, target=t([2, 1, 4, 4], "int64", "classes3", [[9, 3]])),
        "RuntimeError", f"{entry}: target holds class index 3, outside [0, 3)")
    row("losses", entry, "out-of-range", "class index -2", dict(input=LOGITS, target=t([2, 1, 4, 4], "int64", "classes3", [[9, -2]])),
        "RuntimeError", f"{entry}: target holds class index -2, outside [0, 3)")
    row("losses", entry, "device", "target on meta, input on cpu", dict(input=LOGITS, target=t([2, 1, 4, 4], "int64", "zeros", device="meta")),
        "RuntimeError", f"{entry}: target is on device meta but input on cpu")
    row("losses", entry, "device", "input on meta, target on cpu", dict(input=t([2, 3, 4, 4], device="meta", fill="zeros"), target=LABELS),
        "RuntimeError", f"{entry}: target is on device cpu but input on meta")
    row("losses", entry, "dtype", "integer input (uint8 image)", dict(input=t([2, 3, 4, 4], "uint8", "zeros"), target=LABELS),
        "RuntimeError", f"{entry}: input must be floating point (logits or probabilities), got dtype Byte")
    row("losses", entry, "dtype", "complex target", dict(input=LOGITS, target=t([2, 3, 4, 4], "complex64", "zeros")),
        "RuntimeError", f"{entry}: target must be real, got dtype ComplexFloat")
    row("losses", entry, "shape", "target of other spatial size", dict(input=LOGITS, target=t([2, 1, 4, 5], "int64", "zeros")),
        "RuntimeError", f"{entry}: target shape [2, 1, 4, 5] does not fit input shape [2, 3, 4, 4]")
    row("losses", entry, "shape", "target of other batch size", dict(input=LOGITS, target=t([3, 1, 4, 4], "int64", "zeros")),
        "RuntimeError", f"{entry}: target shape [3, 1, 4, 4] does not fit input shape [2, 3, 4, 4]")
    row("losses", entry, "shape", "target with 2 channels for 3", dict(input=LOGITS, target=t([2, 2, 4, 4], "float32", "zeros")),
        "RuntimeError", f"{entry}: target shape [2, 2, 4, 4] does not fit input shape [2, 3, 4, 4]")
    row("losses", entry, "shape", "1-D input", dict(input=t([6]), target=t([6], "int64", "zeros")),
        "RuntimeError", f"{entry}: input must be (B, C, spatial...) with at least 2 dimensions, got shape [6]")

# ---- segmentation metrics (tensors) -------------------------------------------------------------
SEG = ["dice", "iou", "sensitivity", "specificity", "precision", "hausdorff95", "average_surface_distance",
       "voxel_confusion_counts"]
PRED = t([1, 1, 6, 6], "float32", "ramp")
MASK = t([1, 1, 6, 6], "uint8", "mask")
for entry in SEG:
    fn = "voxel_confusion_counts" if entry in ("dice", "iou", "sensitivity", "specificity", "precision") else entry
    if entry == "hausdorff95":
        fn = "hausdorff95"
    py = entry != "voxel_confusion_counts"
    row("segmentation", entry, "NaN/Inf", "threshold NaN (would read as all background)",
        dict(prediction=PRED, target=MASK, threshold=NAN), "RuntimeError", f"{fn}: threshold must be a number, got nan",
        python=py)
    row("segmentation", entry, "NaN/Inf", "prediction holds NaN",
        dict(prediction=t([1, 1, 6, 6], "float32", "ramp", [[4, NAN]]), target=MASK), "RuntimeError", f"{fn}: prediction contains NaN",
        python=py)
    row("segmentation", entry, "shape", "shapes differ",
        dict(prediction=PRED, target=t([1, 1, 6, 5], "uint8", "mask")), "RuntimeError", "shapes differ", python=py)
    row("segmentation", entry, "shape", "no spatial axis",
        dict(prediction=t([1, 1], "float32"), target=t([1, 1], "uint8", "mask")), "RuntimeError",
        "must be (B, C, spatial...) with at least one spatial axis", python=py)
    row("segmentation", entry, "device", "target on meta",
        dict(prediction=PRED, target=t([1, 1, 6, 6], "uint8", "zeros", device="meta")), "RuntimeError",
        "different devices", python=py)
    row("segmentation", entry, "dtype", "integer mask with a 2",
        dict(prediction=PRED, target=t([1, 1, 6, 6], "uint8", "mask", [[3, 2]])), "RuntimeError",
        "target must hold 0/1 masks", python=py)
    row("segmentation", entry, "out-of-range", "label map value 3 with num_classes 3",
        dict(prediction=t([1, 1, 6, 6], "int64", "classes3"), target=t([1, 1, 6, 6], "int64", "classes3", [[0, 3]]),
             num_classes=3), "RuntimeError", "target label map has values outside [0, num_classes=3)", python=py)
    row("segmentation", entry, "options", "num_classes -1",
        dict(prediction=PRED, target=MASK, num_classes=-1), "RuntimeError", "num_classes must be >= 0, got -1", python=False)
for entry, fn in (("hausdorff95", "hausdorff95"), ("average_surface_distance", "average_surface_distance")):
    for spacing in ([1.0, -1.0], [1.0, NAN], [0.0, 1.0]):
        row("segmentation", entry, "options", f"spacing {spacing}", dict(prediction=PRED, target=MASK, spacing=spacing),
            "RuntimeError", f"{fn}: spacing must be finite and positive")
    row("segmentation", entry, "options", "spacing of 3 values for 2 axes",
        dict(prediction=PRED, target=MASK, spacing=[1.0, 1.0, 1.0]), "RuntimeError", f"{fn}: spacing has 3 values but the inputs have 2 spatial axes")

# ---- networks (tensors) ----------------------------------------------------------------------
NETS = {
    "ResNet18": ("ResNet", dict(num_classes=2), [1, 3, 32, 32]),
    "UNet": ("UNet", dict(spatial_dims=2, in_channels=1, out_channels=2, channels=[4, 8], strides=[2]), [1, 1, 16, 16]),
    "VNet": ("VNet", dict(spatial_dims=2, in_channels=1, out_channels=2), [1, 1, 16, 16]),
}
for entry, (name, options, shape) in NETS.items():
    for dtype, torch_name in (("uint8", "Byte"), ("int16", "Short"), ("int64", "Long"), ("bool", "Bool")):
        row("nn", entry, "dtype", f"{dtype} image", dict(model=options, input=t(shape, dtype, "zeros")), "RuntimeError",
            f"{name}: input must be a floating-point tensor, got dtype {torch_name}")
    bad = list(shape)
    bad[1] = 2
    row("nn", entry, "shape", "wrong channel count", dict(model=options, input=t(bad, "float32", "zeros")), "RuntimeError",
        f"{name}: input must")
    row("nn", entry, "shape", "missing batch axis", dict(model=options, input=t(shape[1:], "float32", "zeros")), "RuntimeError",
        f"{name}: input must")
for entry in ("UNet", "VNet"):
    name, options, _ = NETS[entry]
    row("nn", entry, "shape", "spatial size not divisible", dict(model=options, input=t([1, 1, 15, 16], "float32", "zeros")),
        "RuntimeError", f"{name}: every spatial size of the input must be divisible by")
row("nn", "load_state_dict", "other architecture", "ResNet-18 checkpoint into a UNet",
    dict(model=NETS["UNet"][1], checkpoint="ResNet18"), "ValueError", "load_state_dict: the state dict does not fit the model.")
row("nn", "load_state_dict", "other architecture", "UNet checkpoint into a ResNet-18",
    dict(model=NETS["ResNet18"][1], checkpoint="UNet"), "ValueError", "Missing keys")
row("nn", "load_state_dict", "other architecture", "UNet (4, 8) checkpoint into a UNet (8, 16)",
    dict(model=dict(NETS["UNet"][1], channels=[8, 16]), checkpoint="UNet"), "ValueError", "Shape mismatch")


# ---- output ---------------------------------------------------------------------------------------
def render() -> str:
    lines = ["# Errors: the bad-input matrix", "",
             "Every public entry point refuses bad input with an exception that names the function, the argument",
             "and the value: `std::invalid_argument` in C++ / `ValueError` in Python for host data and options,",
             "`c10::Error` (TORCH_CHECK) / `RuntimeError` for tensors; files that cannot be opened are",
             "`std::runtime_error` / `RuntimeError` where documented. Nothing crashes and nothing returns a",
             "silent number.", "",
             f"The {len(rows)} rows below are generated by `scripts/make_errors_matrix.py` from the same table",
             "(`tests/data/errors_matrix.json`) that the tests run: every row marked C++ is run by the",
             "`test_*_errors.cpp` program of its area, every row marked Python by",
             "`tests/python/test_errors_matrix.py`, which checks the exception type and that the message",
             "contains the fragment shown. `{path}` stands for the file's path. A test fails if this page is",
             "not the script's output, so the page cannot drift from the tests.", "",
             "How each class of bad input is handled is summarised in [reliability.md](reliability.md).", ""]
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    lines += ["| kind of bad input | rows |", "|---|---|"]
    lines += [f"| {k} | {n} |" for k, n in sorted(kinds.items())]
    lines += ["", f"C++ rows: {sum(r['cpp'] for r in rows)}; Python rows: {sum(r['python'] for r in rows)}.", ""]
    area = None
    for r in rows:
        if r["area"] != area:
            area = r["area"]
            lines += ["", f"## {area}", "", "| entry | kind | bad input | exception | message contains | C++ | Python |",
                      "|---|---|---|---|---|---|---|"]
        message = r["message"].replace("|", "\\|")
        what = r["input"].replace("|", "\\|")
        lines.append(f"| `{r['entry']}` | {r['kind']} | {what} | {r['error']} | `{message}` | "
                     f"{'yes' if r['cpp'] else '—'} | {'yes' if r['python'] else '—'} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    table = json.dumps({"rows": rows}, indent=1, ensure_ascii=True) + "\n"
    doc = render()
    targets = {ROOT / "tests/data/errors_matrix.json": table, ROOT / "docs/errors.md": doc}
    if "--check" in sys.argv:
        stale = [str(p) for p, text in targets.items() if not p.exists() or p.read_text() != text]
        if stale:
            print("out of date (run scripts/make_errors_matrix.py):", *stale)
            return 1
        return 0
    for path, text in targets.items():
        path.write_text(text)
    print(f"{len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
