"""Bentham analyzer: refines the head's judgments with four sub-networks over real sequences.

Sub-networks (SPEC §5, targets at preset ``full``):

* ``base`` (2.5M): embeds the head's judgments and the upstream emotion (or a learned "absent"
  embedding when the emotion plugin is not in the model, never zeros posing as predictions)
  into a state ``s`` (B, D), and maps the four sub-networks' summaries to the final deltas.
* ``reasoning`` (12M), deep ethical reasoning: 4 framework queries (learned embeddings + ``s``)
  cross-attend over the text's tokens and self-attend among themselves, 2 layers; each
  framework's state gives a delta to that framework's acceptability logit.
* ``social`` (10M), social impact: 6 stakeholder-group queries (``STAKEHOLDERS``) cross-attend
  over the tokens and self-attend among themselves; each group gets an impact in [-1, 1] and an
  involvement in [0, 1], whose involvement-weighted mean impact is hedonic evidence. With
  decision options, each option (B, K, D) cross-attends over the 6 group states and the options
  self-attend (masked by ``option_mask``), giving ``option_hedonic`` (B, K) in [-1, 1].
* ``longterm`` (10M), long-term outcome prediction: 5 horizon queries (``HORIZONS``, hour to
  year) cross-attend over the tokens, then a 2-layer GRU runs over the horizons in time order;
  each horizon gets a hedonic value in [-1, 1], mixed into the final hedonic by state-dependent
  horizon weights.
* ``cultural`` (10.5M), cross-cultural ethics: a culture query (language embedding from
  ``batch.lang`` + the emotion plugin's cultural scores jeong/han/chemyeon, or a learned absent
  embedding) attends over the tokens, FiLM-modulates the 4 framework states and passes them
  through a language-specific adapter (one per schema.LANGUAGES entry), giving culture-dependent
  deltas to the ethics logits and to the legal-risk logits.

Output keys (final values; ``*_logits`` are their pre-activation values):
``factors`` (B, 10) [0, 1], ``ethics`` (B, 4) [-1, 1], ``legal_risk`` (B, 5) [0, 1],
``hedonic`` (B,) [-1, 1], ``horizon_hedonic`` (B, 5) [-1, 1], ``horizon_weights`` (B, 5),
``stakeholder_impact`` (B, 6) [-1, 1], ``stakeholder_involvement`` (B, 6) [0, 1], and with
options ``option_hedonic`` (B, K) [-1, 1] (0 at masked slots) and ``option_mask`` (B, K).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import Tensor, nn

from redheart.config import DictConfig
from redheart.layers import CrossAttention, FeedForward, init_weights
from redheart.plugin_api import EncodedBatch, PluginContext, PluginOutputs
from redheart.schema import (
    BENTHAM_FACTORS,
    CULTURAL,
    EMOTIONS,
    ETHICS,
    LANGUAGES,
    LEGAL_DOMAINS,
)
from redheart_bentham.calculus import WEIGHT_LAYERS
from redheart_bentham.sizing import scaled, validate_batch

STAKEHOLDERS: tuple[str, ...] = (
    "self", "close_others", "community", "organisation", "public", "vulnerable",
)
HORIZONS: tuple[str, ...] = ("hour", "day", "week", "month", "year")
EMOTION_KEYS: tuple[str, ...] = ("emotion_probs", "valence", "arousal", "cultural")

# head outputs the analyzer reads, and their widths
_JUDGMENT_KEYS = (("factors", len(BENTHAM_FACTORS)), ("ethics", len(ETHICS)),
                  ("weights", len(WEIGHT_LAYERS)), ("layer_scores", len(WEIGHT_LAYERS)),
                  ("legal_risk", len(LEGAL_DOMAINS)), ("expert_gates", len(ETHICS)))
_JUDGMENT_DIM = sum(n for _, n in _JUDGMENT_KEYS) + 1  # + hedonic
_EMOTION_DIM = len(EMOTIONS) + 2 + len(CULTURAL)


@dataclass(frozen=True)
class AnalyzerConfig(DictConfig):
    """Widths of the Bentham analyzer (see the module docstring for the parts).

    Attributes:
        d_model: backbone width D.  n_heads: attention heads.
        base_hidden: hidden width of the base refinement MLP.
        reasoning_layers, reasoning_hidden: depth and FFN width of deep ethical reasoning.
        social_hidden: FFN width of the stakeholder and option blocks.
        longterm_layers, longterm_hidden: GRU depth and output MLP width over horizons.
        cultural_hidden: hidden width of each language-specific adapter.
        legal_hidden: hidden width of the cultural legal-risk MLP.
        has_emotion: the emotion plugin is in the model (its outputs arrive as upstream).
    """

    d_model: int
    n_heads: int
    base_hidden: int
    reasoning_layers: int
    reasoning_hidden: int
    social_hidden: int
    longterm_layers: int
    longterm_hidden: int
    cultural_hidden: int
    legal_hidden: int
    has_emotion: bool = False
    dropout: float = 0.1

    def __post_init__(self) -> None:
        for name in ("d_model", "n_heads", "base_hidden", "reasoning_layers", "reasoning_hidden",
                     "social_hidden", "longterm_layers", "longterm_hidden", "cultural_hidden",
                     "legal_hidden"):
            if getattr(self, name) <= 0:
                raise ValueError(f"AnalyzerConfig.{name} must be positive")
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model={self.d_model} must be divisible by n_heads={self.n_heads}")

    @classmethod
    def from_context(cls, ctx: PluginContext) -> AnalyzerConfig:
        # Widths at `full` meet SPEC §5 (45M; see PART_TARGETS); smaller presets scale widths
        # and keep every block and its depth.
        p = ctx.preset
        return cls(d_model=p.d_model, n_heads=p.n_heads,
                   base_hidden=scaled(786, p.scale), reasoning_layers=2,
                   reasoning_hidden=scaled(825, p.scale), social_hidden=scaled(182, p.scale),
                   longterm_layers=2, longterm_hidden=scaled(700, p.scale),
                   cultural_hidden=scaled(2002, p.scale), legal_hidden=scaled(512, p.scale),
                   has_emotion="emotion" in ctx.available, dropout=p.dropout)



class QueryBlock(nn.Module):
    """Queries cross-attend over a memory, self-attend, then a residual FFN: (B, Q, D) → same."""

    def __init__(self, d: int, n_heads: int, hidden: int, dropout: float):
        super().__init__()
        self.cross = CrossAttention(d, n_heads, dropout)
        self.self_attn = CrossAttention(d, n_heads, dropout)
        self.norm = nn.LayerNorm(d)
        self.ffn = FeedForward(d, hidden, d, dropout)

    def forward(self, q: Tensor, memory: Tensor, memory_mask: Tensor,
                query_mask: Tensor | None = None) -> Tensor:
        if query_mask is None:
            query_mask = torch.ones(q.shape[:2], dtype=torch.bool, device=q.device)
        q = self.cross(q, memory, memory_mask)
        q = self.self_attn(q, q, query_mask)
        return q + self.ffn(self.norm(q))


class BaseRefinement(nn.Module):
    """Head judgments + emotion (or absent embedding) + features → state s (B, D); final deltas."""

    def __init__(self, cfg: AnalyzerConfig):
        super().__init__()
        d = cfg.d_model
        self.judgments = nn.Linear(_JUDGMENT_DIM, d)
        self.emotion = nn.Linear(_EMOTION_DIM, d)
        # Used when no emotion plugin runs: a learned vector, not zeros pretending to be emotion.
        self.absent_emotion = nn.Parameter(torch.zeros(d))
        self.refine = FeedForward(3 * d, cfg.base_hidden, d, cfg.dropout)
        self.norm = nn.LayerNorm(d)
        # summaries of state + 4 parts → factor deltas (10) and a hedonic delta (1)
        self.out = nn.Linear(5 * d, len(BENTHAM_FACTORS) + 1)

    def forward(self, f: Tensor, judgments: Tensor, emotion: Tensor | None) -> Tensor:
        j = self.judgments(judgments)
        e = self.absent_emotion.expand_as(f) if emotion is None else self.emotion(emotion)
        return self.norm(f + self.refine(torch.cat([f, j, e], dim=-1)))


class EthicalReasoning(nn.Module):
    """4 framework queries over tokens: (B, D) state → states (B, 4, D), ethics deltas (B, 4)."""

    def __init__(self, cfg: AnalyzerConfig):
        super().__init__()
        d = cfg.d_model
        self.frameworks = nn.Parameter(torch.zeros(len(ETHICS), d))
        self.blocks = nn.ModuleList(QueryBlock(d, cfg.n_heads, cfg.reasoning_hidden, cfg.dropout)
                                    for _ in range(cfg.reasoning_layers))
        self.norm = nn.LayerNorm(d)
        self.delta = nn.Linear(d, 1)

    def forward(self, s: Tensor, tokens: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        q = self.frameworks.unsqueeze(0) + s.unsqueeze(1)  # (B, 4, D)
        for block in self.blocks:
            q = block(q, tokens, mask)
        q = self.norm(q)
        return q, self.delta(q).squeeze(-1)


class SocialImpact(nn.Module):
    """Stakeholder groups over tokens; options over groups (see the module docstring)."""

    def __init__(self, cfg: AnalyzerConfig):
        super().__init__()
        d = cfg.d_model
        self.groups = nn.Parameter(torch.zeros(len(STAKEHOLDERS), d))
        self.group_block = QueryBlock(d, cfg.n_heads, cfg.social_hidden, cfg.dropout)
        self.group_out = nn.Linear(d, 2)  # impact logit, involvement logit
        self.option_block = QueryBlock(d, cfg.n_heads, cfg.social_hidden, cfg.dropout)
        self.option_out = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 1))
        self.norm = nn.LayerNorm(d)

    def forward(self, s: Tensor, tokens: Tensor, mask: Tensor, options: Tensor | None,
                option_mask: Tensor | None) -> dict[str, Tensor]:
        g = self.group_block(self.groups.unsqueeze(0) + s.unsqueeze(1), tokens, mask)  # (B, 6, D)
        g = self.norm(g)
        impact_logit, involvement_logit = self.group_out(g).unbind(-1)
        impact, involvement = torch.tanh(impact_logit), torch.sigmoid(involvement_logit)
        evidence = (involvement * impact).sum(-1) / involvement.sum(-1).clamp_min(1e-6)  # (B,)
        out = {"stakeholder_impact": impact, "stakeholder_involvement": involvement,
               "social_evidence": evidence, "social_summary": g.mean(1)}
        if options is not None and option_mask is not None:
            all_groups = torch.ones(g.shape[:2], dtype=torch.bool, device=g.device)
            # cross-attend over the group states, self-attend among the real options
            o = self.option_block(options + s.unsqueeze(1), g, all_groups, option_mask)
            value = torch.tanh(self.option_out(o).squeeze(-1))  # (B, K)
            out["option_hedonic"] = value.masked_fill(~option_mask, 0.0)
            out["option_mask"] = option_mask
        return out


class LongTermOutcome(nn.Module):
    """5 horizon queries over tokens, then a GRU across horizons in time order."""

    def __init__(self, cfg: AnalyzerConfig):
        super().__init__()
        d = cfg.d_model
        self.horizons = nn.Parameter(torch.zeros(len(HORIZONS), d))
        self.cross = CrossAttention(d, cfg.n_heads, cfg.dropout)
        self.gru = nn.GRU(d, d, num_layers=cfg.longterm_layers, batch_first=True,
                          dropout=cfg.dropout if cfg.longterm_layers > 1 else 0.0)
        self.out = FeedForward(d, cfg.longterm_hidden, 1, cfg.dropout)
        self.mix = nn.Linear(d, len(HORIZONS))

    def forward(self, s: Tensor, tokens: Tensor, mask: Tensor) -> dict[str, Tensor]:
        q = self.cross(self.horizons.unsqueeze(0) + s.unsqueeze(1), tokens, mask)  # (B, 5, D)
        h, last = self.gru(q)  # h: (B, 5, D), last: (layers, B, D)
        horizon = torch.tanh(self.out(h).squeeze(-1))  # (B, 5)
        weights = torch.softmax(self.mix(s), dim=-1)  # (B, 5)
        return {"horizon_hedonic": horizon, "horizon_weights": weights,
                "longterm_evidence": (weights * horizon).sum(-1), "longterm_summary": last[-1]}


class CrossCulturalEthics(nn.Module):
    """Culture (language + cultural emotions) conditions the framework states (FiLM + adapters)."""

    def __init__(self, cfg: AnalyzerConfig):
        super().__init__()
        d = cfg.d_model
        self.language = nn.Embedding(len(LANGUAGES), d)
        self.cultural = nn.Linear(len(CULTURAL), d)
        self.absent_cultural = nn.Parameter(torch.zeros(d))
        self.cross = CrossAttention(d, cfg.n_heads, cfg.dropout)
        self.film = nn.Linear(d, 2 * d)
        self.adapters = nn.ModuleList(FeedForward(d, cfg.cultural_hidden, d, cfg.dropout)
                                      for _ in LANGUAGES)
        self.norm = nn.LayerNorm(d)
        self.ethics_delta = nn.Linear(d, 1)
        self.legal = FeedForward(2 * d, cfg.legal_hidden, len(LEGAL_DOMAINS), cfg.dropout)

    def forward(self, s: Tensor, frameworks: Tensor, lang: Tensor, cultural: Tensor | None,
                tokens: Tensor, mask: Tensor) -> dict[str, Tensor]:
        c = self.language(lang) + s
        c = c + (self.absent_cultural.expand_as(s) if cultural is None else self.cultural(cultural))
        c = self.cross(c.unsqueeze(1), tokens, mask).squeeze(1)  # (B, D)
        gamma, beta = self.film(c).chunk(2, dim=-1)
        x = frameworks * (1 + gamma.unsqueeze(1)) + beta.unsqueeze(1)  # (B, 4, D)
        # every row goes through its own language's adapter (selected, not averaged)
        adapted = torch.stack([a(x) for a in self.adapters], dim=1)  # (B, L, 4, D)
        pick = lang.view(-1, 1, 1, 1).expand(-1, 1, *adapted.shape[2:])
        x = self.norm(x + adapted.gather(1, pick).squeeze(1))
        return {"cultural_ethics_delta": self.ethics_delta(x).squeeze(-1),
                "cultural_legal_delta": self.legal(torch.cat([c, x.mean(1)], dim=-1)),
                "cultural_summary": c}


class BenthamAnalyzer(nn.Module):
    """See the module docstring."""

    PART_TARGETS: ClassVar[dict[str, int]] = {
        "base": 2_500_000,
        "reasoning": 12_000_000,
        "social": 10_000_000,
        "longterm": 10_000_000,
        "cultural": 10_500_000,
    }

    def __init__(self, config: AnalyzerConfig):
        super().__init__()
        self.config = config
        self.base = BaseRefinement(config)
        self.reasoning = EthicalReasoning(config)
        self.social = SocialImpact(config)
        self.longterm = LongTermOutcome(config)
        self.cultural = CrossCulturalEthics(config)
        # gains of the social and long-term evidence in the hedonic logit; starting at ½ (not 0)
        # so both sub-networks get a gradient from the first step
        self.hedonic_mix = nn.Parameter(torch.full((2,), 0.5))
        init_weights(self)
        # init_weights covers modules only; the learned query and "absent" vectors start small
        # and distinct so the queries are not symmetric
        for p in (self.base.absent_emotion, self.reasoning.frameworks, self.social.groups,
                  self.longterm.horizons, self.cultural.absent_cultural):
            nn.init.normal_(p, 0.0, 0.02)

    def _emotion(self, upstream: dict[str, PluginOutputs]) -> tuple[Tensor | None, Tensor | None]:
        if "emotion" not in upstream:
            return None, None
        out = upstream["emotion"]
        try:
            probs, val, aro, cult = (out.final(k) for k in EMOTION_KEYS)
        except KeyError as exc:
            raise ValueError(f"emotion upstream lacks {exc}; bentham reads {EMOTION_KEYS} "
                             f"(update redheart-emotion)") from None
        return torch.cat([probs, val.unsqueeze(-1), aro.unsqueeze(-1), cult], dim=-1), cult

    def forward(self, batch: EncodedBatch, head_out: dict[str, Tensor],
                upstream: dict[str, PluginOutputs]) -> dict[str, Tensor]:
        """Args: batch (features (B, D), tokens (B, T, D), mask, lang, options (B, K, D)?),
        head_out: the Bentham head's outputs, upstream: outputs of plugins run before."""
        f = validate_batch(batch, self.config.d_model)
        missing = [k for k, _ in _JUDGMENT_KEYS if k not in head_out] + \
            [k for k in ("hedonic", "hedonic_logit", "ethics_logits", "factor_logits",
                         "legal_logits") if k not in head_out]
        if missing:
            raise ValueError(f"head_out lacks {missing}; pass the BenthamHead's outputs")
        judgments = torch.cat([head_out[k] for k, _ in _JUDGMENT_KEYS]
                              + [head_out["hedonic"].unsqueeze(-1)], dim=-1)
        emotion, cultural = self._emotion(upstream)
        s = self.base(f, judgments, emotion)  # (B, D)

        frameworks, reasoning_delta = self.reasoning(s, batch.tokens, batch.mask)
        social = self.social(s, batch.tokens, batch.mask, batch.options, batch.option_mask)
        longterm = self.longterm(s, batch.tokens, batch.mask)
        culture = self.cultural(s, frameworks, batch.lang, cultural, batch.tokens, batch.mask)

        summary = torch.cat([s, frameworks.mean(1), social["social_summary"],
                             longterm["longterm_summary"], culture["cultural_summary"]], dim=-1)
        deltas = self.base.out(summary)  # (B, 11)
        factor_logits = head_out["factor_logits"] + deltas[:, :-1]
        ethics_logits = (head_out["ethics_logits"] + reasoning_delta
                         + culture["cultural_ethics_delta"])
        legal_logits = head_out["legal_logits"] + culture["cultural_legal_delta"]
        hedonic_logit = (head_out["hedonic_logit"] + deltas[:, -1]
                         + self.hedonic_mix[0] * social["social_evidence"]
                         + self.hedonic_mix[1] * longterm["longterm_evidence"])
        out = {
            "factor_logits": factor_logits, "factors": torch.sigmoid(factor_logits),
            "ethics_logits": ethics_logits, "ethics": torch.tanh(ethics_logits),
            "legal_logits": legal_logits, "legal_risk": torch.sigmoid(legal_logits),
            "hedonic_logit": hedonic_logit, "hedonic": torch.tanh(hedonic_logit),
            "horizon_hedonic": longterm["horizon_hedonic"],
            "horizon_weights": longterm["horizon_weights"],
            "stakeholder_impact": social["stakeholder_impact"],
            "stakeholder_involvement": social["stakeholder_involvement"],
        }
        if "option_hedonic" in social:
            out["option_hedonic"] = social["option_hedonic"]
            out["option_mask"] = social["option_mask"]
        return out


def build_analyzer(ctx: PluginContext) -> BenthamAnalyzer:
    """Plugin factory (``PluginSpec.analyzer``)."""
    return BenthamAnalyzer(AnalyzerConfig.from_context(ctx))
