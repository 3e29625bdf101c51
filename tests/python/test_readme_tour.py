"""The README's 30-second tour, executed verbatim (the fenced Python block after "A 30-second
tour"), from the repository root as the README says, so that the README stays true."""
import os
import pathlib
import re

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _tour_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## A 30-second tour"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_tour_runs_as_written(capsys):
    namespace = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(_tour_block(), "README.md (tour)", "exec"), namespace)  # noqa: S102
    finally:
        os.chdir(cwd)
    printed = capsys.readouterr().out
    # the numbers the README's comments quote, against pROC (tests/python/test_metrics_roc.py pins them)
    ci = namespace["osteon"].metrics.auc_ci(namespace["y"], namespace["p_ap"])
    assert f"{ci.auc:.4f} [{ci.ci_low:.4f}, {ci.ci_high:.4f}]" == "0.7274 [0.6763, 0.7785]"
    assert "Z = 1.3397, p-value = 0.1804" in printed
    assert "DeLong's test for two correlated ROC curves" in printed
    assert "AP" in printed and "Frog" in printed
    train, test, hip_id = namespace["train"], namespace["test"], np.asarray(namespace["hip_id"])
    assert not set(hip_id[train]) & set(hip_id[test])
    assert sum(p.numel() for p in namespace["seg"].parameters()) == 1_625_161
    assert namespace["loss"].dim() == 0
