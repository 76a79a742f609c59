"""Kalman smoothing of emotion trajectories through redheart-signal (no network involved).

Texts of a sequence arrive at irregular times, but ``redheart_signal.EmotionKalman`` models a
random walk over evenly spaced steps (F = H = I, Q = q I per step, R = r I). So the timestamps
are put on a regular grid of ``step`` seconds (default: the smallest positive gap); grid cells
without a text are NaN rows, which the filter treats as predict-only steps. The process noise
therefore accumulates with elapsed time: a long silence lets the next text move the estimate
further. Texts falling into the same cell are averaged. The RTS-smoothed states are projected
back to distributions (clip at 0, renormalise; ``EmotionKalman.distributions``).

Needs the optional dependency: ``pip install "redheart-emotion[signal]"``.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from redheart import schema

logger = logging.getLogger(__name__)

MAX_GRID_STEPS = 10_000


def _signal() -> Any:
    try:
        import redheart_signal
    except ImportError as exc:
        raise ImportError(
            "Kalman smoothing of emotion trajectories needs redheart-signal: "
            'pip install "redheart-emotion[signal]" (or pip install redheart-signal)'
        ) from exc
    return redheart_signal


def time_grid(timestamps: np.ndarray, step: float | None = None,
              max_steps: int = MAX_GRID_STEPS) -> tuple[np.ndarray, float]:
    """Grid index (N,) of each timestamp and the step used (seconds).

    ``step`` defaults to the smallest positive gap (1 s when all timestamps are equal); when the
    grid would exceed ``max_steps`` cells the step grows to span / (max_steps - 1).
    """
    t = np.asarray(timestamps, dtype=float)
    if t.ndim != 1 or t.size == 0 or not np.all(np.isfinite(t)):
        raise ValueError(f"timestamps must be a non-empty 1-D array of finite seconds, got {t!r}")
    span = float(t.max() - t.min())
    if step is None:
        gaps = np.diff(np.unique(t))
        step = float(gaps.min()) if gaps.size else 1.0
    if not step > 0:
        raise ValueError(f"step must be positive seconds, got {step}")
    if span / step + 1 > max_steps:
        new_step = span / (max_steps - 1)
        logger.info("time grid of step %.3g s would need %d cells; using step %.3g s",
                    step, int(span / step) + 1, new_step)
        step = new_step
    return np.rint((t - t.min()) / step).astype(int), step


def kalman_smooth(
    probs: np.ndarray, timestamps: Sequence[float] | np.ndarray, *,
    process_var: float = 1e-3, observation_var: float = 1e-2, initial_var: float = 0.1,
    step: float | None = None,
) -> np.ndarray:
    """RTS-smoothed emotion distributions (N, 8) of a trajectory ``probs`` (N, 8) over time.

    Args:
        probs: one distribution over ``schema.EMOTIONS`` per text.
        timestamps: seconds, one per row (any order; rows are smoothed in time order and
            returned in the input order).
        process_var: random-walk variance per grid step (q).
        observation_var: observation noise variance (r); q / r sets how fast the estimate
            follows new texts.
        initial_var: variance of the uniform starting belief.
        step: grid step in seconds (see :func:`time_grid`).
    """
    p = schema_distribution(probs)
    idx, _ = time_grid(np.asarray(timestamps, dtype=float), step)
    if idx.shape[0] != p.shape[0]:
        raise ValueError(f"{p.shape[0]} distributions but {idx.shape[0]} timestamps")
    rs = _signal()
    n_cells = int(idx.max()) + 1
    sums, counts = np.zeros((n_cells, p.shape[1])), np.zeros(n_cells)
    np.add.at(sums, idx, p)
    np.add.at(counts, idx, 1.0)
    observations = np.full_like(sums, np.nan)
    seen = counts > 0
    observations[seen] = sums[seen] / counts[seen, None]
    config = rs.KalmanConfig.random_walk(process_var=process_var,
                                         observation_var=observation_var,
                                         initial_var=initial_var)
    result = rs.EmotionKalman(config).smooth(observations)
    return rs.EmotionKalman.distributions(result.means)[idx]


def smooth_sequences(
    probs: Any, sequence_ids: Sequence[Hashable | None],
    timestamps: Sequence[float | None] | None = None, **kwargs: Any,
) -> np.ndarray:
    """Smooth every sequence in a batch of analyzer outputs; other rows pass through.

    Args:
        probs: (B, 8) ``emotion_probs`` (tensor or array).
        sequence_ids, timestamps: the batch's extras (as in ``redheart_emotion.extras``);
            a sequence without timestamps is taken as evenly spaced in batch order.
        kwargs: passed to :func:`kalman_smooth`.

    Returns:
        (B, 8) distributions: smoothed for rows in a sequence of ≥ 2, unchanged otherwise.
    """
    if hasattr(probs, "detach"):
        probs = probs.detach().cpu().double().numpy()
    p = schema_distribution(probs)
    if len(sequence_ids) != p.shape[0]:
        raise ValueError(f"{len(sequence_ids)} sequence ids for {p.shape[0]} rows")
    ts = [None] * p.shape[0] if timestamps is None else list(timestamps)
    out = p.copy()
    groups: dict[Hashable, list[int]] = {}
    for i, sid in enumerate(sequence_ids):
        if sid is not None:
            groups.setdefault(sid, []).append(i)
    for sid, rows in groups.items():
        if len(rows) < 2:
            continue
        given = [ts[i] for i in rows]
        if any(t is None for t in given) and not all(t is None for t in given):
            raise ValueError(f"sequence {sid!r} has timestamps for some rows but not others")
        times = np.arange(len(rows), dtype=float) if given[0] is None else np.array(given, float)
        out[rows] = kalman_smooth(p[rows], times, **kwargs)
    return out


def schema_distribution(probs: Any) -> np.ndarray:
    """(N, 8) array of distributions, validated by core's schema rules."""
    p = np.asarray(probs, dtype=float)
    if p.ndim != 2:
        raise ValueError(f"expected distributions (N, 8), got shape {p.shape}")
    schema.project_polarity(p)  # core's validation: 8 values, finite, ≥ 0, rows sum to 1
    return p
