"""A fixed, named biosignal feature vector (and a windowed sequence of them) for the emotion
analyzer.

``recordings`` maps any subset of ``"ecg"``, ``"eda"``, ``"eeg"`` to ``(signal, fs)``. Every
call returns the same :data:`FEATURE_NAMES` in the same order; a modality that is absent (or a
feature that cannot be computed, such as SCR amplitude with no SCR) is NaN with ``present``
False, never a zero that looks like a measurement.

Features:

- ``ecg_hr_bpm``, ``ecg_sdnn_ms``, ``ecg_rmssd_ms``: from RR intervals whose two beats fall in
  the window.
- ``eda_scl_us`` (mean tonic level), ``eda_phasic_std_us``, ``eda_scr_rate_per_min``,
  ``eda_scr_amplitude_us`` (mean SCR amplitude; NaN when there is no SCR): SCRs counted by
  peak time.
- ``eeg_<band>_log10_power`` (absolute band power, log10 of units**2 so that scales across
  subjects stay comparable) and ``eeg_<band>_relative`` for delta, theta, alpha, beta, gamma.

The windowed variant analyses each recording once over its full length (filters need the
context) and then summarises each window ``[start, start + window)``; a window not fully
covered by a recording gets NaN for that modality.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ._validation import check_channels, check_fs, check_positive, check_signal
from .ecg import ECGAnalysis, analyze_ecg, hrv_from_rr
from .eda import EDAAnalysis, analyze_eda
from .eeg import MIN_EEG_SECONDS, eeg_band_powers
from .spectra import EEG_BANDS

MODALITIES: tuple[str, ...] = ("ecg", "eda", "eeg")
ECG_FEATURES: tuple[str, ...] = ("ecg_hr_bpm", "ecg_sdnn_ms", "ecg_rmssd_ms")
EDA_FEATURES: tuple[str, ...] = (
    "eda_scl_us", "eda_phasic_std_us", "eda_scr_rate_per_min", "eda_scr_amplitude_us",
)
EEG_FEATURES: tuple[str, ...] = tuple(f"eeg_{b}_log10_power" for b in EEG_BANDS) + tuple(
    f"eeg_{b}_relative" for b in EEG_BANDS
)
FEATURE_NAMES: tuple[str, ...] = ECG_FEATURES + EDA_FEATURES + EEG_FEATURES
_SLICES: dict[str, slice] = {
    "ecg": slice(0, len(ECG_FEATURES)),
    "eda": slice(len(ECG_FEATURES), len(ECG_FEATURES) + len(EDA_FEATURES)),
    "eeg": slice(len(ECG_FEATURES) + len(EDA_FEATURES), len(FEATURE_NAMES)),
}


@dataclass(frozen=True)
class FeatureVector:
    """``values`` (F,) in :data:`FEATURE_NAMES` order; ``present`` (F,) True where measured."""

    values: np.ndarray
    present: np.ndarray
    names: tuple[str, ...] = FEATURE_NAMES

    def to_dict(self) -> dict[str, float | None]:
        """Name -> value, ``None`` for features not measured (JSON-safe)."""
        return {n: (float(v) if p else None) for n, v, p in zip(self.names, self.values,
                                                                  self.present)}


@dataclass(frozen=True)
class FeatureSequence:
    """``values`` (S, F) and ``present`` (S, F) over S windows starting at ``starts`` (S,) s."""

    values: np.ndarray
    present: np.ndarray
    starts: np.ndarray
    window: float
    names: tuple[str, ...] = FEATURE_NAMES


def _check_recordings(recordings: Mapping[str, tuple[np.ndarray, float]]) -> dict[str, tuple]:
    unknown = set(recordings) - set(MODALITIES)
    if unknown:
        raise ValueError(f"unknown modalities {sorted(unknown)}; use any of {MODALITIES}")
    checked = {}
    for name, item in recordings.items():
        if not isinstance(item, tuple) or len(item) != 2:
            raise ValueError(f"recordings[{name!r}] must be a (signal, fs) tuple")
        sig, fs = item
        fs = check_fs(fs, f"fs of {name}")
        arr = check_channels(sig, name) if name == "eeg" else check_signal(sig, name)
        checked[name] = (arr, fs)
    return checked


def _duration(arr: np.ndarray, fs: float) -> float:
    return arr.shape[-1] / fs


def _ecg_window(a: ECGAnalysis, t0: float, t1: float) -> np.ndarray:
    times = a.r_times
    inside = (times >= t0) & (times < t1)
    rr = np.diff(times[inside])
    if rr.size == 0:
        return np.full(len(ECG_FEATURES), np.nan)
    hrv = hrv_from_rr(rr)
    return np.array([hrv.heart_rate, hrv.sdnn, hrv.rmssd])


def _eda_window(a: EDAAnalysis, t0: float, t1: float) -> np.ndarray:
    i0, i1 = round(float(t0) * a.fs), round(float(t1) * a.fs)
    in_window = (a.scr_peak_times >= t0) & (a.scr_peak_times < t1)
    amps = a.scr_amplitudes[in_window]
    return np.array([
        a.tonic[i0:i1].mean(),
        a.phasic[i0:i1].std(),
        in_window.sum() / ((t1 - t0) / 60.0),
        amps.mean() if amps.size else np.nan,
    ])


def _eeg_window(eeg: np.ndarray, fs: float, t0: float, t1: float) -> np.ndarray:
    seg = eeg[:, round(float(t0) * fs): round(float(t1) * fs)]
    bp = eeg_band_powers(seg, fs)
    with np.errstate(divide="ignore"):
        log_abs = np.where(bp.absolute > 0, np.log10(bp.absolute), np.nan)
    return np.concatenate([log_abs, bp.relative])


def _analyses(checked: dict[str, tuple]) -> dict[str, object]:
    out: dict[str, object] = {}
    if "ecg" in checked:
        out["ecg"] = analyze_ecg(*checked["ecg"])
    if "eda" in checked:
        out["eda"] = analyze_eda(*checked["eda"])
    return out


def _window_features(
    checked: dict[str, tuple], analyses: dict[str, object], t0: float, t1: float | None
) -> np.ndarray:
    values = np.full(len(FEATURE_NAMES), np.nan)
    for name, (arr, fs) in checked.items():
        end = _duration(arr, fs)
        lo, hi = (0.0, end) if t1 is None else (t0, t1)
        if hi > end + 1e-9:
            continue  # window not covered by this recording
        if name == "ecg":
            values[_SLICES[name]] = _ecg_window(analyses["ecg"], lo, hi)
        elif name == "eda":
            values[_SLICES[name]] = _eda_window(analyses["eda"], lo, hi)
        else:
            values[_SLICES[name]] = _eeg_window(arr, fs, lo, hi)
    return values


def biosignal_features(recordings: Mapping[str, tuple[np.ndarray, float]]) -> FeatureVector:
    """One feature vector (F,) over each recording's full length.

    Args:
        recordings: any subset of ``{"ecg": (signal, fs), "eda": (signal, fs),
            "eeg": (signal (N,) or (C, N), fs)}``; an empty mapping gives all-NaN.
    """
    checked = _check_recordings(recordings)
    values = _window_features(checked, _analyses(checked), 0.0, None)
    return FeatureVector(values, np.isfinite(values))


def biosignal_feature_sequence(
    recordings: Mapping[str, tuple[np.ndarray, float]], window: float = 10.0, step: float = 5.0
) -> FeatureSequence:
    """Feature vectors over sliding windows: values (S, F) for the emotion analyzer's sequence
    model, windows ``[k * step, k * step + window)`` up to the longest recording.

    Raises:
        ValueError: no recordings, non-positive window/step, window shorter than EEG needs
            (2 s), or every recording shorter than one window.
    """
    window = check_positive(window, "window")
    step = check_positive(step, "step")
    checked = _check_recordings(recordings)
    if not checked:
        raise ValueError("recordings is empty; pass at least one of " + ", ".join(MODALITIES))
    if "eeg" in checked and window < MIN_EEG_SECONDS:
        raise ValueError(f"window must be >= {MIN_EEG_SECONDS} s for EEG band powers")
    longest = max(_duration(arr, fs) for arr, fs in checked.values())
    if longest + 1e-9 < window:
        raise ValueError(f"recordings last {longest:.2f} s, shorter than one window "
                         f"({window} s); use a shorter window")
    n_windows = int(np.floor((longest - window) / step + 1e-9)) + 1
    starts = np.arange(n_windows) * step
    analyses = _analyses(checked)
    values = np.stack([_window_features(checked, analyses, s, s + window) for s in starts])
    return FeatureSequence(values, np.isfinite(values), starts, window)
