"""Regret plugin on the seed corpus: trained model vs linear probes on the same frozen encoder.

Train split / validation split by core's id hash (20 % validation). The model is core's
backbone + the regret head and analyzer at a small preset, trained with Adam for a fixed time
budget on the frozen encoder's cached states. The alternative in the same run is the strongest
cheap baseline we know for frozen embeddings: linear probes on masked-mean-pooled encoder
states — RidgeCV for anticipated regret, multinomial logistic regression (C ∈ {0.01, 0.1} by 3-fold CV) for
the regret type, RidgeCV on [text, option] embeddings for option utilities and p_good — plus
the constant predictor (training mean / majority class). Metrics on the validation split:
MAE and Spearman of anticipated regret, type accuracy, option pair-order accuracy and
best-option accuracy (core's metric definitions), utility and p_good MAE.

    python benchmarks/regret_seed_corpus.py [--encoder e5-small] [--preset small]
        [--seconds 60] [--batch-size 16] [--lr 3e-4] [--warmup 10] [--threads 1]
        [--cache-dir /tmp/redheart-regret-bench]

Prints one table; ratio = model / best probe for errors, model / best probe for accuracies.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from scipy import stats
from sklearn.linear_model import LogisticRegressionCV, RidgeCV

from redheart.data import load_records
from redheart.encoders import get_encoder
from redheart.model import RedheartModel
from redheart.plugin_api import PluginOutputs
from redheart.plugins import registry
from redheart.training.encoded import EncodedCorpus
from redheart.training.metrics import _option_metrics
from redheart.training.split import split_records

SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "seed_corpus"


def pooled(states: list[torch.Tensor]) -> np.ndarray:
    return np.stack([s.mean(0).numpy() for s in states])


def option_rows(corpus: EncodedCorpus, text_emb: np.ndarray):
    """Per labelled option: features [text, option], utility, p_good, (record, slot)."""
    feats, util, pgood, where = [], [], [], []
    for i, (r, opts) in enumerate(zip(corpus.records, corpus.options)):
        if r.decision is None:
            continue
        for k, o in enumerate(opts):
            feats.append(np.concatenate([text_emb[i], o.mean(0).numpy()]))
            util.append(np.nan if r.decision.utilities is None else r.decision.utilities[k])
            pgood.append(np.nan if r.decision.p_good is None else r.decision.p_good[k])
            where.append((i, k))
    return np.array(feats), np.array(util), np.array(pgood), where


def option_table(corpus: EncodedCorpus, where, values: np.ndarray) -> np.ndarray:
    out = np.full((len(corpus), 4), np.nan)
    for (i, k), v in zip(where, values):
        out[i, k] = v
    return out


def labels_of(corpus: EncodedCorpus):
    from redheart.schema import REGRET_TYPES

    ant = np.array([np.nan if r.regret_anticipated is None else r.regret_anticipated
                    for r in corpus.records])
    typ = np.array([-1 if r.regret_type is None else REGRET_TYPES.index(r.regret_type)
                    for r in corpus.records])
    util = np.full((len(corpus), 4), np.nan)
    pg = np.full((len(corpus), 4), np.nan)
    for i, r in enumerate(corpus.records):
        if r.decision is not None:
            n = len(r.decision.options)
            if r.decision.utilities is not None:
                util[i, :n] = r.decision.utilities
            if r.decision.p_good is not None:
                pg[i, :n] = r.decision.p_good
    return ant, typ, util, pg


def score(name: str, ant, typ, util, pg, truth) -> dict[str, float | str]:
    t_ant, t_typ, t_util, t_pg = truth
    m = ~np.isnan(t_ant)
    mt = t_typ >= 0
    um = ~np.isnan(t_util)
    opt = _option_metrics(np.nan_to_num(util, nan=-9), np.nan_to_num(t_util), um)
    pm = ~np.isnan(t_pg)
    return {
        "method": name,
        "regret_mae": float(np.abs(ant[m] - t_ant[m]).mean()),
        "regret_spearman": float(stats.spearmanr(ant[m], t_ant[m]).statistic)
        if np.std(ant[m]) > 0 else float("nan"),
        "type_acc": float((typ[mt] == t_typ[mt]).mean()),
        "utility_mae": float(np.abs(util[um] - t_util[um]).mean()),
        "option_pair_acc": opt.get("option_pair_acc", float("nan")),
        "option_best_acc": opt.get("option_best_acc", float("nan")),
        "p_good_mae": float(np.abs(pg[pm] - t_pg[pm]).mean()),
    }


def train_model(train: EncodedCorpus, val: EncodedCorpus, preset: str, seconds: float,
                batch_size: int, lr: float, warmup: int):
    spec = registry().get("regret")
    loss_fn = spec.load("loss")
    torch.manual_seed(0)
    model = RedheartModel([spec], preset, train.states[0].shape[-1])
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    # Linear warm-up: full-size Adam steps on a fresh model saturate the tanh/sigmoid outputs.
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: min(1.0, (step + 1) / warmup))
    rng = np.random.default_rng(0)
    start, steps, epochs = time.perf_counter(), 0, 0
    model.train()
    while time.perf_counter() - start < seconds:
        order = rng.permutation(len(train))
        for s in range(0, len(order), batch_size):
            inputs, labels = train.batch(order[s:s + batch_size].tolist())
            outputs = model(inputs)
            loss = sum(loss_fn(outputs["regret"], labels).values())
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            steps += 1
            if time.perf_counter() - start >= seconds:
                break
        epochs += 1
    train_time = time.perf_counter() - start
    model.eval()
    ant, typ = np.zeros(len(val)), np.zeros(len(val), dtype=int)
    util, pg = np.full((len(val), 4), np.nan), np.full((len(val), 4), np.nan)
    with torch.no_grad():
        for s in range(0, len(val), 64):
            idx = list(range(s, min(s + 64, len(val))))
            inputs, _ = val.batch(idx)
            out: PluginOutputs = model(inputs)["regret"]
            ant[idx] = out.final("anticipated").numpy()
            typ[idx] = out.final("regret_type_probs").argmax(-1).numpy()
            if "utilities" in out.analyzer:
                k = out.final("utilities").shape[1]
                om = inputs.option_token_mask.any(-1).numpy()
                u = out.final("utilities").numpy()
                p = out.final("p_good").numpy()
                util[idx, :k] = np.where(om, u, np.nan)
                pg[idx, :k] = np.where(om, p, np.nan)
    return (ant, typ, util, pg), steps, epochs, train_time


def probes(train: EncodedCorpus, val: EncodedCorpus):
    xtr, xva = pooled(train.states), pooled(val.states)
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-6
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    t_ant, t_typ, _, _ = labels_of(train)
    alphas = np.logspace(-1, 4, 11)
    m = ~np.isnan(t_ant)
    ant = np.clip(RidgeCV(alphas=alphas).fit(xtr[m], t_ant[m]).predict(xva), 0, 1)
    mt = t_typ >= 0
    clf = LogisticRegressionCV(Cs=[0.01, 0.1], cv=3, max_iter=500).fit(xtr[mt], t_typ[mt])
    typ = clf.predict(xva)
    ftr, utr, ptr, _ = option_rows(train, xtr * sd + mu)
    fva, _, _, wva = option_rows(val, xva * sd + mu)
    fmu, fsd = ftr.mean(0), ftr.std(0) + 1e-6
    ftr, fva = (ftr - fmu) / fsd, (fva - fmu) / fsd
    um, pm = ~np.isnan(utr), ~np.isnan(ptr)
    util = np.clip(RidgeCV(alphas=alphas).fit(ftr[um], utr[um]).predict(fva), -1, 1)
    pg = np.clip(RidgeCV(alphas=alphas).fit(ftr[pm], ptr[pm]).predict(fva), 0, 1)
    probe = (ant, typ, option_table(val, wva, util), option_table(val, wva, pg))
    # constant predictor: training mean / majority class
    const_u = np.full(len(utr), np.nanmean(utr))
    const = (np.full(len(val), np.nanmean(t_ant)), np.full(len(val), np.bincount(t_typ[mt]).argmax()),
             option_table(val, wva, np.full(len(wva), const_u[0])),
             option_table(val, wva, np.full(len(wva), np.nanmean(ptr))))
    return probe, const


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoder", default="e5-small")
    ap.add_argument("--preset", default="small")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--cache-dir", default="/tmp/redheart-regret-bench")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore", category=FutureWarning, module="sklearn")

    records = load_records(SEED)
    train_rec, val_rec = split_records(records, 0.2)
    t0 = time.perf_counter()
    encoder = get_encoder(args.encoder)
    corpus = EncodedCorpus.build(train_rec + val_rec, encoder, cache_dir=args.cache_dir)
    enc_time = time.perf_counter() - t0
    train = corpus.subset(range(len(train_rec)))
    val = corpus.subset(range(len(train_rec), len(corpus)))
    truth = labels_of(val)

    t1 = time.perf_counter()
    probe, const = probes(train, val)
    probe_time = time.perf_counter() - t1
    model_pred, steps, epochs, train_time = train_model(train, val, args.preset, args.seconds,
                                                        args.batch_size, args.lr, args.warmup)
    rows = [score("constant (train mean / majority)", *const, truth),
            score("linear probes on pooled encoder", *probe, truth),
            score(f"redheart-regret ({args.preset}, {steps} steps)", *model_pred, truth)]

    print(f"seed corpus: {len(train)} train / {len(val)} validation records; encoder "
          f"{args.encoder} ({enc_time:.0f} s incl. cache), probes {probe_time:.1f} s, model "
          f"{train_time:.0f} s ({steps} steps of {args.batch_size}, {epochs} epoch(s) begun), "
          f"threads {args.threads}, "
          f"load avg {Path('/proc/loadavg').read_text().split()[0]}")
    keys = [k for k in rows[0] if k != "method"]
    width = max(len(r["method"]) for r in rows)
    print(f"{'method'.ljust(width)}  " + "  ".join(f"{k:>15}" for k in keys))
    for r in rows:
        print(f"{str(r['method']).ljust(width)}  " + "  ".join(f"{r[k]:15.3f}" for k in keys))
    ratio = {k: rows[2][k] / rows[1][k] if rows[1][k] else float("nan") for k in keys}
    print(f"{'ratio model / probe'.ljust(width)}  " + "  ".join(f"{ratio[k]:15.2f}" for k in keys))
    print("(errors: ratio < 1 is better for the model; accuracies and Spearman: ratio > 1)")


if __name__ == "__main__":
    main()
