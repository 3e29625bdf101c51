"""The Python package as a product: one result convention, explicit __all__, real signatures and
docstrings, inputs from numpy / lists / pandas / tensors, errors that name the argument, the
renamed mask metrics, print(model) as torch prints, and `python -m osteon`."""
import inspect
import json
import math
import os
import subprocess
import sys
import threading
import time
import warnings

import numpy as np
import pandas as pd
import pytest
import torch

import osteon
from osteon import metrics, nn, split, stats

SUBMODULES = ["metrics", "split", "losses", "nn", "stats", "data", "plots", "progress", "train"]
# Modules whose every public function this package writes in Python (the losses and data are
# bound by other layers; their signatures come from the binding).
DOCUMENTED = ["metrics", "plots", "progress", "stats", "split"]


def _public_callables(module):
    for name in module.__all__:
        obj = getattr(module, name)
        if callable(obj) and not inspect.isclass(obj):
            yield name, obj


def _demo():
    data = pd.read_csv(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "data",
                                    "hip_outcome_scores.csv"))
    return data["outcome"], data["ap_score"], data["frog_score"]


# ---- __all__, signatures, docstrings -------------------------------------------------------------

@pytest.mark.parametrize("name", SUBMODULES)
def test_every_submodule_lists_its_public_names_and_nothing_private(name):
    module = getattr(osteon, name)
    assert isinstance(module.__all__, list) and module.__all__
    for public in module.__all__:
        assert not public.startswith("_"), (name, public)
        assert hasattr(module, public), (name, public)
        assert not public.endswith("_tensor"), (name, public)  # the backend entry points stay in _C
    star = {}
    exec(f"from osteon.{name} import *", star)  # noqa: S102
    assert set(star) - {"__builtins__"} == set(module.__all__)


@pytest.mark.parametrize("name", SUBMODULES)
def test_inspect_signature_works_on_every_public_function(name):
    module = getattr(osteon, name)
    for public, function in _public_callables(module):
        signature = inspect.signature(function)  # raised ValueError on bound functions before
        assert all(p.name != "kwargs" for p in signature.parameters.values()) or name == "losses", public


@pytest.mark.parametrize("name", DOCUMENTED)
def test_every_public_function_has_args_returns_and_example(name):
    module = getattr(osteon, name)
    for public, function in _public_callables(module):
        doc = inspect.getdoc(function) or ""
        if doc.startswith("Deprecated alias") or "deprecated" in doc.split("\n")[0].lower():
            continue
        assert "Example:" in doc, (name, public)
        if inspect.signature(function).return_annotation not in ("None", None):
            assert "Returns:" in doc, (name, public)
        if inspect.signature(function).parameters:
            assert "Args:" in doc, (name, public)


def test_signatures_take_their_defaults_from_the_cpp_options():
    segmentation = osteon._C.metrics._segmentation_defaults
    assert inspect.signature(metrics.dice).parameters["threshold"].default == segmentation["threshold"]
    assert inspect.signature(metrics.surface_distances).parameters["percentile"].default == segmentation["percentile"]
    assert inspect.signature(metrics.auc_ci).parameters["n_boot"].default == osteon._C.metrics._roc_defaults["n_boot"]
    assert inspect.signature(split.stratified_kfold).parameters["seed"].default == osteon._C.split._split_defaults["seed"]
    # stats: the binding's py::args, read from its pybind11 signature
    assert str(inspect.signature(stats.pearson)) .startswith("(x, y, level")


def test_no_test_only_module_in_the_package():
    assert not hasattr(osteon._C, "_testing")


# ---- one result convention -----------------------------------------------------------------------

def test_results_are_records_with_to_dict_and_to_frame():
    y, ap, frog = _demo()
    ci = metrics.auc_ci(y, ap)
    assert isinstance(ci, osteon.Result)
    assert set(ci.to_dict()) == {"auc", "ci_low", "ci_high", "level", "method"}
    frame = ci.to_frame()
    assert list(frame.columns) == ["auc", "ci_low", "ci_high", "level", "method"] and len(frame) == 1
    low, auc, high = ci
    assert (low, auc, high) == (ci.ci_low, ci.auc, ci.ci_high)
    report = metrics.binary_report(y, ap, threshold=0.3)
    assert report.to_dict()["accuracy_ci"]["ci_low"] == report.accuracy_ci.ci_low
    json.dumps(report.to_dict())
    for record in (stats.mean_sd([1.0, 2.0, 4.0]), stats.pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]),
                   metrics.summarize([0.9, 0.8, float("nan")]), metrics.roc_curve(y, ap),
                   metrics.fold_table([[0.9, 0.8], [0.85, 0.95]]), metrics.per_class_auc([0, 1, 2, 0, 1, 2],
                                                                                         np.eye(3)[[0, 1, 2, 0, 2, 1]])):
        assert isinstance(record, osteon.Result), type(record)
        json.dumps(record.to_dict())
        assert len(record.to_frame()) >= 1
        assert type(record).__name__ in repr(record)


