"""Shared fixtures: tiny head and analyzer, fake batches and fake upstream outputs."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from redheart.plugin_api import PluginOutputs
from redheart.testing import context, fake_encoded_batch
from redheart_regret.analyzer import build_analyzer
from redheart_regret.head import build_head

SEED_CORPUS = Path("/work/shared/data/seed_corpus")

# Tiny models on a shared 2-core machine: one thread avoids oversubscription stalls.
torch.set_num_threads(1)


def build(preset: str = "tiny", seed: int = 0):
    torch.manual_seed(seed)
    ctx = context(preset, available=("regret",))
    return build_head(ctx), build_analyzer(ctx)


def batch(n_options=(0, 2, 3, 4), seed: int = 0, requires_grad: bool = False):
    return fake_encoded_batch(["regret"], batch=len(n_options), n_options=list(n_options),
                              seed=seed, requires_grad=requires_grad)


def fake_upstream(b: int, k: int, seed: int = 1) -> dict[str, PluginOutputs]:
    g = torch.Generator().manual_seed(seed)
    bentham = {"factors": torch.rand(b, 10, generator=g),
               "hedonic": torch.rand(b, generator=g) * 2 - 1,
               "ethics": torch.rand(b, 4, generator=g) * 2 - 1,
               "legal_risk": torch.rand(b, 5, generator=g),
               "option_hedonic": torch.rand(b, k, generator=g) * 2 - 1}
    emotion = {"emotion_probs": torch.softmax(torch.randn(b, 8, generator=g), -1),
               "valence": torch.rand(b, generator=g) * 2 - 1,
               "arousal": torch.rand(b, generator=g),
               "cultural": torch.rand(b, 3, generator=g)}
    return {"bentham": PluginOutputs({}, bentham), "emotion": PluginOutputs({}, emotion)}


@pytest.fixture
def tiny():
    return build()


def seed_records(n: int = 8):
    if not SEED_CORPUS.is_dir():
        pytest.skip(f"{SEED_CORPUS} is not available here")
    from redheart.data import load_records

    return load_records(SEED_CORPUS)[:n]


@pytest.fixture
def rh():
    """Helpers (pytest's importlib mode cannot import conftest from test modules)."""
    return SimpleNamespace(build=build, batch=batch, fake_upstream=fake_upstream,
                           seed_records=seed_records)
