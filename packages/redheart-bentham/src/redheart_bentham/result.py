"""``BenthamResult``: the typed, JSON-able report of the Bentham plugin for one text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from redheart.results import Result


@dataclass
class OptionScore:
    """One decision option: its predicted hedonic value in [-1, 1] and rank (1 = best)."""

    text: str
    hedonic: float
    rank: int


@dataclass
class BenthamResult(Result):
    """Bentham analysis of one text.

    Attributes:
        factors: the 10 factors by name (schema.BENTHAM_FACTORS), each in [0, 1].
        hedonic: net hedonic value in [-1, 1] (the model's).
        ethics: acceptability per framework (utilitarian, deontological, virtue, care) in [-1, 1].
        acceptability: mean of the 4 frameworks (the score used for Scruples).
        legal_risk: risk per legal domain (schema.LEGAL_DOMAINS) in [0, 1].
        weights: the 6 weighting layers (contextual ... cognitive) in [0.3, 2.5].
        expert_gates: the head's gate over the 4 ethics experts (sums to 1).
        scenarios: optimistic / neutral / pessimistic / expected values of the deterministic
            calculus on the predicted factors and weights, with the predicted hedonic as the
            main effect (see ``redheart_bentham.interpret``).
        horizons: predicted hedonic value per time horizon (hour ... year) in [-1, 1].
        stakeholders: per stakeholder group, ``{"impact": [-1, 1], "involvement": [0, 1]}``.
        options: per decision option (input order) its hedonic value and rank; ``None``
            without options.
        ranking: option indices best first; ``None`` without options.
    """

    factors: dict[str, float]
    hedonic: float
    ethics: dict[str, float]
    acceptability: float
    legal_risk: dict[str, float]
    weights: dict[str, float]
    expert_gates: dict[str, float]
    scenarios: dict[str, float]
    horizons: dict[str, float]
    stakeholders: dict[str, dict[str, float]]
    options: list[OptionScore] | None = None
    ranking: list[int] | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for ``redheart analyze``."""
        ethics = ", ".join(f"{k} {v:+.2f}" for k, v in self.ethics.items())
        domain, risk = max(self.legal_risk.items(), key=lambda kv: kv[1])
        line = (f"hedonic {self.hedonic:+.2f} (expected view {self.scenarios['expected']:+.2f}); "
                f"acceptability {self.acceptability:+.2f} ({ethics}); "
                f"highest legal risk {domain} {risk:.2f}")
        if self.options:
            best = next(o for o in self.options if o.rank == 1)
            line += f"; best option {best.text!r} ({best.hedonic:+.2f})"
        return line

    def plot(self, ax: Any = None) -> Any:
        """Radar plot of the 10 factors (needs the ``plot`` extra: matplotlib)."""
        from redheart_bentham.plot import plot_factors

        return plot_factors(self.factors, ax=ax)
