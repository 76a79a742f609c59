"""Typed results of the emotion plugin: one text (:class:`EmotionResult`) and a sequence of texts
over time (:class:`EmotionTrajectory`). numpy only; plotting imports matplotlib lazily.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from redheart import schema
from redheart.results import Result
from redheart_emotion import hierarchy

GRADE_KEYS: tuple[str, ...] = tuple(str(g) for g in schema.INTENSITY_GRADES)
_LEVELS: dict[str, tuple[str, ...]] = {
    "basic": schema.EMOTIONS, "polarity": schema.POLARITIES,
    "graded": schema.GRADED_EMOTIONS, "cultural": schema.CULTURAL,
}


def _named(values: Sequence[float], names: Sequence[str]) -> dict[str, float]:
    v = np.asarray(values, dtype=float)
    if v.shape != (len(names),):
        raise ValueError(f"expected {len(names)} values for {tuple(names)}, got shape {v.shape}")
    return {n: float(x) for n, x in zip(names, v)}


@dataclasses.dataclass
class EmotionResult(Result):
    """What the emotion plugin says about one text. Every schema name is always present.

    Attributes:
        emotions: the 8 basic emotions (sums to 1).
        polarity: positive / negative / neutral (sums to 1; exact marginal of ``emotions``).
        graded: the 24 graded emotions (sums to 1; each emotion's 3 grades sum to its
            probability).
        intensity_probs: grade "1" / "2" / "3" (the grade marginal of ``graded``).
        cultural: jeong, han, chemyeon, each in [0, 1] (independent, not a distribution).
        dominant: the most probable basic emotion; ``dominant_graded`` its graded name at
            ``intensity``.
        intensity: argmax grade in {1, 2, 3}.
        valence: in [-1, 1]; arousal: in [0, 1].
        has_biosignal: whether a biosignal was fused for this text.
        sequence_id, timestamp: the item's extras, when given.
    """

    emotions: dict[str, float]
    polarity: dict[str, float]
    graded: dict[str, float]
    intensity_probs: dict[str, float]
    cultural: dict[str, float]
    dominant: str
    dominant_graded: str
    intensity: int
    valence: float
    arousal: float
    has_biosignal: bool = False
    sequence_id: str | int | None = None
    timestamp: float | None = None

    @classmethod
    def from_arrays(
        cls, emotion_probs: Sequence[float], polarity_probs: Sequence[float],
        graded_probs: Sequence[float], intensity_probs: Sequence[float],
        cultural: Sequence[float], valence: float, arousal: float, **extra: Any,
    ) -> EmotionResult:
        """Build from schema-ordered vectors (8, 3, 24, 3, 3 values) and two scalars."""
        emotions = _named(emotion_probs, schema.EMOTIONS)
        grades = _named(intensity_probs, GRADE_KEYS)
        name, _ = hierarchy.dominant(emotions)
        grade = int(hierarchy.intensity_grade(np.array(list(grades.values()))))
        for what, x, lo in (("valence", valence, -1.0), ("arousal", arousal, 0.0)):
            if not lo <= float(x) <= 1.0:
                raise ValueError(f"{what} {float(x)} is outside [{lo}, 1]")
        return cls(
            emotions=emotions,
            polarity=_named(polarity_probs, schema.POLARITIES),
            graded=_named(graded_probs, schema.GRADED_EMOTIONS),
            intensity_probs=grades,
            cultural=_named(cultural, schema.CULTURAL),
            dominant=name,
            dominant_graded=schema.GRADES[name][grade - 1],
            intensity=grade,
            valence=float(valence),
            arousal=float(arousal),
            **extra,
        )

    def summary(self) -> str:
        """One line for people: top emotions, polarity, intensity, valence/arousal."""
        top = ", ".join(f"{name} {p:.2f}" for name, p in self.top(3))
        pole = max(self.polarity, key=self.polarity.get)
        return (f"{top} ({pole} {self.polarity[pole]:.2f}); {self.dominant_graded} "
                f"(intensity {self.intensity}); valence {self.valence:+.2f}, "
                f"arousal {self.arousal:.2f}")

    def top(self, k: int = 3, level: str = "basic") -> list[tuple[str, float]]:
        """The ``k`` most probable names at ``level`` ("basic", "polarity", "graded", "cultural")."""
        if level not in _LEVELS:
            raise ValueError(f"unknown level {level!r}; choose one of {sorted(_LEVELS)}")
        scores = {"basic": self.emotions, "polarity": self.polarity, "graded": self.graded,
                  "cultural": self.cultural}[level]
        return hierarchy.top_k(scores, k, _LEVELS[level])


Smoother = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclasses.dataclass
class EmotionTrajectory(Result):
    """The emotions of a sequence of texts over time, raw and Kalman-smoothed.

    Attributes:
        timestamps: seconds, ascending.
        raw: per step, the 8 basic emotions as predicted.
        smoothed: per step, the 8 basic emotions after Kalman RTS smoothing (renormalised).
        dominant_raw, dominant_smoothed: the dominant emotion per step.
        valence_raw, valence_smoothed, arousal_raw, arousal_smoothed: per step; smoothed ones
            are ``schema.valence_arousal`` of the smoothed distribution.
        sequence_id: the sequence's id when the results carried one.
    """

    timestamps: list[float]
    raw: list[dict[str, float]]
    smoothed: list[dict[str, float]]
    dominant_raw: list[str]
    dominant_smoothed: list[str]
    valence_raw: list[float]
    valence_smoothed: list[float]
    arousal_raw: list[float]
    arousal_smoothed: list[float]
    sequence_id: str | int | None = None

    @classmethod
    def from_results(
        cls, results: Sequence[EmotionResult], timestamps: Sequence[float] | None = None,
        smoother: Smoother | None = None,
    ) -> EmotionTrajectory:
        """Order ``results`` by time and smooth their emotion distributions.

        Args:
            results: one :class:`EmotionResult` per text of the sequence (≥ 2).
            timestamps: seconds per result; defaults to each result's ``timestamp``.
            smoother: ``(probs (N, 8), timestamps (N,)) -> (N, 8)``; defaults to
                :func:`redheart_emotion.smoothing.kalman_smooth` (needs redheart-signal).
        """
        if len(results) < 2:
            raise ValueError(f"a trajectory needs at least 2 results, got {len(results)}")
        if timestamps is None:
            missing = [i for i, r in enumerate(results) if r.timestamp is None]
            if missing:
                raise ValueError(f"results {missing} have no timestamp; pass timestamps=[...] "
                                 f"or give each TextInput extras={{'timestamp': seconds}}")
            timestamps = [float(r.timestamp) for r in results]  # type: ignore[arg-type]
        ts = np.asarray(timestamps, dtype=float)
        if ts.shape != (len(results),) or not np.all(np.isfinite(ts)):
            raise ValueError(f"timestamps must be {len(results)} finite numbers, got {timestamps}")
        ids = {r.sequence_id for r in results}
        if len(ids) > 1:
            raise ValueError(f"results come from different sequences {sorted(map(str, ids))}; "
                             f"build one trajectory per sequence_id")
        order = np.argsort(ts, kind="stable")
        ts = ts[order]
        raw = np.array([[results[i].emotions[e] for e in schema.EMOTIONS] for i in order])
        if smoother is None:
            from redheart_emotion.smoothing import kalman_smooth

            smoother = kalman_smooth
        smooth = np.asarray(smoother(raw, ts), dtype=float)
        if smooth.shape != raw.shape:
            raise ValueError(f"smoother returned shape {smooth.shape}, expected {raw.shape}")
        return cls.from_arrays(raw, smooth, ts, next(iter(ids)))

    @classmethod
    def from_arrays(cls, raw: np.ndarray, smoothed: np.ndarray, timestamps: Sequence[float],
                    sequence_id: str | int | None = None) -> EmotionTrajectory:
        """Build from time-ordered raw and smoothed distributions (N, 8) and timestamps (N,)."""
        raw, smoothed = np.asarray(raw, dtype=float), np.asarray(smoothed, dtype=float)
        ts = np.asarray(timestamps, dtype=float)
        if raw.shape != smoothed.shape or raw.shape != (len(ts), len(schema.EMOTIONS)):
            raise ValueError(f"raw {raw.shape} and smoothed {smoothed.shape} must both be "
                             f"({len(ts)}, 8), one row per timestamp")
        if np.any(np.diff(ts) < 0):
            raise ValueError("timestamps must be in ascending order")
        va_raw, va_smooth = hierarchy.valence_arousal(raw), hierarchy.valence_arousal(smoothed)
        return cls(
            timestamps=ts.tolist(),
            raw=[_named(row, schema.EMOTIONS) for row in raw],
            smoothed=[_named(row, schema.EMOTIONS) for row in smoothed],
            dominant_raw=[hierarchy.dominant(row)[0] for row in raw],
            dominant_smoothed=[hierarchy.dominant(row)[0] for row in smoothed],
            valence_raw=va_raw[:, 0].tolist(), valence_smoothed=va_smooth[:, 0].tolist(),
            arousal_raw=va_raw[:, 1].tolist(), arousal_smoothed=va_smooth[:, 1].tolist(),
            sequence_id=sequence_id,
        )

    def array(self, which: str = "smoothed") -> np.ndarray:
        """(N, 8) probabilities, ``which`` = "raw" or "smoothed"."""
        if which not in ("raw", "smoothed"):
            raise ValueError(f"which must be 'raw' or 'smoothed', got {which!r}")
        rows: list[Mapping[str, float]] = getattr(self, which)
        return np.array([[r[e] for e in schema.EMOTIONS] for r in rows])

    def plot(self, ax: Any = None, emotions: Sequence[str] | None = None) -> Any:
        """Plot raw (dotted) and smoothed (solid) probabilities over time; returns the Axes.

        Needs matplotlib: ``pip install "redheart-emotion[plot]"``.
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as exc:
            raise ImportError(
                'EmotionTrajectory.plot needs matplotlib: pip install "redheart-emotion[plot]"'
            ) from exc
        names = list(emotions) if emotions is not None else list(schema.EMOTIONS)
        unknown = [n for n in names if n not in schema.EMOTIONS]
        if unknown:
            raise ValueError(f"unknown emotions {unknown}; choose from {schema.EMOTIONS}")
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4))
        raw, smooth = self.array("raw"), self.array("smoothed")
        for name in names:
            j = schema.EMOTIONS.index(name)
            (line,) = ax.plot(self.timestamps, smooth[:, j], label=name)
            ax.plot(self.timestamps, raw[:, j], linestyle=":", color=line.get_color())
        ax.set_xlabel("time (s)")
        ax.set_ylabel("probability")
        ax.set_ylim(0.0, 1.0)
        ax.legend(loc="upper right", ncol=2, fontsize="small")
        return ax