def test_old_dict_access_still_works_with_a_deprecation_warning():
    r = stats.mean_sd([1.0, 2.0, 4.0])
    with pytest.warns(DeprecationWarning, match=r"use the attribute \.sd"):
        assert r["sd"] == r.sd
    with pytest.warns(DeprecationWarning, match="use .to_dict"):
        assert r._asdict()["sd"] == r.sd


# pROC 1.18's print(roc.test(r1, r2, method = "delong")) on examples/data/hip_outcome_scores.csv
# (Rscript, roc(outcome, ap_score / frog_score, direction = "<", levels = c(0, 1))), verbatim.
PROC_ROC_TEST = """
\tDeLong's test for two correlated ROC curves

data:  r1 and r2
Z = 1.3397, p-value = 0.1804
alternative hypothesis: true difference in AUC is not equal to 0
95 percent confidence interval:
 -0.0192704  0.1025076
sample estimates:
AUC of roc1 AUC of roc2 
  0.7274290   0.6858104 
"""


def test_delong_test_prints_like_procs_roc_test():
    y, ap, frog = _demo()
    t = metrics.delong_test(y, ap, frog, names=("roc1", "roc2"))
    expected = PROC_ROC_TEST.replace("data:  r1 and r2", "data:  roc1 and roc2")
    assert repr(t) == expected
    assert t.alternative == "two-sided"
    assert metrics.delong_test(y, ap, frog, alternative="two.sided").p_value == t.p_value  # pROC's spelling
    unpaired = repr(metrics.delong_test_unpaired(y, ap, y, frog, names=("roc1", "roc2"))).splitlines()
    assert unpaired[1] == "\tDeLong's test for two ROC curves"
    assert unpaired[4] == "D = 1.1202, df = 861.81, p-value = 0.2629"  # pROC's paired=FALSE print


def test_results_table_prints_as_a_paper_table_and_is_json_serialisable():
    y, ap, frog = _demo()
    table = metrics.results_table(y, {"AP": ap, "Frog": frog})
    text = repr(table)
    assert "AUC [95 % CI]" in text and "0.727 [0.676, 0.779]" in text
    restored = json.loads(json.dumps(table.to_dict()))  # was: a BinaryReport inside, not serialisable
    assert restored["rows"][0]["model"] == "AP"
    assert restored["rows"][0]["report"]["tp"] == table[0].report.tp
    frame = table.to_frame()
    assert list(frame["model"]) == ["AP", "Frog"] and frame["auc"][0] == pytest.approx(table["AP"].auc)
    assert "| AP |" in table.to_markdown()


def test_segmentation_records_keep_tensors_on_their_device():
    p = torch.zeros(2, 2, 8, 8)
    p[:, 1, 2:6, 2:6] = 1
    p[:, 0] = 1 - p[:, 1]
    r = metrics.segmentation_report(p, p)
    assert isinstance(r.dice, torch.Tensor) and r.dice.device == p.device
    assert r.to_dict()["dice"] is r.dice
    assert len(r.to_frame()) == 4  # (sample, class) rows
    tp, fp, fn, tn = metrics.voxel_confusion_counts(p, p)
    assert torch.equal(tp, r.true_positives)


# ---- inputs ----------------------------------------------------------------------------------------

def test_numpy_lists_series_and_tensors_give_the_same_numbers():
    y, ap, _ = _demo()
    expected = metrics.roc_auc(y.to_numpy(), ap.to_numpy())
    assert metrics.roc_auc(list(y), list(ap)) == expected
    assert metrics.roc_auc(y, ap) == expected  # pandas Series
    tensor = metrics.roc_auc(torch.tensor(y.to_numpy()), torch.tensor(ap.to_numpy()))
    assert isinstance(tensor, torch.Tensor) and tensor.device.type == "cpu" and tensor.item() == expected
    assert metrics.auc_ci(torch.tensor(y.to_numpy()), ap).auc == pytest.approx(expected, rel=1e-12)
    assert stats.linear_regression(pd.Series([1.0, 2, 3, 4]), torch.tensor([1.1, 1.9, 3.2, 3.9])).n == 4


