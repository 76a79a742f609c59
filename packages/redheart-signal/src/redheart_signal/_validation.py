"""Input checks shared by the DSP, biosignal and Kalman modules.

Every public function validates its input here so that bad data fails early with a
``ValueError`` that names the problem and the fix, instead of propagating NaN through a filter.
"""

from __future__ import annotations

import math

import numpy as np


def check_fs(fs: float, name: str = "fs") -> float:
    """A sampling rate in Hz as a positive finite float."""
    try:
        value = float(fs)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number of samples per second, got {fs!r}") from exc
    if not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"{name} must be a positive, finite sampling rate in Hz, got {fs!r}; pass the rate "
            f"your recording was sampled at (e.g. {name}=256.0)"
        )
    return value


def check_signal(x: object, name: str = "signal", min_length: int = 1) -> np.ndarray:
    """A 1-D, finite float64 signal with at least ``min_length`` samples."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D (samples,), got shape {arr.shape}; pass one channel at a time "
            f"or flatten it"
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty; pass at least {max(min_length, 1)} samples")
    if arr.size < min_length:
        raise ValueError(
            f"{name} is too short: {arr.size} samples, need at least {min_length}; record longer "
            f"or lower the requested resolution"
        )
    _check_finite(arr, name)
    return arr


def check_channels(x: object, name: str = "signal", min_length: int = 1) -> np.ndarray:
    """A finite (channels, samples) array; a 1-D signal becomes one channel."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be (samples,) or (channels, samples), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty; pass at least {max(min_length, 1)} samples")
    if arr.shape[1] < min_length:
        raise ValueError(
            f"{name} is too short: {arr.shape[1]} samples per channel, need at least {min_length}"
            f" (is it (channels, samples) and not (samples, channels)?)"
        )
    _check_finite(arr, name)
    return arr


def _check_finite(arr: np.ndarray, name: str) -> None:
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite values; interpolate or drop them before "
            f"analysis"
        )


def check_positive(value: float, name: str) -> float:
    """A positive finite float parameter."""
    v = float(value)
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be positive and finite, got {value!r}")
    return v
