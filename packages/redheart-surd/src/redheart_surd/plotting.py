"""Bar plots of SURD results in the style of the paper (matplotlib imported lazily)."""

from __future__ import annotations

from typing import Any

from .result import SurdResult

# Colours of the SURD paper's figures: redundant blue, unique red, synergistic orange.
COLORS = {"R": "#003049", "U": "#d62828", "S": "#f77f00", "leak": "#808080"}


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "plotting needs matplotlib: pip install 'redheart-surd[plot]'"
        ) from exc
    return plt


def plot_surd(
    result: SurdResult,
    *,
    normalized: bool = True,
    threshold: float = 0.0,
    axes: tuple[Any, Any] | None = None,
    title: str | None = None,
) -> tuple[Any, tuple[Any, Any]]:
    """Bars of the R, U and S terms coloured by type, and a separate leak bar.

    Args:
        result: the decomposition to draw.
        normalized: divide the terms by I(T; A) (the paper's view); the leak is always H(T|A)/H(T).
        threshold: hide terms whose (possibly normalised) value is ≤ this.
        axes: (terms axis, leak axis) to draw into; a new figure when ``None``.
        title: optional title of the terms axis.

    Returns:
        (figure, (terms axis, leak axis)).
    """
    plt = _pyplot()
    values = result.normalized() if normalized else result.terms()
    shown = {k: v for k, v in values.items() if v > threshold}
    if axes is None:
        fig, axes = plt.subplots(
            1, 2, figsize=(max(4.0, 0.45 * len(shown) + 2.0), 3.0),
            gridspec_kw={"width_ratios": [max(len(shown), 1), 1]},
        )
    else:
        fig = axes[0].figure
    ax_terms, ax_leak = axes
    labels = list(shown)
    ax_terms.bar(range(len(labels)), list(shown.values()),
                 color=[COLORS[k[0]] for k in labels], edgecolor="black", linewidth=0.5)
    ax_terms.set_xticks(range(len(labels)))
    ax_terms.set_xticklabels(
        [f"${k[0]}_{{{k[1:]}}}$" for k in labels], rotation=0 if len(labels) < 12 else 90
    )
    ax_terms.set_ylabel("fraction of I(T;A)" if normalized else f"information [{result.unit}]")
    if title:
        ax_terms.set_title(title)
    ax_leak.bar([0], [result.leak], color=COLORS["leak"], edgecolor="black", linewidth=0.5)
    ax_leak.set_xticks([0])
    ax_leak.set_xticklabels([r"$\mathcal{L}$"])
    ax_leak.set_ylim(0, 1)
    ax_leak.set_ylabel("leak H(T|A)/H(T)")
    fig.tight_layout()
    return fig, (ax_terms, ax_leak)
