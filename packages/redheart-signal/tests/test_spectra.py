import numpy as np
import pytest

from redheart_signal.spectra import (
    EEG_BANDS,
    PSD,
    band_powers,
    band_powers_from_psd,
    dominant_frequencies,
    fft_spectrum,
    spectrogram,
    stft,
    welch_psd,
)
from redheart_signal.synthetic import sinusoids

FS = 256.0


@pytest.mark.parametrize("n", [1000, 1001])
@pytest.mark.parametrize("window", ["boxcar", "hann"])
def test_parseval_one_sided_power(n, window):
    x = np.random.default_rng(0).standard_normal(n)
    spec = fft_spectrum(x, FS, window=window)
    w = np.hanning(n + 1)[:-1] if window == "hann" else np.ones(n)  # periodic Hann
    assert spec.power.sum() == pytest.approx(np.mean((x * w) ** 2), rel=1e-12)
    # full two-sided Parseval on the raw coefficients
    full = np.fft.fft(x * w)
    assert np.sum(np.abs(full) ** 2) / n == pytest.approx(np.sum((x * w) ** 2), rel=1e-12)


def test_fft_phase_and_amplitude_of_a_cosine():
    t = np.arange(512) / FS
    x = 2.5 * np.cos(2 * np.pi * 16.0 * t + 0.7)  # 16 Hz is bin 32 exactly
    spec = fft_spectrum(x, FS)
    k = int(np.argmax(spec.amplitude))
    assert spec.freqs[k] == 16.0
    assert spec.amplitude[k] == pytest.approx(2.5, rel=1e-12)
    assert spec.phase[k] == pytest.approx(0.7, abs=1e-12)
    hann = fft_spectrum(x, FS, window="hann")
    assert hann.amplitude[k] == pytest.approx(2.5, rel=1e-12)


def test_peaks_at_known_frequencies():
    x = sinusoids([6.0, 10.0, 22.0], [1.0, 3.0, 2.0], FS, duration=8.0)
    peaks = dominant_frequencies(x, FS, k=3)
    np.testing.assert_allclose(peaks, [10.0, 22.0, 6.0], atol=FS / x.size)


def test_band_powers_proportional_to_squared_amplitudes():
    amps = {"theta": 1.0, "alpha": 3.0, "beta": 2.0}
    x = sinusoids([6.0, 10.0, 22.0], list(amps.values()), FS, duration=30.0)
    bp = band_powers(x, FS)
    got = dict(zip(bp.names, bp.absolute))
    for name, a in amps.items():
        assert got[name] == pytest.approx(a**2 / 2, rel=0.02)  # A sin -> power A^2 / 2
    assert got["delta"] < 1e-3 and got["gamma"] < 1e-3
    expected_share = np.array([a**2 for a in amps.values()]) / sum(a**2 for a in amps.values())
    np.testing.assert_allclose(bp.relative[1:4], expected_share, atol=2e-3)
    assert bp.total == pytest.approx(np.var(x), rel=0.01)


def test_welch_density_integrates_to_variance_of_white_noise():
    x = np.random.default_rng(1).normal(0.0, 2.0, 60 * int(FS))
    psd = welch_psd(x, FS)
    assert psd.resolution == pytest.approx(0.5)
    assert psd.density.sum() * psd.resolution == pytest.approx(4.0, rel=0.05)
    two = welch_psd(np.stack([x, 2 * x]), FS)
    np.testing.assert_allclose(two.density[1], 4 * two.density[0])


def test_band_edges_are_half_open_and_clip_to_nyquist():
    freqs = np.arange(0, 65, 1.0)  # fs = 128 -> Nyquist 64
    psd = PSD(freqs, np.ones_like(freqs))
    bp = band_powers_from_psd(psd, {"a": (0.0, 10.0), "b": (10.0, 100.0)})
    assert bp.absolute.tolist() == [10.0, 55.0]  # 0..9 and 10..64, Nyquist bin kept
    with pytest.raises(ValueError, match="Nyquist"):
        band_powers_from_psd(psd, {"too_high": (70.0, 90.0)})
    with pytest.raises(ValueError, match="low < high"):
        band_powers_from_psd(psd, {"bad": (10.0, 5.0)})
    with pytest.raises(ValueError, match="empty"):
        band_powers_from_psd(psd, {})


def test_stft_round_trip_and_spectrogram_peak():
    x = sinusoids([20.0], [1.0], FS, duration=4.0)
    z = stft(x, FS, nperseg=128)
    np.testing.assert_allclose(z.inverse()[: x.size], x, atol=1e-10)
    spec = spectrogram(x, FS, nperseg=128)
    assert spec.power.shape == (65, spec.times.size)
    assert np.all(spec.freqs[np.argmax(spec.power, axis=0)] == 20.0)


def test_default_bands_are_the_eeg_rhythms():
    assert list(EEG_BANDS) == ["delta", "theta", "alpha", "beta", "gamma"]
