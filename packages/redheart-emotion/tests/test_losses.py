"""Loss terms: hand values, masking (zero gradient for missing labels), overfit on seed records."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from redheart.labels import LabelBatch, collate_labels
from redheart.plugin_api import PluginOutputs
from redheart.testing import context, fake_encoded_batch
from redheart_emotion.analyzer import build_analyzer
from redheart_emotion.head import build_head
from redheart_emotion.losses import (
    BALANCE_WEIGHT,
    HEAD_WEIGHT,
    compute_loss,
    graded_target,
    total_loss,
)
from redheart_emotion.readout import hierarchy_readout

SEED = Path("/work/shared/data/seed_corpus")


def _labels(b: int, **present: bool) -> LabelBatch:
    """All emotion labels for ``b`` rows, masked per ``present`` (default: all present)."""
    g = torch.Generator().manual_seed(0)
    emotion = torch.softmax(torch.randn(b, 8, generator=g), -1)
    values = {"emotion": emotion, "intensity": torch.arange(b) % 3,
              "valence": torch.rand(b, generator=g) * 2 - 1, "arousal": torch.rand(b, generator=g),
              "cultural": torch.rand(b, 3, generator=g)}
    masks = {k: torch.full(v.shape[:1] if k != "cultural" else v.shape, present.get(k, True))
             for k, v in values.items()}
    return LabelBatch(values, masks)


def test_graded_target_by_hand():
    t = graded_target(torch.tensor([[0.5, 0.5, 0, 0, 0, 0, 0, 0.0]]), torch.tensor([2]))
    expected = torch.zeros(1, 24)
    expected[0, 2], expected[0, 5] = 0.5, 0.5  # ecstasy, admiration
    torch.testing.assert_close(t, expected)


def test_terms_by_hand_for_uniform_outputs():
    b = 2
    out = hierarchy_readout(torch.zeros(b, 8), torch.zeros(b, 8, 3), torch.zeros(b, 2),
                            torch.zeros(b, 3))
    out["moe_balance"] = torch.tensor(1.0)
    labels = _labels(b)
    terms = compute_loss(PluginOutputs(out, {}), labels)  # head only: weight 1
    # Uniform prediction: intensity CE = log 3; cultural BCE at logit 0 = log 2.
    assert terms["head_intensity"].item() == pytest.approx(math.log(3), abs=1e-6)
    assert terms["head_cultural"].item() == pytest.approx(math.log(2), abs=1e-6)
    # KL(t || uniform over 8) = log 8 - H(t)
    t = labels.values["emotion"]
    h = -(t * t.log()).sum(-1).mean()
    assert terms["head_emotion"].item() == pytest.approx(math.log(8) - h.item(), abs=1e-5)
    assert terms["head_moe_balance"].item() == pytest.approx(BALANCE_WEIGHT)
    with_analyzer = compute_loss(PluginOutputs(out, out), labels)
    assert with_analyzer["head_intensity"].item() == pytest.approx(HEAD_WEIGHT * math.log(3))
    assert with_analyzer["intensity"].item() == pytest.approx(math.log(3), abs=1e-6)


@pytest.mark.parametrize("missing, outputs", [
    ("emotion", ("emotion_logits",)),
    ("valence", ("valence",)),
    ("arousal", ("arousal",)),
    ("cultural", ("cultural_logits",)),
])
def test_missing_label_gives_zero_gradient(missing, outputs):
    torch.manual_seed(0)
    b = 4
    leaves = {"emotion_logits": torch.randn(b, 8, requires_grad=True),
              "grade_logits": torch.randn(b, 8, 3, requires_grad=True),
              "va_offset": torch.randn(b, 2, requires_grad=True),
              "cultural_logits": torch.randn(b, 3, requires_grad=True)}
    out = hierarchy_readout(**leaves)
    out["moe_balance"] = torch.tensor(1.0)
    labels = _labels(b, **{missing: False})
    terms = compute_loss(PluginOutputs(out, {}), labels)
    term = terms["head_" + missing]
    assert term.item() == 0.0
    grads = torch.autograd.grad(term, [out[k] for k in outputs], allow_unused=True)
    for g in grads:
        assert g is None or torch.all(g == 0)


def test_intensity_missing_masks_intensity_and_graded():
    b = 3
    logits = torch.randn(b, 8, 3, requires_grad=True)
    out = hierarchy_readout(torch.randn(b, 8), logits, torch.zeros(b, 2), torch.zeros(b, 3))
    out["moe_balance"] = torch.tensor(1.0)
    terms = compute_loss(PluginOutputs(out, {}), _labels(b, intensity=False))
    (grad,) = torch.autograd.grad(terms["head_intensity"] + terms["head_graded"], logits)
    assert torch.all(grad == 0)


@pytest.mark.skipif(not SEED.exists(), reason="seed corpus not available at /work/shared")
def test_overfit_eight_seed_records():
    from redheart.data import load_records

    records = load_records(SEED)[:8]
    labels = collate_labels(records)
    batch = fake_encoded_batch(["emotion"], batch=8, seq=7, seed=3)
    batch.lang = torch.tensor([0 if r.lang == "ko" else 1 for r in records])
    torch.manual_seed(0)
    head, analyzer = build_head(context("tiny")), build_analyzer(context("tiny"))
    params = list(head.parameters()) + list(analyzer.parameters())
    opt = torch.optim.Adam(params, lr=3e-3)
    losses = []
    for _ in range(50):
        h = head(batch)
        loss = total_loss(compute_loss(PluginOutputs(h, analyzer(batch, h, {})), labels))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] <= 0.5 * losses[0], (losses[0], losses[-1])
