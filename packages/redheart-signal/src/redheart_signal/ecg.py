"""Heart rate and heart-rate variability from an ECG via R-peak detection.

Detection (after Pan & Tompkins 1985): band-pass 5-15 Hz (zero-phase Butterworth, keeps the
QRS, drops baseline wander and T waves), differentiate, square, integrate over 150 ms. Local
maxima of that energy at least ``min_rr`` apart are candidates; a candidate is a beat when its
height reaches ``threshold`` times a robust reference (the 90th percentile of candidate heights),
which ignores a few artefacts and does not depend on the signal's scale. Each beat is placed on
the largest absolute band-passed sample within +-75 ms.

HRV over RR intervals ``rr`` (seconds), reported in milliseconds:
``SDNN = std(rr, ddof=1)``, ``RMSSD = sqrt(mean(diff(rr) ** 2))``; heart rate is
``60 / mean(rr)`` beats per minute.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal as sps

from ._validation import check_fs, check_signal

MIN_ECG_FS = 50.0


@dataclass(frozen=True)
class HRV:
    """Heart rate (bpm) and time-domain HRV (ms); NaN when there are too few beats
    (HR needs 1 RR interval, SDNN 2, RMSSD 2)."""

    heart_rate: float
    sdnn: float
    rmssd: float
    n_intervals: int


@dataclass(frozen=True)
class ECGAnalysis:
    """R peaks (sample indices), their sub-sample times (s), RR intervals (s) and HRV."""

    r_peaks: np.ndarray
    r_times: np.ndarray
    rr: np.ndarray
    hrv: HRV
    fs: float


def hrv_from_rr(rr: np.ndarray) -> HRV:
    """HRV summary of RR intervals (seconds)."""
    rr = np.asarray(rr, dtype=float)
    if rr.ndim != 1 or not np.all(np.isfinite(rr)) or np.any(rr <= 0):
        raise ValueError("rr must be a 1-D array of positive, finite intervals in seconds")
    hr = 60.0 / rr.mean() if rr.size >= 1 else float("nan")
    sdnn = 1000.0 * rr.std(ddof=1) if rr.size >= 2 else float("nan")
    rmssd = 1000.0 * np.sqrt(np.mean(np.diff(rr) ** 2)) if rr.size >= 2 else float("nan")
    return HRV(float(hr), float(sdnn), float(rmssd), int(rr.size))


def _check_ecg(ecg: np.ndarray, fs: float) -> tuple[np.ndarray, float]:
    fs = check_fs(fs)
    if fs < MIN_ECG_FS:
        raise ValueError(f"ECG needs fs >= {MIN_ECG_FS} Hz to resolve the QRS complex, got {fs}")
    return check_signal(ecg, "ecg", min_length=int(2 * fs)), fs


def _qrs_band(ecg: np.ndarray, fs: float) -> np.ndarray:
    """Zero-phase 5-15 Hz band-pass: keeps the QRS, drops baseline wander and T waves."""
    sos = sps.butter(3, [5.0, 15.0], btype="bandpass", fs=fs, output="sos")
    return sps.sosfiltfilt(sos, ecg)


def _peaks_in_band(band: np.ndarray, fs: float, min_rr: float, threshold: float) -> np.ndarray:
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    if not min_rr > 0:
        raise ValueError(f"min_rr must be a positive number of seconds, got {min_rr}")
    energy = np.gradient(band) ** 2
    width = max(1, round(0.15 * fs))
    energy = np.convolve(energy, np.ones(width) / width, mode="same")
    candidates, props = sps.find_peaks(energy, distance=max(1, int(min_rr * fs)), height=0.0)
    if candidates.size == 0:
        return candidates
    reference = np.percentile(props["peak_heights"], 90)
    beats = candidates[props["peak_heights"] >= threshold * reference]
    half = round(0.075 * fs)
    starts = np.maximum(beats - half, 0)
    refined = np.array([
        lo + int(np.argmax(np.abs(band[lo: b + half + 1]))) for lo, b in zip(starts, beats)
    ], dtype=int)
    return np.unique(refined)


def detect_r_peaks(
    ecg: np.ndarray, fs: float, min_rr: float = 0.25, threshold: float = 0.3
) -> np.ndarray:
    """Sample indices (K,) of the R peaks of ``ecg`` (N,) sampled at ``fs`` Hz (>= 50 Hz).

    Args:
        min_rr: refractory period in seconds (0.25 s allows up to 240 bpm).
        threshold: fraction of the robust reference energy a beat must reach.
    """
    ecg, fs = _check_ecg(ecg, fs)
    return _peaks_in_band(_qrs_band(ecg, fs), fs, min_rr, threshold)


def _subsample_times(band: np.ndarray, peaks: np.ndarray, fs: float) -> np.ndarray:
    """Peak times refined by a parabola through the |band-passed| sample and its neighbours.

    Sample quantisation (1 / fs) is comparable to RR variability at low rates, so whole-sample
    peak times would inflate SDNN and RMSSD.
    """
    mag = np.abs(band)
    offsets = np.zeros(peaks.size)
    inner = (peaks > 0) & (peaks < mag.size - 1)
    y0, y1, y2 = mag[peaks[inner] - 1], mag[peaks[inner]], mag[peaks[inner] + 1]
    curvature = y0 - 2 * y1 + y2
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.where(curvature < 0, 0.5 * (y0 - y2) / curvature, 0.0)
    offsets[inner] = np.clip(delta, -0.5, 0.5)
    return (peaks + offsets) / fs


def analyze_ecg(
    ecg: np.ndarray, fs: float, min_rr: float = 0.25, threshold: float = 0.3
) -> ECGAnalysis:
    """R peaks, RR intervals and HRV of an ECG (at least 2 s at >= 50 Hz); see
    :func:`detect_r_peaks` for the arguments."""
    ecg, fs = _check_ecg(ecg, fs)
    band = _qrs_band(ecg, fs)
    peaks = _peaks_in_band(band, fs, min_rr, threshold)
    times = _subsample_times(band, peaks, fs)
    rr = np.diff(times)
    return ECGAnalysis(peaks, times, rr, hrv_from_rr(rr), fs)
