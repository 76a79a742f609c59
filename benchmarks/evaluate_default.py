"""Held-out evaluation of a trained model against two baselines, per language, same script.

    python benchmarks/evaluate_default.py                       # the shipped default weights
    python benchmarks/evaluate_default.py --checkpoint runs/default/best.safetensors

Data: the seed corpus shipped with redheart-core, split by id hash exactly as training split
it (the validation fifth is never trained on). Baselines (redheart.training.baselines): the
training mean / majority class, and a linear probe on the frozen encoder's pooled embeddings.
Also, when redheart-bentham's Scruples harness and the Scruples dev file are available, the
model's ethics score's accuracy at picking the less ethical action.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from redheart.checkpoint import check_compatible, load_state_strict, merge_parts
from redheart.data import load_records
from redheart.encoders import get_encoder
from redheart.model import RedheartModel
from redheart.pipelines import shipped_weights
from redheart.plugins import registry
from redheart.training.baselines import LinearProbe, MeanBaseline, model_outputs
from redheart.training.cli import shipped_corpus
from redheart.training.encoded import EncodedCorpus
from redheart.training.metrics import HIGHER_IS_BETTER, MetricCollector
from redheart.training.split import split_records

SCRUPLES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "scruples" / "dev.scruples-dilemmas.jsonl"


def collect(predict, corpus: EncodedCorpus, batch: int = 64) -> dict[str, float]:
    from redheart.labels import collate_labels

    c = MetricCollector()
    for start in range(0, len(corpus), batch):
        idx = list(range(start, min(start + batch, len(corpus))))
        recs = [corpus.records[i] for i in idx]
        lang = torch.tensor([0 if r.lang == "ko" else 1 for r in recs])
        c.update(predict(corpus, idx), collate_labels(recs), lang)
    return c.compute(by_language=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", nargs="+", help="default: the shipped weights")
    ap.add_argument("--val-fraction", type=float, default=0.2)
    ap.add_argument("--scruples-limit", type=int, default=0, help="0 = all dilemmas")
    args = ap.parse_args()
    reg = registry()
    specs = reg.resolve([n for n, s in reg.plugins.items() if s.has_model])
    paths = args.checkpoint or shipped_weights(specs)
    meta, tensors = merge_parts(paths)
    encoder = get_encoder(meta.encoder)
    specs = reg.resolve(sorted(meta.plugins))
    model = RedheartModel(specs, meta.preset, encoder.dim)
    check_compatible(meta, encoder=encoder.name, encoder_dim=encoder.dim, preset=meta.preset,
                     source=str(paths[0]))
    load_state_strict(model, tensors, str(paths[0]))
    train, val = split_records(load_records(shipped_corpus()), args.val_fraction)
    train_c, val_c = EncodedCorpus.build(train, encoder), EncodedCorpus.build(val, encoder)
    results = {
        "model": collect(lambda c, i: model_outputs(model, c, i), val_c),
        "mean": collect(MeanBaseline(train_c).predict, val_c),
        "probe": collect(LinearProbe(train_c).predict, val_c),
    }
    print(f"checkpoint: {', '.join(map(str, paths))}\nencoder {meta.encoder}, preset "
          f"{meta.preset.name}; train {len(train)} / held-out {len(val)} records "
          f"(ko {sum(r.lang == 'ko' for r in val)}, en {sum(r.lang == 'en' for r in val)})")
    header = f"{'metric':<20}" + "".join(f"{f'{w}/{lang}':>13}" for lang in ("all", "ko", "en")
                                          for w in ("model", "mean", "probe"))
    print(header)
    for metric, higher in HIGHER_IS_BETTER.items():
        row = f"{metric + (' ↑' if higher else ' ↓'):<20}"
        for lang in ("", "/ko", "/en"):
            for who in ("model", "mean", "probe"):
                v = results[who].get(metric + lang)
                row += f"{'-' if v is None else f'{v:.3f}':>13}"
        print(row)
    if SCRUPLES.is_file() and "bentham" in meta.plugins:
        from redheart_bentham.scruples import evaluate, load_dilemmas, pipeline_scorer

        dilemmas = load_dilemmas(SCRUPLES, limit=args.scruples_limit or None)
        scorer = pipeline_scorer(checkpoint=None if args.checkpoint is None else args.checkpoint[0])
        print(f"\nScruples dev ({len(dilemmas)} dilemmas), the bentham ethics score:")
        print(evaluate(dilemmas, scorer).format_table())


if __name__ == "__main__":
    main()
