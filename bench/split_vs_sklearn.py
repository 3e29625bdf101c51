#!/usr/bin/env python3
"""osteon.split.stratified_kfold beside scikit-learn's StratifiedGroupKFold on the same cohort:
1e6 samples in 1e5 groups (group sizes 1-19), 3 classes (60/30/10 %), k = 5. Prints both times,
the ratio, and the balance of each split (fold-size spread, prevalence spread, class-share spread).

Usage: PYTHONPATH=<build>/python /usr/bin/python3 bench/split_vs_sklearn.py [n_samples] [n_splits]
"""
import sys
import time
import warnings

import numpy as np
from sklearn import __version__ as sklearn_version
from sklearn.model_selection import StratifiedGroupKFold

import osteon
from osteon import split


def cohort(n_samples, seed=12345):
    rng = np.random.default_rng(seed)
    n_groups = n_samples // 10
    sizes = rng.integers(1, 20, n_groups)
    sizes = sizes * n_samples // sizes.sum()  # about n_samples in total
    sizes[sizes == 0] = 1
    labels = rng.choice(3, n_groups, p=[0.6, 0.3, 0.1])
    y = np.repeat(labels, sizes)
    groups = np.repeat(rng.permutation(n_groups), sizes)
    order = rng.permutation(len(y))
    return y[order], groups[order]


def balance(y, tests):
    classes = np.unique(y)
    sizes = np.array([len(t) for t in tests])
    counts = np.array([np.bincount(y[t], minlength=len(classes)) for t in tests])
    prevalence = counts / sizes[:, None]
    share = (counts.max(0) - counts.min(0)) / counts.sum(0)
    return sizes.max() - sizes.min(), (prevalence.max(0) - prevalence.min(0)).max(), share.max()


def main():
    n_samples = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    n_splits = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    y, groups = cohort(n_samples)
    print(f"cohort: {len(y)} samples, {len(np.unique(groups))} groups, k = {n_splits}; "
          f"osteon {osteon.__version__ if hasattr(osteon, '__version__') else '?'}, sklearn {sklearn_version}")

    start = time.perf_counter()
    ours = split.stratified_kfold(y, n_splits, groups=groups, seed=0)
    t_ours = time.perf_counter() - start
    split.check_no_leakage(ours, groups)

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(StratifiedGroupKFold(n_splits).split(y, y, groups))
    t_sklearn = time.perf_counter() - start

    b_ours = balance(y, [t for _, t in ours])
    b_sklearn = balance(y, [t for _, t in theirs])
    print(f"osteon stratified_kfold       {t_ours:9.3f} s   balance: size spread {b_ours[0]}, "
          f"prevalence spread {b_ours[1]:.2e}, share spread {b_ours[2]:.2e}")
    print(f"sklearn StratifiedGroupKFold  {t_sklearn:9.3f} s   balance: size spread {b_sklearn[0]}, "
          f"prevalence spread {b_sklearn[1]:.2e}, share spread {b_sklearn[2]:.2e}")
    print(f"ratio sklearn / osteon: {t_sklearn / t_ours:.1f}x")


if __name__ == "__main__":
    main()
