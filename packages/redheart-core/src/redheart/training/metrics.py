"""Validation metrics per task, computed only where labels exist.

Predictions are read from the plugins' fixed output keys (plugin_api conventions):
emotion ``emotion_probs``, ``intensity_probs``, ``valence``, ``arousal``, ``cultural``;
bentham ``factors``, ``hedonic``, ``ethics``, ``legal_risk``, ``option_hedonic``;
regret ``anticipated``, ``regret_type_probs``, ``utilities``.

Metric names (all over labelled validation records):

* ``emotion_kl`` KL(label ‖ prediction) in nats; ``emotion_acc`` dominant-emotion accuracy;
  ``emotion_macro_f1`` macro-F1 of the dominant emotion over the classes present in the labels;
  ``intensity_acc``.
* ``valence_mae``/``valence_r`` (Pearson), same for arousal; ``cultural_mae``.
* ``bentham_mae`` (mean over the 10 factors) and ``bentham_spearman`` (mean over factors of the
  rank correlation across records); ``hedonic_spearman``, ``hedonic_mae``;
  ``ethics_spearman`` (mean over the 4 frameworks); ``legal_mae``.
* ``regret_mae``, ``regret_spearman``, ``regret_type_acc``.
* ``option_pair_acc``: share of option pairs with different labelled utilities that the
  predicted utilities order the same way; ``option_best_acc``: the labelled best option is
  predicted best (ties in the labels count as correct for any tied option).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np
import torch
from scipy import stats

from redheart.labels import LabelBatch
from redheart.plugin_api import PluginOutputs
from redheart.schema import LANGUAGES

# metric name → True when higher is better
HIGHER_IS_BETTER = {
    "emotion_kl": False, "emotion_acc": True, "emotion_macro_f1": True, "intensity_acc": True,
    "valence_mae": False, "valence_r": True, "arousal_mae": False, "arousal_r": True,
    "cultural_mae": False, "bentham_mae": False, "bentham_spearman": True,
    "hedonic_spearman": True, "hedonic_mae": False, "ethics_spearman": True, "legal_mae": False,
    "regret_mae": False, "regret_spearman": True, "regret_type_acc": True,
    "option_pair_acc": True, "option_best_acc": True,
}

# (plugin, output key, label key)
_PAIRS = [
    ("emotion", "emotion_probs", "emotion"), ("emotion", "intensity_probs", "intensity"),
    ("emotion", "valence", "valence"), ("emotion", "arousal", "arousal"),
    ("emotion", "cultural", "cultural"), ("bentham", "factors", "bentham"),
    ("bentham", "hedonic", "hedonic"), ("bentham", "ethics", "ethics"),
    ("bentham", "legal_risk", "legal_risk"), ("regret", "anticipated", "regret_anticipated"),
    ("regret", "regret_type_probs", "regret_type"),
]


def _get(outputs: Mapping[str, PluginOutputs], plugin: str, key: str) -> torch.Tensor | None:
    out = outputs.get(plugin)
    if out is None or (key not in out.analyzer and key not in out.head):
        return None
    return out.final(key).detach().float().cpu()


class MetricCollector:
    """Accumulates predictions and labels over batches; :meth:`compute` gives the metrics."""

    def __init__(self) -> None:
        self._pred: dict[str, list[np.ndarray]] = defaultdict(list)
        self._true: dict[str, list[np.ndarray]] = defaultdict(list)
        self._mask: dict[str, list[np.ndarray]] = defaultdict(list)
        self._lang: list[np.ndarray] = []

    def update(self, outputs: Mapping[str, PluginOutputs], labels: LabelBatch,
               lang: torch.Tensor) -> None:
        self._lang.append(lang.cpu().numpy())
        for plugin, key, label in _PAIRS:
            pred = _get(outputs, plugin, key)
            if pred is None:
                continue
            self._pred[label].append(pred.numpy())
            self._true[label].append(labels.values[label].cpu().numpy())
            self._mask[label].append(labels.masks[label].cpu().numpy())
        util = _get(outputs, "regret", "utilities")
        if util is None:
            util = _get(outputs, "bentham", "option_hedonic")
        if util is not None:
            b, k = labels.values["utilities"].shape
            padded = np.full((b, k), np.nan)
            padded[:, : util.shape[1]] = util.numpy()
            self._pred["utilities"].append(padded)
            self._true["utilities"].append(labels.values["utilities"].cpu().numpy())
            self._mask["utilities"].append(labels.masks["utilities"].cpu().numpy())

    def _arrays(self, label: str, rows: np.ndarray | None):
        if label not in self._pred:
            return None
        p, t, m = (np.concatenate(x[label]) for x in (self._pred, self._true, self._mask))
        if rows is not None:
            p, t, m = p[rows], t[rows], m[rows]
        return p, t, m

    def compute(self, by_language: bool = False) -> dict[str, float]:
        """Metrics over everything seen; with ``by_language`` also ``<metric>/<lang>``."""
        out = _metrics(self._arrays, None)
        if by_language and self._lang:
            lang = np.concatenate(self._lang)
            for i, code in enumerate(LANGUAGES):
                rows = lang == i
                if rows.any():
                    out.update({f"{k}/{code}": v for k, v in _metrics(self._arrays, rows).items()})
        return out


def _constant(a: np.ndarray) -> bool:
    return bool(np.all(a == a[0]))


def _pearson(a: np.ndarray, b: np.ndarray) -> float | None:
    if len(a) < 3 or _constant(a) or _constant(b):
        return None
    return float(np.corrcoef(a, b)[0, 1])


def _spearman(a: np.ndarray, b: np.ndarray) -> float | None:
    if len(a) < 3 or _constant(a) or _constant(b):
        return None
    return float(stats.spearmanr(a, b).statistic)


def _mean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return float(np.mean(vals)) if vals else None


def macro_f1(true: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 over the classes present in ``true``."""
    scores = []
    for c in np.unique(true):
        tp = np.sum((pred == c) & (true == c))
        fp = np.sum((pred == c) & (true != c))
        fn = np.sum((pred != c) & (true == c))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def _metrics(arrays, rows) -> dict[str, float]:
    m: dict[str, float | None] = {}
    if (a := arrays("emotion", rows)) is not None:
        p, t, mask = a
        p, t = p[mask], t[mask]
        if len(t):
            eps = 1e-12
            m["emotion_kl"] = float(np.mean(np.sum(np.where(t > 0, t * np.log((t + eps) / (p + eps)), 0), -1)))
            m["emotion_acc"] = float(np.mean(p.argmax(-1) == t.argmax(-1)))
            m["emotion_macro_f1"] = macro_f1(t.argmax(-1), p.argmax(-1))
    if (a := arrays("intensity", rows)) is not None:
        p, t, mask = a
        if mask.any():
            m["intensity_acc"] = float(np.mean(p[mask].argmax(-1) == t[mask]))
    for name in ("valence", "arousal"):
        if (a := arrays(name, rows)) is not None:
            p, t, mask = a
            if mask.any():
                m[f"{name}_mae"] = float(np.mean(np.abs(p[mask] - t[mask])))
                m[f"{name}_r"] = _pearson(p[mask], t[mask])
    for name, key in (("cultural", "cultural_mae"), ("legal_risk", "legal_mae"),
                      ("bentham", "bentham_mae")):
        if (a := arrays(name, rows)) is not None:
            p, t, mask = a
            if mask.any():
                m[key] = float(np.mean(np.abs(p - t)[mask]))
    for name, key in (("bentham", "bentham_spearman"), ("ethics", "ethics_spearman")):
        if (a := arrays(name, rows)) is not None:
            p, t, mask = a
            m[key] = _mean([_spearman(p[mask[:, j], j], t[mask[:, j], j]) for j in range(t.shape[1])])
    if (a := arrays("hedonic", rows)) is not None:
        p, t, mask = a
        if mask.any():
            m["hedonic_spearman"] = _spearman(p[mask], t[mask])
            m["hedonic_mae"] = float(np.mean(np.abs(p[mask] - t[mask])))
    if (a := arrays("regret_anticipated", rows)) is not None:
        p, t, mask = a
        if mask.any():
            m["regret_mae"] = float(np.mean(np.abs(p[mask] - t[mask])))
            m["regret_spearman"] = _spearman(p[mask], t[mask])
    if (a := arrays("regret_type", rows)) is not None:
        p, t, mask = a
        if mask.any():
            m["regret_type_acc"] = float(np.mean(p[mask].argmax(-1) == t[mask]))
    if (a := arrays("utilities", rows)) is not None:
        m.update(_option_metrics(*a))
    return {k: v for k, v in m.items() if v is not None}


def _option_metrics(pred: np.ndarray, true: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    agree = pairs = best = rows = 0
    for p, t, mk in zip(pred, true, mask):
        idx = np.flatnonzero(mk)
        if len(idx) < 2:
            continue
        p, t = p[idx], t[idx]
        rows += 1
        best += int(t[np.argmax(p)] == t.max())
        for i in range(len(idx)):
            for j in range(i + 1, len(idx)):
                if t[i] != t[j]:
                    pairs += 1
                    agree += int((p[i] - p[j]) * (t[i] - t[j]) > 0)
    out = {}
    if pairs:
        out["option_pair_acc"] = agree / pairs
    if rows:
        out["option_best_acc"] = best / rows
    return out
