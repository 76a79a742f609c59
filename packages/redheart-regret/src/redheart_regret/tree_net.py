"""Neural decision-tree evaluation (SPEC §5: 10M at ``full``).

The tree is a decision node over the real slots, each leading to a chance node over the 3
scenarios, whose branches end in leaf values. A node network refines each (slot, scenario)
node; a value read-out corrects the simulator's score into the leaf value
``v[k, s] = tanh(score[k, s] + Δ[k, s])`` ∈ [-1, 1]; the chance probabilities π_s
(shared states of the world, as in regret theory) come from the head's scenario logits plus a
correction read from the nodes of each scenario pooled over the real slots. Backward induction
is then exact: ``V[k] = Σ_s π_s v[k, s]``, expected regret ``Σ_s π_s (max_j v[j, s] − v[k, s])``,
and the decision node's value ``max_k V[k]`` (the formulas of ``theory.tree``/``theory.matrix``).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from redheart.layers import FeedForward
from redheart_regret.scenarios import expected_utility_and_regret


class DecisionTreeEvaluator(nn.Module):
    """Nodes (B, S, 3, D) → leaf values, state probabilities, V[k], expected regret, root."""

    def __init__(self, d_model: int, hidden: int, head_hidden: int, dropout: float):
        super().__init__()
        self.node = FeedForward(d_model, hidden, d_model, dropout)
        self.norm = nn.LayerNorm(d_model)
        self.value = FeedForward(d_model, head_hidden, 1, dropout)
        self.chance = FeedForward(d_model, head_hidden, 1, dropout)

    def forward(self, nodes: Tensor, scores: Tensor, slot_mask: Tensor,
                prior_logits: Tensor) -> dict[str, Tensor]:
        """nodes (B, S, 3, D), simulator scores (B, S, 3), slot_mask (B, S), head scenario
        logits (B, 3) → dict of tensors (see the analyzer's table)."""
        h = self.norm(nodes + self.node(nodes))
        values = torch.tanh(scores + self.value(h).squeeze(-1))  # (B, S, 3)
        m = slot_mask[..., None, None].to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp_min(1.0)  # (B, 3, D)
        probs = torch.softmax(prior_logits + self.chance(pooled).squeeze(-1), -1)
        eu, er = expected_utility_and_regret(values, probs, slot_mask)
        root = eu.masked_fill(~slot_mask, -2.0).amax(-1)  # utilities ≥ -1, so -2 never wins
        return {"tree_values": values, "state_probs": probs, "slot_utilities": eu,
                "slot_regret": er, "decision_value": root}
