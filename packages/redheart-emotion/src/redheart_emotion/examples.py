"""Example side inputs for core's gradient check (``PluginSpec.examples``).

The seed corpus has no biosignals and no sequences, so the biosignal network, the fusion and
the temporal tracker would get no gradient in ``redheart train unified-test``. This gives the
checked records deterministic extras that exercise every path:

* row 0: a windowed biosignal feature sequence (S ≥ 2, GRU path) and no sequence id
  (temporal pass-through); row 1: a single feature vector (no GRU);
* rows 1.. : one sequence ("example") one hour apart (temporal GRU), when there are ≥ 3 rows;
  with 2 rows both form the sequence.

Biosignals are computed by redheart-signal from its synthetic ECG and EDA (heart rate
65 + 30 · arousal label when the record has one) when it is installed; otherwise fixed,
seeded feature arrays at typical scales stand in. These are test inputs for the gradient
check only, never used in analysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from redheart_emotion.extras import BIOSIGNAL_KEY, DEFAULT_BIO_FEATURES, SEQUENCE_KEY, TIMESTAMP_KEY


def _signal_features(arousal: float, seed: int, sequence: bool) -> Any:
    import redheart_signal as rs
    from redheart_signal.synthetic import synthetic_ecg, synthetic_eda

    fs = 128.0
    ecg, _ = synthetic_ecg(65.0 + 30.0 * arousal, fs, 30.0, seed=seed)
    eda = synthetic_eda([4.0, 15.0], [0.3 + arousal, 0.5], fs, 30.0, seed=seed)
    recordings = {"ecg": (ecg, fs), "eda": (eda, fs)}
    if sequence:
        return rs.biosignal_feature_sequence(recordings, window=10.0, step=5.0)
    return rs.biosignal_features(recordings)


def _fallback_features(seed: int, steps: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    scale = np.concatenate([[70.0, 50.0, 40.0], [2.0, 0.1, 3.0, 0.3], np.ones(10)])
    out = rng.normal(1.0, 0.1, size=(steps, DEFAULT_BIO_FEATURES)) * scale
    out[:, -10:] = np.nan  # no EEG, as in the signal path
    return out if steps > 1 else out[0]


def examples(records: Sequence[Any], seed: int = 0) -> dict[str, list[Any]]:
    """Extras (``biosignal``, ``sequence_id``, ``timestamp``) for ``records`` (see module doc)."""
    n = len(records)
    bio: list[Any] = [None] * n
    for row, sequence in ((0, True), (1, False)):
        if row >= n:
            continue
        arousal = getattr(records[row], "arousal", None)
        try:
            bio[row] = _signal_features(0.5 if arousal is None else float(arousal), seed + row,
                                        sequence)
        except ImportError:
            bio[row] = _fallback_features(seed + row, 5 if sequence else 1)
    first = 1 if n >= 3 else 0
    ids = [None] * first + ["example"] * (n - first) if n >= 2 else [None] * n
    times = [None if sid is None else 3600.0 * i for i, sid in enumerate(ids)]
    return {BIOSIGNAL_KEY: bio, SEQUENCE_KEY: ids, TIMESTAMP_KEY: times}
