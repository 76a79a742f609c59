"""Joint tables of a target and N sources, their subset marginals and specific informations.

A table holds counts (or probabilities) over (target state τ, source states a_1..a_N). Two storage
forms share one interface:

* dense: an ndarray with the target on axis 0 and source ``i`` on axis ``i`` (histogramdd layout);
* sparse: only the occupied cells, as per-cell digit arrays (``tau`` and one per source) plus
  weights, sorted so that cells with equal source states are contiguous.

Subset marginals are computed top-down: the marginal over sources S is summed out of the smallest
already-computed marginal over a superset S ∪ {j}, so each level costs about one pass over the
level above it instead of one pass over the full table per subset. Only two levels are held at
once, which bounds peak memory at roughly the full table plus its largest level of marginals.

All logarithms here are natural; callers convert to their base.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .subsets import Subset

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_INT64_LIMIT = 2**62  # cell codes must stay well inside int64
DEFAULT_MEMORY_BUDGET = 256 * 2**20  # bytes allowed for one dense int64/float64 table
# A dense table with fewer than this fraction of non-zero cells is analysed over its non-zero
# cells only: every later pass then costs O(occupied cells) instead of O(all cells).
_SPARSE_FRACTION = 0.25


@dataclass
class Marginal:
    """Counts over (τ, a_S) for one source subset S.

    Attributes:
        sources: S, sorted 1-based source numbers.
        dense: counts of shape (n_target, *bins of S) for the dense form, else ``None``.
        tau: (n_cells,) target state of each occupied cell (sparse form).
        digits: source number -> (n_cells,) state of that source in each cell (sparse form).
        weights: (n_cells,) count of each cell (sparse form).
    """

    sources: Subset
    dense: np.ndarray | None = None
    tau: np.ndarray | None = None
    digits: dict[int, np.ndarray] | None = None
    weights: np.ndarray | None = None

    @property
    def size(self) -> int:
        """Number of stored cells (the cost of summing over this marginal)."""
        if self.dense is not None:
            return int(self.dense.size)
        assert self.weights is not None
        return int(self.weights.size)


class JointTable:
    """Counts over (target, sources) in dense or sparse form.

    Args:
        n_target: number of target states.
        bins: number of states of each source, in source order.
        full: the marginal over all sources (the table itself).
    """

    def __init__(self, n_target: int, bins: Sequence[int], full: Marginal,
                 memory_budget: int = DEFAULT_MEMORY_BUDGET) -> None:
        self.memory_budget = int(memory_budget)
        self.n_target = int(n_target)
        self.bins = tuple(int(b) for b in bins)
        self.full = full
        self.n_sources = len(self.bins)
        self.target_counts = self._target_counts()
        self.total = float(self.target_counts.sum())

    # construction ------------------------------------------------------------------------------
    @classmethod
    def from_dense(cls, table: np.ndarray,
                   memory_budget: int = DEFAULT_MEMORY_BUDGET) -> JointTable:
        """Wrap an (n_target, b_1, ..., b_N) array without copying it.

        A mostly-empty table (as a fine histogram of few samples is) is converted to the sparse
        form over its non-zero cells; the input is never modified.
        """
        if table.ndim < 2:
            raise ValueError(
                f"a joint table needs the target on axis 0 and at least one source axis, "
                f"got shape {table.shape}"
            )
        sources = tuple(range(1, table.ndim))
        n_t, bins = table.shape[0], table.shape[1:]
        sparse = _nonzero_cells(table)
        if sparse is None:
            return cls(n_t, bins, Marginal(sources, dense=table), memory_budget)
        a_code, tau, weights = sparse
        digits = dict(zip(sources, np.unravel_index(a_code, bins)))
        return cls(n_t, bins, Marginal(sources, tau=tau, digits=digits, weights=weights),
                   memory_budget)

    @classmethod
    def from_codes(
        cls,
        target: np.ndarray,
        sources: Sequence[np.ndarray],
        n_target: int,
        bins: Sequence[int],
        memory_budget: int,
    ) -> JointTable:
        """Count samples already discretised to integer states.

        Args:
            target: (n,) target states in ``0..n_target-1``.
            sources: N arrays (n,) of source states, source ``i`` in ``0..bins[i]-1``.
            memory_budget: bytes allowed for a dense int64 histogram; above it the table is
                stored sparsely over its occupied cells (at most n).
        """
        shape = (n_target, *bins)
        cells = int(np.prod(shape, dtype=object))
        names = tuple(range(1, len(bins) + 1))
        if cells * 8 <= memory_budget:
            # C-order code with the target most significant: identical to histogramdd's layout.
            flat = target.astype(np.int64, copy=True)
            for codes, b in zip(sources, bins):
                flat *= b
                flat += codes
            dense = np.bincount(flat, minlength=cells).reshape(shape)
            logger.debug("dense joint table %s (%d cells)", shape, cells)
            return cls(n_target, bins, Marginal(names, dense=dense), memory_budget)
        columns = dict(zip(names, sources))
        tau, digits, weights = _group(target, columns, n_target, dict(zip(names, bins)),
                                      np.ones(target.shape[0], dtype=np.int64))
        logger.debug("sparse joint table %s (%d of %d cells occupied)", shape, weights.size, cells)
        return cls(n_target, bins, Marginal(names, tau=tau, digits=digits, weights=weights),
                   memory_budget)

    # marginals ---------------------------------------------------------------------------------
    def _target_counts(self) -> np.ndarray:
        m = self.full
        if m.dense is not None:
            return np.asarray(m.dense.sum(axis=tuple(range(1, m.dense.ndim)), dtype=np.float64))
        assert m.tau is not None and m.weights is not None
        return np.bincount(m.tau, weights=m.weights, minlength=self.n_target).astype(np.float64)

    def project(self, parent: Marginal, sources: Subset) -> Marginal:
        """The marginal over ``sources`` (a subset of ``parent.sources``)."""
        if parent.dense is not None:
            drop = tuple(1 + k for k, s in enumerate(parent.sources) if s not in sources)
            # float32 or small-int tables are summed in 64 bits so marginals do not lose counts.
            acc = np.float64 if parent.dense.dtype.kind in "fb" else np.int64
            return Marginal(sources, dense=parent.dense.sum(axis=drop, dtype=acc))
        assert parent.tau is not None and parent.digits is not None and parent.weights is not None
        columns = {s: parent.digits[s] for s in sources}
        radices = {s: self.bins[s - 1] for s in sources}
        shape = (self.n_target, *(radices[s] for s in sources))
        cells = int(np.prod(shape, dtype=np.float64))
        if cells * 8 <= self.memory_budget and cells <= 4 * parent.size:
            # Small enough to count densely: a bincount is much cheaper than sorting cells.
            flat = parent.tau.astype(np.int64, copy=True)
            for s in sources:
                flat *= radices[s]
                flat += columns[s]
            dense = np.bincount(flat, weights=parent.weights, minlength=cells).reshape(shape)
            return Marginal(sources, dense=dense)
        tau, digits, weights = _group(parent.tau, columns, self.n_target, radices, parent.weights)
        return Marginal(sources, tau=tau, digits=digits, weights=weights)

    def marginals(self, subsets: Sequence[Subset]) -> Iterator[Marginal]:
        """Yield the marginal of every subset in ``subsets``, largest subsets first.

        Each marginal is summed out of the smallest cached marginal over a one-larger superset,
        falling back to the full table when none is cached (e.g. under an order cap).
        """
        full_set = tuple(range(1, self.n_sources + 1))
        by_size: dict[int, list[Subset]] = {}
        for s in subsets:
            by_size.setdefault(len(s), []).append(s)
        upper: dict[Subset, Marginal] = {full_set: self.full}
        for size in sorted(by_size, reverse=True):
            level: dict[Subset, Marginal] = {}
            for subset in by_size[size]:
                if subset == full_set:
                    level[subset] = self.full
                else:
                    parents = [
                        upper[p] for p in (_with(subset, j) for j in full_set if j not in subset)
                        if p in upper
                    ]
                    parent = min(parents, key=lambda m: m.size) if parents else self.full
                    level[subset] = self.project(parent, subset)
                yield level[subset]
            upper = level

    # information ------------------------------------------------------------------------------
    def specific_information(self, marginal: Marginal) -> np.ndarray:
        """i_S(τ) = Σ_a p(a|τ) ln[p(τ|a) / p(τ)] in nats, shape (n_target,).

        Only occupied cells enter the sum (0·log 0 = 0 exactly). Target states with p(τ) = 0
        get 0; their weight p(τ) in every aggregate is 0 anyway.
        """
        c_t = self.target_counts
        if marginal.dense is not None:
            table = marginal.dense.reshape(self.n_target, -1)
            c_a = table.sum(axis=0, dtype=np.float64)
            nz = np.flatnonzero(table)
            tau, a = np.divmod(nz, table.shape[1])
            w = np.asarray(table.ravel()[nz], dtype=np.float64)
            c_a_cell = c_a[a]
        else:
            assert marginal.tau is not None and marginal.weights is not None
            tau = marginal.tau
            w = np.asarray(marginal.weights, dtype=np.float64)
            group = _source_groups(marginal)
            c_a_cell = np.bincount(group, weights=w)[group]
        c_t_cell = c_t[tau]
        terms = (w / c_t_cell) * np.log(w * self.total / (c_a_cell * c_t_cell))
        return np.bincount(tau, weights=terms, minlength=self.n_target)

    def target_entropy(self) -> float:
        """H(T) in nats."""
        return _entropy_of_counts(self.target_counts, self.total)


def _nonzero_cells(table: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The non-zero cells of a dense table in the sparse layout, or None if it is not sparse.

    Works one target slice at a time, so a non-contiguous table (histogramdd returns a view) is
    copied at most one slice at a time, and gives up as soon as the non-zero fraction exceeds
    ``_SPARSE_FRACTION``. Returns (source code in C order, τ, weight) per cell, sorted by source
    code then τ.
    """
    limit = _SPARSE_FRACTION * table.size
    found = 0
    codes, taus, weights = [], [], []
    for tau in range(table.shape[0]):
        block = np.ascontiguousarray(table[tau]).ravel()
        nz = np.flatnonzero(block)
        found += nz.size
        if found > limit:
            return None
        codes.append(nz)
        taus.append(np.full(nz.size, tau, dtype=np.int64))
        weights.append(block[nz])
    code = np.concatenate(codes)
    tau_all = np.concatenate(taus)
    order = np.lexsort((tau_all, code))
    return code[order], tau_all[order], np.concatenate(weights)[order]


