"""SURD: synergistic-unique-redundant decomposition of causality from a joint distribution.

Martínez-Sánchez, Arranz & Lozano-Durán, Nat. Commun. 15, 9296 (2024). For each target state τ
the specific mutual informations i_S(τ) of all source subsets S are sorted; their increments are
assigned to redundancy (while singletons are passed, to the set of sources not passed yet) or to
synergy (the subset itself). The per-τ work is vectorised over all target states at once.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import numpy as np

from ._validation import check_base, check_counts
from .joint import JointTable
from .result import SurdResult, empty_terms
from .subsets import Subset, canonical_subsets, mask_subset, subset_mask

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


def surd(
    pmf: np.ndarray,
    *,
    max_order: int | None = None,
    base: float = 2.0,
    names: Sequence[str] | None = None,
) -> SurdResult:
    """SURD of a joint histogram or pmf with the target on axis 0 and sources on axes 1..N.

    Args:
        pmf: (n_target, b_1, ..., b_N) counts or probabilities (any non-negative scale; it is
            normalised internally and never modified).
        max_order: consider only source subsets of at most this many sources (synergy up to that
            order); ``None`` for all. Terms then sum to less than I(T;A); see
            :attr:`SurdResult.residual`.
        base: logarithm base of the returned values (2 = bits).
        names: optional display names of the N sources.

    Returns:
        The :class:`SurdResult`.
    """
    table = check_counts(pmf, "pmf")
    if table.ndim < 2:
        raise ValueError(
            f"pmf must have the target on axis 0 and at least one source axis, got shape "
            f"{table.shape}"
        )
    return decompose_table(JointTable.from_dense(table), max_order=max_order, base=base,
                           names=names)


def decompose_table(
    table: JointTable,
    *,
    max_order: int | None = None,
    base: float = 2.0,
    names: Sequence[str] | None = None,
) -> SurdResult:
    """SURD of a :class:`JointTable` (the shared engine of the pmf and sample paths)."""
    base = check_base(base)
    n = table.n_sources
    if max_order is not None and (int(max_order) != max_order or max_order < 1):
        raise ValueError(f"max_order must be a positive integer or None, got {max_order!r}")
    if names is not None and len(names) != n:
        raise ValueError(f"got {len(names)} names for {n} sources")
    if n > 62:
        raise ValueError(f"at most 62 sources are supported, got {n}")
    h_t = table.target_entropy()
    if h_t <= 0:
        raise ValueError(
            "the target has a single state (H(T) = 0): there is nothing to explain; check the "
            "target column or its binning"
        )
    cap = None if max_order is None or max_order >= n else int(max_order)
    subsets = canonical_subsets(n, cap)
    full_set = tuple(range(1, n + 1))
    position = {s: k for k, s in enumerate(subsets)}
    info = np.empty((table.n_target, len(subsets)))
    i_full = None
    for marginal in table.marginals(subsets):
        info[:, position[marginal.sources]] = table.specific_information(marginal)
    if cap is None:
        i_full = info[:, position[full_set]]
    else:
        i_full = table.specific_information(table.full)
    p_t = table.target_counts / table.total
    scale = 1.0 / math.log(base)
    redundant, synergistic = decompose_specific(info, p_t, subsets, n)
    red, syn = empty_terms(n, cap)
    red.update({s: v * scale for s, v in redundant.items()})
    syn.update({s: v * scale for s, v in synergistic.items()})
    mi = {s: float(p_t @ info[:, k]) * scale for k, s in enumerate(subsets)}
    i_total = float(p_t @ i_full)
    mi[full_set] = i_total * scale
    # H(T|A) = H(T) − I(T;A); clipped because rounding can leave −1e-16 for a determined target.
    leak = max(h_t - i_total, 0.0) / h_t
    return SurdResult(
        redundant=red,
        synergistic=syn,
        mutual_information=mi,
        entropy=h_t * scale,
        leak=leak,
        n_sources=n,
        base=base,
        max_order=cap,
        names=list(names) if names is not None else None,
    )


def decompose_specific(
    info: np.ndarray, p_target: np.ndarray, subsets: Sequence[Subset], n_sources: int
) -> tuple[dict[Subset, float], dict[Subset, float]]:
    """Assign specific informations to redundant and synergistic terms.

    Args:
        info: (n_target, n_subsets) specific information i_S(τ), columns in canonical order
            (the order of ``subsets``; it is the tie-breaking order).
        p_target: (n_target,) p(τ).
        subsets: the canonical subsets of the columns.
        n_sources: N.

    Returns:
        (redundant, synergistic): dicts of the non-zero-keyed sums Σ_τ p(τ) Δ, in the units of
        ``info``. Redundancy keys are the sets of sources not yet passed in the walk.
    """
    sizes = np.array([len(s) for s in subsets])
    masks = np.array([subset_mask(s) for s in subsets], dtype=np.int64)
    values = np.array(info, dtype=np.float64, copy=True)
    # Level filter: an order-(l+1) value below the best order-l value adds nothing new, so it is
    # dropped (set to 0) before sorting.
    for level in range(1, int(sizes.max())):
        lower = sizes == level
        upper = np.flatnonzero(sizes == level + 1)
        best = values[:, lower].max(axis=1, keepdims=True)
        block = values[:, upper]
        block[block < best] = 0.0
        values[:, upper] = block
    # Stable sort over canonical columns: ties resolve singletons-first, then lexicographically.
    order = np.argsort(values, axis=1, kind="stable")
    sorted_values = np.take_along_axis(values, order, axis=1)
    increments = np.diff(sorted_values, axis=1, prepend=0.0) * p_target[:, None]
    sorted_masks = masks[order]
    singleton_bits = np.where(sizes == 1, masks, 0)[order]
    passed_before = np.cumsum(singleton_bits, axis=1) - singleton_bits
    full_mask = (1 << n_sources) - 1
    redundancy_sets = full_mask - passed_before
    is_single = sizes[order] == 1
    redundant = _sum_by_mask(redundancy_sets[is_single], increments[is_single])
    synergistic = _sum_by_mask(sorted_masks[~is_single], increments[~is_single])
    return redundant, synergistic


def _sum_by_mask(keys: np.ndarray, values: np.ndarray) -> dict[Subset, float]:
    if keys.size == 0:
        return {}
    uniq, inverse = np.unique(keys, return_inverse=True)
    sums = np.bincount(inverse.ravel(), weights=values)
    return {mask_subset(int(k)): float(v) for k, v in zip(uniq, sums)}
