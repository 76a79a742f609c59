"""The ``redheart`` command line: plugins, params, analyze, eval, and plugins' own commands."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redheart.plugins import PluginError, format_table, registry

logger = logging.getLogger(__name__)


class CliError(Exception):
    """A user-facing error: printed without a traceback, exit status 2."""


@dataclass
class CliCommands:
    """What a plugin's ``cli`` register function receives.

    ``commands.add_parser(...)`` (or ``commands.top.add_parser``) adds ``redheart X``;
    ``commands.eval.add_parser(...)`` adds ``redheart eval X``. Parsers set
    ``func=fn(args) -> int``.
    """

    top: Any
    eval: Any

    def add_parser(self, *args: Any, **kwargs: Any) -> argparse.ArgumentParser:
        return self.top.add_parser(*args, **kwargs)


def _cmd_plugins(args: argparse.Namespace) -> int:
    print(format_table(registry()))
    return 0


def _cmd_params(args: argparse.Namespace) -> int:
    from redheart.params import format_rows, param_table

    rows = param_table(args.preset, d_encoder=args.encoder_dim)
    print(format_rows(rows, args.preset))
    return 0 if args.preset != "full" or all(r.ok for r in rows if not r.part) else 1


def _read_inputs(args: argparse.Namespace) -> list[Any]:
    from redheart.data import JSONLineError, json_lines
    from redheart.plugin_api import TextInput

    items: list[Any] = list(args.texts)
    if args.file:
        path = Path(args.file)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CliError(f"cannot read {path}: {exc.strerror}") from exc
        if path.suffix != ".jsonl":
            items.extend(line for line in lines if line.strip())
            return _check_items(items)
        try:
            rows = list(json_lines(lines))
        except JSONLineError as exc:
            raise CliError(f"{path}:{exc.line}: invalid JSON ({exc.msg})") from exc
        for n, obj in rows:
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise CliError(f"{path}:{n}: each JSONL line needs a string field 'text'")
            options = obj.get("options")
            if options is None and isinstance(obj.get("decision"), dict):
                options = obj["decision"].get("options")
            items.append(TextInput(obj["text"], obj.get("lang"), options))
    return _check_items(items)


def _check_items(items: list[Any]) -> list[Any]:
    if not items:
        raise CliError("no texts: give TEXT arguments or --file FILE")
    return items


def _summary(result: Any) -> str:
    if hasattr(result, "summary"):
        return str(result.summary())
    return json.dumps(result.to_dict(), ensure_ascii=False)


def _cmd_analyze(args: argparse.Namespace) -> int:
    from redheart.pipelines import Pipeline

    items = _read_inputs(args)
    plugins = [p for p in (args.plugins or "").split(",") if p]
    pipe = Pipeline(plugins, checkpoint=args.checkpoint, device=args.device)
    reports = pipe(items, batch_size=args.batch_size)
    if args.json:
        for r in reports:
            print(r.to_json())
        return 0
    for r in reports:
        print(f"» {r.text}  [{r.lang}]")
        for name, result in r.results.items():
            print(f"  {name}: {_summary(result)}")
        for note in r.notes:
            print(f"  note: {note}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from redheart import __version__

    parser = argparse.ArgumentParser(
        prog="redheart",
        description="Affective and ethical analysis of situations and decisions (ko/en).")
    parser.add_argument("--version", action="version", version=f"redheart {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("plugins", help="list installed plugins and their status")
    p.set_defaults(func=_cmd_plugins)

    p = sub.add_parser("params", help="parameter budget of every installed component (SPEC §5)")
    p.add_argument("--preset", default="full", help="model preset (default: full)")
    p.add_argument("--encoder-dim", type=int, default=384,
                   help="width of the encoder states (default: 384, the default encoder's)")
    p.set_defaults(func=_cmd_params)

    p = sub.add_parser("analyze", help="analyse texts with the installed plugins")
    p.add_argument("texts", nargs="*", metavar="TEXT", help="texts to analyse")
    p.add_argument("--file", help="a file with one text per line, or JSONL with a 'text' field "
                                  "(and optional 'lang', 'options')")
    p.add_argument("--plugins", help="comma-separated plugins (default: all installed)")
    p.add_argument("--checkpoint", action="append", metavar="PATH",
                   help="checkpoint file from `redheart train` (repeat for part files; "
                        "default: the shipped weights)")
    p.add_argument("--json", action="store_true", help="one JSON report per line")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--device", default="cpu")
    p.set_defaults(func=_cmd_analyze)

    from redheart.training.cli import add_parser as add_train_parser

    add_train_parser(sub)

    p = sub.add_parser("eval", help="evaluate a model on a benchmark (commands from plugins)")
    eval_sub = p.add_subparsers(dest="benchmark", metavar="BENCHMARK")
    p.set_defaults(func=lambda a: _missing_subcommand(p, eval_sub))

    commands = CliCommands(sub, eval_sub)
    for spec in registry().plugins.values():
        if spec.cli is None:
            continue
        try:
            spec.load("cli")(commands)
        except Exception as exc:  # a broken plugin CLI must not break the others
            logger.warning("plugin %r: cannot add its commands (%s)", spec.name, exc)
    return parser


def _missing_subcommand(parser: argparse.ArgumentParser, sub: Any) -> int:
    choices = sorted(sub.choices) if sub.choices else []
    parser.print_usage(sys.stderr)
    hint = f"choose one of {choices}" if choices else "no benchmark commands installed"
    print(f"{parser.prog}: error: missing a benchmark; {hint}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from redheart.checkpoint import CheckpointError
    from redheart.data import RecordError
    from redheart.encoders import EncoderError

    try:
        return int(args.func(args) or 0)
    except (CliError, PluginError, CheckpointError, EncoderError, RecordError, ValueError) as exc:
        print(f"redheart: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
