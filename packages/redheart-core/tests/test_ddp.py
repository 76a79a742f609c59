import os
import socket
import subprocess
import sys
from pathlib import Path

import torch
from ddp_check import records
from safetensors import safe_open
from train_helpers import config, fake_registry

from redheart.training.trainer import Trainer, total_loss

HERE = Path(__file__).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_gloo_processes_average_to_the_combined_batch_gradient(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
                    "--master_addr", "127.0.0.1", "--master_port", str(_free_port()),
                    str(HERE / "ddp_check.py"), str(tmp_path)], check=True, env=env, timeout=120)
    with safe_open(str(tmp_path / "ddp_grads.safetensors"), framework="pt") as f:
        ids = f.metadata()["ids"].split(",")
        ddp = {k: f.get_tensor(k) for k in f.keys()}

    trainer = Trainer(config(str(tmp_path / "single"), upstream_dropout=0.0), reg=fake_registry(),
                      records=records())
    assert trainer.dist.world == 1
    by_id = {r.id: i for i, r in enumerate(trainer.train_set.records)}
    inputs, labels = trainer.train_set.batch([by_id[i] for i in ids])
    loss, _ = total_loss(trainer.model(inputs), labels, trainer.losses, {})
    loss.backward()
    single = {n: p.grad for n, p in trainer.model.named_parameters() if p.grad is not None}
    assert single.keys() == ddp.keys() and len(ids) == 8
    for k in single:
        torch.testing.assert_close(ddp[k], single[k], rtol=1e-4, atol=1e-6)
