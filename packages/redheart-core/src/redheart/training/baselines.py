"""Baselines for honest evaluation, producing outputs in the plugins' key format.

* :class:`MeanBaseline` predicts the training mean of every continuous target and the mean
  distribution / majority class of every categorical one (it ignores the text).
* :class:`LinearProbe` fits, on the frozen encoder's pooled embeddings (masked mean of the token
  states), ridge regression for every continuous target and softmax regression for the emotion
  distribution (soft targets), intensity and regret type; option utilities are regressed on
  the concatenation of the text's and the option's embeddings. Regularisation strengths are
  chosen by efficient leave-one-out (ridge) and a held-out fifth of the training set (softmax).

Both return ``dict[plugin, PluginOutputs]`` for a batch of records, which
:class:`~redheart.training.metrics.MetricCollector` scores exactly like a model's outputs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from redheart import schema
from redheart.labels import LabelBatch, collate_labels
from redheart.plugin_api import PluginOutputs
from redheart.training.encoded import EncodedCorpus

# (plugin, output key, label key, kind) for the targets the baselines predict
_CONTINUOUS = [("emotion", "valence", "valence"), ("emotion", "arousal", "arousal"),
               ("emotion", "cultural", "cultural"), ("bentham", "factors", "bentham"),
               ("bentham", "hedonic", "hedonic"), ("bentham", "ethics", "ethics"),
               ("bentham", "legal_risk", "legal_risk"), ("regret", "anticipated", "regret_anticipated")]
_CATEGORICAL = [("emotion", "emotion_probs", "emotion", len(schema.EMOTIONS)),
                ("emotion", "intensity_probs", "intensity", 3),
                ("regret", "regret_type_probs", "regret_type", len(schema.REGRET_TYPES))]
_RANGES = {"valence": (-1, 1), "arousal": (0, 1), "cultural": (0, 1), "bentham": (0, 1),
           "hedonic": (-1, 1), "ethics": (-1, 1), "legal_risk": (0, 1), "regret_anticipated": (0, 1)}


def _as_2d(values: torch.Tensor) -> torch.Tensor:
    return values[:, None] if values.ndim == 1 else values


def _soft_targets(labels: LabelBatch, key: str, classes: int) -> tuple[np.ndarray, np.ndarray]:
    v, m = labels[key]
    if key == "emotion":
        return v.numpy(), m.numpy()
    onehot = np.zeros((len(v), classes))
    onehot[np.arange(len(v)), v.numpy()] = 1.0
    return onehot, m.numpy()


def _assemble(n: int, cont: dict[str, np.ndarray], cat: dict[str, np.ndarray],
              utilities: np.ndarray | None) -> dict[str, PluginOutputs]:
    out: dict[str, dict[str, torch.Tensor]] = {"emotion": {}, "bentham": {}, "regret": {}}
    for plugin, key, label in _CONTINUOUS:
        low, high = _RANGES[label]
        arr = np.clip(cont[label], low, high)
        t = torch.as_tensor(arr, dtype=torch.float32)
        out[plugin][key] = t[:, 0] if t.shape[1] == 1 else t
    for plugin, key, label, _ in _CATEGORICAL:
        out[plugin][key] = torch.as_tensor(cat[label], dtype=torch.float32)
    if utilities is not None:
        out["regret"]["utilities"] = torch.as_tensor(np.clip(utilities, -1, 1), dtype=torch.float32)
    return {p: PluginOutputs(d, {}) for p, d in out.items()}


class MeanBaseline:
    """Training means and majority classes, whatever the text."""

    def __init__(self, train: EncodedCorpus):
        labels = collate_labels(train.records)
        self.means = {}
        for _, _, label in _CONTINUOUS:
            v, m = labels[label]
            v, m = _as_2d(v).numpy(), _as_2d(m).numpy()
            self.means[label] = (v * m).sum(0) / np.maximum(m.sum(0), 1)
        self.dists = {}
        for _, _, label, classes in _CATEGORICAL:
            t, m = _soft_targets(labels, label, classes)
            mean = t[m].mean(0)
            if label != "emotion":  # majority class, as a one-hot prediction
                mean = np.eye(classes)[int(np.argmax(mean))]
            self.dists[label] = mean
        u, um = labels["utilities"]
        self.utility = float(u[um].mean()) if um.any() else 0.0

    def predict(self, corpus: EncodedCorpus, idx: Sequence[int]) -> dict[str, PluginOutputs]:
        n = len(idx)
        cont = {k: np.tile(v, (n, 1)) for k, v in self.means.items()}
        cat = {k: np.tile(v, (n, 1)) for k, v in self.dists.items()}
        util = np.full((n, schema.MAX_OPTIONS), self.utility)
        return _assemble(n, cont, cat, util)


def pooled(corpus: EncodedCorpus, idx: Sequence[int]) -> np.ndarray:
    """Masked-mean encoder embeddings (N, d_enc) of records ``idx``."""
    return np.stack([s.mean(0).numpy() for s in (corpus.states[i] for i in idx)])


def _option_rows(corpus: EncodedCorpus, idx: Sequence[int], text_emb: np.ndarray):
    feats, where = [], []
    for row, i in enumerate(idx):
        for j, o in enumerate(corpus.options[i]):
            feats.append(np.concatenate([text_emb[row], o.mean(0).numpy()]))
            where.append((row, j))
    return (np.stack(feats) if feats else None), where


class _Ridge:
    """Multi-output ridge on standardised features; α by leave-one-out error (SVD identity)."""

    ALPHAS = (0.1, 1.0, 10.0, 100.0, 1000.0)

    def __init__(self, x: np.ndarray, y: np.ndarray):
        if len(x) < 2:
            raise ValueError(f"ridge needs at least 2 labelled rows, got {len(x)}")
        self.mu, self.sd = x.mean(0), x.std(0) + 1e-8
        z = (x - self.mu) / self.sd
        self.ym = y.mean(0)
        yc = y - self.ym
        u, s, vt = np.linalg.svd(z, full_matrices=False)
        uty = u.T @ yc
        best = None
        for a in self.ALPHAS:
            shrink = s**2 / (s**2 + a)
            fit = u @ (shrink[:, None] * uty)
            h = (u**2 * shrink).sum(1)  # diagonal of the hat matrix
            loo = ((yc - fit) / (1 - h)[:, None]) ** 2
            err = loo.mean()
            if best is None or err < best[0]:
                best = (err, a)
        self.alpha = best[1]
        self.w = vt.T @ ((s / (s**2 + self.alpha))[:, None] * uty)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mu) / self.sd) @ self.w + self.ym


def _softmax_regression(x: np.ndarray, t: np.ndarray, l2: float, steps: int = 200) -> torch.nn.Linear:
    xt, tt = torch.as_tensor(x, dtype=torch.float64), torch.as_tensor(t, dtype=torch.float64)
    lin = torch.nn.Linear(x.shape[1], t.shape[1]).double()
    opt = torch.optim.LBFGS(lin.parameters(), max_iter=steps, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = -(tt * torch.log_softmax(lin(xt), -1)).sum(-1).mean() + l2 * lin.weight.pow(2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return lin


class LinearProbe:
    """Linear models on frozen pooled encoder embeddings (see the module docstring)."""

    L2 = (1e-4, 1e-3, 1e-2, 1e-1)

    def __init__(self, train: EncodedCorpus):
        idx = list(range(len(train)))
        x = pooled(train, idx)
        self.mu, self.sd = x.mean(0), x.std(0) + 1e-8
        z = (x - self.mu) / self.sd
        labels = collate_labels(train.records)
        self.ridges = {}
        self.fallback = MeanBaseline(train)  # for targets with too few labels to fit a probe
        for _, _, label in _CONTINUOUS:
            v, m = _as_2d(labels.values[label]).numpy(), _as_2d(labels.masks[label]).numpy()
            rows = m.all(1)  # the probe is fit on records with the whole vector labelled
            if rows.sum() >= 2:
                self.ridges[label] = _Ridge(x[rows], v[rows])
        self.softmax = {}
        rng = np.random.default_rng(0)
        for _, _, label, classes in _CATEGORICAL:
            t, m = _soft_targets(labels, label, classes)
            zz, tt = z[m], t[m]
            if len(zz) < 10:
                continue
            hold = rng.random(len(zz)) < 0.2
            best = None
            for l2 in self.L2:
                lin = _softmax_regression(zz[~hold], tt[~hold], l2)
                with torch.no_grad():
                    logp = torch.log_softmax(lin(torch.as_tensor(zz[hold], dtype=torch.float64)), -1).numpy()
                ce = -(tt[hold] * logp).sum(1).mean()
                if best is None or ce < best[0]:
                    best = (ce, l2)
            self.softmax[label] = _softmax_regression(zz, tt, best[1])
        feats, where = _option_rows(train, idx, x)
        u, um = labels["utilities"]
        self.utility = None
        if feats is not None:
            target = np.array([u[r, j].item() for r, j in where])
            keep = np.array([bool(um[r, j]) for r, j in where])
            if keep.sum() >= 2:
                self.utility = _Ridge(feats[keep], target[keep, None])

    @torch.no_grad()
    def predict(self, corpus: EncodedCorpus, idx: Sequence[int]) -> dict[str, PluginOutputs]:
        x = pooled(corpus, idx)
        z = torch.as_tensor((x - self.mu) / self.sd, dtype=torch.float64)
        n = len(idx)
        cont = {k: np.tile(v, (n, 1)) for k, v in self.fallback.means.items()}
        cont.update({k: r(x) for k, r in self.ridges.items()})
        cat = {k: np.tile(v, (n, 1)) for k, v in self.fallback.dists.items()}
        cat.update({k: torch.softmax(lin(z), -1).numpy() for k, lin in self.softmax.items()})
        util = np.full((n, schema.MAX_OPTIONS), self.fallback.utility)
        feats, where = _option_rows(corpus, idx, x)
        if feats is not None and self.utility is not None:
            for (r, j), v in zip(where, self.utility(feats)[:, 0]):
                util[r, j] = v
        return _assemble(len(idx), cont, cat, util)


def model_outputs(model: torch.nn.Module, corpus: EncodedCorpus, idx: Sequence[int],
                  device: torch.device | str = "cpu") -> dict[str, PluginOutputs]:
    """A model's detached CPU outputs for records ``idx`` (eval mode, no grad)."""
    inputs, _ = corpus.batch(idx, device)
    with torch.no_grad():
        out = model.eval()(inputs)
    return {k: v.detach() for k, v in out.items()}

