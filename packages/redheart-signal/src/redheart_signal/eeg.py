"""EEG rhythm band powers (delta, theta, alpha, beta, gamma), absolute and relative.

Welch PSD with 2 s Hann segments (0.5 Hz resolution, 50 % overlap), integrated over
:data:`redheart_signal.spectra.EEG_BANDS`; multi-channel input (C, N) averages the channels'
PSDs. Relative power is each band's share of the power in the five bands together.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._validation import check_channels, check_fs
from .spectra import EEG_BANDS, BandPowers, band_powers

MIN_EEG_SECONDS = 2.0


def eeg_band_powers(
    eeg: np.ndarray, fs: float, bands: Mapping[str, tuple[float, float]] | None = None
) -> BandPowers:
    """Band powers of EEG (N,) or (C, N) sampled at ``fs`` Hz, at least 2 s long.

    Absolute powers are in the input's units squared (e.g. microvolt**2).
    """
    fs = check_fs(fs)
    arr = check_channels(eeg, "eeg", min_length=int(np.ceil(MIN_EEG_SECONDS * fs)))
    return band_powers(arr if arr.shape[0] > 1 else arr[0], fs,
                       EEG_BANDS if bands is None else bands, segment_seconds=2.0)
