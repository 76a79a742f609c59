"""Reader for the original system's decision logs (one JSON file per decided scenario).

The logs record a situation with 2–4 options (each with the number of people affected and the
duration of its effect), the option chosen, the hedonic value predicted for it and, once known,
the hedonic outcome of every option. They are useful test material for the Bentham calculus and
for experienced regret; this module turns one file into a typed :class:`DecisionLog`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class DecisionLogError(ValueError):
    """A decision-log file is missing a field or has an inconsistent one."""


@dataclass(frozen=True)
class LoggedOption:
    id: str
    text: str
    affected_count: int
    duration_seconds: float


@dataclass(frozen=True)
class DecisionLog:
    """One logged decision.

    Attributes:
        factors: the Bentham factors the original system computed for the chosen option
            (``intensity``, ``duration``, ... as logged; the original used only the first 7).
        predicted_hedonic: hedonic value predicted for the chosen option before the outcome.
        outcomes: realised hedonic value of every option, by option id (in [-1, 1]).
        logged_regret: regret intensity the original system recorded (for comparison only).
    """

    id: str
    title: str
    description: str
    options: tuple[LoggedOption, ...]
    chosen: str
    factors: dict[str, float]
    predicted_hedonic: float
    actual_hedonic: float
    outcomes: dict[str, float]
    logged_regret: float

    @property
    def chosen_index(self) -> int:
        return [o.id for o in self.options].index(self.chosen)

    def outcome_vector(self) -> list[float]:
        """Realised hedonic value per option, in option order."""
        return [self.outcomes[o.id] for o in self.options]


def _get(obj: dict[str, Any], *keys: str, source: str) -> Any:
    cur: Any = obj
    for k in keys:
        if not isinstance(cur, dict) or k not in cur:
            raise DecisionLogError(f"{source}: missing field {'.'.join(keys)}")
        cur = cur[k]
    return cur


def _outcome_hedonic(outcome: Any, option: str, source: str) -> float:
    # Two generations of the logger wrote this field as "hedonic" and as "hedonic_value".
    for key in ("hedonic", "hedonic_value"):
        if isinstance(outcome, dict) and key in outcome:
            return float(outcome[key])
    raise DecisionLogError(f"{source}: outcome of option {option!r} has no hedonic value")


def load_decision_log(path: str | Path) -> DecisionLog:
    """Parse one decision-log JSON file."""
    path = Path(path)
    src = str(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DecisionLogError(f"{src}: cannot read JSON ({exc})") from exc
    options = tuple(
        LoggedOption(str(o["id"]), str(o["text"]), int(o["affected_count"]),
                     float(o["duration_seconds"]))
        for o in _get(raw, "situation", "options", source=src)
    )
    ids = [o.id for o in options]
    chosen = str(_get(raw, "decision", "choice", source=src))
    if chosen not in ids:
        raise DecisionLogError(f"{src}: chosen option {chosen!r} is not among {ids}")
    per_option = _get(raw, "actual_outcome", "option_outcomes", source=src)
    if set(per_option) != set(ids):
        raise DecisionLogError(f"{src}: outcomes cover {sorted(per_option)}, options are {ids}")
    factors = dict(_get(raw, "hedonic_values", source=src))
    factors.pop("hedonic_total", None)
    return DecisionLog(
        id=str(raw.get("id", path.stem)),
        title=str(_get(raw, "situation", "title", source=src)),
        description=str(_get(raw, "situation", "description", source=src)),
        options=options,
        chosen=chosen,
        factors={k: float(v) for k, v in factors.items()},
        predicted_hedonic=float(_get(raw, "decision", "predicted_outcome", "hedonic_value", source=src)),
        actual_hedonic=float(_get(raw, "actual_outcome", "hedonic_value", source=src)),
        outcomes={k: _outcome_hedonic(v, k, src) for k, v in per_option.items()},
        logged_regret=float(_get(raw, "regret_data", "intensity", source=src)),
    )


def load_decision_logs(folder: str | Path) -> list[DecisionLog]:
    """Every ``*.json`` log in ``folder``, sorted by file name."""
    files = sorted(Path(folder).glob("*.json"))
    if not files:
        raise DecisionLogError(f"{folder}: no *.json decision logs found")
    return [load_decision_log(f) for f in files]
