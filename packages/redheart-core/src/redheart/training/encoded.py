"""Frozen-encoder cache: each record's text and option states computed once, then batched.

With the encoder frozen (the default), its outputs never change during training, so they are
computed once per run (sorted by length, in batches) and kept in memory; an optional cache file
(safetensors, keyed by encoder name and a hash of the texts) makes later runs start at once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import Tensor

from redheart import schema
from redheart.data import Record
from redheart.encoders import Encoder
from redheart.labels import LabelBatch, collate_labels
from redheart.model import ModelInputs, collate_inputs

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


@torch.no_grad()
def encode_texts(encoder: Encoder, texts: Sequence[str], batch_size: int = 64) -> list[Tensor]:
    """Encoder states of each text, unpadded: a list of (T_i, d_enc) float32 CPU tensors.

    Texts are sorted by token length before batching so little compute goes to padding.
    """
    tok = encoder.tokenize(list(texts))
    lengths = tok.lengths.tolist()
    order = sorted(range(len(texts)), key=lambda i: -lengths[i])
    out: list[Tensor | None] = [None] * len(texts)
    device = next(iter(encoder.parameters()), torch.empty(0)).device
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        sub = tok.select(idx)
        states = encoder(sub.ids.to(device), sub.mask.to(device)).float().cpu()
        for row, i in enumerate(idx):
            out[i] = states[row, : lengths[i]].clone()
    return out  # type: ignore[return-value]


@dataclass
class EncodedCorpus:
    """Records with their encoder states; ``batch(indices)`` builds model inputs and targets."""

    records: list[Record]
    states: list[Tensor]
    options: list[list[Tensor]]
    encoder_name: str

    @classmethod
    def build(cls, records: Sequence[Record], encoder: Encoder, cache_dir: str | Path | None = None,
              batch_size: int = 64) -> EncodedCorpus:
        records = list(records)
        texts = [r.text for r in records]
        option_texts = [o for r in records if r.decision for o in r.decision.options]
        key = hashlib.sha256("\x00".join([encoder.name, *texts, "\x01", *option_texts])
                             .encode()).hexdigest()[:16]
        cache = Path(cache_dir) / f"{encoder.name}-{key}.safetensors" if cache_dir else None
        if cache is not None and cache.is_file():
            flat = load_file(str(cache))
            all_states = [flat[f"s{i}"] for i in range(len(texts) + len(option_texts))]
            logger.info("encoder states loaded from %s", cache)
        else:
            all_states = encode_texts(encoder, texts + option_texts, batch_size)
            if cache is not None:
                cache.parent.mkdir(parents=True, exist_ok=True)
                save_file({f"s{i}": s.contiguous() for i, s in enumerate(all_states)}, str(cache))
        states, rest = all_states[: len(texts)], all_states[len(texts):]
        options: list[list[Tensor]] = []
        n = 0
        for r in records:
            k = len(r.decision.options) if r.decision else 0
            options.append(rest[n:n + k])
            n += k
        return cls(records, states, options, encoder.name)

    def __len__(self) -> int:
        return len(self.records)

    def subset(self, indices: Sequence[int]) -> EncodedCorpus:
        return EncodedCorpus([self.records[i] for i in indices], [self.states[i] for i in indices],
                             [self.options[i] for i in indices], self.encoder_name)

    def batch(self, indices: Sequence[int], device: torch.device | str = "cpu"
              ) -> tuple[ModelInputs, LabelBatch]:
        recs = [self.records[i] for i in indices]
        inputs = collate_inputs(
            [self.states[i] for i in indices],
            [schema.LANGUAGES.index(r.lang) for r in recs],
            [self.options[i] for i in indices],
        )
        return inputs.to(device), collate_labels(recs).to(device)
