#!/usr/bin/python3
"""osteon's C++ V-Net and UNet against MONAI's Python VNet and UNet, on the same libtorch.

Forward + backward (training mode, loss = mean of squared logits) voxels per second, in one run
and one process: osteon.nn.VNet / UNet (C++ modules through the bindings) beside
monai.networks.nets.VNet / UNet built with the same configuration, interleaved round by round
so that load on the machine hits both alike; each side in contiguous and channels-last memory
format. Prints each step's seconds, voxels/s (median over rounds), the ratio osteon / MONAI of each
round (both sides timed back to back, so a load spike hits one round's pair) and their mean ± SD.
On a shared machine prefer --clock cpu (the process's CPU time, both threads). With --cpp-bench,
also runs bench_volnet_torch (pure C++, Google Benchmark) at the same sizes.

Usage (MONAI source tree on PYTHONPATH or given with --monai; osteon built):
    PYTHONPATH=build/python /usr/bin/python3 bench/volnet_vs_monai.py --monai /tmp/monai-src \
        --vnet 8,64 --unet 8,256 --rounds 5 --formats contiguous --clock cpu \
        --cpp-bench build/bench/bench_volnet_torch
Without MONAI importable it says so and exits 0 (nothing to compare against).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import torch


def parse_pair(text):
    batch, size = (int(v) for v in text.split(","))
    return batch, size


def to_channels_last(net, x):
    fmt = torch.channels_last_3d if x.dim() == 5 else torch.channels_last
    net.to(memory_format=fmt)
    return x.contiguous(memory_format=fmt)


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def step_seconds(net, x, clock):
    start = CLOCKS[clock]()
    net.zero_grad()
    net(x).square().mean().backward()
    return CLOCKS[clock]() - start


def measure(builders, shape, rounds, clock):
    """builders: name -> (constructor, channels_last). One warm-up step each, then `rounds`
    interleaved timed steps. Returns name -> list of step seconds, one per round."""
    torch.manual_seed(0)
    x = torch.randn(shape)
    nets, inputs = {}, {}
    for name, (build, channels_last) in builders.items():
        net = build()
        net.train()
        inputs[name] = to_channels_last(net, x.clone()) if channels_last else x.clone()
        nets[name] = net
        step_seconds(net, inputs[name], clock)  # warm-up
    times = {name: [] for name in builders}
    for index in range(rounds):
        # Alternate who goes first, so neither side always follows the other's memory traffic.
        order = list(builders) if index % 2 == 0 else list(reversed(list(builders)))
        for name in order:
            times[name].append(step_seconds(nets[name], inputs[name], clock))
    return times


def report(title, shape, times, formats):
    voxels = 1
    for extent in shape:
        voxels *= extent
    speeds = {name: voxels / statistics.median(t) for name, t in times.items()}
    print(f"\n{title}, input {tuple(shape)}, forward + backward, voxels/s (median):")
    for name, t in times.items():
        print(f"  {name:<28s} step seconds {' '.join(f'{v:.2f}' for v in t)}")
    for name, speed in speeds.items():
        print(f"  {name:<28s} {speed:14,.0f}")
    for fmt in formats:
        # Per round: MONAI's step time over osteon's, the two taken back to back.
        ratios = [m / o for o, m in zip(times[f"osteon {fmt}"], times[f"MONAI {fmt}"])]
        spread = statistics.stdev(ratios) if len(ratios) > 1 else float("nan")
        print(f"  ratio osteon / MONAI ({fmt}): median-based {speeds[f'osteon {fmt}'] / speeds[f'MONAI {fmt}']:.3f}, "
              f"per round {' '.join(f'{r:.3f}' for r in ratios)}, mean {statistics.mean(ratios):.3f} ± {spread:.3f} (SD)")
    if len(formats) == 2:
        best = max(speeds[f"osteon {f}"] for f in formats)
        print(f"  ratio osteon best / MONAI default (contiguous): {best / speeds['MONAI contiguous']:.3f}")


def builders_for(osteon_model, monai_model, config, formats):
    builders = {}
    for fmt in formats:
        builders[f"osteon {fmt}"] = (lambda: osteon_model(**config), fmt == "channels_last")
        builders[f"MONAI {fmt}"] = (lambda: monai_model(**config), fmt == "channels_last")
    return builders


def run_cpp_bench(program, vnet, unet, threads):
    env = dict(os.environ, OSTEON_BENCH_VNET=f"{vnet[0]},{vnet[1]}", OSTEON_BENCH_UNET=f"{unet[0]},{unet[1]}",
               OSTEON_BENCH_THREADS=str(threads))
    out = subprocess.run([program, "--benchmark_format=json"], env=env, check=True, capture_output=True, text=True)
    print("\nC++ (bench_volnet_torch, Google Benchmark), voxels/s:")
    for bench in json.loads(out.stdout)["benchmarks"]:
        print(f"  {bench['name']:<36s} {bench.get('label', ''):<14s} {bench['items_per_second']:14,.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--monai", help="MONAI source tree (prepended to sys.path)")
    parser.add_argument("--vnet", type=parse_pair, default=(1, 32), help="batch,size of the 3-D V-Net input")
    parser.add_argument("--unet", type=parse_pair, default=(8, 128), help="batch,size of the 2-D UNet input")
    parser.add_argument("--rounds", type=int, default=2, help="timed steps per side")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cpp-bench", help="path of the bench_volnet_torch program")
    parser.add_argument("--only", choices=("vnet", "unet"), help="run one model only")
    parser.add_argument("--clock", choices=tuple(CLOCKS), default="wall",
                        help="wall time, or the process's CPU time (both threads), which other "
                             "processes' load on a shared machine disturbs far less")
    parser.add_argument("--formats", default="contiguous,channels_last",
                        help="memory formats to time, comma-separated (contiguous, channels_last)")
    args = parser.parse_args()
    if args.monai:
        sys.path.insert(0, args.monai)
    try:
        from monai.networks.nets import UNet as MonaiUNet, VNet as MonaiVNet
        import monai
    except ImportError as error:
        print(f"MONAI is not importable ({error}); pass --monai <source tree>. Nothing to compare.")
        return 0
    import osteon

    formats = tuple(args.formats.split(","))
    for fmt in formats:
        if fmt not in ("contiguous", "channels_last"):
            parser.error(f"--formats: unknown memory format {fmt!r}")

    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, MONAI {monai.__version__}, {torch.get_num_threads()} threads, "
          f"oneDNN {torch.backends.mkldnn.is_available()}, {args.clock} clock")

    if args.only in (None, "vnet"):
        batch, size = args.vnet
        shape = (batch, 1, size, size, size)
        vnet = dict(spatial_dims=3, in_channels=1, out_channels=2)
        times = measure(builders_for(osteon.nn.VNet, MonaiVNet, vnet, formats), shape, args.rounds, args.clock)
        report("V-Net 3-D (MONAI default, 1 -> 2 channels)", shape, times, formats)
    if args.only in (None, "unet"):
        batch, size = args.unet
        shape = (batch, 1, size, size)
        unet = dict(spatial_dims=2, in_channels=1, out_channels=2, channels=(16, 32, 64, 128, 256),
                    strides=(2, 2, 2, 2), num_res_units=2)
        times = measure(builders_for(osteon.nn.UNet, MonaiUNet, unet, formats), shape, args.rounds, args.clock)
        report("UNet 2-D (16..256, strides 2, 2 residual units, 1 -> 2 channels)", shape, times, formats)
    if args.cpp_bench:
        run_cpp_bench(args.cpp_bench, args.vnet, args.unet, args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
