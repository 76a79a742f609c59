"""The differentiable readout is consistent by construction and matches core's numpy formulas."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from redheart import schema
from redheart_emotion import hierarchy
from redheart_emotion.readout import hierarchy_readout


def _out(seed: int = 0, b: int = 5):
    g = torch.Generator().manual_seed(seed)
    return hierarchy_readout(torch.randn(b, 8, generator=g) * 3,
                             torch.randn(b, 8, 3, generator=g) * 3,
                             torch.zeros(b, 2), torch.randn(b, 3, generator=g))


def test_levels_sum_to_one_and_marginalise():
    out = _out()
    for key in ("emotion_probs", "polarity_probs", "graded_probs", "intensity_probs"):
        torch.testing.assert_close(out[key].sum(-1), torch.ones(5, dtype=torch.float32))
    p = out["emotion_probs"].double().numpy()
    graded = out["graded_probs"].double().numpy()
    np.testing.assert_allclose(hierarchy.basic_from_graded(graded), p, atol=1e-6)
    np.testing.assert_allclose(out["polarity_probs"].numpy(), schema.project_polarity(p),
                               atol=1e-6)
    np.testing.assert_allclose(out["intensity_probs"].numpy(), hierarchy.grade_marginal(graded),
                               atol=1e-6)


def test_graded_matches_core_project_graded():
    out = _out(1)
    p = out["emotion_probs"].double().numpy()
    cond = torch.softmax(out["grade_logits"], -1).double().numpy()  # (B, 8, 3)
    np.testing.assert_allclose(out["graded_probs"].numpy(), schema.project_graded(p, cond),
                               atol=1e-6)


def test_zero_offset_gives_schema_valence_arousal():
    out = _out(2)
    va = schema.valence_arousal(out["emotion_probs"].double().numpy())
    np.testing.assert_allclose(out["valence"].numpy(), va[:, 0], atol=1e-5)
    np.testing.assert_allclose(out["arousal"].numpy(), va[:, 1], atol=1e-5)


def test_offsets_move_within_range():
    b = 4
    out = hierarchy_readout(torch.zeros(b, 8), torch.zeros(b, 8, 3),
                            torch.tensor([[50.0, 50.0], [-50.0, -50.0], [1.0, 0.0], [0.0, 0.0]]),
                            torch.zeros(b, 3))
    assert out["valence"][0] <= 1 and out["valence"][0] > 0.99
    assert out["valence"][1] >= -1 and out["arousal"][1] < 0.01
    # uniform p: valence prior = mean(EMOTION_VALENCE) = 0.01375; tanh(atanh(.01375) + 1)
    expected = np.tanh(np.arctanh(np.mean(schema.EMOTION_VALENCE)) + 1.0)
    assert out["valence"][2].item() == pytest.approx(expected, abs=1e-5)
    assert torch.all(out["cultural"] == 0.5)


def test_bad_shapes():
    with pytest.raises(ValueError, match="grade_logits"):
        hierarchy_readout(torch.zeros(2, 8), torch.zeros(2, 24), torch.zeros(2, 2),
                          torch.zeros(2, 3))
