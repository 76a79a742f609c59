"""Temporal tracking over sequences of texts (conversation turns, diary entries).

Rows that share a ``sequence_id`` are ordered by timestamp; a causal GRU runs over each such
sequence, its input being the row's representation plus an encoding of the time gap since the
previous row, and its output is added back as a residual. Rows outside any sequence (or alone
in theirs) skip the GRU and pass through unchanged: a sequence block never runs over one step.

Time-gap encoding: u = log(1 + Δt / 1 s); features [sin(u ω_j), cos(u ω_j)] for G/2 fixed
frequencies ω_j = 2^(j/2) / 4, j = 0..G/2-1, so gaps from seconds to years are distinguishable;
a small MLP maps them to D.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from redheart.layers import FeedForward
from redheart_emotion.extras import SequenceGroups


def gap_encoding(gaps: Tensor, n_features: int) -> Tensor:
    """(N,) gaps in seconds (≥ 0) → (N, n_features) sinusoidal features of log(1 + gap)."""
    if n_features % 2:
        raise ValueError(f"gap encoding needs an even number of features, got {n_features}")
    if bool((gaps < 0).any()):
        raise ValueError("time gaps must be non-negative; sort rows by timestamp first")
    u = torch.log1p(gaps).unsqueeze(-1)
    j = torch.arange(n_features // 2, device=gaps.device, dtype=gaps.dtype)
    omega = 2.0 ** (j / 2) / 4
    return torch.cat([torch.sin(u * omega), torch.cos(u * omega)], dim=-1)


class TemporalTracker(nn.Module):
    """x (B, D) + :class:`SequenceGroups` → (B, D), GRU over each multi-row sequence.

    Args:
        d_model: D.
        n_layers: GRU layers.
        gap_features: G, size of the time-gap encoding (even).
        gap_hidden: hidden width of the gap MLP.
        hidden: hidden width of the output MLP.
    """

    def __init__(self, d_model: int, n_layers: int, gap_features: int, gap_hidden: int,
                 hidden: int, dropout: float = 0.0):
        super().__init__()
        self.gap_features = gap_features
        self.gap = FeedForward(gap_features, gap_hidden, d_model)
        self.norm = nn.LayerNorm(d_model)
        self.gru = nn.GRU(d_model, d_model, n_layers, batch_first=True,
                          dropout=dropout if n_layers > 1 else 0.0)
        self.out = FeedForward(d_model, hidden, d_model, dropout)

    def forward(self, x: Tensor, groups: SequenceGroups) -> tuple[Tensor, Tensor]:
        """Returns (tracked (B, D), in_sequence (B,) bool)."""
        in_seq = torch.zeros(x.shape[0], dtype=torch.bool, device=x.device)
        if not groups.groups:
            return x, in_seq
        lengths = torch.tensor([len(g) for g in groups.groups])
        index = torch.zeros(len(groups.groups), int(lengths.max()), dtype=torch.long,
                            device=x.device)
        for k, g in enumerate(groups.groups):
            index[k, : len(g)] = torch.tensor(g, device=x.device)
        real = torch.arange(index.shape[1])[None, :] < lengths[:, None]  # (G, L)
        gaps = groups.gaps.to(x.device, x.dtype)[index]  # (G, L)
        inp = self.norm(x[index]) + self.gap(gap_encoding(gaps, self.gap_features))
        packed = pack_padded_sequence(inp, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.gru(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=index.shape[1])
        rows = index[real.to(x.device)]
        in_seq[rows] = True
        return x.index_add(0, rows, self.out(out[real.to(x.device)])), in_seq
