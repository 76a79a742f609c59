"""Split a text into sentences (Korean, English, CJK), for sentence-level encoders.

Rules: a sentence ends after a run of ``. ! ? …`` (plus closing quotes/brackets) that is
followed by whitespace or the end of the text, after a run of full-width ``。！？`` anywhere, and
at every line break. A ``.`` inside a token (``4.52``, ``e.g.x``) does not end a sentence; an
abbreviation followed by a space (``Mr. Kim``) does — a known, accepted limitation, since the
texts are short personal accounts rather than formal prose. Empty pieces are dropped.
"""

from __future__ import annotations

import re

_CLOSERS = "\"'”’」』)\\]》〉"
_BOUNDARY = re.compile(
    rf"[.!?…‽]+[{_CLOSERS}]*(?=\s|$)"  # Latin/Korean sentence punctuation before a space
    rf"|[。！？]+[{_CLOSERS}]*"  # full-width CJK punctuation needs no following space
    r"|\n"
)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` in order, stripped, without empty pieces.

    >>> split_sentences("오늘 시험을 망쳤다. 그래도 괜찮아! Really?")
    ['오늘 시험을 망쳤다.', '그래도 괜찮아!', 'Really?']
    """
    out, start = [], 0
    for m in _BOUNDARY.finditer(text):
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]
