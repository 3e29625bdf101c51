#!/usr/bin/env python3
"""Speed-up of osteon's metrics from two Python threads: the bindings release the GIL around the
C++ work, so two threads computing metrics run in parallel on two cores.

For each workload the script times `--rounds` rounds of: the two calls one after the other in one
thread, then the same two calls in two threads at once; it prints the per-round ratio
sequential / threaded (2.0 = perfect scaling on two free cores, 1.0 = no parallelism, which is
what a binding holding the GIL gives) as median and spread, and the process CPU time over wall
time of the threaded runs (above 1 only when both threads computed at once: with the GIL held
it stays at or below 1 whatever the machine's load). torch's own intra-op threads are set
to 1 so that the parallelism measured is the threads'. Report the machine's load (`uptime`) with
the numbers: on a shared machine the second core may be busy.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_threads.py --rounds 7
"""
import argparse
import os
import statistics
import threading
import time

import numpy as np
import torch

import osteon
from osteon import metrics


def _workloads(n):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, n)
    a, b = y + rng.normal(size=n), 0.7 * y + rng.normal(size=n)
    ty, ta = torch.tensor(y), torch.tensor(a)
    many_y = ty.repeat(50)
    many_scores = ta.repeat(50) + torch.randn(8, 50 * n, dtype=torch.float64)
    masks = torch.rand(2, 2, 64, 64, 64) > 0.6
    shifted = torch.roll(masks, 2, dims=-1)
    return {
        "auc_ci bootstrap (host, n=%d, 1000 replicates)" % n:
            lambda: metrics.auc_ci(y, a, method="bootstrap", n_boot=1000, seed=1),
        "delong_test (host, n=%d)" % (20 * n): None,
        "delong_cov (tensor, 8 predictors, n=%d)" % (50 * n):
            lambda: metrics.delong_cov(many_y, many_scores),
        "surface_distances (2x2x64^3 masks)": lambda: metrics.surface_distances(masks, shifted, spacing=1.0),
    }, (y, a, b)


def _time(function, threads):
    cpu = time.process_time()
    start = time.perf_counter()
    if threads == 1:
        function()
        function()
    else:
        workers = [threading.Thread(target=function) for _ in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    return time.perf_counter() - start, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--n", type=int, default=4000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    workloads, (y, a, b) = _workloads(args.n)
    big_y = np.tile(y, 20)
    big_a, big_b = np.tile(a, 20) + 1e-9 * np.arange(20 * len(a)), np.tile(b, 20)
    workloads["delong_test (host, n=%d)" % (20 * args.n)] = lambda: metrics.delong_test(big_y, big_a, big_b)
    print(f"osteon {osteon.__version__}, torch {torch.__version__}, torch threads 1, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.2f}")
    for name, function in workloads.items():
        function()  # warm up
        ratios, occupancy = [], []
        for _ in range(args.rounds):
            sequential, _ = _time(function, 1)
            threaded, cpu = _time(function, 2)
            ratios.append(sequential / threaded)
            occupancy.append(cpu / threaded)
        spread = statistics.stdev(ratios) if len(ratios) > 1 else 0.0
        print(f"{name:50s} sequential/threaded = {statistics.median(ratios):.2f} (median of {args.rounds}, "
              f"sd {spread:.2f}, min {min(ratios):.2f}, max {max(ratios):.2f}); threaded CPU/wall = "
              f"{statistics.median(occupancy):.2f} (max {max(occupancy):.2f})")
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
