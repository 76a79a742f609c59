"""``redheart emotion-smooth``: parsing, validation, output and exit codes."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from redheart import schema
from redheart_emotion.cli import read_observations, register, smooth_file

pytest.importorskip("redheart_signal", reason="redheart-signal not installed")


def _line(t, p, sid=None):
    d = {"timestamp": t, "emotion": dict(zip(schema.EMOTIONS, p))}
    if sid is not None:
        d["sequence_id"] = sid
    return json.dumps(d)


def _parser():
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser


def test_smooth_file_orders_and_matches_kalman_smooth():
    from redheart_emotion.smoothing import kalman_smooth

    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(8), size=3)
    lines = [_line(20.0, p[0], "a"), _line(0.0, p[1], "a"), _line(5.0, p[2], "b")]
    out = smooth_file(lines)
    assert [r["timestamp"] for r in out] == [0.0, 20.0, 5.0]
    expected = kalman_smooth(p[[1, 0]], [0.0, 20.0])
    np.testing.assert_allclose([list(r["smoothed"].values()) for r in out[:2]], expected)
    assert out[0]["dominant"] == schema.EMOTIONS[int(p[1].argmax())]


@pytest.mark.parametrize("line, match", [
    ("not json", "invalid JSON"),
    ('{"timestamp": 1}', "needs 'timestamp'"),
    ('{"timestamp": 1, "emotion": {"joy": 1.0}}', "lacks"),
    (_line(0.0, [0.5] * 8), "sum to 1"),
])
def test_bad_lines(line, match):
    with pytest.raises(ValueError, match=match):
        read_observations([line])


def test_command_exit_codes(tmp_path, capsys):
    good = tmp_path / "in.jsonl"
    good.write_text("\n".join(_line(float(t), np.eye(8)[t % 8]) for t in range(4)))
    args = _parser().parse_args(["emotion-smooth", str(good), "--plot", str(tmp_path / "t.png")])
    pytest.importorskip("matplotlib").use("Agg")
    assert args.func(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and "dominant_smoothed" in json.loads(lines[0])
    assert (tmp_path / "t.png").is_file()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("oops\n")
    args = _parser().parse_args(["emotion-smooth", str(bad)])
    assert args.func(args) == 2
    assert "invalid JSON" in capsys.readouterr().err
