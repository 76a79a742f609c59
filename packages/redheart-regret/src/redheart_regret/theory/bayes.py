"""Beta–Bernoulli beliefs about each option's probability of a good outcome (``p_good``).

Prior ``Beta(α, β)``; after ``s`` good and ``f`` bad observed outcomes the posterior is
``Beta(α + s, β + f)`` (conjugacy), with mean ``α / (α + β)`` and variance
``αβ / ((α + β)² (α + β + 1))``. A point estimate ``p`` with a confidence expressed as a
pseudo-count ``n`` maps to the prior ``Beta(n p, n (1 − p))`` (:meth:`BetaBelief.from_mean`).
Nothing here is random unless :func:`thompson_choice` is given a seed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from redheart_regret.theory._checks import index


@dataclass(frozen=True)
class BetaBelief:
    """A Beta(α, β) belief about a success probability (α, β > 0)."""

    alpha: float
    beta: float

    def __post_init__(self) -> None:
        for name in ("alpha", "beta"):
            v = getattr(self, name)
            if not np.isfinite(v) or v <= 0:
                raise ValueError(f"{name} must be a positive finite number, got {v}")

    @classmethod
    def from_mean(cls, p: float, concentration: float = 2.0) -> BetaBelief:
        """Prior with mean ``p`` ∈ (0, 1) worth ``concentration`` pseudo-observations."""
        if not np.isfinite(p) or not 0.0 < p < 1.0:
            raise ValueError(f"p must be in (0, 1) to define a Beta prior, got {p}; clip it "
                             f"away from 0 and 1")
        if not np.isfinite(concentration) or concentration <= 0:
            raise ValueError(f"concentration must be positive, got {concentration}")
        return cls(concentration * p, concentration * (1.0 - p))

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def variance(self) -> float:
        n = self.alpha + self.beta
        return self.alpha * self.beta / (n * n * (n + 1.0))

    def update(self, successes: int, failures: int) -> BetaBelief:
        """Posterior after ``successes`` good and ``failures`` bad outcomes."""
        for name, v in (("successes", successes), ("failures", failures)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
                raise ValueError(f"{name} must be a non-negative integer count, got {v!r}")
        return BetaBelief(self.alpha + successes, self.beta + failures)

    def credible_interval(self, level: float = 0.9) -> tuple[float, float]:
        """Central credible interval holding ``level`` of the posterior mass."""
        if not 0.0 < level < 1.0:
            raise ValueError(f"level must be in (0, 1), got {level}")
        tail = (1.0 - level) / 2.0
        lo, hi = stats.beta.ppf([tail, 1.0 - tail], self.alpha, self.beta)
        return float(lo), float(hi)


def update_options(priors: Sequence[BetaBelief],
                   observations: Iterable[tuple[int, bool]]) -> list[BetaBelief]:
    """Posterior belief per option after observing ``(option index, good outcome?)`` pairs."""
    priors = list(priors)
    if len(priors) < 1:
        raise ValueError("give at least one prior belief")
    good = [0] * len(priors)
    bad = [0] * len(priors)
    for i, (opt, outcome) in enumerate(observations):
        k = index(opt, len(priors), f"observations[{i}] option")
        if not isinstance(outcome, (bool, np.bool_)):
            raise TypeError(f"observations[{i}] outcome must be True/False, got {outcome!r}")
        if outcome:
            good[k] += 1
        else:
            bad[k] += 1
    return [b.update(g, f) for b, g, f in zip(priors, good, bad)]


def thompson_choice(beliefs: Sequence[BetaBelief], seed: int) -> int:
    """Option with the largest draw from its belief (Thompson sampling), reproducible by seed."""
    if len(beliefs) < 2:
        raise ValueError("Thompson sampling needs at least 2 options")
    rng = np.random.default_rng(seed)
    draws = [rng.beta(b.alpha, b.beta) for b in beliefs]
    return int(np.argmax(draws))
