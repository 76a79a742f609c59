"""Width scaling across presets and validation of the backbone batch the networks read."""

from __future__ import annotations

import torch
from torch import Tensor

from redheart.plugin_api import EncodedBatch
from redheart.schema import LANGUAGES

PLUGIN_NAME = "bentham"
_MIN_WIDTH = 8


def scaled(width_at_full: int, scale: float, multiple: int = 1) -> int:
    """A width at a preset: ``round(width · scale)``, at least 8, rounded up to ``multiple``."""
    w = max(_MIN_WIDTH, round(width_at_full * scale))
    return -(-w // multiple) * multiple


def validate_batch(batch: EncodedBatch, d_model: int) -> Tensor:
    """Check the fields the Bentham networks read and return features (B, D).

    Raises ValueError naming the field and the fix for a missing feature, wrong shapes,
    non-finite values, a row without any real token, or options without a mask.
    """
    if PLUGIN_NAME not in batch.features:
        raise ValueError(f"batch.features has no {PLUGIN_NAME!r} entry (has "
                         f"{sorted(batch.features)}); build the backbone with the bentham task")
    f = batch.features[PLUGIN_NAME]
    b = batch.tokens.shape[0] if batch.tokens.dim() == 3 else -1
    if f.dim() != 2 or f.shape[1] != d_model:
        raise ValueError(f"features[{PLUGIN_NAME!r}] must be (B, {d_model}), got {tuple(f.shape)}")
    if batch.tokens.dim() != 3 or batch.tokens.shape[0] != f.shape[0] \
            or batch.tokens.shape[2] != d_model:
        raise ValueError(f"tokens must be (B={f.shape[0]}, T, {d_model}), "
                         f"got {tuple(batch.tokens.shape)}")
    if batch.mask.shape != batch.tokens.shape[:2] or batch.mask.dtype != torch.bool:
        raise ValueError(f"mask must be a bool tensor of shape {tuple(batch.tokens.shape[:2])}, "
                         f"got {batch.mask.dtype} {tuple(batch.mask.shape)}")
    if not bool(batch.mask.any(-1).all()):
        raise ValueError("every row needs at least one real token (mask all False in a row); "
                         "drop empty texts before encoding")
    if batch.lang.shape != (b,):
        raise ValueError(f"lang must be (B={b},), got {tuple(batch.lang.shape)}")
    if batch.lang.numel() and (int(batch.lang.min()) < 0 or int(batch.lang.max()) >= len(LANGUAGES)):
        raise ValueError(f"lang holds indices into {LANGUAGES}; got values outside "
                         f"[0, {len(LANGUAGES) - 1}]")
    if not (bool(torch.isfinite(f).all()) and bool(torch.isfinite(batch.tokens).all())):
        raise ValueError("features or tokens contain NaN/inf; check the encoder and backbone")
    if batch.options is not None:
        if batch.option_mask is None:
            raise ValueError("batch.options is given without batch.option_mask")
        if batch.options.dim() != 3 or batch.options.shape[0] != b \
                or batch.options.shape[2] != d_model:
            raise ValueError(f"options must be (B={b}, K, {d_model}), "
                             f"got {tuple(batch.options.shape)}")
        if batch.option_mask.shape != batch.options.shape[:2]:
            raise ValueError(f"option_mask must be {tuple(batch.options.shape[:2])}, "
                             f"got {tuple(batch.option_mask.shape)}")
        if not bool(torch.isfinite(batch.options).all()):
            raise ValueError("options contain NaN/inf; check the encoder and backbone")
    return f
