"""Integration with redheart-signal: feature size, real feature objects, Kalman trajectories."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from redheart import schema
from redheart.testing import fake_encoded_batch
from redheart_emotion.extras import DEFAULT_BIO_FEATURES, collate_biosignal
from redheart_emotion.results import EmotionResult, EmotionTrajectory

rs = pytest.importorskip("redheart_signal", reason="redheart-signal not installed")


def _features():
    from redheart_signal.synthetic import synthetic_ecg, synthetic_eda

    fs = 128.0
    ecg, _ = synthetic_ecg(72.0, fs, 40.0, seed=0)
    eda = synthetic_eda([5.0, 20.0], [0.4, 0.6], fs, 40.0, seed=0)
    recordings = {"ecg": (ecg, fs), "eda": (eda, fs)}
    return rs.biosignal_features(recordings), rs.biosignal_feature_sequence(recordings, 10.0, 5.0)


def test_feature_size_matches_signal():
    assert DEFAULT_BIO_FEATURES == len(rs.FEATURE_NAMES)


def test_signal_feature_objects_collate_with_eeg_masked():
    vector, sequence = _features()
    bio = collate_biosignal([vector, sequence, None], 3, DEFAULT_BIO_FEATURES)
    s = sequence.values.shape[0]
    assert s >= 2 and bio.lengths.tolist() == [1, s, 0]
    eeg = [i for i, n in enumerate(rs.FEATURE_NAMES) if n.startswith("eeg_")]
    assert not bio.observed[:, :, eeg].any()  # no EEG recording: masked, not zero-valued data
    hr = rs.FEATURE_NAMES.index("ecg_hr_bpm")
    assert bio.observed[0, 0, hr] and np.expm1(bio.values[0, 0, hr].item()) == pytest.approx(
        float(vector.values[hr]), rel=1e-5)


def test_analyzer_runs_on_real_features(head, analyzer):
    vector, sequence = _features()
    b = fake_encoded_batch(["emotion"], batch=3)
    b.extras = {"biosignal": [sequence, vector, None]}
    out = analyzer(b, head(b), {})
    assert out["has_biosignal"].tolist() == [True, True, False]
    assert torch.isfinite(out["emotion_probs"]).all()


def test_trajectory_default_smoother_is_kalman():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(8), size=4)
    results = [
        EmotionResult.from_arrays(p, schema.project_polarity(p),
                                  schema.project_graded(p, np.ones(3) / 3), np.ones(3) / 3,
                                  np.zeros(3), *schema.valence_arousal(p), timestamp=60.0 * i)
        for i, p in enumerate(probs)
    ]
    traj = EmotionTrajectory.from_results(results)
    ref = rs.EmotionKalman.distributions(rs.EmotionKalman().smooth(probs).means)
    np.testing.assert_allclose(traj.array("smoothed"), ref, atol=1e-9)
    np.testing.assert_allclose(traj.array("raw"), probs, atol=1e-12)
