"""Spectra of sampled signals: FFT magnitude/phase, Welch PSD, STFT/spectrogram, band powers.

Conventions (all one-sided, real input):

- :func:`fft_spectrum` keeps the raw ``rfft`` coefficients ``X_k`` of the (windowed) signal.
  ``power[k] = c_k |X_k|^2 / N^2`` with ``c_k = 1`` for DC and Nyquist and 2 otherwise, so
  ``sum(power) == mean(x_w ** 2)`` (Parseval). ``amplitude[k] = c_k |X_k| / sum(w)`` is scaled
  so a sinusoid ``A sin(2 pi f t)`` on a bin shows a peak of height ``A`` under any window.
- :func:`welch_psd` returns a density in units**2 / Hz; integrating it over all frequencies
  (``sum(psd) * df``) gives the signal's variance.
- Bands are half-open, ``low <= f < high``, so adjacent bands never count a bin twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy import signal as sps

from ._validation import check_channels, check_fs, check_signal

# EEG rhythm bands in Hz (the usual clinical edges; gamma stops at 45 Hz, below mains hum).
# Read-only, because FEATURE_NAMES and every band-power vector are laid out from it.
EEG_BANDS: Mapping[str, tuple[float, float]] = MappingProxyType({
    "delta": (0.5, 4.0),
    "theta": (4.0, 8.0),
    "alpha": (8.0, 13.0),
    "beta": (13.0, 30.0),
    "gamma": (30.0, 45.0),
})
DEFAULT_BANDS = EEG_BANDS


@dataclass(frozen=True)
class Spectrum:
    """One-sided FFT of a real signal.

    Attributes:
        freqs: (N//2 + 1,) bin frequencies in Hz.
        coefficients: (N//2 + 1,) complex ``rfft`` of the windowed signal (unscaled).
        n: number of samples N.
        fs: sampling rate in Hz.
        window_sum: sum of the window (N for the rectangular window), for amplitude scaling.
    """

    freqs: np.ndarray
    coefficients: np.ndarray
    n: int
    fs: float
    window_sum: float

    @property
    def magnitude(self) -> np.ndarray:
        """(K,) ``|X_k|``, unscaled."""
        return np.abs(self.coefficients)

    @property
    def phase(self) -> np.ndarray:
        """(K,) phase of each bin in radians, in (-pi, pi]."""
        return np.angle(self.coefficients)

    def _one_sided_factor(self) -> np.ndarray:
        c = np.full(self.freqs.shape, 2.0)
        c[0] = 1.0
        if self.n % 2 == 0:  # the Nyquist bin exists only for even N and is not mirrored
            c[-1] = 1.0
        return c

    @property
    def amplitude(self) -> np.ndarray:
        """(K,) amplitude spectrum: a bin-centred sinusoid of amplitude A peaks at A."""
        return self._one_sided_factor() * self.magnitude / self.window_sum

    @property
    def power(self) -> np.ndarray:
        """(K,) power per bin; sums to the mean square of the windowed signal (Parseval)."""
        return self._one_sided_factor() * self.magnitude**2 / self.n**2


@dataclass(frozen=True)
class PSD:
    """Power spectral density. ``freqs`` (K,) in Hz; ``density`` (..., K) in units**2/Hz."""

    freqs: np.ndarray
    density: np.ndarray

    @property
    def resolution(self) -> float:
        """Bin width df in Hz."""
        return float(self.freqs[1] - self.freqs[0]) if self.freqs.size > 1 else float("nan")


@dataclass(frozen=True)
class Spectrogram:
    """Short-time power. ``freqs`` (K,), ``times`` (S,) segment centres in s, ``power`` (K, S)
    as a density in units**2/Hz."""

    freqs: np.ndarray
    times: np.ndarray
    power: np.ndarray


@dataclass(frozen=True)
class STFT:
    """Short-time Fourier transform. ``freqs`` (K,), ``times`` (S,), ``coefficients`` (K, S)."""

    freqs: np.ndarray
    times: np.ndarray
    coefficients: np.ndarray
    fs: float
    nperseg: int
    noverlap: int
    window: str

    def inverse(self) -> np.ndarray:
        """The time signal rebuilt from the coefficients (``scipy.signal.istft``)."""
        _, x = sps.istft(
            self.coefficients, fs=self.fs, window=self.window, nperseg=self.nperseg,
            noverlap=self.noverlap,
        )
        return x


@dataclass(frozen=True)
class BandPowers:
    """Power in named bands.

    Attributes:
        names: band names, in the order given.
        edges: (B, 2) band edges in Hz (upper edge clipped to Nyquist).
        absolute: (B,) power in each band, units**2 (PSD integrated over the band).
        relative: (B,) ``absolute / absolute.sum()``: share of the power in the named bands.
        total: power over all frequencies (the signal variance for a Welch PSD).
    """

    names: tuple[str, ...]
    edges: np.ndarray
    absolute: np.ndarray
    relative: np.ndarray
    total: float

    def to_dict(self) -> dict[str, dict[str, float]]:
        return {
            "absolute": dict(zip(self.names, map(float, self.absolute))),
            "relative": dict(zip(self.names, map(float, self.relative))),
        }


def fft_spectrum(
    x: np.ndarray, fs: float, window: str = "boxcar", detrend: bool = False
) -> Spectrum:
    """One-sided FFT of ``x`` (N,) sampled at ``fs`` Hz, after an optional window.

    Args:
        x: (N,) real signal, N >= 2.
        fs: sampling rate in Hz.
        window: any ``scipy.signal.get_window`` name; ``"boxcar"`` is no window.
        detrend: subtract the mean first (removes the DC peak).
    """
    fs = check_fs(fs)
    x = check_signal(x, "x", min_length=2)
    if detrend:
        x = x - x.mean()
    if window == "boxcar":  # no window: skip a multiply by ones over the whole signal
        coeffs, window_sum = np.fft.rfft(x), float(x.size)
    else:
        w = sps.get_window(window, x.size, fftbins=True)
        coeffs, window_sum = np.fft.rfft(x * w), float(w.sum())
    freqs = np.fft.rfftfreq(x.size, d=1.0 / fs)
    return Spectrum(freqs, coeffs, x.size, fs, window_sum)


def dominant_frequencies(x: np.ndarray, fs: float, k: int = 1, window: str = "hann") -> np.ndarray:
    """The ``k`` strongest spectral peaks of ``x`` in Hz, strongest first.

    Peaks are local maxima of the windowed amplitude spectrum (``scipy.signal.find_peaks``), so
    the side lobes of one sinusoid are not reported as separate peaks.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    spec = fft_spectrum(x, fs, window=window, detrend=True)
    amp = spec.amplitude
    peaks, _ = sps.find_peaks(amp)
    if peaks.size == 0:
        raise ValueError("x has no spectral peak (is it constant?)")
    order = peaks[np.argsort(amp[peaks])[::-1]][:k]
    return spec.freqs[order]


def _segment(n: int, fs: float, nperseg: int | None, seconds: float) -> int:
    if nperseg is None:
        nperseg = round(seconds * fs)
    if nperseg < 2:
        raise ValueError(f"nperseg must be >= 2 samples, got {nperseg}")
    return min(int(nperseg), n)


def welch_psd(
    x: np.ndarray,
    fs: float,
    nperseg: int | None = None,
    overlap: float = 0.5,
    window: str = "hann",
    segment_seconds: float = 2.0,
) -> PSD:
    """Welch PSD of ``x`` (N,) or (C, N) (one PSD per channel).

    Args:
        nperseg: segment length in samples; default ``segment_seconds * fs`` (capped at N).
            Frequency resolution is ``fs / nperseg``.
        overlap: fraction of a segment shared with the next one, in [0, 1).
    """
    fs = check_fs(fs)
    arr = check_channels(x, "x", min_length=2)
    if not 0.0 <= overlap < 1.0:
        raise ValueError(f"overlap must be in [0, 1), got {overlap}")
    seg = _segment(arr.shape[1], fs, nperseg, segment_seconds)
    freqs, density = sps.welch(
        arr, fs=fs, window=window, nperseg=seg, noverlap=int(overlap * seg), scaling="density",
        detrend="constant",
    )
    if np.ndim(x) == 1:
        density = density[0]
    return PSD(freqs, density)


def stft(
    x: np.ndarray, fs: float, nperseg: int = 256, overlap: float = 0.5, window: str = "hann"
) -> STFT:
    """Short-time Fourier transform of ``x`` (N,), invertible with :meth:`STFT.inverse`."""
    fs = check_fs(fs)
    x = check_signal(x, "x", min_length=2)
    if not 0.0 <= overlap < 1.0:
        raise ValueError(f"overlap must be in [0, 1), got {overlap}")
    seg = _segment(x.size, fs, nperseg, 0.0)
    nover = int(overlap * seg)
    freqs, times, z = sps.stft(x, fs=fs, window=window, nperseg=seg, noverlap=nover)
    return STFT(freqs, times, z, fs, seg, nover, window)


def spectrogram(
    x: np.ndarray, fs: float, nperseg: int = 256, overlap: float = 0.5, window: str = "hann"
) -> Spectrogram:
    """Spectrogram (power density per segment) of ``x`` (N,)."""
    fs = check_fs(fs)
    x = check_signal(x, "x", min_length=2)
    if not 0.0 <= overlap < 1.0:
        raise ValueError(f"overlap must be in [0, 1), got {overlap}")
    seg = _segment(x.size, fs, nperseg, 0.0)
    freqs, times, power = sps.spectrogram(
        x, fs=fs, window=window, nperseg=seg, noverlap=int(overlap * seg), scaling="density"
    )
    return Spectrogram(freqs, times, power)


def check_bands(
    bands: Mapping[str, tuple[float, float]], nyquist: float
) -> tuple[tuple[str, ...], np.ndarray]:
    """Validated band names and (B, 2) edges, upper edges clipped to Nyquist."""
    if not bands:
        raise ValueError("bands is empty; pass e.g. {'alpha': (8.0, 13.0)}")
    names = tuple(bands)
    edges = np.empty((len(names), 2))
    for i, name in enumerate(names):
        try:
            low, high = (float(v) for v in bands[name])
        except (TypeError, ValueError) as exc:
            raise ValueError(f"band {name!r} must be a (low, high) pair in Hz") from exc
        if not (np.isfinite(low) and np.isfinite(high)) or low < 0 or high <= low:
            raise ValueError(f"band {name!r} needs 0 <= low < high, got ({low}, {high})")
        if low >= nyquist:
            raise ValueError(
                f"band {name!r} starts at {low} Hz, at or above the Nyquist frequency {nyquist} "
                f"Hz; use a higher sampling rate or drop the band"
            )
        edges[i] = low, min(high, nyquist + 1e-9)  # keep the Nyquist bin in the top band
    return names, edges


def band_powers_from_psd(psd: PSD, bands: Mapping[str, tuple[float, float]]) -> BandPowers:
    """Integrate a PSD (K,) or (C, K) over named bands; channels are averaged.

    Uses the rectangle rule (``sum(density[band]) * df``) so that the band powers of adjacent
    bands add up exactly to the power over their union.
    """
    freqs = psd.freqs
    density = np.asarray(psd.density)
    if density.ndim == 2:
        density = density.mean(axis=0)
    df = psd.resolution
    nyquist = float(freqs[-1])
    names, edges = check_bands(bands, nyquist)
    absolute = np.array(
        [density[(freqs >= lo) & (freqs < hi)].sum() * df for lo, hi in edges]
    )
    total_bands = absolute.sum()
    relative = absolute / total_bands if total_bands > 0 else np.full_like(absolute, np.nan)
    return BandPowers(names, edges, absolute, relative, float(density.sum() * df))


def band_powers(
    x: np.ndarray,
    fs: float,
    bands: Mapping[str, tuple[float, float]] | None = None,
    nperseg: int | None = None,
    segment_seconds: float = 2.0,
) -> BandPowers:
    """Band powers of ``x`` (N,) or (C, N) from its Welch PSD (default bands: :data:`EEG_BANDS`).

    A bin-centred sinusoid of amplitude A contributes ``A**2 / 2`` to the band that holds it.
    """
    psd = welch_psd(x, fs, nperseg=nperseg, segment_seconds=segment_seconds)
    return band_powers_from_psd(psd, EEG_BANDS if bands is None else bands)
