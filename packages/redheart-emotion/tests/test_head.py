"""Emotion head: shapes, gradients, determinism, save/load, budget, bad inputs."""

from __future__ import annotations

import pytest
import torch

from redheart.plugin_api import PluginOutputs
from redheart.testing import context, fake_encoded_batch
from redheart_emotion.head import EmotionHead, EmotionHeadConfig, build_head, count_parameters
from redheart_emotion.losses import compute_loss, total_loss

SHAPES = {"emotion_probs": (8,), "polarity_probs": (3,), "graded_probs": (24,),
          "intensity_probs": (3,), "valence": (), "arousal": (), "cultural": (3,),
          "moe_gates": (8,), "hidden": (32,), "grade_logits": (8, 3)}


def test_shapes_and_ranges(head, batch):
    out = head(batch)
    for key, shape in SHAPES.items():
        assert out[key].shape == (8, *shape), key
    assert out["moe_balance"].shape == ()
    assert ((out["valence"] >= -1) & (out["valence"] <= 1)).all()
    assert ((out["arousal"] >= 0) & (out["arousal"] <= 1)).all()
    torch.testing.assert_close(out["moe_gates"].sum(-1), torch.ones(8))
    # Rows 6 and 7 have one real token: exactly its top-2 experts; longer rows mix more.
    assert (out["moe_gates"][6:] > 0).sum(-1).tolist() == [2, 2]
    assert (out["moe_gates"] > 0).any(0).all()  # per-token routing reaches all 8 experts


def test_every_parameter_gets_finite_gradient(batch, labels):
    torch.manual_seed(0)
    head = build_head(context("tiny")).train()
    out = head(batch)
    total_loss(compute_loss(PluginOutputs(out, {}), labels)).backward()
    routed = out["moe_gates"].sum(0) > 0
    assert routed.all()
    for name, p in head.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name
        # An expert no row was routed to gets an exact zero gradient this step (its router
        # row still learns); every other parameter must receive signal.
        if name.startswith("moe.experts.") and not routed[int(name.split(".")[2])]:
            continue
        assert p.grad.abs().sum() > 0, name
    assert routed.sum() >= 2


def test_attends_over_tokens(head, batch):
    # Changing a real token changes the prediction; changing a padded one does not.
    out = head(batch)["emotion_probs"]
    last = batch.mask[7].nonzero().max().item()
    padded = batch.tokens.clone()
    padded[7, last + 1] += torch.randn(32)
    batch.tokens = padded
    torch.testing.assert_close(head(batch)["emotion_probs"], out)
    real = padded.clone()
    real[7, 0] += torch.randn(32)  # LayerNorm ignores a constant shift: perturb per feature
    batch.tokens = real
    assert not torch.equal(head(batch)["emotion_probs"][7], out[7])


def test_padding_is_not_routed(head, batch):
    # Garbage in padded token slots must not change anything.
    out = head(batch)
    tokens = batch.tokens.clone()
    tokens[~batch.mask] = 1e4
    batch.tokens = tokens
    again = head(batch)
    for key in ("emotion_probs", "moe_gates", "moe_balance"):
        torch.testing.assert_close(again[key], out[key], rtol=0, atol=0)


def test_deterministic_in_eval(head, batch):
    a, b = head(batch), head(batch)
    for key in SHAPES:
        assert torch.equal(a[key], b[key]), key


def test_strict_save_load_round_trip(head, batch, tmp_path):
    path = tmp_path / "head.pt"
    torch.save(head.state_dict(), path)
    torch.manual_seed(123)
    fresh = build_head(context("tiny")).eval()
    assert not torch.equal(fresh(batch)["emotion_probs"], head(batch)["emotion_probs"])
    fresh.load_state_dict(torch.load(path), strict=True)
    torch.testing.assert_close(fresh(batch)["emotion_probs"], head(batch)["emotion_probs"],
                               rtol=0, atol=0)


def test_config_round_trip_and_validation():
    cfg = EmotionHeadConfig.from_preset(context("small").preset)
    assert EmotionHeadConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="must divide"):
        EmotionHeadConfig(d_model=30, n_heads=4)
    with pytest.raises(ValueError, match="top_k"):
        EmotionHeadConfig(d_model=32, n_heads=4, top_k=9)


def test_full_preset_budget():
    with torch.device("meta"):
        head = build_head(context("full"))
    total = count_parameters(head)
    assert abs(total - 22_000_000) / 22_000_000 <= 0.05, total
    for part, target in EmotionHead.PART_TARGETS.items():
        n = count_parameters(getattr(head, part))
        assert abs(n - target) / target <= 0.10, (part, n, target)


def test_bad_inputs(head):
    b = fake_encoded_batch(["emotion"], batch=2)
    b.features["emotion"] = b.features["emotion"].clone()
    b.features["emotion"][0, 0] = float("nan")
    with pytest.raises(ValueError, match="NaN"):
        head(b)
    with pytest.raises(KeyError, match="emotion"):
        head(fake_encoded_batch(["bentham"], batch=2))
    wide = fake_encoded_batch(["emotion"], preset="small", batch=2)
    with pytest.raises(ValueError, match=r"\(B, T, 32\)"):
        head(wide)
    empty = fake_encoded_batch(["emotion"], batch=2)
    empty.mask = torch.zeros_like(empty.mask)
    with pytest.raises(ValueError, match="at least one real token"):
        head(empty)
