"""Ensemble diversity and its uncertainty away from the training data."""

from __future__ import annotations

import torch

from redheart.plugin_api import EncodedBatch
from redheart.testing import context
from redheart_regret.config import head_config
from redheart_regret.ensemble import bootstrap_weights
from redheart_regret.head import RegretHead, build_head


def test_members_differ_and_construction_is_deterministic():
    a = RegretHead(head_config(context("tiny").preset))
    b = RegretHead(head_config(context("tiny").preset))
    for ma, mb in zip(a.ensemble.members, b.ensemble.members):
        assert torch.equal(ma.trunk.weight, mb.trunk.weight)  # seeded per member
    w = [m.trunk.weight for m in a.ensemble.members]
    assert not torch.allclose(w[0], w[1])


def test_bootstrap_weights_are_reproducible_and_vary_by_step():
    w0 = bootstrap_weights(64, 5, seed=7, step=0, device=torch.device("cpu"))
    assert torch.equal(w0, bootstrap_weights(64, 5, seed=7, step=0, device=torch.device("cpu")))
    assert not torch.equal(w0, bootstrap_weights(64, 5, seed=7, step=1, device=torch.device("cpu")))
    assert set(w0.unique().tolist()) == {0.0, 2.0}
    assert 0.3 < (w0 > 0).float().mean() < 0.7


def test_training_forward_uses_bootstrap_and_eval_does_not(rh):
    head, _ = rh.build()
    head.train()
    w1 = head(rh.batch())["bootstrap_weights"]
    w2 = head(rh.batch())["bootstrap_weights"]
    assert int(head.bootstrap_step[0]) == 2 and not torch.equal(w1, w2)
    head.eval()
    assert torch.equal(head(rh.batch())["bootstrap_weights"], torch.ones(4, 5))


def _cluster_batch(center: torch.Tensor, spread: float, n: int, seed: int) -> EncodedBatch:
    g = torch.Generator().manual_seed(seed)
    d = center.shape[0]
    feats = center + spread * torch.randn(n, d, generator=g)
    tokens = center + spread * torch.randn(n, 5, d, generator=g)
    return EncodedBatch(tokens, torch.ones(n, 5, dtype=torch.bool), {"regret": feats},
                        torch.zeros(n, dtype=torch.long))


def test_uncertainty_grows_far_from_training_data():
    torch.manual_seed(0)
    head = build_head(context("tiny"))
    center = torch.zeros(32)
    g = torch.Generator().manual_seed(1)
    target = torch.full((32,), 0.2)
    opt = torch.optim.Adam(head.parameters(), lr=3e-3)
    head.train()
    for step in range(40):
        b = _cluster_batch(center, 0.3, 32, seed=step)
        out = head(b)
        pred = torch.sigmoid(out["member_logits"][..., 0])  # (B, M)
        w = out["bootstrap_weights"]
        loss = (w * (pred - target[:, None]) ** 2).sum() / w.sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    head.eval()
    far_dir = torch.randn(32, generator=g)
    with torch.no_grad():
        near = head(_cluster_batch(center, 0.3, 64, seed=1000))["uncertainty"].mean()
        far = head(_cluster_batch(4.0 * far_dir, 0.3, 64, seed=1001))["uncertainty"].mean()
    assert far > 2.0 * near, (float(near), float(far))
