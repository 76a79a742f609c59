"""Run the hedonic calculus on the original system's decision logs and compare with outcomes.

The logs (read with :mod:`redheart.decision_logs`) give, per option, only the number of people
affected and the duration of the effect; the Bentham factors were logged once per decision (for
the chosen option, the 7 classical ones). Each option is therefore scored with the decision's
logged factors, extent from its own ``affected_count`` and duration from its own
``duration_seconds`` (the calculus' transforms), the three extra factors at 0 and a positive
effect (the logs carry no per-option sign). Its ranking is compared with the realised hedonic
outcome of every option.

Agreement measures (over all logs):

* pairwise: over option pairs whose outcomes differ, the share ordered like the outcomes
  (a tie in calculus scores counts ½, the chance level of a coin flip);
* top-1: the share of logs where the calculus' best option has the best outcome (ties in the
  best outcome all count as best).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from redheart.decision_logs import DecisionLog, load_decision_logs
from redheart_bentham.calculus import (
    Context,
    Factors,
    HedonicCalculator,
    OptionInput,
    compare_options,
)


@dataclass(frozen=True)
class LogRow:
    id: str
    title: str
    scores: tuple[float, ...]
    outcomes: tuple[float, ...]
    best: int


@dataclass(frozen=True)
class DecisionLogReport:
    n_logs: int
    n_pairs: int
    pairwise_agreement: float
    top1_agreement: float
    original_choice_top1: float  # how often the original system chose a best-outcome option
    rows: tuple[LogRow, ...]


def _options(log: DecisionLog) -> list[OptionInput]:
    classical = {k: log.factors[k] for k in ("intensity", "certainty", "propinquity",
                                             "fecundity", "purity")}
    # Replaced per option by the transforms of affected_count and duration_seconds (the logged
    # values were the original system's raw numbers, e.g. extent 2.0, outside [0, 1]).
    classical.update(duration=0.0, extent=0.0)
    factors = Factors.from_mapping(classical)
    return [OptionInput(o.id, factors, Context(affected_count=o.affected_count,
                                               duration_seconds=o.duration_seconds, effect=1.0))
            for o in log.options]


def evaluate_decision_logs(folder: str | Path,
                           calculator: HedonicCalculator | None = None) -> DecisionLogReport:
    """Score every logged decision's options and measure agreement with realised outcomes."""
    logs = load_decision_logs(folder)
    rows: list[LogRow] = []
    agree = pairs = 0.0
    top1 = chosen_top1 = 0
    for log in logs:
        ranking = compare_options(_options(log), calculator)
        outcomes = tuple(log.outcome_vector())
        rows.append(LogRow(log.id, log.title, ranking.scores, outcomes, ranking.best))
        best_outcome = max(outcomes)
        top1 += outcomes[ranking.best] == best_outcome
        chosen_top1 += outcomes[log.chosen_index] == best_outcome
        for i in range(len(outcomes)):
            for j in range(i + 1, len(outcomes)):
                if outcomes[i] == outcomes[j]:
                    continue
                pairs += 1
                ds, do = ranking.scores[i] - ranking.scores[j], outcomes[i] - outcomes[j]
                agree += 0.5 if abs(ds) < 1e-12 else float((ds > 0) == (do > 0))
    return DecisionLogReport(len(logs), int(pairs), agree / max(pairs, 1), top1 / len(logs),
                             chosen_top1 / len(logs), tuple(rows))
