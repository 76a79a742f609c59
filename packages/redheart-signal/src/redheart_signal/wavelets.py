"""Multi-level discrete wavelet decomposition (PyWavelets), per-level energies, reconstruction.

Default ``db4`` at level 5 with ``mode="periodization"``: for an orthogonal wavelet such as
``db4`` this makes the transform orthonormal, so the per-level energies add up exactly to the
signal energy (Parseval for wavelets) and the relative energies are a true partition.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pywt

from ._validation import check_signal

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


@dataclass(frozen=True)
class WaveletDecomposition:
    """Coefficients of ``pywt.wavedec``: ``coeffs[0]`` is the approximation A_L, then the
    details D_L ... D_1 (coarse to fine).

    Attributes:
        coeffs: list of L + 1 1-D arrays.
        wavelet: wavelet name.
        level: the level actually used (may be below the requested one, see ``requested_level``).
        mode: signal extension mode.
        n: length of the decomposed signal.
        requested_level: the level that was asked for.
    """

    coeffs: list[np.ndarray]
    wavelet: str
    level: int
    mode: str
    n: int
    requested_level: int

    @property
    def names(self) -> tuple[str, ...]:
        """``("A5", "D5", "D4", ..., "D1")`` in coefficient order."""
        return (f"A{self.level}",) + tuple(f"D{j}" for j in range(self.level, 0, -1))

    @property
    def energies(self) -> np.ndarray:
        """(L + 1,) sum of squared coefficients per level, in ``names`` order."""
        return np.array([float(np.sum(c**2)) for c in self.coeffs])

    @property
    def relative_energies(self) -> np.ndarray:
        """(L + 1,) energies divided by their sum (NaN for an all-zero signal)."""
        e = self.energies
        total = e.sum()
        return e / total if total > 0 else np.full_like(e, np.nan)

    def band_edges(self, fs: float) -> np.ndarray:
        """(L + 1, 2) nominal frequency band in Hz of each level: D_j covers
        [fs / 2**(j+1), fs / 2**j], A_L covers [0, fs / 2**(L+1)]."""
        edges = [(0.0, fs / 2 ** (self.level + 1))]
        edges += [(fs / 2 ** (j + 1), fs / 2**j) for j in range(self.level, 0, -1)]
        return np.array(edges)

    def reconstruct(self, keep: Iterable[str] | None = None) -> np.ndarray:
        """(n,) signal rebuilt from all levels, or only from the levels named in ``keep``
        (e.g. ``("A5", "D5")`` for a low-pass view); the other levels are zeroed."""
        coeffs = self.coeffs
        if keep is not None:
            keep = set(keep)
            unknown = keep - set(self.names)
            if unknown:
                raise ValueError(f"unknown levels {sorted(unknown)}; choose from {self.names}")
            coeffs = [c if name in keep else np.zeros_like(c) for name, c in zip(self.names, coeffs)]
        return pywt.waverec(coeffs, self.wavelet, mode=self.mode)[: self.n]


def max_level(n: int, wavelet: str = "db4") -> int:
    """The deepest useful level for ``n`` samples (``pywt.dwt_max_level``)."""
    return pywt.dwt_max_level(n, pywt.Wavelet(wavelet).dec_len)


def wavelet_decompose(
    x: np.ndarray, wavelet: str = "db4", level: int = 5, mode: str = "periodization"
) -> WaveletDecomposition:
    """Decompose ``x`` (N,) into ``level`` detail bands plus an approximation.

    When the signal is too short for ``level`` (each level halves it and the filter must fit),
    the level is capped at ``pywt.dwt_max_level`` with a ``UserWarning`` saying so.

    Raises:
        ValueError: for an unknown wavelet, level < 1, or a signal too short for even one level.
    """
    x = check_signal(x, "x", min_length=2)
    if wavelet not in pywt.wavelist(kind="discrete"):
        raise ValueError(f"unknown discrete wavelet {wavelet!r}; see pywt.wavelist(kind='discrete')")
    if int(level) != level or level < 1:
        raise ValueError(f"level must be a positive integer, got {level!r}")
    if mode not in pywt.Modes.modes:
        raise ValueError(f"unknown extension mode {mode!r}; choose from {pywt.Modes.modes}")
    cap = max_level(x.size, wavelet)
    if cap < 1:
        need = pywt.Wavelet(wavelet).dec_len - 1
        raise ValueError(
            f"x has {x.size} samples, too short for one level of {wavelet!r} (needs >= {need}); "
            f"use a longer signal or a shorter wavelet such as 'haar'"
        )
    used = int(level)
    if used > cap:
        message = (
            f"wavelet level {level} needs a longer signal: {x.size} samples allow at most level "
            f"{cap} with {wavelet!r}; using level {cap} (pass level<={cap} to silence this, or "
            f"a signal of >= {(pywt.Wavelet(wavelet).dec_len - 1) * 2 ** int(level)} samples)"
        )
        warnings.warn(message, UserWarning, stacklevel=2)
        logger.info(message)
        used = cap
    coeffs = pywt.wavedec(x, wavelet, mode=mode, level=used)
    return WaveletDecomposition(coeffs, wavelet, used, mode, x.size, int(level))
