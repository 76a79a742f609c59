import json

import numpy as np
import pytest

from redheart_signal.batched import BatchedKalman, batched_filter, batched_smoother
from redheart_signal.kalman import EmotionKalman
from redheart_signal.kalman_config import KalmanConfig

N = 8
TOL = {"rtol": 0, "atol": 1e-9}


def _general_config(seed: int = 0) -> KalmanConfig:
    """A model with no special structure (rotated F, mixed H, correlated Q and R)."""
    rng = np.random.default_rng(seed)
    f = 0.9 * np.linalg.qr(rng.normal(size=(N, N)))[0]
    h = np.eye(N) + 0.1 * rng.normal(size=(N, N))
    lq, lr = 0.1 * rng.normal(size=(N, N)), 0.2 * rng.normal(size=(N, N))
    return KalmanConfig(f, h, lq @ lq.T + 1e-3 * np.eye(N), lr @ lr.T + 1e-2 * np.eye(N),
                        np.full(N, 1 / N), 0.1 * np.eye(N))


def _observations(missing: bool, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    z = rng.dirichlet(np.ones(N), size=(6, 40)) + 0.05 * rng.normal(size=(6, 40, N))
    if missing:
        z[0, 0] = np.nan  # missing first row
        z[1, 10:15] = np.nan  # a gap
        z[2, 5, :3] = np.nan  # a partial row
        z[3][rng.random((40, N)) < 0.3] = np.nan  # scattered entries
        z[4, -1] = np.nan  # missing last row
    return z


@pytest.mark.parametrize("missing", [False, True])
@pytest.mark.parametrize("config", [KalmanConfig.random_walk(), _general_config()],
                         ids=["random_walk", "general"])
def test_batched_matches_filterpy_on_every_step(missing, config):
    z = _observations(missing)
    filtered = batched_filter(z, config)
    smoothed = batched_smoother(filtered, config)
    for b in range(z.shape[0]):
        ref = EmotionKalman(config)
        f_ref, s_ref = ref.filter(z[b]), ref.smooth(z[b])
        np.testing.assert_allclose(filtered.means[b], f_ref.means, **TOL)
        np.testing.assert_allclose(filtered.covariances[b], f_ref.covariances, **TOL)
        np.testing.assert_allclose(filtered.prior_means[b], f_ref.prior_means, **TOL)
        np.testing.assert_allclose(filtered.prior_covariances[b], f_ref.prior_covariances, **TOL)
        np.testing.assert_allclose(filtered.log_likelihood[b], f_ref.log_likelihood, rtol=1e-10)
        np.testing.assert_allclose(smoothed.means[b], s_ref.means, **TOL)
        np.testing.assert_allclose(smoothed.covariances[b], s_ref.covariances, **TOL)
        np.testing.assert_allclose(smoothed.gains[b], s_ref.gains, **TOL)


def test_batched_equals_single_stream_runs():
    config = _general_config(3)
    z = _observations(True, seed=5)
    batch = batched_filter(z, config)
    for b in range(z.shape[0]):
        one = batched_filter(z[b:b + 1], config)
        np.testing.assert_allclose(batch.means[b], one.means[0], **TOL)
        np.testing.assert_allclose(batch.covariances[b], one.covariances[0], **TOL)


def test_fast_path_equals_general_path():
    config = _general_config(2)
    z = _observations(False)
    fast = batched_filter(z, config)
    # One stream with a single missing entry forces the general path for the whole batch.
    z2 = np.concatenate([z, np.full((1, z.shape[1], N), np.nan)])
    general = batched_filter(z2, config)
    np.testing.assert_allclose(general.means[:-1], fast.means, **TOL)
    np.testing.assert_allclose(general.covariances[:-1], fast.covariances, **TOL)
    s_fast, s_gen = batched_smoother(fast, config), batched_smoother(general, config)
    np.testing.assert_allclose(s_gen.means[:-1], s_fast.means, **TOL)
    np.testing.assert_allclose(s_gen.covariances[:-1], s_fast.covariances, **TOL)


def test_missing_row_is_predict_only():
    config = KalmanConfig.random_walk()
    z = _observations(True)
    r = EmotionKalman(config).filter(z[1])
    np.testing.assert_array_equal(r.means[10:15], np.broadcast_to(r.means[9], (5, N)))
    np.testing.assert_allclose(np.diagonal(r.covariances[14]),
                               np.diagonal(r.covariances[9]) + 5e-3)  # + 5 q


def test_scalar_random_walk_steady_state_gain():
    # 1-D random walk: steady-state prior variance p solves p = p r / (p + r) + q.
    q, r = 0.01, 0.1
    config = KalmanConfig.random_walk(dim=1, process_var=q, observation_var=r)
    res = batched_filter(np.zeros((1, 400, 1)), config)
    p_prior = (q + np.sqrt(q * q + 4 * q * r)) / 2
    assert res.prior_covariances[0, -1, 0, 0] == pytest.approx(p_prior, rel=1e-12)
    assert res.covariances[0, -1, 0, 0] == pytest.approx(p_prior * r / (p_prior + r), rel=1e-12)


def test_smoother_beats_filter_on_simulated_data():
    rng = np.random.default_rng(7)
    config = KalmanConfig.random_walk(process_var=1e-3, observation_var=2e-2)
    steps, batch = 200, 20
    truth = 0.125 + np.cumsum(rng.normal(0, np.sqrt(1e-3), (batch, steps, N)), axis=1)
    z = truth + rng.normal(0, np.sqrt(2e-2), truth.shape)
    kal = BatchedKalman(config)
    rmse = {
        "raw": np.sqrt(np.mean((z - truth) ** 2)),
        "filter": np.sqrt(np.mean((kal.filter(z).means - truth) ** 2)),
        "smoother": np.sqrt(np.mean((kal.smooth(z).means - truth) ** 2)),
    }
    assert rmse["smoother"] < 0.8 * rmse["filter"] < 0.8 * rmse["raw"]


def test_online_step_matches_filter_and_distributions_are_valid():
    config = KalmanConfig.random_walk()
    z = _observations(True)[3]
    tracker = EmotionKalman(config)
    steps = [tracker.step(row)[0] for row in z]
    np.testing.assert_allclose(steps, EmotionKalman(config).filter(z).means, **TOL)
    dist = EmotionKalman.distributions(np.array(steps))
    assert np.all(dist >= 0) and np.allclose(dist.sum(-1), 1.0)


def test_config_round_trip_and_validation():
    config = _general_config()
    again = KalmanConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    for k in ("F", "H", "Q", "R", "x0", "P0"):
        np.testing.assert_array_equal(getattr(again, k), getattr(config, k))
    eye = np.eye(2)
    with pytest.raises(ValueError, match="square"):
        KalmanConfig(np.ones((2, 3)), eye, eye, eye, np.zeros(2), eye)
    with pytest.raises(ValueError, match="symmetric"):
        KalmanConfig(eye, eye, np.array([[1.0, 0.5], [0.0, 1.0]]), eye, np.zeros(2), eye)
    with pytest.raises(ValueError, match="positive definite"):
        KalmanConfig(eye, eye, eye, np.zeros((2, 2)), np.zeros(2), eye)
    with pytest.raises(ValueError, match="NaN"):
        KalmanConfig(eye * np.nan, eye, eye, eye, np.zeros(2), eye)
    with pytest.raises(ValueError, match="missing"):
        KalmanConfig.from_dict({"F": eye.tolist()})


def test_bad_observations():
    config = KalmanConfig.random_walk()
    with pytest.raises(ValueError, match=r"\(\.\.\., T, 8\)"):
        batched_filter(np.zeros((2, 5, 7)), config)
    with pytest.raises(ValueError, match="infinite"):
        batched_filter(np.full((1, 3, 8), np.inf), config)
    with pytest.raises(ValueError, match="empty"):
        batched_filter(np.zeros((1, 0, 8)), config)
    with pytest.raises(ValueError, match=r"\(B, T, m\)"):
        batched_filter(np.zeros((5, 8)), config)
    with pytest.raises(ValueError, match="one stream"):
        EmotionKalman(config).filter(np.zeros((2, 5, 8)))
    no_cov = batched_filter(np.zeros((1, 3, 8)), config, store_covariances=False)
    with pytest.raises(ValueError, match="store_covariances"):
        batched_smoother(no_cov, config)
