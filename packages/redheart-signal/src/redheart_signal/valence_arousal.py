"""Valence-arousal maps: the fixed schema map from 8 emotions, and a linear map fit from data.

The fixed map is redheart's schema map (``redheart.schema.EMOTION_VALENCE`` / ``EMOTION_AROUSAL``,
fitted on the seed corpus v1): ``valence = p @ VALENCE``, ``arousal = p @ AROUSAL`` for a
distribution ``p`` over :data:`EMOTIONS`. The numbers are copied here so that this package works
without redheart-core; a test asserts they equal core's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EMOTIONS: tuple[str, ...] = (
    "joy", "trust", "fear", "surprise", "sadness", "disgust", "anger", "anticipation",
)
EMOTION_VALENCE: tuple[float, ...] = (1.0, 0.76, -1.0, 0.37, -0.94, -0.66, -0.77, 0.65)
EMOTION_AROUSAL: tuple[float, ...] = (0.61, 0.16, 0.97, 0.69, 0.16, 0.37, 0.87, 0.48)


def check_distribution(p: object, name: str = "p", atol: float = 1e-4) -> np.ndarray:
    """A (..., 8) array of emotion distributions (finite, non-negative, rows summing to 1)."""
    d = np.asarray(p, dtype=float)
    if d.ndim == 0 or d.shape[-1] != len(EMOTIONS):
        raise ValueError(f"{name} must end in {len(EMOTIONS)} emotion values {EMOTIONS}, got "
                         f"shape {d.shape}")
    if d.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.all(np.isfinite(d)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if np.any(d < -atol):
        raise ValueError(f"{name} has negative probabilities; use to_distribution() first")
    if not np.allclose(d.sum(-1), 1.0, atol=atol):
        raise ValueError(f"{name} rows must sum to 1; normalise them (to_distribution()) first")
    return d


def valence_arousal(p: np.ndarray) -> np.ndarray:
    """(..., 2) valence in [-1, 1] and arousal in [0, 1] of distributions (..., 8)."""
    d = check_distribution(p)
    return np.stack([d @ np.asarray(EMOTION_VALENCE), d @ np.asarray(EMOTION_AROUSAL)], axis=-1)


@dataclass
class LinearVAMap:
    """``[valence, arousal] = W x + b`` for feature vectors ``x`` (D,), fit by least squares.

    ``W`` is (2, D) (at most 2 x 768 for backbone features, SPEC section 5), ``b`` is (2,).
    ``ridge`` > 0 adds an L2 penalty on ``W`` (not on ``b``), useful when D is close to N.
    """

    weight: np.ndarray
    bias: np.ndarray

    @classmethod
    def fit(
        cls, x: np.ndarray, y: np.ndarray, ridge: float = 0.0, intercept: bool = True
    ) -> LinearVAMap:
        """Fit on features ``x`` (N, D) and targets ``y`` (N, 2) = (valence, arousal)."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        if x.ndim != 2 or y.ndim != 2 or y.shape[1] != 2 or x.shape[0] != y.shape[0]:
            raise ValueError(
                f"need x (N, D) and y (N, 2) with the same N, got {x.shape} and {y.shape}"
            )
        if x.shape[0] == 0:
            raise ValueError("x is empty; pass at least one example")
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            raise ValueError("x and y must be finite; drop rows with missing labels first")
        if ridge < 0:
            raise ValueError(f"ridge must be >= 0, got {ridge}")
        d = x.shape[1]
        if intercept:
            x_mean, y_mean = x.mean(0), y.mean(0)
        else:
            x_mean, y_mean = np.zeros(d), np.zeros(2)
        xc, yc = x - x_mean, y - y_mean
        if ridge > 0:
            # Ridge via an augmented least-squares system: stable, no normal equations.
            xa = np.vstack([xc, np.sqrt(ridge) * np.eye(d)])
            ya = np.vstack([yc, np.zeros((d, 2))])
            w = np.linalg.lstsq(xa, ya, rcond=None)[0]
        else:
            w = np.linalg.lstsq(xc, yc, rcond=None)[0]
        weight = w.T
        return cls(weight=weight, bias=y_mean - weight @ x_mean)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """(..., 2) predictions for features (..., D)."""
        x = np.asarray(x, dtype=float)
        if x.shape[-1:] != (self.weight.shape[1],):
            raise ValueError(f"x must end in {self.weight.shape[1]} features, got {x.shape}")
        return x @ self.weight.T + self.bias

    def to_dict(self) -> dict[str, list]:
        return {"weight": self.weight.tolist(), "bias": self.bias.tolist()}

    @classmethod
    def from_dict(cls, data: dict[str, list]) -> LinearVAMap:
        weight = np.asarray(data["weight"], dtype=float)
        bias = np.asarray(data["bias"], dtype=float)
        if weight.ndim != 2 or weight.shape[0] != 2 or bias.shape != (2,):
            raise ValueError(f"need weight (2, D) and bias (2,), got {weight.shape}, {bias.shape}")
        return cls(weight=weight, bias=bias)


def to_distribution(states: np.ndarray) -> np.ndarray:
    """Project states (..., 8) back to distributions: clip at 0, renormalise each row.

    A Kalman filter's state is an unconstrained Gaussian mean, so filtered emotion vectors can
    dip below 0 or drift from sum 1. A row with no positive mass left has no preferred emotion
    and becomes uniform (1/8 each).
    """
    s = np.asarray(states, dtype=float)
    if s.ndim == 0 or s.shape[-1] != len(EMOTIONS):
        raise ValueError(f"states must end in {len(EMOTIONS)} values, got shape {s.shape}")
    if not np.all(np.isfinite(s)):
        raise ValueError("states contain NaN or infinite values")
    clipped = np.clip(s, 0.0, None)
    total = clipped.sum(-1, keepdims=True)
    uniform = np.full_like(clipped, 1.0 / len(EMOTIONS))
    return np.where(total > 0, clipped / np.where(total > 0, total, 1.0), uniform)
