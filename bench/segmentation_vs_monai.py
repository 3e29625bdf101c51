"""Dice and HD95 on a batch of 4 × 128³ two-class volumes: osteon against MONAI, same machine, same
torch, same inputs, in one run; prints both times, the ratio, and the largest difference.

MONAI is not a Debian package: put a MONAI source tree on PYTHONPATH (never commit it), e.g.

    git --git-dir=<MONAI mirror> archive 1.4.0 | tar -x -C /tmp/monai14
    PYTHONPATH=build-<name>/python:/tmp/monai14 /usr/bin/python3 bench/segmentation_vs_monai.py

Both run single-threaded by default (scipy's EDT, which MONAI uses on the CPU, is single-threaded);
pass --threads N to give torch (and so osteon's distance transform) N threads.
"""
import argparse
import time
import warnings

import numpy as np
import torch

import osteon
from osteon import metrics
from monai.metrics import compute_dice, compute_hausdorff_distance


def volumes(batch, size, seed):
    """Two-class one-hot (B, 2, size³) float tensors: a perturbed ellipsoid per sample, and a
    prediction that is the truth shifted, dilated or eroded a little, as a model's output would be."""
    rng = np.random.default_rng(seed)
    grid = np.stack(np.meshgrid(*[np.arange(size)] * 3, indexing="ij")).astype(np.float64)
    pred = np.zeros((batch, 2, size, size, size), np.float32)
    target = np.zeros_like(pred)
    for b in range(batch):
        centre = size / 2 + rng.uniform(-8, 8, 3)
        radii = rng.uniform(0.2, 0.32, 3) * size
        wobble = 0.06 * np.sin(grid[0] / 7 + b) * np.cos(grid[1] / 9)
        r = np.sqrt((((grid - centre[:, None, None, None]) / radii[:, None, None, None]) ** 2).sum(0))
        t = r + wobble < 1
        shift = rng.integers(-2, 3, 3)
        p = np.roll(r, tuple(shift), axis=(0, 1, 2)) + rng.normal(0, 0.02, r.shape) < 1 + rng.uniform(-0.05, 0.05)
        target[b, 1], pred[b, 1] = t, p
    target[:, 0] = 1 - target[:, 1]
    pred[:, 0] = 1 - pred[:, 1]
    return torch.from_numpy(pred), torch.from_numpy(target)


def best_of(repeats, fn, clock):
    times, out = [], None
    for _ in range(repeats):
        start = clock()
        out = fn()
        times.append(clock() - start)
    return min(times), out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--spacing", type=float, nargs=3, default=[0.8, 0.8, 1.25])
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="wall: time.perf_counter; cpu: time.process_time (this process's CPU time, "
                             "steadier on a shared machine)")
    args = parser.parse_args()
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    torch.set_num_threads(args.threads)
    warnings.simplefilter("ignore")
    pred, target = volumes(args.batch, args.size, seed=0)
    spacing = list(args.spacing)
    print(f"inputs: {tuple(pred.shape)} float32 one-hot, spacing {spacing}, torch {torch.__version__}, "
          f"threads {torch.get_num_threads()}, best of {args.repeats}, {args.clock} clock")

    rows = []
    t_monai, d_monai = best_of(args.repeats, lambda: compute_dice(pred, target, include_background=False), clock)
    t_ours, d_ours = best_of(args.repeats, lambda: metrics.dice(pred, target, include_background=False), clock)
    rows.append(("Dice", t_monai, t_ours, (d_ours - d_monai.double()).abs().max().item()))
    t_monai, h_monai = best_of(args.repeats, lambda: compute_hausdorff_distance(
        pred, target, include_background=False, percentile=95, spacing=spacing), clock)
    t_ours, h_ours = best_of(args.repeats, lambda: metrics.hausdorff95(
        pred, target, include_background=False, spacing=spacing), clock)
    rows.append(("HD95", t_monai, t_ours, (h_ours - h_monai.double()).abs().max().item()))

    print(f"{'metric':<8}{'MONAI s':>10}{'osteon s':>10}{'ratio':>8}{'max |diff|':>12}")
    for name, tm, to, diff in rows:
        print(f"{name:<8}{tm:>10.4f}{to:>10.4f}{tm / to:>7.1f}x{diff:>12.2e}")
    print("HD95 values (osteon):", [round(v, 4) for v in h_ours[:, 0].tolist()])


if __name__ == "__main__":
    main()
