"""k-nearest-neighbour estimators (nats by default).

* :func:`ksg_mutual_information`: Kraskov–Stögbauer–Grassberger algorithm 1 with the max-norm:
  ε_i = distance from point i to its k-th neighbour in the joint space, n_x(i) = number of other
  points strictly within ε_i in the x space, and
  I = ψ(k) + ψ(n) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩.
* :func:`ksg_conditional_mutual_information`: Frenzel–Pompe,
  I(X;Y|Z) = ψ(k) − ⟨ψ(n_xz + 1) + ψ(n_yz + 1) − ψ(n_z + 1)⟩.
* :func:`kl_entropy`: Kozachenko–Leonenko with the max-norm (unit ball volume 2^d),
  H = ψ(n) − ψ(k) + d ⟨ln 2ε⟩.

Joint-space neighbours come from ``scipy.spatial.cKDTree`` (p = ∞); one-dimensional marginal counts
use a sorted array and ``searchsorted``. Ties (repeated values) break the estimators' assumption of
continuous data, so a tiny seeded Gaussian jitter (``jitter`` × each column's std) is added; the
result is deterministic for a given ``seed``. For MI and CMI every column is first scaled to unit
variance (as scikit-learn does), since the max-norm compares coordinates directly.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma

from .._validation import as_finite_2d, check_base, same_length


def _prepare(arrays: dict[str, object], k: int, jitter: float, seed: int,
             standardize: bool) -> list[np.ndarray]:
    if int(k) != k or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    if jitter < 0:
        raise ValueError(f"jitter must be >= 0, got {jitter}")
    out = {name: as_finite_2d(a, name, min_length=k + 2).astype(np.float64) for name, a in
           arrays.items()}
    same_length(**out)
    rng = np.random.default_rng(seed)
    result = []
    for name, a in out.items():
        std = a.std(axis=0)
        if np.any(std == 0):
            raise ValueError(f"{name} has a constant column; it carries no information, drop it")
        if standardize:
            a = a / std
            std = np.ones_like(std)
        result.append(a + jitter * std * rng.standard_normal(a.shape))
    return result


def _kth_distance(points: np.ndarray, k: int) -> np.ndarray:
    """(n,) max-norm distance of each point to its k-th neighbour (itself excluded)."""
    dist, _ = cKDTree(points).query(points, k=k + 1, p=np.inf)
    return dist[:, -1]


def _count_within(points: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """(n,) number of other points at max-norm distance strictly below ``radius`` (per point)."""
    if points.shape[1] == 1:
        x = points[:, 0]
        xs = np.sort(x)
        hi = np.searchsorted(xs, x + radius, side="left")
        lo = np.searchsorted(xs, x - radius, side="right")
        # x ± ε is rounded, so the boundary found by searchsorted can be off by a point; fix it
        # with the exact test |x_j − x_i| < ε, the same float operation the tree uses.
        return _fix_upper(xs, x, radius, hi) - _fix_lower(xs, x, radius, lo) - 1
    tree = cKDTree(points)
    # nextafter turns the tree's "≤ r" into the estimator's strict "< ε".
    inner = np.nextafter(radius, 0)
    return tree.query_ball_point(points, inner, p=np.inf, return_length=True) - 1


def _fix_upper(xs: np.ndarray, x: np.ndarray, radius: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """First index with xs[j] − x ≥ radius, starting from an estimate that is off by rounding."""
    n = xs.size
    while True:
        inside = (hi < n) & (xs[np.minimum(hi, n - 1)] - x < radius)
        outside = (hi > 0) & (xs[np.maximum(hi - 1, 0)] - x >= radius)
        if not (inside.any() or outside.any()):
            return hi
        hi = hi + inside - outside


def _fix_lower(xs: np.ndarray, x: np.ndarray, radius: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """First index with x − xs[j] < radius, starting from an estimate that is off by rounding."""
    n = xs.size
    while True:
        outside = (lo < n) & (x - xs[np.minimum(lo, n - 1)] >= radius)
        inside = (lo > 0) & (x - xs[np.maximum(lo - 1, 0)] < radius)
        if not (inside.any() or outside.any()):
            return lo
        lo = lo + outside - inside


def ksg_mutual_information(x: object, y: object, k: int = 3, *, base: float = math.e,
                           jitter: float = 1e-10, seed: int = 0) -> float:
    """KSG (algorithm 1) estimate of I(X; Y).

    Args:
        x: (n,) or (n, d_x) samples.
        y: (n,) or (n, d_y) samples.
        k: number of neighbours (3–10 is usual; larger = less variance, more bias).
        base: logarithm base (default e: nats).
        jitter: relative std of the tie-breaking noise.
        seed: seed of the tie-breaking noise.
    """
    log_base = math.log(check_base(base))
    xs, ys = _prepare({"x": x, "y": y}, k, jitter, seed, standardize=True)
    n = xs.shape[0]
    eps = _kth_distance(np.hstack([xs, ys]), k)
    nx, ny = _count_within(xs, eps), _count_within(ys, eps)
    mi = digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1))
    return float(mi) / log_base


def ksg_conditional_mutual_information(x: object, y: object, z: object, k: int = 3, *,
                                       base: float = math.e, jitter: float = 1e-10,
                                       seed: int = 0) -> float:
    """Frenzel–Pompe (KSG-type) estimate of I(X; Y | Z); arguments as :func:`ksg_mutual_information`."""
    log_base = math.log(check_base(base))
    xs, ys, zs = _prepare({"x": x, "y": y, "z": z}, k, jitter, seed, standardize=True)
    eps = _kth_distance(np.hstack([xs, ys, zs]), k)
    nxz = _count_within(np.hstack([xs, zs]), eps)
    nyz = _count_within(np.hstack([ys, zs]), eps)
    nz = _count_within(zs, eps)
    cmi = digamma(k) - np.mean(digamma(nxz + 1) + digamma(nyz + 1) - digamma(nz + 1))
    return float(cmi) / log_base


def kl_entropy(x: object, k: int = 3, *, base: float = math.e, jitter: float = 1e-10,
               seed: int = 0) -> float:
    """Kozachenko–Leonenko estimate of the differential entropy H(X) (max-norm).

    Args:
        x: (n,) or (n, d) samples (not rescaled: entropy depends on the scale).
        Others: as :func:`ksg_mutual_information`.
    """
    log_base = math.log(check_base(base))
    (xs,) = _prepare({"x": x}, k, jitter, seed, standardize=False)
    n, d = xs.shape
    eps = _kth_distance(xs, k)
    h = digamma(n) - digamma(k) + d * np.mean(np.log(2.0 * eps))
    return float(h) / log_base


def knn_conditional_entropy(x: object, y: object, k: int = 3, *, base: float = math.e,
                            jitter: float = 1e-10, seed: int = 0) -> float:
    """H(X | Y) = H(X, Y) − H(Y), both by :func:`kl_entropy`."""
    xs = as_finite_2d(x, "x", k + 2)
    ys = as_finite_2d(y, "y", k + 2)
    same_length(x=xs, y=ys)
    return (kl_entropy(np.hstack([xs, ys]), k, base=base, jitter=jitter, seed=seed)
            - kl_entropy(ys, k, base=base, jitter=jitter, seed=seed))
