"""Batched Kalman filter and RTS smoother for many independent streams (numpy).

Same model and step order as :class:`redheart_signal.kalman.EmotionKalman` (filterpy):
predict, then update with the Joseph-form covariance
``P = (I - K H) P (I - K H)^T + K R K^T``, so results match filterpy to rounding.

Missing entries are handled without changing array shapes: for stream b at step t the rows of H
of missing entries are zeroed and the matching block of R is replaced by the identity
(decoupled from the observed entries). The Kalman gain's columns for those entries are then
exactly zero, which is algebraically the reduced update filterpy performs with the observed
rows only; a fully missing row leaves the prediction unchanged (predict-only).

Fast path: when every stream shares F, H, Q, R, P0 and no entry is missing, the covariances and
gains do not depend on the data and are the same for every stream, so they are computed once
per step and only the means are batched; covariances are then returned as read-only broadcast
views of one (T, n, n) array.
"""

from __future__ import annotations

import numpy as np

from .kalman_config import KalmanConfig, KalmanResult, split_observations

_LOG_2PI = float(np.log(2.0 * np.pi))


def _mv(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Batched matrix-vector product: a (..., i, j) @ v (..., j) -> (..., i)."""
    return np.matmul(a, v[..., None])[..., 0]


def _t(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


def batched_filter(
    observations: np.ndarray,
    config: KalmanConfig,
    store_covariances: bool = True,
) -> KalmanResult:
    """Kalman filter over B independent streams sharing one model.

    Args:
        observations: (B, T, m) observations; NaN entries are missing.
        config: the model (shared by all streams).
        store_covariances: keep the (B, T, n, n) posterior and prior covariances (needed for
            smoothing); ``False`` saves memory when only the means are wanted.

    Returns:
        means (B, T, n), covariances (B, T, n, n) or None, prior means (B, T, n), prior
        covariances or None, log_likelihood (B,). Arrays are (B, T, ...) views of time-major
        buffers; on the shared fast path the covariances are read-only broadcast views of one
        (T, n, n) array (copy them before writing).
    """
    z, mask = split_observations(observations, config.dim_z)
    if z.ndim != 3:
        raise ValueError(f"observations must be (B, T, m), got shape {z.shape}; add a batch "
                         f"axis with observations[None] for one stream")
    if mask.all():
        return _filter_shared(z, config, store_covariances)
    return _filter_general(z, mask, config, store_covariances)


def _filter_shared(z: np.ndarray, c: KalmanConfig, store: bool) -> KalmanResult:
    batch, steps, m = z.shape
    n = c.dim_x
    eye = np.eye(n)
    # 1) Covariance recursion, once for all streams (it does not depend on the data).
    gains = np.empty((steps, n, m))
    covs, prior_covs = np.empty((steps, n, n)), np.empty((steps, n, n))
    s_inv, logdet = np.empty((steps, m, m)), np.empty(steps)
    p = c.P0
    for t in range(steps):
        p = c.F @ p @ c.F.T + c.Q
        prior_covs[t] = p
        pht = p @ c.H.T
        s = c.H @ pht + c.R
        s_inv[t] = np.linalg.inv(s)
        k = pht @ s_inv[t]
        i_kh = eye - k @ c.H
        p = i_kh @ p @ i_kh.T + k @ c.R @ k.T
        covs[t], gains[t] = p, k
        logdet[t] = np.linalg.slogdet(s)[1]
    # 2) Means, per step on (B, n) rows of time-major (T, B, n) buffers, so every write is
    # contiguous; returned as (B, T, n) views without copying.
    means_t, prior_t = np.empty((steps, batch, n)), np.empty((steps, batch, n))
    quad = np.zeros(batch)
    f_t, h_t = c.F.T.copy(), c.H.T.copy()
    x = np.broadcast_to(c.x0, (batch, n))
    for t in range(steps):
        prior = np.matmul(x, f_t, out=prior_t[t])
        innovation = z[:, t] - prior @ h_t
        x = np.add(prior, innovation @ gains[t].T, out=means_t[t])
        quad += np.sum((innovation @ s_inv[t]) * innovation, axis=1)
    log_likelihood = -0.5 * (quad + logdet.sum() + steps * m * _LOG_2PI)
    means, prior_means = np.swapaxes(means_t, 0, 1), np.swapaxes(prior_t, 0, 1)
    if not store:
        return KalmanResult(means, None, prior_means, None, log_likelihood)
    return KalmanResult(
        means, np.broadcast_to(covs, (batch, steps, n, n)), prior_means,
        np.broadcast_to(prior_covs, (batch, steps, n, n)), log_likelihood,
    )


def _filter_general(z: np.ndarray, mask: np.ndarray, c: KalmanConfig, store: bool) -> KalmanResult:
    batch, steps, m = z.shape
    n = c.dim_x
    eye_n, eye_m = np.eye(n), np.eye(m)
    x = np.broadcast_to(c.x0, (batch, n)).copy()
    p = np.broadcast_to(c.P0, (batch, n, n)).copy()
    # Time-major buffers: each step writes contiguous memory; returned as (B, T, ...) views.
    means, prior_means = np.empty((steps, batch, n)), np.empty((steps, batch, n))
    covs = np.empty((steps, batch, n, n)) if store else None
    prior_covs = np.empty((steps, batch, n, n)) if store else None
    log_likelihood = np.zeros(batch)
    for t in range(steps):
        x = x @ c.F.T
        p = c.F @ p @ c.F.T + c.Q
        prior_means[t] = x
        if store:
            prior_covs[t] = p
        obs = mask[:, t]  # (B, m)
        pair = obs[:, :, None] & obs[:, None, :]
        h = c.H * obs[:, :, None]  # (B, m, n), missing rows zeroed
        r = np.where(pair, c.R, 0.0) + eye_m * (~obs)[:, :, None]
        y = (z[:, t] - x @ c.H.T) * obs
        pht = p @ _t(h)
        s = h @ pht + r
        si = np.linalg.inv(s)
        k = pht @ si
        x = x + _mv(k, y)
        i_kh = eye_n - k @ h
        p = i_kh @ p @ _t(i_kh) + k @ r @ _t(k)
        means[t] = x
        if store:
            covs[t] = p
        # Missing entries contribute y = 0 and a unit variance block: subtract nothing extra
        # from the log-likelihood (log det 1 = 0), and count 2 pi only for observed entries.
        _, logdet = np.linalg.slogdet(s)
        quad = np.sum(_mv(si, y) * y, axis=-1)
        n_obs = obs.sum(axis=1)
        log_likelihood -= np.where(n_obs > 0, 0.5 * (quad + logdet + n_obs * _LOG_2PI), 0.0)
    return KalmanResult(
        np.swapaxes(means, 0, 1), None if covs is None else np.swapaxes(covs, 0, 1),
        np.swapaxes(prior_means, 0, 1),
        None if prior_covs is None else np.swapaxes(prior_covs, 0, 1), log_likelihood,
    )


def batched_smoother(filtered: KalmanResult, config: KalmanConfig) -> KalmanResult:
    """Rauch-Tung-Striebel smoothing of a :func:`batched_filter` result (stored covariances).

    Follows filterpy's ``rts_smoother`` step for step::

        Pp = F P[k] F^T + Q;  C = P[k] F^T Pp^-1
        x[k] += C (x[k+1] - F x[k]);  P[k] += C (P[k+1] - Pp) C^T

    Returns:
        smoothed means (B, T, n), covariances (B, T, n, n) and gains C (B, T-1, n, n)
        (broadcast views when the filter ran on the shared fast path).
    """
    if filtered.covariances is None:
        raise ValueError("smoothing needs the filter's covariances; run batched_filter with "
                         "store_covariances=True")
    p_in = filtered.covariances
    batch, steps, n = filtered.means.shape
    f, q = config.F, config.Q
    shared = p_in.strides[0] == 0  # broadcast view from the fast path: one set for all streams
    # Time-major working copies: p is (T, n, n) when shared, else (T, B, n, n).
    p = p_in[0].copy() if shared else np.swapaxes(p_in, 0, 1).copy()
    gains = np.empty((max(steps - 1, 0),) + p.shape[1:])
    for k in range(steps - 2, -1, -1):
        pp = f @ p[k] @ f.T + q
        c = p[k] @ f.T @ np.linalg.inv(pp)
        gains[k] = c
        p[k] += c @ (p[k + 1] - pp) @ _t(c)
    x = np.swapaxes(filtered.means, 0, 1).copy()  # (T, B, n), never aliasing the input
    for k in range(steps - 2, -1, -1):
        step = x[k + 1] - x[k] @ f.T
        x[k] += step @ gains[k].T if shared else _mv(gains[k], step)
    means = np.swapaxes(x, 0, 1)
    if shared:
        return KalmanResult(means, np.broadcast_to(p, (batch, steps, n, n)),
                            gains=np.broadcast_to(gains, (batch,) + gains.shape))
    return KalmanResult(means, np.swapaxes(p, 0, 1), gains=np.swapaxes(gains, 0, 1))


class BatchedKalman:
    """Thin object wrapper: ``BatchedKalman(config).filter(z)`` / ``.smooth(z)`` on (B, T, m)."""

    def __init__(self, config: KalmanConfig | None = None) -> None:
        self.config = config or KalmanConfig.random_walk()

    def filter(self, observations: np.ndarray, store_covariances: bool = True) -> KalmanResult:
        return batched_filter(observations, self.config, store_covariances)

    def smooth(self, observations: np.ndarray) -> KalmanResult:
        return batched_smoother(batched_filter(observations, self.config), self.config)
