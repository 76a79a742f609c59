import numpy as np
import pytest

from redheart_signal.eeg import eeg_band_powers
from redheart_signal.features import (
    FEATURE_NAMES,
    biosignal_feature_sequence,
    biosignal_features,
)
from redheart_signal.synthetic import sinusoids, synthetic_ecg, synthetic_eda


def _recordings(seconds: float = 40.0) -> dict:
    ecg, _ = synthetic_ecg(72.0, 250.0, seconds, seed=1)
    eda = synthetic_eda([5.0, 20.0, 31.0], [0.5, 0.3, 0.8], 16.0, seconds, seed=1)
    eeg = np.stack([sinusoids([10.0, 20.0], [10.0, 3.0], 256.0, seconds) for _ in range(2)])
    return {"ecg": (ecg, 250.0), "eda": (eda, 16.0), "eeg": (eeg, 256.0)}


def test_eeg_band_powers_absolute_and_relative():
    eeg = sinusoids([2.0, 6.0, 10.0, 20.0, 40.0], [1.0, 2.0, 3.0, 2.0, 1.0], 256.0, 20.0)
    bp = eeg_band_powers(eeg, 256.0)
    np.testing.assert_allclose(bp.absolute, [0.5, 2.0, 4.5, 2.0, 0.5], rtol=0.02)
    np.testing.assert_allclose(bp.relative, np.array([1, 4, 9, 4, 1]) / 19, rtol=0.02)
    with pytest.raises(ValueError, match="Nyquist"):
        eeg_band_powers(np.random.default_rng(0).standard_normal(200), 50.0)
    with pytest.raises(ValueError, match="too short"):
        eeg_band_powers(np.ones(100), 256.0)


def test_feature_vector_is_fixed_and_named():
    fv = biosignal_features(_recordings())
    assert fv.names == FEATURE_NAMES and fv.values.shape == (len(FEATURE_NAMES),) == (17,)
    assert fv.present.all()
    d = fv.to_dict()
    assert d["ecg_hr_bpm"] == pytest.approx(72.0, abs=1.0)
    assert d["eda_scr_rate_per_min"] == pytest.approx(3 / (40 / 60))
    assert d["eeg_alpha_relative"] == pytest.approx(100 / 109, rel=0.01)
    assert d["eeg_alpha_log10_power"] == pytest.approx(np.log10(50.0), abs=0.01)


def test_absent_modalities_are_nan_with_a_mask_never_zero():
    rec = _recordings()
    fv = biosignal_features({"eda": rec["eda"]})
    is_eda = np.array([n.startswith("eda_") for n in FEATURE_NAMES])
    assert fv.present[is_eda].all() and not fv.present[~is_eda].any()
    assert np.isnan(fv.values[~is_eda]).all()
    assert fv.to_dict()["ecg_hr_bpm"] is None
    empty = biosignal_features({})
    assert not empty.present.any()


def test_feature_sequence_windows():
    rec = _recordings(40.0)
    rec["eeg"] = (rec["eeg"][0][:, : 256 * 20], 256.0)  # EEG covers only the first 20 s
    seq = biosignal_feature_sequence(rec, window=10.0, step=5.0)
    assert seq.values.shape == (7, 17)
    np.testing.assert_allclose(seq.starts, np.arange(7) * 5.0)
    eeg_cols = np.array([n.startswith("eeg_") for n in FEATURE_NAMES])
    assert seq.present[:3, eeg_cols].all()  # windows [0,10), [5,15), [10,20)
    assert not seq.present[3:, eeg_cols].any()
    hr = seq.values[:, FEATURE_NAMES.index("ecg_hr_bpm")]
    np.testing.assert_allclose(hr, 72.0, atol=3.0)


def test_bad_recordings():
    rec = _recordings(20.0)
    with pytest.raises(ValueError, match="unknown modalities"):
        biosignal_features({"emg": rec["ecg"]})
    with pytest.raises(ValueError, match=r"\(signal, fs\)"):
        biosignal_features({"ecg": rec["ecg"][0]})
    with pytest.raises(ValueError, match="fs of ecg"):
        biosignal_features({"ecg": (rec["ecg"][0], 0.0)})
    with pytest.raises(ValueError, match="shorter than one window"):
        biosignal_feature_sequence(rec, window=30.0)
    with pytest.raises(ValueError, match="empty"):
        biosignal_feature_sequence({})
    with pytest.raises(ValueError, match="window"):
        biosignal_feature_sequence(rec, window=-1.0)
