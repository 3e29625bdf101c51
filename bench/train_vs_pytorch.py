"""The hip study's ResNet training through osteon.train (C++ Trainer, osteon's ResNet, GIL released)
against the same loop written in Python PyTorch eager with torchvision's ResNet: same data in memory,
same batches (no shuffle), Adam (lr 2e-3, β₁ 0.5), cross-entropy, same threads, one process. The two
alternate round by round; images/s of each and the median of the per-round ratios are printed.

    PYTHONPATH=build/python /usr/bin/python3 bench/train_vs_pytorch.py [--rounds 3] [--threads 2]

Configurations: ResNet-18 at the demo's size (1 channel, 64², batch 32) and ResNet-50 at 224²
(3 channels, batch 8). Goals: ≥ 1.1× at the demo's size, ≥ 1.0× at 224².
"""
import argparse
import os
import statistics
import time

import torch
import torchvision

import osteon

CONFIGS = [
    # name, depth, channels, size, batch, samples per round
    ("ResNet-18 64² (demo)", 18, 1, 64, 32, 128),
    ("ResNet-50 224²", 50, 3, 224, 8, 16),
]


def torchvision_model(depth, channels):
    net = getattr(torchvision.models, f"resnet{depth}")(num_classes=2)
    if channels != 3:
        net.conv1 = torch.nn.Conv2d(channels, 64, 7, 2, 3, bias=False)
    return net


def python_epoch(net, x, y, batch):
    optimizer = torch.optim.Adam(net.parameters(), lr=2e-3, betas=(0.5, 0.999))
    net.train()
    for b in range(0, x.shape[0], batch):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(x[b:b + batch]), y[b:b + batch])
        loss.item()
        loss.backward()
        optimizer.step()


def osteon_epoch(net, x, y, batch):
    trainer = osteon.train.Trainer(net, "cross_entropy", max_epochs=1, lr=2e-3, betas=(0.5, 0.999), batch_size=batch,
                                   shuffle=False, progress=False)
    trainer.fit(x, y)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"threads {args.threads}; load: {os.getloadavg()}")
    for name, depth, channels, size, batch, samples in CONFIGS:
        torch.manual_seed(0)
        x = torch.randn(samples, channels, size, size)
        y = torch.randint(0, 2, (samples,))
        ours = getattr(osteon.nn, f"ResNet{depth}")(num_classes=2, in_channels=channels)
        theirs = torchvision_model(depth, channels)
        theirs.load_state_dict(ours.state_dict())
        osteon_epoch(ours, x[:batch], y[:batch], batch)  # warm-up of both
        python_epoch(theirs, x[:batch], y[:batch], batch)
        ratios, ours_ips, theirs_ips = [], [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            osteon_epoch(ours, x, y, batch)
            middle = time.perf_counter()
            python_epoch(theirs, x, y, batch)
            end = time.perf_counter()
            ours_ips.append(samples / (middle - start))
            theirs_ips.append(samples / (end - middle))
            ratios.append(ours_ips[-1] / theirs_ips[-1])
        print(f"{name}, batch {batch}: osteon.train {statistics.median(ours_ips):.1f} img/s, "
              f"PyTorch eager {statistics.median(theirs_ips):.1f} img/s; ratio (median of {args.rounds} rounds) "
              f"{statistics.median(ratios):.3f}  [{', '.join(f'{r:.3f}' for r in ratios)}]")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
