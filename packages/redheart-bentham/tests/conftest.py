"""Shared fixtures: tiny models, fake backbone batches and real seed-corpus labels."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from redheart.labels import LabelBatch, collate_labels
from redheart.plugin_api import EncodedBatch, PluginOutputs
from redheart.testing import context, fake_encoded_batch
from redheart_bentham.analyzer import BenthamAnalyzer, build_analyzer
from redheart_bentham.head import BenthamHead, build_head

SEED_CORPUS = Path("/work/shared/data/seed_corpus")

# Tiny models: one thread is faster than several fighting over a shared 2-core machine.
torch.set_num_threads(1)


def build(available: tuple[str, ...] = (), seed: int = 0) -> tuple[BenthamHead, BenthamAnalyzer]:
    torch.manual_seed(seed)
    ctx = context("tiny", available)
    return build_head(ctx), build_analyzer(ctx)


def fake_emotion(batch: int, seed: int = 1) -> PluginOutputs:
    """Emotion-plugin outputs with the fixed keys, in range (not predictions: test inputs)."""
    gen = torch.Generator().manual_seed(seed)
    probs = torch.softmax(torch.randn(batch, 8, generator=gen), -1)
    out = {"emotion_probs": probs, "valence": torch.tanh(torch.randn(batch, generator=gen)),
           "arousal": torch.rand(batch, generator=gen), "cultural": torch.rand(batch, 3, generator=gen)}
    return PluginOutputs(head=out, analyzer={})


def run(head: BenthamHead, analyzer: BenthamAnalyzer, batch: EncodedBatch,
        upstream: dict[str, PluginOutputs] | None = None) -> PluginOutputs:
    head_out = head(batch)
    return PluginOutputs(head_out, analyzer(batch, head_out, upstream or {}))


@pytest.fixture(scope="session")
def kit() -> SimpleNamespace:
    """The helpers above (importlib import mode: test modules cannot import conftest)."""
    return SimpleNamespace(build=build, fake_emotion=fake_emotion, run=run)


@pytest.fixture(scope="session")
def seed_records():
    if not SEED_CORPUS.exists():
        pytest.skip("seed corpus not available (/work/shared/data/seed_corpus)")
    from redheart.data import load_records

    records = load_records(SEED_CORPUS)
    # 8 records, half with a decision, so every loss term (option_hedonic included) is labelled
    with_decision = [r for r in records if r.decision is not None][:4]
    without = [r for r in records if r.decision is None][:4]
    return [r for pair in zip(with_decision, without) for r in pair]


@pytest.fixture(scope="session")
def labelled(seed_records) -> tuple[EncodedBatch, LabelBatch]:
    n_options = [len(r.decision.options) if r.decision else 0 for r in seed_records]
    batch = fake_encoded_batch(["bentham"], "tiny", batch=8, seq=9, n_options=n_options, seed=3)
    return batch, collate_labels(seed_records)
