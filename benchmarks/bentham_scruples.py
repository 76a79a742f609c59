"""Bentham acceptability vs a zero-shot encoder baseline on Scruples dilemmas.

Both methods use the same frozen encoder (the one recorded in the checkpoint):

  * bentham: ``redheart.pipeline("bentham", checkpoint=...)``, acceptability = mean of the 4
    ethics outputs (redheart_bentham.scruples.pipeline_scorer);
  * zero-shot anchors (the strongest alternative without ethics training): cosine similarity of
    the action's sentence embedding to "a kind, fair and ethical thing to do" minus its
    similarity to "a cruel, unfair and unethical thing to do".

The less ethical action is the one with the lower score. Accuracy, accuracy on
non-controversial dilemmas, and the Bradley–Terry cross-entropy (temperature fit per method)
are printed with the always-action-0 baseline and the independent annotators' accuracy.

    python benchmarks/bentham_scruples.py --checkpoint runs/x/model.safetensors [--limit 600]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from redheart.checkpoint import read_checkpoint
from redheart.encoders import get_encoder
from redheart_bentham.scruples import (
    ScruplesReport,
    evaluate,
    load_dilemmas,
    pipeline_scorer,
)

DEV = Path("/work/shared/data/scruples/dev.scruples-dilemmas.jsonl")
GOOD = "a kind, fair and ethical thing to do"
BAD = "a cruel, unfair and unethical thing to do"


def anchor_scorer(encoder_name: str):
    encoder = get_encoder(encoder_name).eval()

    def score(texts):
        with torch.no_grad():
            anchors = torch.nn.functional.normalize(encoder.embed([GOOD, BAD]), dim=-1)
            out = []
            for i in range(0, len(texts), 64):
                e = torch.nn.functional.normalize(encoder.embed(list(texts[i:i + 64])), dim=-1)
                sim = e @ anchors.T
                out.append((sim[:, 0] - sim[:, 1]).numpy())
        return np.concatenate(out)

    return score


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--file", default=str(DEV))
    parser.add_argument("--limit", type=int, default=600)
    args = parser.parse_args()
    torch.set_num_threads(2)
    dilemmas = load_dilemmas(args.file, args.limit)
    encoder_name = read_checkpoint(args.checkpoint)[0].encoder
    reports: dict[str, tuple[ScruplesReport, float]] = {}
    for name, make in (("bentham acceptability", lambda: pipeline_scorer(args.checkpoint)),
                       (f"zero-shot anchors ({encoder_name})", lambda: anchor_scorer(encoder_name))):
        start = time.perf_counter()
        reports[name] = (evaluate(dilemmas, make()), time.perf_counter() - start)
    first = next(iter(reports.values()))[0]
    print(f"Scruples dilemmas: n={first.n} ({first.n_non_controversial} non-controversial)")
    print(f"{'method':38s} {'acc':>6s} {'acc-nc':>7s} {'BT CE':>7s} {'T':>8s} {'sec':>6s}")
    for name, (r, sec) in reports.items():
        print(f"{name:38s} {r.accuracy:6.3f} {r.accuracy_non_controversial:7.3f} "
              f"{r.cross_entropy:7.4f} {r.temperature:8.3g} {sec:6.1f}")
    print(f"{'always action 0':38s} {first.baseline_action0_accuracy:6.3f} {'':7s} "
          f"{first.baseline_uniform_cross_entropy:7.4f} (p=½)")
    if first.human_accuracy is not None:
        print(f"{'independent annotators (upper bound)':38s} {first.human_accuracy:6.3f} "
              f"{first.human_accuracy_non_controversial:7.3f} {first.annotator_entropy:7.4f} "
              f"(entropy)")
    (ours, _), (theirs, _) = reports.values()
    print(f"accuracy ratio bentham / zero-shot: {ours.accuracy / theirs.accuracy:.3f}")


if __name__ == "__main__":
    main()
