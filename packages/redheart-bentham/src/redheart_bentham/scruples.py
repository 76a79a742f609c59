"""Scruples "dilemmas" evaluation: which of two real actions do people find less ethical?

Data (Lourie, Le Bras & Choi 2020): one JSON object per line with ``actions`` (2 objects with a
``description``), ``gold_annotations`` ``[n0, n1]`` (annotators choosing each action as LESS
ethical), ``gold_label`` (the majority), optional ``controversial`` and
``human_perf_annotations`` / ``human_perf_label`` (an independent set of annotators).

Method: a scorer maps texts to acceptability scores (higher = more acceptable); the action with
the lower score is predicted less ethical (a tie predicts action 0). The default scorer runs
``redheart.pipeline("bentham", ...)`` and takes the mean of the 4 framework outputs
(``BenthamResult.acceptability``). Reported:

* accuracy against ``gold_label``, overall and on non-controversial dilemmas
  (``controversial`` false; when the field is absent, dilemmas with a ≥ 80 % annotator majority);
* Bradley–Terry cross-entropy: ``p0 = P(action 0 is less ethical) = σ((s1 − s0) / T)`` against
  the annotator shares ``q0 = n0 / (n0 + n1)``, ``CE = −q0 ln p0 − (1 − q0) ln(1 − p0)``
  (mean over dilemmas, nats). ``T`` is fit on the evaluated data by a 1-D search minimising the
  CE (``fit_temperature``; an optimistic, in-sample choice with one free parameter) unless fixed;
  T > 0, so a scorer anti-correlated with the annotators ends at the grid's top (10^4, CE ≈ ln 2);
* baselines: always action 0 (accuracy), the uninformed ``p0 = ½`` (CE = ln 2), the annotator
  entropy (the CE lower bound: a model that knows each dilemma's shares exactly), and the
  independent annotators' majority (``human_perf_label``) as the accuracy upper bound.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from redheart.data import JSONLineError, json_lines

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

Scorer = Callable[[Sequence[str]], np.ndarray]
_MAJORITY_FOR_CLEAR = 0.8


class ScruplesError(ValueError):
    """A malformed dilemmas file or a scorer that returned the wrong thing."""


@dataclass(frozen=True)
class Dilemma:
    id: str
    actions: tuple[str, str]
    annotations: tuple[int, int]  # annotators choosing each action as LESS ethical
    gold_label: int
    controversial: bool
    human_label: int | None = None


def _parse(obj: Any, where: str) -> Dilemma:
    try:
        actions = obj["actions"]
        texts = tuple(str(a["description"]) for a in actions)
        ann = tuple(int(n) for n in obj["gold_annotations"])
        gold = int(obj["gold_label"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ScruplesError(f"{where}: not a Scruples dilemma ({type(exc).__name__}: {exc}); "
                            f"expected actions[2].description, gold_annotations, gold_label") from exc
    if len(texts) != 2 or len(ann) != 2:
        raise ScruplesError(f"{where}: a dilemma needs exactly 2 actions and 2 annotation counts")
    if not all(t.strip() for t in texts):
        raise ScruplesError(f"{where}: an action description is empty")
    if min(ann) < 0 or sum(ann) == 0:
        raise ScruplesError(f"{where}: gold_annotations must be non-negative with a positive sum")
    if gold not in (0, 1):
        raise ScruplesError(f"{where}: gold_label must be 0 or 1, got {gold}")
    controversial = obj.get("controversial")
    if controversial is None:
        controversial = max(ann) / sum(ann) < _MAJORITY_FOR_CLEAR
    human = obj.get("human_perf_label")
    return Dilemma(str(obj.get("id", where)), texts, ann, gold,  # type: ignore[arg-type]
                   bool(controversial), None if human is None else int(human))


def load_dilemmas(path: str | Path, limit: int | None = None) -> list[Dilemma]:
    """Read a dilemmas JSONL file (the first ``limit`` dilemmas when given)."""
    path = Path(path)
    if limit is not None and limit <= 0:
        raise ScruplesError(f"limit must be positive, got {limit}")
    if not path.is_file():
        raise ScruplesError(f"{path}: no such file; give the path of a "
                            f"*.scruples-dilemmas.jsonl file")
    out: list[Dilemma] = []
    with path.open(encoding="utf-8") as handle:
        try:
            for lineno, obj in json_lines(handle):
                out.append(_parse(obj, f"{path}:{lineno}"))
                if limit is not None and len(out) >= limit:
                    break
        except JSONLineError as exc:
            raise ScruplesError(f"{path}:{exc.line}: invalid JSON ({exc.msg})") from exc
    if not out:
        raise ScruplesError(f"{path}: no dilemmas found")
    return out


def _xlogx(x: np.ndarray) -> np.ndarray:
    """x ln x with 0 ln 0 = 0."""
    return np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0)


def bt_cross_entropy(scores: np.ndarray, shares0: np.ndarray, temperature: float) -> float:
    """Mean CE of ``p0 = σ((s1 − s0)/T)`` against the shares ``q0``; scores (N, 2)."""
    if not temperature > 0:
        raise ScruplesError(f"temperature must be > 0, got {temperature}")
    z = (scores[:, 1] - scores[:, 0]) / temperature
    # ln σ(z) = −softplus(−z): stable for large |z|
    log_p0 = -np.logaddexp(0.0, -z)
    log_p1 = -np.logaddexp(0.0, z)
    return float(np.mean(-(shares0 * log_p0 + (1.0 - shares0) * log_p1)))


def fit_temperature(scores: np.ndarray, shares0: np.ndarray) -> float:
    """The T minimising :func:`bt_cross_entropy`: a log-grid over 10^-4..10^4 then a
    golden-section refinement in log T (the CE is smooth and unimodal in practice)."""
    diffs = np.abs(scores[:, 1] - scores[:, 0])
    if not np.any(diffs > 0):
        return 1.0  # every pair tied: p0 = ½ whatever T is
    grid = np.logspace(-4, 4, 81)
    losses = [bt_cross_entropy(scores, shares0, t) for t in grid]
    i = int(np.argmin(losses))
    lo, hi = math.log(grid[max(i - 1, 0)]), math.log(grid[min(i + 1, len(grid) - 1)])
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        if bt_cross_entropy(scores, shares0, math.exp(a)) < bt_cross_entropy(scores, shares0,
                                                                             math.exp(b)):
            hi = b
        else:
            lo = a
    return math.exp((lo + hi) / 2)


@dataclass(frozen=True)
class ScruplesReport:
    """Results of one evaluation (see the module docstring for each number)."""

    n: int
    n_non_controversial: int
    accuracy: float
    accuracy_non_controversial: float | None
    temperature: float
    temperature_fitted: bool
    cross_entropy: float
    baseline_action0_accuracy: float
    baseline_uniform_cross_entropy: float
    annotator_entropy: float
    human_accuracy: float | None
    human_accuracy_non_controversial: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def format_table(self) -> str:
        def fmt(x: float | None) -> str:
            return "-" if x is None else f"{x:.4f}"

        rows = [
            ("metric", "model", "always action 0", "annotators (upper bound)"),
            ("accuracy", fmt(self.accuracy), fmt(self.baseline_action0_accuracy),
             fmt(self.human_accuracy)),
            (f"accuracy, non-controversial (n={self.n_non_controversial})",
             fmt(self.accuracy_non_controversial), "-", fmt(self.human_accuracy_non_controversial)),
            (f"BT cross-entropy (T={self.temperature:.4g}{', fit' if self.temperature_fitted else ''})",
             fmt(self.cross_entropy), f"{self.baseline_uniform_cross_entropy:.4f} (p=½)",
             f"{self.annotator_entropy:.4f} (entropy)"),
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
        return f"Scruples dilemmas: n={self.n}\n" + "\n".join(lines)


def evaluate(dilemmas: Sequence[Dilemma], scorer: Scorer,
             temperature: float | None = None) -> ScruplesReport:
    """Score both actions of every dilemma with ``scorer`` and compute the report."""
    if not dilemmas:
        raise ScruplesError("no dilemmas to evaluate")
    texts = [t for d in dilemmas for t in d.actions]
    raw = np.asarray(scorer(texts), dtype=float)
    if raw.shape != (len(texts),):
        raise ScruplesError(f"scorer must return one score per text, shape ({len(texts)},); "
                            f"got {raw.shape}")
    if not np.all(np.isfinite(raw)):
        raise ScruplesError("scorer returned NaN or infinite scores")
    scores = raw.reshape(-1, 2)
    gold = np.array([d.gold_label for d in dilemmas])
    ann = np.array([d.annotations for d in dilemmas], dtype=float)
    shares0 = ann[:, 0] / ann.sum(1)
    clear = np.array([not d.controversial for d in dilemmas])
    predicted = (scores[:, 1] < scores[:, 0]).astype(int)  # lower score = less ethical
    correct = predicted == gold
    fitted = temperature is None
    t = fit_temperature(scores, shares0) if fitted else float(temperature)  # type: ignore[arg-type]
    entropy = -(_xlogx(shares0) + _xlogx(1.0 - shares0))
    human = [d.human_label for d in dilemmas]
    human_acc = human_clear = None
    if all(h is not None for h in human):
        h = np.array(human) == gold
        human_acc = float(h.mean())
        human_clear = float(h[clear].mean()) if clear.any() else None
    return ScruplesReport(
        n=len(dilemmas),
        n_non_controversial=int(clear.sum()),
        accuracy=float(correct.mean()),
        accuracy_non_controversial=float(correct[clear].mean()) if clear.any() else None,
        temperature=t,
        temperature_fitted=fitted,
        cross_entropy=bt_cross_entropy(scores, shares0, t),
        baseline_action0_accuracy=float((gold == 0).mean()),
        baseline_uniform_cross_entropy=math.log(2.0),
        annotator_entropy=float(entropy.mean()),
        human_accuracy=human_acc,
        human_accuracy_non_controversial=human_clear,
    )


def pipeline_scorer(checkpoint: str | None = None, preset: str | None = None,
                    device: str = "cpu", batch_size: int = 32) -> Scorer:
    """The default scorer: ``redheart.pipeline("bentham", ...)``, acceptability = mean of the 4
    ethics outputs of each text (``BenthamResult.acceptability``)."""
    import redheart

    pipe = redheart.pipeline("bentham", checkpoint=checkpoint, preset=preset, device=device)

    def score(texts: Sequence[str]) -> np.ndarray:
        out: list[float] = []
        for start in range(0, len(texts), batch_size):
            for report in pipe(list(texts[start:start + batch_size])):
                out.append(float(report.results["bentham"].acceptability))
        return np.asarray(out)

    return score
