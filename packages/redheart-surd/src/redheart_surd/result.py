"""The SURD result: redundant, unique and synergistic terms, mutual informations and the leak."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from .subsets import Subset, canonical_subsets, parse_label, subset_label


@dataclass
class SurdResult:
    """A SURD decomposition of I(T; A_1..A_N), in units of ``log(base)`` (bits for base 2).

    Attributes:
        redundant: subset -> redundant causality R_S. Singletons are the unique terms U_i. Every
            canonical subset has an entry (zeros included); with an order cap, redundancy sets
            larger than the cap appear when they receive information.
        synergistic: subset (≥ 2 sources) -> synergistic causality S_S.
        mutual_information: subset -> I(T; A_S), for every canonical subset and the full set.
        entropy: H(T).
        leak: H(T | A)/H(T), the fraction of H(T) no source explains (dimensionless).
        n_sources: N.
        base: logarithm base of every information value.
        max_order: the cap on synergy order that was applied, or ``None``.
        names: optional display name of each source (source i is ``names[i - 1]``).

    Keys in :meth:`to_dict` are labels: ``"U1"`` (unique of source 1), ``"R12"`` (redundancy of
    sources 1 and 2), ``"S123"`` (synergy); with ten or more sources the numbers are joined by
    dots (``"R1.10"``). ``"I12"`` labels I(T; A_1, A_2).
    """

    redundant: dict[Subset, float]
    synergistic: dict[Subset, float]
    mutual_information: dict[Subset, float]
    entropy: float
    leak: float
    n_sources: int
    base: float = 2.0
    max_order: int | None = None
    names: list[str] | None = field(default=None)

    # views -------------------------------------------------------------------------------------
    @property
    def total_information(self) -> float:
        """I(T; all sources)."""
        return self.mutual_information[tuple(range(1, self.n_sources + 1))]

    @property
    def unique(self) -> dict[int, float]:
        """Source i -> U_i."""
        return {s[0]: v for s, v in self.redundant.items() if len(s) == 1}

    def terms(self) -> dict[str, float]:
        """Every term by label, in plotting order: R (≥ 2 sources), then U, then S, each by order."""
        n = self.n_sources
        red = sorted((s for s in self.redundant if len(s) > 1), key=lambda s: (len(s), s))
        out = {"R" + subset_label(s, n): self.redundant[s] for s in red}
        out.update({"U" + subset_label(s, n): v for s, v in self.redundant.items() if len(s) == 1})
        syn = sorted(self.synergistic, key=lambda s: (len(s), s))
        out.update({"S" + subset_label(s, n): self.synergistic[s] for s in syn})
        return out

    @property
    def residual(self) -> float:
        """I(T; A) minus the sum of all terms: 0 up to rounding without an order cap; with a cap,
        the information only reachable through interactions above the cap."""
        return self.total_information - sum(self.redundant.values()) - sum(
            self.synergistic.values()
        )

    def normalized(self) -> dict[str, float]:
        """Every term divided by I(T; A) (the paper's normalised view)."""
        total = self.total_information
        if total <= 0:
            raise ValueError(
                "I(T; A) is 0, so normalised terms are undefined; use the raw terms instead"
            )
        return {k: v / total for k, v in self.terms().items()}

    @property
    def unit(self) -> str:
        if self.base == 2:
            return "bits"
        if math.isclose(self.base, math.e):
            return "nats"
        return f"log{self.base:g}"

    # serialisation -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (label keys, plain floats); :meth:`from_dict` inverts it."""
        n = self.n_sources
        total = self.total_information
        return {
            "unit": self.unit,
            "base": self.base,
            "n_sources": n,
            "names": self.names,
            "max_order": self.max_order,
            "entropy": self.entropy,
            "mutual_information_total": total,
            "leak": self.leak,
            "terms": self.terms(),
            "normalized_terms": self.normalized() if total > 0 else None,
            "mutual_information": {
                "I" + subset_label(s, n): v
                for s, v in sorted(self.mutual_information.items(), key=lambda kv: (len(kv[0]), kv[0]))
            },
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SurdResult:
        n = int(data["n_sources"])
        redundant: dict[Subset, float] = {}
        synergistic: dict[Subset, float] = {}
        for label, value in data["terms"].items():
            subset = parse_label(label[1:], n)
            if label[0] == "S":
                synergistic[subset] = float(value)
            else:
                redundant[subset] = float(value)
        mi = {parse_label(k[1:], n): float(v) for k, v in data["mutual_information"].items()}
        return cls(
            redundant=redundant,
            synergistic=synergistic,
            mutual_information=mi,
            entropy=float(data["entropy"]),
            leak=float(data["leak"]),
            n_sources=n,
            base=float(data["base"]),
            max_order=data["max_order"],
            names=data["names"],
        )

    def summary(self) -> str:
        """A plain-text table of the non-zero terms, the total information and the leak."""
        names = self.names or [f"A{i}" for i in range(1, self.n_sources + 1)]
        head = (f"H(T) = {self.entropy:.6f} {self.unit}, I(T;A) = "
                f"{self.total_information:.6f} {self.unit}, leak = {self.leak:.6f}")
        lines = [head]
        lines.append("sources: " + ", ".join(f"{i}={n}" for i, n in enumerate(names, 1)))
        for label, value in self.terms().items():
            if abs(value) > 1e-12:
                lines.append(f"  {label:<10} {value:.6f}")
        return "\n".join(lines)


def empty_terms(n_sources: int, max_order: int | None) -> tuple[dict, dict]:
    """Zero-filled R and S dicts over the canonical subsets."""
    subsets = canonical_subsets(n_sources, max_order)
    return dict.fromkeys(subsets, 0.0), {s: 0.0 for s in subsets if len(s) > 1}
