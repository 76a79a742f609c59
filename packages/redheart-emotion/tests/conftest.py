"""Shared fixtures: tiny-preset head/analyzer and fake batches with biosignal and sequences."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from redheart.testing import context, fake_encoded_batch
from redheart_emotion.analyzer import DEFAULT_BIO_FEATURES, build_analyzer
from redheart_emotion.head import build_head

BIO_F = DEFAULT_BIO_FEATURES

# Tiny models on a shared 2-core machine: one thread avoids oversubscription stalls.
torch.set_num_threads(1)


def bio_extras(batch: int) -> dict[str, list]:
    """Extras for a batch of ≥ 6: a sequence, a vector, NaN-masked features, a sequence group."""
    rng = np.random.default_rng(0)
    bio: list = [None] * batch
    bio[0] = rng.normal(60, 10, size=(5, BIO_F))  # windowed sequence, 5 steps
    bio[1] = rng.normal(0, 1, size=BIO_F)  # single feature vector
    seq = rng.normal(0, 1, size=(3, BIO_F))
    seq[:, :4] = np.nan  # four features never measured
    bio[2] = seq
    ids: list = [None] * batch
    ts: list = [None] * batch
    for row, t in ((3, 120.0), (4, 0.0), (5, 3600.0)):
        ids[row], ts[row] = "diary", t
    return {"biosignal": bio, "sequence_id": ids, "timestamp": ts}


@pytest.fixture
def head():
    torch.manual_seed(0)
    return build_head(context("tiny")).eval()


@pytest.fixture
def analyzer():
    torch.manual_seed(1)
    return build_analyzer(context("tiny")).eval()


@pytest.fixture
def labels():
    """Every emotion label present for a batch of 8 (a LabelBatch as core collates it)."""
    from redheart.labels import LabelBatch

    g = torch.Generator().manual_seed(0)
    values = {"emotion": torch.softmax(torch.randn(8, 8, generator=g) * 2, -1),
              "intensity": torch.arange(8) % 3, "valence": torch.rand(8, generator=g) * 2 - 1,
              "arousal": torch.rand(8, generator=g), "cultural": torch.rand(8, 3, generator=g)}
    masks = {k: torch.ones(v.shape if k == "cultural" else v.shape[:1], dtype=torch.bool)
             for k, v in values.items()}
    return LabelBatch(values, masks)


@pytest.fixture
def extras_factory():
    return bio_extras


@pytest.fixture
def batch():
    b = fake_encoded_batch(["emotion"], batch=8, seq=7)
    b.extras = bio_extras(8)
    return b
