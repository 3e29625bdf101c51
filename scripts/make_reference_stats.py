#!/usr/bin/python3
"""Regenerate two fixtures:

* tests/data/stats_reference.json: reference values for osteon.stats from scipy.stats (and numpy
  for the plain formulas scipy has no function for: mean ± SD, Bland-Altman);
* tests/data/classification_sklearn_reference.json: scikit-learn's threshold metrics
  (confusion_matrix, accuracy, precision, recall, F1, balanced accuracy, MCC), multi-class
  roc_auc_score (ovr / ovo, macro / weighted / micro / None) and roc_auc_score(max_fpr=...), on
  inputs generated here and on the inputs of tests/data/classification_reference.json (written
  by scripts/make_reference_classification.R, which must run first).

Usage (from the repository root):
    Rscript scripts/make_reference_classification.R
    /usr/bin/python3 scripts/make_reference_stats.py
Produced with scipy 1.10.1, scikit-learn 1.2.1, numpy 1.24.2, mpmath 1.2.1 (Debian 12).
Deterministic: inputs come from numpy.random.default_rng with fixed seeds and are stored in the
files, so the tests need neither scipy nor sklearn.

Floats are written with Python's repr (round-trips exactly); non-finite values as the strings
"Inf", "-Inf", "NaN" (as tests/data/roc_reference.json does).

scipy 1.10 notes recorded in the fixture:
* wilcoxon(method="exact") with tied |differences| truncates the half-integer R+ into its exact
  table (fixed in later scipy, which switches to the normal approximation). Tied cases are
  therefore generated with method="approx" only; osteon's method="auto" switches on ties.
* wilcoxon with zeros and method="exact" switches to "approx" with a warning; osteon refuses.
* t.ppf (cephes stdtrit) is off by up to ~4e-9 relative (e.g. t.ppf(0.975, 39) = 2.022690911734728,
  true 2.0226909200367611). Intervals built on it (ttest_rel's confidence_interval, the
  Bland-Altman CIs) are therefore compared at 1e-8, and the quantiles themselves are pinned to
  mpmath at 40 digits in "t_quantiles" (R's qt agrees with mpmath to 1e-16).
"""
import json
import math
import os
import sys
import warnings

import mpmath
import numpy as np
import scipy
from scipy import stats

from reference_json import encode, write_json


enc = encode


ALTERNATIVES = ("two-sided", "less", "greater")


def mean_sd_cases(rng):
    out = []
    samples = {
        "dice_folds": [0.912, 0.887, 0.935, 0.901, 0.924, 0.899, 0.917, 0.908, 0.931, 0.893],
        "normal_30": rng.normal(5.0, 2.0, 30).tolist(),
        "offset_1e6": (1e6 + rng.normal(0, 1e-3, 12)).tolist(),  # catastrophic-cancellation check
        "two_values": [1.0, 2.0],
    }
    for name, x in samples.items():
        arr = np.asarray(x)
        entry = {"name": name, "values": enc(x), "mean": enc(arr.mean())}
        for ddof in (0, 1):
            entry[f"sd_ddof{ddof}"] = enc(arr.std(ddof=ddof))
        out.append(entry)
    return out


def paired_samples(rng):
    """Paired samples shared by the t-test and Bland-Altman cases."""
    base = rng.normal(100.0, 15.0, 25)
    return {
        "reader_scores_n8": ([0.81, 0.77, 0.90, 0.85, 0.72, 0.88, 0.79, 0.83],
                             [0.78, 0.74, 0.86, 0.84, 0.75, 0.83, 0.80, 0.79]),
        "volumes_n25": ((base + rng.normal(2.0, 4.0, 25)).tolist(), base.tolist()),
        "small_n2": ([1.0, 2.5], [0.5, 1.0]),
        "negative_shift_n40": (rng.normal(0, 1, 40).tolist(), (rng.normal(0, 1, 40) + 0.6).tolist()),
        # Bland & Altman (1986), Lancet, Table 1: PEFR by Wright large meter and mini Wright meter.
        "bland_altman_1986_pefr": (
            [494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427],
            [512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451]),
    }


def ttest_cases(samples):
    out = []
    for name, (a, b) in samples.items():
        entry = {"name": name, "a": enc(a), "b": enc(b), "results": {}}
        for alt in ALTERNATIVES:
            r = stats.ttest_rel(a, b, alternative=alt)
            ci95 = r.confidence_interval(0.95)
            ci90 = r.confidence_interval(0.90)
            entry["results"][alt] = {
                "statistic": enc(r.statistic), "p_value": enc(r.pvalue), "df": enc(float(r.df)),
                "ci95": enc([ci95.low, ci95.high]), "ci90": enc([ci90.low, ci90.high])}
        out.append(entry)
    return out


