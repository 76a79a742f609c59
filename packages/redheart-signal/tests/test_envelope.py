import numpy as np
import pytest

from redheart_signal.envelope import ADSRParams, adsr_envelope, fit_adsr

TRUE = ADSRParams(onset=2.0, attack=1.5, decay=2.0, sustain_level=0.5, sustain_time=4.0,
                  release=3.0, peak=0.9, baseline=0.05)


def test_envelope_hand_values():
    t = np.array([0.0, 2.0, 2.75, 3.5, 4.5, 5.5, 9.5, 11.0, 12.5, 15.0])
    expected = 0.05 + np.array([0.0, 0.0, 0.45, 0.9, 0.7, 0.5, 0.5, 0.25, 0.0, 0.0])
    np.testing.assert_allclose(adsr_envelope(t, TRUE), expected, atol=1e-12)
    assert TRUE.end == pytest.approx(12.5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_recovers_known_parameters_from_noisy_envelope(seed):
    t = np.linspace(0.0, 20.0, 400)
    y = adsr_envelope(t, TRUE) + np.random.default_rng(seed).normal(0.0, 0.03, t.size)
    fit = fit_adsr(t, y)
    got = fit.params.to_dict()
    for name, value in TRUE.to_dict().items():
        assert got[name] == pytest.approx(value, abs=0.15), name
    assert fit.residual_rms == pytest.approx(0.03, rel=0.15)  # residual = the noise
    assert fit.r_squared > 0.97


def test_noise_free_fit_is_exact():
    t = np.linspace(0.0, 20.0, 500)
    fit = fit_adsr(t, adsr_envelope(t, TRUE))
    assert fit.residual_rms < 1e-3
    assert fit.params.peak == pytest.approx(0.9, abs=5e-3)


def test_bad_inputs():
    t = np.linspace(0, 1, 20)
    with pytest.raises(ValueError, match="constant"):
        fit_adsr(t, np.ones(20))
    with pytest.raises(ValueError, match="too short"):
        fit_adsr(t[:5], t[:5])
    with pytest.raises(ValueError, match="same length"):
        fit_adsr(t, t[:10])
    with pytest.raises(ValueError, match="increasing"):
        fit_adsr(t[::-1], t)
    with pytest.raises(ValueError, match="NaN"):
        fit_adsr(t, np.where(t > 0.5, np.nan, t))
    with pytest.raises(ValueError, match="sustain_level <= peak"):
        ADSRParams(0, 1, 1, 2.0, 1, 1, 1.0)
    with pytest.raises(ValueError, match="attack"):
        ADSRParams(0, 0, 1, 0.5, 1, 1, 1.0)
