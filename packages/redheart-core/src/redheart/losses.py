"""Masked loss terms for partially labelled multi-task batches.

Every function takes a mask saying which targets exist; rows (or elements) without a label
contribute exactly zero loss and so zero gradient, and a batch with no labelled row returns a
graph-connected zero. Missing labels are never replaced by defaults (SPEC §4).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def masked_average(per_item: Tensor, mask: Tensor) -> Tensor:
    """Mean of ``per_item`` over entries where ``mask`` is True (a graph-connected 0 if none).

    Unselected entries are removed with ``where`` (not multiplied by 0), so a NaN there
    affects neither the value nor, provided the inputs were cleaned with :func:`clean`, the
    gradient.
    """
    mask = mask.to(per_item.dtype)
    per_item = torch.where(mask > 0, per_item, torch.zeros_like(per_item))
    return per_item.sum() / mask.sum().clamp_min(1.0)


def clean(target: Tensor, mask: Tensor) -> Tensor:
    """``target`` with unlabelled entries set to 0 (``mask`` broadcast from the left).

    Needed before the loss, not only after: with a NaN target in an unlabelled slot, the
    backward pass of ``(pred - target) ** 2`` would multiply 0 by NaN.
    """
    m = mask
    while m.ndim < target.ndim:
        m = m.unsqueeze(-1)
    return torch.where(m, target, torch.zeros_like(target))


def soft_cross_entropy(logits: Tensor, target: Tensor, mask: Tensor) -> Tensor:
    """Cross-entropy against a target distribution: logits (B, C), target (B, C), mask (B,).

    Equals KL(target ‖ softmax(logits)) plus the target's entropy, which is constant, so its
    gradient is the KL's.
    """
    per_row = -(clean(target, mask) * F.log_softmax(logits, dim=-1)).sum(-1)
    return masked_average(per_row, mask)


def kl_divergence(logits: Tensor, target: Tensor, mask: Tensor) -> Tensor:
    """KL(target ‖ softmax(logits)) averaged over labelled rows (0 · log 0 = 0)."""
    log_q = F.log_softmax(logits, dim=-1)
    target = clean(target, mask)
    per_row = (torch.xlogy(target, target) - target * log_q).sum(-1)
    return masked_average(per_row, mask)


def cross_entropy(logits: Tensor, target: Tensor, mask: Tensor) -> Tensor:
    """Class cross-entropy: logits (B, C), integer target (B,), mask (B,)."""
    safe = torch.where(mask, target, torch.zeros_like(target))
    per_row = F.cross_entropy(logits, safe, reduction="none")
    return masked_average(per_row, mask)


def mse(pred: Tensor, target: Tensor, mask: Tensor) -> Tensor:
    """Mean squared error over labelled elements; pred, target, mask share a shape."""
    return masked_average((pred - clean(target, mask)) ** 2, mask)


def huber(pred: Tensor, target: Tensor, mask: Tensor, delta: float = 0.5) -> Tensor:
    """Huber loss over labelled elements; pred, target, mask share a shape."""
    per_item = F.huber_loss(pred, clean(target, mask), reduction="none", delta=delta)
    return masked_average(per_item, mask)


def binary_cross_entropy(logits: Tensor, target: Tensor, mask: Tensor) -> Tensor:
    """BCE with logits against soft targets in [0, 1]; logits, target, mask share a shape."""
    per_item = F.binary_cross_entropy_with_logits(logits, clean(target, mask), reduction="none")
    return masked_average(per_item, mask)


def any_labelled(mask: Tensor) -> bool:
    return bool(torch.as_tensor(mask).any())
