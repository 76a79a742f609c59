"""The counterfactual sequence of a text: its decision options, or imagined alternatives.

Every row gets a sequence of S slots over which a bidirectional GRU runs, so each option is
judged in the context of the others (the forward pass sees the options before it, the backward
pass those after it):

* a row with a decision uses its real options (``batch.options``, masked);
* a row without one uses S learned *alternative-scenario queries* that attend to the text's
  tokens, each pulling out a different way the situation could have gone. These are real
  inputs (different token mixtures per query), not copies of one vector.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from redheart.layers import CrossAttention


class TextQueries(nn.Module):
    """Text context and imagined alternatives by cross-attention to the tokens.

    Query 0 is the regret features (plus a language embedding); queries 1..S are learned
    alternative queries offset by the same features, so alternatives depend on the text.
    """

    def __init__(self, d_model: int, n_heads: int, n_slots: int, n_languages: int,
                 dropout: float):
        super().__init__()
        self.lang = nn.Embedding(n_languages, d_model)
        self.alternatives = nn.Parameter(torch.zeros(n_slots, d_model))
        self.attend = CrossAttention(d_model, n_heads, dropout)

    def forward(self, features: Tensor, lang: Tensor, tokens: Tensor,
                mask: Tensor) -> tuple[Tensor, Tensor]:
        """features (B, D), lang (B,), tokens (B, T, D), mask (B, T) →
        context (B, D), alternatives (B, S, D)."""
        base = features + self.lang(lang)  # (B, D)
        queries = torch.cat([base[:, None], base[:, None] + self.alternatives[None]], dim=1)
        out = self.attend(queries, tokens, mask)  # (B, 1 + S, D)
        return out[:, 0], out[:, 1:]


def slot_sequence(alternatives: Tensor, options: Tensor | None,
                  option_mask: Tensor | None) -> tuple[Tensor, Tensor, Tensor]:
    """Per row, its options (padded to S slots) or its alternatives.

    Args:
        alternatives: (B, S, D).  options: (B, K, D) with K ≤ S, or ``None``.
        option_mask: (B, K) bool, or ``None``.
    Returns:
        slots (B, S, D), slot_mask (B, S) bool, has_options (B,) bool.
    """
    b, s, _ = alternatives.shape
    if options is None or option_mask is None:
        full = torch.ones(b, s, dtype=torch.bool, device=alternatives.device)
        return alternatives, full, torch.zeros(b, dtype=torch.bool, device=alternatives.device)
    k = options.shape[1]
    padded = alternatives.new_zeros(b, s, options.shape[2])
    padded[:, :k] = options
    pmask = torch.zeros(b, s, dtype=torch.bool, device=alternatives.device)
    pmask[:, :k] = option_mask
    has = pmask.any(-1)
    slots = torch.where(has[:, None, None], padded, alternatives)
    slot_mask = torch.where(has[:, None], pmask, torch.ones_like(pmask))
    return slots, slot_mask, has


class CounterfactualGRU(nn.Module):
    """Bidirectional GRU over the real slots of each row: (B, S, D_in) → (B, S, 2 H).

    Real slots are moved to the front of each row (stable order), packed by length so padding
    never enters the recurrence in either direction, and scattered back; padded slots get 0.
    """

    def __init__(self, d_in: int, hidden: int):
        super().__init__()
        self.gru = nn.GRU(d_in, hidden, batch_first=True, bidirectional=True)

    def forward(self, x: Tensor, mask: Tensor) -> Tensor:
        s = x.shape[1]
        order = torch.argsort((~mask).to(torch.int8), dim=1, stable=True)  # real slots first
        gathered = torch.gather(x, 1, order[..., None].expand_as(x))
        lengths = mask.sum(-1).cpu()
        packed = pack_padded_sequence(gathered, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.gru(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=s)  # (B, S, 2H)
        restored = torch.zeros_like(out).scatter(1, order[..., None].expand_as(out), out)
        return restored * mask[..., None].to(out.dtype)
