"""Regret of options across states of the world (Savage 1951; Loomes & Sugden 1982).

A decision is a payoff matrix ``U`` of shape (n_options, n_states): ``U[i, s]`` is the utility
of option ``i`` if state ``s`` occurs. The regret of option ``i`` in state ``s`` is the best
foregone outcome in that state minus its own::

    R[i, s] = max_j U[j, s] − U[i, s]            (≥ 0, and 0 for the best option in s)

Expected regret weighs states by their probabilities ``p``: ``ER[i] = Σ_s p_s R[i, s]``; the
minimax-regret choice (Savage) minimises ``max_s R[i, s]`` and needs no probabilities.
Anticipated regret is the expected regret of the chosen option before the outcome; experienced
regret is computed once outcomes are known: ``max_j outcome_j − outcome_chosen``.

Utilities are checked to lie in [-1, 1] (the schema's range) unless other bounds are passed.
Ties are broken by the lowest option index, so every result is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from redheart_regret.theory._checks import (
    as_finite,
    check_range,
    index,
    payoff_matrix,
    probabilities,
)

UTILITY_LOW, UTILITY_HIGH = -1.0, 1.0


def regret_matrix(payoffs: object, *, low: float | None = UTILITY_LOW,
                  high: float | None = UTILITY_HIGH) -> np.ndarray:
    """Regret ``R[i, s] = max_j U[j, s] − U[i, s]`` of each option per state: (n, S) → (n, S).

    A 1-D ``payoffs`` (n,) is one certain state per option and gives (n, 1).
    """
    u = payoff_matrix(payoffs, low, high)
    return u.max(axis=0, keepdims=True) - u


def expected_utility(payoffs: object, probs: object, *, low: float | None = UTILITY_LOW,
                     high: float | None = UTILITY_HIGH) -> np.ndarray:
    """Expected utility ``Σ_s p_s U[i, s]`` of each option: (n, S), (S,) → (n,)."""
    u = payoff_matrix(payoffs, low, high)
    return u @ probabilities(probs, u.shape[1])


def expected_regret(payoffs: object, probs: object, *, low: float | None = UTILITY_LOW,
                    high: float | None = UTILITY_HIGH) -> np.ndarray:
    """Expected regret ``Σ_s p_s R[i, s]`` of each option: (n, S), (S,) → (n,)."""
    r = regret_matrix(payoffs, low=low, high=high)
    return r @ probabilities(probs, r.shape[1])


def max_regret(payoffs: object, *, low: float | None = UTILITY_LOW,
               high: float | None = UTILITY_HIGH) -> np.ndarray:
    """Worst-case regret ``max_s R[i, s]`` of each option: (n, S) → (n,)."""
    return regret_matrix(payoffs, low=low, high=high).max(axis=1)


def minimax_regret_choice(payoffs: object, *, low: float | None = UTILITY_LOW,
                          high: float | None = UTILITY_HIGH) -> int:
    """Index of the option whose worst-case regret is smallest (lowest index on ties)."""
    return int(np.argmin(max_regret(payoffs, low=low, high=high)))


@dataclass(frozen=True)
class RegretAnalysis:
    """Everything regret theory says about one payoff matrix.

    Attributes:
        regret: (n, S) regret per option and state.
        expected_utility: (n,) or ``None`` without state probabilities.
        expected_regret: (n,) or ``None`` without state probabilities.
        max_regret: (n,) worst-case regret.
        minimax_choice: option minimising the worst-case regret.
        expected_regret_choice: option minimising expected regret (``None`` without probs).
    """

    regret: np.ndarray
    expected_utility: np.ndarray | None
    expected_regret: np.ndarray | None
    max_regret: np.ndarray
    minimax_choice: int
    expected_regret_choice: int | None


def analyze(payoffs: object, probs: object | None = None, *, low: float | None = UTILITY_LOW,
            high: float | None = UTILITY_HIGH) -> RegretAnalysis:
    """Regret matrix, expected and worst-case regret and both choices for a decision."""
    u = payoff_matrix(payoffs, low, high)
    r = u.max(axis=0, keepdims=True) - u
    worst = r.max(axis=1)
    eu = er = None
    er_choice = None
    if probs is not None:
        p = probabilities(probs, u.shape[1])
        eu, er = u @ p, r @ p
        er_choice = int(np.argmin(er))
    return RegretAnalysis(r, eu, er, worst, int(np.argmin(worst)), er_choice)


def anticipated_regret(payoffs: object, probs: object, chosen: int, *,
                       low: float | None = UTILITY_LOW, high: float | None = UTILITY_HIGH) -> float:
    """Regret the decision-maker should expect from ``chosen`` before the state is known."""
    er = expected_regret(payoffs, probs, low=low, high=high)
    return float(er[index(chosen, er.shape[0], "chosen")])


def experienced_regret(outcomes: object, chosen: int, *, low: float | None = UTILITY_LOW,
                       high: float | None = UTILITY_HIGH) -> float:
    """Regret once every option's realised outcome is known: ``max_j o_j − o_chosen`` (≥ 0).

    ``outcomes`` (n,) holds the realised (or best-known counterfactual) utility of each option.
    """
    o = as_finite(outcomes, "outcomes")
    if o.ndim != 1 or o.shape[0] < 2:
        raise ValueError(f"outcomes must be a vector with one value per option (≥ 2), "
                         f"got shape {o.shape}")
    check_range(o, "outcomes", low, high)
    return float(o.max() - o[index(chosen, o.shape[0], "chosen")])


@dataclass(frozen=True)
class RegretComparison:
    """Anticipated regret (ex ante) next to experienced regret (ex post) for one choice."""

    chosen: int
    anticipated: float
    experienced: float

    @property
    def surprise(self) -> float:
        """Experienced minus anticipated: > 0 when the outcome hurt more than expected."""
        return self.experienced - self.anticipated


def compare_regret(payoffs: object, probs: object, chosen: int, outcomes: object, *,
                   low: float | None = UTILITY_LOW,
                   high: float | None = UTILITY_HIGH) -> RegretComparison:
    """Anticipated regret of ``chosen`` under (payoffs, probs) and experienced regret given
    the realised ``outcomes`` of every option."""
    return RegretComparison(
        chosen, anticipated_regret(payoffs, probs, chosen, low=low, high=high),
        experienced_regret(outcomes, chosen, low=low, high=high))
