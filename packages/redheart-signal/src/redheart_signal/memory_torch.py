"""Torch version of :class:`redheart_signal.memory.EmotionalMemory` with learnable gains
(optional extra ``redheart-signal[torch]``; at most 32 parameters, one gain per scale).

The time constants and scale weights are fixed buffers; only the gains learn. The recurrence
runs over the real time steps of the stream (B, T, D), exactly as the numpy version, so a model
can train the gains end to end with its loss.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from .memory import DEFAULT_SCALES, MAX_SCALES, MemoryScale


class EmotionalMemoryModule(nn.Module):
    """Multi-scale exponential memory ``M = sum_k g_k w_k m_k / sum_k w_k`` over (B, T, D).

    Args:
        scales: fixed memory scales (1 to 32).
        learnable_gains: make the K gains an ``nn.Parameter`` (initialised to 1).
    """

    def __init__(
        self, scales: Sequence[MemoryScale] = DEFAULT_SCALES, learnable_gains: bool = True
    ) -> None:
        super().__init__()
        scales = tuple(scales)
        if not 1 <= len(scales) <= MAX_SCALES:
            raise ValueError(f"need 1 to {MAX_SCALES} memory scales, got {len(scales)}")
        self.scale_names = tuple(s.name for s in scales)
        self.register_buffer("taus", torch.tensor([s.tau for s in scales], dtype=torch.float32))
        weights = torch.tensor([s.weight for s in scales], dtype=torch.float32)
        self.register_buffer("mix", weights / weights.sum())
        gains = torch.ones(len(scales))
        if learnable_gains:
            self.gains = nn.Parameter(gains)
        else:
            self.register_buffer("gains", gains)

    def traces(self, x: torch.Tensor, dt: float | torch.Tensor = 1.0) -> torch.Tensor:
        """Per-scale traces (B, T, K, D) of a stream ``x`` (B, T, D).

        Args:
            dt: sampling interval in seconds, or (B, T) intervals since the previous sample
                (the first column is ignored).
        """
        if x.dim() != 3 or x.shape[1] == 0:
            raise ValueError(f"x must be a (B, T, D) stream with T >= 1, got {tuple(x.shape)}")
        if not torch.isfinite(x).all():
            raise ValueError("x contains NaN or infinite values; fill or drop missing steps")
        batch, steps, _ = x.shape
        dts = torch.as_tensor(dt, dtype=x.dtype, device=x.device)
        if dts.dim() == 0:
            dts = dts.expand(batch, steps)
        if dts.shape != (batch, steps) or not bool((dts > 0).all()):
            raise ValueError(f"dt must be a positive scalar or (B, T) = {(batch, steps)} tensor")
        # a: (B, T, K, 1) decay per step and scale.
        a = torch.exp(-dts[:, :, None] / self.taus.to(x.dtype))[..., None]
        state = x[:, 0, None, :].expand(batch, self.taus.numel(), x.shape[2])  # (B, K, D)
        out = [state]
        for t in range(1, steps):
            state = a[:, t] * state + (1.0 - a[:, t]) * x[:, t, None, :]
            out.append(state)
        return torch.stack(out, dim=1)

    def forward(self, x: torch.Tensor, dt: float | torch.Tensor = 1.0) -> torch.Tensor:
        """Memory (B, T, D) of a stream (B, T, D)."""
        coef = (self.gains * self.mix).to(x.dtype)
        return torch.einsum("k,btkd->btd", coef, self.traces(x, dt))
