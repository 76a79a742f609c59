"""A tiny randomly initialised encoder for tests: byte-level ids, embedding + 1 GRU layer.

Not pretrained and not for real use; it exists so tests exercise every code path in
milliseconds. Its weights come from a fixed seed, so it is identical in every process.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from redheart.encoders.base import Encoder, Tokenized, pad_ids

_PAD, _BYTES = 0, 256


class TinyEncoder(Encoder):
    """UTF-8 bytes → embedding (dim) → GRU (dim): states (B, T, dim)."""

    def __init__(self, dim: int = 16, max_len: int = 64, seed: int = 0):
        super().__init__()
        self.name, self.dim, self.max_len = f"tiny-{dim}", dim, max_len
        gen = torch.Generator().manual_seed(seed)
        self.embed_tokens = nn.Embedding(_BYTES + 1, dim, padding_idx=_PAD)
        self.gru = nn.GRU(dim, dim, batch_first=True)
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(torch.randn(p.shape, generator=gen) * 0.3)
            self.embed_tokens.weight[_PAD].zero_()
        self.freeze()

    def tokenize(self, texts: Sequence[str]) -> Tokenized:
        return pad_ids([[b + 1 for b in t.encode("utf-8")[: self.max_len]] for t in texts], _PAD)

    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        states, _ = self.gru(self.embed_tokens(ids))
        return states
