#!/usr/bin/python3
"""osteon.losses beside MONAI's losses on the same tensors, under the same torch, in one run.

Prints the median forward + backward time of each and the ratio ours / MONAI (< 1: we are
faster), plus the largest difference of the two loss values. MONAI is imported from a fetched
source tree (never installed, never committed):

    PYTHONPATH=build-<you>/python:/tmp/monai /usr/bin/python3 bench/losses_vs_monai.py [--repeats 3]

On a machine with CUDA the same cases also run on the GPU (with synchronisation around the timing).
Shapes: the issue's 2 x 4 x 128^3 Dice + CE (a few repetitions: one step takes seconds on a CPU),
and a 64 x 2 focal loss (sigmoid with one-hot targets, and softmax).
"""
import argparse
import statistics
import time

import torch

import monai
import monai.losses as monai_losses
import osteon
from osteon import losses as osteon_losses


def median_seconds(loss, x, y, repeats, device):
    def step():
        x.grad = None
        loss(x, y).backward()

    step()  # warm-up (allocations, first-call dispatch)
    times = []
    for _ in range(repeats):
        if device == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        step()
        if device == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cases(size):
    return [
        (f"DiceCE softmax 2x4x{size}^3", dict(softmax=True, to_onehot_y=True), "DiceCELoss",
         (2, 4, size, size, size), None),
        ("Focal sigmoid 64x2", dict(to_onehot_y=True), "FocalLoss", (64, 2), 1000),
        ("Focal softmax 64x2", dict(to_onehot_y=True, use_softmax=True), "FocalLoss", (64, 2), 1000),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed steps of the large case")
    parser.add_argument("--size", type=int, default=128, help="cube side of the Dice + CE case")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print(f"torch {torch.__version__}, MONAI {monai.__version__}, osteon {osteon.__version__}, "
          f"{torch.get_num_threads()} thread(s)")
    print(f"{'case':32s} {'device':6s} {'osteon ms':>10s} {'MONAI ms':>10s} {'ratio':>7s} {'|diff|':>9s}")
    for device in devices:
        for name, kwargs, cls, shape, small_repeats in cases(args.size):
            torch.manual_seed(0)
            x = torch.randn(*shape, device=device, requires_grad=True)
            label_shape = (shape[0], 1) + tuple(shape[2:])
            y = torch.randint(0, shape[1], label_shape, device=device)
            ours = getattr(osteon_losses, cls)(**kwargs)
            theirs = getattr(monai_losses, cls)(**kwargs)
            repeats = small_repeats or args.repeats
            t_ours = median_seconds(ours, x, y, repeats, device)
            t_theirs = median_seconds(theirs, x, y, repeats, device)
            with torch.no_grad():
                diff = (ours(x, y) - theirs(x, y) * (shape[1] if kwargs.get("use_softmax") else 1)).abs().item()
            print(f"{name:32s} {device:6s} {t_ours * 1e3:10.3f} {t_theirs * 1e3:10.3f} "
                  f"{t_ours / t_theirs:7.3f} {diff:9.2e}")


if __name__ == "__main__":
    main()
