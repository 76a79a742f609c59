"""Bentham head: 4 ethics experts with learned gating, 6 weighting layers, 5 legal domains.

Reads ``batch.features["bentham"]`` (B, D) and attends over ``batch.tokens`` (B, T, D).

Output keys (B = batch):

* ``ethics`` (B, 4) in [-1, 1]: each expert's acceptability of the action, schema.ETHICS order
  (expert e is framework e); ``ethics_logits`` (B, 4) their pre-tanh values.
* ``expert_gates`` (B, 4): softmax gate over the experts; ``gate_balance`` (): balance loss.
* ``factor_logits`` (B, 10), ``factors`` (B, 10) in [0, 1]: gate-weighted mixture of the
  experts' factor estimates (schema.BENTHAM_FACTORS order).
* ``weight_logits`` (B, 6), ``weights`` (B, 6) in [0.3, 2.5]: the 6 weighting layers
  (calculus.WEIGHT_LAYERS order), bounded by :func:`bounded_weights`.
* ``layer_scores`` (B, 6): each layer's signed hedonic evidence.
* ``hedonic_logit`` (B,), ``hedonic`` (B,) in [-1, 1]:
  ``tanh(b + Σ_l w_l · s_l)``, the layer scores scaled by their multiplicative weights.
* ``legal_logits`` (B, 5), ``legal_risk`` (B, 5) in [0, 1] (schema.LEGAL_DOMAINS order).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import Tensor, nn

from redheart.config import DictConfig
from redheart.layers import CrossAttention, FeedForward, init_weights
from redheart.plugin_api import EncodedBatch, PluginContext
from redheart.schema import BENTHAM_FACTORS, ETHICS, LEGAL_DOMAINS
from redheart_bentham.calculus import (
    WEIGHT_CENTRE,
    WEIGHT_HIGH,
    WEIGHT_LAYERS,
    WEIGHT_LOW,
)
from redheart_bentham.sizing import scaled, validate_batch

N_FACTORS, N_ETHICS = len(BENTHAM_FACTORS), len(ETHICS)


def bounded_weights(logits: Tensor) -> Tensor:
    """``0.3 + 2.2 · σ(z + z0)``, with z0 such that a zero logit gives a weight of 1."""
    return WEIGHT_LOW + (WEIGHT_HIGH - WEIGHT_LOW) * torch.sigmoid(logits + WEIGHT_CENTRE)


@dataclass(frozen=True)
class HeadConfig(DictConfig):
    """Widths of the Bentham head.

    Attributes:
        d_model: backbone width D.
        n_heads: attention heads of the context cross-attention.
        expert_hidden: hidden width of each of the 4 ethics experts.
        weight_hidden: hidden width of each of the 6 weighting layers.
        legal_hidden: hidden width of each of the 5 legal-domain networks.
        dropout: training dropout.
    """

    d_model: int
    n_heads: int
    expert_hidden: int
    weight_hidden: int
    legal_hidden: int
    dropout: float = 0.1

    def __post_init__(self) -> None:
        for name in ("d_model", "n_heads", "expert_hidden", "weight_hidden", "legal_hidden"):
            if getattr(self, name) <= 0:
                raise ValueError(f"HeadConfig.{name} must be positive")
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model={self.d_model} must be divisible by n_heads={self.n_heads}")

    @classmethod
    def from_context(cls, ctx: PluginContext) -> HeadConfig:
        # Widths at `full` meet SPEC §5 (20M; see PART_TARGETS); smaller presets scale them.
        p = ctx.preset
        return cls(d_model=p.d_model, n_heads=p.n_heads,
                   expert_hidden=scaled(1350, p.scale, multiple=2), weight_hidden=scaled(388, p.scale),
                   legal_hidden=scaled(260, p.scale), dropout=p.dropout)



class EthicsExpert(nn.Module):
    """One framework's judge: (B, 2D) → acceptability logit (B,) and factor logits (B, 10)."""

    def __init__(self, d_in: int, hidden: int, dropout: float):
        super().__init__()
        self.body = FeedForward(d_in, hidden, hidden // 2, dropout)
        self.acceptability = nn.Linear(hidden // 2, 1)
        self.factors = nn.Linear(hidden // 2, N_FACTORS)

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        h = torch.nn.functional.gelu(self.body(x))
        return self.acceptability(h).squeeze(-1), self.factors(h)


class BenthamHead(nn.Module):
    """See the module docstring for the outputs."""

    PART_TARGETS: ClassVar[dict[str, int]] = {
        "context": 2_400_000,
        "experts": 12_000_000,
        "weighting": 3_600_000,
        "legal": 2_000_000,
    }

    def __init__(self, config: HeadConfig):
        super().__init__()
        self.config = config
        d = config.d_model
        self.query_norm = nn.LayerNorm(d)
        # The features ask what in the text matters; the answer is a context vector.
        self.context = CrossAttention(d, config.n_heads, config.dropout)
        d_in = 2 * d
        self.gate = nn.Linear(d_in, N_ETHICS)
        self.experts = nn.ModuleList(
            EthicsExpert(d_in, config.expert_hidden, config.dropout) for _ in ETHICS
        )
        # Each weighting layer sees the text plus the experts' factors and judgments.
        d_w = d_in + N_FACTORS + N_ETHICS
        self.weighting = nn.ModuleList(
            FeedForward(d_w, config.weight_hidden, 2, config.dropout) for _ in WEIGHT_LAYERS
        )
        # shape (1,), not (): redheart.checkpoint's digest cannot view 0-dim tensors as bytes
        self.hedonic_bias = nn.Parameter(torch.zeros(1))
        self.legal = nn.ModuleList(
            FeedForward(d_in, config.legal_hidden, 1, config.dropout) for _ in LEGAL_DOMAINS
        )
        init_weights(self)

    def forward(self, batch: EncodedBatch) -> dict[str, Tensor]:
        """Args: batch with features["bentham"] (B, D), tokens (B, T, D), mask (B, T)."""
        f = validate_batch(batch, self.config.d_model)
        query = self.query_norm(f).unsqueeze(1)  # (B, 1, D)
        ctx = self.context(query, batch.tokens, batch.mask).squeeze(1)  # (B, D)
        x = torch.cat([f, ctx], dim=-1)  # (B, 2D)

        gate_logits = self.gate(x)
        gates = torch.softmax(gate_logits, dim=-1)  # (B, 4)
        acc, fac = zip(*(expert(x) for expert in self.experts))
        ethics_logits = torch.stack(acc, dim=-1)  # (B, 4)
        factor_logits = torch.einsum("be,bef->bf", gates, torch.stack(fac, dim=1))  # (B, 10)
        factors = torch.sigmoid(factor_logits)
        ethics = torch.tanh(ethics_logits)
        # Importance balance (Shazeer et al. 2017): E · Σ_e P̄_e², equal to 1 when balanced.
        mean_gate = gates.mean(0)
        balance = N_ETHICS * (mean_gate ** 2).sum()

        w_in = torch.cat([x, factors, ethics], dim=-1)
        layer_out = torch.stack([layer(w_in) for layer in self.weighting], dim=1)  # (B, 6, 2)
        weight_logits, scores = layer_out[..., 0], layer_out[..., 1]
        weights = bounded_weights(weight_logits)
        hedonic_logit = self.hedonic_bias + (weights * scores).sum(-1)  # (B,)

        legal_logits = torch.cat([net(x) for net in self.legal], dim=-1)  # (B, 5)
        return {
            "context": ctx,
            "ethics_logits": ethics_logits,
            "ethics": ethics,
            "expert_gates": gates,
            "gate_balance": balance,
            "factor_logits": factor_logits,
            "factors": factors,
            "weight_logits": weight_logits,
            "weights": weights,
            "layer_scores": scores,
            "hedonic_logit": hedonic_logit,
            "hedonic": torch.tanh(hedonic_logit),
            "legal_logits": legal_logits,
            "legal_risk": torch.sigmoid(legal_logits),
        }


def build_head(ctx: PluginContext) -> BenthamHead:
    """Plugin factory (``PluginSpec.head``)."""
    return BenthamHead(HeadConfig.from_context(ctx))
