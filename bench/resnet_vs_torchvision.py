#!/usr/bin/python3
"""osteon.nn.ResNet50 (C++) beside torchvision's resnet50 (Python) on the same libtorch, one run.

Measures one training step's forward + backward (no optimiser) at batch 8, 3 x 224 x 224, in
images per second, for both models in the default (contiguous) and the channels_last memory
format, and prints the ratio ours / torchvision (> 1: we are faster). Both models run in the same
process, with the same thread count, weights (ours load torchvision's state dict) and input; the
timed steps alternate between the two models so that load from other processes hits both alike.

    PYTHONPATH=build-<you>/python /usr/bin/python3 bench/resnet_vs_torchvision.py [--threads 2] [--repeats 3]
"""
import argparse
import os
import statistics
import tempfile
import time

import torch
import torchvision

import osteon


def step(model, x):
    for p in model.parameters():
        p.grad = None
    model(x).sum().backward()


def seconds(model, x):
    start = time.perf_counter()
    step(model, x)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    reference = torchvision.models.resnet50(weights=None)
    ours = osteon.nn.ResNet50()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "resnet50.pt")
        torch.save(reference.state_dict(), path)
        osteon.nn.load_torchvision_weights(ours, path)
    reference.train(), ours.train()
    x = torch.randn(args.batch, 3, args.size, args.size)

    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, "
          f"{torch.get_num_threads()} threads, batch {args.batch}, {args.size}x{args.size}, "
          f"forward + backward, median of {args.repeats}")
    print(f"{'memory format':<16}{'torchvision img/s':>20}{'osteon img/s':>16}{'ratio':>9}")
    for name, memory_format in (("contiguous", torch.contiguous_format),
                                ("channels_last", torch.channels_last)):
        reference.to(memory_format=memory_format)
        ours.to(memory_format=memory_format)
        xf = x.contiguous(memory_format=memory_format)
        step(reference, xf), step(ours, xf)  # warm-up: allocations, oneDNN primitive caches
        times_reference, times_ours = [], []
        for _ in range(args.repeats):
            times_reference.append(seconds(reference, xf))
            times_ours.append(seconds(ours, xf))
        rate_reference = args.batch / statistics.median(times_reference)
        rate_ours = args.batch / statistics.median(times_ours)
        print(f"{name:<16}{rate_reference:>20.2f}{rate_ours:>16.2f}{rate_ours / rate_reference:>9.3f}")


if __name__ == "__main__":
    main()
