"""Kalman smoothing through redheart-signal: analytic values and the filterpy reference."""

from __future__ import annotations

import numpy as np
import pytest

from redheart_emotion.smoothing import kalman_smooth, smooth_sequences, time_grid

rs = pytest.importorskip("redheart_signal", reason="redheart-signal not installed")

JOY = np.eye(8)[0]


def test_time_grid():
    idx, step = time_grid(np.array([10.0, 0.0, 30.0, 30.0]))
    assert step == 10.0 and idx.tolist() == [1, 0, 3, 3]
    idx, step = time_grid(np.array([0.0, 1.0, 1e6]), max_steps=11)
    assert step == pytest.approx(1e5) and idx.tolist() == [0, 0, 10]
    with pytest.raises(ValueError, match="finite"):
        time_grid(np.array([0.0, np.nan]))


def test_single_observation_by_hand():
    # Uniform start x0 = 1/8, P0 = 0.1; predict: P = 0.1 + 0.001; K = P / (P + 0.01);
    # x = x0 + K (z - x0): joy = 0.125 + 0.90991 * 0.875 = 0.92117, others 0.125 (1 - K).
    out = kalman_smooth(JOY[None], [5.0])
    k = 0.101 / 0.111
    expected = np.full(8, 0.125 * (1 - k))
    expected[0] = 0.125 + k * 0.875
    np.testing.assert_allclose(out[0], expected, atol=1e-10)


def test_regular_times_match_emotion_kalman_reference():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(8), size=6)
    ref = rs.EmotionKalman().smooth(p)
    expected = rs.EmotionKalman.distributions(ref.means)
    np.testing.assert_allclose(kalman_smooth(p, np.arange(6) * 60.0), expected, atol=1e-12)


def test_gap_equals_predict_only_steps_and_order_is_restored():
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(8), size=3)
    grid = np.full((5, 8), np.nan)
    grid[[0, 1, 4]] = p
    ref = rs.EmotionKalman.distributions(rs.EmotionKalman().smooth(grid).means)[[0, 1, 4]]
    out = kalman_smooth(p[[2, 0, 1]], [40.0, 0.0, 10.0])  # shuffled input order
    np.testing.assert_allclose(out, ref[[2, 0, 1]], atol=1e-12)


def test_smoothing_reduces_noise_of_a_constant_trajectory():
    rng = np.random.default_rng(2)
    truth = np.array([0.6, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05])
    noisy = np.array([rng.dirichlet(truth * 40) for _ in range(30)])
    smooth = kalman_smooth(noisy, np.arange(30.0))
    assert np.abs(smooth - truth).mean() < 0.5 * np.abs(noisy - truth).mean()
    np.testing.assert_allclose(smooth.sum(-1), 1.0)


def test_smooth_sequences_passes_singletons_through():
    rng = np.random.default_rng(3)
    p = rng.dirichlet(np.ones(8), size=5)
    out = smooth_sequences(p, ["a", None, "a", "b", "a"], [0.0, None, 1.0, 3.0, 2.0])
    np.testing.assert_array_equal(out[[1, 3]], p[[1, 3]])
    np.testing.assert_allclose(out[[0, 2, 4]], kalman_smooth(p[[0, 2, 4]], [0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match="some rows"):
        smooth_sequences(p, ["a", "a", None, None, None], [0.0, None, None, None, None])


def test_bad_distributions():
    with pytest.raises(ValueError, match="sum to 1"):
        kalman_smooth(np.ones((2, 8)), [0.0, 1.0])
    with pytest.raises(ValueError, match="timestamps"):
        kalman_smooth(np.tile(JOY, (2, 1)), [0.0, 1.0, 2.0])
