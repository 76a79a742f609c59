"""Backbone forward throughput vs transformers' DistilBertModel of the same shape (same run).

Both models: 6 layers, width D, 12 heads (full) / preset heads, FFN 4D, on a realistic
mixed-length batch: seed-corpus texts tokenized by the tiny byte encoder's lengths would be
unrealistic, so lengths come from the default encoder's tokenizer when it is installed, else
from whitespace-token counts × 1.4 (a typical subword ratio). Inputs are random encoder states
of those lengths; both models see identical lengths and padding.

redheart's pipeline sorts texts by length and batches them trimmed to the longest member
("bucketed"); DistilBERT is measured on the same batches, and also on the naive layout that
pads every batch of the corpus order to its longest text ("padded"), which is what a
straightforward loop does. tokens/s counts real (non-padding) tokens only.

    python benchmarks/backbone_throughput.py [--preset full] [--texts 256] [--batch 32]

Prints a table; also peak RSS of the process.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import torch

from redheart.backbone import Backbone
from redheart.config import get_preset
from redheart.data import load_records

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seed_corpus"


def lengths_of(texts: list[str]) -> list[int]:
    try:
        from redheart.encoders import DEFAULT_ENCODER, get_encoder

        enc = get_encoder(DEFAULT_ENCODER)
        return [int(n) for n in enc.tokenize(texts).lengths]
    except Exception:  # the benchmark still runs without pretrained encoders installed
        return [max(1, int(len(t.split()) * 1.4)) for t in texts]


def distilbert(p) -> torch.nn.Module:
    from transformers import DistilBertConfig, DistilBertModel

    cfg = DistilBertConfig(dim=p.d_model, n_layers=p.n_layers, n_heads=p.n_heads,
                           hidden_dim=p.d_ff, max_position_embeddings=p.max_len, vocab_size=8,
                           dropout=0.0, attention_dropout=0.0, attn_implementation="sdpa")
    return DistilBertModel(cfg).eval()


def batches(lengths: list[int], batch: int, bucketed: bool) -> list[list[int]]:
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i]) if bucketed else list(range(len(lengths)))
    return [order[i:i + batch] for i in range(0, len(order), batch)]


def make_inputs(idx: list[int], lengths: list[int], d: int, gen: torch.Generator):
    t = max(lengths[i] for i in idx)
    states = torch.randn(len(idx), t, d, generator=gen)
    mask = torch.arange(t)[None] < torch.tensor([lengths[i] for i in idx])[:, None]
    return states, mask


def run(model_fn, plan, lengths, d, dtype, repeats=2) -> float:
    gen = torch.Generator().manual_seed(0)
    inputs = [make_inputs(idx, lengths, d, gen) for idx in plan]
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == "bf16"):
            for states, mask in inputs:
                model_fn(states, mask)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="full")
    ap.add_argument("--texts", type=int, default=256)
    ap.add_argument("--batch", type=int, default=32)
    args = ap.parse_args()
    torch.manual_seed(0)
    p = get_preset(args.preset)
    records = load_records(SEED)
    texts = [r.text for r in records[:: max(1, len(records) // args.texts)]][: args.texts]
    lengths = lengths_of(texts)
    d = p.d_model
    ours = Backbone(p, d, ["emotion", "bentham", "regret", "surd"]).eval()
    ours.input_proj = torch.nn.Identity()  # same work as DistilBERT: states are already width D
    lang = torch.zeros(args.batch, dtype=torch.long)
    theirs = distilbert(p)

    def ours_fn(states, mask):
        return ours(states, mask, lang[: states.shape[0]])

    def theirs_fn(states, mask):
        return theirs(inputs_embeds=states, attention_mask=mask.long()).last_hidden_state

    has_bf16 = torch.backends.cpu.get_cpu_capability().lower().startswith("avx512")
    real_tokens = sum(lengths)
    rows = []
    for dtype in ["fp32"] + (["bf16"] if has_bf16 else []):
        bucketed = batches(lengths, args.batch, True)
        padded = batches(lengths, args.batch, False)
        t_ours = run(ours_fn, bucketed, lengths, d, dtype)
        t_db_bucket = run(theirs_fn, bucketed, lengths, d, dtype)
        t_db_pad = run(theirs_fn, padded, lengths, d, dtype)
        for name, t in (("redheart backbone (bucketed)", t_ours),
                        ("DistilBertModel (same batches)", t_db_bucket),
                        ("DistilBertModel (corpus order, padded)", t_db_pad)):
            rows.append((dtype, name, len(texts) / t, real_tokens / t, t_db_bucket / t))
    print(f"preset={p.name} (D={d}, layers={p.n_layers}, heads={p.n_heads}, FFN={p.d_ff}), "
          f"{len(texts)} seed-corpus texts, {real_tokens} real tokens, batch {args.batch}, "
          f"threads={torch.get_num_threads()}")
    print(f"{'dtype':<6} {'model':<40} {'texts/s':>9} {'tokens/s':>10} {'vs DistilBERT same batches':>28}")
    for dtype, name, tps, toks, ratio in rows:
        print(f"{dtype:<6} {name:<40} {tps:>9.1f} {toks:>10.0f} {ratio:>27.2f}x")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
