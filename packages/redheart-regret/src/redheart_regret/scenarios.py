"""Three scenario views (optimistic, neutral, pessimistic) of a decision.

Each view reads ``[context, slot state]`` (D + 2H) and estimates, per slot, the outcome utility
``u[k, s]`` ∈ [-1, 1] if that scenario happens, and, from ``[context, pooled state]``, the
scenario's probability-weight logit for the text. The scenarios act as the states of the world
of regret theory: state probabilities ``π = softmax(weights)`` are shared by all options, so

    utility[k] = Σ_s π_s u[k, s],     regret[k] = Σ_s π_s (max_j u[j, s] − u[k, s])

over the real slots j (the formulas of :mod:`redheart_regret.theory.matrix`, in torch).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from redheart_regret.config import N_SCENARIOS


class ScenarioView(nn.Module):
    """One scenario: a GELU trunk and two read-outs (slot utility, text weight logit)."""

    def __init__(self, d_in: int, hidden: int, dropout: float):
        super().__init__()
        self.trunk = nn.Linear(d_in, hidden)
        self.dropout = nn.Dropout(dropout)
        self.utility = nn.Linear(hidden, 1)
        self.weight = nn.Linear(hidden, 1)

    def forward(self, slot_in: Tensor, text_in: Tensor) -> tuple[Tensor, Tensor]:
        """slot_in (B, S, D_in), text_in (B, D_in) → utility (B, S), weight logit (B,)."""
        u = torch.tanh(self.utility(self.dropout(F.gelu(self.trunk(slot_in))))).squeeze(-1)
        w = self.weight(self.dropout(F.gelu(self.trunk(text_in)))).squeeze(-1)
        return u, w


class ScenarioViews(nn.Module):
    """The 3 views: (B, S, D_in), (B, D_in) → utilities (B, S, 3), weight logits (B, 3)."""

    def __init__(self, d_in: int, hidden: int, dropout: float):
        super().__init__()
        self.views = nn.ModuleList(ScenarioView(d_in, hidden, dropout) for _ in range(N_SCENARIOS))

    def forward(self, slot_in: Tensor, text_in: Tensor) -> tuple[Tensor, Tensor]:
        pairs = [view(slot_in, text_in) for view in self.views]
        return torch.stack([u for u, _ in pairs], -1), torch.stack([w for _, w in pairs], -1)


def expected_utility_and_regret(utilities: Tensor, probs: Tensor,
                                mask: Tensor) -> tuple[Tensor, Tensor]:
    """Expected utility and expected regret per slot over shared states.

    Args:
        utilities: (B, S, N) utility of slot k in state s.  probs: (B, N) state probabilities.
        mask: (B, S) bool, real slots (padded slots never count as the best foregone option).
    Returns:
        expected utility (B, S) and expected regret (B, S); padded slots hold 0.
    """
    neg = torch.finfo(utilities.dtype).min
    best = utilities.masked_fill(~mask[..., None], neg).amax(dim=1, keepdim=True)  # (B, 1, N)
    regret = (best - utilities) * mask[..., None].to(utilities.dtype)
    eu = torch.einsum("bkn,bn->bk", utilities, probs) * mask.to(utilities.dtype)
    return eu, torch.einsum("bkn,bn->bk", regret, probs)
