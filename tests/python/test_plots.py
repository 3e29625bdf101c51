"""osteon.plots: every figure renders to a non-blank PNG of the expected size; the ROC path
encloses the AUC (ties included); the band, legend and p-values are what the numbers say."""
import io
import json

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

import osteon  # noqa: E402
from osteon import metrics, plots  # noqa: E402

SAVE = __import__("os").environ.get("OSTEON_PLOTS_DIR")  # set to a folder to look at the figures


@pytest.fixture(autouse=True)
def _no_progress_bars():
    """The bootstrap bands draw no bars here; the flag is restored for the other test modules."""
    with osteon.progress.disabled():
        yield


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    return y, y + rng.normal(size=n), 0.5 * y + rng.normal(size=n)


def _png(fig, name, dpi=80):
    """Renders the figure; checks its size and that it is not blank; returns the pixel array."""
    assert isinstance(fig, Figure)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    if SAVE:
        fig.savefig(f"{SAVE}/{name}.png", dpi=dpi)
    pixels = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("L"), dtype=float)
    width, height = fig.get_size_inches() * dpi
    assert abs(pixels.shape[1] - width) <= 2 and abs(pixels.shape[0] - height) <= 2
    assert pixels.std() > 10 and (pixels < 128).mean() > 0.005, f"{name} looks blank"
    matplotlib.pyplot.close(fig)
    return pixels


def test_sensitivity_band_brackets_the_curve_and_is_seeded():
    y, a, _ = _data()
    sp, lo, mid, hi = plots.sensitivity_band(y, a, n_boot=200, seed=3)
    assert np.all(lo <= mid + 1e-12) and np.all(mid <= hi + 1e-12)
    curve = metrics.roc_curve(y, a)
    observed = plots._sensitivity_at(curve, sp)
    assert np.mean((observed >= lo - 1e-12) & (observed <= hi + 1e-12)) > 0.95
    assert lo[0] == 1.0 and hi[-1] <= 1.0
    again = plots.sensitivity_band(y, a, n_boot=200, seed=3)
    np.testing.assert_array_equal(lo, again[1])


def test_sensitivity_at_reads_the_step_curve():
    curve = metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    got = plots._sensitivity_at(curve, np.array([0.0, 0.5, 0.75, 1.0]))
    np.testing.assert_array_equal(got, [1.0, 1.0, 0.5, 0.5])


def test_the_drawn_roc_path_encloses_the_auc_on_tied_scores():
    # Regression: points sharing a false-positive rate were drawn in descending sensitivity and
    # as a post-step, so the drawn area was 0.38 where the AUC is 0.48.
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 200)
    s = np.round(0.3 * y + rng.normal(size=200), 0)  # few distinct scores: many ties
    assert len(np.unique(s)) < 10
    fig = plots.roc_plot(y, {"tied": s}, ci=False)
    line = [l for l in fig.axes[0].get_lines() if l.get_label().startswith("tied")][0]
    x, sens = line.get_xdata(), line.get_ydata()
    assert x[0] == 0 and sens[0] == 0 and x[-1] == 1 and sens[-1] == 1
    assert np.all(np.diff(x) >= 0) and np.all(np.diff(sens) >= 0)
    area = np.sum(np.diff(x) * (sens[1:] + sens[:-1]) / 2)
    from sklearn.metrics import roc_auc_score

    assert area == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert area == pytest.approx(metrics.roc_auc(y, s), abs=1e-12)
    _png(fig, "roc_tied")


def test_roc_plot_legend_band_staircase_p_values_and_greyscale_styles():
    y, a, b = _data()
    fig = plots.roc_plot(y, {"A": a, "B": b}, n_boot=50)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    ci = metrics.auc_ci(y, a)
    assert labels[0] == f"A: AUC {ci.auc:.3f} [{ci.ci_low:.3f}, {ci.ci_high:.3f}]"
    assert len(labels) == 2
    assert len(ax.collections) == 2  # one band per model
    # the band is a staircase: its outline has vertical steps (repeated x values)
    outline = ax.collections[0].get_paths()[0].vertices
    assert np.sum(np.diff(outline[:, 0]) == 0) > 20
    # models differ in line style, not only in colour (greyscale prints)
    styles = {l.get_linestyle() for l in ax.get_lines() if l.get_label()[:2] in ("A:", "B:")}
    assert len(styles) == 2
    test = metrics.delong_test(y, a, b)
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "A vs B" in texts and (f"p = {test.p_value:.3f}" in texts or "p < 0.001" in texts)
    _png(fig, "roc_two_models")


def test_roc_plot_takes_tensors_and_series():
    import pandas as pd

    y, a, _ = _data(120)
    fig = plots.roc_plot(torch.tensor(y), pd.Series(a), n_boot=20)
    _png(fig, "roc_one_model")


