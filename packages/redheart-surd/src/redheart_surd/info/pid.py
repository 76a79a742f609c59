"""Williams–Beer partial information decomposition with the I_min redundancy measure.

For a collection α = {A_1, …, A_m} of source subsets (an antichain: no member contains another),
I_min(T; α) = Σ_τ p(τ) min_j i_{A_j}(τ), with i_A(τ) the specific information of subset A
(Williams & Beer 2010). Antichains ordered by α ≤ β ⇔ ∀B ∈ β ∃A ∈ α: A ⊆ B form the redundancy
lattice; the partial-information atoms solve I_min(α) = Σ_{β ≤ α} Π(β) (Möbius inversion).

Limit: N ≤ 4 sources (the lattice has 4, 18 and 166 atoms for N = 2, 3, 4). The lattice is
enumerated by brute force over collections of subsets, which is exponential in 2^N; N = 5
(7,579 atoms) is out of reach this way. Default unit: bits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .._validation import check_base, check_counts
from ..joint import JointTable
from ..subsets import Subset, canonical_subsets, subset_label

Antichain = tuple[Subset, ...]
MAX_SOURCES = 4


@dataclass
class PIDResult:
    """Atoms and redundancies of a Williams–Beer PID.

    Attributes:
        atoms: antichain -> partial information Π (e.g. ((1,), (2,)) is the redundancy of
            sources 1 and 2, ((1, 2),) their synergy, ((1,),) the unique information of 1).
        redundancy: antichain -> I_min (cumulative, Π summed over the down-set).
        n_sources: N.
        base: logarithm base.
    """

    atoms: dict[Antichain, float]
    redundancy: dict[Antichain, float]
    n_sources: int
    base: float = 2.0

    @staticmethod
    def label(antichain: Antichain, n_sources: int) -> str:
        """``"{1}{2}"`` style label of an antichain."""
        return "".join("{" + subset_label(a, n_sources) + "}" for a in antichain)

    def to_dict(self) -> dict[str, object]:
        n = self.n_sources
        return {
            "base": self.base,
            "n_sources": n,
            "atoms": {self.label(a, n): v for a, v in self.atoms.items()},
            "redundancy": {self.label(a, n): v for a, v in self.redundancy.items()},
        }


def redundancy_lattice(n_sources: int) -> list[Antichain]:
    """All antichains of non-empty subsets of 1..N, each sorted canonically."""
    if not 1 <= n_sources <= MAX_SOURCES:
        raise ValueError(
            f"the I_min lattice is enumerated for 1..{MAX_SOURCES} sources, got {n_sources}"
        )
    subsets = canonical_subsets(n_sources)
    masks = [sum(1 << (i - 1) for i in s) for s in subsets]
    out: list[Antichain] = []
    for size in range(1, len(subsets) + 1):
        for combo in combinations(range(len(subsets)), size):
            ok = all(
                masks[a] & masks[b] != masks[a] and masks[a] & masks[b] != masks[b]
                for a, b in combinations(combo, 2)
            )
            if ok:
                out.append(tuple(subsets[c] for c in combo))
    return out


def _below_or_equal(alpha: Antichain, beta: Antichain) -> bool:
    return all(any(set(a) <= set(b) for a in alpha) for b in beta)


def williams_beer_pid(pmf: np.ndarray, *, base: float = 2.0) -> PIDResult:
    """Williams–Beer PID of a joint pmf/histogram (target on axis 0, sources on axes 1..N ≤ 4).

    Args:
        pmf: (n_target, b_1, ..., b_N) counts or probabilities (not modified).
        base: logarithm base (2 = bits).
    """
    log_base = math.log(check_base(base))
    table = JointTable.from_dense(check_counts(pmf, "pmf"))
    n = table.n_sources
    lattice = redundancy_lattice(n)
    subsets = canonical_subsets(n)
    info = {m.sources: table.specific_information(m) for m in table.marginals(subsets)}
    p_t = table.target_counts / table.total
    imin = {
        alpha: float(p_t @ np.min(np.stack([info[a] for a in alpha]), axis=0)) / log_base
        for alpha in lattice
    }
    below = {
        alpha: [b for b in lattice if b != alpha and _below_or_equal(b, alpha)]
        for alpha in lattice
    }
    atoms: dict[Antichain, float] = {}
    # A strict down-set contains the down-sets of its members, so increasing size is a valid
    # topological order for the Möbius inversion.
    for alpha in sorted(lattice, key=lambda a: len(below[a])):
        atoms[alpha] = imin[alpha] - sum(atoms[b] for b in below[alpha])
    return PIDResult(atoms=atoms, redundancy=imin, n_sources=n, base=base)
