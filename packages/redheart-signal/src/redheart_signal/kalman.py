"""Kalman tracking of one emotion stream with filterpy (the reference implementation).

:class:`EmotionKalman` wraps ``filterpy.kalman.KalmanFilter`` (state dimension 8 by default,
one per schema emotion). Missing observations are NaN: a NaN row is a predict-only step, and a
row with some NaN entries updates with the observed entries only (the matching rows of H and
the matching block of R). :func:`redheart_signal.batched.batched_filter` reproduces it for many
streams at once.
"""

from __future__ import annotations

import numpy as np
from filterpy.kalman import KalmanFilter

from .kalman_config import KalmanConfig, KalmanResult, split_observations
from .valence_arousal import to_distribution


class EmotionKalman:
    """Filter, smoother and online tracker for one stream.

    Args:
        config: model matrices; default :meth:`KalmanConfig.random_walk` over 8 emotions.
    """

    def __init__(self, config: KalmanConfig | None = None) -> None:
        self.config = config or KalmanConfig.random_walk()
        self.kf = self._new_filter()

    def _new_filter(self) -> KalmanFilter:
        c = self.config
        kf = KalmanFilter(dim_x=c.dim_x, dim_z=c.dim_z)
        kf.F, kf.H, kf.Q, kf.R = c.F.copy(), c.H.copy(), c.Q.copy(), c.R.copy()
        kf.x = c.x0.reshape(-1, 1).copy()
        kf.P = c.P0.copy()
        return kf

    def reset(self) -> None:
        """Forget all observations (back to ``x0``, ``P0``)."""
        self.kf = self._new_filter()

    def _update(self, z: np.ndarray, observed: np.ndarray) -> None:
        if not observed.any():
            self.kf.update(None)
        elif observed.all():
            self.kf.update(z)
        else:
            keep = np.nonzero(observed)[0]
            self.kf.update(
                z[keep].reshape(-1, 1), R=self.config.R[np.ix_(keep, keep)],
                H=self.config.H[keep],
            )

    def step(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predict, then update with one observation (m,) (NaN entries missing).

        Returns:
            the posterior mean (n,) and covariance (n, n).
        """
        values, mask = split_observations(np.asarray(z, dtype=float)[None, :], self.config.dim_z)
        self.kf.predict()
        self._update(values[0], mask[0])
        return self.kf.x[:, 0].copy(), self.kf.P.copy()

    def filter(self, observations: np.ndarray) -> KalmanResult:
        """Run the filter from ``x0`` over observations (T, m); the tracker's own state is reset.

        Returns:
            means (T, n), covariances (T, n, n), prior means/covariances, log-likelihood.
        """
        z, mask = split_observations(observations, self.config.dim_z)
        if z.ndim != 2:
            raise ValueError(f"observations must be (T, m) for one stream, got {z.shape}; use "
                             f"batched_filter for many streams")
        self.reset()
        steps, n = z.shape[0], self.config.dim_x
        means, covs = np.empty((steps, n)), np.empty((steps, n, n))
        prior_means, prior_covs = np.empty((steps, n)), np.empty((steps, n, n))
        log_likelihood = 0.0
        for t in range(steps):
            self.kf.predict()
            prior_means[t], prior_covs[t] = self.kf.x[:, 0], self.kf.P
            self._update(z[t], mask[t])
            if mask[t].any():
                log_likelihood += float(self.kf.log_likelihood)
            means[t], covs[t] = self.kf.x[:, 0], self.kf.P
        return KalmanResult(means, covs, prior_means, prior_covs, log_likelihood)

    def smooth(self, observations: np.ndarray) -> KalmanResult:
        """Filter, then Rauch-Tung-Striebel smoothing (filterpy's ``rts_smoother``).

        Returns:
            smoothed means (T, n), covariances (T, n, n) and smoother gains (T-1, n, n).
        """
        filtered = self.filter(observations)
        x, p, gains, _ = self.kf.rts_smoother(filtered.means[:, :, None], filtered.covariances)
        return KalmanResult(x[:, :, 0], p, gains=gains[:-1])

    @staticmethod
    def distributions(means: np.ndarray) -> np.ndarray:
        """Filtered emotion states (..., 8) projected to distributions (clip >= 0, renormalise)."""
        return to_distribution(means)
