"""osteon.plots: ROC figure and the bootstrap sensitivity band."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from osteon import metrics, plots  # noqa: E402


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    return y, y + rng.normal(size=n), 0.5 * y + rng.normal(size=n)


def test_sensitivity_band_brackets_the_curve_and_is_seeded():
    y, a, _ = _data()
    sp, lo, mid, hi = plots.sensitivity_band(y, a, n_boot=200, seed=3)
    assert np.all(lo <= mid + 1e-12) and np.all(mid <= hi + 1e-12)
    # the observed curve lies inside the band almost everywhere
    curve = metrics.roc_curve(y, a)
    observed = plots._sensitivity_at(curve, sp)
    assert np.mean((observed >= lo - 1e-12) & (observed <= hi + 1e-12)) > 0.95
    assert lo[0] == 1.0 and hi[-1] <= 1.0
    again = plots.sensitivity_band(y, a, n_boot=200, seed=3)
    np.testing.assert_array_equal(lo, again[1])


def test_sensitivity_at_reads_the_step_curve():
    curve = metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    # points (sp, se): (0,1) (.5,1) (.5,.5) (1,.5) (1,0)
    got = plots._sensitivity_at(curve, np.array([0.0, 0.5, 0.75, 1.0]))
    np.testing.assert_array_equal(got, [1.0, 1.0, 0.5, 0.5])


def test_roc_plot_draws_each_model_with_its_delong_interval():
    y, a, b = _data()
    ax = plots.roc_plot(y, {"A": a, "B": b}, n_boot=50)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    ci = metrics.auc_ci(y, a)
    assert labels[0] == f"A: AUC {ci.auc:.3f} [{ci.ci_low:.3f}, {ci.ci_high:.3f}]"
    assert len(labels) == 2
    assert len(ax.collections) == 2  # one band per model


def test_bad_level_is_named():
    y, a, _ = _data()
    with pytest.raises(ValueError, match="level must be in"):
        plots.sensitivity_band(y, a, level=1.5)
