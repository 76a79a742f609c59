"""Deterministic regret theory, usable without any model (SPEC §6, regret).

* :mod:`.matrix` — regret per option and state, expected and minimax regret, anticipated vs
  experienced regret.
* :mod:`.temporal` — action regret fades, inaction regret grows (Gilovich & Medvec 1995).
* :mod:`.tree` — decision trees with chance nodes, backward induction.
* :mod:`.bayes` — Beta–Bernoulli updating of each option's probability of a good outcome.

Only numpy and scipy are needed; nothing here imports torch.
"""

from redheart_regret.theory.bayes import BetaBelief, thompson_choice, update_options
from redheart_regret.theory.matrix import (
    RegretAnalysis,
    RegretComparison,
    analyze,
    anticipated_regret,
    compare_regret,
    expected_regret,
    expected_utility,
    experienced_regret,
    max_regret,
    minimax_regret_choice,
    regret_matrix,
)
from redheart_regret.theory.temporal import (
    HORIZONS_DAYS,
    TemporalParams,
    action_regret,
    crossing_time,
    inaction_regret,
    mixed_trajectory,
)
from redheart_regret.theory.tree import (
    Chance,
    Choice,
    Outcome,
    Solution,
    from_payoffs,
    solve,
)

__all__ = [
    "HORIZONS_DAYS",
    "BetaBelief",
    "Chance",
    "Choice",
    "Outcome",
    "RegretAnalysis",
    "RegretComparison",
    "Solution",
    "TemporalParams",
    "action_regret",
    "analyze",
    "anticipated_regret",
    "compare_regret",
    "crossing_time",
    "expected_regret",
    "expected_utility",
    "experienced_regret",
    "from_payoffs",
    "inaction_regret",
    "max_regret",
    "minimax_regret_choice",
    "mixed_trajectory",
    "regret_matrix",
    "solve",
    "thompson_choice",
    "update_options",
]
