"""A femur_study output folder recomputed with numpy / scipy: fold means and SDs of Dice,
sensitivity and specificity, R² and p of predicted vs true volume, the Bland–Altman bias."""
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats

folder = sys.argv[1]
table = pd.read_csv(f"{folder}/predictions.csv", keep_default_na=False, na_values=["nan"])
written = json.load(open(f"{folder}/metrics.json"))["metrics"]


def close(a, b, what):
    if a is None:
        assert np.isnan(b), what
    else:
        assert abs(a - b) <= 1e-10 * max(1.0, abs(b)), f"{what}: {a} vs {b}"


for cohort, sex in (("whole cohort", None), ("men", "M"), ("women", "F")):
    rows = table if sex is None else table[table["sex"] == sex]
    cv = rows[rows["set"] != "holdout"]
    for metric in ("dice", "sensitivity", "specificity"):
        fold_means = [cv[cv["set"] == str(f)][metric].dropna().mean() for f in sorted({int(s) for s in table["set"] if s != "holdout"})]
        w = written["segmentation"][cohort]["cv"][metric]
        close(w["across_folds"]["mean"], np.nanmean(fold_means), f"{cohort} {metric} across-folds mean")
        close(w["across_folds"]["sd"], np.std(fold_means, ddof=1), f"{cohort} {metric} across-folds sd")
        close(w["pooled"]["mean"], cv[metric].dropna().mean(), f"{cohort} {metric} pooled mean")
    volume = written["volume"][cohort]
    if volume is not None:
        fit = stats.linregress(cv["true_volume_ml"], cv["predicted_volume_ml"])
        close(volume["regression"]["r2"], fit.rvalue**2, f"{cohort} R2")
        close(volume["regression"]["p_value"], fit.pvalue, f"{cohort} p")
        close(volume["bland_altman"]["bias"], (cv["predicted_volume_ml"] - cv["true_volume_ml"]).mean(), f"{cohort} bias")
print("numpy / scipy agree")
