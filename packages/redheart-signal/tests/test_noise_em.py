import numpy as np
import pytest

from redheart_signal.kalman_config import KalmanConfig
from redheart_signal.noise_em import estimate_noise


def _simulate(f, h, q, r, batch, steps, seed):
    rng = np.random.default_rng(seed)
    n, m = f.shape[0], h.shape[0]
    x = np.zeros((batch, n))
    z = np.empty((batch, steps, m))
    for t in range(steps):
        x = x @ f.T + rng.multivariate_normal(np.zeros(n), q, size=batch)
        z[:, t] = x @ h.T + rng.multivariate_normal(np.zeros(m), r, size=batch)
    return z


def test_em_recovers_known_q_and_r():
    n = 3
    f, h = 0.95 * np.eye(n), np.eye(n)
    q_true, r_true = np.diag([0.02, 0.05, 0.01]), np.diag([0.1, 0.2, 0.05])
    z = _simulate(f, h, q_true, r_true, batch=30, steps=250, seed=0)
    start = KalmanConfig(f, h, 0.5 * np.eye(n), 0.5 * np.eye(n), np.zeros(n), np.eye(n))
    est = estimate_noise(z, start, n_iter=150)
    assert est.converged
    # Stated tolerance: diagonals within 15 %, off-diagonals below 0.01 in absolute value.
    np.testing.assert_allclose(np.diag(est.Q), np.diag(q_true), rtol=0.15)
    np.testing.assert_allclose(np.diag(est.R), np.diag(r_true), rtol=0.15)
    off = ~np.eye(n, dtype=bool)
    assert np.abs(est.Q[off]).max() < 0.01 and np.abs(est.R[off]).max() < 0.01
    assert np.all(np.diff(est.log_likelihoods) > -1e-6)  # EM never lowers the likelihood


def test_em_with_missing_rows_and_diagonal_option():
    n = 2
    f, h = np.eye(n), np.eye(n)
    q_true, r_true = np.diag([0.01, 0.03]), np.diag([0.1, 0.05])
    z = _simulate(f, h, q_true, r_true, batch=20, steps=200, seed=1)
    z[:, ::7] = np.nan
    start = KalmanConfig(f, h, 0.2 * np.eye(n), 0.2 * np.eye(n), np.zeros(n), np.eye(n))
    est = estimate_noise(z, start, n_iter=150, diagonal=True)
    assert np.count_nonzero(est.Q - np.diag(np.diag(est.Q))) == 0
    np.testing.assert_allclose(np.diag(est.Q), np.diag(q_true), rtol=0.25)
    np.testing.assert_allclose(np.diag(est.R), np.diag(r_true), rtol=0.15)


def test_em_bad_inputs():
    config = KalmanConfig.random_walk(dim=2)
    with pytest.raises(ValueError, match="at least 3 time steps"):
        estimate_noise(np.zeros((2, 2)), config)
    with pytest.raises(ValueError, match=r"\(T, 2\)"):
        estimate_noise(np.zeros((5, 3)), config)
    with pytest.raises(ValueError, match="n_iter"):
        estimate_noise(np.zeros((5, 2)), config, n_iter=0)
