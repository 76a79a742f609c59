"""Helpers for plugin tests: synthetic backbone outputs at a preset, seeded and deterministic.

Plugins test their heads and analyzers on an :class:`EncodedBatch` from
:func:`fake_encoded_batch` instead of running an encoder and a backbone.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from redheart.config import Preset, get_preset
from redheart.plugin_api import EncodedBatch, PluginContext


def fake_encoded_batch(
    plugins: Sequence[str],
    preset: str | Preset = "tiny",
    batch: int = 3,
    seq: int = 7,
    n_options: Sequence[int] | None = None,
    seed: int = 0,
    requires_grad: bool = False,
) -> EncodedBatch:
    """A random but reproducible :class:`EncodedBatch`.

    Args:
        plugins: names that get a features entry (B, D).
        batch, seq: B and T; row i has ``seq - i`` real tokens (at least 1) so padding is exercised.
        n_options: per row, the number of decision options (0 = no decision); ``None`` = no options.
        requires_grad: make tokens and features leaf tensors that require grad.
    """
    p = get_preset(preset)
    gen = torch.Generator().manual_seed(seed)
    d = p.d_model
    tokens = torch.randn(batch, seq, d, generator=gen)
    lengths = torch.tensor([max(seq - i, 1) for i in range(batch)])
    mask = torch.arange(seq)[None, :] < lengths[:, None]
    features = {name: torch.randn(batch, d, generator=gen) for name in plugins}
    options = option_mask = None
    if n_options is not None:
        if len(n_options) != batch:
            raise ValueError(f"n_options needs one count per row ({batch}), got {len(n_options)}")
        k = max(max(n_options), 1)
        options = torch.randn(batch, k, d, generator=gen)
        option_mask = torch.arange(k)[None, :] < torch.tensor(list(n_options))[:, None]
    if requires_grad:
        tokens.requires_grad_(True)
        for f in features.values():
            f.requires_grad_(True)
    lang = torch.tensor([i % 2 for i in range(batch)])
    return EncodedBatch(tokens, mask, features, lang, options, option_mask)


def context(preset: str | Preset = "tiny", available: Sequence[str] = ()) -> PluginContext:
    """A :class:`PluginContext` for building heads and analyzers in tests."""
    return PluginContext(get_preset(preset), tuple(available))
