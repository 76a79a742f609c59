"""Multi-scale exponential "emotional memory" of a stream (fixed delay scales, gains).

Each scale k is a leaky integrator with time constant ``tau_k`` and unit DC gain::

    m_k[t] = a_k[t] * m_k[t-1] + (1 - a_k[t]) * x[t],     a_k[t] = exp(-(t_t - t_{t-1}) / tau_k)

so it remembers roughly the last ``tau_k`` seconds, and a constant stream is remembered as
itself. The memory is the weighted mix ``M[t] = sum_k g_k w_k m_k[t] / sum_k w_k`` with fixed
scale weights ``w_k`` and gains ``g_k`` (1 by default, or fit by :meth:`EmotionalMemory.fit_gains`).

Default scales follow the design documents: 0-5 s (weight 1.0), 5-30 s (0.7), 30 s-5 min (0.4)
and > 5 min (0.1). Each band's time constant is its upper edge; the open band > 5 min uses
30 min. Missing samples (NaN rows) leave the traces unchanged: absence of data is not evidence
of calm. At most 32 scales (SPEC section 5: at most 32 delay gains).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls

from ._validation import check_positive

MAX_SCALES = 32


@dataclass(frozen=True)
class MemoryScale:
    """One memory scale: a name, a time constant ``tau`` in seconds, and a fixed weight."""

    name: str
    tau: float
    weight: float

    def __post_init__(self) -> None:
        check_positive(self.tau, f"tau of memory scale {self.name!r}")
        if not np.isfinite(self.weight) or self.weight < 0:
            raise ValueError(f"weight of memory scale {self.name!r} must be >= 0, got {self.weight}")


DEFAULT_SCALES: tuple[MemoryScale, ...] = (
    MemoryScale("0-5s", 5.0, 1.0),
    MemoryScale("5-30s", 30.0, 0.7),
    MemoryScale("30s-5min", 300.0, 0.4),
    MemoryScale(">5min", 1800.0, 0.1),
)


def _times(n: int, times: np.ndarray | None, dt: float) -> np.ndarray:
    if times is None:
        return np.arange(n) * check_positive(dt, "dt")
    t = np.asarray(times, dtype=float)
    if t.shape != (n,):
        raise ValueError(f"times must have one entry per sample ({n}), got shape {t.shape}")
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise ValueError("times must be finite and strictly increasing (seconds)")
    return t


class EmotionalMemory:
    """Multi-scale exponential memory with fixed scales and fixed (or fitted) gains.

    Args:
        scales: the memory scales (1 to 32), default :data:`DEFAULT_SCALES`.
        gains: (K,) gain per scale, default ones.
    """

    def __init__(
        self, scales: Sequence[MemoryScale] = DEFAULT_SCALES, gains: np.ndarray | None = None
    ) -> None:
        scales = tuple(scales)
        if not 1 <= len(scales) <= MAX_SCALES:
            raise ValueError(f"need 1 to {MAX_SCALES} memory scales, got {len(scales)}")
        if sum(s.weight for s in scales) <= 0:
            raise ValueError("at least one memory scale needs a positive weight")
        self.scales = scales
        g = np.ones(len(scales)) if gains is None else np.asarray(gains, dtype=float)
        if g.shape != (len(scales),) or not np.all(np.isfinite(g)):
            raise ValueError(f"gains must be {len(scales)} finite numbers, got {g!r}")
        self.gains = g

    @property
    def taus(self) -> np.ndarray:
        return np.array([s.tau for s in self.scales])

    @property
    def weights(self) -> np.ndarray:
        return np.array([s.weight for s in self.scales])

    def traces(self, x: np.ndarray, times: np.ndarray | None = None, dt: float = 1.0) -> np.ndarray:
        """Per-scale traces of a stream.

        Args:
            x: (T,) or (T, D) stream; NaN rows are missing samples.
            times: (T,) sample times in seconds (irregular sampling allowed); default ``t * dt``.
            dt: sampling interval in seconds when ``times`` is not given.

        Returns:
            (T, K) or (T, K, D) traces; NaN before the first observed sample.
        """
        arr = np.asarray(x, dtype=float)
        if arr.ndim not in (1, 2) or arr.shape[0] == 0:
            raise ValueError(f"x must be a non-empty (T,) or (T, D) stream, got shape {arr.shape}")
        if np.any(np.isinf(arr)):
            raise ValueError("x contains infinite values; mark missing samples with NaN")
        squeeze = arr.ndim == 1
        x2 = arr[:, None] if squeeze else arr
        t = _times(x2.shape[0], times, dt)
        missing = np.any(np.isnan(x2), axis=1)
        if np.any(np.isnan(x2[~missing])):
            raise ValueError("x rows must be fully observed or fully NaN")
        taus = self.taus[:, None]
        out = np.full((x2.shape[0], len(self.scales), x2.shape[1]), np.nan)
        state: np.ndarray | None = None
        last_t = 0.0
        for i in range(x2.shape[0]):
            if not missing[i]:
                if state is None:
                    state = np.broadcast_to(x2[i], (len(self.scales), x2.shape[1])).copy()
                else:
                    # Decay over the time since the last observed sample, gaps included.
                    a = np.exp(-(t[i] - last_t) / taus)
                    state = a * state + (1.0 - a) * x2[i]
                last_t = t[i]
            if state is not None:
                out[i] = state
        return out[:, :, 0] if squeeze else out

    def __call__(self, x: np.ndarray, times: np.ndarray | None = None, dt: float = 1.0) -> np.ndarray:
        """(T,) or (T, D) memory ``sum_k g_k w_k m_k / sum_k w_k``."""
        tr = self.traces(x, times, dt)
        coef = self.gains * self.weights / self.weights.sum()
        return np.tensordot(coef, tr, axes=([0], [1]))

    def fit_gains(
        self,
        x: np.ndarray,
        target: np.ndarray,
        times: np.ndarray | None = None,
        dt: float = 1.0,
        nonnegative: bool = True,
    ) -> EmotionalMemory:
        """A copy whose gains minimise ``||memory(x) - target||^2`` (the memory is linear in
        the gains), by non-negative least squares unless ``nonnegative=False``.

        Args:
            x: (T,) or (T, D) stream. target: same shape, NaN where unknown.
        """
        tr = self.traces(x, times, dt)
        y = np.asarray(target, dtype=float)
        expected = tr.shape[:1] + tr.shape[2:]
        if y.shape != expected:
            raise ValueError(f"target must have shape {expected}, got {y.shape}")
        design = np.moveaxis(tr, 1, -1) * (self.weights / self.weights.sum())  # (T[, D], K)
        design = design.reshape(-1, len(self.scales))
        y = y.reshape(-1)
        ok = np.isfinite(y) & np.all(np.isfinite(design), axis=1)
        if ok.sum() < len(self.scales):
            raise ValueError(
                f"need at least {len(self.scales)} observed (x, target) pairs to fit "
                f"{len(self.scales)} gains, got {int(ok.sum())}"
            )
        if nonnegative:
            gains, _ = nnls(design[ok], y[ok])
        else:
            gains = np.linalg.lstsq(design[ok], y[ok], rcond=None)[0]
        return EmotionalMemory(self.scales, gains)
