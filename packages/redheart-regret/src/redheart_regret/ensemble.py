"""The 5-network ensemble whose spread is the regret head's epistemic uncertainty.

Each member reads ``[context, state]`` (D + 2H) for the text (anticipated-regret logit and 6
regret-type logits) and for every slot (a p_good logit). Members are made diverse in two
deterministic ways (Lakshminarayanan et al. 2017; Osband et al. 2016):

* initialisation: member m is initialised from ``torch.Generator`` seeded with
  ``ensemble_seed + m`` (LeCun-normal weights, small normal biases), independent of the global
  RNG, so two heads built with the same config have identical ensembles;
* training: :func:`bootstrap_weights` gives every member a "double-or-nothing" bootstrap
  (Owen & Eckles 2012) over the batch — each row gets weight 0 or 2 with probability ½ — drawn
  from a generator seeded with ``(ensemble_seed, step)``; the losses weight each member's
  terms by its mask. In eval mode all weights are 1 and nothing random happens.

Uncertainty = standard deviation across members of the anticipated regret (population std).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from redheart.schema import REGRET_TYPES

N_TEXT_OUTPUTS = 1 + len(REGRET_TYPES)  # anticipated logit + type logits


class EnsembleMember(nn.Module):
    """One member: shared GELU trunk, text read-out (1 + 6) and slot read-out (1)."""

    def __init__(self, d_in: int, hidden: int, dropout: float):
        super().__init__()
        self.trunk = nn.Linear(d_in, hidden)
        self.dropout = nn.Dropout(dropout)
        self.text = nn.Linear(hidden, N_TEXT_OUTPUTS)
        self.slot = nn.Linear(hidden, 1)

    def forward(self, text_in: Tensor, slot_in: Tensor) -> tuple[Tensor, Tensor]:
        """text_in (B, D_in), slot_in (B, S, D_in) → text logits (B, 7), slot logits (B, S)."""
        t = self.text(self.dropout(F.gelu(self.trunk(text_in))))
        s = self.slot(self.dropout(F.gelu(self.trunk(slot_in)))).squeeze(-1)
        return t, s

    def reset_parameters(self, generator: torch.Generator) -> None:
        """LeCun-normal weights and N(0, 0.1) biases drawn from ``generator``."""
        for lin in (self.trunk, self.text, self.slot):
            if lin.weight.is_meta:
                continue
            with torch.no_grad():
                fan_in = lin.weight.shape[1]
                w = torch.randn(lin.weight.shape, generator=generator) / math.sqrt(fan_in)
                lin.weight.copy_(w)
                lin.bias.copy_(0.1 * torch.randn(lin.bias.shape, generator=generator))


class Ensemble(nn.Module):
    """M members: (B, D_in), (B, S, D_in) → text logits (B, M, 7), slot logits (B, S, M)."""

    def __init__(self, d_in: int, hidden: int, n_members: int, seed: int, dropout: float):
        super().__init__()
        self.seed = seed
        self.members = nn.ModuleList(EnsembleMember(d_in, hidden, dropout)
                                     for _ in range(n_members))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for m, member in enumerate(self.members):
            member.reset_parameters(torch.Generator().manual_seed(self.seed + m))

    def forward(self, text_in: Tensor, slot_in: Tensor) -> tuple[Tensor, Tensor]:
        outs = [member(text_in, slot_in) for member in self.members]
        return torch.stack([t for t, _ in outs], 1), torch.stack([s for _, s in outs], -1)


def bootstrap_weights(batch: int, n_members: int, seed: int, step: int,
                      device: torch.device) -> Tensor:
    """(B, M) double-or-nothing bootstrap weights in {0, 2}, a pure function of (seed, step)."""
    gen = torch.Generator().manual_seed(seed * 1_000_003 + step)
    keep = torch.rand(batch, n_members, generator=gen) < 0.5
    return (2.0 * keep.float()).to(device)
