"""Causal networks: SURD with every variable of a multivariate series as the target in turn."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .binning import BinSpec
from .joint import DEFAULT_MEMORY_BUDGET
from .result import SurdResult
from .samples import _as_series, _lags, surd_from_series


@dataclass
class CausalEdge:
    """One causal link into ``target``.

    Attributes:
        kind: ``"unique"``, ``"redundant"`` or ``"synergistic"``.
        sources: names of the (lagged) source variables involved.
        target: name of the target variable.
        value: the SURD term, in the network's unit.
        normalized: value / I(target; all sources), or None when that is 0.
    """

    kind: str
    sources: list[str]
    target: str
    value: float
    normalized: float | None


@dataclass
class CausalNetwork:
    """SURD results for every variable as target, viewed as a graph.

    Attributes:
        names: variable names (node order).
        lags: the lag(s) used.
        results: target name -> its :class:`SurdResult`.
        threshold: edges with value ≤ threshold are left out of :meth:`edges`.
    """

    names: list[str]
    lags: list[int]
    results: dict[str, SurdResult]
    threshold: float = 0.0

    def nodes(self) -> list[dict[str, Any]]:
        """One dict per variable: its entropy, information from all sources, and leak."""
        out = []
        for name in self.names:
            r = self.results[name]
            out.append({"name": name, "entropy": r.entropy,
                        "mutual_information": r.total_information, "leak": r.leak})
        return out

    def edges(self) -> list[CausalEdge]:
        """Every unique, redundant and synergistic term above the threshold, by target."""
        out = []
        for name in self.names:
            r = self.results[name]
            total = r.total_information
            src = r.names or []
            for terms, syn in ((r.redundant, False), (r.synergistic, True)):
                for subset, value in sorted(terms.items(), key=lambda kv: (len(kv[0]), kv[0])):
                    if value <= self.threshold:
                        continue
                    kind = "synergistic" if syn else ("unique" if len(subset) == 1
                                                      else "redundant")
                    out.append(CausalEdge(kind, [src[i - 1] for i in subset], name, value,
                                          value / total if total > 0 else None))
        return out

    def unique_matrix(self) -> np.ndarray:
        """(n_vars, n_vars) matrix M with M[i, j] = unique causality from variable i to j,
        summed over lags."""
        n = len(self.names)
        m = np.zeros((n, n))
        for j, name in enumerate(self.names):
            for i, value in self.results[name].unique.items():
                m[(i - 1) % n, j] += value
        return m

    def to_dict(self) -> dict[str, Any]:
        """JSON-able graph: nodes, edges, and each target's full SURD result."""
        first = self.results[self.names[0]]
        return {
            "unit": first.unit,
            "lags": self.lags,
            "nodes": self.nodes(),
            "edges": [asdict(e) for e in self.edges()],
            "results": {k: v.to_dict() for k, v in self.results.items()},
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


def causal_network(
    series: np.ndarray,
    lag: int | Sequence[int] = 1,
    *,
    bins: BinSpec | Sequence[BinSpec] = 10,
    binning: str = "equal",
    max_order: int | None = None,
    base: float = 2.0,
    names: Sequence[str] | None = None,
    threshold: float = 0.0,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
) -> CausalNetwork:
    """SURD of every variable of ``series`` (n_vars, n_time), each caused by all variables' past.

    Args:
        series: (n_vars, n_time) samples.
        lag: lag or lags (see :func:`redheart_surd.surd_from_series`).
        threshold: drop edges whose term is ≤ this (in the unit of ``base``).
        Others: as :func:`redheart_surd.surd_from_series`.
    """
    x = _as_series(series)
    n_vars = x.shape[0]
    lags = _lags(lag, x.shape[1])
    names = list(names) if names is not None else [f"x{i}" for i in range(1, n_vars + 1)]
    if len(names) != n_vars or len(set(names)) != n_vars:
        raise ValueError(f"need {n_vars} distinct names, got {names}")
    results = {
        names[j]: surd_from_series(x, j, lags, bins=bins, binning=binning, max_order=max_order,
                                   base=base, names=names, memory_budget=memory_budget)
        for j in range(n_vars)
    }
    return CausalNetwork(names=names, lags=lags, results=results, threshold=threshold)
