"""Training loss of the emotion plugin: masked terms for every output (plugin ``loss``).

Terms (each masked with ``redheart.losses``, so a missing label gives zero gradient):

============  ===========================================  =====================================
term          loss                                         target (``redheart.labels``)
============  ===========================================  =====================================
emotion       KL(target ‖ p(e))                            ``emotion`` (B, 8)
graded        KL(target ‖ p(e, g)) on the 24 graded        ``emotion`` ⊗ one-hot(``intensity``):
              classes                                      rows with both labels
intensity     CE of the grade marginal p(g)                ``intensity`` (B,) ∈ {0, 1, 2}
valence       MSE                                          ``valence`` (B,)
arousal       MSE                                          ``arousal`` (B,)
cultural      BCE with logits, per component               ``cultural`` (B, 3), soft in [0, 1]
moe_balance   Switch balance loss of the mixture            (no label)
============  ===========================================  =====================================

KL is used rather than soft cross-entropy so that a perfect fit scores 0 (the gradient is the
same). The analyzer's outputs are the model's predictions and get weight 1; the head's get
``HEAD_WEIGHT`` = 0.5 (deep supervision: the head stays a usable predictor and learns even when
the analyzer's corrections explain an error). Balance terms get ``BALANCE_WEIGHT`` = 0.01 (the
Switch Transformer's coefficient). Returned terms are already weighted: the total is their sum.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
import torch.nn.functional as F
from torch import Tensor

from redheart import losses as L
from redheart.labels import LabelBatch
from redheart.plugin_api import PluginOutputs

HEAD_WEIGHT = 0.5
BALANCE_WEIGHT = 0.01


def graded_target(emotion: Tensor, intensity: Tensor) -> Tensor:
    """Soft graded target (B, 24) = basic (B, 8) ⊗ one-hot(intensity (B,) ∈ {0, 1, 2})."""
    one_hot = F.one_hot(intensity.clamp(0, 2), 3).to(emotion.dtype)  # (B, 3)
    return (emotion.unsqueeze(-1) * one_hot.unsqueeze(1)).flatten(1)


def stage_loss(out: Mapping[str, Tensor], targets: LabelBatch) -> dict[str, Tensor]:
    """Unweighted terms for one stage's outputs (the head's or the analyzer's)."""
    emotion, m_emotion = targets["emotion"]
    intensity, m_intensity = targets["intensity"]
    valence, m_valence = targets["valence"]
    arousal, m_arousal = targets["arousal"]
    cultural, m_cultural = targets["cultural"]
    return {
        "emotion": L.kl_divergence(out["emotion_logits"], emotion, m_emotion),
        "graded": L.kl_divergence(out["graded_log_probs"], graded_target(emotion, intensity),
                                  m_emotion & m_intensity),
        "intensity": L.cross_entropy(out["intensity_log_probs"], intensity, m_intensity),
        "valence": L.mse(out["valence"], valence, m_valence),
        "arousal": L.mse(out["arousal"], arousal, m_arousal),
        "cultural": L.binary_cross_entropy(out["cultural_logits"], cultural, m_cultural),
        "moe_balance": out["moe_balance"],
    }


def compute_loss(outputs: PluginOutputs, targets: LabelBatch) -> dict[str, Tensor]:
    """Weighted, named scalar terms; analyzer terms are unprefixed, head terms ``head_*``.

    A model without an analyzer (empty ``outputs.analyzer``) trains its head at weight 1.
    """
    if "emotion_logits" not in outputs.head:
        raise KeyError("emotion loss needs the emotion head's outputs (key 'emotion_logits')")
    has_analyzer = "emotion_logits" in outputs.analyzer
    stages = [("head_", outputs.head, HEAD_WEIGHT if has_analyzer else 1.0)]
    if has_analyzer:
        stages.append(("", outputs.analyzer, 1.0))
    terms: dict[str, Tensor] = {}
    for prefix, out, weight in stages:
        for name, value in stage_loss(out, targets).items():
            w = weight * (BALANCE_WEIGHT if name == "moe_balance" else 1.0)
            terms[prefix + name] = w * value
    return terms


def total_loss(terms: Mapping[str, Tensor]) -> Tensor:
    """Sum of the terms returned by :func:`compute_loss`."""
    return torch.stack(list(terms.values())).sum()
