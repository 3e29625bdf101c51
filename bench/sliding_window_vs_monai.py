#!/usr/bin/python3
"""osteon.data.sliding_window_inference against MONAI's, same network, same windows, one process.

A MONAI UNet (3-D, eval, no_grad) is the predictor of both; the volume, roi_size, overlap,
sw_batch_size and mode are the same. Rounds alternate osteon / MONAI so that load on the machine
hits both alike; prints seconds per call (median), the ratio MONAI time / osteon time of each
round (> 1: osteon faster) and their mean ± SD, the max abs difference of the outputs, and the
load average. --clock cpu uses process CPU time (steadier on a shared machine).

Usage (MONAI source tree on PYTHONPATH or --monai; osteon built):
    PYTHONPATH=build/python /usr/bin/python3 bench/sliding_window_vs_monai.py --monai /tmp/monai-src \
        --size 96 --roi 48 --overlap 0.5 --mode gaussian --rounds 5 --threads 2
Without MONAI importable it says so and exits 0.
"""
import argparse
import os
import statistics
import sys
import time

import torch

CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--monai", default=None)
    parser.add_argument("--size", type=int, default=96)
    parser.add_argument("--roi", type=int, default=48)
    parser.add_argument("--overlap", type=float, default=0.5)
    parser.add_argument("--mode", default="gaussian")
    parser.add_argument("--sw-batch", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    args = parser.parse_args()
    if args.monai:
        sys.path.insert(0, args.monai)
    try:
        from monai.inferers import sliding_window_inference as monai_swi
        from monai.networks.nets import UNet
    except ImportError:
        print("MONAI is not importable (pass --monai <source tree>): nothing to compare against")
        return 0
    import osteon

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = UNet(spatial_dims=3, in_channels=1, out_channels=2, channels=(8, 16, 32), strides=(2, 2)).eval()
    volume = torch.randn(1, 1, args.size, args.size, args.size)
    roi = (args.roi,) * 3
    kwargs = dict(overlap=args.overlap, mode=args.mode)
    clock = CLOCKS[args.clock]
    ours, theirs, ratios = [], [], []
    with torch.no_grad():
        reference = monai_swi(volume, roi, args.sw_batch, net, **kwargs)
        result = osteon.data.sliding_window_inference(volume, roi, args.sw_batch, net, **kwargs)
        difference = (reference - result).abs().max().item()
        for _ in range(args.rounds):
            start = clock()
            osteon.data.sliding_window_inference(volume, roi, args.sw_batch, net, **kwargs)
            ours.append(clock() - start)
            start = clock()
            monai_swi(volume, roi, args.sw_batch, net, **kwargs)
            theirs.append(clock() - start)
            ratios.append(theirs[-1] / ours[-1])
    print(f"volume {args.size}^3, roi {args.roi}^3, overlap {args.overlap}, mode {args.mode}, sw_batch_size {args.sw_batch}, "
          f"threads {args.threads}, clock {args.clock}")
    print(f"osteon  {statistics.median(ours):.4f} s/call   MONAI {statistics.median(theirs):.4f} s/call")
    print(f"ratio MONAI/osteon per round: {', '.join(f'{r:.3f}' for r in ratios)}")
    sd = statistics.stdev(ratios) if len(ratios) > 1 else 0.0
    print(f"ratio mean {statistics.mean(ratios):.3f} ± {sd:.3f}; max |osteon - MONAI| = {difference:.2e}")
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
