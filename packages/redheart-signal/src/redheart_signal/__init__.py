"""redheart-signal: DSP, biosignal features and Kalman tracking for emotion streams.

Works on its own (numpy, scipy, PyWavelets, filterpy); importing it never imports torch or
redheart-core. Names are loaded on first use::

    import redheart_signal as rs
    bp = rs.band_powers(eeg, fs=256.0)              # delta ... gamma, absolute and relative
    track = rs.BatchedKalman().smooth(emotions)     # (B, T, 8) emotion streams
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # spectra
    "Spectrum": "spectra", "PSD": "spectra", "Spectrogram": "spectra", "STFT": "spectra",
    "BandPowers": "spectra", "EEG_BANDS": "spectra", "DEFAULT_BANDS": "spectra",
    "fft_spectrum": "spectra", "dominant_frequencies": "spectra", "welch_psd": "spectra",
    "stft": "spectra", "spectrogram": "spectra", "band_powers": "spectra",
    "band_powers_from_psd": "spectra",
    # wavelets
    "WaveletDecomposition": "wavelets", "wavelet_decompose": "wavelets", "max_level": "wavelets",
    # envelopes
    "ADSRParams": "envelope", "ADSRFit": "envelope", "adsr_envelope": "envelope",
    "fit_adsr": "envelope",
    # memory and valence-arousal
    "MemoryScale": "memory", "DEFAULT_SCALES": "memory", "EmotionalMemory": "memory",
    "EMOTIONS": "valence_arousal", "EMOTION_VALENCE": "valence_arousal",
    "EMOTION_AROUSAL": "valence_arousal", "valence_arousal": "valence_arousal",
    "LinearVAMap": "valence_arousal", "to_distribution": "valence_arousal",
    # biosignals
    "HRV": "ecg", "ECGAnalysis": "ecg", "detect_r_peaks": "ecg", "analyze_ecg": "ecg",
    "hrv_from_rr": "ecg", "EDAAnalysis": "eda", "analyze_eda": "eda",
    "eeg_band_powers": "eeg", "FEATURE_NAMES": "features", "FeatureVector": "features",
    "FeatureSequence": "features", "biosignal_features": "features",
    "biosignal_feature_sequence": "features",
    # Kalman
    "KalmanConfig": "kalman_config", "KalmanResult": "kalman_config",
    "EmotionKalman": "kalman", "BatchedKalman": "batched", "batched_filter": "batched",
    "batched_smoother": "batched", "NoiseEstimate": "noise_em", "estimate_noise": "noise_em",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'redheart_signal' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [
    "DEFAULT_BANDS",
    "DEFAULT_SCALES",
    "EEG_BANDS",
    "EMOTIONS",
    "EMOTION_AROUSAL",
    "EMOTION_VALENCE",
    "FEATURE_NAMES",
    "HRV",
    "PSD",
    "STFT",
    "ADSRFit",
    "ADSRParams",
    "BandPowers",
    "BatchedKalman",
    "ECGAnalysis",
    "EDAAnalysis",
    "EmotionKalman",
    "EmotionalMemory",
    "FeatureSequence",
    "FeatureVector",
    "KalmanConfig",
    "KalmanResult",
    "LinearVAMap",
    "MemoryScale",
    "NoiseEstimate",
    "Spectrogram",
    "Spectrum",
    "WaveletDecomposition",
    "__version__",
    "adsr_envelope",
    "analyze_ecg",
    "analyze_eda",
    "band_powers",
    "band_powers_from_psd",
    "batched_filter",
    "batched_smoother",
    "biosignal_feature_sequence",
    "biosignal_features",
    "detect_r_peaks",
    "dominant_frequencies",
    "eeg_band_powers",
    "estimate_noise",
    "fft_spectrum",
    "fit_adsr",
    "hrv_from_rr",
    "max_level",
    "spectrogram",
    "stft",
    "to_distribution",
    "valence_arousal",
    "wavelet_decompose",
    "welch_psd",
]
