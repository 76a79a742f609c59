"""Emotion on the seed corpus: redheart's emotion model (backbone + emotion head + analyzer,
trained with core's Trainer) vs linear models on the same frozen encoder's mean-pooled states
(the strongest cheap alternative), on core's held-out 20 % id-hash split (same run).

Baselines (fitted on the same training records, L2 strength tuned on a 20 % slice of them):
soft-label multinomial logistic regression for the 8-emotion distribution and for intensity,
ridge regression for valence, arousal and cultural (clipped to their ranges).

Metrics are core's (``redheart.training.metrics``): emotion KL (target ‖ prediction) and
dominant-emotion accuracy, intensity accuracy, valence/arousal MAE and Pearson r, cultural MAE.

    python benchmarks/emotion_seed_corpus.py [--preset small] [--epochs 4] [--batch-size 16] [--lr 3e-3] [--encoder e5-small]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from redheart.training.trainer import TrainConfig, Trainer

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seed_corpus"
METRICS = ("emotion_kl", "emotion_acc", "intensity_acc", "valence_mae", "valence_r",
           "arousal_mae", "arousal_r", "cultural_mae")
LOWER_IS_BETTER = {"emotion_kl", "valence_mae", "arousal_mae", "cultural_mae"}


def pooled(corpus) -> np.ndarray:
    return np.stack([s.mean(0).numpy() for s in corpus.states])


def labels(corpus):
    recs = corpus.records
    out = {}
    for name in ("emotion", "intensity", "valence", "arousal", "cultural"):
        rows = [i for i, r in enumerate(recs) if getattr(r, name) is not None]
        if name == "emotion":
            from redheart import schema
            y = np.array([[recs[i].emotion[e] for e in schema.EMOTIONS] for i in rows])
        elif name == "cultural":
            from redheart import schema
            rows = [i for i in rows if all(k in recs[i].cultural for k in schema.CULTURAL)]
            y = np.array([[recs[i].cultural[k] for k in schema.CULTURAL] for i in rows])
        elif name == "intensity":
            y = np.array([recs[i].intensity - 1 for i in rows])
        else:
            y = np.array([getattr(recs[i], name) for i in rows])
        out[name] = (np.array(rows), y)
    return out


def softmax_regression(x, y_soft, lam, iters=200):
    xt, yt = torch.tensor(x, dtype=torch.float64), torch.tensor(y_soft, dtype=torch.float64)
    w = torch.zeros(x.shape[1], y_soft.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros(y_soft.shape[1], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=iters, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = -(yt * torch.log_softmax(xt @ w + b, -1)).sum(-1).mean() + lam * (w ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return lambda z: torch.softmax(torch.tensor(z, dtype=torch.float64) @ w + b, -1).detach().numpy()


def ridge(x, y, lam):
    xa = np.hstack([x, np.ones((len(x), 1))])
    reg = lam * np.eye(xa.shape[1])
    reg[-1, -1] = 0
    coef = np.linalg.solve(xa.T @ xa + reg, xa.T @ y)
    return lambda z: np.hstack([z, np.ones((len(z), 1))]) @ coef


def kl(t, p):
    eps = 1e-12
    return float(np.mean(np.sum(np.where(t > 0, t * np.log((t + eps) / (p + eps)), 0), -1)))


def tuned(fit, x, y, loss, grid):
    n = len(x)
    cut = int(0.8 * n)
    best = min(grid, key=lambda lam: loss(y[cut:], fit(x[:cut], y[:cut], lam)(x[cut:])))
    return fit(x, y, best), best


def baseline(train, val) -> dict[str, float]:
    xtr, xva = pooled(train), pooled(val)
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-6
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ltr, lva = labels(train), labels(val)
    m: dict[str, float] = {}
    rows, y = ltr["emotion"]
    model, _ = tuned(softmax_regression, xtr[rows], y, kl, [1e-4, 1e-3, 1e-2, 1e-1])
    vrows, vy = lva["emotion"]
    p = model(xva[vrows])
    m["emotion_kl"], m["emotion_acc"] = kl(vy, p), float(np.mean(p.argmax(-1) == vy.argmax(-1)))
    rows, y = ltr["intensity"]
    onehot = np.eye(3)[y]
    model, _ = tuned(softmax_regression, xtr[rows], onehot,
                     lambda t, p: -float(np.mean(np.log(np.sum(t * p, -1) + 1e-12))),
                     [1e-4, 1e-3, 1e-2, 1e-1])
    vrows, vy = lva["intensity"]
    m["intensity_acc"] = float(np.mean(model(xva[vrows]).argmax(-1) == vy))
    for name, lo in (("valence", -1.0), ("arousal", 0.0), ("cultural", 0.0)):
        rows, y = ltr[name]
        model, _ = tuned(ridge, xtr[rows], y, lambda t, p: float(np.mean(np.abs(t - p))),
                         [1.0, 10.0, 100.0, 1000.0, 10000.0])
        vrows, vy = lva[name]
        p = np.clip(model(xva[vrows]), lo, 1.0)
        m[f"{name}_mae"] = float(np.mean(np.abs(p - vy)))
        if name != "cultural":
            m[f"{name}_r"] = float(np.corrcoef(p, vy)[0, 1])
    return m


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--preset", default="small")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--encoder", default=None, help="frozen encoder (default: redheart's)")
    ap.add_argument("--cache-dir", default="/tmp/redheart-encoder-cache")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as out:
        cfg = TrainConfig(data=[str(SEED)], plugins=["emotion"], preset=args.preset,
                          encoder=args.encoder, epochs=args.epochs, lr=args.lr, out=out,
                          batch_size=args.batch_size,
                          cache_dir=args.cache_dir, threads=args.threads)
        start = time.perf_counter()
        trainer = Trainer(cfg)
        setup = time.perf_counter() - start
        start = time.perf_counter()
        trainer.fit(resume=False)
        train_time = time.perf_counter() - start
        ours = trainer.validate()
        start = time.perf_counter()
        base = baseline(trainer.train_set, trainer.val_set)
        base_time = time.perf_counter() - start
    print(f"seed corpus: {len(trainer.train_set)} train / {len(trainer.val_set)} held-out records, "
          f"encoder {trainer.encoder.name}, preset {args.preset}, {args.epochs} epochs, "
          f"lr {args.lr}, batch {args.batch_size}")
    print(f"setup (encode, cached in {args.cache_dir}) {setup:.1f} s, train {train_time:.1f} s, "
          f"baselines {base_time:.1f} s")
    print(f"{'metric':14s} {'redheart-emotion':>16s} {'linear on pooled':>16s} {'ratio':>7s}")
    for k in METRICS:
        a, b = ours.get(k), base.get(k)
        if a is None or b is None:
            continue
        arrow = "lower" if k in LOWER_IS_BETTER else "higher"
        print(f"{k:14s} {a:16.4f} {b:16.4f} {a / b:7.3f}  ({arrow} is better)")


if __name__ == "__main__":
    main()
