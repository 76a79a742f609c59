"""Records → target tensors with masks (the training side of the schema).

Each target has a boolean mask saying which entries are labelled. Shapes (B = batch,
K = ``schema.MAX_OPTIONS``):

==================  ============  ===========  =============================================
key                 values        mask         meaning
==================  ============  ===========  =============================================
emotion             (B, 8) float  (B,)         Plutchik distribution (sums to 1)
intensity           (B,) long     (B,)         grade − 1 ∈ {0, 1, 2}
valence, arousal    (B,) float    (B,)
hedonic             (B,) float    (B,)
cultural            (B, 3) float  (B, 3)       per component
bentham             (B, 10)       (B, 10)
ethics              (B, 4)        (B, 4)
legal_risk          (B, 5)        (B, 5)
regret_anticipated  (B,) float    (B,)
regret_type         (B,) long     (B,)         index into schema.REGRET_TYPES
option_mask         (B, K) bool   —            which option slots exist (decision present)
chosen              (B,) long     (B,)
utilities           (B, K) float  (B, K)
p_good              (B, K) float  (B, K)
==================  ============  ===========  =============================================

Unlabelled entries hold 0 in ``values`` and are never read by a masked loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from redheart import schema
from redheart.data import Record

_VECTORS = {
    "cultural": schema.CULTURAL,
    "bentham": schema.BENTHAM_FACTORS,
    "ethics": schema.ETHICS,
    "legal_risk": schema.LEGAL_DOMAINS,
}


@dataclass
class LabelBatch:
    """Targets and masks for a batch of records (see the module table)."""

    values: dict[str, Tensor]
    masks: dict[str, Tensor]

    def __getitem__(self, key: str) -> tuple[Tensor, Tensor]:
        return self.values[key], self.masks[key]

    def to(self, device: torch.device | str) -> LabelBatch:
        return LabelBatch({k: v.to(device) for k, v in self.values.items()},
                          {k: m.to(device) for k, m in self.masks.items()})


def collate_labels(records: Sequence[Record]) -> LabelBatch:
    """Stack the labels of ``records`` into a :class:`LabelBatch`."""
    b, k = len(records), schema.MAX_OPTIONS
    if b == 0:
        raise ValueError("cannot collate an empty list of records")
    f32 = torch.float32
    v: dict[str, Tensor] = {
        "emotion": torch.zeros(b, len(schema.EMOTIONS), dtype=f32),
        "intensity": torch.zeros(b, dtype=torch.long),
        "regret_type": torch.zeros(b, dtype=torch.long),
        "chosen": torch.zeros(b, dtype=torch.long),
        "utilities": torch.zeros(b, k, dtype=f32),
        "p_good": torch.zeros(b, k, dtype=f32),
    }
    for name in ("valence", "arousal", "hedonic", "regret_anticipated"):
        v[name] = torch.zeros(b, dtype=f32)
    for name, names in _VECTORS.items():
        v[name] = torch.zeros(b, len(names), dtype=f32)
    m = {name: torch.zeros(t.shape, dtype=torch.bool) for name, t in v.items()}
    m["emotion"] = torch.zeros(b, dtype=torch.bool)
    option_mask = torch.zeros(b, k, dtype=torch.bool)

    for i, r in enumerate(records):
        if r.emotion is not None:
            v["emotion"][i] = torch.tensor([r.emotion[e] for e in schema.EMOTIONS])
            m["emotion"][i] = True
        if r.intensity is not None:
            v["intensity"][i], m["intensity"][i] = r.intensity - 1, True
        for name in ("valence", "arousal", "hedonic"):
            value = getattr(r, name)
            if value is not None:
                v[name][i], m[name][i] = value, True
        if r.regret_anticipated is not None:
            v["regret_anticipated"][i], m["regret_anticipated"][i] = r.regret_anticipated, True
        if r.regret_type is not None:
            v["regret_type"][i] = schema.REGRET_TYPES.index(r.regret_type)
            m["regret_type"][i] = True
        for name, names in _VECTORS.items():
            d = getattr(r, name)
            if d is None:
                continue
            for j, key in enumerate(names):
                if key in d:
                    v[name][i, j], m[name][i, j] = d[key], True
        if r.decision is not None:
            n = len(r.decision.options)
            option_mask[i, :n] = True
            if r.decision.chosen is not None:
                v["chosen"][i], m["chosen"][i] = r.decision.chosen, True
            for name in ("utilities", "p_good"):
                vals = getattr(r.decision, name)
                if vals is not None:
                    v[name][i, :n] = torch.tensor(vals)
                    m[name][i, :n] = True
    v["option_mask"] = option_mask
    m["option_mask"] = option_mask.any(-1)
    return LabelBatch(v, m)
