"""Bad input fails early with a ValueError naming the problem, for every entry point."""

import numpy as np
import pytest

from redheart_signal.ecg import analyze_ecg
from redheart_signal.eda import analyze_eda
from redheart_signal.eeg import eeg_band_powers
from redheart_signal.spectra import band_powers, fft_spectrum, spectrogram, stft, welch_psd
from redheart_signal.wavelets import wavelet_decompose

GOOD = np.sin(np.linspace(0, 200, 5000))
FS = 250.0

WITH_FS = {
    "fft_spectrum": fft_spectrum,
    "welch_psd": welch_psd,
    "stft": stft,
    "spectrogram": spectrogram,
    "band_powers": band_powers,
    "analyze_ecg": analyze_ecg,
    "analyze_eda": analyze_eda,
    "eeg_band_powers": eeg_band_powers,
}
ALL = {**WITH_FS, "wavelet_decompose": lambda x, fs: wavelet_decompose(x)}


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.r_[GOOD[:-1], np.nan], "NaN or infinite"),
        (np.r_[GOOD[:-1], np.inf], "NaN or infinite"),
        (np.array([]), "empty"),
        (GOOD[:1], "too short"),
    ],
    ids=["nan", "inf", "empty", "too_short"],
)
def test_bad_signals(name, bad, message):
    with pytest.raises(ValueError, match=message):
        ALL[name](bad, FS)


@pytest.mark.parametrize("name", sorted(WITH_FS))
@pytest.mark.parametrize("fs", [0.0, -250.0, float("nan"), float("inf"), "fast"])
def test_bad_sampling_rates(name, fs):
    with pytest.raises(ValueError, match="sampling rate|samples per second"):
        WITH_FS[name](GOOD, fs)


@pytest.mark.parametrize("name", ["fft_spectrum", "stft", "spectrogram", "analyze_ecg",
                                  "analyze_eda", "wavelet_decompose"])
def test_wrong_shape(name):
    with pytest.raises(ValueError, match="1-D"):
        ALL[name](np.stack([GOOD, GOOD]), FS)


def test_multichannel_shape_errors():
    with pytest.raises(ValueError, match=r"\(channels, samples\)"):
        welch_psd(np.zeros((2, 3, 100)), FS)
    with pytest.raises(ValueError, match="overlap"):
        welch_psd(GOOD, FS, overlap=1.0)
