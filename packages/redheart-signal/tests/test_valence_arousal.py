import json

import numpy as np
import pytest

from redheart_signal.valence_arousal import (
    EMOTION_AROUSAL,
    EMOTION_VALENCE,
    EMOTIONS,
    LinearVAMap,
    to_distribution,
    valence_arousal,
)


def test_constants_equal_core_schema():
    schema = pytest.importorskip("redheart.schema")
    assert EMOTIONS == schema.EMOTIONS
    assert EMOTION_VALENCE == schema.EMOTION_VALENCE
    assert EMOTION_AROUSAL == schema.EMOTION_AROUSAL


def test_valence_arousal_hand_values():
    p = np.zeros(8)
    p[0], p[2] = 0.5, 0.5  # half joy, half fear
    np.testing.assert_allclose(valence_arousal(p), [0.0, (0.61 + 0.97) / 2])
    batch = np.eye(8)
    np.testing.assert_allclose(valence_arousal(batch)[:, 0], EMOTION_VALENCE)
    with pytest.raises(ValueError, match="sum to 1"):
        valence_arousal(np.ones(8))
    with pytest.raises(ValueError, match="8 emotion"):
        valence_arousal(np.ones(7) / 7)


def test_linear_map_recovers_known_map_and_round_trips():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(2, 16))
    b = np.array([0.1, 0.4])
    x = rng.normal(size=(200, 16))
    va = LinearVAMap.fit(x, x @ w.T + b)
    np.testing.assert_allclose(va.weight, w, atol=1e-10)
    np.testing.assert_allclose(va.bias, b, atol=1e-10)
    again = LinearVAMap.from_dict(json.loads(json.dumps(va.to_dict())))
    np.testing.assert_allclose(again(x), va(x))


def test_ridge_matches_closed_form():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(30, 5)), rng.normal(size=(30, 2))
    va = LinearVAMap.fit(x, y, ridge=2.0, intercept=False)
    closed = np.linalg.solve(x.T @ x + 2.0 * np.eye(5), x.T @ y).T
    np.testing.assert_allclose(va.weight, closed, atol=1e-10)
    with pytest.raises(ValueError, match="same N"):
        LinearVAMap.fit(x, y[:5])
    with pytest.raises(ValueError, match="finite"):
        LinearVAMap.fit(np.where(x > 1, np.nan, x), y)


def test_to_distribution_clips_and_renormalises():
    s = np.array([[0.5, -0.1, 0.3, 0.2, 0.0, 0.0, 0.0, 0.0], [-1.0] * 8])
    out = to_distribution(s)
    np.testing.assert_allclose(out[0], [0.5, 0, 0.3, 0.2, 0, 0, 0, 0])
    np.testing.assert_allclose(out[1], np.full(8, 1 / 8))
    with pytest.raises(ValueError, match="NaN"):
        to_distribution(np.full(8, np.nan))
