import numpy as np
import pytest

from redheart_signal.ecg import analyze_ecg, detect_r_peaks, hrv_from_rr
from redheart_signal.synthetic import synthetic_ecg


def test_hrv_hand_values():
    hrv = hrv_from_rr(np.array([0.8, 1.0, 0.9, 1.1]))
    assert hrv.heart_rate == pytest.approx(60 / 0.95)
    # std(ddof=1) of [0.8, 1.0, 0.9, 1.1] = sqrt(0.05 / 3); diffs 0.2, -0.1, 0.2
    assert hrv.sdnn == pytest.approx(1000 * np.sqrt(0.05 / 3))
    assert hrv.rmssd == pytest.approx(1000 * np.sqrt((0.04 + 0.01 + 0.04) / 3))
    single = hrv_from_rr(np.array([0.5]))
    assert single.heart_rate == 120.0 and np.isnan(single.sdnn) and np.isnan(single.rmssd)


@pytest.mark.parametrize("rate", [48.0, 72.0, 120.0, 165.0])
@pytest.mark.parametrize("fs", [128.0, 360.0])
def test_heart_rate_of_synthetic_ecg_within_one_bpm(rate, fs):
    ecg, beats = synthetic_ecg(rate, fs, duration=60.0, jitter=0.03, seed=int(rate))
    result = analyze_ecg(ecg, fs)
    assert result.hrv.heart_rate == pytest.approx(rate, abs=1.0)
    assert result.r_peaks.size == beats.size
    np.testing.assert_allclose(result.r_times, beats, atol=0.003)
    true = hrv_from_rr(np.diff(beats))
    assert result.hrv.sdnn == pytest.approx(true.sdnn, rel=0.05)
    assert result.hrv.rmssd == pytest.approx(true.rmssd, rel=0.05)


def test_detection_ignores_scale_and_polarity():
    ecg, beats = synthetic_ecg(70.0, 250.0, 30.0)
    a = detect_r_peaks(ecg, 250.0)
    np.testing.assert_array_equal(detect_r_peaks(1000 * ecg, 250.0), a)
    assert detect_r_peaks(-ecg, 250.0).size == beats.size


def test_bad_ecg_inputs():
    with pytest.raises(ValueError, match="fs >= 50"):
        detect_r_peaks(np.zeros(1000), 20.0)
    with pytest.raises(ValueError, match="too short"):
        detect_r_peaks(np.zeros(100), 250.0)
    with pytest.raises(ValueError, match="positive, finite sampling rate"):
        analyze_ecg(np.zeros(1000), -250.0)
    with pytest.raises(ValueError, match="NaN"):
        analyze_ecg(np.r_[np.zeros(999), np.nan], 250.0)
    with pytest.raises(ValueError, match="positive"):
        hrv_from_rr(np.array([0.8, -1.0]))
