"""Multimodal fusion: text tokens ↔ feature-sequence modalities by cross-attention.

For the rows that have at least one modality: text tokens attend to the concatenated modality
steps (each modality tagged by a learned type embedding) and the modality steps attend to the
text tokens; the two attended sequences are pooled and mixed into the row's representation as a
residual. Rows with no modality present are passed through unchanged (exactly), so a batch may
hold any subset of modalities per row.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch import Tensor, nn

from redheart.layers import AttentionPooling, CrossAttention, FeedForward, masked_mean


class MultimodalFusion(nn.Module):
    """x (B, D), tokens (B, T, D) + modalities {name: ((B, S, D), (B, S) mask)} → (B, D).

    Args:
        d_model: D.
        n_heads: attention heads.
        modalities: names of the modalities it knows (each gets a type embedding).
        hidden: hidden width of the mixing MLP (input 3D: row, attended text, attended modality).
        pool_hidden: hidden width of the attention pooling over attended text tokens.
    """

    def __init__(self, d_model: int, n_heads: int, modalities: tuple[str, ...], hidden: int,
                 pool_hidden: int, dropout: float = 0.0):
        super().__init__()
        if not modalities:
            raise ValueError("MultimodalFusion needs at least one modality name")
        self.modalities = tuple(modalities)
        self.modality_embedding = nn.Embedding(len(modalities), d_model)
        self.text_to_modality = CrossAttention(d_model, n_heads, dropout)
        self.modality_to_text = CrossAttention(d_model, n_heads, dropout)
        self.text_pool = AttentionPooling(d_model, pool_hidden)
        self.norm = nn.LayerNorm(3 * d_model)
        self.mix = FeedForward(3 * d_model, hidden, d_model, dropout)

    def forward(
        self, x: Tensor, tokens: Tensor, mask: Tensor,
        modalities: Mapping[str, tuple[Tensor, Tensor]],
    ) -> tuple[Tensor, Tensor]:
        """Returns (fused (B, D), present (B,) bool: rows that had any modality)."""
        unknown = set(modalities) - set(self.modalities)
        if unknown:
            raise ValueError(f"unknown modalities {sorted(unknown)}; this model knows "
                             f"{self.modalities}")
        present = torch.zeros(x.shape[0], dtype=torch.bool, device=x.device)
        mems, masks = [], []
        for name, (memory, step_mask) in modalities.items():
            if memory.shape[:2] != step_mask.shape or memory.shape[0] != x.shape[0]:
                raise ValueError(f"modality {name!r}: memory {tuple(memory.shape)} and mask "
                                 f"{tuple(step_mask.shape)} do not match a batch of {x.shape[0]}")
            type_id = torch.tensor(self.modalities.index(name), device=x.device)
            mems.append(memory + self.modality_embedding(type_id))
            masks.append(step_mask)
            present |= step_mask.any(-1)
        rows = torch.nonzero(present).flatten()
        if not len(rows):
            return x, present
        memory, memory_mask = torch.cat(mems, 1)[rows], torch.cat(masks, 1)[rows]
        text = self.text_to_modality(tokens[rows], memory, memory_mask)  # (R, T, D)
        steps = self.modality_to_text(memory, tokens[rows], mask[rows])  # (R, S, D)
        pooled_text, _ = self.text_pool(text, mask[rows])
        pooled_steps = masked_mean(steps, memory_mask)
        delta = self.mix(self.norm(torch.cat([x[rows], pooled_text, pooled_steps], dim=-1)))
        return x.index_add(0, rows, delta), present
