"""Radar plot of the 10 Bentham factors (optional extra ``plot``: matplotlib, imported lazily)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from redheart.schema import BENTHAM_FACTORS


def plot_factors(factors: Mapping[str, float], ax: Any = None, title: str | None = None) -> Any:
    """Draw the factors (name → [0, 1], schema order) on a polar axis and return the axis."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError("plotting needs matplotlib: pip install 'redheart-bentham[plot]'") from exc
    missing = [k for k in BENTHAM_FACTORS if k not in factors]
    if missing:
        raise ValueError(f"factors lack {missing}; give all of {BENTHAM_FACTORS}")
    values = [float(factors[k]) for k in BENTHAM_FACTORS]
    if any(not 0.0 <= v <= 1.0 for v in values):
        raise ValueError("factor values must lie in [0, 1]")
    angles = [2 * math.pi * i / len(values) for i in range(len(values))]
    if ax is None:
        _, ax = plt.subplots(subplot_kw={"projection": "polar"})
    ax.plot(angles + angles[:1], values + values[:1], linewidth=1.5)
    ax.fill(angles + angles[:1], values + values[:1], alpha=0.25)
    ax.set_xticks(angles)
    ax.set_xticklabels(BENTHAM_FACTORS, fontsize=8)
    ax.set_ylim(0.0, 1.0)
    if title:
        ax.set_title(title)
    return ax
