import numpy as np
import pytest

from redheart_signal.wavelets import max_level, wavelet_decompose


@pytest.mark.parametrize("mode", ["periodization", "symmetric"])
@pytest.mark.parametrize("n", [1024, 1000, 777])
def test_perfect_reconstruction(mode, n):
    x = np.random.default_rng(n).standard_normal(n)
    dec = wavelet_decompose(x, "db4", level=5, mode=mode)
    assert dec.level == 5
    np.testing.assert_allclose(dec.reconstruct(), x, atol=1e-10)


def test_energies_partition_signal_energy_for_orthogonal_wavelet():
    x = np.random.default_rng(0).standard_normal(2048)
    dec = wavelet_decompose(x)
    assert dec.names == ("A5", "D5", "D4", "D3", "D2", "D1")
    assert dec.energies.sum() == pytest.approx(np.sum(x**2), rel=1e-10)
    assert dec.relative_energies.sum() == pytest.approx(1.0)


def test_energy_lands_in_the_level_of_the_frequency():
    fs = 256.0
    t = np.arange(4096) / fs
    # D3 covers fs/16..fs/8 = 16..32 Hz: a 24 Hz tone puts most energy there.
    dec = wavelet_decompose(np.sin(2 * np.pi * 24.0 * t))
    assert dec.names[int(np.argmax(dec.energies))] == "D3"
    np.testing.assert_allclose(dec.band_edges(fs)[3], [16.0, 32.0])


def test_partial_reconstruction_keeps_named_levels():
    x = np.random.default_rng(1).standard_normal(512)
    dec = wavelet_decompose(x)
    parts = sum(dec.reconstruct(keep=[name]) for name in dec.names)
    np.testing.assert_allclose(parts, x, atol=1e-10)  # the transform is linear
    with pytest.raises(ValueError, match="unknown levels"):
        dec.reconstruct(keep=["D9"])


def test_level_capped_with_a_clear_message():
    x = np.random.default_rng(2).standard_normal(100)
    cap = max_level(100, "db4")
    assert cap == 3  # floor(log2(100 / 7))
    with pytest.warns(UserWarning, match="at most level 3"):
        dec = wavelet_decompose(x, level=5)
    assert dec.level == 3 and dec.requested_level == 5
    np.testing.assert_allclose(dec.reconstruct(), x, atol=1e-10)


def test_bad_wavelet_inputs():
    with pytest.raises(ValueError, match="too short"):
        wavelet_decompose(np.ones(5))
    with pytest.raises(ValueError, match="unknown discrete wavelet"):
        wavelet_decompose(np.ones(64), wavelet="nope")
    with pytest.raises(ValueError, match="positive integer"):
        wavelet_decompose(np.ones(64), level=0)
