"""Deterministic train/validation split by record id, and the pre-training label report.

The split hashes each id (SHA-256), so a record's side never depends on file order, on which
other records exist, or on the machine. The label report counts every task's labels and stops
training on a degenerate one (one class only, a constant target), which is how the original
system trained for days on labels that had collapsed to a single value.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from redheart import schema
from redheart.data import Record


class LabelError(ValueError):
    """A task's labels cannot train anything (degenerate); names the task and the fix."""


def is_validation(record_id: str, fraction: float, salt: str = "redheart-split-v1") -> bool:
    """True when ``record_id`` falls in the validation share ``fraction`` of the id-hash space."""
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"validation fraction must be in (0, 1), got {fraction}")
    digest = hashlib.sha256(f"{salt}:{record_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def split_records(records: Sequence[Record], fraction: float = 0.2
                  ) -> tuple[list[Record], list[Record]]:
    """(train, validation) by id hash; raises if either side is empty."""
    train = [r for r in records if not is_validation(r.id, fraction)]
    val = [r for r in records if is_validation(r.id, fraction)]
    if not train or not val:
        raise ValueError(f"split of {len(records)} records at fraction {fraction} left an empty "
                         f"side; give more records or explicit --val files")
    return train, val


@dataclass
class TaskReport:
    """Label statistics of one task: how many records have it and how it is distributed."""

    name: str
    labelled: int
    total: int
    kind: str  # "class" | "continuous"
    histogram: dict[str, int] = field(default_factory=dict)
    mean: float | None = None
    std: float | None = None
    schema_field: str = ""  # the schema field (schema.FIELDS) the task belongs to

    @property
    def missing_rate(self) -> float:
        return 1.0 - self.labelled / self.total if self.total else 1.0


def _continuous(name: str, values: list[float], total: int, low: float, high: float) -> TaskReport:
    arr = np.asarray(values, dtype=float)
    edges = np.linspace(low, high, 6)
    counts, _ = np.histogram(arr, bins=edges) if len(arr) else (np.zeros(5, int), edges)
    hist = {f"[{a:+.1f},{b:+.1f}]": int(c) for a, b, c in zip(edges[:-1], edges[1:], counts)}
    return TaskReport(name, len(arr), total, "continuous", hist,
                      float(arr.mean()) if len(arr) else None, float(arr.std()) if len(arr) else None)


def label_report(records: Sequence[Record]) -> list[TaskReport]:
    """One :class:`TaskReport` per task and per vector component."""
    n = len(records)
    reports: list[TaskReport] = []
    dominant = [schema.EMOTIONS[int(np.argmax([r.emotion[e] for e in schema.EMOTIONS]))]
                for r in records if r.emotion is not None]
    reports.append(TaskReport("emotion (dominant)", len(dominant), n, "class",
                              dict(Counter(dominant).most_common())))
    for e in schema.EMOTIONS:
        reports.append(_continuous(f"emotion.{e}", [r.emotion[e] for r in records if r.emotion],
                                   n, 0, 1))
    reports.append(TaskReport("intensity", sum(r.intensity is not None for r in records), n, "class",
                              dict(sorted(Counter(str(r.intensity) for r in records
                                                  if r.intensity is not None).items()))))
    for name in ("valence", "arousal", "hedonic"):
        f = schema.FIELDS[name]
        reports.append(_continuous(name, [getattr(r, name) for r in records
                                          if getattr(r, name) is not None], n, f.low, f.high))
    for name in ("cultural", "bentham", "ethics", "legal_risk"):
        f = schema.FIELDS[name]
        for key in f.names:
            vals = [getattr(r, name)[key] for r in records
                    if getattr(r, name) is not None and key in getattr(r, name)]
            reports.append(_continuous(f"{name}.{key}", vals, n, f.low, f.high))
    reports.append(_continuous("regret.anticipated", [r.regret_anticipated for r in records
                                                      if r.regret_anticipated is not None], n, 0, 1))
    reports.append(TaskReport("regret.type", sum(r.regret_type is not None for r in records), n,
                              "class", dict(Counter(r.regret_type for r in records
                                                    if r.regret_type is not None).most_common())))
    utilities = [u for r in records if r.decision and r.decision.utilities for u in r.decision.utilities]
    reports.append(_continuous("decision.utilities", utilities, n, -1, 1))
    reports[-1].labelled = sum(1 for r in records if r.decision and r.decision.utilities)
    p_good = [p for r in records if r.decision and r.decision.p_good for p in r.decision.p_good]
    reports.append(_continuous("decision.p_good", p_good, n, 0, 1))
    reports[-1].labelled = sum(1 for r in records if r.decision and r.decision.p_good)
    for r in reports:
        r.schema_field = r.name.split(" ")[0].split(".")[0]
    return reports


def check_degenerate(reports: Sequence[TaskReport], fields: Collection[str] | None = None,
                     min_std: float = 1e-6) -> None:
    """Raise :class:`LabelError` for a labelled task with one class only or a constant target.

    Only tasks of ``fields`` (schema fields the trained plugins predict) are checked; ``None``
    checks all.
    """
    problems = []
    for r in reports:
        if r.labelled == 0 or (fields is not None and r.schema_field not in fields):
            continue
        if r.kind == "class" and len(r.histogram) < 2:
            problems.append(f"{r.name}: every labelled record has the same class "
                            f"{next(iter(r.histogram), '?')!r} ({r.labelled} records)")
        if r.kind == "continuous" and r.std is not None and r.std < min_std and r.labelled > 1:
            problems.append(f"{r.name}: constant target {r.mean:.4g} over {r.labelled} records")
    if problems:
        raise LabelError("degenerate labels, nothing to learn from:\n  " + "\n  ".join(problems)
                         + "\nfix the data (or drop the field so it is masked) before training")


def format_report(reports: Sequence[TaskReport]) -> str:
    lines = [f"{'task':<28} {'labelled':>8} {'missing':>8}  distribution"]
    for r in reports:
        if r.kind == "class":
            dist = ", ".join(f"{k}:{v}" for k, v in r.histogram.items())
        else:
            m = "-" if r.mean is None or math.isnan(r.mean) else f"{r.mean:+.3f}±{r.std:.3f}"
            dist = f"mean {m}  hist " + " ".join(str(v) for v in r.histogram.values())
        lines.append(f"{r.name:<28} {r.labelled:>8} {r.missing_rate:>8.1%}  {dist}")
    return "\n".join(lines)
