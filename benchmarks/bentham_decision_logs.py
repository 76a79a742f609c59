"""Bentham calculus vs the original system on the 21 logged decisions (realised outcomes).

For every logged decision, each option is scored by
  * redheart's hedonic calculus (redheart_bentham.decision_logs: the logged classical factors,
    extent from the option's affected_count, duration from its duration_seconds),
  * the number of people affected alone, the duration alone and the shorter duration
    (one-feature baselines),
and the ranking is compared with the realised per-option outcomes: pairwise agreement over
option pairs with different outcomes (score ties count ½; chance = 0.5) and top-1 agreement.
The strongest alternative is the original system that redheart replaces: its logs keep
per-option scores for only 1 of the 21 decisions, so it is compared on its choices (top-1:
did it choose an option with the best realised outcome).

    python benchmarks/bentham_decision_logs.py [/work/shared/data/decision_logs]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from redheart.decision_logs import load_decision_logs
from redheart_bentham.decision_logs import evaluate_decision_logs


def agreement(scores: list[list[float]], outcomes: list[list[float]]) -> tuple[float, float]:
    agree = pairs = top1 = 0.0
    for s, o in zip(scores, outcomes):
        best = max(range(len(s)), key=lambda i: (s[i], -i))
        top1 += o[best] == max(o)
        for i in range(len(o)):
            for j in range(i + 1, len(o)):
                if o[i] == o[j]:
                    continue
                pairs += 1
                ds = s[i] - s[j]
                agree += 0.5 if abs(ds) < 1e-12 else float((ds > 0) == (o[i] > o[j]))
    return agree / pairs, top1 / len(scores)


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/decision_logs")
    logs = load_decision_logs(folder)
    outcomes = [log.outcome_vector() for log in logs]
    start = time.perf_counter()
    report = evaluate_decision_logs(folder)
    elapsed = time.perf_counter() - start
    methods = {
        "redheart calculus": [list(r.scores) for r in report.rows],
        "affected_count only": [[float(o.affected_count) for o in log.options] for log in logs],
        "longer duration": [[o.duration_seconds for o in log.options] for log in logs],
        "shorter duration": [[-o.duration_seconds for o in log.options] for log in logs],
    }
    rows = {name: agreement(s, outcomes) for name, s in methods.items()}
    print(f"decision logs: {len(logs)} decisions, {report.n_pairs} option pairs with different "
          f"outcomes; calculus ran in {elapsed * 1e3:.1f} ms")
    print(f"{'method':32s} {'pairwise':>9s} {'top-1':>7s}")
    for name, (pw, t1) in rows.items():
        print(f"{name:32s} {pw:9.3f} {t1:7.3f}")
    original = report.original_choice_top1
    print(f"{'original system (its choices)':32s} {'-':>9s} {original:7.3f}")
    print(f"{'chance':32s} {0.5:9.3f} {'':>7s}")
    ours = rows["redheart calculus"][1]
    print(f"top-1 ratio redheart calculus / original system: {ours / original:.3f}")


if __name__ == "__main__":
    main()
