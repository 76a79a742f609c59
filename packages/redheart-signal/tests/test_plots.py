import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from redheart_signal.batched import BatchedKalman  # noqa: E402
from redheart_signal.plots import (  # noqa: E402
    plot_emotion_trajectories,
    plot_spectrogram,
    plot_wavelet_energies,
)
from redheart_signal.spectra import spectrogram  # noqa: E402
from redheart_signal.synthetic import sinusoids  # noqa: E402
from redheart_signal.wavelets import wavelet_decompose  # noqa: E402


def _png_written(path) -> bool:
    return path.exists() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plots_write_files(tmp_path):
    x = sinusoids([10.0, 30.0], [1.0, 0.5], 128.0, 8.0)
    plot_spectrogram(spectrogram(x, 128.0, nperseg=64), tmp_path / "spec.png")
    plot_wavelet_energies(wavelet_decompose(x), tmp_path / "wav.png")
    z = np.random.default_rng(0).dirichlet(np.ones(8), size=(1, 30))
    kal = BatchedKalman()
    plot_emotion_trajectories(z[0], kal.filter(z).means[0], kal.smooth(z).means[0],
                              path=tmp_path / "traj.png")
    for name in ("spec.png", "wav.png", "traj.png"):
        assert _png_written(tmp_path / name)
    matplotlib.pyplot.close("all")


def test_trajectory_shape_errors():
    with pytest.raises(ValueError, match=r"\(T, 8\)"):
        plot_emotion_trajectories(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="filtered"):
        plot_emotion_trajectories(np.zeros((5, 8)), filtered=np.zeros((4, 8)))