def bland_altman_cases(samples):
    """Bland & Altman 1986 limits with the exact normal quantile; 1999 CIs (t_{n-1})."""
    out = []
    for name, (a, b) in samples.items():
        d = np.asarray(a, float) - np.asarray(b, float)
        n = d.size
        entry = {"name": name, "a": enc(a), "b": enc(b), "levels": {}}
        for level in (0.95, 0.90):
            bias = d.mean()
            sd = d.std(ddof=1)
            z = stats.norm.ppf(0.5 + level / 2)
            t = stats.t.ppf(0.5 + level / 2, n - 1)
            lo, hi = bias - z * sd, bias + z * sd
            hw_bias = t * sd / math.sqrt(n)
            hw_lim = t * sd * math.sqrt(1.0 / n + z * z / (2.0 * (n - 1)))
            entry["levels"][str(level)] = {
                "bias": enc(bias), "sd": enc(sd), "lower_limit": enc(lo), "upper_limit": enc(hi),
                "bias_ci": enc([bias - hw_bias, bias + hw_bias]),
                "lower_limit_ci": enc([lo - hw_lim, lo + hw_lim]),
                "upper_limit_ci": enc([hi - hw_lim, hi + hw_lim])}
        out.append(entry)
    return out


def wilcoxon_cases(rng):
    cases = []

    def add(name, a, b, configs):
        entry = {"name": name, "a": enc(a), "b": enc(b), "results": []}
        for cfg in configs:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = stats.wilcoxon(a, b, **cfg)
            res = {"config": cfg, "statistic": enc(r.statistic), "p_value": enc(r.pvalue)}
            if hasattr(r, "zstatistic"):
                res["z"] = enc(r.zstatistic)
            entry["results"].append(res)
        cases.append(entry)

    exact = [dict(method="exact", alternative=alt) for alt in ALTERNATIVES]
    approx = [dict(method="approx", alternative=alt, correction=c) for alt in ALTERNATIVES for c in (False, True)]
    # Small, untied, no zeros: exact (scipy's auto picks exact for n <= 50).
    a = rng.normal(0.3, 1.0, 12); b = rng.normal(0.0, 1.0, 12)
    add("untied_n12", a.tolist(), b.tolist(), exact + approx + [dict(method="auto")])
    add("untied_n7_all_positive", [1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 0, 0, 0, -0.5], exact + [dict(method="auto")])
    add("untied_n9_centre", [1.0, -2.0, 3.0, -4.0, 5.0, -6.0, 7.0, 8.0, -9.5], [0.0] * 9, exact)
    # Larger than 50: auto uses the normal approximation.
    a = rng.normal(0.2, 1.0, 60); b = rng.normal(0.0, 1.0, 60)
    add("untied_n60", a.tolist(), b.tolist(), approx + [dict(method="auto")])
    # Tied |differences| (integer Likert-like reader scores): approx with tie correction.
    a = rng.integers(1, 6, 30); b = rng.integers(1, 6, 30)
    a = np.where(a == b, a + 1, a)  # no zeros
    add("tied_likert_n30", a.tolist(), b.tolist(), approx)
    # Zeros and ties: every zero_method.
    a = [3, 5, 2, 4, 4, 6, 1, 3, 5, 2, 4, 3, 6, 2, 5]
    b = [2, 5, 3, 2, 4, 3, 2, 1, 5, 4, 1, 3, 2, 2, 3]
    add("zeros_and_ties_n15", a, b,
        [dict(method="approx", zero_method=zm, alternative=alt, correction=c)
         for zm in ("wilcox", "pratt", "zsplit") for alt in ALTERNATIVES for c in (False, True)])
    return cases


