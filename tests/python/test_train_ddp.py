"""An osteon network inside torch's DistributedDataParallel: 2 processes on localhost (gloo, file
store) give the weights of one process with the global batch, to float tolerance. Batch norm is
kept in eval mode (running statistics), so that the per-rank batches and the global batch see the
same normalisation; everything else trains."""
import os
import subprocess
import sys
import textwrap

import torch

import osteon

WORKER = textwrap.dedent("""
    import sys, torch, torch.distributed as dist, osteon
    rank, store, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method="file://" + store, rank=rank, world_size=2)
    torch.manual_seed(0)
    model = osteon.nn.ResNet18(num_classes=2, in_channels=1)
    if rank == 1:  # DDP broadcasts rank 0's weights at construction
        with torch.no_grad():
            for p in model.parameters():
                p.add_(0.5)
    ddp = torch.nn.parallel.DistributedDataParallel(model)
    model.eval()  # batch norm on running statistics
    g = torch.Generator().manual_seed(1)
    x = torch.randn(32, 1, 32, 32, generator=g)
    y = torch.randint(0, 2, (32,), generator=g)
    optimizer = torch.optim.SGD(ddp.parameters(), lr=0.05, momentum=0.9)
    for b in range(0, 32, 16):
        part = slice(b + rank * 8, b + rank * 8 + 8)
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(ddp(x[part]), y[part]).backward()
        optimizer.step()
    if rank == 0:
        torch.save(model.state_dict(), out)
    dist.destroy_process_group()
""")


def test_ddp_two_processes_equal_one_process_with_the_global_batch(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    out = tmp_path / "ddp.pt"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    workers = [subprocess.Popen([sys.executable, str(script), str(rank), str(tmp_path / "store"), str(out)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for rank in (0, 1)]
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = osteon.nn.ResNet18(num_classes=2, in_channels=1)
    start = {k: v.clone() for k, v in model.state_dict().items()}
    model.eval()
    g = torch.Generator().manual_seed(1)
    x = torch.randn(32, 1, 32, 32, generator=g)
    y = torch.randint(0, 2, (32,), generator=g)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for b in range(0, 32, 16):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x[b:b + 16]), y[b:b + 16]).backward()
        optimizer.step()
    ddp = torch.load(out)
    for name, tensor in model.state_dict().items():
        assert torch.allclose(ddp[name], tensor, rtol=1e-4, atol=1e-5), name
    assert not torch.equal(ddp["fc.weight"], start["fc.weight"])  # it trained
