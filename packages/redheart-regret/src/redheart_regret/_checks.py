"""Validation of the tensors a regret head or analyzer receives (clear errors, cheap checks)."""

from __future__ import annotations

import torch
from torch import Tensor

from redheart.plugin_api import EncodedBatch

PLUGIN = "regret"


def check_batch(batch: EncodedBatch, d_model: int, n_slots: int) -> None:
    """Raise ValueError/KeyError naming the problem when ``batch`` cannot feed the regret head."""
    if PLUGIN not in batch.features:
        raise KeyError(f"batch.features has no {PLUGIN!r} entry (has {sorted(batch.features)}); "
                       f"build the backbone with the regret plugin among its tasks")
    feat, tokens, mask = batch.features[PLUGIN], batch.tokens, batch.mask
    b = tokens.shape[0] if tokens.dim() == 3 else -1
    if tokens.dim() != 3 or tokens.shape[-1] != d_model:
        raise ValueError(f"batch.tokens must be (B, T, {d_model}), got {tuple(tokens.shape)}")
    if b == 0:
        raise ValueError("empty batch: give at least one text")
    if feat.shape != (b, d_model):
        raise ValueError(f"batch.features['regret'] must be ({b}, {d_model}), got "
                         f"{tuple(feat.shape)}")
    if mask.shape != tokens.shape[:2] or mask.dtype != torch.bool:
        raise ValueError(f"batch.mask must be a bool tensor of shape {tuple(tokens.shape[:2])}, "
                         f"got {mask.dtype} {tuple(mask.shape)}")
    if not bool(mask.any(-1).all()):
        raise ValueError("every text needs at least one real token; a row of batch.mask is "
                         "all False (empty text?)")
    if batch.lang.shape != (b,):
        raise ValueError(f"batch.lang must be ({b},), got {tuple(batch.lang.shape)}")
    for name, t in (("features['regret']", feat), ("tokens", tokens)):
        if not bool(torch.isfinite(t).all()):
            raise ValueError(f"batch.{name} contains NaN or infinite values; check the encoder "
                             f"input")
    if batch.options is not None:
        check_options(batch.options, batch.option_mask, b, d_model, n_slots)


def check_options(options: Tensor, option_mask: Tensor | None, b: int, d_model: int,
                  n_slots: int) -> None:
    if option_mask is None:
        raise ValueError("batch.options is given without batch.option_mask")
    if options.dim() != 3 or options.shape[0] != b or options.shape[2] != d_model:
        raise ValueError(f"batch.options must be ({b}, K, {d_model}), got {tuple(options.shape)}")
    if options.shape[1] > n_slots:
        raise ValueError(f"at most {n_slots} options per decision, got K={options.shape[1]}")
    if option_mask.shape != options.shape[:2] or option_mask.dtype != torch.bool:
        raise ValueError(f"batch.option_mask must be bool {tuple(options.shape[:2])}, got "
                         f"{option_mask.dtype} {tuple(option_mask.shape)}")
    counts = option_mask.sum(-1)
    if bool(((counts == 1)).any()):
        raise ValueError("a decision needs at least 2 options; a row of batch.option_mask has "
                         "exactly one real option")
    if not bool(torch.isfinite(options[option_mask]).all()):
        raise ValueError("batch.options contains NaN or infinite values")