def regression_cases(rng):
    out = []
    true_volume = rng.uniform(20.0, 80.0, 40)
    predicted = 0.95 * true_volume + 1.5 + rng.normal(0.0, 3.0, 40)
    weak_x = rng.normal(0, 1, 15)
    weak_y = 0.1 * weak_x + rng.normal(0, 1, 15)
    pairs = {
        "volume_n40": (true_volume.tolist(), predicted.tolist()),
        "weak_n15": (weak_x.tolist(), weak_y.tolist()),
        "doc_n4": ([10, 20, 30, 40], [12, 19, 33, 41]),
        "negative_n6": ([1, 2, 3, 4, 5, 6], [9.5, 8.1, 7.7, 5.2, 4.9, 3.0]),
        "strong_n200": (np.linspace(0, 1, 200).tolist(),
                        (np.linspace(0, 1, 200) + rng.normal(0, 0.01, 200)).tolist()),
        "pearson_doc_n5": ([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]),
    }
    for name, (x, y) in pairs.items():
        lr = stats.linregress(x, y)
        entry = {"name": name, "x": enc(x), "y": enc(y),
                 "linregress": {"slope": enc(lr.slope), "intercept": enc(lr.intercept), "r": enc(lr.rvalue),
                                "p_value": enc(lr.pvalue), "slope_stderr": enc(lr.stderr),
                                "intercept_stderr": enc(lr.intercept_stderr)},
                 "pearsonr": {}}
        for alt in ALTERNATIVES:
            pr = stats.pearsonr(x, y, alternative=alt)
            ci95 = pr.confidence_interval(0.95)
            ci90 = pr.confidence_interval(0.90)
            entry["pearsonr"][alt] = {"r": enc(pr.statistic), "p_value": enc(pr.pvalue),
                                      "ci95": enc([ci95.low, ci95.high]), "ci90": enc([ci90.low, ci90.high])}
        out.append(entry)
    return out


def t_quantile_cases():
    """Student t quantiles at 40 digits (mpmath), solving I_{df/(df+x^2)}(df/2, 1/2) / 2 = 1 - p."""
    mpmath.mp.dps = 40
    out = []
    for df in (1.0, 2.0, 3.0, 7.0, 16.0, 24.0, 39.0, 120.0, 2.5):
        for p in (0.95, 0.975, 0.995):
            tail = mpmath.mpf(1) - mpmath.mpf(p)
            f = lambda x: mpmath.betainc(df / 2, 0.5, 0, df / (df + x * x), regularized=True) / 2 - tail
            x = mpmath.findroot(f, stats.t.ppf(p, df))
            out.append({"df": df, "p": p, "quantile": float(x), "scipy_t_ppf": enc(stats.t.ppf(p, df))})
    return out


def stats_reference():
    rng = np.random.default_rng(20261123)
    samples = paired_samples(rng)
    return {
        "generator": "scripts/make_reference_stats.py",
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
        "conventions": (
            "mean_sd: numpy mean/std(ddof). paired_ttest: scipy.stats.ttest_rel(a, b, alternative) and "
            "confidence_interval(0.95 / 0.90). wilcoxon: scipy.stats.wilcoxon(a, b, **config); z only "
            "for method='approx'. linregress(x, y); pearsonr(x, y, alternative) with "
            "confidence_interval(0.95 / 0.90). bland_altman: numpy/scipy on the published formulas "
            "(bias = mean(a-b), sd ddof=1, limits bias -/+ norm.ppf(0.5+level/2)*sd, CIs with "
            "t.ppf(0.5+level/2, n-1): bias sd/sqrt(n), limits sd*sqrt(1/n + z^2/(2(n-1))))."),
        "mean_sd": mean_sd_cases(rng),
        "paired_ttest": ttest_cases(samples),
        "bland_altman": bland_altman_cases(samples),
        "wilcoxon": wilcoxon_cases(rng),
        "regression": regression_cases(rng),
        "t_quantiles": t_quantile_cases(),
        "mpmath_version": mpmath.__version__,
    }


