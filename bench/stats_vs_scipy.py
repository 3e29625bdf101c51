#!/usr/bin/env python3
"""osteon.stats / osteon.metrics classification functions beside scipy.stats and scikit-learn, on
the same data in one run. Times are CPU milliseconds (process time), the best of --repeat runs, at the
Python call level (conversion included on both sides). Prints osteon's time, the anchor's, and the
ratio anchor / osteon (> 1: osteon is faster) and checks the two give the same number.

    /usr/bin/python3 bench/stats_vs_scipy.py [--n 100000] [--repeat 5]
"""
import argparse
import time
import warnings

import numpy as np
from scipy import stats
from sklearn import metrics as skm

import osteon


def best(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.process_time()
        value = function()
        times.append(time.process_time() - start)
    return min(times), value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    n = args.n
    y = rng.integers(0, 2, n)
    s = rng.normal(size=n) + y
    a, b = rng.normal(size=n), rng.normal(size=n) + 0.01
    y3 = rng.integers(0, 3, n)
    logits = rng.normal(size=(n, 3)) + np.eye(3)[y3]
    p3 = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    pred = (s >= 0.5).astype(int)

    cases = [
        ("binary_report (acc+pre+rec+f1+mcc)", lambda: osteon.metrics.binary_report(y, s, threshold=0.5).mcc,
         lambda: (skm.accuracy_score(y, pred), skm.precision_score(y, pred), skm.recall_score(y, pred),
                  skm.f1_score(y, pred), skm.matthews_corrcoef(y, pred))[-1]),
        ("multiclass_auc ovr macro", lambda: osteon.metrics.multiclass_auc(y3, p3),
         lambda: skm.roc_auc_score(y3, p3, multi_class="ovr")),
        ("multiclass_auc ovo macro", lambda: osteon.metrics.multiclass_auc(y3, p3, multi_class="ovo"),
         lambda: skm.roc_auc_score(y3, p3, multi_class="ovo")),
        ("partial_auc max_fpr=0.2", lambda: osteon.metrics.partial_auc(y, s, 0.8).value,
         lambda: skm.roc_auc_score(y, s, max_fpr=0.2)),
        ("paired_ttest", lambda: osteon.stats.paired_ttest(a, b).p_value, lambda: stats.ttest_rel(a, b).pvalue),
        ("wilcoxon_signed_rank (approx)", lambda: osteon.stats.wilcoxon_signed_rank(a, b).p_value,
         lambda: stats.wilcoxon(a, b).pvalue),
        ("linear_regression", lambda: osteon.stats.linear_regression(a, b + a).p_value,
         lambda: stats.linregress(a, b + a).pvalue),
        ("pearson", lambda: osteon.stats.pearson(a, b + a).p_value, lambda: stats.pearsonr(a, b + a).pvalue),
    ]
    print(f"n = {n}, best of {args.repeat}, CPU milliseconds")
    print(f"{'function':38s} {'osteon':>10s} {'anchor':>10s} {'anchor/osteon':>14s}  same value")
    for name, ours, anchor in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_ours, v_ours = best(ours, args.repeat)
            t_anchor, v_anchor = best(anchor, args.repeat)
        same = abs(v_ours - v_anchor) <= 1e-9 * abs(v_anchor) + 1e-300
        print(f"{name:38s} {1e3 * t_ours:10.3f} {1e3 * t_anchor:10.3f} {t_anchor / max(t_ours, 1e-9):14.1f}  {same}")


if __name__ == "__main__":
    main()
