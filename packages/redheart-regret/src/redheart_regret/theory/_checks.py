"""Input validation shared by the regret-theory functions (numpy only)."""

from __future__ import annotations

import numpy as np

PROB_ATOL = 1e-6


def as_finite(values: object, name: str) -> np.ndarray:
    """``values`` as a float array, or a ValueError naming ``name`` when it has NaN/inf."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric, got {values!r}") from exc
    if arr.size == 0:
        raise ValueError(f"{name} is empty; give at least one value")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values; clean the input first")
    return arr


def check_range(arr: np.ndarray, name: str, low: float | None, high: float | None) -> None:
    """Raise when ``arr`` leaves [low, high] (``None`` = unbounded on that side)."""
    if low is not None and np.any(arr < low):
        raise ValueError(f"{name} must be ≥ {low}, got minimum {arr.min():.6g}; rescale it "
                         f"(utilities in redheart live in [-1, 1]) or pass wider bounds")
    if high is not None and np.any(arr > high):
        raise ValueError(f"{name} must be ≤ {high}, got maximum {arr.max():.6g}; rescale it "
                         f"(utilities in redheart live in [-1, 1]) or pass wider bounds")


def payoff_matrix(payoffs: object, low: float | None, high: float | None) -> np.ndarray:
    """Validate a payoff matrix (n_options, n_states) with at least 2 options."""
    u = as_finite(payoffs, "payoffs")
    if u.ndim == 1:
        u = u[:, None]  # one state of the world: a certain outcome per option
    if u.ndim != 2:
        raise ValueError(f"payoffs must be (n_options, n_states), got shape {u.shape}")
    if u.shape[0] < 2:
        raise ValueError(f"regret needs at least 2 options to compare, got {u.shape[0]}; "
                         f"add the alternative you did not choose")
    check_range(u, "payoffs", low, high)
    return u


def probabilities(probs: object, n: int, name: str = "probs") -> np.ndarray:
    """Validate a probability vector of length ``n`` that sums to 1."""
    p = as_finite(probs, name)
    if p.shape != (n,):
        raise ValueError(f"{name} must have one probability per state ({n}), got shape {p.shape}")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError(f"{name} must lie in [0, 1], got {p.tolist()}")
    if abs(p.sum() - 1.0) > PROB_ATOL:
        raise ValueError(f"{name} must sum to 1, got {p.sum():.6g}; normalise it first")
    return p


def index(value: int, n: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer option index, got {value!r}")
    if not 0 <= int(value) < n:
        raise ValueError(f"{name} must be in [0, {n - 1}], got {value}")
    return int(value)
