"""EmotionResult, interpret, EmotionTrajectory and its plot."""

from __future__ import annotations

import json

import numpy as np
import pytest

from redheart import schema
from redheart.plugin_api import PluginOutputs, TextInput
from redheart_emotion.interpret import interpret
from redheart_emotion.results import EmotionResult, EmotionTrajectory

P = [0.5, 0.0, 0.2, 0.1, 0.0, 0.0, 0.2, 0.0]


def _result(p=P, grade=(0.2, 0.5, 0.3), ts=None, sid=None) -> EmotionResult:
    p = np.asarray(p)
    return EmotionResult.from_arrays(
        p, schema.project_polarity(p), schema.project_graded(p, np.asarray(grade)), grade,
        [0.1, 0.7, 0.2], *schema.valence_arousal(p), timestamp=ts, sequence_id=sid,
    )


def test_every_name_present_and_dominant():
    r = _result()
    assert list(r.emotions) == list(schema.EMOTIONS)
    assert list(r.polarity) == list(schema.POLARITIES)
    assert list(r.graded) == list(schema.GRADED_EMOTIONS)
    assert list(r.cultural) == list(schema.CULTURAL)
    assert (r.dominant, r.intensity, r.dominant_graded) == ("joy", 2, "joy")
    assert r.polarity == pytest.approx({"positive": 0.5, "negative": 0.4, "neutral": 0.1})
    assert r.valence == pytest.approx(0.183)


def test_top_levels():
    r = _result(grade=(0.1, 0.2, 0.7))
    assert r.top(2) == [("joy", 0.5), ("fear", 0.2)]
    assert r.top(1, "graded") == [("ecstasy", pytest.approx(0.35))]
    assert r.top(1, "cultural") == [("han", 0.7)]
    assert r.dominant_graded == "ecstasy"
    with pytest.raises(ValueError, match="unknown level"):
        r.top(1, "sentence")


def test_to_dict_is_json():
    d = json.loads(_result(ts=3.0, sid="a").to_json())
    assert d["emotions"]["anticipation"] == 0.0 and d["timestamp"] == 3.0
    assert set(d) >= {"emotions", "polarity", "graded", "cultural", "dominant", "intensity",
                      "valence", "arousal", "intensity_probs"}


def test_bad_result_inputs():
    with pytest.raises(ValueError, match="8 values"):
        EmotionResult.from_arrays(P[:7], [0.5, 0.4, 0.1], np.zeros(24), [1, 0, 0], [0, 0, 0],
                                  0.0, 0.5)
    with pytest.raises(ValueError, match="arousal"):
        _r = np.asarray(P)
        EmotionResult.from_arrays(_r, [0.5, 0.4, 0.1], schema.project_graded(_r, np.ones(3) / 3),
                                  np.ones(3) / 3, [0, 0, 0], 0.0, 1.5)


def test_interpret_row(head, analyzer, batch):
    h = head(batch)
    outputs = PluginOutputs(h, analyzer(batch, h, {})).detach()
    item = TextInput("text", extras={"sequence_id": "diary", "timestamp": 120.0})
    r = interpret(outputs, 0, item)
    assert isinstance(r, EmotionResult) and r.has_biosignal
    assert r.emotions["joy"] == pytest.approx(outputs.analyzer["emotion_probs"][0, 0].item())
    assert sum(r.graded.values()) == pytest.approx(1.0, abs=1e-5)
    assert r.sequence_id == "diary" and r.timestamp == 120.0
    head_only = interpret(PluginOutputs(outputs.head, {}), 7, TextInput("t"))
    assert not head_only.has_biosignal
    with pytest.raises(IndexError):
        interpret(outputs, 8, item)


def _identity(p, t):
    return p


def test_trajectory_orders_by_time_with_given_smoother():
    a = _result(P, ts=10.0, sid="s")
    q = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    b = _result(q, ts=0.0, sid="s")
    traj = EmotionTrajectory.from_results([a, b], smoother=_identity)
    assert traj.timestamps == [0.0, 10.0]
    assert traj.dominant_raw == ["sadness", "joy"] == traj.dominant_smoothed
    assert traj.valence_raw[0] == pytest.approx(-0.94)
    np.testing.assert_allclose(traj.array("raw"), traj.array("smoothed"))
    json.loads(traj.to_json())


def test_trajectory_errors():
    with pytest.raises(ValueError, match="at least 2"):
        EmotionTrajectory.from_results([_result(ts=1.0)], smoother=_identity)
    with pytest.raises(ValueError, match="no timestamp"):
        EmotionTrajectory.from_results([_result(), _result()], smoother=_identity)
    with pytest.raises(ValueError, match="different sequences"):
        EmotionTrajectory.from_results([_result(ts=1.0, sid="a"), _result(ts=2.0, sid="b")],
                                       smoother=_identity)


def test_trajectory_plot(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    traj = EmotionTrajectory.from_results([_result(ts=float(t)) for t in range(3)],
                                          smoother=_identity)
    ax = traj.plot(emotions=["joy", "fear"])
    assert len(ax.lines) == 4
    ax.figure.savefig(tmp_path / "trajectory.png")
    with pytest.raises(ValueError, match="unknown emotions"):
        traj.plot(emotions=["glee"])


def test_torch_not_needed_for_results():
    import subprocess
    import sys

    code = ("import sys, redheart_emotion.results, redheart_emotion.hierarchy, "
            "redheart_emotion.plugin; assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_plugin_spec_registered():
    from redheart.plugins import discover

    reg = discover()
    spec = reg.get("emotion")
    assert spec.package == "redheart-emotion" and spec.head_params == 22_000_000
    assert callable(spec.load("head")) and callable(spec.load("interpret"))
