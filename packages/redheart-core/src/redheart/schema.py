"""Canonical label schema v1 (SPEC §4): names, order, ranges and the emotion hierarchy.

This module is the one place where the label vocabulary is defined. It imports only numpy so
that data tools, registries and the math packages can use it without torch.

Order matters: every vector of emotions, factors, frameworks or domains in redheart (model
outputs, targets, checkpoints, reports) follows the tuples below.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SCHEMA_VERSION = 1

EMOTIONS: tuple[str, ...] = (
    "joy", "trust", "fear", "surprise", "sadness", "disgust", "anger", "anticipation",
)
POLARITIES: tuple[str, ...] = ("positive", "negative", "neutral")

# Plutchik's wheel: (mild, basic, intense) for each basic emotion, in EMOTIONS order.
GRADES: dict[str, tuple[str, str, str]] = {
    "joy": ("serenity", "joy", "ecstasy"),
    "trust": ("acceptance", "trust", "admiration"),
    "fear": ("apprehension", "fear", "terror"),
    "surprise": ("distraction", "surprise", "amazement"),
    "sadness": ("pensiveness", "sadness", "grief"),
    "disgust": ("boredom", "disgust", "loathing"),
    "anger": ("annoyance", "anger", "rage"),
    "anticipation": ("interest", "anticipation", "vigilance"),
}
# 24 graded emotions: emotion-major, grade-minor (index = 3 * emotion_index + grade - 1).
GRADED_EMOTIONS: tuple[str, ...] = tuple(
    name for emotion in EMOTIONS for name in GRADES[emotion]
)
INTENSITY_GRADES: tuple[int, ...] = (1, 2, 3)

CULTURAL: tuple[str, ...] = ("jeong", "han", "chemyeon")
BENTHAM_FACTORS: tuple[str, ...] = (
    "intensity", "duration", "certainty", "propinquity", "fecundity", "purity", "extent",
    "external_cost", "redistribution", "self_damage",
)
ETHICS: tuple[str, ...] = ("utilitarian", "deontological", "virtue", "care")
LEGAL_DOMAINS: tuple[str, ...] = ("education", "business", "social", "politics", "life")
REGRET_TYPES: tuple[str, ...] = ("action", "inaction", "timing", "choice", "empathy", "prediction")
LANGUAGES: tuple[str, ...] = ("ko", "en")
MIN_OPTIONS, MAX_OPTIONS = 2, 4

# Legacy 7-emotion labels (the original system) map onto the 8 with anticipation = 0.
LEGACY_EMOTIONS: tuple[str, ...] = ("Joy", "Trust", "Fear", "Surprise", "Sadness", "Disgust", "Anger")

# Which polarity each basic emotion belongs to. Surprise is affectively ambiguous (it can be
# pleasant or not) and Plutchik's wheel gives it no sign, so it is the neutral pole here.
EMOTION_POLARITY: dict[str, str] = {
    "joy": "positive", "trust": "positive", "anticipation": "positive",
    "fear": "negative", "sadness": "negative", "disgust": "negative", "anger": "negative",
    "surprise": "neutral",
}


# Valence and arousal of each basic emotion, so that a distribution p over EMOTIONS maps to
# valence = p @ EMOTION_VALENCE and arousal = p @ EMOTION_AROUSAL (a fixed 2x8 linear map).
# Fitted once on the seed corpus v1 (1,600 records) by bounded least squares
# (scipy.optimize.lsq_linear, valence bounded to [-1, 1], arousal to [0, 1], rounded to 0.01):
# valence r = 0.980 (RMSE 0.129), arousal r = 0.705 (RMSE 0.146). Arousal also depends on the
# intensity of the text, which the distribution alone does not carry; models refine both.
EMOTION_VALENCE: tuple[float, ...] = (1.0, 0.76, -1.0, 0.37, -0.94, -0.66, -0.77, 0.65)
EMOTION_AROUSAL: tuple[float, ...] = (0.61, 0.16, 0.97, 0.69, 0.16, 0.37, 0.87, 0.48)


@dataclass(frozen=True)
class Field:
    """One labelled task of the schema: its names (for vectors) and value range."""

    name: str
    kind: str  # "distribution" | "vector" | "scalar" | "class" | "decision"
    names: tuple[str, ...] = ()
    low: float = 0.0
    high: float = 1.0


FIELDS: dict[str, Field] = {
    "emotion": Field("emotion", "distribution", EMOTIONS, 0.0, 1.0),
    "intensity": Field("intensity", "class", tuple(str(g) for g in INTENSITY_GRADES), 1, 3),
    "valence": Field("valence", "scalar", (), -1.0, 1.0),
    "arousal": Field("arousal", "scalar", (), 0.0, 1.0),
    "cultural": Field("cultural", "vector", CULTURAL, 0.0, 1.0),
    "bentham": Field("bentham", "vector", BENTHAM_FACTORS, 0.0, 1.0),
    "hedonic": Field("hedonic", "scalar", (), -1.0, 1.0),
    "ethics": Field("ethics", "vector", ETHICS, -1.0, 1.0),
    "legal_risk": Field("legal_risk", "vector", LEGAL_DOMAINS, 0.0, 1.0),
    "regret": Field("regret", "vector", ("anticipated", "type"), 0.0, 1.0),
    "decision": Field("decision", "decision", ("options", "chosen", "utilities", "p_good"), -1.0, 1.0),
}
LABEL_FIELDS: tuple[str, ...] = tuple(FIELDS)


# --------------------------------------------------------------------------------------------
# Hierarchy projections (deterministic, no model). Shapes: (..., 8) in, (..., 3) / (..., 24) out.
# --------------------------------------------------------------------------------------------

def polarity_matrix() -> np.ndarray:
    """(8, 3) 0/1 matrix M with M[e, p] = 1 when basic emotion e has polarity p."""
    m = np.zeros((len(EMOTIONS), len(POLARITIES)))
    for i, emotion in enumerate(EMOTIONS):
        m[i, POLARITIES.index(EMOTION_POLARITY[emotion])] = 1.0
    return m


def project_polarity(distribution: np.ndarray) -> np.ndarray:
    """Polarity distribution (..., 3) as the sum of the basic emotions of each pole.

    Because every basic emotion belongs to exactly one pole, a distribution over the 8 maps to a
    distribution over the 3 (marginalisation).
    """
    d = _check_distribution(distribution)
    return d @ polarity_matrix()


def project_graded(distribution: np.ndarray, grade: np.ndarray) -> np.ndarray:
    """Graded distribution (..., 24) from basic probabilities (..., 8) and grade probabilities.

    ``grade`` is either (..., 8, 3): p(grade | emotion) per emotion, or (..., 3): one grade
    distribution shared by all emotions (a text's intensity). The result is
    ``p(emotion) * p(grade | emotion)`` laid out emotion-major, so summing each block of three
    gives back the basic distribution.
    """
    d = _check_distribution(distribution)
    g = np.asarray(grade, dtype=float)
    if g.shape[-1] != 3:
        raise ValueError(f"grade must end in 3 grade probabilities, got shape {g.shape}")
    if g.ndim == d.ndim:  # one grade distribution for every emotion
        g = np.broadcast_to(g[..., None, :], d.shape + (3,))
    if g.shape[:-1] != d.shape:
        raise ValueError(f"grade shape {g.shape} does not match distribution shape {d.shape}")
    return (d[..., None] * g).reshape(d.shape[:-1] + (len(GRADED_EMOTIONS),))


def one_hot_grade(intensity: int) -> np.ndarray:
    """Grade distribution (3,) for an intensity label in {1, 2, 3}."""
    if intensity not in INTENSITY_GRADES:
        raise ValueError(f"intensity must be one of {INTENSITY_GRADES}, got {intensity!r}")
    out = np.zeros(3)
    out[intensity - 1] = 1.0
    return out


def legacy_to_v1(legacy: dict[str, float]) -> dict[str, float]:
    """Map a legacy 7-emotion dict (capitalised names) onto the 8 with anticipation = 0."""
    unknown = set(legacy) - set(LEGACY_EMOTIONS)
    if unknown:
        raise ValueError(f"unknown legacy emotion names {sorted(unknown)}; expected {LEGACY_EMOTIONS}")
    out = {e: float(legacy.get(e.capitalize(), 0.0)) for e in EMOTIONS}
    out["anticipation"] = 0.0
    return out


def _check_distribution(distribution: np.ndarray, atol: float = 1e-4) -> np.ndarray:
    d = np.asarray(distribution, dtype=float)
    if d.shape[-1:] != (len(EMOTIONS),):
        raise ValueError(f"emotion distribution must end in {len(EMOTIONS)} values, got shape {d.shape}")
    if not np.all(np.isfinite(d)):
        raise ValueError("emotion distribution contains NaN or infinite values")
    if np.any(d < -atol):
        raise ValueError("emotion distribution has negative probabilities")
    if not np.allclose(d.sum(-1), 1.0, atol=atol):
        raise ValueError("emotion distribution must sum to 1 along its last axis; normalise it first")
    return d


def valence_arousal(distribution: np.ndarray) -> np.ndarray:
    """(..., 2) valence in [-1, 1] and arousal in [0, 1] of a distribution (..., 8)."""
    d = _check_distribution(distribution)
    return np.stack([d @ np.asarray(EMOTION_VALENCE), d @ np.asarray(EMOTION_AROUSAL)], axis=-1)
