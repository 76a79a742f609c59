"""Cultural nuance: language/culture-conditioned attention over tokens and per-culture experts.

How an emotion is expressed and which cultural emotions (jeong, han, chemyeon) apply depend on
the culture of the text. The row representation plus a learned language embedding queries the
tokens; the result goes through the expert MLP of the row's language (one per
``schema.LANGUAGES`` entry, hard-routed by ``batch.lang``), and a linear map gives corrections to
the cultural-emotion logits.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from redheart.layers import CrossAttention, FeedForward


class CulturalNuance(nn.Module):
    """x (B, D), tokens (B, T, D), mask (B, T), lang (B,) → (y (B, D), cultural delta (B, 3)).

    Args:
        d_model: D.
        n_heads: attention heads.
        n_langs: number of languages (``len(schema.LANGUAGES)``).
        hidden: hidden width of each language's expert MLP.
    """

    def __init__(self, d_model: int, n_heads: int, n_langs: int, hidden: int,
                 dropout: float = 0.0):
        super().__init__()
        self.n_langs = n_langs
        self.language = nn.Embedding(n_langs, d_model)
        self.token_attention = CrossAttention(d_model, n_heads, dropout)
        self.norm = nn.LayerNorm(d_model)
        self.experts = nn.ModuleList(
            FeedForward(d_model, hidden, d_model, dropout) for _ in range(n_langs)
        )
        self.cultural = nn.Linear(d_model, 3)

    def forward(self, x: Tensor, tokens: Tensor, mask: Tensor, lang: Tensor) -> tuple[Tensor, Tensor]:
        if lang.dtype != torch.long or bool(((lang < 0) | (lang >= self.n_langs)).any()):
            raise ValueError(f"batch.lang must be long indices in [0, {self.n_langs}) "
                             f"(schema.LANGUAGES order), got {lang.tolist()}")
        q = x + self.language(lang)
        c = self.token_attention(q.unsqueeze(1), tokens, mask).squeeze(1)
        z = self.norm(c)
        expert_out = torch.stack([e(z) for e in self.experts], dim=1)  # (B, L, D)
        y = c + expert_out[torch.arange(x.shape[0], device=x.device), lang]
        return y, self.cultural(y)
