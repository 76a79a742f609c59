"""Temporal regret propagation over a sequence of time horizons (SPEC §5: 12M at ``full``).

The horizons are ``theory.HORIZONS_DAYS`` (a day … five years). At each horizon the input is
the refined text state, the horizon (log-days and sinusoidal features) and the theory's prior
for that horizon::

    prior(t) = R0 · (p_a · a(t) + p_i · i(t) + (1 − p_a − p_i))

with R0 the anticipated regret, p_a / p_i the action / inaction type probabilities and a(t),
i(t) the unit curves of :mod:`redheart_regret.theory.temporal` (Gilovich & Medvec 1995). An
LSTM runs over the horizons in order and corrects the prior in logit space:
``regret(t) = σ(logit(prior(t)) + Δ(t))``. No dataset labels regret over time, so the loss
(losses.py) pulls the trajectory towards the prior evaluated at the *labelled* anticipated
regret and type; the network learns text-dependent departures only as far as that allows.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import Tensor, nn

from redheart.layers import FeedForward
from redheart.schema import REGRET_TYPES
from redheart_regret.theory.temporal import (
    HORIZONS_DAYS,
    action_regret,
    inaction_regret,
)

ACTION, INACTION = REGRET_TYPES.index("action"), REGRET_TYPES.index("inaction")
N_FREQUENCIES = 4
EPS = 1e-4


def horizon_curves() -> tuple[Tensor, Tensor]:
    """Unit action and inaction curves a(t), i(t) at ``HORIZONS_DAYS``: two (H,) tensors."""
    t = np.asarray(HORIZONS_DAYS)
    return (torch.tensor(action_regret(1.0, t), dtype=torch.float32),
            torch.tensor(inaction_regret(1.0, t), dtype=torch.float32))


def theory_prior(r0: Tensor, p_action: Tensor, p_inaction: Tensor, curves: tuple[Tensor, Tensor]
                 ) -> Tensor:
    """(B,) R0, p_a, p_i → (B, H) prior trajectory (``theory.mixed_trajectory`` in torch)."""
    a, i = (c.to(r0.device, r0.dtype) for c in curves)
    rest = (1.0 - p_action - p_inaction).clamp_min(0.0)
    return r0[:, None] * (p_action[:, None] * a + p_inaction[:, None] * i + rest[:, None])


class TemporalPropagation(nn.Module):
    """(B, D) state, (B,) anticipated, (B, 6) type probs → (B, H) regret per horizon."""

    def __init__(self, d_model: int, hidden: int, n_layers: int, out_hidden: int,
                 dropout: float):
        super().__init__()
        a, i = horizon_curves()
        self.register_buffer("curve_action", a, persistent=False)
        self.register_buffer("curve_inaction", i, persistent=False)
        log_t = torch.log1p(torch.tensor(HORIZONS_DAYS, dtype=torch.float32))
        freqs = torch.tensor([2.0 ** k for k in range(N_FREQUENCIES)])
        ang = log_t[:, None] / math.log1p(max(HORIZONS_DAYS)) * math.pi * freqs[None]
        feats = torch.cat([log_t[:, None] / log_t.max(), a[:, None], i[:, None],
                           torch.sin(ang), torch.cos(ang)], -1)  # (H, 3 + 2F)
        self.register_buffer("horizon_features", feats, persistent=False)
        self.step_in = nn.Linear(d_model + feats.shape[1] + 1, hidden)
        self.lstm = nn.LSTM(hidden, hidden, n_layers, batch_first=True,
                            dropout=dropout if n_layers > 1 else 0.0)
        self.readout = FeedForward(hidden, out_hidden, 1, dropout)

    def forward(self, state: Tensor, anticipated: Tensor, type_probs: Tensor) -> dict[str, Tensor]:
        prior = theory_prior(anticipated, type_probs[:, ACTION], type_probs[:, INACTION],
                             (self.curve_action, self.curve_inaction))  # (B, H)
        b, h = prior.shape
        x = torch.cat([state[:, None].expand(-1, h, -1),
                       self.horizon_features[None].expand(b, -1, -1), prior[..., None]], -1)
        out, _ = self.lstm(self.step_in(x))  # (B, H, hidden)
        delta = self.readout(out).squeeze(-1)
        p = prior.clamp(EPS, 1.0 - EPS)
        return {"regret_trajectory": torch.sigmoid(torch.log(p) - torch.log1p(-p) + delta),
                "trajectory_prior": prior}
