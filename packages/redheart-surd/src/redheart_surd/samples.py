"""SURD from samples and from multivariate time series.

Each variable is discretised once; the joint histogram is counted with ``np.bincount`` on raveled
codes (dense when it fits ``memory_budget``, sparse over occupied cells otherwise) and decomposed
with the same engine as :func:`redheart_surd.surd`. With equal-width bins the histogram is
bit-identical to ``numpy.histogramdd`` on the same data.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np

from ._validation import as_finite_1d, check_base
from .binning import BinSpec, discretize, per_variable
from .decomposition import decompose_table
from .joint import DEFAULT_MEMORY_BUDGET, JointTable
from .result import SurdResult

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())



class SparseHistogramWarning(UserWarning):
    """The histogram has far more cells than samples: expect spurious synergy."""


def surd_from_samples(
    target: np.ndarray,
    sources: np.ndarray | Sequence[np.ndarray],
    *,
    bins: BinSpec | Sequence[BinSpec] = 10,
    binning: str = "equal",
    max_order: int | None = None,
    base: float = 2.0,
    names: Sequence[str] | None = None,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    sparsity_warning: float = 1.0,
) -> SurdResult:
    """SURD of a target given N sources, from paired samples.

    Args:
        target: (n,) target samples.
        sources: (N, n) array (one row per source) or a sequence of N arrays of shape (n,).
        bins: bins for every variable (int ≥ 2 or edges), or a list of N + 1 specs with the
            target's first.
        binning: ``"equal"`` (histogramdd semantics, last bin closed) or ``"quantile"``.
        max_order: cap on the interaction order (see :func:`redheart_surd.surd`).
        base: logarithm base (2 = bits).
        names: display names of the sources.
        memory_budget: bytes allowed for a dense histogram before switching to sparse counting.
        sparsity_warning: warn when cells > ``sparsity_warning`` × n (plug-in estimates become
            biased towards synergy when most cells are empty or singly occupied).
    """
    base = check_base(base)
    t = as_finite_1d(target, "target")
    rows = _source_rows(sources, t.shape[0])
    specs = per_variable(bins, len(rows) + 1)
    t_codes = discretize(t, specs[0], binning, "target")
    s_codes = [discretize(r, s, binning, f"source {i}")
               for i, (r, s) in enumerate(zip(rows, specs[1:]), 1)]
    return _decompose_codes(t_codes.codes, t_codes.n_bins, [d.codes for d in s_codes],
                            [d.n_bins for d in s_codes], max_order, base, names, memory_budget,
                            sparsity_warning)


def surd_from_series(
    series: np.ndarray,
    target: int,
    lag: int | Sequence[int] = 1,
    *,
    bins: BinSpec | Sequence[BinSpec] = 10,
    binning: str = "equal",
    max_order: int | None = None,
    base: float = 2.0,
    names: Sequence[str] | None = None,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    sparsity_warning: float = 1.0,
) -> SurdResult:
    """SURD of variable ``target`` of a multivariate series, caused by every variable's past.

    With one lag L (the reference convention): target = X[j, L:], sources = every variable at
    X[:, :-L] (the target's own past included); source i is variable i (1-based). With several
    lags L_1 < ... < L_m at once, the sources are every variable at every lag, lag-major: source
    ``(k - 1) * n_vars + v`` is variable v at lag L_k, and the target is X[j, max(L):].
    Each lagged slice is binned over its own range, exactly like ``numpy.histogramdd`` of the
    stacked matrix [X[j, L:]; X[:, :-L]] in the reference code.

    Args:
        series: (n_vars, n_time) samples.
        target: 0-based index of the target variable.
        lag: one lag ≥ 1 or a sequence of distinct lags.
        bins: one spec for all variables, or one per variable (n_vars), reused for every lag.
        names: names of the n_vars variables; lagged sources are named ``"name(t-L)"``.
        Others: as :func:`surd_from_samples`.
    """
    x = _as_series(series)
    n_vars, n_time = x.shape
    if not 0 <= int(target) < n_vars:
        raise ValueError(f"target index {target} out of range for {n_vars} variables (0-based)")
    lags = _lags(lag, n_time)
    top = max(lags)
    names = list(names) if names is not None else [f"x{i}" for i in range(1, n_vars + 1)]
    if len(names) != n_vars:
        raise ValueError(f"got {len(names)} names for {n_vars} variables")
    specs = per_variable(bins, n_vars)
    sources, source_specs, source_names = [], [], []
    for lag_k in lags:
        for v in range(n_vars):
            sources.append(x[v, top - lag_k: n_time - lag_k])
            source_specs.append(specs[v])
            source_names.append(names[v] if len(lags) == 1 else f"{names[v]}(t-{lag_k})")
    # As in the reference, every lagged slice is binned over its own range (histogramdd of the
    # stacked lagged matrix), so the result equals surd(np.histogramdd(Y.T, bins)).
    return surd_from_samples(
        x[target, top:], sources, bins=[specs[target], *source_specs], binning=binning,
        max_order=max_order, base=base, names=source_names, memory_budget=memory_budget,
        sparsity_warning=sparsity_warning,
    )


def _decompose_codes(
    t_codes: np.ndarray,
    n_t: int,
    s_codes: Sequence[np.ndarray],
    s_bins: Sequence[int],
    max_order: int | None,
    base: float,
    names: Sequence[str] | None,
    memory_budget: int,
    sparsity_warning: float,
) -> SurdResult:
    """Count discretised samples into a joint table and decompose it."""
    n = t_codes.shape[0]
    cells = n_t * int(np.prod(s_bins, dtype=np.float64))
    if cells > sparsity_warning * n:
        warnings.warn(
            f"the histogram has {cells:.3g} cells for {n} samples: plug-in SURD will show "
            "spurious synergy; use fewer bins, fewer sources or max_order",
            SparseHistogramWarning,
            stacklevel=3,
        )
    table = JointTable.from_codes(t_codes, s_codes, n_t, s_bins, memory_budget)
    return decompose_table(table, max_order=max_order, base=base, names=names)


def _source_rows(sources: np.ndarray | Sequence[np.ndarray], n: int) -> list[np.ndarray]:
    if isinstance(sources, np.ndarray):
        if sources.ndim == 1:
            sources = sources[None, :]
        if sources.ndim != 2:
            raise ValueError(f"sources must be (N, n_samples), got shape {sources.shape}")
        if sources.shape[1] != n and sources.shape[0] == n:
            raise ValueError(
                f"sources has shape {sources.shape} but the target has {n} samples; sources "
                "are rows (N, n_samples): pass sources.T"
            )
        rows = list(sources)
    else:
        rows = [np.asarray(s) for s in sources]
    if not rows:
        raise ValueError("no sources given; pass at least one source")
    out = [as_finite_1d(r, f"source {i}") for i, r in enumerate(rows, 1)]
    lengths = {len(r) for r in out}
    if lengths != {n}:
        raise ValueError(
            f"sources have {sorted(lengths)} samples but the target has {n}; align them first"
        )
    return out


def _as_series(series: np.ndarray) -> np.ndarray:
    x = np.asarray(series)
    if x.ndim != 2:
        raise ValueError(f"series must be (n_vars, n_time), got shape {x.shape}")
    if x.dtype.kind not in "biuf":
        raise TypeError(f"series must be numeric, got dtype {x.dtype}")
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise ValueError("series contains NaN or inf; drop or impute those time steps first")
    return x


def _lags(lag: int | Sequence[int], n_time: int) -> list[int]:
    lags = [lag] if np.ndim(lag) == 0 else list(lag)  # type: ignore[list-item]
    if not lags or any(int(v) != v or int(v) < 1 for v in lags) or len(set(lags)) != len(lags):
        raise ValueError(f"lags must be distinct integers >= 1, got {lag!r}")
    lags = sorted(int(v) for v in lags)
    if n_time - max(lags) < 2:
        raise ValueError(
            f"the series has {n_time} time steps, too few for lag {max(lags)}; at least "
            f"{max(lags) + 2} are needed"
        )
    return lags
