import numpy as np
import pytest

from redheart_signal.eda import analyze_eda
from redheart_signal.synthetic import scr_shape, synthetic_eda

ONSETS = [5.0, 17.0, 30.0, 41.0, 60.0, 75.0]
AMPS = [0.3, 0.8, 0.15, 0.5, 1.0, 0.1]


def test_scr_shape_peaks_at_one():
    t = np.linspace(-1, 30, 31001)
    s = scr_shape(t)
    assert s.max() == pytest.approx(1.0, abs=1e-6)
    assert s[t < 0].max() == 0.0


@pytest.mark.parametrize("fs", [4.0, 32.0])
def test_scr_count_and_amplitudes_on_synthetic_signal(fs):
    eda = synthetic_eda(ONSETS, AMPS, fs, duration=90.0, seed=3)
    result = analyze_eda(eda, fs)
    assert result.scr_count == len(ONSETS)
    np.testing.assert_allclose(result.scr_amplitudes, AMPS, rtol=0.2)
    # Bateman peak (rise 0.75 s, decay 4 s) comes 1.67 s after onset; a response riding on
    # the decaying tail of the previous one peaks a little earlier.
    np.testing.assert_allclose(result.scr_peak_times, np.array(ONSETS) + 1.67, atol=0.5)


def test_tonic_tracks_the_level_and_phasic_is_the_residual():
    fs = 16.0
    eda = synthetic_eda([], [], fs, duration=120.0, level=3.0, drift=0.5, noise=0.0)
    result = analyze_eda(eda, fs)
    assert result.scr_count == 0
    inner = slice(int(10 * fs), int(110 * fs))  # away from filter edges
    np.testing.assert_allclose(result.tonic[inner], eda[inner], atol=5e-3)
    np.testing.assert_allclose(result.phasic, eda - result.tonic, atol=5e-3)


def test_small_responses_below_threshold_are_not_counted():
    eda = synthetic_eda([10.0, 30.0], [0.02, 0.4], 8.0, duration=60.0, seed=4)
    assert analyze_eda(eda, 8.0, min_amplitude=0.05).scr_count == 1


def test_bad_eda_inputs():
    with pytest.raises(ValueError, match="too short"):
        analyze_eda(np.ones(10), 4.0)
    with pytest.raises(ValueError, match="sampling rate"):
        analyze_eda(np.ones(100), 0.0)
    with pytest.raises(ValueError, match="1-D"):
        analyze_eda(np.ones((2, 100)), 4.0)
    with pytest.raises(ValueError, match="min_amplitude"):
        analyze_eda(np.ones(100), 4.0, min_amplitude=0.0)
