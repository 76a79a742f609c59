"""A few Adam steps on 8 seed-corpus records drive the regret loss down."""

from __future__ import annotations

import torch

from redheart.labels import collate_labels
from redheart.plugin_api import PluginOutputs
from redheart.testing import fake_encoded_batch
from redheart_regret.losses import compute_loss


def test_overfit_eight_seed_records(rh):
    records = rh.seed_records(8)
    labels = collate_labels(records)
    n_opts = [len(r.decision.options) if r.decision else 0 for r in records]
    assert any(n_opts), "the first 8 records should include a decision"
    b = fake_encoded_batch(["regret"], batch=8, n_options=n_opts, seed=3)
    head, analyzer = rh.build()
    head.train()
    analyzer.train()
    params = list(head.parameters()) + list(analyzer.parameters())
    opt = torch.optim.Adam(params, lr=3e-3)
    history = []
    for _ in range(50):
        h = head(b)
        terms = compute_loss(PluginOutputs(h, analyzer(b, h, {})), labels)
        loss = sum(terms.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        history.append(float(loss.detach()))
    assert history[-1] <= 0.5 * history[0], (history[0], history[-1])
