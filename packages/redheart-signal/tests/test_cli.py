import json

import numpy as np
import pytest

from redheart_signal.cli import main
from redheart_signal.kalman import EmotionKalman
from redheart_signal.synthetic import sinusoids, synthetic_ecg


def test_bands_command(tmp_path, capsys):
    path = tmp_path / "eeg.txt"
    np.savetxt(path, sinusoids([10.0], [2.0], 256.0, 10.0))
    assert main(["bands", str(path), "--fs", "256"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["absolute"]["alpha"] == pytest.approx(2.0, rel=0.02)  # A^2 / 2


def test_features_command_vector_and_sequence(tmp_path, capsys):
    ecg, _ = synthetic_ecg(66.0, 250.0, 30.0)
    path = tmp_path / "ecg.csv"
    np.savetxt(path, ecg, delimiter=",")
    assert main(["features", "--ecg", str(path), "--ecg-fs", "250"]) == 0
    vector = json.loads(capsys.readouterr().out)
    assert vector["ecg_hr_bpm"] == pytest.approx(66.0, abs=1.0) and vector["eda_scl_us"] is None
    assert main(["features", "--ecg", str(path), "--ecg-fs", "250", "--window", "10"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(line)["start"] for line in lines] == [0.0, 5.0, 10.0, 15.0, 20.0]


def test_smooth_command_matches_library(tmp_path):
    z = np.random.default_rng(0).dirichlet(np.ones(8), size=20)
    z[4] = np.nan
    src, dst = tmp_path / "traj.csv", tmp_path / "out.csv"
    np.savetxt(src, z, delimiter=",")
    assert main(["smooth", str(src), "--out", str(dst)]) == 0
    expected = EmotionKalman.distributions(EmotionKalman().smooth(z).means)
    np.testing.assert_allclose(np.loadtxt(dst, delimiter=","), expected, atol=1e-6)


def test_cli_errors_are_messages_not_tracebacks(tmp_path, capsys):
    assert main(["bands", str(tmp_path / "missing.txt"), "--fs", "256"]) == 2
    assert "cannot read signal file" in capsys.readouterr().err
    assert main(["features"]) == 2
    assert "at least one of" in capsys.readouterr().err
    path = tmp_path / "x.txt"
    np.savetxt(path, np.ones(600))
    assert main(["features", "--eeg", str(path)]) == 2
    assert "--eeg-fs" in capsys.readouterr().err


def test_registered_in_redheart_cli(tmp_path, capsys):
    cli = pytest.importorskip("redheart.cli")
    path = tmp_path / "eeg.txt"
    np.savetxt(path, sinusoids([20.0], [1.0], 128.0, 8.0))
    assert cli.main(["signal", "bands", str(path), "--fs", "128"]) == 0
    assert json.loads(capsys.readouterr().out)["absolute"]["beta"] == pytest.approx(0.5, rel=0.02)
