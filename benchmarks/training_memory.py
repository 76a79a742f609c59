"""Memory and throughput of training (issue 8 benchmark), printed as a table.

1. Peak memory of one training step of the ``full`` preset at batch 4 (fp32, AdamW) and of
   inference at batch 4, against the design documents' 7.5 GB and 2.3 GB. Measured as peak RSS
   of a fresh subprocess minus its RSS after imports and data loading, i.e. weights, gradients,
   optimizer state and activations (CPU; the documents' figures are GPU memory, where the
   weights, gradients, optimizer state and activations are what counts). Encoder states are
   random tensors of seed-corpus token lengths, so the encoder's own memory is not counted.
2. Training throughput (samples/s) of a preset (default ``small``) on seed-corpus-shaped inputs.
3. DDP scaling: the same per-process batch with 1 and 2 gloo processes (torchrun) on this
   machine; on 2 cores each process gets 1 thread, so the figure is samples/s of the job.

    python benchmarks/training_memory.py [--skip-ddp]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import torch

DOC_TRAIN_GB, DOC_INFER_GB = 7.5, 2.3


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _inputs(batch: int, d_enc: int, with_options: bool, seed: int = 0):
    from redheart.model import collate_inputs

    g = torch.Generator().manual_seed(seed)
    lengths = torch.randint(24, 96, (batch,), generator=g).tolist()
    states = [torch.randn(t, d_enc, generator=g) for t in lengths]
    options = [[torch.randn(8, d_enc, generator=g) for _ in range(3)] if with_options else []
               for _ in range(batch)]
    return collate_inputs(states, [i % 2 for i in range(batch)], options)


def _labels(batch: int):
    from redheart.data import load_records
    from redheart.labels import collate_labels
    from redheart.training.cli import shipped_corpus

    recs = [r for r in load_records(shipped_corpus()) if r.decision is not None][:batch]
    return collate_labels(recs)


def child(mode: str, preset: str, batch: int, steps: int) -> None:
    """Runs in a subprocess; prints one JSON line."""
    from redheart.model import RedheartModel
    from redheart.plugins import registry
    from redheart.training.trainer import total_loss

    reg = registry()
    specs = reg.resolve([n for n, s in reg.plugins.items() if s.has_model])
    losses = {s.name: s.load("loss") for s in specs if s.loss}
    inputs, labels = _inputs(batch, 384, True), _labels(batch)
    base = _rss_mb()  # interpreter, torch and data: everything but the model's own memory
    torch.manual_seed(0)
    model = RedheartModel(specs, preset, 384)
    params = sum(p.numel() for p in model.parameters())
    start = time.perf_counter()
    if mode == "train":
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
        model.train()
        for _ in range(steps):
            loss, _ = total_loss(model(inputs), labels, losses, {})
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
    else:
        model.eval()
        with torch.inference_mode():
            for _ in range(steps):
                model(inputs)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "preset": preset, "params": params, "base_mb": base,
                      "peak_mb": peak, "seconds": elapsed, "samples_per_s": batch * steps / elapsed}))


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


DDP_SCRIPT = r"""
import json, os, sys, time, torch
sys.path.insert(0, os.path.dirname(sys.argv[1]))
import torch.distributed as dist
from training_memory import _inputs, _labels
from redheart.model import RedheartModel
from redheart.plugins import registry
from redheart.training.trainer import init_distributed, total_loss
info = init_distributed()
torch.set_num_threads(max(1, os.cpu_count() // info.world))
reg = registry(); specs = reg.resolve([n for n, s in reg.plugins.items() if s.has_model])
torch.manual_seed(0)
model = RedheartModel(specs, sys.argv[2], 384)
ddp = torch.nn.parallel.DistributedDataParallel(model, find_unused_parameters=True) if info.world > 1 else model
losses = {s.name: s.load("loss") for s in specs if s.loss}
opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
batch, steps = int(sys.argv[3]), int(sys.argv[4])
inputs, labels = _inputs(batch, 384, True, seed=info.rank), _labels(batch)
def step():
    loss, _ = total_loss(ddp(inputs), labels, losses, {}); loss.backward(); opt.step(); opt.zero_grad()
step()
t = time.perf_counter()
for _ in range(steps): step()
el = time.perf_counter() - t
if info.main: print(json.dumps({"world": info.world, "samples_per_s": batch * steps * info.world / el}))
if info.world > 1: dist.destroy_process_group()
"""


def ddp(preset: str, batch: int, steps: int) -> list[dict]:
    import tempfile

    rows = []
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(DDP_SCRIPT)
    for world in (1, 2):
        cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(world),
               "--master_addr", "127.0.0.1", "--master_port", str(29500 + world), f.name,
               __file__, preset, str(batch), str(steps)]
        env = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.abspath(__file__))}
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    os.unlink(f.name)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=4, metavar=("MODE", "PRESET", "BATCH", "STEPS"))
    ap.add_argument("--preset", default="small", help="preset for throughput and DDP")
    ap.add_argument("--skip-ddp", action="store_true")
    args = ap.parse_args()
    if args.child:
        mode, preset, batch, steps = args.child
        child(mode, preset, int(batch), int(steps))
        return
    train = run_child("train", "full", "4", "1")
    infer = run_child("infer", "full", "4", "1")
    print(f"preset full: {train['params'] / 1e6:.1f}M parameters, batch 4, CPU, threads={torch.get_num_threads()}")
    print(f"{'measure':<34} {'peak − base (GB)':>17} {'design doc (GB)':>16} {'ratio':>7}")
    for name, r, doc in (("training step (fp32, AdamW)", train, DOC_TRAIN_GB),
                         ("inference (no grad)", infer, DOC_INFER_GB)):
        gb = (r["peak_mb"] - r["base_mb"]) / 1024
        print(f"{name:<34} {gb:>17.2f} {doc:>16.1f} {gb / doc:>6.2f}x")
    thr = run_child("train", args.preset, "16", "5")
    print(f"\ntraining throughput, preset {args.preset}, batch 16: {thr['samples_per_s']:.1f} samples/s "
          f"({thr['params'] / 1e6:.1f}M parameters)")
    if not args.skip_ddp:
        rows = ddp(args.preset, 8, 4)
        base = rows[0]["samples_per_s"]
        print(f"\nDDP (gloo, {os.cpu_count()} cores), preset {args.preset}, 8 samples per process per step")
        print(f"{'processes':>9} {'samples/s':>10} {'speed-up':>9}")
        for r in rows:
            print(f"{r['world']:>9} {r['samples_per_s']:>10.1f} {r['samples_per_s'] / base:>8.2f}x")


if __name__ == "__main__":
    main()
