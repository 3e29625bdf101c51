#!/usr/bin/python3
"""osteon.data's input pipeline (ManifestDataset read + transforms + DataLoader) against MONAI's
Dataset + torch.utils.data.DataLoader on the same files and the same transforms, and against the
time of a ResNet-50 training step, one process.

Files: the synthetic hip cohort written as 16-bit PNGs (osteon.data.write_synthetic_hip_cohort,
image_size 224 by default). Pipeline (both sides): read the AP view, scale 0…65535 → 0…1, random
flip, random affine (±15°, ±10 %), Gaussian noise, ImageNet-style normalisation of one channel.
MONAI side: LoadImaged (PIL reader) + EnsureChannelFirstd + the same MONAI transforms, in a
torch DataLoader with the same num_workers (processes). Prints samples/s of each (median of
rounds, each round one epoch), their ratio, and seconds of one ResNet-50 forward + backward at
batch 8 on the same threads: the pipeline is not the bottleneck when its batch time is below it.
Without MONAI, the comparison side is a torch DataLoader with equivalent torch ops.

Usage:
    PYTHONPATH=build/python /usr/bin/python3 bench/loader_vs_torch.py --monai /tmp/monai-src --hips 96 --workers 2
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

import numpy as np
import torch


def osteon_epoch(loader):
    count = 0
    for batch in loader:
        count += batch["image"].shape[0]
    return count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--monai", default=None)
    parser.add_argument("--hips", type=int, default=96, help="hips written (patients = hips / 2)")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--resnet", action="store_true", help="also time a ResNet-50 step")
    args = parser.parse_args()
    if args.monai:
        sys.path.insert(0, args.monai)
    import osteon
    from osteon.data import transforms as T

    torch.set_num_threads(args.threads)
    folder = tempfile.mkdtemp(prefix="osteon_bench_loader_")
    manifest = osteon.data.write_synthetic_hip_cohort(folder, patients=args.hips // 2, image_size=args.size)
    dataset = osteon.data.ManifestDataset(manifest, image_columns=["image_ap"], label_columns=["outcome"])
    pipeline = T.Compose([
        T.ScaleIntensityRange(0, 65535, 0.0, 1.0),
        T.RandFlip(prob=0.5, spatial_axis=1),
        T.RandAffine(prob=1.0, rotate_range=0.26, scale_range=0.1, padding_mode="zeros"),
        T.RandGaussianNoise(prob=0.5, std=0.02),
        T.NormalizeIntensity(subtrahend=0.449, divisor=0.226),
    ])
    loader = osteon.data.DataLoader(dataset, pipeline, batch_size=args.batch, shuffle=True, num_workers=args.workers)
    osteon_epoch(loader)  # warm-up

    try:
        from monai.data import Dataset as MonaiDataset
        from monai import transforms as M
        files = [{"image": os.path.join(folder, "images", f"{hip}_ap.png")} for hip in dataset.ids()]
        monai_pipeline = M.Compose([
            M.LoadImaged(keys="image", reader="PILReader", image_only=True),
            M.EnsureChannelFirstd(keys="image", channel_dim="no_channel"),
            M.ScaleIntensityRanged(keys="image", a_min=0, a_max=65535, b_min=0.0, b_max=1.0),
            M.RandFlipd(keys="image", prob=0.5, spatial_axis=1),
            M.RandAffined(keys="image", prob=1.0, rotate_range=0.26, scale_range=0.1, padding_mode="zeros"),
            M.RandGaussianNoised(keys="image", prob=0.5, std=0.02),
            M.NormalizeIntensityd(keys="image", subtrahend=0.449, divisor=0.226),
        ])
        other = torch.utils.data.DataLoader(MonaiDataset(files, monai_pipeline), batch_size=args.batch, shuffle=True,
                                            num_workers=args.workers, persistent_workers=args.workers > 0)
        other_name = "MONAI Dataset + torch DataLoader"
    except ImportError:
        from PIL import Image

        class TorchDataset(torch.utils.data.Dataset):
            def __init__(self, paths):
                self.paths = paths

            def __len__(self):
                return len(self.paths)

            def __getitem__(self, i):
                x = torch.from_numpy(np.asarray(Image.open(self.paths[i]), dtype=np.float32))[None] / 65535
                if torch.rand(()) < 0.5:
                    x = torch.flip(x, [2])
                angle = (torch.rand(()) * 2 - 1) * 0.26
                scale = 1 + (torch.rand(()) * 2 - 1) * 0.1
                theta = torch.tensor([[torch.cos(angle) * scale, -torch.sin(angle), 0],
                                      [torch.sin(angle), torch.cos(angle) * scale, 0]])[None]
                grid = torch.nn.functional.affine_grid(theta, (1, 1) + x.shape[1:], align_corners=True)
                x = torch.nn.functional.grid_sample(x[None], grid, align_corners=True)[0]
                if torch.rand(()) < 0.5:
                    x = x + torch.randn_like(x) * 0.02
                return (x - 0.449) / 0.226

        other = torch.utils.data.DataLoader(TorchDataset([os.path.join(folder, "images", f"{h}_ap.png") for h in dataset.ids()]),
                                            batch_size=args.batch, shuffle=True, num_workers=args.workers,
                                            persistent_workers=args.workers > 0)
        other_name = "torch Dataset (PIL + torch ops) + torch DataLoader"

    def other_epoch():
        count = 0
        for batch in other:
            count += (batch["image"] if isinstance(batch, dict) else batch).shape[0]
        return count

    other_epoch()  # warm-up (starts the worker processes)
    ours, theirs, ratios = [], [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        n = osteon_epoch(loader)
        ours.append(n / (time.perf_counter() - start))
        start = time.perf_counter()
        m = other_epoch()
        theirs.append(m / (time.perf_counter() - start))
        ratios.append(ours[-1] / theirs[-1])
    print(f"{len(dataset)} PNGs of {args.size}², batch {args.batch}, workers {args.workers}, torch threads {args.threads}")
    print(f"osteon DataLoader        {statistics.median(ours):8.1f} samples/s")
    print(f"{other_name:24s} {statistics.median(theirs):8.1f} samples/s")
    sd = statistics.stdev(ratios) if len(ratios) > 1 else 0.0
    print(f"ratio osteon / other per round: {', '.join(f'{r:.2f}' for r in ratios)}; mean {statistics.mean(ratios):.2f} ± {sd:.2f}")
    if args.resnet:
        model = osteon.nn.ResNet50(num_classes=2, in_channels=1)
        model.train()
        x = torch.randn(args.batch, 1, args.size, args.size)
        y = torch.randint(0, 2, (args.batch,))
        optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
        steps = []
        for _ in range(3):
            start = time.perf_counter()
            optimiser.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            optimiser.step()
            steps.append(time.perf_counter() - start)
        step = statistics.median(steps)
        batch_time = args.batch / statistics.median(ours)
        print(f"ResNet-50 step (batch {args.batch}, {args.size}², {args.threads} threads): {step:.2f} s; "
              f"osteon pipeline per batch: {batch_time:.3f} s ({100 * batch_time / step:.1f} % of a step)")
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
