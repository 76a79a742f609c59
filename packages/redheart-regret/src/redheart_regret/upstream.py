"""Base refinement: the head's text state fused with Bentham and emotion outputs when present.

Upstream plugins are optional. When one is not in the model its slot is filled by a learned
"absent" embedding — a trained stand-in meaning "no information from this plugin" — never by
zeros that would pretend to be a prediction. Upstream inputs read (``PluginOutputs.final``):

* bentham: factors (B, 10), hedonic (B,), ethics (B, 4), legal_risk (B, 5) → 20 values;
  option_hedonic (B, K) is read by the simulator (see simulation.py).
* emotion: emotion_probs (B, 8), valence (B,), arousal (B,), cultural (B, 3) → 13 values.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from redheart.layers import FeedForward
from redheart.plugin_api import PluginOutputs
from redheart.schema import REGRET_TYPES

BENTHAM_KEYS: tuple[tuple[str, int], ...] = (("factors", 10), ("hedonic", 1), ("ethics", 4),
                                              ("legal_risk", 5))
EMOTION_KEYS: tuple[tuple[str, int], ...] = (("emotion_probs", 8), ("valence", 1),
                                              ("arousal", 1), ("cultural", 3))


def upstream_vector(outputs: PluginOutputs, plugin: str,
                    keys: tuple[tuple[str, int], ...]) -> Tensor:
    """Concatenate an upstream plugin's outputs into (B, Σ widths), checking each width."""
    parts = []
    for key, width in keys:
        try:
            t = outputs.final(key)
        except KeyError:
            raise KeyError(f"upstream plugin {plugin!r} did not output {key!r}; the regret "
                           f"analyzer needs {[k for k, _ in keys]} (plugin contract)") from None
        t = t[:, None] if t.dim() == 1 else t
        if t.shape[-1] != width:
            raise ValueError(f"upstream {plugin}.{key} must have {width} columns, got "
                             f"{tuple(t.shape)}")
        parts.append(t)
    return torch.cat(parts, -1)


class UpstreamEmbedding(nn.Module):
    """(B, n) upstream values → (B, D), or the learned absent embedding when not given."""

    def __init__(self, n_in: int, d_model: int):
        super().__init__()
        self.proj = nn.Linear(n_in, d_model)
        self.absent = nn.Parameter(torch.zeros(d_model))

    def forward(self, values: Tensor | None, batch: int) -> Tensor:
        if values is None:
            return self.absent[None].expand(batch, -1)
        return self.proj(values)


class BaseRefinement(nn.Module):
    """[text state, Bentham embedding, emotion embedding] → refined state (B, D) and
    corrections (B, 7) to the anticipated-regret logit and the 6 type logits."""

    def __init__(self, summary_dim: int, d_model: int, hidden: int, dropout: float):
        super().__init__()
        self.bentham = UpstreamEmbedding(sum(w for _, w in BENTHAM_KEYS), d_model)
        self.emotion = UpstreamEmbedding(sum(w for _, w in EMOTION_KEYS), d_model)
        self.fuse = FeedForward(summary_dim + 2 * d_model, hidden, d_model, dropout)
        self.norm = nn.LayerNorm(d_model)
        self.readout = nn.Linear(d_model, 1 + len(REGRET_TYPES))

    def forward(self, text_state: Tensor,
                upstream: dict[str, PluginOutputs]) -> tuple[Tensor, Tensor]:
        b = text_state.shape[0]
        bentham = (upstream_vector(upstream["bentham"], "bentham", BENTHAM_KEYS)
                   if "bentham" in upstream else None)
        emotion = (upstream_vector(upstream["emotion"], "emotion", EMOTION_KEYS)
                   if "emotion" in upstream else None)
        x = torch.cat([text_state, self.bentham(bentham, b), self.emotion(emotion, b)], -1)
        state = self.norm(self.fuse(x))
        return state, self.readout(state)
