"""How regret changes with time since the decision (Gilovich & Medvec 1995).

Gilovich, T. & Medvec, V. H. (1995). The experience of regret: what, when, and why.
*Psychological Review*, 102(2), 379–395: regrets of action (things done) are the more intense
in the short run and fade, while regrets of inaction (things not done) grow and dominate in the
long run. The paper gives no equations; the functional forms below are this package's
modelling choice, shaped to reproduce that finding, with every parameter named and documented:

* action regret decays exponentially towards a floor::

      R_action(t) = R0 · (ρ_a + (1 − ρ_a) · exp(−t / τ_a))

* inaction regret rises from a start level towards its full size::

      R_inaction(t) = R0 · (ρ_i + (1 − ρ_i) · (1 − exp(−t / τ_i)))

with ``t`` in days, ``R0`` ∈ [0, 1] the regret at full strength, τ_a = 30 days (action regret
halves within about three weeks, the scale of the paper's "last week" recall items), τ_i =
365 days (inaction regret dominates when people look back over years, as in the paper's "life"
recall items), ρ_a = 0.2 (some action regret never fades) and ρ_i = 0.3. With these defaults
the two curves cross at about 45 days (:func:`crossing_time`). The other regret types of the schema (timing, choice,
empathy, prediction) have no established temporal course; :func:`mixed_trajectory` keeps
their share constant rather than inventing one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from redheart_regret.theory._checks import as_finite, check_range

# Horizons (days) at which trajectories are reported and over which the analyzer's temporal
# network runs: a day, a week, a month, half a year, a year, five years.
HORIZONS_DAYS: tuple[float, ...] = (1.0, 7.0, 30.0, 182.0, 365.0, 1825.0)


@dataclass(frozen=True)
class TemporalParams:
    """Parameters of the action/inaction regret curves (see the module docstring)."""

    tau_action: float = 30.0
    tau_inaction: float = 365.0
    floor_action: float = 0.2
    start_inaction: float = 0.3

    def __post_init__(self) -> None:
        for name in ("tau_action", "tau_inaction"):
            v = getattr(self, name)
            if not np.isfinite(v) or v <= 0:
                raise ValueError(f"{name} must be a positive number of days, got {v}")
        for name in ("floor_action", "start_inaction"):
            v = getattr(self, name)
            if not np.isfinite(v) or not 0.0 <= v <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {v}")


def _times(days: object) -> np.ndarray:
    t = as_finite(days, "days")
    check_range(t, "days", 0.0, None)
    return t


def _r0(r0: float) -> float:
    r = float(r0)
    if not np.isfinite(r) or not 0.0 <= r <= 1.0:
        raise ValueError(f"initial regret r0 must be in [0, 1], got {r0}")
    return r


def action_regret(r0: float, days: object, params: TemporalParams = TemporalParams()) -> np.ndarray:
    """``R0 · (ρ_a + (1 − ρ_a) e^{−t/τ_a})`` at each time in ``days`` (shape of ``days``)."""
    t = _times(days)
    return _r0(r0) * (params.floor_action
                      + (1.0 - params.floor_action) * np.exp(-t / params.tau_action))


def inaction_regret(r0: float, days: object,
                    params: TemporalParams = TemporalParams()) -> np.ndarray:
    """``R0 · (ρ_i + (1 − ρ_i)(1 − e^{−t/τ_i}))`` at each time in ``days``."""
    t = _times(days)
    return _r0(r0) * (params.start_inaction
                      + (1.0 - params.start_inaction) * (1.0 - np.exp(-t / params.tau_inaction)))


def crossing_time(params: TemporalParams = TemporalParams()) -> float | None:
    """Days after which inaction regret exceeds action regret of the same ``R0``.

    Found by bisection on [0, 100 τ_i]; ``None`` when the curves never cross there.
    """
    def gap(t: float) -> float:
        return float(inaction_regret(1.0, t, params) - action_regret(1.0, t, params))

    lo, hi = 0.0, 100.0 * params.tau_inaction
    if gap(lo) >= 0:
        return 0.0
    if gap(hi) < 0:
        return None
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if gap(mid) < 0 else (lo, mid)
    return 0.5 * (lo + hi)


def mixed_trajectory(r0: float, p_action: float, p_inaction: float,
                     days: object = HORIZONS_DAYS,
                     params: TemporalParams = TemporalParams()) -> np.ndarray:
    """Regret over time for a mixture of regret types.

    ``p_action`` and ``p_inaction`` are the shares of action and inaction regret (e.g. from a
    regret-type distribution); the remaining share ``1 − p_action − p_inaction`` stays at
    ``R0`` (no temporal course is claimed for the other types). Returns an array shaped like
    ``days``.
    """
    pa, pi = float(p_action), float(p_inaction)
    if not (np.isfinite(pa) and np.isfinite(pi)) or pa < 0 or pi < 0 or pa + pi > 1 + 1e-9:
        raise ValueError(f"p_action and p_inaction must be ≥ 0 with sum ≤ 1, got {pa}, {pi}")
    t = _times(days)
    rest = max(0.0, 1.0 - pa - pi)
    return (pa * action_regret(r0, t, params) + pi * inaction_regret(r0, t, params)
            + rest * _r0(r0) * np.ones_like(t))
