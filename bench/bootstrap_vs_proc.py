#!/usr/bin/env python3
"""Bootstrap methods at 2000 replicates on n = 1e4: osteon beside pROC 1.18, on the same data, in one run.

Times var(roc, method = "bootstrap"), cov(method = "bootstrap"), roc.test(method = "bootstrap")
in one Rscript (progress = "none"), and osteon's auc_variance_bootstrap / auc_cov_bootstrap /
roc_bootstrap_test plus net_benefit with 2000 bootstrap replicates at 50 thresholds, in this process
(all cores, `--threads` to change). Prints wall-clock seconds, CPU seconds, and the wall-clock ratio
pROC / osteon (the issue asks for ≥ 20×). The machine's load (`os.getloadavg()`) is printed beside.

    /usr/bin/python3 bench/bootstrap_vs_proc.py [--n 10000] [--boot 2000] [--threads 0]
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

import numpy as np

from osteon import metrics

R_SCRIPT = r"""
suppressPackageStartupMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); B <- as.integer(args[2])
r1 <- roc(d$y, d$a, levels = c(0, 1), direction = "<", quiet = TRUE)
r2 <- roc(d$y, d$b, levels = c(0, 1), direction = "<", quiet = TRUE)
set.seed(1)
t_var <- system.time(v <- var(r1, method = "bootstrap", boot.n = B, progress = "none"))
t_cov <- system.time(cv <- cov(r1, r2, method = "bootstrap", boot.n = B, progress = "none"))
t_test <- system.time(tt <- roc.test(r1, r2, method = "bootstrap", boot.n = B, progress = "none"))
cat(sprintf('{"var": [%.6f, %.6f, %.10g], "cov": [%.6f, %.6f, %.10g], "test": [%.6f, %.6f, %.10g]}\n',
    t_var[["elapsed"]], t_var[["user.self"]] + t_var[["sys.self"]], v,
    t_cov[["elapsed"]], t_cov[["user.self"]] + t_cov[["sys.self"]], cv,
    t_test[["elapsed"]], t_test[["user.self"]] + t_test[["sys.self"]], unname(tt$statistic)))
"""


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--boot", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    y = (rng.uniform(size=args.n) < 0.4).astype(float)
    latent = rng.normal(size=args.n) + 0.8 * y
    a = latent + rng.normal(scale=0.7, size=args.n)
    b = 0.6 * latent + rng.normal(scale=0.9, size=args.n)
    prob = 1 / (1 + np.exp(-(a - 0.5)))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "data.csv")
        np.savetxt(path, np.c_[y, a, b], delimiter=",", header="y,a,b", comments="", fmt="%.17g")
        script = os.path.join(tmp, "bench.R")
        with open(script, "w") as f:
            f.write(R_SCRIPT)
        out = subprocess.run(["Rscript", script, path, str(args.boot)], check=True, capture_output=True, text=True)
        proc = json.loads(out.stdout.strip().splitlines()[-1])
    B, T = args.boot, args.threads
    ours = {
        "var": timed(lambda: metrics.auc_variance_bootstrap(y, a, n_boot=B, seed=1, n_threads=T)),
        "cov": timed(lambda: metrics.auc_cov_bootstrap(y, a, b, n_boot=B, seed=1, n_threads=T)),
        "test": timed(lambda: metrics.roc_bootstrap_test(y, a, b, n_boot=B, seed=1, n_threads=T).statistic),
    }
    nb = timed(lambda: metrics.net_benefit(y, prob, np.linspace(0.01, 0.5, 50), n_boot=B, seed=1, n_threads=T))
    print(f"n = {args.n}, boot.n = {B}, threads = {T or os.cpu_count()}, load average = {os.getloadavg()}")
    print(f"{'method':<8} {'pROC wall':>10} {'pROC cpu':>9} {'osteon wall':>12} {'osteon cpu':>11} {'ratio (wall)':>13}  values (pROC / osteon)")
    for key in ("var", "cov", "test"):
        pw, pc, pv = proc[key]
        ow, oc, ov = ours[key]
        print(f"{key:<8} {pw:10.3f} {pc:9.3f} {ow:12.4f} {oc:11.4f} {pw / ow:13.1f}  {pv:.6g} / {ov:.6g}")
    print(f"net_benefit (50 thresholds, {B} replicates): {nb[0]:.4f} s wall, {nb[1]:.4f} s cpu (no pROC equivalent)")


if __name__ == "__main__":
    main()
