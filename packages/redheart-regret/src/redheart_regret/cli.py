"""``redheart regret-theory`` and ``redheart eval regret-logs`` (plugin CLI commands).

* ``redheart regret-theory DECISION.json`` — regret analysis of a payoff matrix, no model:
  ``{"payoffs": [[...], ...], "probs": [...], "options": [...], "chosen": 0,
  "outcomes": [...]}`` (``probs``, ``options``, ``chosen``, ``outcomes`` optional).
* ``redheart eval regret-logs FOLDER`` — experienced regret of every decision log (best
  realised outcome − realised outcome of the chosen option) next to the regret the original
  system logged.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from redheart_regret import theory


def register(commands: Any) -> None:
    """Add the commands; ``commands`` is core's CliCommands (``.top``/``.eval``) or a plain
    argparse subparsers object (then only ``regret-theory`` is added)."""
    top = getattr(commands, "top", commands)
    p = top.add_parser("regret-theory", help="regret analysis of a payoff matrix (no model)")
    p.add_argument("decision", help="JSON file with payoffs (options × states), probs, ... "
                                    "or '-' for stdin")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_theory)
    eval_sub = getattr(commands, "eval", None)
    if eval_sub is not None:
        q = eval_sub.add_parser("regret-logs", help="experienced regret of decision logs")
        q.add_argument("folder", help="folder of decision-log *.json files")
        q.set_defaults(func=_cmd_logs)


def theory_report(spec: dict[str, Any]) -> dict[str, Any]:
    """The regret analysis of a decision given as a dict (see the module docstring)."""
    if "payoffs" not in spec:
        raise ValueError("the decision needs a 'payoffs' matrix (one row per option)")
    a = theory.analyze(spec["payoffs"], spec.get("probs"))
    n = a.regret.shape[0]
    names = spec.get("options") or [f"option {i + 1}" for i in range(n)]
    if len(names) != n:
        raise ValueError(f"'options' names {len(names)} options, payoffs have {n} rows")
    out: dict[str, Any] = {
        "options": names,
        "regret": a.regret.tolist(),
        "max_regret": a.max_regret.tolist(),
        "minimax_choice": names[a.minimax_choice],
    }
    if a.expected_regret is not None and a.expected_utility is not None:
        out["expected_utility"] = a.expected_utility.tolist()
        out["expected_regret"] = a.expected_regret.tolist()
        out["expected_regret_choice"] = names[int(a.expected_regret_choice or 0)]
    if spec.get("chosen") is not None and spec.get("outcomes") is not None:
        out["experienced_regret"] = theory.experienced_regret(spec["outcomes"], spec["chosen"])
        if spec.get("probs") is not None:
            out["anticipated_regret"] = theory.anticipated_regret(
                spec["payoffs"], spec["probs"], spec["chosen"])
    return out


def _cmd_theory(args: argparse.Namespace) -> int:
    try:
        raw = sys.stdin.read() if args.decision == "-" else Path(args.decision).read_text("utf-8")
        report = theory_report(json.loads(raw))
    except (OSError, json.JSONDecodeError, ValueError) as exc:
        print(f"redheart regret-theory: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    width = max(len(n) for n in report["options"])

    def fmt(v: float | None) -> str:
        return "     -" if v is None else f"{v:6.3f}"

    print(f"{'option'.ljust(width)}  max regret  E[regret]  E[utility]")
    for i, name in enumerate(report["options"]):
        er = report.get("expected_regret", [None] * len(report["options"]))[i]
        eu = report.get("expected_utility", [None] * len(report["options"]))[i]
        print(f"{name.ljust(width)}  {report['max_regret'][i]:10.3f}  {fmt(er):>9}  {fmt(eu):>10}")
    print(f"minimax-regret choice: {report['minimax_choice']}")
    if "expected_regret_choice" in report:
        print(f"expected-regret choice: {report['expected_regret_choice']}")
    for key in ("anticipated_regret", "experienced_regret"):
        if key in report:
            print(f"{key.replace('_', ' ')}: {report[key]:.3f}")
    return 0


def log_rows(folder: str | Path) -> list[dict[str, Any]]:
    """Per decision log: chosen option, experienced regret and the logged regret."""
    from redheart.decision_logs import load_decision_logs

    rows = []
    for log in load_decision_logs(folder):
        rows.append({"id": log.id, "chosen": log.chosen,
                     "experienced": theory.experienced_regret(log.outcome_vector(),
                                                              log.chosen_index),
                     "logged": log.logged_regret, "actual_hedonic": log.actual_hedonic})
    return rows


def _cmd_logs(args: argparse.Namespace) -> int:
    try:
        rows = log_rows(args.folder)
    except ValueError as exc:
        print(f"redheart eval regret-logs: error: {exc}", file=sys.stderr)
        return 2
    print(f"{'log':10}  {'chosen':24}  experienced  logged")
    for r in rows:
        print(f"{r['id'][:8]:10}  {r['chosen']:24}  {r['experienced']:11.3f}  {r['logged']:6.3f}")
    return 0
