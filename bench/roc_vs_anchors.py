#!/usr/bin/env python3
"""AUC and paired DeLong: osteon beside scikit-learn and pROC, on the same data, in one run.

For each n, two correlated predictors are drawn once and written to a binary file; osteon
(Python binding) and sklearn.metrics.roc_auc_score are timed in this process, pROC (roc() on both
predictors + roc.test(method = "delong", paired = TRUE)) in one Rscript that reads the same file.
Times are CPU seconds (process time), the best of `--repeat` runs, so that other load on the
machine inflates neither side. Prints the ratios the issue asks for.

    /usr/bin/python3 bench/roc_vs_anchors.py [--max-n 10000000] [--proc-max-n 1000000]

Needs r-cran-proc (scripts/install-deps.sh reference) for the pROC column.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.metrics import roc_auc_score

import osteon

R_SCRIPT = r"""
suppressPackageStartupMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[2]); repeats <- as.integer(args[3])
con <- file(args[1], "rb")
y <- readBin(con, "double", n); a <- readBin(con, "double", n); b <- readBin(con, "double", n)
close(con)
cpu <- function(e) { t <- system.time(e); t[["user.self"]] + t[["sys.self"]] }
best_auc <- Inf; best_test <- Inf
for (r in seq_len(repeats)) {
  best_auc <- min(best_auc, cpu(ra <- roc(y, a, levels = c(0, 1), direction = "<", quiet = TRUE)))
  best_test <- min(best_test, cpu({
    ra <- roc(y, a, levels = c(0, 1), direction = "<", quiet = TRUE)
    rb <- roc(y, b, levels = c(0, 1), direction = "<", quiet = TRUE)
    tt <- roc.test(ra, rb, method = "delong", paired = TRUE)
  }))
}
cat(sprintf('{"auc_seconds": %.6f, "delong_seconds": %.6f, "auc": %.17g, "z": %.17g}\n',
            best_auc, best_test, as.numeric(auc(ra)), as.numeric(tt$statistic)))
"""


def cpu_best(function, repeats):
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.process_time()
        result = function()
        best = min(best, time.process_time() - start)
    return best, result


def cohort(n, seed=2024):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.float64)
    latent = rng.normal(size=n) + y
    return y, latent + rng.normal(size=n), latent + 1.5 * rng.normal(size=n)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-n", type=int, default=10_000_000)
    parser.add_argument("--proc-max-n", type=int, default=1_000_000,
                        help="largest n for pROC (its roc.test at 1e7 needs minutes and GBs)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    have_r = shutil.which("Rscript") is not None and subprocess.run(
        ["Rscript", "-e", "library(pROC)"], capture_output=True).returncode == 0
    if not have_r:
        print("note: Rscript with pROC not found; pROC columns skipped (scripts/install-deps.sh reference)")

    print(f"{'n':>9} | {'osteon AUC':>10} {'sklearn':>9} {'ratio':>7} | {'osteon DeLong':>13} {'pROC':>9} {'ratio':>7}")
    rows = []
    n = 1000
    while n <= args.max_n:
        y, a, b = cohort(n)
        repeats = args.repeat if n <= 1_000_000 else 1
        t_auc, auc = cpu_best(lambda: osteon.metrics.roc_auc(y, a), repeats)
        t_sk, auc_sk = cpu_best(lambda: roc_auc_score(y, a), repeats)
        t_delong, test = cpu_best(lambda: osteon.metrics.delong_test(y, a, b), repeats)
        assert abs(auc - auc_sk) <= 1e-12 * auc_sk, (auc, auc_sk)
        row = {"n": n, "osteon_auc": t_auc, "sklearn_auc": t_sk, "osteon_delong": t_delong}
        proc_text = f"{'-':>9} {'-':>7}"
        if have_r and n <= args.proc_max_n:
            with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as f:
                np.concatenate([y, a, b]).astype("<f8").tofile(f)
                path = f.name
            out = subprocess.run(["Rscript", "-e", R_SCRIPT, path, str(n), str(repeats)],
                                 capture_output=True, text=True, check=True)
            os.unlink(path)
            proc = json.loads(out.stdout.strip().splitlines()[-1])
            assert abs(proc["auc"] - auc) <= 1e-12 * auc and abs(proc["z"] - test.statistic) <= 1e-9 * abs(proc["z"])
            row["proc_delong"] = proc["delong_seconds"]
            proc_text = f"{proc['delong_seconds']:9.4f} {proc['delong_seconds'] / t_delong:6.1f}x"
        print(f"{n:>9} | {t_auc:10.5f} {t_sk:9.5f} {t_sk / t_auc:6.1f}x | {t_delong:13.5f} {proc_text}", flush=True)
        rows.append(row)
        n *= 10
    print("\nratio = anchor time / osteon time (higher is better for osteon); CPU seconds, best of runs")
    json.dump(rows, sys.stderr)


if __name__ == "__main__":
    main()
