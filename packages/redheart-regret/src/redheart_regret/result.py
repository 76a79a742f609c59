"""The regret plugin's typed result (``RegretResult``), JSON-able through ``to_dict()``."""

from __future__ import annotations

from dataclasses import dataclass, field

from redheart.results import Result


@dataclass
class OptionRegret(Result):
    """One decision option.

    Attributes:
        index: position among the options.  text: the option as given.
        utility: expected utility ∈ [-1, 1] (decision-tree backward induction).
        p_good: posterior mean probability of a good outcome ∈ [0, 1].
        p_good_interval: central 90 % credible interval of the Beta posterior.
        expected_regret: expected regret over the scenarios (≥ 0).
        max_regret: worst-case regret over the scenarios (≥ 0).
    """

    index: int
    text: str
    utility: float
    p_good: float
    p_good_interval: tuple[float, float]
    expected_regret: float
    max_regret: float


@dataclass
class RegretResult(Result):
    """What the regret plugin says about one text.

    Attributes:
        anticipated: anticipated regret ∈ [0, 1].
        regret_type: the most probable type (``schema.REGRET_TYPES``).
        type_probs: probability of every regret type, by name.
        uncertainty: epistemic uncertainty, the ensemble's spread (std of 5 members) ≥ 0.
        trajectory: regret expected after each horizon, by days since the decision.
        options: per-option results (empty when the text has no decision).
        scenario_probs: probability of the optimistic / neutral / pessimistic scenario.
        recommended: index of the recommended option, ``None`` without a decision.
        reason: the recommendation (or why there is none) in words.
    """

    anticipated: float
    regret_type: str
    type_probs: dict[str, float]
    uncertainty: float
    trajectory: dict[str, float]
    scenario_probs: dict[str, float]
    options: list[OptionRegret] = field(default_factory=list)
    recommended: int | None = None
    reason: str = ""

    def summary(self) -> str:
        """One line for people: anticipated regret, its type, uncertainty, the advice."""
        line = (f"anticipated regret {self.anticipated:.2f} ({self.regret_type}, "
                f"p={self.type_probs[self.regret_type]:.2f}); uncertainty {self.uncertainty:.2f}")
        if self.recommended is not None:
            best = self.options[self.recommended]
            line += f"; recommended: {best.text!r} — {self.reason}"
        return line
