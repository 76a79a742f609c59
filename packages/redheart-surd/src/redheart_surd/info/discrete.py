"""Plug-in (maximum-likelihood) entropies and mutual informations of discrete samples.

H = −Σ p̂ log p̂ over the observed states, with optional Miller–Madow bias correction
H_MM = H + (m − 1) / (2n) nats, m = number of occupied states, n = number of samples. Mutual
informations are sums of (corrected) entropies: I(X;Y) = H(X) + H(Y) − H(X,Y) and
I(X;Y|Z) = H(X,Z) + H(Y,Z) − H(Z) − H(X,Y,Z). Default unit: bits.

Inputs are (n,) or (n, d) arrays of discrete states (a row is one joint state). Continuous data
can be binned on the fly with ``bins`` (equal-width, histogramdd semantics, per column).
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_finite_2d, check_base, same_length
from ..binning import discretize

_CORRECTIONS = (None, "miller-madow")


def _states(x: object, name: str, bins: int | None) -> np.ndarray:
    arr = as_finite_2d(x, name, min_length=1)
    if bins is None:
        return arr
    cols = [discretize(arr[:, j], bins, "equal", f"{name}[:, {j}]").codes
            for j in range(arr.shape[1])]
    return np.stack(cols, axis=1)


def _encoded(bins: int | None, **arrays: object) -> list[Coded]:
    states = {k: _states(v, k, bins) for k, v in arrays.items()}
    same_length(**states)
    return [_encode(v) for v in states.values()]


Coded = tuple[int, np.ndarray]  # (number of joint states, state code per sample)


def _encode(arr: np.ndarray) -> Coded:
    """One integer code per row of a (n, d) array of discrete states."""
    code = np.zeros(arr.shape[0], dtype=np.int64)
    cells = 1
    for col in arr.T:
        radix, states = _factorize(col)
        cells *= radix
        if cells >= 2**62:
            _, inverse = np.unique(arr, axis=0, return_inverse=True)
            inverse = inverse.ravel().astype(np.int64)
            return int(inverse.max()) + 1, inverse
        code = code * radix + states
    return cells, code


def _factorize(col: np.ndarray) -> Coded:
    """(number of states, state index per sample) of one column."""
    if col.dtype.kind in "biu" or np.array_equal(col, np.round(col)):
        lo, hi = int(col.min()), int(col.max())
        if hi - lo <= 4 * col.size + 1024:
            # Small integer range: the values themselves are the state indices (no sort).
            return hi - lo + 1, col.astype(np.int64) - lo
    uniq, inverse = np.unique(col, return_inverse=True)
    return uniq.size, inverse.ravel().astype(np.int64)


def _joint_entropy(parts: list[Coded], correction: str | None) -> float:
    """Plug-in entropy in nats of the joint state of several encoded variables."""
    cells, code = parts[0]
    for radix, other in parts[1:]:
        if cells * radix >= 2**62:
            _, code = np.unique(code, return_inverse=True)
            cells = int(code.max()) + 1
        code = code * radix + other
        cells *= radix
    n = code.size
    if cells <= 4 * n + 1024:
        counts = np.bincount(code, minlength=cells)
        counts = counts[counts > 0]
    else:
        counts = np.unique(code, return_counts=True)[1]
    p = counts / n
    h = float(-(p * np.log(p)).sum())
    if correction == "miller-madow":
        h += (counts.size - 1) / (2.0 * n)
    return h


def _check(correction: str | None, base: float) -> float:
    if correction not in _CORRECTIONS:
        raise ValueError(f"unknown correction {correction!r}; use None or 'miller-madow'")
    return math.log(check_base(base))


def entropy(x: object, *, base: float = 2.0, correction: str | None = None,
            bins: int | None = None) -> float:
    """H(X) of discrete samples x (n,) or (n, d)."""
    log_base = _check(correction, base)
    return _joint_entropy(_encoded(bins, x=x), correction) / log_base


def conditional_entropy(x: object, y: object, *, base: float = 2.0,
                        correction: str | None = None, bins: int | None = None) -> float:
    """H(X | Y) = H(X, Y) − H(Y)."""
    log_base = _check(correction, base)
    xs, ys = _encoded(bins, x=x, y=y)
    return (_joint_entropy([xs, ys], correction) - _joint_entropy([ys], correction)) / log_base


def mutual_information(x: object, y: object, *, base: float = 2.0,
                       correction: str | None = None, bins: int | None = None) -> float:
    """I(X; Y) = H(X) + H(Y) − H(X, Y)."""
    log_base = _check(correction, base)
    xs, ys = _encoded(bins, x=x, y=y)
    h = (_joint_entropy([xs], correction) + _joint_entropy([ys], correction)
         - _joint_entropy([xs, ys], correction))
    return h / log_base


def conditional_mutual_information(x: object, y: object, z: object, *, base: float = 2.0,
                                   correction: str | None = None,
                                   bins: int | None = None) -> float:
    """I(X; Y | Z) = H(X, Z) + H(Y, Z) − H(Z) − H(X, Y, Z)."""
    log_base = _check(correction, base)
    xs, ys, zs = _encoded(bins, x=x, y=y, z=z)
    h = (_joint_entropy([xs, zs], correction) + _joint_entropy([ys, zs], correction)
         - _joint_entropy([zs], correction) - _joint_entropy([xs, ys, zs], correction))
    return h / log_base
