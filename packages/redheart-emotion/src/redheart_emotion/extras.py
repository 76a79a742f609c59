"""Side inputs of the emotion analyzer, read from ``EncodedBatch.extras`` and validated.

Keys (each a list of B per-item values, ``None`` where an item lacks it):

* ``"biosignal"``: a feature vector (F,) or a windowed feature sequence (S, F): arrays, or
  ``redheart_signal.biosignal_features(...)`` / ``biosignal_feature_sequence(...)`` results
  (their ``present`` flags are honoured). F = the model's ``bio_features`` (default 17 =
  ``redheart_signal.FEATURE_NAMES``). NaN marks a feature that was not measured (masked, never
  imputed as a value); ±inf is an error.
* ``"sequence_id"``: any hashable id; rows sharing one form a sequence (conversation turns,
  diary entries). All rows of a sequence must be in the same batch.
* ``"timestamp"``: seconds (float). Rows of a sequence are ordered by it; a sequence must give
  every row a timestamp, or none (then batch order is the time order and gaps are 0).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import Tensor

BIOSIGNAL_KEY = "biosignal"
SEQUENCE_KEY = "sequence_id"
# len(redheart_signal.FEATURE_NAMES): ECG 3 + EDA 4 + EEG 10. Fixed here so the architecture
# does not depend on whether redheart-signal is installed; a test checks it.
DEFAULT_BIO_FEATURES = 17
TIMESTAMP_KEY = "timestamp"


@dataclass
class BiosignalBatch:
    """A padded batch of biosignal feature sequences.

    Attributes:
        values: (B, S, F) signed-log features, 0 where unobserved or padded.
        observed: (B, S, F) bool, True where a feature was measured.
        step_mask: (B, S) bool, True for real time steps with at least one observed feature.
        lengths: (B,) long, real steps per row (0 = no biosignal for that row).
    """

    values: Tensor
    observed: Tensor
    step_mask: Tensor
    lengths: Tensor

    @property
    def present(self) -> Tensor:
        """(B,) bool: rows that have a biosignal."""
        return self.lengths > 0


def signed_log(x: np.ndarray) -> np.ndarray:
    """sign(x) · log(1 + |x|): puts heart rates (~70), HRV (ms) and EEG powers on one scale."""
    return np.sign(x) * np.log1p(np.abs(x))


def collate_biosignal(
    items: Sequence[Any] | None,
    batch_size: int,
    n_features: int,
    device: torch.device | str = "cpu",
    dtype: torch.dtype = torch.float32,
) -> BiosignalBatch:
    """Validate and pad per-item biosignals into a :class:`BiosignalBatch`.

    Args:
        items: B values, each ``None``, (F,) or (S, F) array-like; ``None`` = nobody has one.
        batch_size: B.
        n_features: F the model was built for.

    Raises:
        ValueError: wrong count of items, wrong F, wrong rank, no steps, or ±inf values.
    """
    if items is None:
        items = [None] * batch_size
    if len(items) != batch_size:
        raise ValueError(
            f"extras[{BIOSIGNAL_KEY!r}] has {len(items)} items for a batch of {batch_size}; "
            f"give one per row (None where a row has no biosignal)"
        )
    arrays: list[np.ndarray | None] = []
    for i, item in enumerate(items):
        if item is None:
            arrays.append(None)
            continue
        a = _as_array(item)
        if a.ndim == 1:
            a = a[None, :]
        if a.ndim != 2:
            raise ValueError(
                f"biosignal of row {i} has shape {a.shape}; give a feature vector (F,) or a "
                f"windowed sequence (S, F)"
            )
        if a.shape[1] != n_features:
            raise ValueError(
                f"biosignal of row {i} has {a.shape[1]} features but this model expects "
                f"{n_features}; compute them with redheart_signal's biosignal feature functions "
                f"(or build the analyzer with bio_features={a.shape[1]})"
            )
        if a.shape[0] == 0:
            raise ValueError(f"biosignal of row {i} has no time steps; pass None instead")
        if np.isinf(a).any():
            raise ValueError(
                f"biosignal of row {i} contains infinite values; use NaN for unmeasured features"
            )
        arrays.append(a)
    s_max = max([a.shape[0] for a in arrays if a is not None], default=1)
    values = np.zeros((batch_size, s_max, n_features))
    observed = np.zeros((batch_size, s_max, n_features), dtype=bool)
    for i, a in enumerate(arrays):
        if a is None:
            continue
        seen = ~np.isnan(a)
        observed[i, : a.shape[0]] = seen
        values[i, : a.shape[0]] = np.where(seen, signed_log(np.nan_to_num(a)), 0.0)
    observed_t = torch.as_tensor(observed, device=device)
    step_mask = observed_t.any(-1)
    # A row's length runs to its last step with any observed feature: inner all-NaN steps stay
    # (the model sees them as unobserved), trailing ones are dropped, all-NaN rows count as absent.
    lengths = torch.zeros(batch_size, dtype=torch.long, device=device)
    for i in range(batch_size):
        idx = torch.nonzero(step_mask[i]).flatten()
        lengths[i] = int(idx[-1]) + 1 if len(idx) else 0
    step_mask = torch.arange(s_max, device=device)[None, :] < lengths[:, None]
    return BiosignalBatch(
        torch.as_tensor(values, dtype=dtype, device=device), observed_t, step_mask, lengths
    )


def _as_array(item: Any) -> np.ndarray:
    if isinstance(item, Tensor):
        return np.asarray(item.detach().cpu(), dtype=float)
    if hasattr(item, "values") and hasattr(item, "present"):  # redheart_signal feature objects
        values = np.asarray(item.values, dtype=float)
        return np.where(np.asarray(item.present, dtype=bool), values, np.nan)
    return np.asarray(item, dtype=float)


@dataclass
class SequenceGroups:
    """How the rows of a batch form sequences.

    Attributes:
        groups: row indices of every sequence with ≥ 2 rows, in time order.
        gaps: (B,) seconds since the previous row of the same sequence (0 for first rows and
            rows outside any sequence).
    """

    groups: list[list[int]]
    gaps: Tensor

    @property
    def in_sequence(self) -> list[int]:
        return [i for g in self.groups for i in g]


def group_sequences(
    sequence_ids: Sequence[Hashable | None] | None,
    timestamps: Sequence[float | None] | None,
    batch_size: int,
    device: torch.device | str = "cpu",
) -> SequenceGroups:
    """Group rows by ``sequence_id`` and order each group by ``timestamp``.

    Rows with no id, or the only row of their id, are singletons (not in ``groups``).

    Raises:
        ValueError: wrong list lengths, non-finite timestamps, or a sequence with timestamps
            for some rows but not others.
        TypeError: an unhashable sequence id.
    """
    ids = [None] * batch_size if sequence_ids is None else list(sequence_ids)
    ts = [None] * batch_size if timestamps is None else list(timestamps)
    for key, values in ((SEQUENCE_KEY, ids), (TIMESTAMP_KEY, ts)):
        if len(values) != batch_size:
            raise ValueError(
                f"extras[{key!r}] has {len(values)} items for a batch of {batch_size}; "
                f"give one per row (None where a row has none)"
            )
    by_id: dict[Hashable, list[int]] = {}
    for i, sid in enumerate(ids):
        if sid is None:
            continue
        if not isinstance(sid, Hashable):
            raise TypeError(f"sequence_id of row {i} is a {type(sid).__name__}, not hashable; "
                            f"use a str or int id")
        by_id.setdefault(sid, []).append(i)
    for i, t in enumerate(ts):
        if t is not None and not (isinstance(t, (int, float)) and math.isfinite(float(t))):
            raise ValueError(f"timestamp of row {i} must be a finite number of seconds, got {t!r}")
    gaps = torch.zeros(batch_size, device=device)
    groups: list[list[int]] = []
    for sid, rows in by_id.items():
        if len(rows) < 2:
            continue
        have = [ts[i] is not None for i in rows]
        if any(have) and not all(have):
            raise ValueError(
                f"sequence {sid!r} has timestamps for some rows but not others; give every row "
                f"of a sequence a timestamp, or none (then batch order is used)"
            )
        if all(have):
            rows = sorted(rows, key=lambda i: (float(ts[i]), i))
            for prev, cur in itertools.pairwise(rows):
                gaps[cur] = float(ts[cur]) - float(ts[prev])
        groups.append(rows)
    return SequenceGroups(groups, gaps)
