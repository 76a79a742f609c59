"""Neural building blocks shared by the backbone and every plugin (defined once, here).

Shapes use B = batch, T = sequence, D = width, E = experts.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class FeedForward(nn.Module):
    """Two-layer GELU MLP ``D_in → hidden → D_out`` with dropout: (..., D_in) → (..., D_out)."""

    def __init__(self, d_in: int, hidden: int, d_out: int | None = None, dropout: float = 0.0):
        super().__init__()
        self.fc = nn.Linear(d_in, hidden)
        self.proj = nn.Linear(hidden, d_out if d_out is not None else d_in)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: Tensor) -> Tensor:
        return self.proj(self.dropout(F.gelu(self.fc(x))))


class AttentionPooling(nn.Module):
    """Additive attention pooling over real tokens: (B, T, D) + mask (B, T) → (B, D).

    A small MLP scores each token; padding gets -inf before the softmax, so padded positions
    contribute exactly nothing. Returns the pooled vector and the weights (B, T).
    """

    def __init__(self, d_model: int, hidden: int):
        super().__init__()
        # no bias on the last layer: softmax is shift-invariant, a bias would get no gradient
        self.score = nn.Sequential(nn.Linear(d_model, hidden), nn.Tanh(),
                                   nn.Linear(hidden, 1, bias=False))

    def forward(self, x: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        scores = self.score(x).squeeze(-1)  # (B, T)
        scores = scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return torch.einsum("bt,btd->bd", weights, x), weights


def masked_mean(x: Tensor, mask: Tensor) -> Tensor:
    """Mean over real positions: (B, T, D), (B, T) bool → (B, D). Empty rows give zeros."""
    m = mask.unsqueeze(-1).to(x.dtype)
    return (x * m).sum(1) / m.sum(1).clamp_min(1.0)


class CrossAttention(nn.Module):
    """Pre-LN multi-head cross-attention block with a residual: queries attend to a memory.

    Args:
        x: (B, Tq, D) queries.  memory: (B, Tk, D).  memory_mask: (B, Tk) bool, True = real.
    Returns (B, Tq, D). Rows whose memory is all padding get the residual unchanged.
    """

    def __init__(self, d_model: int, n_heads: int, dropout: float = 0.0):
        super().__init__()
        self.norm_q = nn.LayerNorm(d_model)
        self.norm_kv = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)

    def forward(self, x: Tensor, memory: Tensor, memory_mask: Tensor) -> Tensor:
        empty = ~memory_mask.any(-1)  # (B,)
        # An all-padding row would make softmax NaN; give it one visible slot and zero it below.
        safe_mask = memory_mask.clone()
        safe_mask[empty, 0] = True
        out, _ = self.attn(self.norm_q(x), self.norm_kv(memory), self.norm_kv(memory),
                           key_padding_mask=~safe_mask, need_weights=False)
        out = out.masked_fill(empty[:, None, None], 0.0)
        return x + out


class TopKMoE(nn.Module):
    """Mixture of feed-forward experts with learned top-k routing and a balance loss.

    (B, D) → (B, D_out). A linear router scores E experts; the top k are softmax-weighted and
    the rest get weight 0 (Shazeer et al. 2017, without noise so inference is deterministic).
    ``balance_loss`` is the Switch-Transformer auxiliary loss E · Σ_e f_e · P_e (f_e: share of
    rows routed to e, P_e: mean router probability of e); it equals 1 for perfect balance.

    Every expert is evaluated densely and masked: at these batch sizes that is faster on a CPU
    than gathering rows per expert, and it gives every expert a gradient path via the router.
    """

    def __init__(self, d_in: int, hidden: int, d_out: int, n_experts: int, top_k: int,
                 dropout: float = 0.0):
        super().__init__()
        if not 1 <= top_k <= n_experts:
            raise ValueError(f"top_k must be in [1, n_experts={n_experts}], got {top_k}")
        self.top_k = top_k
        self.router = nn.Linear(d_in, n_experts)
        self.experts = nn.ModuleList(
            FeedForward(d_in, hidden, d_out, dropout) for _ in range(n_experts)
        )

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """Returns (output (B, D_out), gates (B, E) with k non-zeros per row, balance loss ())."""
        logits = self.router(x)  # (B, E)
        probs = torch.softmax(logits, dim=-1)
        top_val, top_idx = probs.topk(self.top_k, dim=-1)
        gates = torch.zeros_like(probs).scatter(-1, top_idx, top_val / top_val.sum(-1, keepdim=True))
        expert_out = torch.stack([e(x) for e in self.experts], dim=1)  # (B, E, D_out)
        out = torch.einsum("be,bed->bd", gates, expert_out)
        routed = torch.zeros_like(probs).scatter(-1, top_idx, 1.0 / self.top_k)
        balance = probs.shape[-1] * (routed.mean(0) * probs.mean(0)).sum()
        return out, gates, balance


def init_weights(module: nn.Module, n_layers: int = 1) -> None:
    """GPT-2 style init: N(0, 0.02) for linears/embeddings, zero biases, unit LayerNorms.

    Residual output projections (attributes named ``out_proj`` or ``proj``) get std
    0.02 / sqrt(2 · n_layers) so the residual stream's variance does not grow with depth.
    """
    for name, m in module.named_modules():
        if isinstance(m, nn.Linear):
            std = 0.02
            if name.endswith("out_proj") or name.endswith(".proj"):
                std = 0.02 / math.sqrt(2 * n_layers)
            nn.init.normal_(m.weight, 0.0, std)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, 0.0, 0.02)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