def _with(subset: Subset, j: int) -> Subset:
    return tuple(sorted((*subset, j)))


def _entropy_of_counts(counts: np.ndarray, total: float) -> float:
    c = np.asarray(counts, dtype=np.float64).ravel()
    c = c[c > 0]
    p = c / total
    return float(-(p * np.log(p)).sum())


def _source_groups(m: Marginal) -> np.ndarray:
    """Group id per cell of a sparse marginal: cells with equal source states share an id."""
    assert m.digits is not None and m.weights is not None
    n = m.weights.size
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for d in m.digits.values():
        change[1:] |= d[1:] != d[:-1]
    return np.cumsum(change) - 1


def _group(
    tau: np.ndarray,
    columns: dict[int, np.ndarray],
    n_target: int,
    radices: dict[int, int],
    weights: np.ndarray,
) -> tuple[np.ndarray, dict[int, np.ndarray], np.ndarray]:
    """Sum ``weights`` over equal (sources..., τ) rows; rows come back sorted source-major.

    The target is the least significant digit, so rows with equal source states are contiguous
    (what :func:`_source_groups` relies on).
    """
    cells = n_target
    for s in columns:
        cells *= radices[s]
    if cells < _INT64_LIMIT:
        code = np.zeros(tau.shape[0], dtype=np.int64)
        for s, col in columns.items():
            code *= radices[s]
            code += col
        code *= n_target
        code += tau
        uniq, inverse = np.unique(code, return_inverse=True)
        summed = np.bincount(inverse, weights=weights)
        new_tau = uniq % n_target
        rest = uniq // n_target
        digits: dict[int, np.ndarray] = {}
        for s in reversed(list(columns)):
            rest, digits[s] = np.divmod(rest, radices[s])
        digits = {s: digits[s] for s in columns}
    else:
        stacked = np.stack([*columns.values(), tau], axis=1)
        uniq_rows, inverse = np.unique(stacked, axis=0, return_inverse=True)
        summed = np.bincount(inverse.ravel(), weights=weights)
        new_tau = np.ascontiguousarray(uniq_rows[:, -1])
        digits = {s: np.ascontiguousarray(uniq_rows[:, k]) for k, s in enumerate(columns)}
    if np.issubdtype(weights.dtype, np.integer):
        summed = np.rint(summed).astype(np.int64)
    return new_tau, digits, summed