def test_text_class_labels_get_a_clear_error_not_a_numpy_one():
    with pytest.raises(ValueError, match=r"roc_auc: y_true holds text \('no', 'yes'\).*\(y_true == 'yes'\)"):
        metrics.roc_auc(["yes", "no", "yes", "no"], [0.9, 0.1, 0.8, 0.3])
    with pytest.raises(ValueError, match=r"multiclass_auc: y_true holds text .*return_inverse=True"):
        metrics.multiclass_auc(np.array(["normal", "osteopenia", "osteoporosis"]), np.eye(3))
    with pytest.raises(ValueError, match=r"results_table: y_true holds text"):
        metrics.results_table(pd.Series(["a", "b"]), {"m": [0.1, 0.2]})
    # the splitters take text labels (their codes are only balanced, never a positive class)
    train, test = split.stratified_holdout(["a", "b"] * 10, test_size=0.5, seed=1)
    assert len(train) == len(test) == 10


@pytest.mark.parametrize("bad", [-1, 2 ** 64, 1.5, "7"])
def test_bad_seeds_are_value_errors_naming_the_argument(bad):
    y, ap, _ = _demo()
    with pytest.raises(ValueError, match=r"auc_ci: seed must be an integer in \[0, 2\*\*64\), got"):
        metrics.auc_ci(y, ap, method="bootstrap", n_boot=10, seed=bad)
    with pytest.raises(ValueError, match=r"seed must be an integer in \[0, 2\*\*64\)"):
        split.stratified_kfold([0, 1] * 5, 2, seed=bad)
    with pytest.raises(ValueError, match=r"sensitivity_band: seed must be an integer"):
        osteon.plots.sensitivity_band(y, ap, n_boot=2, seed=bad)


def test_the_largest_seed_is_accepted():
    y, ap, _ = _demo()
    assert 0 < metrics.auc_ci(y, ap, method="bootstrap", n_boot=20, seed=2 ** 64 - 1).ci_low < 1


# ---- renames -----------------------------------------------------------------------------------

@pytest.mark.parametrize("old,new", [("sensitivity", "voxel_sensitivity"), ("precision", "voxel_precision"),
                                     ("specificity", "voxel_specificity"),
                                     ("confusion_counts", "voxel_confusion_counts")])
def test_mask_metrics_have_voxel_names_and_deprecated_aliases(old, new):
    t = torch.zeros(1, 1, 4, 4, dtype=torch.bool)
    t[0, 0, :2] = True
    p = torch.zeros_like(t)
    p[0, 0, 1:3] = True
    with pytest.warns(DeprecationWarning, match=f"osteon.metrics.{old} is deprecated.*{new}"):
        value = getattr(metrics, old)(p, t)
    expected = getattr(metrics, new)(p, t)
    for a, b in zip(value if old == "confusion_counts" else [value], expected if old == "confusion_counts" else [expected]):
        assert torch.equal(a, b)
    assert inspect.signature(getattr(metrics, old)) == inspect.signature(getattr(metrics, new))


def test_state_dict_files_have_the_cpp_names(tmp_path):
    model = nn.ResNet18(num_classes=2, in_channels=1)
    nn.save_state_dict(model, tmp_path / "m.pt")
    other = nn.ResNet18(num_classes=2, in_channels=1)
    nn.load_state_dict(other, tmp_path / "m.pt")
    assert torch.equal(other.fc.weight, model.fc.weight)
    with pytest.warns(DeprecationWarning, match="use osteon.nn.save_state_dict"):
        nn.save_weights(model, tmp_path / "old.pt")


# ---- models -----------------------------------------------------------------------------------

def test_print_model_shows_the_layers_as_torch_does():
    text = repr(nn.ResNet18(num_classes=2, in_channels=1))
    assert text.startswith("BasicResNet2d(\n")
    assert "(conv1): Conv2d(1, 64, kernel_size=[7, 7]" in text
    assert "(layer1): Sequential(" in text and "(0): BasicBlock(" in text
    assert "(fc): Linear(in_features=512, out_features=2, bias=true)" in text
    unet = repr(nn.UNet(2, 1, 2, channels=(8, 16), strides=(2,)))
    assert unet.startswith("UNet(") and "Conv2d(" in unet


def test_forward_releases_the_gil():
    model = nn.ResNet18(num_classes=2).eval()
    x = torch.randn(8, 3, 96, 96)
    with torch.no_grad():
        model(x)  # warm up
        done = threading.Event()
        thread = threading.Thread(target=lambda: (model(x), model(x), done.set()))
        ticks = 0
        thread.start()
        while not done.is_set():
            ticks += 1
            time.sleep(0)
        thread.join()
    # with the GIL held through the C++ forward this loop could not run while it computes
    assert ticks > 50


