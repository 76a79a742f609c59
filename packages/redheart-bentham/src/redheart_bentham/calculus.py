"""Deterministic hedonic calculus (SPEC §6, bentham): no model, no torch, plain Python floats.

The calculus turns Bentham's factors of an action plus its context into a net hedonic value in
(-1, 1). Every quantity below is a plain float; every formula is overridable through
:class:`CalculusConfig`.

Notation: factors ``I`` intensity, ``D`` duration, ``C`` certainty, ``P`` propinquity,
``F`` fecundity, ``Pu`` purity, ``E`` extent, ``X`` external cost, ``R`` redistribution,
``S`` self damage (all in [0, 1], schema order). Layer weights ``w_ctx, w_tmp, w_soc, w_eth,
w_emo, w_cog`` ∈ [0.3, 2.5] (the 6 weighting layers, schema-free names below).

Context transforms (used when the context gives raw quantities instead of factors):

* duration of ``s`` seconds, saturating:      ``D(s) = 1 − 2^(−s / h_D)``        (h_D = 7 days)
* propinquity of an effect ``t`` s away:       ``P(t) = 2^(−t / h_P)``            (h_P = 30 days)
* extent of ``n`` people, log-scaled:          ``E(n) = min(1, ln(1 + n) / ln(1 + N_ref))``
                                                                                  (N_ref = 10^6)

Per-person value of the effect (Bentham's intensity × duration × propinquity, with floors so a
short or distant effect still counts a little):

    u = w_ctx · (w_emo · I) · w_tmp · (δ + (1 − δ) D) · (δ + (1 − δ) P)          (δ = 0.2)

Stakeholder group ``g`` with signed effect ``v_g`` ∈ [-1, 1] (positive = pleasure),
certainty ``C_g``, ``n_g`` people and importance ``ω_g`` > 0:

    a_g      = ω_g · (ε + (1 − ε) · E(n_g))                                     (ε = 0.3)
    primary  = |v_g| · C_g · u · (1 + w_cog · φ · F)       (same-sign, fecundity; φ = 0.4)
    opposite = |v_g| · C_g · u · w_cog · ψ · (1 − Pu)      (opposite sign, impurity; ψ = 0.4)

The primary effect goes to pleasure when ``v_g > 0`` and to pain when ``v_g < 0``; the
opposite-sign effect to the other side. Totals over groups, plus the three extra factors
(costs to outsiders and to the actor are pain, redistribution towards the worse-off is
pleasure):

    Pleasure = w_soc · Σ_g a_g · pleasure_g + w_eth · κ_R · R
    Pain     = w_soc · Σ_g a_g · pain_g     + w_eth · κ_X · X + κ_S · S      (κ = 0.5, 0.5, 0.5)
    H        = tanh((Pleasure − Pain) / τ)                                     (τ = 1)

Monotonicity by construction: for a group with ``v_g > 0`` its net contribution is
``a_g |v_g| C_g u (1 + w_cog (φ F − ψ (1 − Pu)))`` ≥ 0 because ``w_cog ψ ≤ 2.5 · 0.4 = 1``
(checked in :class:`CalculusConfig`), and ``a_g`` is non-decreasing in ``n_g``; so more affected
people with a positive effect never lower ``H``. For ``v_g < 0`` the contribution is minus the
same non-negative quantity and linear in ``C_g``, so more certainty of harm never raises ``H``.

Scenario views: the optimistic view moves every positive group's certainty towards 1 and every
negative group's towards 0 by the spread λ (``C' = C + λ (1 − C)`` / ``C' = (1 − λ) C``), the
pessimistic view does the opposite, the neutral view keeps ``C``; the expected value is
``Σ_s p_s H_s`` with scenario probabilities ``p = (0.25, 0.5, 0.25)`` (λ = 0.5), both
overridable. Option comparison ranks options by their expected value.

The 6 layer weights are bounded by a scaled sigmoid with its centre shifted so that a zero
logit gives a weight of exactly 1 (:func:`bounded_weight`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from redheart.schema import BENTHAM_FACTORS

WEIGHT_LAYERS: tuple[str, ...] = (
    "contextual", "temporal", "social", "ethical", "emotional", "cognitive",
)
SCENARIOS: tuple[str, ...] = ("optimistic", "neutral", "pessimistic")
WEIGHT_LOW, WEIGHT_HIGH = 0.3, 2.5

_SECONDS_PER_DAY = 86_400.0


class CalculusError(ValueError):
    """Bad input to the hedonic calculus (names the field and the fix)."""


def _check_unit(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CalculusError(f"{name} must be a number in [0, 1], got {value!r}")
    value = float(value)
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise CalculusError(f"{name} must be a finite number in [0, 1], got {value}")
    return value


def _check_nonneg(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CalculusError(f"{name} must be a non-negative number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise CalculusError(f"{name} must be finite and ≥ 0, got {value}")
    return value


# ------------------------------------------------------------------------------------------
# Bounded weights
# ------------------------------------------------------------------------------------------

def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


# Shift so that bounded_weight(0) == 1: σ(z0) = (1 − low) / (high − low).
WEIGHT_CENTRE = _logit((1.0 - WEIGHT_LOW) / (WEIGHT_HIGH - WEIGHT_LOW))


def bounded_weight(logit: float, low: float = WEIGHT_LOW, high: float = WEIGHT_HIGH) -> float:
    """``low + (high − low) · σ(z + z0)`` with ``z0`` such that a zero logit gives 1."""
    if not math.isfinite(logit):
        raise CalculusError(f"weight logit must be finite, got {logit}")
    centre = _logit((1.0 - low) / (high - low))
    return low + (high - low) / (1.0 + math.exp(-(logit + centre)))


@dataclass(frozen=True)
class LayerWeights:
    """The 6 multiplicative weighting layers, each in [0.3, 2.5]; 1 means neutral."""

    contextual: float = 1.0
    temporal: float = 1.0
    social: float = 1.0
    ethical: float = 1.0
    emotional: float = 1.0
    cognitive: float = 1.0

    def __post_init__(self) -> None:
        for name in WEIGHT_LAYERS:
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) \
                    or not WEIGHT_LOW <= v <= WEIGHT_HIGH:
                raise CalculusError(
                    f"layer weight {name!r} must be in [{WEIGHT_LOW}, {WEIGHT_HIGH}], got {v!r}; "
                    f"use LayerWeights.from_logits for unbounded scores"
                )

    @classmethod
    def from_logits(cls, logits: Mapping[str, float]) -> LayerWeights:
        """Weights from unbounded scores through :func:`bounded_weight` (missing = 1)."""
        unknown = set(logits) - set(WEIGHT_LAYERS)
        if unknown:
            raise CalculusError(f"unknown weight layers {sorted(unknown)}; known: {WEIGHT_LAYERS}")
        return cls(**{k: bounded_weight(float(v)) for k, v in logits.items()})

    @classmethod
    def from_sequence(cls, values: Sequence[float]) -> LayerWeights:
        if len(values) != len(WEIGHT_LAYERS):
            raise CalculusError(f"need {len(WEIGHT_LAYERS)} weights {WEIGHT_LAYERS}, "
                                f"got {len(values)}")
        return cls(**{k: float(v) for k, v in zip(WEIGHT_LAYERS, values)})

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


# ------------------------------------------------------------------------------------------
# Inputs
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Factors:
    """Bentham's 10 factors in [0, 1] (schema order); defaults are explicit, never implied."""

    intensity: float
    duration: float
    certainty: float
    propinquity: float
    fecundity: float
    purity: float
    extent: float
    external_cost: float = 0.0
    redistribution: float = 0.0
    self_damage: float = 0.0

    def __post_init__(self) -> None:
        for name in BENTHAM_FACTORS:
            _check_unit(getattr(self, name), f"factor {name!r}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, float]) -> Factors:
        unknown = set(values) - set(BENTHAM_FACTORS)
        if unknown:
            raise CalculusError(f"unknown factors {sorted(unknown)}; known: {BENTHAM_FACTORS}")
        missing = [k for k in BENTHAM_FACTORS[:7] if k not in values]
        if missing:
            raise CalculusError(f"missing Bentham factors {missing}; give all 7 classical ones")
        return cls(**{k: float(v) for k, v in values.items()})

    @classmethod
    def from_sequence(cls, values: Sequence[float]) -> Factors:
        if len(values) != len(BENTHAM_FACTORS):
            raise CalculusError(f"need {len(BENTHAM_FACTORS)} factors, got {len(values)}")
        return cls(**{k: float(v) for k, v in zip(BENTHAM_FACTORS, values)})

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class StakeholderGroup:
    """People affected alike.

    Attributes:
        name: label for reports.
        count: number of people (≥ 0); mapped to extent by ``E(n)``.
        effect: signed effect on each of them in [-1, 1] (positive = pleasure).
        certainty: probability the effect happens; ``None`` = the factors' certainty.
        importance: relative weight ω > 0 of this group (1 = as everyone else).
    """

    name: str
    count: float
    effect: float
    certainty: float | None = None
    importance: float = 1.0

    def __post_init__(self) -> None:
        _check_nonneg(self.count, f"stakeholder {self.name!r} count")
        if isinstance(self.effect, bool) or not isinstance(self.effect, (int, float)) \
                or not math.isfinite(self.effect) or not -1.0 <= self.effect <= 1.0:
            raise CalculusError(f"stakeholder {self.name!r} effect must be in [-1, 1], "
                                f"got {self.effect!r}")
        if self.certainty is not None:
            _check_unit(self.certainty, f"stakeholder {self.name!r} certainty")
        if _check_nonneg(self.importance, f"stakeholder {self.name!r} importance") == 0:
            raise CalculusError(f"stakeholder {self.name!r} importance must be > 0; "
                                f"drop the group instead")


@dataclass(frozen=True)
class Context:
    """Raw quantities that override the matching factors when given.

    Attributes:
        affected_count: people affected (→ extent); ignored when ``stakeholders`` are given,
            whose counts define extent per group.
        duration_seconds: how long the effect lasts (→ duration).
        time_until_seconds: delay before the effect starts (→ propinquity).
        effect: signed direction and size of the main effect in [-1, 1], used when no
            stakeholder groups are given (one implicit group).
        stakeholders: groups of affected people.
    """

    affected_count: float | None = None
    duration_seconds: float | None = None
    time_until_seconds: float | None = None
    effect: float = 1.0
    stakeholders: tuple[StakeholderGroup, ...] = ()

    def __post_init__(self) -> None:
        for name in ("affected_count", "duration_seconds", "time_until_seconds"):
            v = getattr(self, name)
            if v is not None:
                _check_nonneg(v, name)
        if isinstance(self.effect, bool) or not isinstance(self.effect, (int, float)) \
                or not math.isfinite(self.effect) or not -1.0 <= self.effect <= 1.0:
            raise CalculusError(f"context effect must be in [-1, 1], got {self.effect!r}")
        object.__setattr__(self, "stakeholders", tuple(self.stakeholders))


@dataclass(frozen=True)
class CalculusConfig:
    """Every constant of the calculus (see the module docstring for where each enters)."""

    duration_half_life_s: float = 7 * _SECONDS_PER_DAY
    propinquity_half_life_s: float = 30 * _SECONDS_PER_DAY
    extent_reference_count: float = 1e6
    temporal_floor: float = 0.2  # δ
    extent_floor: float = 0.3  # ε
    fecundity_gain: float = 0.4  # φ
    impurity_gain: float = 0.4  # ψ
    external_cost_weight: float = 0.5  # κ_X
    redistribution_weight: float = 0.5  # κ_R
    self_damage_weight: float = 0.5  # κ_S
    temperature: float = 1.0  # τ
    scenario_spread: float = 0.5  # λ
    scenario_probabilities: tuple[float, float, float] = (0.25, 0.5, 0.25)

    def __post_init__(self) -> None:
        for name in ("duration_half_life_s", "propinquity_half_life_s", "temperature"):
            if not getattr(self, name) > 0:
                raise CalculusError(f"CalculusConfig.{name} must be > 0")
        if not self.extent_reference_count > 1:
            raise CalculusError("CalculusConfig.extent_reference_count must be > 1")
        for name in ("temporal_floor", "extent_floor", "scenario_spread"):
            _check_unit(getattr(self, name), f"CalculusConfig.{name}")
        for name in ("fecundity_gain", "impurity_gain", "external_cost_weight",
                     "redistribution_weight", "self_damage_weight"):
            _check_nonneg(getattr(self, name), f"CalculusConfig.{name}")
        if self.impurity_gain * WEIGHT_HIGH > 1.0:
            # Above this a pleasure's impurity could outweigh the pleasure itself, and adding
            # people who benefit could lower the net value (breaks monotonicity).
            raise CalculusError(
                f"impurity_gain · {WEIGHT_HIGH} must be ≤ 1 (got {self.impurity_gain}); "
                f"use impurity_gain ≤ {1 / WEIGHT_HIGH}"
            )
        p = tuple(float(x) for x in self.scenario_probabilities)
        if len(p) != 3 or any(x < 0 or not math.isfinite(x) for x in p) \
                or abs(sum(p) - 1.0) > 1e-9:
            raise CalculusError("scenario_probabilities must be 3 non-negative numbers summing to 1 "
                                "(optimistic, neutral, pessimistic)")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalculusConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise CalculusError(f"unknown CalculusConfig fields {sorted(unknown)}")
        values = dict(data)
        if "scenario_probabilities" in values:
            values["scenario_probabilities"] = tuple(values["scenario_probabilities"])
        return cls(**values)


# ------------------------------------------------------------------------------------------
# Transforms
# ------------------------------------------------------------------------------------------

def duration_factor(seconds: float, config: CalculusConfig | None = None) -> float:
    """``D(s) = 1 − 2^(−s / h_D)``: 0 for an instant, ½ at the half-life, → 1."""
    cfg = config or CalculusConfig()
    s = _check_nonneg(seconds, "duration_seconds")
    return 1.0 - 2.0 ** (-s / cfg.duration_half_life_s)


def propinquity_factor(seconds_until: float, config: CalculusConfig | None = None) -> float:
    """``P(t) = 2^(−t / h_P)``: exponential discounting of the delay before the effect."""
    cfg = config or CalculusConfig()
    t = _check_nonneg(seconds_until, "time_until_seconds")
    return 2.0 ** (-t / cfg.propinquity_half_life_s)


def extent_factor(count: float, config: CalculusConfig | None = None) -> float:
    """``E(n) = min(1, ln(1 + n) / ln(1 + N_ref))``: log-scaled number of people affected."""
    cfg = config or CalculusConfig()
    n = _check_nonneg(count, "affected_count")
    return min(1.0, math.log1p(n) / math.log1p(cfg.extent_reference_count))


# ------------------------------------------------------------------------------------------
# Evaluation
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupTerm:
    """One stakeholder group's share: its aggregation weight a_g and pleasure/pain."""

    name: str
    weight: float
    pleasure: float
    pain: float


@dataclass(frozen=True)
class HedonicBreakdown:
    """The calculus' result for one scenario (certainties as given)."""

    factors: dict[str, float]  # effective factors after context transforms
    weights: dict[str, float]
    per_person_value: float  # u
    groups: tuple[GroupTerm, ...]
    pleasure: float
    pain: float
    net: float  # H ∈ (-1, 1)


@dataclass(frozen=True)
class ScenarioViews:
    """Optimistic / neutral / pessimistic net values and their probability-weighted mean."""

    optimistic: float
    neutral: float
    pessimistic: float
    probabilities: tuple[float, float, float]
    expected: float

    def as_dict(self) -> dict[str, float]:
        return {"optimistic": self.optimistic, "neutral": self.neutral,
                "pessimistic": self.pessimistic, "expected": self.expected}


@dataclass(frozen=True)
class HedonicCalculator:
    """Bentham's calculus with a fixed :class:`CalculusConfig` (see the module docstring)."""

    config: CalculusConfig = field(default_factory=CalculusConfig)

    def effective_factors(self, factors: Factors, context: Context | None = None) -> Factors:
        """Factors with duration / propinquity / extent replaced by the context's transforms."""
        ctx = context or Context()
        updates: dict[str, float] = {}
        if ctx.duration_seconds is not None:
            updates["duration"] = duration_factor(ctx.duration_seconds, self.config)
        if ctx.time_until_seconds is not None:
            updates["propinquity"] = propinquity_factor(ctx.time_until_seconds, self.config)
        if ctx.stakeholders:
            total = sum(g.count for g in ctx.stakeholders)
            updates["extent"] = extent_factor(total, self.config)
        elif ctx.affected_count is not None:
            updates["extent"] = extent_factor(ctx.affected_count, self.config)
        return replace(factors, **updates)

    def per_person_value(self, f: Factors, w: LayerWeights) -> float:
        """``u = w_ctx · w_emo · I · w_tmp · (δ + (1−δ) D) · (δ + (1−δ) P)``."""
        d = self.config.temporal_floor
        return (w.contextual * w.emotional * f.intensity * w.temporal
                * (d + (1 - d) * f.duration) * (d + (1 - d) * f.propinquity))

    def _groups(self, f: Factors, context: Context) -> list[tuple[str, float, float, float]]:
        """(name, a_g before ω, effect, certainty) per group; one implicit group by default."""
        eps = self.config.extent_floor
        if context.stakeholders:
            return [(g.name, g.importance * (eps + (1 - eps) * extent_factor(g.count, self.config)),
                     g.effect, f.certainty if g.certainty is None else g.certainty)
                    for g in context.stakeholders]
        return [("all", eps + (1 - eps) * f.extent, context.effect, f.certainty)]

    def evaluate(self, factors: Factors, context: Context | None = None,
                 weights: LayerWeights | None = None) -> HedonicBreakdown:
        """Net hedonic value and its breakdown for one scenario (module docstring formulas)."""
        cfg = self.config
        ctx = context or Context()
        w = weights or LayerWeights()
        f = self.effective_factors(factors, ctx)
        u = self.per_person_value(f, w)
        terms: list[GroupTerm] = []
        pleasure = pain = 0.0
        for name, a, effect, certainty in self._groups(f, ctx):
            base = abs(effect) * certainty * u
            primary = base * (1.0 + w.cognitive * cfg.fecundity_gain * f.fecundity)
            opposite = base * w.cognitive * cfg.impurity_gain * (1.0 - f.purity)
            g_pleasure, g_pain = (primary, opposite) if effect >= 0 else (opposite, primary)
            terms.append(GroupTerm(name, a, g_pleasure, g_pain))
            pleasure += a * g_pleasure
            pain += a * g_pain
        pleasure = w.social * pleasure + w.ethical * cfg.redistribution_weight * f.redistribution
        pain = (w.social * pain + w.ethical * cfg.external_cost_weight * f.external_cost
                + cfg.self_damage_weight * f.self_damage)
        net = math.tanh((pleasure - pain) / cfg.temperature)
        return HedonicBreakdown(f.as_dict(), w.as_dict(), u, tuple(terms), pleasure, pain, net)

    def net_value(self, factors: Factors, context: Context | None = None,
                  weights: LayerWeights | None = None) -> float:
        return self.evaluate(factors, context, weights).net

    def _shifted(self, factors: Factors, context: Context, optimistic: bool) -> tuple[Factors, Context]:
        lam = self.config.scenario_spread

        def shift(c: float, effect: float) -> float:
            towards_one = (effect >= 0) == optimistic
            return c + lam * (1 - c) if towards_one else (1 - lam) * c

        if context.stakeholders:
            groups = tuple(replace(g, certainty=shift(
                factors.certainty if g.certainty is None else g.certainty, g.effect))
                for g in context.stakeholders)
            return factors, replace(context, stakeholders=groups)
        return replace(factors, certainty=shift(factors.certainty, context.effect)), context

    def scenarios(self, factors: Factors, context: Context | None = None,
                  weights: LayerWeights | None = None) -> ScenarioViews:
        """Optimistic / neutral / pessimistic views and ``Σ_s p_s H_s``."""
        ctx = context or Context()
        values = []
        for optimistic in (True, None, False):
            if optimistic is None:
                values.append(self.net_value(factors, ctx, weights))
            else:
                f, c = self._shifted(factors, ctx, optimistic)
                values.append(self.net_value(f, c, weights))
        p = tuple(float(x) for x in self.config.scenario_probabilities)
        expected = sum(pi * v for pi, v in zip(p, values))
        return ScenarioViews(values[0], values[1], values[2], p, expected)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------
# Options
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OptionInput:
    """One option of a decision: its factors, context and weights."""

    name: str
    factors: Factors
    context: Context = field(default_factory=Context)
    weights: LayerWeights = field(default_factory=LayerWeights)


@dataclass(frozen=True)
class OptionRanking:
    """Scores (expected scenario value) per option and their order, best first."""

    names: tuple[str, ...]
    scores: tuple[float, ...]
    views: tuple[ScenarioViews, ...]
    ranking: tuple[int, ...]  # option indices, best first; ties keep input order

    @property
    def best(self) -> int:
        return self.ranking[0]


def compare_options(options: Sequence[OptionInput],
                    calculator: HedonicCalculator | None = None) -> OptionRanking:
    """Score every option by its expected scenario value and rank them (best first)."""
    if len(options) < 2:
        raise CalculusError(f"a decision needs at least 2 options, got {len(options)}")
    calc = calculator or HedonicCalculator()
    views = tuple(calc.scenarios(o.factors, o.context, o.weights) for o in options)
    scores = tuple(v.expected for v in views)
    ranking = tuple(sorted(range(len(options)), key=lambda i: (-scores[i], i)))
    return OptionRanking(tuple(o.name for o in options), scores, views, ranking)
