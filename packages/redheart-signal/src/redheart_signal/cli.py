"""Command line: ``redheart signal bands|features|smooth`` (also ``python -m redheart_signal``).

Input files are plain numeric text (whitespace or comma separated; ``#`` comments): one sample
per row for signals, one 8-emotion row per time step for ``smooth`` (empty values or ``nan``
mark missing rows). Results are printed as JSON (``bands``, ``features``) or written as CSV
(``smooth``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


def _load(path: str, what: str) -> np.ndarray:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read {what} file {p}: {exc.strerror}") from exc
    delimiter = "," if "," in text else None
    try:
        data = np.genfromtxt(text.splitlines(), delimiter=delimiter, comments="#", dtype=float)
    except ValueError as exc:
        raise ValueError(f"{p}: not a numeric table ({exc})") from exc
    if data.size == 0:
        raise ValueError(f"{p} holds no numbers")
    return data


def _column(data: np.ndarray, column: int, path: str) -> np.ndarray:
    if data.ndim == 1:
        return data
    if not 0 <= column < data.shape[1]:
        raise ValueError(f"{path} has {data.shape[1]} columns; --column must be in "
                         f"0..{data.shape[1] - 1}")
    return data[:, column]


def _cmd_bands(args: argparse.Namespace) -> int:
    from .spectra import band_powers

    x = _column(_load(args.file, "signal"), args.column, args.file)
    print(json.dumps(band_powers(x, args.fs).to_dict(), indent=2))
    return 0


def _cmd_features(args: argparse.Namespace) -> int:
    from .features import biosignal_feature_sequence, biosignal_features

    recordings: dict[str, tuple[np.ndarray, float]] = {}
    for name in ("ecg", "eda", "eeg"):
        path, fs = getattr(args, name), getattr(args, f"{name}_fs")
        if path is None:
            continue
        if fs is None:
            raise ValueError(f"--{name} needs --{name}-fs (its sampling rate in Hz)")
        data = _load(path, name)
        # EEG files hold one channel per column; features expect (channels, samples).
        signal = data.T if name == "eeg" and data.ndim == 2 else data
        recordings[name] = (signal, fs)
    if not recordings:
        raise ValueError("give at least one of --ecg, --eda, --eeg")
    if args.window is None:
        print(json.dumps(biosignal_features(recordings).to_dict(), indent=2))
        return 0
    seq = biosignal_feature_sequence(recordings, window=args.window, step=args.step)
    for start, values, present in zip(seq.starts, seq.values, seq.present):
        row = {n: (float(v) if p else None) for n, v, p in zip(seq.names, values, present)}
        print(json.dumps({"start": float(start), **row}))
    return 0


def _cmd_smooth(args: argparse.Namespace) -> int:
    from .kalman import EmotionKalman
    from .kalman_config import KalmanConfig

    z = _load(args.file, "emotion")
    if z.ndim == 1:
        z = z[None, :]
    config = KalmanConfig.random_walk(
        dim=z.shape[1], process_var=args.process_var, observation_var=args.observation_var
    )
    tracker = EmotionKalman(config)
    result = tracker.filter(z) if args.filter_only else tracker.smooth(z)
    out = EmotionKalman.distributions(result.means) if z.shape[1] == 8 else result.means
    np.savetxt(sys.stdout if args.out is None else args.out, out, delimiter=",", fmt="%.6f")
    return 0


def register(commands: Any) -> None:
    """Add ``signal`` and its subcommands to the ``redheart`` CLI (or any argparse subparsers)."""
    p = commands.add_parser("signal", help="DSP, biosignal features and Kalman smoothing")
    sub = p.add_subparsers(dest="signal_command", metavar="COMMAND")
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    b = sub.add_parser("bands", help="band powers (default: EEG delta..gamma) of a signal file")
    b.add_argument("file")
    b.add_argument("--fs", type=float, required=True, help="sampling rate in Hz")
    b.add_argument("--column", type=int, default=0, help="column of a multi-column file")
    b.set_defaults(func=_cmd_bands)

    f = sub.add_parser("features", help="biosignal feature vector (or sequence) as JSON")
    for name in ("ecg", "eda", "eeg"):
        f.add_argument(f"--{name}", metavar="FILE", help=f"{name.upper()} samples")
        f.add_argument(f"--{name}-fs", type=float, metavar="HZ", help=f"{name.upper()} rate")
    f.add_argument("--window", type=float, help="window in s: print one JSON line per window")
    f.add_argument("--step", type=float, default=5.0, help="window step in s (default 5)")
    f.set_defaults(func=_cmd_features)

    s = sub.add_parser("smooth", help="Kalman-smooth an emotion trajectory CSV (T rows x 8)")
    s.add_argument("file")
    s.add_argument("--process-var", type=float, default=1e-3)
    s.add_argument("--observation-var", type=float, default=1e-2)
    s.add_argument("--filter-only", action="store_true", help="causal filter, no smoothing")
    s.add_argument("--out", help="output CSV (default: stdout)")
    s.set_defaults(func=_cmd_smooth)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m redheart_signal ...``: the same commands without redheart-core."""
    parser = argparse.ArgumentParser(prog="python -m redheart_signal")
    register(parser.add_subparsers(dest="command", metavar="COMMAND"))
    args = parser.parse_args(["signal", *(argv if argv is not None else sys.argv[1:])])
    try:
        return int(args.func(args))
    except ValueError as exc:
        print(f"redheart-signal: error: {exc}", file=sys.stderr)
        return 2