def _largest_pause_of_this_thread_while(function):
    """Runs `function` in a second thread; returns (its duration, the longest time this thread
    could not run meanwhile). A binding that holds the GIL stalls this thread for the whole call."""
    result = {}

    def work():
        start = time.perf_counter()
        function()
        result["duration"] = time.perf_counter() - start

    thread = threading.Thread(target=work)
    thread.start()
    last, longest = time.perf_counter(), 0.0
    while thread.is_alive():
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
        time.sleep(0.0005)
    thread.join()
    return result["duration"], longest


@pytest.mark.parametrize("name", ["delong_test", "auc_ci bootstrap", "surface_distances", "pearson"])
def test_metrics_release_the_gil(name):
    rng = np.random.default_rng(0)
    n = 300_000
    y = rng.integers(0, 2, n)
    a, b = y + rng.normal(size=n), rng.normal(size=n)
    masks = torch.rand(1, 1, 112, 112, 112) > 0.5
    shifted = torch.roll(masks, 1, -1)
    long_a, long_b = np.tile(a, 10), np.tile(b, 10)
    calls = {"delong_test": (lambda: [metrics.delong_test(y, a, b) for _ in range(2)], 2),
             "auc_ci bootstrap": (lambda: metrics.auc_ci(y[:4000], a[:4000], method="bootstrap", n_boot=3000), 1),
             "surface_distances": (lambda: metrics.surface_distances(masks, shifted), 1),
             "pearson": (lambda: [stats.pearson(long_a, long_b) for _ in range(2)], 2)}
    function, n_calls = calls[name]
    duration, pause = _largest_pause_of_this_thread_while(function)
    # with the GIL held this thread would stall for about one whole C++ call
    assert pause < 0.5 * duration / n_calls, (duration, pause)


# ---- python -m osteon ---------------------------------------------------------------------------

def _run(*args):
    return subprocess.run([sys.executable, "-m", "osteon", *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ))


def test_python_m_osteon_version_and_doctor():
    version = _run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"osteon {osteon.__version__}"
    doctor = _run("doctor")
    assert doctor.returncode == 0, doctor.stderr
    for needle in ("[osteon]", "[torch]", "[threads]", "[readers]", torch.__version__, "BLAS",
                   "torch intra-op threads", "nibabel"):
        assert needle in doctor.stdout, needle


# ---- the study statistics (issue 17) follow the one result convention ---------------------------

def test_study_statistics_return_records_that_go_to_json_and_pandas():
    y, ap, frog = _demo()
    records = [metrics.calibration(y, ap), metrics.net_benefit(y, ap, [0.1, 0.2], n_boot=20, seed=1),
               metrics.roc_bootstrap_test(y, ap, frog, n_boot=20, seed=1), metrics.local_maxima(y, ap),
               metrics.weighted_binary_report(y, ap, np.ones(len(y))), stats.power_roc_test(auc=0.8, power=0.9),
               metrics.partial_auc_ci_bootstrap(y, ap, 0.8, n_boot=20, seed=1)]
    truth = np.array([0, 0, 1, 1, 0, 1, 1, 0])
    ratings = np.stack([np.stack([truth + np.random.default_rng(i).normal(0, s, 8) for i in range(3)])
                        for s in (0.8, 1.2)])
    records.append(stats.or_mrmc(truth, ratings))
    for record in records:
        assert isinstance(record, osteon.Result), type(record)
        json.dumps(record.to_dict())
        assert len(record.to_frame()) >= 1
        assert type(record).__name__ in repr(record)
    mrmc = records[-1]
    assert isinstance(mrmc.random_readers.modalities[0], stats.MrmcEstimate)
    assert mrmc.aucs.tolist() == mrmc.modality_foms.tolist()
    thresholds, sensitivity, specificity = metrics.coords_at(y, ap, "specificity", [0.9])  # still unpacks
    assert specificity[0] == pytest.approx(0.9)
    assert len(records[1].to_frame()) == 2  # one row per threshold


def test_io_functions_have_signatures_and_docstrings():
    for function in (osteon.data.read_image, osteon.data.read_dicom_series, osteon.data.write_image):
        parameters = inspect.signature(function).parameters
        assert "Args:" in function.__doc__ and "Example:" in function.__doc__
    assert list(inspect.signature(osteon.data.read_dicom_series).parameters) == [
        "folder", "space", "rescale", "invert_monochrome1"]
    with pytest.raises(FileNotFoundError):
        osteon.data.read_dicom_series("/nonexistent/series")
