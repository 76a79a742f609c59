"""Command line: ``redheart surd FILE.csv --target COL --lag L --bins B [--json] [--plot out.png]``.

The same arguments work without redheart-core as ``python -m redheart_surd FILE.csv ...``.
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

DESCRIPTION = (
    "SURD causal decomposition of one column of a CSV time series (header row, one column per "
    "variable, one row per time step): which variables' past causes the target, uniquely, "
    "redundantly or synergistically, and how much is left unexplained (leak). Values in bits."
)


class CliError(ValueError):
    """A problem with the command-line input, reported without a traceback."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of the ``surd`` command."""
    parser.add_argument("file", type=Path, help="CSV file with a header row")
    parser.add_argument("--target", required=True,
                        help="target column, by header name or 0-based index")
    parser.add_argument("--lag", type=int, nargs="+", default=[1],
                        help="lag(s) in rows; several lags use every variable at every lag")
    parser.add_argument("--bins", type=int, default=10, help="bins per variable (default 10)")
    parser.add_argument("--binning", choices=("equal", "quantile"), default="equal",
                        help="equal-width (histogramdd) or equal-frequency bins")
    parser.add_argument("--max-order", type=int, default=None,
                        help="largest synergy order to consider (default: all)")
    parser.add_argument("--columns", nargs="+", default=None,
                        help="use only these columns (names or 0-based indices)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--plot", type=Path, default=None, help="save a bar plot (PNG, PDF, ...)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``surd`` to the ``redheart`` command (called by redheart-core's CLI)."""
    parser = subparsers.add_parser("surd", help="SURD causal decomposition of a CSV time series",
                                   description=DESCRIPTION)
    add_arguments(parser)
    parser.set_defaults(func=run)


def read_csv(path: Path) -> tuple[list[str], np.ndarray]:
    """Header names and a (n_vars, n_rows) float array from a CSV with a header row."""
    if not path.is_file():
        raise CliError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle) if r and any(c.strip() for c in r)]
    if not rows:
        raise CliError(f"{path}: the file is empty; expected a header row and data rows")
    header, body = [h.strip() for h in rows[0]], rows[1:]
    data = np.empty((len(header), len(body)))
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise CliError(f"{path}:{line}: {len(row)} fields, the header has {len(header)}")
        for col, cell in enumerate(row):
            try:
                data[col, line - 2] = float(cell)
            except ValueError:
                raise CliError(
                    f"{path}:{line}: column {header[col]!r} holds {cell!r}, not a number"
                ) from None
    return header, data


def resolve_column(spec: str, header: Sequence[str]) -> int:
    """0-based index of a column given by name or by 0-based index."""
    if spec in header:
        return list(header).index(spec)
    try:
        index = int(spec)
    except ValueError:
        raise CliError(f"no column named {spec!r}; columns are {list(header)}") from None
    if not 0 <= index < len(header):
        raise CliError(f"column index {index} out of range: the file has {len(header)} columns "
                       f"(0..{len(header) - 1})")
    return index


def run(args: argparse.Namespace) -> int:
    """Execute the ``surd`` command; returns the exit code."""
    from .plotting import plot_surd
    from .samples import surd_from_series

    try:
        header, data = read_csv(args.file)
        keep = (list(range(len(header))) if args.columns is None
                else [resolve_column(c, header) for c in args.columns])
        target = resolve_column(args.target, header)
        if target not in keep:
            keep.append(target)
        names = [header[i] for i in keep]
        series = data[keep]
        needed = max(args.lag) + 2
        if series.shape[1] < needed:
            raise CliError(f"{args.file} has {series.shape[1]} data rows; lag {max(args.lag)} "
                           f"needs at least {needed}")
        result = surd_from_series(series, keep.index(target), args.lag, bins=args.bins,
                                  binning=args.binning, max_order=args.max_order, names=names)
    except (CliError, ValueError, TypeError) as exc:
        print(f"redheart surd: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(result.to_json(indent=2))
    else:
        print(f"target: {header[target]}, lag(s): {args.lag}, bins: {args.bins}")
        print(result.summary())
    if args.plot is not None:
        try:
            fig, _ = plot_surd(result, normalized=result.total_information > 0,
                               title=f"SURD of {header[target]}")
        except ImportError as exc:
            print(f"redheart surd: error: {exc}", file=sys.stderr)
            return 2
        fig.savefig(args.plot, dpi=150)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m redheart_surd`` / ``redheart-surd``: the ``surd`` command without core."""
    parser = argparse.ArgumentParser(prog="python -m redheart_surd", description=DESCRIPTION)
    add_arguments(parser)
    return run(parser.parse_args(argv))
