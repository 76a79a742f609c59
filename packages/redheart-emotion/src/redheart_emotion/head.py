"""Emotion head: a top-k mixture of 8 experts over tokens + token attention + a consistent
hierarchy readout.

Data flow (B = batch, T = tokens, N = real tokens in the batch, D = d_model)::

    real tokens (N, D) ──▶ t + TopKMoE(LN(t)) (8 experts, top-2 per token) ──▶ tokens' (B, T, D)
    features (B, D) ──query──▶ CrossAttention over tokens' (real ones only) ──▶ h (B, D)
    LN(h) ──▶ four readouts: basic logits (8), p(grade | emotion) logits (8 × 3),
              valence/arousal offsets (2), cultural logits (3) ──▶ readout.hierarchy_readout

Routing is per token (as in Switch/GShard transformers), not per text: emotional cues are
lexical, a text mixes several, and N routing decisions per batch keep all experts in use
(per-text routing of a 3-text batch could reach at most 6 of 8 experts). Padding is never
routed and never enters the balance loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from torch import Tensor, nn

from redheart.config import DictConfig, Preset
from redheart.layers import CrossAttention, FeedForward, TopKMoE, init_weights
from redheart.plugin_api import EncodedBatch, PluginContext
from redheart_emotion._checks import check_batch
from redheart_emotion.readout import hierarchy_readout


@dataclass(frozen=True)
class EmotionHeadConfig(DictConfig):
    """Shape of the emotion head.

    Attributes:
        d_model: backbone width D.
        n_heads: attention heads of the token attention (divides D).
        n_experts: experts of the mixture (8, one per basic emotion's worth of capacity; routing
            is learned, not tied to emotions).
        top_k: experts used per row (2 keeps routing sparse but smooth).
        expert_hidden: hidden width of each expert MLP (1500 puts ``full`` at 22M).
        readout_hidden: hidden width of each of the four readout MLPs.
        dropout: training-time dropout.
    """

    d_model: int
    n_heads: int
    n_experts: int = 8
    top_k: int = 2
    expert_hidden: int = 1500
    readout_hidden: int = 384
    dropout: float = 0.1

    def __post_init__(self) -> None:
        for f in ("d_model", "n_heads", "n_experts", "top_k", "expert_hidden", "readout_hidden"):
            if getattr(self, f) <= 0:
                raise ValueError(f"EmotionHeadConfig.{f} must be positive, got {getattr(self, f)}")
        if self.d_model % self.n_heads:
            raise ValueError(f"n_heads={self.n_heads} must divide d_model={self.d_model}")
        if self.top_k > self.n_experts:
            raise ValueError(f"top_k={self.top_k} exceeds n_experts={self.n_experts}")

    @classmethod
    def from_preset(cls, preset: Preset) -> EmotionHeadConfig:
        """Widths scaled by ``preset.scale`` from the ``full`` values; every part is kept."""
        full = cls(d_model=768, n_heads=12)
        return cls(
            d_model=preset.d_model,
            n_heads=preset.n_heads,
            expert_hidden=max(16, round(full.expert_hidden * preset.scale)),
            readout_hidden=max(8, round(full.readout_hidden * preset.scale)),
            dropout=preset.dropout,
        )



class EmotionHead(nn.Module):
    """Predicts the emotion outputs from the backbone's emotion features and tokens.

    Output keys (see ``readout.hierarchy_readout``) plus ``va_offset`` (B, 2), ``hidden`` (B, D)
    (the representation the analyzer refines), ``moe_gates`` (B, 8): each text's mean gate
    over its real tokens, and ``moe_balance`` () over the batch's real tokens.
    """

    PART_TARGETS: ClassVar[dict[str, int]] = {
        "token_attention": 2_400_000, "moe": 18_400_000, "readouts": 1_200_000,
    }

    def __init__(self, config: EmotionHeadConfig):
        super().__init__()
        self.config = config
        d, r = config.d_model, config.readout_hidden
        self.token_attention = CrossAttention(d, config.n_heads, config.dropout)
        self.moe_norm = nn.LayerNorm(d)
        self.moe = TopKMoE(d, config.expert_hidden, d, config.n_experts, config.top_k,
                           config.dropout)
        self.out_norm = nn.LayerNorm(d)
        self.readouts = nn.ModuleDict({
            "emotion": FeedForward(d, r, 8),
            "grade": FeedForward(d, r, 24),
            "va": FeedForward(d, r, 2),
            "cultural": FeedForward(d, r, 3),
        })
        init_weights(self)

    def forward(self, batch: EncodedBatch) -> dict[str, Tensor]:
        feats = check_batch(batch, self.config.d_model)
        mask = batch.mask
        moe_out, token_gates, balance = self.moe(self.moe_norm(batch.tokens[mask]))  # (N, ·)
        tokens = batch.tokens.masked_scatter(mask.unsqueeze(-1),
                                             batch.tokens[mask] + moe_out)  # (B, T, D)
        # Mean gate per text: scatter each real token's gates (N, E) back to its row.
        gates = token_gates.new_zeros(mask.shape + token_gates.shape[-1:])
        gates = gates.masked_scatter(mask.unsqueeze(-1), token_gates).sum(1)
        gates = gates / mask.sum(1, keepdim=True).to(gates.dtype)
        h = self.token_attention(feats.unsqueeze(1), tokens, mask).squeeze(1)
        z = self.out_norm(h)
        va_offset = self.readouts["va"](z)
        out = hierarchy_readout(
            self.readouts["emotion"](z),
            self.readouts["grade"](z).view(-1, 8, 3),
            va_offset,
            self.readouts["cultural"](z),
        )
        out.update(va_offset=va_offset, hidden=h, moe_gates=gates, moe_balance=balance)
        return out


def build_head(ctx: PluginContext) -> EmotionHead:
    """Plugin factory: the head sized for ``ctx.preset``."""
    return EmotionHead(EmotionHeadConfig.from_preset(ctx.preset))


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


__all__ = ["EmotionHead", "EmotionHeadConfig", "build_head", "count_parameters"]
