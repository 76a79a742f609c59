"""Input checks shared by the public functions; every error names the problem and the fix."""

from __future__ import annotations

import numpy as np


def as_finite_1d(x: object, name: str, min_length: int = 2) -> np.ndarray:
    """A 1-D float64 copy-free view of ``x``, checked for length and finiteness."""
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}; pass one variable per array")
    return _check_samples(arr, name, min_length)


def as_finite_2d(x: object, name: str, min_length: int = 2) -> np.ndarray:
    """``x`` as a 2-D array of shape (n_samples, n_dims); a 1-D input becomes one column."""
    arr = np.asarray(x)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 1-D (n_samples,) or 2-D (n_samples, n_dims), got shape {arr.shape}"
        )
    return _check_samples(arr, name, min_length)


def _check_samples(arr: np.ndarray, name: str, min_length: int) -> np.ndarray:
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    if arr.shape[0] < min_length:
        raise ValueError(
            f"{name} has {arr.shape[0]} sample(s); at least {min_length} are needed"
        )
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf; drop or impute those samples first")
    return arr


def same_length(**arrays: np.ndarray) -> int:
    """The common number of samples (axis 0) of ``arrays``, or a ValueError listing them."""
    lengths = {k: v.shape[0] for k, v in arrays.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"inputs have different numbers of samples: {lengths}; align them first")
    return next(iter(lengths.values()))


def check_base(base: float) -> float:
    """A logarithm base > 0 and != 1."""
    base = float(base)
    if not np.isfinite(base) or base <= 0 or base == 1:
        raise ValueError(f"base must be a positive number other than 1 (2 = bits, e = nats), got {base}")
    return base


def check_counts(table: object, name: str = "pmf") -> np.ndarray:
    """A non-negative, finite, not-all-zero histogram or pmf, returned without copying."""
    arr = np.asarray(table)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric counts or probabilities, got dtype {arr.dtype}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    # min and max are two passes without temporaries (large histograms are GBs); NaN propagates.
    lo, hi = arr.min(), arr.max()
    if arr.dtype.kind == "f" and (np.isnan(lo) or np.isnan(hi)):
        raise ValueError(f"{name} contains NaN; a histogram or pmf must be finite")
    if arr.dtype.kind == "f" and (np.isinf(lo) or np.isinf(hi)):
        raise ValueError(f"{name} contains inf; a histogram or pmf must be finite")
    if lo < 0:
        raise ValueError(f"{name} contains negative entries; counts and probabilities are >= 0")
    if hi == 0:
        raise ValueError(f"{name} is all zeros; there is no distribution to analyse")
    return arr
