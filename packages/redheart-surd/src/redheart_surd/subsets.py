"""Canonical ordering and naming of source subsets.

Sources are numbered 1..N (1-based, as in the SURD reference code). A subset is a sorted tuple of
source numbers. The canonical order, which is also the tie-breaking order of the decomposition, is
singletons first, then pairs, triples, ..., lexicographic within an order (``itertools.combinations``
order). Subsets are also handled as bit masks: bit ``i - 1`` set means source ``i`` is a member.
"""

from __future__ import annotations

from itertools import combinations

Subset = tuple[int, ...]


def canonical_subsets(n_sources: int, max_order: int | None = None) -> list[Subset]:
    """All non-empty subsets of ``1..n_sources`` with at most ``max_order`` members, canonically ordered."""
    top = n_sources if max_order is None else min(max_order, n_sources)
    return [c for k in range(1, top + 1) for c in combinations(range(1, n_sources + 1), k)]


def subset_mask(subset: Subset) -> int:
    """The bit mask of a subset (bit ``i - 1`` for source ``i``)."""
    mask = 0
    for i in subset:
        mask |= 1 << (i - 1)
    return mask


def mask_subset(mask: int) -> Subset:
    """The subset whose bit mask is ``mask``."""
    out = []
    i = 1
    while mask:
        if mask & 1:
            out.append(i)
        mask >>= 1
        i += 1
    return tuple(out)


def subset_label(subset: Subset, n_sources: int) -> str:
    """The compact label of a subset: ``"12"`` for (1, 2) when N ≤ 9, else ``"1.2.10"``.

    Compact concatenation, as in the SURD paper's figures, is unambiguous only with single-digit
    source numbers, so with ten or more sources the numbers are joined by dots.
    """
    if n_sources <= 9:
        return "".join(str(i) for i in subset)
    return ".".join(str(i) for i in subset)


def parse_label(label: str, n_sources: int) -> Subset:
    """Inverse of :func:`subset_label`."""
    if n_sources > 9:
        return tuple(int(x) for x in label.split("."))
    return tuple(int(c) for c in label)
