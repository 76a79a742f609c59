"""Deterministic emotion formulas (SPEC §6, emotion): no model, numpy only.

The hierarchy projections and the valence/arousal map are core's (``redheart.schema``); this
module re-exports them under task names and adds what reports need: the dominant emotion, the
intensity grade, grade marginals and top-k. Shapes: a basic distribution is (..., 8) in
``schema.EMOTIONS`` order, a graded one (..., 24) emotion-major / grade-minor, a grade
distribution (..., 3) for grades 1, 2, 3.

Conventions:

* polarity = exact marginal of the basic distribution over each emotion's pole
  (``schema.EMOTION_POLARITY``; surprise is the neutral pole).
* graded[3 e + g - 1] = p(e) · p(g | e); summing a block of three gives p(e) back, summing over
  emotions gives the grade marginal p(g) = Σ_e p(e) p(g | e), which is the reported intensity
  distribution.
* valence = p · EMOTION_VALENCE ∈ [-1, 1], arousal = p · EMOTION_AROUSAL ∈ [0, 1].
* the intensity grade is argmax_g p(g) + 1 ∈ {1, 2, 3}.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from redheart import schema

N_EMOTIONS = len(schema.EMOTIONS)
N_GRADES = len(schema.INTENSITY_GRADES)
N_GRADED = len(schema.GRADED_EMOTIONS)

project_polarity = schema.project_polarity
project_graded = schema.project_graded
valence_arousal = schema.valence_arousal


def _finite(values: np.ndarray, what: str, last: int) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    if a.ndim == 0 or a.shape[-1] != last:
        raise ValueError(f"{what} must end in {last} values, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{what} contains NaN or infinite values")
    return a


def basic_from_graded(graded: np.ndarray) -> np.ndarray:
    """Basic distribution (..., 8) from a graded one (..., 24): the sum of each emotion's 3 grades."""
    g = _finite(graded, "graded distribution", N_GRADED)
    return g.reshape(g.shape[:-1] + (N_EMOTIONS, N_GRADES)).sum(-1)


def grade_marginal(graded: np.ndarray) -> np.ndarray:
    """Grade distribution (..., 3) from a graded one (..., 24): p(g) = Σ_e p(e, g)."""
    g = _finite(graded, "graded distribution", N_GRADED)
    return g.reshape(g.shape[:-1] + (N_EMOTIONS, N_GRADES)).sum(-2)


def intensity_grade(grade_probs: np.ndarray) -> np.ndarray | int:
    """The intensity grade in {1, 2, 3}: argmax of a grade distribution (..., 3), plus one."""
    g = _finite(grade_probs, "grade distribution", N_GRADES)
    out = np.argmax(g, axis=-1) + 1
    return int(out) if out.ndim == 0 else out


def dominant(distribution: np.ndarray | Mapping[str, float]) -> tuple[str, float]:
    """The most probable basic emotion and its probability (ties: the earlier in EMOTIONS)."""
    d = _as_vector(distribution, schema.EMOTIONS, "emotion distribution")
    if d.ndim != 1:
        raise ValueError(f"dominant() takes one distribution (8,), got shape {d.shape}")
    i = int(np.argmax(d))
    return schema.EMOTIONS[i], float(d[i])


def top_k(
    scores: np.ndarray | Mapping[str, float], k: int, names: Sequence[str] = schema.EMOTIONS
) -> list[tuple[str, float]]:
    """The ``k`` highest (name, score) pairs, highest first; ties keep ``names`` order.

    Args:
        scores: a vector (N,) aligned with ``names`` or a mapping name → score.
        k: how many, 1 ≤ k ≤ N.
    """
    s = _as_vector(scores, tuple(names), "scores")
    if s.ndim != 1:
        raise ValueError(f"top_k() takes one score vector, got shape {s.shape}")
    if not 1 <= k <= len(names):
        raise ValueError(f"k must be in [1, {len(names)}], got {k}")
    order = np.argsort(-s, kind="stable")[:k]
    return [(names[i], float(s[i])) for i in order]


def _as_vector(
    values: np.ndarray | Mapping[str, float], names: tuple[str, ...], what: str
) -> np.ndarray:
    if isinstance(values, Mapping):
        missing = [n for n in names if n not in values]
        if missing:
            raise ValueError(f"{what} lacks {missing}; give a value for each of {names}")
        values = np.array([values[n] for n in names], dtype=float)
    return _finite(values, what, len(names))
