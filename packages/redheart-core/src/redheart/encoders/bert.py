"""A plain-torch BERT encoder (post-LN, erf-GELU), shared by the pretrained encoders.

Both all-MiniLM-L6-v2 and multilingual-e5-small are BERT-shaped: word + position + token-type
embeddings, a LayerNorm, then ``n_layers`` post-LN blocks ``x = LN(x + attn(x))``,
``x = LN(x + ffn(x))``. Weights are loaded from the packages' own files by the encoder
modules (``minilm.py``, ``e5.py``); this file only defines the network and its parameter names.

Shapes: B = batch, T = tokens, H = hidden width, NH = heads, HD = H / NH.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from redheart.config import DictConfig


@dataclass(frozen=True)
class BertConfig(DictConfig):
    """Shape of a BERT encoder.

    Attributes:
        vocab_size: rows of the word-embedding table.
        hidden: width H of the token states.
        n_layers: number of post-LN transformer blocks.
        n_heads: attention heads (``hidden`` must divide evenly).
        intermediate: width of the feed-forward hidden layer.
        max_positions: rows of the learned position table (longest input, specials included).
        type_vocab_size: rows of the token-type table; every input uses type 0.
        eps: LayerNorm epsilon; 1e-12 in every BERT checkpoint we load, not torch's 1e-5.
    """

    vocab_size: int
    hidden: int = 384
    n_layers: int = 6
    n_heads: int = 12
    intermediate: int = 1536
    max_positions: int = 512
    type_vocab_size: int = 2
    eps: float = 1e-12

    def __post_init__(self) -> None:
        for field in ("vocab_size", "hidden", "n_layers", "n_heads", "intermediate",
                      "max_positions", "type_vocab_size"):
            if getattr(self, field) < 1:
                raise ValueError(f"BertConfig.{field} must be >= 1, got {getattr(self, field)}")
        if self.hidden % self.n_heads:
            raise ValueError(f"BertConfig.hidden={self.hidden} is not divisible by "
                             f"n_heads={self.n_heads}; pick a head count that divides it")
        if not self.eps > 0:
            raise ValueError(f"BertConfig.eps must be > 0, got {self.eps}")



class BertEmbeddings(nn.Module):
    """ids (B, T) → LN(word + position + type-0) (B, T, H).

    ``word`` is injected so an encoder can supply a memory-saving quantised table
    (see ``e5.Q4Embedding``); it must map (B, T) long → (B, T, H).
    """

    def __init__(self, cfg: BertConfig, word: nn.Module | None = None):
        super().__init__()
        self.word = word if word is not None else nn.Embedding(cfg.vocab_size, cfg.hidden)
        self.position = nn.Embedding(cfg.max_positions, cfg.hidden)
        self.token_type = nn.Embedding(cfg.type_vocab_size, cfg.hidden)
        self.norm = nn.LayerNorm(cfg.hidden, eps=cfg.eps)

    def forward(self, ids: Tensor) -> Tensor:
        t = ids.shape[1]
        positions = torch.arange(t, device=ids.device)  # (T,), shared by right-padded rows
        x = self.word(ids) + self.position(positions) + self.token_type.weight[0]
        return self.norm(x)


class SelfAttention(nn.Module):
    """Multi-head self-attention over real tokens: (B, T, H) + key mask (B, T) → (B, T, H)."""

    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.n_heads = cfg.n_heads
        self.q = nn.Linear(cfg.hidden, cfg.hidden)
        self.k = nn.Linear(cfg.hidden, cfg.hidden)
        self.v = nn.Linear(cfg.hidden, cfg.hidden)
        self.out = nn.Linear(cfg.hidden, cfg.hidden)

    def forward(self, x: Tensor, key_mask: Tensor) -> Tensor:
        b, t, h = x.shape

        def heads(y: Tensor) -> Tensor:
            return y.view(b, t, self.n_heads, h // self.n_heads).transpose(1, 2)  # (B, NH, T, HD)

        # key_mask (B, 1, 1, T): True = attend; padding keys are excluded for every query.
        ctx = F.scaled_dot_product_attention(heads(self.q(x)), heads(self.k(x)),
                                             heads(self.v(x)), attn_mask=key_mask)
        return self.out(ctx.transpose(1, 2).reshape(b, t, h))  # (B, T, H)


class BertLayer(nn.Module):
    """One post-LN block: ``x = LN(x + attn(x)); x = LN(x + W2 gelu(W1 x))``."""

    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.attn = SelfAttention(cfg)
        self.attn_norm = nn.LayerNorm(cfg.hidden, eps=cfg.eps)
        self.ffn_in = nn.Linear(cfg.hidden, cfg.intermediate)
        self.ffn_out = nn.Linear(cfg.intermediate, cfg.hidden)
        self.ffn_norm = nn.LayerNorm(cfg.hidden, eps=cfg.eps)

    def forward(self, x: Tensor, key_mask: Tensor) -> Tensor:
        x = self.attn_norm(x + self.attn(x, key_mask))
        # exact erf GELU, as both checkpoints were trained with it (not the tanh approximation)
        return self.ffn_norm(x + self.ffn_out(F.gelu(self.ffn_in(x), approximate="none")))


class BertModel(nn.Module):
    """BERT encoder: ids (B, T) long + mask (B, T) bool (True = real) → states (B, T, H).

    Inputs are right-padded; states of padded positions are defined but meaningless.
    """

    def __init__(self, cfg: BertConfig, word: nn.Module | None = None):
        super().__init__()
        self.cfg = cfg
        self.embeddings = BertEmbeddings(cfg, word)
        self.layers = nn.ModuleList(BertLayer(cfg) for _ in range(cfg.n_layers))

    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        check_ids_mask(ids, mask, self.cfg.max_positions)
        x = self.embeddings(ids)  # (B, T, H)
        key_mask = mask[:, None, None, :]  # (B, 1, 1, T)
        for layer in self.layers:
            x = layer(x, key_mask)
        return x


def check_ids_mask(ids: Tensor, mask: Tensor, max_positions: int) -> None:
    """Raise ValueError for ids/mask a BERT cannot run: wrong rank/dtype, mismatched shapes,
    too long, or a row with no real token (its attention would be all -inf, i.e. NaN)."""
    if ids.dim() != 2 or ids.dtype != torch.long:
        raise ValueError(f"ids must be a (B, T) long tensor, got {tuple(ids.shape)} {ids.dtype}")
    if mask.shape != ids.shape or mask.dtype != torch.bool:
        raise ValueError(f"mask must be a (B, T) bool tensor like ids {tuple(ids.shape)}, got "
                         f"{tuple(mask.shape)} {mask.dtype}")
    if ids.shape[1] > max_positions:
        raise ValueError(f"sequence length {ids.shape[1]} exceeds the model's {max_positions} "
                         "positions; tokenize with the encoder, which truncates")
    if ids.shape[1] == 0 or not bool(mask.any(-1).all()):
        raise ValueError("every row needs at least one real token (mask True); drop empty rows")
