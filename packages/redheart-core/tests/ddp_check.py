"""Run under torchrun (2 gloo processes): one DDP backward on each rank's first batch, then
rank 0 writes the averaged gradients and both ranks' batch indices to OUT (safetensors)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import torch.distributed as dist  # noqa: E402
from safetensors.torch import save_file  # noqa: E402
from train_helpers import config, fake_registry  # noqa: E402

from redheart.data import parse_record  # noqa: E402
from redheart.training.trainer import Trainer, total_loss  # noqa: E402


def records() -> list:
    """Every record carries both labels, so each rank's masked mean covers equal counts."""
    return [parse_record({"id": f"d{i:02d}", "lang": "en" if i % 2 else "ko",
                          "text": f"day {i} was {'good' if i % 3 else 'bad'}",
                          "valence": (i % 5) / 5 - 0.4, "hedonic": (i % 4) / 4 - 0.3})
            for i in range(16)]


def main() -> None:
    out = sys.argv[1]
    trainer = Trainer(config(out, val=None, upstream_dropout=0.0, samples=0),
                      reg=fake_registry(), records=records())
    assert trainer.dist.world == 2, "run me with torchrun --nproc_per_node 2"
    idx = trainer.epoch_batches(0)[0]
    inputs, labels = trainer.train_set.batch(idx)
    loss, _ = total_loss(trainer.ddp(inputs), labels, trainer.losses, {})
    loss.backward()
    gathered = [None, None]
    dist.all_gather_object(gathered, [trainer.train_set.records[i].id for i in idx])
    if trainer.dist.main:
        grads = {n: p.grad.contiguous() for n, p in trainer.model.named_parameters() if p.grad is not None}
        ids = [i for part in gathered for i in part]
        save_file(grads, out + "/ddp_grads.safetensors", metadata={"ids": ",".join(ids)})
    dist.barrier()
    # The DDP reducer must be gone before its process group, or gloo's threads can abort the
    # process at exit ("terminate called without an active exception").
    del trainer
    gc.collect()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
