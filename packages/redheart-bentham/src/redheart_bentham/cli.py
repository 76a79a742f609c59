"""``redheart eval scruples FILE [--checkpoint PATH] [--limit N] [--json]`` (``PluginSpec.cli``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the Bentham subcommands; ``subparsers`` has ``.top`` and ``.eval`` (argparse
    subparsers of ``redheart`` and of ``redheart eval``)."""
    parser = subparsers.eval.add_parser(
        "scruples",
        help="Scruples dilemmas: which of two actions is less ethical (bentham acceptability)",
        description="Evaluate the bentham plugin's acceptability (mean of its 4 ethics outputs) "
                    "on a Scruples dilemmas JSONL file.",
    )
    parser.add_argument("file", help="a *.scruples-dilemmas.jsonl file")
    parser.add_argument("--checkpoint", default=None, help="model checkpoint (default: shipped)")
    parser.add_argument("--preset", default=None, help="model preset when no checkpoint is given")
    parser.add_argument("--limit", type=int, default=None, help="evaluate the first N dilemmas")
    parser.add_argument("--temperature", type=float, default=None,
                        help="fixed Bradley-Terry temperature (default: fit on the data)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run_scruples)


def run_scruples(args: argparse.Namespace) -> int:
    """Run the evaluation; exit code 0 on success, 2 on bad input."""
    from redheart.checkpoint import CheckpointError
    from redheart.plugins import PluginError
    from redheart_bentham import scruples

    try:
        dilemmas = scruples.load_dilemmas(args.file, args.limit)
        scorer = scruples.pipeline_scorer(args.checkpoint, args.preset)
        report = scruples.evaluate(dilemmas, scorer, args.temperature)
    except (scruples.ScruplesError, CheckpointError, PluginError) as exc:
        print(f"redheart eval scruples: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.format_table())
    return 0
