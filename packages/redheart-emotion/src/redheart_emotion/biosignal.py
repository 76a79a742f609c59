"""Biosignal network: windowed physiological feature sequences → a memory for fusion.

(B, S, F) features (signed-log values plus an observed flag per feature, so NaN-masked features
are told apart from zeros) → per-step embedding MLP → a GRU over the real time steps of rows
with S ≥ 2 (a single feature vector skips the GRU: a recurrent block never runs over one step)
→ (B, S, D) memory with a (B, S) step mask.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from redheart.layers import FeedForward
from redheart_emotion.extras import BiosignalBatch


class BiosignalNetwork(nn.Module):
    """Encodes a :class:`BiosignalBatch` into a (B, S, D) memory.

    Args:
        n_features: F, features per time step.
        d_model: D.
        embed_hidden: hidden width of the per-step embedding MLP (input 2F: values + flags).
        n_layers: GRU layers over time steps.
    """

    def __init__(self, n_features: int, d_model: int, embed_hidden: int, n_layers: int,
                 dropout: float = 0.0):
        super().__init__()
        self.n_features = n_features
        self.embed = FeedForward(2 * n_features, embed_hidden, d_model, dropout)
        self.gru = nn.GRU(d_model, d_model, n_layers, batch_first=True,
                          dropout=dropout if n_layers > 1 else 0.0)
        self.proj = nn.Linear(d_model, d_model)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, bio: BiosignalBatch) -> Tensor:
        """Returns the memory (B, S, D), zero at padded steps (use ``bio.step_mask``)."""
        if bio.values.shape[-1] != self.n_features:
            raise ValueError(
                f"biosignal batch has {bio.values.shape[-1]} features, network expects "
                f"{self.n_features}"
            )
        x = self.embed(torch.cat([bio.values, bio.observed.to(bio.values.dtype)], dim=-1))
        seq_rows = torch.nonzero(bio.lengths >= 2).flatten()
        if len(seq_rows):
            packed = pack_padded_sequence(x[seq_rows], bio.lengths[seq_rows].cpu(),
                                          batch_first=True, enforce_sorted=False)
            out, _ = self.gru(packed)
            out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
            step = bio.step_mask[seq_rows].unsqueeze(-1).to(x.dtype)
            x = x.index_add(0, seq_rows, self.proj(out) * step)
        return self.norm(x) * bio.step_mask.unsqueeze(-1).to(x.dtype)
