#!/usr/bin/env python3
"""Venkatraman's permutation test (paired and unpaired): osteon beside pROC 1.18, same data, one run.

Times roc.test(method = "venkatraman") in one Rscript (progress = "none") and osteon's
venkatraman_test in this process (all cores, `--threads` to change); prints wall-clock seconds, the
statistics (equal: E is exact) and the wall-clock ratio pROC / osteon, with the machine's load.

    /usr/bin/python3 bench/venkatraman_vs_proc.py [--n 1000] [--perm 500] [--threads 0]
"""
import argparse
import os
import subprocess
import tempfile
import time

import numpy as np

from osteon import metrics

R_SCRIPT = r"""
suppressPackageStartupMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); B <- as.integer(args[2]); h <- nrow(d) %/% 2
r1 <- roc(d$y, d$a, levels = c(0, 1), direction = "<", quiet = TRUE)
r2 <- roc(d$y, d$b, levels = c(0, 1), direction = "<", quiet = TRUE)
u1 <- roc(d$y[1:h], d$a[1:h], levels = c(0, 1), direction = "<", quiet = TRUE)
u2 <- roc(d$y[(h + 1):nrow(d)], d$b[(h + 1):nrow(d)], levels = c(0, 1), direction = "<", quiet = TRUE)
set.seed(1)
tp <- system.time(p <- roc.test(r1, r2, method = "venkatraman", boot.n = B, progress = "none"))[["elapsed"]]
tu <- system.time(u <- roc.test(u1, u2, method = "venkatraman", paired = FALSE, boot.n = B, progress = "none"))[["elapsed"]]
cat(sprintf("%.17g %.17g %.17g %.17g\n", tp, unname(p$statistic), tu, unname(u$statistic)))
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--perm", type=int, default=500)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(3)
    y = (rng.random(args.n) < 0.4).astype(float)
    a = rng.normal(size=args.n) + y
    b = 0.6 * a + rng.normal(size=args.n) + 0.3 * y
    h = args.n // 2
    with tempfile.TemporaryDirectory() as tmp:
        path, script = os.path.join(tmp, "d.csv"), os.path.join(tmp, "v.R")
        np.savetxt(path, np.c_[y, a, b], delimiter=",", header="y,a,b", comments="", fmt="%.17g")
        with open(script, "w") as f:
            f.write(R_SCRIPT)
        out = subprocess.run(["Rscript", script, path, str(args.perm)], check=True, capture_output=True, text=True)
    tp, ep, tu, eu = (float(v) for v in out.stdout.split())
    t0 = time.perf_counter()
    p = metrics.venkatraman_test(y, a, b, n_permutations=args.perm, seed=1, n_threads=args.threads)
    t1 = time.perf_counter()
    u = metrics.venkatraman_test(y[:h], a[:h], b[h:], y_true_b=y[h:], n_permutations=args.perm, seed=1,
                                 n_threads=args.threads)
    t2 = time.perf_counter()
    print(f"load {os.getloadavg()}, n = {args.n}, permutations = {args.perm}")
    print(f"paired:   pROC {tp:.3f} s, osteon {t1 - t0:.4f} s, ratio {tp / (t1 - t0):.1f}x; E {ep:g} vs {p.statistic:g}")
    print(f"unpaired: pROC {tu:.3f} s, osteon {t2 - t1:.4f} s, ratio {tu / (t2 - t1):.1f}x; E {eu:.12g} vs {u.statistic:.12g}")


if __name__ == "__main__":
    main()
