#!/usr/bin/python3
"""osteon.losses beside MONAI's losses on the same tensors, under the same torch, in one run.

Prints the median forward + backward time of each and the ratio ours / MONAI (< 1: we are
faster), plus the largest difference of the two loss values. The two sides are timed
interleaved (one sample of ours, one of MONAI's, the order alternating), so that load from other
processes falls on both alike. MONAI is imported from a fetched source tree (never installed,
never committed):

    PYTHONPATH=build-<you>/python:/tmp/monai /usr/bin/python3 bench/losses_vs_monai.py [--repeats 3]

On a machine with CUDA the same cases also run on the GPU (with synchronisation around the timing).
Shapes: the issue's 2 x 4 x 128^3 Dice + CE (a few repetitions: one step takes seconds on a CPU),
the issue's 64 x 2 focal loss (sigmoid with one-hot targets, and softmax), and larger focal cases:
a 4096 x 5 classifier batch and a 2 x 4 x 64^3 segmentation.
"""
import argparse
import statistics
import time

import torch

import monai
import monai.losses as monai_losses
import osteon
from osteon import losses as osteon_losses


def interleaved_medians(ours, theirs, x, y, samples, steps, device, clock):
    """Median seconds per forward + backward step of each loss; each sample times `steps` steps."""
    def step(loss):
        x.grad = None
        loss(x, y).backward()

    def sample(loss):
        if device == "cuda":
            torch.cuda.synchronize()
        start = clock()
        for _ in range(steps):
            step(loss)
        if device == "cuda":
            torch.cuda.synchronize()
        return (clock() - start) / steps

    for loss in (ours, theirs):  # warm-up (allocations, first-call dispatch)
        for _ in range(min(steps, 10)):
            step(loss)
    times = {id(ours): [], id(theirs): []}
    for i in range(samples):
        for loss in ((ours, theirs) if i % 2 == 0 else (theirs, ours)):
            times[id(loss)].append(sample(loss))
    return statistics.median(times[id(ours)]), statistics.median(times[id(theirs)])


def cases(size, focal_size):
    # (name, keywords, class, input shape, (samples, steps per sample) or None for --repeats x 1)
    focal_3d = (2, 4, focal_size, focal_size, focal_size)
    return [
        (f"DiceCE softmax 2x4x{size}^3", dict(softmax=True, to_onehot_y=True), "DiceCELoss",
         (2, 4, size, size, size), None),
        ("Focal sigmoid 64x2", dict(to_onehot_y=True), "FocalLoss", (64, 2), (200, 20)),
        ("Focal softmax 64x2", dict(to_onehot_y=True, use_softmax=True), "FocalLoss", (64, 2), (200, 20)),
        ("Focal sigmoid 4096x5", dict(to_onehot_y=True), "FocalLoss", (4096, 5), (60, 5)),
        ("Focal softmax 4096x5", dict(to_onehot_y=True, use_softmax=True), "FocalLoss", (4096, 5), (60, 5)),
        (f"Focal sigmoid 2x4x{focal_size}^3", dict(to_onehot_y=True), "FocalLoss", focal_3d, (9, 1)),
        (f"Focal softmax 2x4x{focal_size}^3", dict(to_onehot_y=True, use_softmax=True), "FocalLoss",
         focal_3d, (9, 1)),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed steps of the large Dice + CE case")
    parser.add_argument("--size", type=int, default=128, help="cube side of the Dice + CE case")
    parser.add_argument("--focal-size", type=int, default=64, help="cube side of the 3-D focal cases")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this text")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="wall: time.perf_counter; cpu: time.process_time (this process's CPU time, "
                             "robust to other processes on a shared machine; CPU cases only)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print(f"torch {torch.__version__}, MONAI {monai.__version__}, osteon {osteon.__version__}, "
          f"{torch.get_num_threads()} thread(s), {args.clock} clock")
    print(f"{'case':32s} {'device':6s} {'osteon ms':>10s} {'MONAI ms':>10s} {'ratio':>7s} {'|diff|':>9s}")
    for device in devices:
        for name, kwargs, cls, shape, timing in cases(args.size, args.focal_size):
            if args.only not in name:
                continue
            torch.manual_seed(0)
            x = torch.randn(*shape, device=device, requires_grad=True)
            label_shape = (shape[0], 1) + tuple(shape[2:])
            y = torch.randint(0, shape[1], label_shape, device=device)
            ours = getattr(osteon_losses, cls)(**kwargs)
            theirs = getattr(monai_losses, cls)(**kwargs)
            samples, steps = timing or (args.repeats, 1)
            clock = time.process_time if args.clock == "cpu" and device == "cpu" else time.perf_counter
            t_ours, t_theirs = interleaved_medians(ours, theirs, x, y, samples, steps, device, clock)
            with torch.no_grad():
                # Softmax focal: MONAI's mean also runs over the C class terms, ours sums them.
                diff = (ours(x, y) - theirs(x, y) * (shape[1] if kwargs.get("use_softmax") else 1)).abs().item()
            print(f"{name:32s} {device:6s} {t_ours * 1e3:10.3f} {t_theirs * 1e3:10.3f} "
                  f"{t_ours / t_theirs:7.3f} {diff:9.2e}", flush=True)


if __name__ == "__main__":
    main()
