"""Plots (optional extra ``redheart-signal[plot]``): spectrogram, wavelet energies, emotion
trajectories. matplotlib is imported on first use, so the rest of the package never needs it.

Each function returns the matplotlib ``Figure`` and saves it when ``path`` is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .spectra import Spectrogram
from .valence_arousal import EMOTIONS
from .wavelets import WaveletDecomposition


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "plotting needs matplotlib; install it with `pip install redheart-signal[plot]`"
        ) from exc
    return plt


def _finish(fig: Any, path: str | Path | None) -> Any:
    fig.tight_layout()
    if path is not None:
        fig.savefig(path)
    return fig


def plot_spectrogram(
    spec: Spectrogram, path: str | Path | None = None, db: bool = True, title: str = "Spectrogram"
) -> Any:
    """Spectrogram as an image: time (s) against frequency (Hz), power in dB by default."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4))
    power = 10 * np.log10(np.maximum(spec.power, np.finfo(float).tiny)) if db else spec.power
    mesh = ax.pcolormesh(spec.times, spec.freqs, power, shading="auto")
    fig.colorbar(mesh, ax=ax, label="power (dB/Hz)" if db else "power density")
    ax.set(xlabel="time (s)", ylabel="frequency (Hz)", title=title)
    return _finish(fig, path)


def plot_wavelet_energies(
    decomposition: WaveletDecomposition, path: str | Path | None = None, relative: bool = True
) -> Any:
    """Bar chart of the (relative) energy of each wavelet level, A_L then D_L ... D_1."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    values = decomposition.relative_energies if relative else decomposition.energies
    ax.bar(decomposition.names, values)
    ax.set(xlabel="level", ylabel="relative energy" if relative else "energy",
           title=f"{decomposition.wavelet} wavelet energies")
    return _finish(fig, path)


def plot_emotion_trajectories(
    raw: np.ndarray,
    filtered: np.ndarray | None = None,
    smoothed: np.ndarray | None = None,
    times: np.ndarray | None = None,
    names: Sequence[str] = EMOTIONS,
    path: str | Path | None = None,
) -> Any:
    """One panel per emotion: raw observations (T, D) as dots, filtered and smoothed lines."""
    plt = _pyplot()
    raw = np.asarray(raw, dtype=float)
    if raw.ndim != 2 or raw.shape[1] != len(names):
        raise ValueError(f"raw must be (T, {len(names)}), got shape {raw.shape}")
    for label, arr in (("filtered", filtered), ("smoothed", smoothed)):
        if arr is not None and np.shape(arr) != raw.shape:
            raise ValueError(f"{label} must have the shape of raw {raw.shape}, got {np.shape(arr)}")
    t = np.arange(raw.shape[0]) if times is None else np.asarray(times)
    cols = 2
    rows = int(np.ceil(len(names) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(10, 2 * rows), sharex=True, squeeze=False)
    for i, name in enumerate(names):
        ax = axes[i // cols][i % cols]
        ax.plot(t, raw[:, i], ".", ms=3, alpha=0.5, label="raw")
        if filtered is not None:
            ax.plot(t, np.asarray(filtered)[:, i], lw=1.2, label="filtered")
        if smoothed is not None:
            ax.plot(t, np.asarray(smoothed)[:, i], lw=1.2, label="smoothed")
        ax.set_title(name, fontsize=9)
    for j in range(len(names), rows * cols):
        axes[j // cols][j % cols].set_visible(False)
    axes[0][0].legend(fontsize=7)
    return _finish(fig, path)
