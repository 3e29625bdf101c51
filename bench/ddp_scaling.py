"""Data-parallel scaling of a training step on 2 CPU processes (gloo, localhost), report only: an
osteon ResNet-18 (1 channel, 64², the demo's network) in torch's DistributedDataParallel. One
process with the global batch (2 threads) against two processes with half the batch each (1 thread
each), the same global batch per step; efficiency = t(1 process) / t(2 processes). On a 2-core
shared machine this is a correctness setup, not a speed claim.

    PYTHONPATH=build/python /usr/bin/python3 bench/ddp_scaling.py [--steps 6] [--batch 32]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time

WORKER = textwrap.dedent("""
    import sys, time, torch, torch.distributed as dist, osteon
    rank, world, store, steps, batch = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(2 // world)
    if world > 1:
        dist.init_process_group("gloo", init_method="file://" + store, rank=rank, world_size=world)
    torch.manual_seed(0)
    model = osteon.nn.ResNet18(num_classes=2, in_channels=1)
    net = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    local = batch // world
    x = torch.randn(local, 1, 64, 64)
    y = torch.randint(0, 2, (local,))
    optimizer = torch.optim.Adam(net.parameters(), lr=2e-3, betas=(0.5, 0.999))
    def step():
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
        optimizer.step()
    step()
    if world > 1: dist.barrier()
    start = time.perf_counter()
    for _ in range(steps): step()
    if world > 1: dist.barrier()
    if rank == 0: print((time.perf_counter() - start) / steps)
""")


def run(world, steps, batch, folder):
    script = os.path.join(folder, "worker.py")
    with open(script, "w") as f:
        f.write(WORKER)
    store = os.path.join(folder, f"store{world}_{time.time_ns()}")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    procs = [subprocess.Popen([sys.executable, script, str(r), str(world), store, str(steps), str(batch)],
                              stdout=subprocess.PIPE, text=True, env=env) for r in range(world)]
    outs = [p.communicate()[0] for p in procs]
    return float(outs[0].strip())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    print(f"load: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        one = run(1, args.steps, args.batch, folder)
        two = run(2, args.steps, args.batch, folder)
    print(f"global batch {args.batch}: 1 process {one * 1e3:.0f} ms/step, 2 processes {two * 1e3:.0f} ms/step; "
          f"scaling efficiency {one / two:.3f}")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
