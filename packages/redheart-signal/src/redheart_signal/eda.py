"""Electrodermal activity: tonic level, phasic component and skin-conductance responses (SCRs).

Decomposition (documented, not a deconvolution model): the signal is first smoothed with a
zero-phase 1 Hz low-pass (sensor noise). The tonic level (SCL) is a zero-phase low-pass at
``tonic_cutoff`` (default 0.05 Hz, i.e. slower than 20 s); the phasic component is the
smoothed signal minus the tonic level.

SCRs are peaks of the smoothed signal whose topographic prominence reaches ``min_amplitude``
(default 0.05 microsiemens), at least 1 s apart. An SCR's onset is the lowest point of the
smoothed signal in the ``max_rise`` seconds (default 5 s) before its peak (or since the previous
peak), and its amplitude is peak minus onset, the usual trough-to-peak definition, which does
not depend on the tonic estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal as sps

from ._validation import check_fs, check_positive, check_signal

MIN_EDA_SECONDS = 5.0


@dataclass(frozen=True)
class EDAAnalysis:
    """Tonic (N,), phasic (N,) in the input's units, and the SCRs as sample indices
    (onsets, peaks) with their amplitudes."""

    tonic: np.ndarray
    phasic: np.ndarray
    scr_onsets: np.ndarray
    scr_peaks: np.ndarray
    scr_amplitudes: np.ndarray
    fs: float

    @property
    def scr_count(self) -> int:
        return int(self.scr_peaks.size)

    @property
    def scr_peak_times(self) -> np.ndarray:
        return self.scr_peaks / self.fs

    @property
    def duration(self) -> float:
        return self.tonic.size / self.fs


def _lowpass(x: np.ndarray, cutoff: float, fs: float, order: int = 2) -> np.ndarray:
    if cutoff >= fs / 2:
        return x.copy()  # nothing above Nyquist to remove
    sos = sps.butter(order, cutoff, btype="lowpass", fs=fs, output="sos")
    return sps.sosfiltfilt(sos, x)


def analyze_eda(
    eda: np.ndarray,
    fs: float,
    tonic_cutoff: float = 0.05,
    min_amplitude: float = 0.05,
    max_rise: float = 5.0,
) -> EDAAnalysis:
    """Decompose an EDA recording (N,) (microsiemens, at least 5 s) and detect its SCRs."""
    fs = check_fs(fs)
    eda = check_signal(eda, "eda", min_length=max(int(np.ceil(MIN_EDA_SECONDS * fs)), 8))
    check_positive(tonic_cutoff, "tonic_cutoff")
    check_positive(min_amplitude, "min_amplitude")
    check_positive(max_rise, "max_rise")
    smooth = _lowpass(eda, 1.0, fs, order=4)
    tonic = _lowpass(smooth, tonic_cutoff, fs)
    phasic = smooth - tonic
    peaks, _ = sps.find_peaks(smooth, prominence=min_amplitude, distance=max(1, int(fs)))
    onsets, amplitudes, kept = [], [], []
    previous = 0
    for peak in peaks:
        start = max(previous, peak - round(max_rise * fs), 0)
        onset = start + int(np.argmin(smooth[start: peak + 1]))
        amplitude = smooth[peak] - smooth[onset]
        if amplitude >= min_amplitude:
            onsets.append(onset)
            amplitudes.append(amplitude)
            kept.append(peak)
        previous = peak
    return EDAAnalysis(
        tonic=tonic,
        phasic=phasic,
        scr_onsets=np.asarray(onsets, dtype=int),
        scr_peaks=np.asarray(kept, dtype=int),
        scr_amplitudes=np.asarray(amplitudes, dtype=float),
        fs=fs,
    )
