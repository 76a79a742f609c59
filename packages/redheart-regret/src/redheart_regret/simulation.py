"""Counterfactual simulation over option × scenario nodes (SPEC §5: 15M at ``full``).

One node per (slot k, scenario s): its input is the head's counterfactual state of slot k, the
head's utility u[k, s], a scenario embedding, the refined text state and, when the Bentham
plugin ran with options, that option's hedonic value (else a learned absent embedding). Pre-LN
transformer decoder layers let the S × 3 nodes attend to one another (self-attention, padded
slots masked) and to the text's tokens (cross-attention), simulating how each option would
play out in each scenario given the alternatives.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from redheart_regret.config import N_SCENARIOS


class CounterfactualSimulator(nn.Module):
    """Nodes (B, S, 3, D) and simulated utility scores (B, S, 3) (pre-tanh: the utility
    is ``tanh(score)``; the decision tree refines the score)."""

    def __init__(self, state_dim: int, d_model: int, n_heads: int, n_layers: int, ffn: int,
                 dropout: float):
        super().__init__()
        self.node_in = nn.Linear(state_dim + 1, d_model)
        self.scenario = nn.Embedding(N_SCENARIOS, d_model)
        self.hedonic = nn.Linear(1, d_model)
        self.hedonic_absent = nn.Parameter(torch.zeros(d_model))
        self.layers = nn.ModuleList(
            nn.TransformerDecoderLayer(d_model, n_heads, ffn, dropout, activation="gelu",
                                       batch_first=True, norm_first=True)
            for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.readout = nn.Linear(d_model, 1)

    def forward(self, slot_states: Tensor, scenario_utilities: Tensor, text_state: Tensor,
                option_hedonic: Tensor | None, tokens: Tensor, token_mask: Tensor,
                slot_mask: Tensor) -> tuple[Tensor, Tensor]:
        """
        Args:
            slot_states: (B, S, 2H).  scenario_utilities: (B, S, 3).  text_state: (B, D).
            option_hedonic: (B, S) with NaN where unknown, or ``None`` (Bentham absent).
            tokens: (B, T, D), token_mask (B, T).  slot_mask: (B, S).
        """
        b, s, n = scenario_utilities.shape
        x = self.node_in(torch.cat([slot_states[:, :, None].expand(-1, -1, n, -1),
                                    scenario_utilities[..., None]], -1))  # (B, S, 3, D)
        x = x + self.scenario.weight[None, None] + text_state[:, None, None]
        absent = self.hedonic_absent[None, None].expand(b, s, -1)
        if option_hedonic is not None:
            known = torch.isfinite(option_hedonic)
            present = self.hedonic(torch.nan_to_num(option_hedonic, nan=0.0)[..., None])
            absent = torch.where(known[..., None], present, absent)
        x = (x + absent[:, :, None]).reshape(b, s * n, -1)
        pad = ~slot_mask.repeat_interleave(n, dim=1)  # (B, S·3), True = padded
        for layer in self.layers:
            x = layer(x, tokens, tgt_key_padding_mask=pad, memory_key_padding_mask=~token_mask)
        nodes = self.norm(x).reshape(b, s, n, -1)
        return nodes, self.readout(nodes).squeeze(-1)