def _sklearn_binary_cases(rng):
    """Threshold metrics at several operating points, with the metrics sklearn warned about."""
    from sklearn import metrics as skm
    from sklearn.exceptions import UndefinedMetricWarning

    y = rng.permutation(np.r_[np.ones(40, int), np.zeros(60, int)])
    score = np.round(rng.normal(0, 1, 100) + 1.2 * y, 2)
    cases = [("scores_n100", y, score, t) for t in (-0.5, 0.25, 0.6, 1.0, 1.7, 3.5, float(score.min()))]
    y_small = np.array([0, 0, 0, 1, 1, 0, 1, 0])
    cases.append(("hard_predictions_n8", y_small, np.array([0, 1, 0, 1, 0, 0, 1, 0]), None))
    cases.append(("all_negative_predictions", y_small, np.zeros(8, int), None))
    cases.append(("no_cases_in_y", np.zeros(6, int), np.array([0, 1, 0, 0, 1, 0]), None))
    out = []
    for name, yy, s, threshold in cases:
        pred = (s >= threshold).astype(int) if threshold is not None else s
        values = {}

        def call(key, fn, **kw):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                values[key] = float(fn(yy, pred, **kw))

        call("accuracy", skm.accuracy_score)
        call("precision", skm.precision_score, zero_division=0)
        call("recall", skm.recall_score, zero_division=0)
        call("specificity", skm.recall_score, pos_label=0, zero_division=0)
        call("npv", skm.precision_score, pos_label=0, zero_division=0)
        call("f1", skm.f1_score, zero_division=0)
        call("balanced_accuracy", skm.balanced_accuracy_score)
        call("mcc", skm.matthews_corrcoef)
        # sklearn returns 0 (or a warning) where a denominator is 0; record which ones are.
        tn, fp, fn, tp = skm.confusion_matrix(yy, pred, labels=[0, 1]).ravel()
        undefined = [k for k, d in (("precision", tp + fp), ("recall", tp + fn), ("specificity", tn + fp),
                                    ("npv", tn + fn), ("f1", 2 * tp + fp + fn),
                                    ("balanced_accuracy", (tp + fn) * (tn + fp)),
                                    ("mcc", (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))) if d == 0]
        out.append({"name": name, "y": yy.tolist(), "score": enc(s.tolist()),
                    "threshold": enc(threshold) if threshold is not None else None,
                    "confusion": {"tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn)},
                    "sklearn": {k: enc(v) for k, v in values.items()},
                    "zero_denominator": undefined})
    return out


def _dec(v):
    return {"Inf": math.inf, "-Inf": -math.inf, "NaN": math.nan}.get(v, v) if isinstance(v, str) else v


def sklearn_reference(classification_path):
    import sklearn
    from sklearn.metrics import roc_auc_score

    with open(classification_path) as f:
        proc = json.load(f)
    rng = np.random.default_rng(20261124)
    multiclass = []
    for ds in proc["multiclass"]:
        y = np.asarray(ds["y"])
        entry = {"name": ds["name"]}
        for model in ("model_a", "model_b"):
            p = np.asarray(ds[model], float)
            entry[model] = {
                "ovr_none": enc(roc_auc_score(y, p, multi_class="ovr", average=None).tolist()),
                "ovr_macro": enc(roc_auc_score(y, p, multi_class="ovr", average="macro")),
                "ovr_weighted": enc(roc_auc_score(y, p, multi_class="ovr", average="weighted")),
                "ovr_micro": enc(roc_auc_score(np.eye(p.shape[1])[y], p, average="micro")),
                "ovo_macro": enc(roc_auc_score(y, p, multi_class="ovo", average="macro")),
                "ovo_weighted": enc(roc_auc_score(y, p, multi_class="ovo", average="weighted")),
            }
        multiclass.append(entry)
    max_fpr = []
    for ds in proc["binary"]:
        y = np.asarray(ds["y"])
        x = np.asarray([_dec(v) for v in ds["scores"]], float)
        max_fpr.append({"name": ds["name"],
                        "max_fpr": {repr(m): enc(roc_auc_score(y, x, max_fpr=m)) for m in (0.05, 0.2, 0.4, 0.5)}})
    return {
        "generator": "scripts/make_reference_stats.py",
        "inputs": "binary_report: generated here; multiclass and max_fpr: tests/data/classification_reference.json",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "conventions": (
            "binary_report: predictions = score >= threshold (threshold null: score holds hard 0/1 predictions); "
            "sklearn metrics with zero_division=0; zero_denominator lists the metrics whose denominator is 0 "
            "(sklearn returns 0 or a warned value there, osteon NaN + flag). specificity = recall_score(pos_label=0), "
            "npv = precision_score(pos_label=0). multiclass: roc_auc_score(y, p, multi_class, average); "
            "ovr_micro = roc_auc_score(one_hot(y), p, average='micro'). max_fpr: roc_auc_score(y, x, max_fpr=m) "
            "(McClish-standardised partial AUC over FPR in [0, m])."),
        "binary_report": _sklearn_binary_cases(rng),
        "multiclass": multiclass,
        "max_fpr": max_fpr,
    }



def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    data = os.path.join(root, "tests", "data")
    write_json(stats_reference(), os.path.join(data, "stats_reference.json"))
    write_json(sklearn_reference(os.path.join(data, "classification_reference.json")),
               os.path.join(data, "classification_sklearn_reference.json"))


if __name__ == "__main__":
    main()
