"""Amortised Beta posterior over each option's probability of a good outcome (SPEC §5: 10M).

A transformer encoder layer runs over the real slots (options judged against one another; the
padded slots are masked) with, per slot, the head's counterfactual state, the decision tree's
expected utility and the ensemble's mean p_good logit. A read-out gives a correction to that
logit and a concentration: ``p = σ(logit_head + Δ)``, ``n = 2 + softplus(c)`` pseudo-
observations, ``α = n p``, ``β = n (1 − p)`` — the Beta(α, β) belief of
:class:`redheart_regret.theory.BetaBelief.from_mean`, whose mean is p and whose variance
``p (1 − p) / (n + 1)`` says how sure the model is.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from redheart.layers import FeedForward

MIN_CONCENTRATION = 2.0


class BetaPosteriorNet(nn.Module):
    """(B, S, 2H) states + (B, S) evidence → p_good logits, α, β (each (B, S))."""

    def __init__(self, state_dim: int, d_model: int, n_heads: int, ffn: int, hidden: int,
                 dropout: float):
        super().__init__()
        self.slot_in = nn.Linear(state_dim + 2, d_model)
        self.encoder = nn.TransformerEncoderLayer(d_model, n_heads, ffn, dropout,
                                                  activation="gelu", batch_first=True,
                                                  norm_first=True)
        self.readout = FeedForward(d_model, hidden, 2, dropout)

    def forward(self, slot_states: Tensor, expected_utility: Tensor, prior_logit: Tensor,
                slot_mask: Tensor) -> dict[str, Tensor]:
        x = self.slot_in(torch.cat([slot_states, expected_utility[..., None],
                                    prior_logit[..., None]], -1))
        x = self.encoder(x, src_key_padding_mask=~slot_mask)
        r = self.readout(x)
        logits = prior_logit + r[..., 0]
        p = torch.sigmoid(logits)
        n = MIN_CONCENTRATION + F.softplus(r[..., 1])
        return {"p_good_logits": logits, "p_good": p, "alpha": n * p, "beta": n * (1.0 - p),
                "concentration": n}
