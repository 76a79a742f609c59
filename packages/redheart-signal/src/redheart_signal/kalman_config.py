"""Linear-Gaussian state-space model shared by the filterpy tracker and the batched filter.

    x_t = F x_{t-1} + w_t,   w_t ~ N(0, Q)        (state, n)
    z_t = H x_t + v_t,       v_t ~ N(0, R)        (observation, m)
    x_0 ~ N(x0, P0)                               (belief before the first observation)

Each observation step first predicts (x_0 -> x_1) and then updates, as filterpy's
``KalmanFilter.predict(); update(z)`` loop does. For emotion tracking, n = m = 8 (the schema's
emotions) and the defaults are a random walk observed directly (F = H = I).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .valence_arousal import EMOTIONS


def _matrix(value: object, name: str, shape: tuple[int, int]) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def _covariance(value: object, name: str, size: int, definite: bool) -> np.ndarray:
    arr = _matrix(value, name, (size, size))
    if not np.allclose(arr, arr.T, atol=1e-12):
        raise ValueError(f"{name} must be symmetric; use ({name} + {name}.T) / 2")
    eig = np.linalg.eigvalsh(arr)
    if definite and eig.min() <= 0:
        raise ValueError(f"{name} must be positive definite (smallest eigenvalue {eig.min():.3g})")
    if eig.min() < -1e-12 * max(1.0, abs(eig.max())):
        raise ValueError(f"{name} must be positive semi-definite (eigenvalue {eig.min():.3g})")
    return arr


@dataclass
class KalmanConfig:
    """Matrices of the model (see module docstring).

    Attributes:
        F: (n, n) transition. H: (m, n) observation. Q: (n, n) process noise (PSD).
        R: (m, m) observation noise (PD). x0: (n,) initial mean. P0: (n, n) initial
        covariance (PD).
    """

    F: np.ndarray
    H: np.ndarray
    Q: np.ndarray
    R: np.ndarray
    x0: np.ndarray
    P0: np.ndarray
    names: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        F = np.asarray(self.F, dtype=float)
        if F.ndim != 2 or F.shape[0] != F.shape[1] or F.shape[0] == 0:
            raise ValueError(f"F must be a square (n, n) matrix, got shape {F.shape}")
        n = F.shape[0]
        H = np.asarray(self.H, dtype=float)
        if H.ndim != 2 or H.shape[1] != n or H.shape[0] == 0:
            raise ValueError(f"H must be (m, {n}) to observe an {n}-dim state, got {H.shape}")
        m = H.shape[0]
        self.F = _matrix(F, "F", (n, n))
        self.H = _matrix(H, "H", (m, n))
        self.Q = _covariance(self.Q, "Q", n, definite=False)
        self.R = _covariance(self.R, "R", m, definite=True)
        self.x0 = np.asarray(self.x0, dtype=float)
        if self.x0.shape != (n,) or not np.all(np.isfinite(self.x0)):
            raise ValueError(f"x0 must be {n} finite numbers, got shape {self.x0.shape}")
        self.P0 = _covariance(self.P0, "P0", n, definite=True)
        if self.names and len(self.names) != n:
            raise ValueError(f"names must name the {n} state dimensions, got {len(self.names)}")

    @property
    def dim_x(self) -> int:
        return self.F.shape[0]

    @property
    def dim_z(self) -> int:
        return self.H.shape[0]

    @classmethod
    def random_walk(
        cls,
        dim: int = len(EMOTIONS),
        process_var: float = 1e-3,
        observation_var: float = 1e-2,
        initial_var: float = 0.1,
        x0: np.ndarray | None = None,
    ) -> KalmanConfig:
        """Directly observed random walk: F = H = I, Q = q I, R = r I, P0 = p0 I.

        With ``dim`` = 8 the state is the emotion distribution, started at uniform (1/8 each);
        ``process_var / observation_var`` sets how fast the tracker follows new observations.
        """
        for name, value in (("process_var", process_var), ("observation_var", observation_var),
                            ("initial_var", initial_var)):
            if not np.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be positive, got {value}")
        eye = np.eye(dim)
        start = np.full(dim, 1.0 / dim) if x0 is None else x0
        names = EMOTIONS if dim == len(EMOTIONS) else ()
        return cls(eye, eye.copy(), process_var * eye, observation_var * eye, start,
                   initial_var * eye, names)

    def to_dict(self) -> dict[str, object]:
        return {
            "F": self.F.tolist(), "H": self.H.tolist(), "Q": self.Q.tolist(),
            "R": self.R.tolist(), "x0": self.x0.tolist(), "P0": self.P0.tolist(),
            "names": list(self.names),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> KalmanConfig:
        keys = ("F", "H", "Q", "R", "x0", "P0")
        missing = [k for k in keys if k not in data]
        if missing:
            raise ValueError(f"Kalman config is missing {missing}")
        return cls(*(np.asarray(data[k], dtype=float) for k in keys),
                   names=tuple(data.get("names", ())))  # type: ignore[arg-type]


@dataclass(frozen=True)
class KalmanResult:
    """Filter or smoother output. Leading ``(B,)`` batch axis for the batched filter.

    Attributes:
        means: (..., T, n) posterior (or smoothed) means.
        covariances: (..., T, n, n) posterior (or smoothed) covariances, or ``None`` when not
            stored.
        prior_means: (..., T, n) one-step predictions before each update (filter only).
        prior_covariances: (..., T, n, n) their covariances (filter only, may be ``None``).
        log_likelihood: (...,) total log-likelihood of the observed rows (filter only).
        gains: (..., T-1, n, n) RTS smoother gains (smoother only).
    """

    means: np.ndarray
    covariances: np.ndarray | None
    prior_means: np.ndarray | None = None
    prior_covariances: np.ndarray | None = None
    log_likelihood: np.ndarray | float | None = None
    gains: np.ndarray | None = None


def split_observations(observations: object, dim_z: int) -> tuple[np.ndarray, np.ndarray]:
    """Observations (..., T, m) as float with NaN -> 0, and the (..., T, m) observed mask.

    NaN marks a missing entry (a whole NaN row is a predict-only step); inf is an error.
    """
    z = np.asarray(observations, dtype=float)
    if z.ndim < 2 or z.shape[-1] != dim_z:
        raise ValueError(f"observations must be (..., T, {dim_z}), got shape {z.shape}")
    if z.shape[-2] == 0:
        raise ValueError("observations are empty; pass at least one time step")
    if np.any(np.isinf(z)):
        raise ValueError("observations contain infinite values; mark missing entries with NaN")
    mask = ~np.isnan(z)
    if mask.all():
        return z, mask
    return np.where(mask, z, 0.0), mask
