"""Emotion analyzer: shapes, gradients, modalities, temporal pass-through, budget, bad inputs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from redheart.plugin_api import PluginOutputs
from redheart.testing import context, fake_encoded_batch
from redheart_emotion.analyzer import (
    DEFAULT_BIO_FEATURES as BIO_F,
)
from redheart_emotion.analyzer import EmotionAnalyzer, EmotionAnalyzerConfig, build_analyzer
from redheart_emotion.extras import group_sequences
from redheart_emotion.head import build_head, count_parameters
from redheart_emotion.losses import compute_loss, total_loss

FIXED = {"emotion_probs": (8,), "polarity_probs": (3,), "graded_probs": (24,),
         "intensity_probs": (3,), "valence": (), "arousal": (), "cultural": (3,)}


def test_shapes_ranges_and_flags(head, analyzer, batch):
    out = analyzer(batch, head(batch), {})
    for key, shape in FIXED.items():
        assert out[key].shape == (8, *shape), key
    assert out["has_biosignal"].tolist() == [True, True, True] + [False] * 5
    assert out["in_sequence"].tolist() == [False] * 3 + [True] * 3 + [False] * 2
    assert ((out["valence"] >= -1) & (out["valence"] <= 1)).all()
    assert ((out["cultural"] >= 0) & (out["cultural"] <= 1)).all()
    torch.testing.assert_close(out["graded_probs"].view(8, 8, 3).sum(-1), out["emotion_probs"])


def test_every_parameter_gets_finite_gradient(batch, labels):
    torch.manual_seed(0)
    head, analyzer = build_head(context("tiny")).train(), build_analyzer(context("tiny")).train()
    h = head(batch)
    out = analyzer(batch, h, {})
    total_loss(compute_loss(PluginOutputs(h, out), labels)).backward()
    routed = out["moe_gates"].sum(0) > 0
    for name, p in analyzer.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name
        if name.startswith("moe.experts.") and not routed[int(name.split(".")[2])]:
            continue
        assert p.grad.abs().sum() > 0, name


def test_no_extras_at_all(head, analyzer):
    b = fake_encoded_batch(["emotion"], batch=3)
    out = analyzer(b, head(b), {})
    assert not out["has_biosignal"].any() and not out["in_sequence"].any()
    assert torch.isfinite(out["emotion_probs"]).all()


def test_rows_without_modality_or_sequence_ignore_other_rows(head, analyzer, batch):
    # Rows 6, 7 have no biosignal and no sequence: their outputs must not change when the
    # other rows' biosignals are removed (clean per-row fallback, no leakage through padding).
    with_bio = analyzer(batch, head(batch), {})
    batch.extras = {**batch.extras, "biosignal": [None] * 8}
    without = analyzer(batch, head(batch), {})
    torch.testing.assert_close(with_bio["emotion_probs"][6:], without["emotion_probs"][6:],
                               rtol=0, atol=0)
    assert not torch.equal(with_bio["emotion_probs"][:3], without["emotion_probs"][:3])


def test_fusion_passes_rows_without_modality_through(analyzer, batch):
    x = torch.randn(8, 32)
    memory, mask = torch.randn(8, 4, 32), torch.zeros(8, 4, dtype=torch.bool)
    mask[0, :2] = True
    out, present = analyzer.fusion(x, batch.tokens, batch.mask, {"biosignal": (memory, mask)})
    assert present.tolist() == [True] + [False] * 7
    assert torch.equal(out[1:], x[1:]) and not torch.equal(out[0], x[0])
    out, present = analyzer.fusion(x, batch.tokens, batch.mask, {})
    assert torch.equal(out, x) and not present.any()


def test_temporal_skips_singletons_and_never_runs_gru_on_one_step(analyzer):
    calls = []
    hook = analyzer.temporal.gru.register_forward_hook(lambda m, i, o: calls.append(i[0]))
    x = torch.randn(4, 32)
    out, in_seq = analyzer.temporal(x, group_sequences(["a", None, "b", None], None, 4))
    assert torch.equal(out, x) and not in_seq.any() and calls == []
    out, in_seq = analyzer.temporal(x, group_sequences(["a", None, "a", None], [5.0, None, 1.0,
                                                                              None], 4))
    assert in_seq.tolist() == [True, False, True, False]
    assert torch.equal(out[[1, 3]], x[[1, 3]]) and not torch.equal(out[[0, 2]], x[[0, 2]])
    assert len(calls) == 1 and calls[0].batch_sizes.tolist() == [1, 1]  # one sequence, 2 steps
    hook.remove()


def test_temporal_order_and_gaps_matter(analyzer):
    x = torch.randn(3, 32)
    ids = ["s"] * 3
    a, _ = analyzer.temporal(x, group_sequences(ids, [0.0, 10.0, 20.0], 3))
    b, _ = analyzer.temporal(x, group_sequences(ids, [0.0, 10.0, 86400.0], 3))
    c, _ = analyzer.temporal(x, group_sequences(ids, [20.0, 10.0, 0.0], 3))
    torch.testing.assert_close(a[:2], b[:2])  # causal: a later gap cannot change earlier rows
    assert not torch.equal(a[2], b[2]) and not torch.equal(a[0], c[0])


def test_biosignal_single_vector_skips_gru(analyzer):
    from redheart_emotion.extras import collate_biosignal
    calls = []
    hook = analyzer.biosignal.gru.register_forward_hook(lambda m, i, o: calls.append(1))
    bio = collate_biosignal([np.ones(BIO_F), None], 2, BIO_F)
    memory = analyzer.biosignal(bio)
    assert memory.shape == (2, 1, 32) and calls == [] and torch.all(memory[1] == 0)
    hook.remove()


def test_cultural_depends_on_language(head, analyzer, batch):
    out = analyzer(batch, head(batch), {})
    batch.lang = 1 - batch.lang
    flipped = analyzer(batch, head(batch), {})
    assert not torch.equal(out["cultural"], flipped["cultural"])


def test_deterministic_in_eval(head, analyzer, batch):
    h = head(batch)
    a, b = analyzer(batch, h, {}), analyzer(batch, h, {})
    for key in FIXED:
        assert torch.equal(a[key], b[key]), key


def test_strict_save_load_round_trip(head, analyzer, batch, tmp_path):
    path = tmp_path / "analyzer.pt"
    torch.save(analyzer.state_dict(), path)
    torch.manual_seed(99)
    fresh = build_analyzer(context("tiny")).eval()
    fresh.load_state_dict(torch.load(path), strict=True)
    h = head(batch)
    torch.testing.assert_close(fresh(batch, h, {})["emotion_probs"],
                               analyzer(batch, h, {})["emotion_probs"], rtol=0, atol=0)


def test_config_round_trip():
    for name in ("tiny", "small", "base", "full"):
        cfg = EmotionAnalyzerConfig.from_preset(context(name).preset)
        assert EmotionAnalyzerConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="gap_features"):
        EmotionAnalyzerConfig(d_model=32, n_heads=4, gap_features=5)


def test_full_preset_budget():
    with torch.device("meta"):
        analyzer = build_analyzer(context("full"))
    total = count_parameters(analyzer)
    assert abs(total - 50_000_000) / 50_000_000 <= 0.05, total
    for part, target in EmotionAnalyzer.PART_TARGETS.items():
        n = count_parameters(getattr(analyzer, part))
        assert abs(n - target) / target <= 0.10, (part, n, target)


def test_bad_inputs(head, analyzer):
    b = fake_encoded_batch(["emotion"], batch=2)
    h = head(b)
    b.extras = {"biosignal": [np.zeros(BIO_F + 1), None]}
    with pytest.raises(ValueError, match=f"expects {BIO_F}"):
        analyzer(b, h, {})
    b.extras = {"biosignal": [np.full(BIO_F, np.inf), None]}
    with pytest.raises(ValueError, match="infinite"):
        analyzer(b, h, {})
    b.extras = {"sequence_id": ["a", "a"], "timestamp": [1.0, None]}
    with pytest.raises(ValueError, match="timestamp"):
        analyzer(b, h, {})
    b.extras = {}
    b.lang = torch.tensor([0, 5])
    with pytest.raises(ValueError, match="lang"):
        analyzer(b, h, {})


def test_gradient_check_examples_reach_every_part():
    from redheart.data import Record
    from redheart_emotion.examples import examples

    records = [Record(id=str(i), lang="en", text="t", arousal=0.2 * i) for i in range(3)]
    extras = examples(records, seed=0)
    assert extras["sequence_id"] == [None, "example", "example"]
    assert examples(records, seed=0)["timestamp"] == extras["timestamp"]  # deterministic
    b = fake_encoded_batch(["emotion"], batch=3)
    b.extras = extras
    torch.manual_seed(0)
    head, analyzer = build_head(context("tiny")).train(), build_analyzer(context("tiny")).train()
    out = analyzer(b, head(b), {})
    assert out["has_biosignal"].tolist() == [True, True, False]
    assert out["in_sequence"].tolist() == [False, True, True]
    (out["emotion_logits"].sum() + out["cultural_logits"].sum()).backward()
    for part in ("biosignal", "fusion", "temporal"):
        for name, p in getattr(analyzer, part).named_parameters():
            assert p.grad is not None and p.grad.abs().sum() > 0, (part, name)
