"""Masked training losses of the Bentham plugin (``PluginSpec.loss``).

Terms (each a masked mean over labelled entries, via :mod:`redheart.losses`, so a missing label
gives exactly zero gradient to its output):

==================  =================================  ==============================  ======
term                output                             target (LabelBatch key)         weight
==================  =================================  ==============================  ======
factors             final ``factor_logits`` (B, 10)    ``bentham`` (B, 10), BCE        1
hedonic             final ``hedonic`` (B,)             ``hedonic``, MSE                1
ethics              final ``ethics`` (B, 4)            ``ethics``, MSE                 1
legal_risk          final ``legal_logits`` (B, 5)      ``legal_risk``, BCE             1
option_hedonic      ``option_hedonic`` (B, K)          ``utilities`` (B, K), MSE       1
head_*              the head's factors/hedonic/        same targets                    0.5
                    ethics/legal (deep supervision)
gate_balance        head ``gate_balance`` ()           — (auxiliary, min 1)            0.01
==================  =================================  ==============================  ======

``option_hedonic`` is supervised by the per-option utilities of the decision labels (schema
``decision.utilities`` ∈ [-1, 1]): they are the labelled value of each option for the people
involved, the closest label to a per-option hedonic value. The head terms at half weight give
the head its own signal so that the analyzer refines a meaningful judgment rather than
replacing it. The gate-balance term keeps all 4 ethics experts in use.
"""

from __future__ import annotations

import torch
from torch import Tensor

from redheart import losses as L
from redheart.labels import LabelBatch
from redheart.plugin_api import PluginOutputs, zero_loss

HEAD_WEIGHT = 0.5
BALANCE_WEIGHT = 0.01


def _target(targets: LabelBatch, key: str) -> tuple[Tensor, Tensor]:
    """Values with unlabelled slots set to 0, and the mask.

    redheart.losses masks the per-element loss with ``where``, which stops NaN in the forward
    pass but not in the backward pass (0 · ∂(pred − NaN)² = NaN); cleaning the target first
    keeps a garbage unlabelled slot from poisoning the gradients.
    """
    values, mask = targets[key]
    return torch.where(mask, values, torch.zeros_like(values)), mask


def _terms(out: dict[str, Tensor], targets: LabelBatch) -> dict[str, Tensor]:
    factors, factors_mask = _target(targets, "bentham")
    hedonic, hedonic_mask = _target(targets, "hedonic")
    ethics, ethics_mask = _target(targets, "ethics")
    legal, legal_mask = _target(targets, "legal_risk")
    return {
        "factors": L.binary_cross_entropy(out["factor_logits"], factors, factors_mask),
        "hedonic": L.mse(out["hedonic"], hedonic, hedonic_mask),
        "ethics": L.mse(out["ethics"], ethics, ethics_mask),
        "legal_risk": L.binary_cross_entropy(out["legal_logits"], legal, legal_mask),
    }


def compute_loss(outputs: PluginOutputs, targets: LabelBatch) -> dict[str, Tensor]:
    """Named, weighted scalar loss terms (the trainer sums them); see the module table."""
    final = {k: outputs.final(k) for k in ("factor_logits", "hedonic", "ethics", "legal_logits")}
    terms = _terms(final, targets)
    for name, value in _terms(outputs.head, targets).items():
        terms[f"head_{name}"] = HEAD_WEIGHT * value
    terms["gate_balance"] = BALANCE_WEIGHT * outputs.head["gate_balance"]

    option_value = outputs.analyzer.get("option_hedonic")
    if option_value is not None:
        k = option_value.shape[1]
        utilities, utilities_mask = _target(targets, "utilities")
        if k > utilities.shape[1]:
            raise ValueError(f"model gives {k} options per row, labels hold at most "
                             f"{utilities.shape[1]}")
        mask = utilities_mask[:, :k] & outputs.analyzer["option_mask"]
        terms["option_hedonic"] = L.mse(option_value, utilities[:, :k], mask)
    else:
        terms["option_hedonic"] = zero_loss(final["hedonic"])
    return terms
