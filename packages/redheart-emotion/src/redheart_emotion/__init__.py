"""redheart-emotion: Plutchik emotions, their 3-level hierarchy, valence/arousal, cultural emotions.

Importing this package is light (numpy only). The neural parts live in ``redheart_emotion.head``
and ``redheart_emotion.analyzer``; the deterministic formulas in ``redheart_emotion.hierarchy``;
results in ``redheart_emotion.results``.
"""

from __future__ import annotations

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"
