"""Gaussian and Gaussian-copula estimators (nats by default).

Under a Gaussian model with sample covariance Σ (ddof = 1):
H(X) = ½ ln((2πe)^d det Σ_X),  I(X;Y) = ½ ln(det Σ_X det Σ_Y / det Σ_XY),
I(X;Y|Z) = ½ ln(det Σ_XZ det Σ_YZ / (det Σ_Z det Σ_XYZ)).

The Gaussian copula estimator (Ince et al. 2017) first maps every column to standard-normal
scores through its ranks, Φ⁻¹(rank / (n + 1)), then applies the Gaussian MI: a lower bound on the
true MI that is robust to monotone transforms of each variable. There is no copula entropy here,
because the rank transform discards the marginal entropies; only MI and CMI are meaningful.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtri
from scipy.stats import rankdata

from .._validation import as_finite_2d, check_base, same_length


def _logdet_cov(a: np.ndarray, name: str) -> float:
    cov = np.atleast_2d(np.cov(a, rowvar=False))
    sign, logdet = np.linalg.slogdet(cov)
    if sign <= 0 or not np.isfinite(logdet):
        raise ValueError(
            f"the covariance of {name} is singular (constant or collinear columns); drop the "
            "redundant columns"
        )
    return float(logdet)


def _columns(arrays: dict[str, object]) -> dict[str, np.ndarray]:
    out = {k: as_finite_2d(v, k, min_length=3).astype(np.float64) for k, v in arrays.items()}
    n = same_length(**out)
    dims = sum(a.shape[1] for a in out.values())
    if n <= dims:
        raise ValueError(f"{n} samples are too few for a {dims}-dimensional covariance")
    return out


def gaussian_entropy(x: object, *, base: float = math.e) -> float:
    """H(X) of a Gaussian fitted to x (n,) or (n, d)."""
    log_base = math.log(check_base(base))
    xs = _columns({"x": x})["x"]
    d = xs.shape[1]
    return 0.5 * (d * math.log(2 * math.pi * math.e) + _logdet_cov(xs, "x")) / log_base


def gaussian_conditional_entropy(x: object, y: object, *, base: float = math.e) -> float:
    """H(X | Y) = H(X, Y) − H(Y) under a Gaussian model."""
    log_base = math.log(check_base(base))
    c = _columns({"x": x, "y": y})
    d = c["x"].shape[1]
    h = 0.5 * (d * math.log(2 * math.pi * math.e) + _logdet_cov(np.hstack([c["x"], c["y"]]), "(x, y)")
               - _logdet_cov(c["y"], "y"))
    return h / log_base


def gaussian_mutual_information(x: object, y: object, *, base: float = math.e) -> float:
    """I(X; Y) under a Gaussian model; for scalars −½ ln(1 − ρ²)."""
    log_base = math.log(check_base(base))
    c = _columns({"x": x, "y": y})
    mi = 0.5 * (_logdet_cov(c["x"], "x") + _logdet_cov(c["y"], "y")
                - _logdet_cov(np.hstack([c["x"], c["y"]]), "(x, y)"))
    return mi / log_base


def gaussian_conditional_mutual_information(x: object, y: object, z: object, *,
                                            base: float = math.e) -> float:
    """I(X; Y | Z) under a Gaussian model (linear-Gaussian transfer entropy uses this)."""
    log_base = math.log(check_base(base))
    c = _columns({"x": x, "y": y, "z": z})
    xz = np.hstack([c["x"], c["z"]])
    yz = np.hstack([c["y"], c["z"]])
    xyz = np.hstack([c["x"], c["y"], c["z"]])
    cmi = 0.5 * (_logdet_cov(xz, "(x, z)") + _logdet_cov(yz, "(y, z)")
                 - _logdet_cov(c["z"], "z") - _logdet_cov(xyz, "(x, y, z)"))
    return cmi / log_base


def copula_normalize(x: object) -> np.ndarray:
    """Standard-normal scores Φ⁻¹(rank / (n + 1)) of each column; ties get their average rank.

    Args:
        x: (n,) or (n, d) samples.

    Returns:
        (n, d) array.
    """
    xs = as_finite_2d(x, "x", min_length=2)
    ranks = rankdata(xs, axis=0)
    return ndtri(ranks / (xs.shape[0] + 1))


def gaussian_copula_mutual_information(x: object, y: object, *, base: float = math.e) -> float:
    """Gaussian-copula I(X; Y): Gaussian MI of the copula-normalised columns."""
    return gaussian_mutual_information(copula_normalize(x), copula_normalize(y), base=base)


def gaussian_copula_conditional_mutual_information(x: object, y: object, z: object, *,
                                                   base: float = math.e) -> float:
    """Gaussian-copula I(X; Y | Z)."""
    return gaussian_conditional_mutual_information(
        copula_normalize(x), copula_normalize(y), copula_normalize(z), base=base
    )
