"""The encoder interface: text → token states (B, T, d_enc) and a padding mask (B, T).

Encoders are frozen and pretrained (except the tiny test encoder), run offline, and are
deterministic. The pipeline calls :meth:`Encoder.tokenize` once, sorts by length to batch
without wasting compute on padding, and calls :meth:`Encoder.forward` per batch.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor, nn


class EncoderError(RuntimeError):
    """An encoder is unknown, not installed, or its files are missing or corrupt."""


@dataclass
class Tokenized:
    """Token ids of a batch of texts, padded to the longest: ``ids`` (B, T) long, ``mask`` (B, T)
    bool (True = real token). ``lengths`` (B,) gives each text's real length."""

    ids: Tensor
    mask: Tensor

    @property
    def lengths(self) -> Tensor:
        return self.mask.sum(-1)

    def __len__(self) -> int:
        return self.ids.shape[0]

    def select(self, index: Sequence[int] | Tensor) -> Tokenized:
        """Rows ``index``, trimmed to the longest of them (no all-padding columns)."""
        index = torch.as_tensor(index, dtype=torch.long)
        mask = self.mask[index]
        t = max(int(mask.sum(-1).max()), 1)
        return Tokenized(self.ids[index, :t], mask[:, :t])


class Encoder(nn.Module, ABC):
    """A frozen text encoder.

    Attributes:
        name: identifier recorded in checkpoints (training and serving must use the same).
        dim: width d_enc of the token states.
        max_len: longest sequence (in the encoder's units) it accepts; longer texts are truncated.
    """

    name: str
    dim: int
    max_len: int

    @abstractmethod
    def tokenize(self, texts: Sequence[str]) -> Tokenized:
        """Tokenize ``texts`` (non-empty strings) into padded ids and a mask."""

    @abstractmethod
    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        """Token states (B, T, dim) for ids (B, T) and mask (B, T). Padded rows are arbitrary."""

    @torch.no_grad()
    def encode(self, texts: Sequence[str]) -> tuple[Tensor, Tensor]:
        """Convenience: tokenize and run; returns (states (B, T, dim), mask (B, T))."""
        tok = self.tokenize(check_texts(texts))
        return self(tok.ids, tok.mask), tok.mask

    @torch.no_grad()
    def embed(self, texts: Sequence[str]) -> Tensor:
        """Sentence embeddings (B, dim): masked mean of the token states (for probes)."""
        states, mask = self.encode(texts)
        m = mask.unsqueeze(-1).to(states.dtype)
        return (states * m).sum(1) / m.sum(1).clamp_min(1.0)

    def freeze(self) -> Encoder:
        self.eval()
        for p in self.parameters():
            p.requires_grad_(False)
        return self


def check_texts(texts: Sequence[str] | str) -> list[str]:
    """Validate a batch of input texts: a non-empty list of non-empty strings."""
    if isinstance(texts, str):
        raise TypeError("expected a list of texts, got a single string; wrap it in a list")
    texts = list(texts)
    if not texts:
        raise ValueError("no texts given; pass at least one non-empty string")
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"text {i} is a {type(t).__name__}, not a string")
        if not t.strip():
            raise ValueError(f"text {i} is empty or whitespace; remove it or give it content")
    return texts


def pad_ids(sequences: Sequence[Sequence[int]], pad_id: int) -> Tokenized:
    """Right-pad lists of ids into a :class:`Tokenized` batch."""
    t = max(max(len(s) for s in sequences), 1)
    ids = torch.full((len(sequences), t), pad_id, dtype=torch.long)
    mask = torch.zeros((len(sequences), t), dtype=torch.bool)
    for i, s in enumerate(sequences):
        ids[i, : len(s)] = torch.as_tensor(list(s), dtype=torch.long)
        mask[i, : len(s)] = True
    return Tokenized(ids, mask)
