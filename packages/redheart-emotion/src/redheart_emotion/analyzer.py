"""Emotion analyzer: refines the head's outputs with biosignals, time and culture.

Data flow (B = batch, D = d_model; every stage is a residual on the row representation)::

    head hidden (B, D) + head outputs ──▶ base refinement ──▶ z
    extras["biosignal"] ──▶ BiosignalNetwork ──▶ (B, S, D) memory
    z, tokens, memory ──▶ MultimodalFusion (rows without a modality pass through) ──▶ z
    z, extras["sequence_id"/"timestamp"] ──▶ TemporalTracker (singletons pass through) ──▶ z
    z, tokens, lang ──▶ CulturalNuance ──▶ z, cultural correction
    z ──▶ z + TopKMoE(LN(z)) (MoE extension, 4 experts, top-2) ──▶ base readout: logit
    corrections added to the head's logits ──▶ readout.hierarchy_readout (same fixed keys)

Extra output keys: ``moe_gates`` (B, 4), ``moe_balance`` (), ``has_biosignal`` (B,) bool,
``in_sequence`` (B,) bool, ``representation`` (B, D).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import ClassVar

import torch
from torch import Tensor, nn

from redheart import schema
from redheart.config import DictConfig, Preset
from redheart.layers import FeedForward, TopKMoE, init_weights
from redheart.plugin_api import EncodedBatch, PluginContext, PluginOutputs
from redheart_emotion._checks import check_batch
from redheart_emotion.biosignal import BiosignalNetwork
from redheart_emotion.cultural import CulturalNuance
from redheart_emotion.extras import (
    BIOSIGNAL_KEY,
    DEFAULT_BIO_FEATURES,
    SEQUENCE_KEY,
    TIMESTAMP_KEY,
    collate_biosignal,
    group_sequences,
)
from redheart_emotion.fusion import MultimodalFusion
from redheart_emotion.readout import hierarchy_readout
from redheart_emotion.temporal import TemporalTracker

# Head outputs the base refinement reads: probs 8 + graded 24 + intensity 3 + V/A 2 + cultural 3.
SUMMARY_SIZE = 40


@dataclass(frozen=True)
class EmotionAnalyzerConfig(DictConfig):
    """Shape of the emotion analyzer (defaults are ``full``: 50M parameters at D = 768).

    Attributes:
        d_model, n_heads: backbone width and attention heads.
        bio_features: F, biosignal features per time step.
        n_langs: languages (``schema.LANGUAGES``).
        base_hidden: hidden width of the base refinement MLP.
        bio_hidden, bio_layers: biosignal embedding MLP width and GRU depth.
        fusion_hidden, pool_hidden: fusion mixing MLP width and token-pooling width.
        temporal_layers, gap_features, gap_hidden, temporal_hidden: temporal GRU depth,
            time-gap encoding size (even), gap MLP width, output MLP width.
        cultural_hidden: width of each language's expert MLP.
        moe_experts, moe_top_k, moe_hidden: MoE extension.
        dropout: training-time dropout.
    """

    d_model: int
    n_heads: int
    bio_features: int = DEFAULT_BIO_FEATURES
    n_langs: int = len(schema.LANGUAGES)
    base_hidden: int = 3150
    bio_hidden: int = 2800
    bio_layers: int = 2
    fusion_hidden: int = 1640
    pool_hidden: int = 320
    temporal_layers: int = 2
    gap_features: int = 16
    gap_hidden: int = 128
    temporal_hidden: int = 1820
    cultural_hidden: int = 2480
    moe_experts: int = 4
    moe_top_k: int = 2
    moe_hidden: int = 810
    dropout: float = 0.1

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if name != "dropout" and value <= 0:
                raise ValueError(f"EmotionAnalyzerConfig.{name} must be positive, got {value}")
        if self.d_model % self.n_heads:
            raise ValueError(f"n_heads={self.n_heads} must divide d_model={self.d_model}")
        if self.gap_features % 2:
            raise ValueError(f"gap_features must be even, got {self.gap_features}")
        if self.moe_top_k > self.moe_experts:
            raise ValueError(f"moe_top_k={self.moe_top_k} exceeds moe_experts={self.moe_experts}")

    @classmethod
    def from_preset(cls, preset: Preset, bio_features: int = DEFAULT_BIO_FEATURES
                    ) -> EmotionAnalyzerConfig:
        """Widths scaled by ``preset.scale`` from ``full``; depths and every part are kept."""
        full = cls(d_model=768, n_heads=12)

        def scaled(name: str, floor: int = 8) -> int:
            return max(floor, round(getattr(full, name) * preset.scale))

        return cls(
            d_model=preset.d_model, n_heads=preset.n_heads, bio_features=bio_features,
            base_hidden=scaled("base_hidden"), bio_hidden=scaled("bio_hidden"),
            fusion_hidden=scaled("fusion_hidden"), pool_hidden=scaled("pool_hidden"),
            gap_hidden=scaled("gap_hidden"), temporal_hidden=scaled("temporal_hidden"),
            cultural_hidden=scaled("cultural_hidden"), moe_hidden=scaled("moe_hidden"),
            dropout=preset.dropout,
        )



class BaseRefinement(nn.Module):
    """Base refinement of the head's representation, and the final logit-correction readout.

    ``forward``: x (B, D) + head outputs → x + MLP([LN(x), summary (B, 40)]).
    ``readout``: z (B, D) → corrections to emotion (8), grade (24), V/A offset (2), cultural (3).
    """

    def __init__(self, d_model: int, hidden: int, dropout: float = 0.0):
        super().__init__()
        self.norm = nn.LayerNorm(d_model)
        self.refine = FeedForward(d_model + SUMMARY_SIZE, hidden, d_model, dropout)
        self.out_norm = nn.LayerNorm(d_model)
        self.readout = nn.Linear(d_model, 8 + 24 + 2 + 3)

    @staticmethod
    def summary(head_out: Mapping[str, Tensor]) -> Tensor:
        return torch.cat([
            head_out["emotion_probs"], head_out["graded_probs"], head_out["intensity_probs"],
            head_out["valence"].unsqueeze(-1), head_out["arousal"].unsqueeze(-1),
            head_out["cultural"],
        ], dim=-1)

    def forward(self, x: Tensor, head_out: Mapping[str, Tensor]) -> Tensor:
        return x + self.refine(torch.cat([self.norm(x), self.summary(head_out)], dim=-1))

    def corrections(self, z: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        """(emotion (B, 8), grade (B, 8, 3), va (B, 2), cultural (B, 3)) logit corrections."""
        out = self.readout(self.out_norm(z))
        return out[:, :8], out[:, 8:32].reshape(-1, 8, 3), out[:, 32:34], out[:, 34:]


class EmotionAnalyzer(nn.Module):
    """The emotion analyzer (see the module docstring for the data flow and keys)."""

    PART_TARGETS: ClassVar[dict[str, int]] = {
        "base": 5_000_000, "biosignal": 10_000_000, "fusion": 10_000_000,
        "temporal": 10_000_000, "cultural": 10_000_000, "moe": 5_000_000,
    }

    def __init__(self, config: EmotionAnalyzerConfig):
        super().__init__()
        self.config = c = config
        d = c.d_model
        self.base = BaseRefinement(d, c.base_hidden, c.dropout)
        self.biosignal = BiosignalNetwork(c.bio_features, d, c.bio_hidden, c.bio_layers, c.dropout)
        self.fusion = MultimodalFusion(d, c.n_heads, (BIOSIGNAL_KEY,), c.fusion_hidden,
                                       c.pool_hidden, c.dropout)
        self.temporal = TemporalTracker(d, c.temporal_layers, c.gap_features, c.gap_hidden,
                                        c.temporal_hidden, c.dropout)
        self.cultural = CulturalNuance(d, c.n_heads, c.n_langs, c.cultural_hidden, c.dropout)
        self.moe_norm = nn.LayerNorm(d)
        self.moe = TopKMoE(d, c.moe_hidden, d, c.moe_experts, c.moe_top_k, c.dropout)
        init_weights(self)

    def forward(self, batch: EncodedBatch, head_out: Mapping[str, Tensor],
                upstream: Mapping[str, PluginOutputs] | None = None) -> dict[str, Tensor]:
        """Refine ``head_out`` for ``batch``; ``upstream`` is unused (emotion reads no plugin)."""
        check_batch(batch, self.config.d_model)
        b, device = batch.size, batch.tokens.device
        if head_out["hidden"].shape != (b, self.config.d_model):
            raise ValueError(f"head_out['hidden'] must be (B, D) = ({b}, {self.config.d_model}), "
                             f"got {tuple(head_out['hidden'].shape)}")
        z = self.base(head_out["hidden"], head_out)

        bio = collate_biosignal(batch.extras.get(BIOSIGNAL_KEY), b, self.config.bio_features,
                                device, z.dtype)
        modalities = {}
        if bool(bio.present.any()):
            modalities[BIOSIGNAL_KEY] = (self.biosignal(bio), bio.step_mask)
        z, has_bio = self.fusion(z, batch.tokens, batch.mask, modalities)

        groups = group_sequences(batch.extras.get(SEQUENCE_KEY), batch.extras.get(TIMESTAMP_KEY),
                                 b, device)
        z, in_seq = self.temporal(z, groups)

        z, cultural_delta = self.cultural(z, batch.tokens, batch.mask, batch.lang)
        moe_out, gates, balance = self.moe(self.moe_norm(z))
        z = z + moe_out

        d_emotion, d_grade, d_va, d_cultural = self.base.corrections(z)
        va_offset = head_out["va_offset"] + d_va
        out = hierarchy_readout(
            head_out["emotion_logits"] + d_emotion,
            head_out["grade_logits"] + d_grade,
            va_offset,
            head_out["cultural_logits"] + d_cultural + cultural_delta,
        )
        out.update(va_offset=va_offset, moe_gates=gates, moe_balance=balance,
                   has_biosignal=has_bio, in_sequence=in_seq, representation=z)
        return out


def build_analyzer(ctx: PluginContext) -> EmotionAnalyzer:
    """Plugin factory: the analyzer sized for ``ctx.preset``."""
    return EmotionAnalyzer(EmotionAnalyzerConfig.from_preset(ctx.preset))
