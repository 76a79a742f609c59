"""Synthetic test signals with known ground truth (for tests, examples and benchmarks).

These generate *data*, never analysis results: every function takes a ``numpy.random.Generator``
(or a seed) so the output is reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validation import check_fs, check_positive

# PQRST waves as Gaussian bumps: (amplitude in mV, offset from the R peak in s, width in s).
PQRST: tuple[tuple[float, float, float], ...] = (
    (0.12, -0.20, 0.025),   # P
    (-0.15, -0.035, 0.010),  # Q
    (1.00, 0.0, 0.010),      # R
    (-0.25, 0.035, 0.010),   # S
    (0.30, 0.28, 0.045),     # T
)


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def sinusoids(
    freqs: Sequence[float], amplitudes: Sequence[float], fs: float, duration: float,
    phases: Sequence[float] | None = None,
) -> np.ndarray:
    """Sum of ``A_i sin(2 pi f_i t + phi_i)`` sampled at ``fs`` for ``duration`` seconds."""
    fs = check_fs(fs)
    t = np.arange(round(duration * fs)) / fs
    phases = [0.0] * len(freqs) if phases is None else phases
    return sum(a * np.sin(2 * np.pi * f * t + ph) for f, a, ph in zip(freqs, amplitudes, phases))


def synthetic_ecg(
    heart_rate: float, fs: float, duration: float, jitter: float = 0.02, noise: float = 0.02,
    wander: float = 0.1, seed: int | np.random.Generator | None = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """ECG-like signal: Gaussian PQRST bumps at beats ``60 / heart_rate`` s apart.

    Args:
        heart_rate: mean rate in beats per minute.
        jitter: relative standard deviation of each RR interval (heart-rate variability).
        noise: white noise standard deviation (mV).
        wander: amplitude of a 0.3 Hz baseline wander (respiration, mV).

    Returns:
        the signal (N,) and the true R-peak times in seconds.
    """
    fs = check_fs(fs)
    check_positive(heart_rate, "heart_rate")
    rng = _rng(seed)
    mean_rr = 60.0 / heart_rate
    beats = [0.5]
    while beats[-1] < duration - 0.5:
        beats.append(beats[-1] + mean_rr * (1.0 + jitter * rng.standard_normal()))
    beats_arr = np.array(beats[:-1]) if beats[-1] > duration - 0.4 else np.array(beats)
    t = np.arange(round(duration * fs)) / fs
    ecg = wander * np.sin(2 * np.pi * 0.3 * t) + noise * rng.standard_normal(t.size)
    for beat in beats_arr:
        for amp, offset, width in PQRST:
            # Each bump is negligible beyond 6 widths; touching only that span keeps the cost
            # linear in the duration.
            lo = max(int((beat + offset - 6 * width) * fs), 0)
            hi = min(int((beat + offset + 6 * width) * fs) + 2, t.size)
            ecg[lo:hi] += amp * np.exp(-0.5 * ((t[lo:hi] - beat - offset) / width) ** 2)
    return ecg, beats_arr


def scr_shape(t: np.ndarray, rise: float = 0.75, decay: float = 4.0) -> np.ndarray:
    """Skin-conductance response (Bateman function) with peak height 1, zero for ``t < 0``."""
    t = np.asarray(t, dtype=float)
    tt = np.clip(t, 0.0, None)
    shape = np.exp(-tt / decay) - np.exp(-tt / rise)
    t_peak = np.log(decay / rise) * rise * decay / (decay - rise)
    peak = np.exp(-t_peak / decay) - np.exp(-t_peak / rise)
    return np.where(t >= 0, shape / peak, 0.0)


def synthetic_eda(
    onsets: Sequence[float], amplitudes: Sequence[float], fs: float, duration: float,
    level: float = 2.0, drift: float = 0.3, noise: float = 0.005,
    seed: int | np.random.Generator | None = 0,
) -> np.ndarray:
    """EDA (microsiemens): a slowly drifting tonic level plus Bateman SCRs at ``onsets`` (s)
    with the given peak ``amplitudes`` (microsiemens), plus white noise."""
    fs = check_fs(fs)
    rng = _rng(seed)
    t = np.arange(round(duration * fs)) / fs
    eda = level + drift * t / duration + noise * rng.standard_normal(t.size)
    for onset, amp in zip(onsets, amplitudes):
        # An SCR decays below 1e-6 of its peak after ~14 decay constants (4 s each).
        lo = max(int(onset * fs), 0)
        hi = min(int((onset + 60.0) * fs) + 1, t.size)
        eda[lo:hi] += amp * scr_shape(t[lo:hi] - onset)
    return eda
