"""Maximum-likelihood noise covariances Q and R by expectation-maximisation (Shumway-Stoffer).

With F, H fixed, each iteration runs the batched filter and RTS smoother (E step) and sets
(M step), pooling all streams and time steps::

    Q = mean_t [ E(x_t x_t') - F E(x_{t-1} x_t') - E(x_t x_{t-1}') F' + F E(x_{t-1} x_{t-1}') F' ]
    R = mean_t [ (z_t - H x_t|T)(z_t - H x_t|T)' + H P_t|T H' ]

with ``E(x_t x_{t-1}') = P_t|T C_{t-1}' + x_t|T x_{t-1}|T'`` (the lag-one smoothed covariance,
``C`` the smoother gain). Q uses the transitions between observation steps (t = 2..T); the
first transition from the prior (x0, P0) is not used. R uses fully observed rows only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np

from .batched import batched_filter, batched_smoother
from .kalman_config import KalmanConfig

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


@dataclass(frozen=True)
class NoiseEstimate:
    """EM result: the fitted config, the log-likelihood before each M step, convergence flag."""

    config: KalmanConfig
    log_likelihoods: tuple[float, ...]
    converged: bool

    @property
    def Q(self) -> np.ndarray:
        return self.config.Q

    @property
    def R(self) -> np.ndarray:
        return self.config.R


def _outer_sum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sum of outer products a_k b_k' over all leading axes: (..., i), (..., j) -> (i, j)."""
    return a.reshape(-1, a.shape[-1]).T @ b.reshape(-1, b.shape[-1])


def estimate_noise(
    observations: np.ndarray,
    config: KalmanConfig,
    n_iter: int = 100,
    tol: float = 1e-7,
    diagonal: bool = False,
    min_variance: float = 1e-9,
) -> NoiseEstimate:
    """Fit Q and R of ``config`` to observations by EM (F, H, x0, P0 stay fixed).

    Args:
        observations: (T, m) or (B, T, m) observations (B streams sharing Q and R); NaN missing.
        config: starting model; its Q and R are the initial guesses.
        n_iter: maximum EM iterations.
        tol: stop when the log-likelihood gains less than ``tol * |log-likelihood|``.
        diagonal: keep only the diagonals of Q and R (independent noise per dimension).
        min_variance: floor on the diagonals, so R stays positive definite.
    """
    z = np.asarray(observations, dtype=float)
    if z.ndim == 2:
        z = z[None]
    if z.ndim != 3 or z.shape[-1] != config.dim_z:
        raise ValueError(f"observations must be (T, {config.dim_z}) or (B, T, {config.dim_z}), "
                         f"got {np.shape(observations)}")
    if z.shape[1] < 3:
        raise ValueError(f"EM needs at least 3 time steps per stream, got {z.shape[1]}")
    if n_iter < 1:
        raise ValueError(f"n_iter must be >= 1, got {n_iter}")
    full_rows = ~np.any(np.isnan(z), axis=-1)  # (B, T)
    if full_rows.sum() < config.dim_z + 1:
        raise ValueError("too few fully observed rows to estimate R")
    f, h = config.F, config.H
    history: list[float] = []
    converged = False
    for it in range(n_iter):
        filtered = batched_filter(z, config)
        total_ll = float(np.sum(filtered.log_likelihood))
        if history and total_ll - history[-1] < tol * abs(history[-1]):
            history.append(total_ll)
            converged = True
            break
        history.append(total_ll)
        smoothed = batched_smoother(filtered, config)
        x, p, c = smoothed.means, smoothed.covariances, smoothed.gains
        n_pairs = x.shape[0] * (x.shape[1] - 1)
        # Covariance sums: broadcast views (shared fast path) sum to the same as real arrays.
        s11 = p[:, 1:].sum((0, 1)) + _outer_sum(x[:, 1:], x[:, 1:])
        s00 = p[:, :-1].sum((0, 1)) + _outer_sum(x[:, :-1], x[:, :-1])
        cross = np.matmul(p[:, 1:], np.swapaxes(c, -1, -2)).sum((0, 1))
        s10 = cross + _outer_sum(x[:, 1:], x[:, :-1])
        q = (s11 - f @ s10.T - s10 @ f.T + f @ s00 @ f.T) / n_pairs
        zr = z[full_rows]  # (N, m)
        xr = x[full_rows]
        resid = zr - xr @ h.T
        r = (_outer_sum(resid, resid) + (h @ p[full_rows] @ h.T).sum(0)) / zr.shape[0]
        q, r = (q + q.T) / 2, (r + r.T) / 2
        if diagonal:
            q, r = np.diag(np.diag(q)), np.diag(np.diag(r))
        q[np.diag_indices_from(q)] = np.maximum(np.diag(q), min_variance)
        r[np.diag_indices_from(r)] = np.maximum(np.diag(r), min_variance)
        config = replace(config, Q=q, R=r)
        logger.debug("EM iteration %d: log-likelihood %.6f", it, total_ll)
    return NoiseEstimate(config, tuple(history), converged)
