"""Discretisation of continuous samples into integer states, one variable at a time.

* ``"equal"``: equal-width bins over [min, max], the last bin closed, exactly as
  ``numpy.histogramdd`` (same edges from ``np.linspace``, same ``searchsorted`` rule), so counting
  the codes reproduces histogramdd bit for bit.
* ``"quantile"``: equal-frequency bins with edges at the empirical quantiles; duplicate edges
  (from tied values) are merged, so a variable may get fewer bins than asked (logged).
* explicit edges: a strictly increasing 1-D array; values outside [edges[0], edges[-1]] are an
  error, the last bin is closed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

BinSpec = int | Sequence[float] | np.ndarray


@dataclass(frozen=True)
class Discretized:
    """Integer states of one variable.

    Attributes:
        codes: (n,) int64 states in ``0..n_bins-1``.
        edges: (n_bins + 1,) bin edges used.
    """

    codes: np.ndarray
    edges: np.ndarray

    @property
    def n_bins(self) -> int:
        return int(self.edges.size - 1)


def discretize(x: np.ndarray, bins: BinSpec = 10, method: str = "equal",
               name: str = "variable") -> Discretized:
    """Discretise one finite 1-D variable.

    Args:
        x: (n,) finite samples.
        bins: number of bins (≥ 2) or an explicit increasing array of edges.
        method: ``"equal"`` (histogramdd semantics) or ``"quantile"``; ignored with explicit edges.
        name: used in error messages.
    """
    x = np.asarray(x)
    if np.ndim(bins) == 1:
        edges = np.asarray(bins, dtype=np.float64)
        if edges.size < 3 or not np.all(np.diff(edges) > 0):
            raise ValueError(
                f"edges for {name} must be strictly increasing with at least 2 bins, got {edges}"
            )
        if x.min() < edges[0] or x.max() > edges[-1]:
            raise ValueError(
                f"{name} has values outside its edges [{edges[0]}, {edges[-1]}]; widen the edges"
            )
        return Discretized(_digitize(x, edges), edges)
    if isinstance(bins, bool) or int(bins) != bins or int(bins) < 2:
        raise ValueError(f"bins for {name} must be an integer >= 2 or an array of edges, got {bins!r}")
    n_bins = int(bins)
    lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        raise ValueError(
            f"{name} is constant ({lo}); a constant variable carries no information, drop it"
        )
    if method == "equal":
        edges = np.linspace(lo, hi, n_bins + 1)
    elif method == "quantile":
        edges = np.unique(np.quantile(x, np.linspace(0.0, 1.0, n_bins + 1)))
        if edges.size - 1 < n_bins:
            logger.info("%s: %d tied quantile edges merged, %d bins left", name,
                        n_bins + 1 - edges.size, edges.size - 1)
    else:
        raise ValueError(f"unknown binning method {method!r}; use 'equal' or 'quantile'")
    return Discretized(_digitize(x, edges), edges)


def _digitize(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    # histogramdd: searchsorted(side="right"), values on the last edge go into the last bin.
    codes = np.searchsorted(edges, x, side="right")
    codes[x == edges[-1]] -= 1
    codes -= 1
    return codes.astype(np.int64, copy=False)


def per_variable(spec: BinSpec | Sequence[BinSpec], n_vars: int) -> list[BinSpec]:
    """Broadcast a bin spec to ``n_vars`` variables.

    An int, or a 1-D ndarray of edges, applies to every variable; a list or tuple must hold one
    spec (int or edges) per variable.
    """
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        return [int(spec)] * n_vars
    if isinstance(spec, np.ndarray) and spec.ndim == 1:
        return [spec] * n_vars
    if not isinstance(spec, (list, tuple)):
        raise TypeError(
            f"bins must be an int, an ndarray of edges or a list of per-variable specs, got "
            f"{type(spec).__name__}"
        )
    if len(spec) != n_vars:
        raise ValueError(
            f"got {len(spec)} bin specs for {n_vars} variables; pass one per variable "
            "(target first), or one int / edge array for all"
        )
    return list(spec)
