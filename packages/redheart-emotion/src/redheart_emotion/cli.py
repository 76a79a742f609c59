"""``redheart emotion-smooth``: Kalman smoothing of emotion trajectories from a file, no model.

Input: JSON lines, one observation each::

    {"timestamp": 0, "emotion": {"joy": 0.7, "trust": 0.1, ...}, "sequence_id": "diary-1"}

(``emotion`` must name all 8 emotions and sum to 1; ``sequence_id`` is optional — lines without
one form a single sequence). Output: the same lines in time order per sequence, with
``smoothed`` (8 emotions), ``dominant`` and ``dominant_smoothed`` added. Needs redheart-signal.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from redheart import schema
from redheart.data import json_lines
from redheart_emotion import hierarchy


def register(commands: Any) -> None:
    """Add ``redheart emotion-smooth`` (``commands``: core's CliCommands or argparse subparsers)."""
    top = getattr(commands, "top", commands)
    p = top.add_parser("emotion-smooth",
                       help="Kalman-smooth emotion trajectories from JSON lines (no model)")
    p.add_argument("file", help="JSON-lines file of {timestamp, emotion, sequence_id?}, or '-'")
    p.add_argument("--process-var", type=float, default=1e-3, help="random-walk variance q per "
                                                                    "grid step")
    p.add_argument("--observation-var", type=float, default=1e-2, help="observation variance r")
    p.add_argument("--step", type=float, default=None, help="grid step in seconds (default: "
                                                            "the smallest gap)")
    p.add_argument("--plot", metavar="PNG", help="also save a plot per sequence (needs "
                                                 "matplotlib); sequence id is added to the name")
    p.set_defaults(func=_cmd_smooth)


def read_observations(lines: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Parse and validate JSON lines into sequences (id → observations)."""
    sequences: dict[str, list[dict[str, Any]]] = {}
    for n, obs in json_lines(lines):  # JSONLineError (a ValueError) names the line
        if not isinstance(obs, dict) or "timestamp" not in obs or "emotion" not in obs:
            raise ValueError(f"line {n}: needs 'timestamp' (seconds) and 'emotion' (8 names)")
        emotion = obs["emotion"]
        missing = [e for e in schema.EMOTIONS if not isinstance(emotion, dict) or e not in emotion]
        if missing:
            raise ValueError(f"line {n}: 'emotion' lacks {missing}")
        p = np.array([float(emotion[e]) for e in schema.EMOTIONS])
        try:
            schema.project_polarity(p)
        except ValueError as exc:
            raise ValueError(f"line {n}: {exc}") from None
        t = float(obs["timestamp"])
        if not np.isfinite(t):
            raise ValueError(f"line {n}: timestamp must be a finite number of seconds")
        sequences.setdefault(str(obs.get("sequence_id", "")), []).append(
            {**obs, "timestamp": t, "_p": p})
    if not sequences:
        raise ValueError("no observations in the input")
    return sequences


def smooth_file(lines: list[str], **kwargs: Any) -> list[dict[str, Any]]:
    """The output records for the input ``lines`` (see the module docstring)."""
    from redheart_emotion.smoothing import kalman_smooth

    out = []
    for _, rows in read_observations(lines).items():
        rows = sorted(rows, key=lambda r: r["timestamp"])
        probs = np.stack([r.pop("_p") for r in rows])
        smooth = kalman_smooth(probs, [r["timestamp"] for r in rows], **kwargs)
        for r, p, s in zip(rows, probs, smooth):
            out.append({**r, "smoothed": dict(zip(schema.EMOTIONS, map(float, s))),
                        "dominant": hierarchy.dominant(p)[0],
                        "dominant_smoothed": hierarchy.dominant(s)[0]})
    return out


def _cmd_smooth(args: argparse.Namespace) -> int:
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
        records = smooth_file(text.splitlines(), process_var=args.process_var,
                              observation_var=args.observation_var, step=args.step)
        if args.plot:
            _plot(records, Path(args.plot))
    except (OSError, ValueError, ImportError) as exc:
        print(f"redheart emotion-smooth: error: {exc}", file=sys.stderr)
        return 2
    for r in records:
        print(json.dumps(r, ensure_ascii=False))
    return 0


def _plot(records: list[dict[str, Any]], path: Path) -> None:
    from redheart_emotion.results import EmotionTrajectory

    by_id: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_id.setdefault(str(r.get("sequence_id", "")), []).append(r)
    for sid, rows in by_id.items():
        names = schema.EMOTIONS
        traj = EmotionTrajectory.from_arrays(
            np.array([[r["emotion"][e] for e in names] for r in rows]),
            np.array([[r["smoothed"][e] for e in names] for r in rows]),
            [r["timestamp"] for r in rows], sid or None,
        )
        ax = traj.plot()
        target = path if len(by_id) == 1 else path.with_name(f"{path.stem}-{sid}{path.suffix}")
        ax.figure.savefig(target)
