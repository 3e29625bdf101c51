"""A vertebra_study or sij_study output folder recomputed with scikit-learn / scipy / numpy:
one-vs-rest AUCs (sklearn.metrics.roc_auc_score), DeLong variances and tests (from the
placement values of DeLong, DeLong & Clarke-Pearson 1988, written here in numpy), Dice summaries,
paired t-test (scipy.stats.ttest_rel) and Wilcoxon signed-rank (scipy.stats.wilcoxon).

    check_study_outputs.py vertebra|sij FOLDER
"""
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import roc_auc_score

study, folder = sys.argv[1], sys.argv[2]
written = json.load(open(f"{folder}/metrics.json"))["metrics"]


def close(a, b, what, tol=1e-9):
    if a is None:
        assert np.isnan(b), f"{what}: null vs {b}"
    else:
        assert abs(a - b) <= tol * max(1.0, abs(b)), f"{what}: {a} vs {b}"


def placements(y, s):
    """DeLong's structural components V10 (cases) and V01 (controls) of the AUC."""
    y, s = np.asarray(y), np.asarray(s, dtype=float)
    x, z = s[y == 1], s[y == 0]
    psi = (x[:, None] > z[None, :]) + 0.5 * (x[:, None] == z[None, :])
    return psi.mean(), psi.mean(axis=1), psi.mean(axis=0)


def delong_var(y, s):
    auc, v10, v01 = placements(y, s)
    return auc, np.var(v10, ddof=1) / len(v10) + np.var(v01, ddof=1) / len(v01)


def paired_delong(y, a, b):
    auc_a, v10a, v01a = placements(y, a)
    auc_b, v10b, v01b = placements(y, b)
    s10 = np.cov(np.vstack([v10a, v10b]))
    s01 = np.cov(np.vstack([v01a, v01b]))
    s = s10 / len(v10a) + s01 / len(v01a)
    sigma = np.sqrt(max(0.0, s[0, 0] + s[1, 1] - 2 * s[0, 1]))
    if auc_a == auc_b and sigma == 0.0:  # identical curves: Z = 0, as pROC's roc.test
        return 0.0, 1.0
    z = (auc_a - auc_b) / sigma
    return z, 2 * stats.norm.sf(abs(z))


if study == "vertebra":
    table = pd.read_csv(f"{folder}/predictions.csv")
    y = table["density_class"].to_numpy().astype(int)
    names = ["normal", "osteopenia", "osteoporosis"]
    p_l1 = table[[f"p_l1_{n}" for n in names]].to_numpy()
    p_fused = table[[f"p_l1_l2_{n}" for n in names]].to_numpy()
    c = written["classification"]
    close(c["macro_ovr_auc"]["L1"], roc_auc_score(y, p_l1 / p_l1.sum(1, keepdims=True), multi_class="ovr"), "macro AUC L1", 1e-6)
    close(c["macro_ovr_auc"]["L1+L2"], roc_auc_score(y, p_fused / p_fused.sum(1, keepdims=True), multi_class="ovr"), "macro AUC L1+L2", 1e-6)
    for k, name in enumerate(names):
        w = c["per_class"][name]
        for model, p in (("L1", p_l1), ("L1+L2", p_fused)):
            close(w[model]["auc"], roc_auc_score(y == k, p[:, k]), f"{name} {model} AUC")
            auc, var = delong_var(y == k, p[:, k])
            close(w[model]["variance"], var, f"{name} {model} DeLong variance")
            half = stats.norm.ppf(0.975) * np.sqrt(var)
            close(w[model]["ci_low"], max(0.0, auc - half), f"{name} {model} CI low")
        z, p = paired_delong(y == k, p_fused[:, k], p_l1[:, k])
        close(w["delong"]["statistic"], z, f"{name} DeLong Z")
        close(w["delong"]["p_value"], p, f"{name} DeLong p")
    seg = pd.read_csv(f"{folder}/segmentation.csv")
    for point in written["segmentation"]:
        rows = seg[seg["n_train"] == point["n_train"]]
        for level in ("l1", "l2"):
            values = rows[f"dice_{level}"].dropna()
            close(point[f"dice_{level}"]["mean"], values.mean(), f"Dice {level} mean n={point['n_train']}")
            close(point[f"dice_{level}"]["sd"], values.std(ddof=1), f"Dice {level} sd n={point['n_train']}")
elif study == "sij":
    table = pd.read_csv(f"{folder}/predictions.csv", keep_default_na=False, na_values=["nan"])
    cv = table[~table["set"].isin(["internal_test", "external_test"])]
    fold_means = [cv[cv["set"] == f]["dice"].dropna().mean() for f in sorted(set(cv["set"]), key=int)]
    s = written["segmentation"]
    close(s["cv"]["across_folds"]["mean"], np.mean(fold_means), "CV Dice across-folds mean")
    close(s["cv"]["across_folds"]["sd"], np.std(fold_means, ddof=1), "CV Dice across-folds sd")
    close(s["cv"]["pooled"]["mean"], cv["dice"].dropna().mean(), "CV Dice pooled mean")
    inside = table[table["set"] == "internal_test"]
    outside = table[table["set"] == "external_test"]
    close(s["internal_test"]["mean"], inside["dice"].dropna().mean(), "internal Dice mean")
    close(s["external_test"]["mean"], outside["dice"].dropna().mean(), "external Dice mean")
    c = written["classification"]
    aucs, variances = [], []
    for key, rows in (("internal_test", inside), ("external_test", outside)):
        close(c[key]["auc"], roc_auc_score(rows["axspa"], rows["score_mm2"]), f"{key} AUC")
        auc, var = delong_var(rows["axspa"].to_numpy(), rows["score_mm2"])
        aucs.append(auc), variances.append(var)
    close(c["internal_vs_external"]["difference"], aucs[0] - aucs[1], "AUC difference internal - external")
    # pROC's roc.test(paired = FALSE, method = "delong"): D = (AUC1 - AUC2) / sqrt(var1 + var2)
    close(c["internal_vs_external"]["statistic"], (aucs[0] - aucs[1]) / np.sqrt(sum(variances)), "unpaired DeLong D")
    readers = pd.read_csv(f"{folder}/readers.csv")
    for name in ("reader 1", "reader 2"):
        rows = readers[readers["reader"] == name]
        w = written["readers"][name]
        close(w["unassisted"]["mean"], rows["unassisted_dice"].mean(), f"{name} unassisted mean")
        close(w["assisted"]["mean"], rows["assisted_dice"].mean(), f"{name} assisted mean")
        t = stats.ttest_rel(rows["assisted_dice"], rows["unassisted_dice"])
        close(w["paired_t"]["statistic"], t.statistic, f"{name} t")
        close(w["paired_t"]["p_value"], t.pvalue, f"{name} t p")
        wx = stats.wilcoxon(rows["assisted_dice"], rows["unassisted_dice"])
        close(w["wilcoxon"]["p_value"], wx.pvalue, f"{name} Wilcoxon p")
else:
    sys.exit(f"unknown study {study}")
print("scikit-learn / scipy agree")
