"""Input validation shared by the head and the analyzer (clear errors naming the fix)."""

from __future__ import annotations

import torch
from torch import Tensor

from redheart.plugin_api import EncodedBatch

FEATURE_KEY = "emotion"


def check_batch(batch: EncodedBatch, d_model: int) -> Tensor:
    """Validate tokens, mask, lang and the emotion features; return features (B, D)."""
    if FEATURE_KEY not in batch.features:
        raise KeyError(
            f"batch.features has no {FEATURE_KEY!r} entry (has {sorted(batch.features)}); "
            f"build the backbone with an 'emotion' task slot"
        )
    feats = batch.features[FEATURE_KEY]
    tokens, mask = batch.tokens, batch.mask
    if tokens.ndim != 3 or tokens.shape[-1] != d_model:
        raise ValueError(f"batch.tokens must be (B, T, {d_model}), got {tuple(tokens.shape)}")
    b, t = tokens.shape[:2]
    if b == 0 or t == 0:
        raise ValueError(f"empty batch: tokens have shape {tuple(tokens.shape)}")
    if feats.shape != (b, d_model):
        raise ValueError(
            f"batch.features['emotion'] must be (B, D) = ({b}, {d_model}), got {tuple(feats.shape)}"
        )
    if mask.shape != (b, t) or mask.dtype != torch.bool:
        raise ValueError(f"batch.mask must be a bool tensor ({b}, {t}), got "
                         f"{mask.dtype} {tuple(mask.shape)}")
    if not bool(mask.any(-1).all()):
        raise ValueError("every row needs at least one real token (mask all False in some row)")
    if batch.lang.shape != (b,):
        raise ValueError(f"batch.lang must be (B,) = ({b},), got {tuple(batch.lang.shape)}")
    for name, x in (("tokens", tokens), ("features['emotion']", feats)):
        if not bool(torch.isfinite(x).all()):
            raise ValueError(f"batch.{name} contains NaN or infinite values; check the encoder")
    return feats