def test_confusion_matrix_plot_counts_as_sklearn():
    from sklearn.metrics import confusion_matrix

    y, a, _ = _data()
    fig = plots.confusion_matrix_plot(y, a, threshold=0.5, labels=["preserved", "failed"])
    expected = confusion_matrix(y, (a >= 0.5).astype(int))
    shown = [t.get_text().split("\n")[0] for t in fig.axes[0].texts]
    assert shown == [str(v) for v in expected.ravel()]
    _png(fig, "confusion")
    three = plots.confusion_matrix_plot([0, 1, 2, 2, 1, 0], [0, 2, 2, 2, 1, 1], normalize="true")
    _png(three, "confusion_normalised")
    with pytest.raises(ValueError, match="normalize must be"):
        plots.confusion_matrix_plot([0, 1], [0, 1], normalize="rows")


def test_calibration_plot_matches_sklearn_calibration_curve():
    from sklearn.calibration import calibration_curve

    rng = np.random.default_rng(1)
    p = rng.uniform(size=400)
    y = (rng.uniform(size=400) < p).astype(int)
    fig = plots.calibration_plot(y, {"model": p}, n_bins=8)
    line = [l for l in fig.axes[0].get_lines() if l.get_label().startswith("model")][0]
    observed, predicted = calibration_curve(y, p, n_bins=8)
    np.testing.assert_allclose(line.get_xdata(), predicted, rtol=1e-12)
    np.testing.assert_allclose(line.get_ydata(), observed, rtol=1e-12)
    assert f"Brier {np.mean((p - y) ** 2):.3f}" in line.get_label()
    _png(fig, "calibration")
    with pytest.raises(ValueError, match=r"must be probabilities in \[0, 1\]"):
        plots.calibration_plot(y, p * 2)


def test_bland_altman_and_volume_plots_carry_the_statistics():
    rng = np.random.default_rng(2)
    truth = rng.uniform(300, 500, 40)
    predicted = truth * 1.02 + rng.normal(0, 10, 40)
    fig = plots.bland_altman_plot(predicted, truth, units="mL")
    agreement = osteon.stats.bland_altman(predicted, truth)
    heights = sorted(l.get_ydata()[0] for l in fig.axes[0].get_lines())
    for value in (agreement.lower_limit, agreement.bias, agreement.upper_limit):
        assert any(abs(h - value) < 1e-9 for h in heights)
    _png(fig, "bland_altman")
    fig = plots.volume_plot(torch.tensor(predicted), truth)
    fit = osteon.stats.linear_regression(truth, predicted)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(f"R² = {fit.r2:.3f}" in label for label in labels)
    _png(fig, "volume")


def test_training_curves_from_csv_and_json_lines(tmp_path):
    rows = [{"epoch": e, "loss": 1 / (e + 1), "val_loss": 1.2 / (e + 1) + 0.05, "val_dice": 0.5 + 0.04 * e,
             "lr": 1e-3} for e in range(10)]
    (tmp_path / "log.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    import pandas as pd

    pd.DataFrame(rows).to_csv(tmp_path / "log.csv", index=False)
    for name in ("log.jsonl", "log.csv"):
        columns = plots.read_metrics_log(tmp_path / name)
        np.testing.assert_allclose(columns["val_dice"], [r["val_dice"] for r in rows])
    fig = plots.training_curves(tmp_path / "log.jsonl")
    losses, others = fig.axes[:2]
    assert [l.get_label() for l in losses.get_lines()] == ["loss", "val_loss"]
    assert [l.get_label() for l in others.get_lines()][0] == "val_dice"
    _png(fig, "training_curves")
    with pytest.raises(ValueError, match="has no column 'val_auc'"):
        plots.training_curves(tmp_path / "log.csv", metrics=["val_auc"])


def test_fold_box_plot_titles_the_fold_table():
    rng = np.random.default_rng(3)
    folds = {f"{i}": np.clip(rng.normal(0.9, 0.03, 12), 0, 1) for i in range(5)}
    fig = plots.fold_box_plot(folds)
    table = metrics.fold_table(list(folds.values()))
    assert f"{table.pooled.mean:.3f} ± {table.pooled.sd:.3f}" in fig.axes[0].get_title()
    _png(fig, "fold_box")


def test_slice_viewer_outlines_mask_and_prediction():
    z, yy, xx = np.mgrid[:24, :48, :48]
    image = np.exp(-((yy - 24) ** 2 + (xx - 24) ** 2) / 200.0) * 1000 + np.random.default_rng(0).normal(0, 30, z.shape)
    mask = ((yy - 24) ** 2 + (xx - 24) ** 2 < 100) & (z > 4) & (z < 20)
    prediction = ((yy - 25) ** 2 + (xx - 23) ** 2 < 90) & (z > 5) & (z < 20)
    fig = plots.slice_viewer(torch.tensor(image)[None, None], mask=mask, prediction=prediction, n_slices=3)
    assert len(fig.axes) == 3
    assert all("Dice" in ax.get_title() for ax in fig.axes)
    _png(fig, "slices")
    _png(plots.slice_viewer(image[12], mask=mask[12]), "one_slice")
    with pytest.raises(ValueError, match="slice 30 is outside"):
        plots.slice_viewer(image, slices=[30])


def test_bad_level_is_named():
    y, a, _ = _data()
    with pytest.raises(ValueError, match="level must be in"):
        plots.sensitivity_band(y, a, level=1.5)
