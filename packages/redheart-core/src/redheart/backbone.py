"""The shared backbone (SPEC §3, §5): encoder states → task features, one slot per plugin.

    encoder states (B, T, d_enc) ──▶ input projection (MLP) + positions + language ──▶ (B, T, D)
      ──▶ N pre-LN transformer layers (SDPA, padding mask) ──▶ final LayerNorm ──▶ tokens (B, T, D)
      ──▶ per task: attention pooling ──▶ task projection ──▶ task specialisation ──▶ (B, D)

Choices, and why:

* Pre-LN layers (LayerNorm before attention and MLP, as in GPT-2) rather than BERT's post-LN:
  they train stably without a long warm-up on a small corpus, and the residual stream keeps a
  clean identity path. A final LayerNorm normalises the output.
* Encoder states are standardised per dimension with statistics of the training corpus
  (``input_shift``/``input_scale`` buffers, saved in checkpoints; see
  :meth:`Backbone.set_input_stats`): pretrained sentence encoders such as e5 are strongly
  anisotropic (a common direction dominates every state), which otherwise hides the
  differences between texts that the model has to learn from.
* The input projection ends in a LayerNorm, so text content enters at unit scale while the
  learned positions (and language embedding) start small (std 0.02): early training cannot
  fit the label means through positions alone and wash out the content (observed: without
  it the features of different texts collapsed to within 1e-4 of each other).
* Learned absolute positions (up to ``max_len``), added after the input projection: the
  encoder's states already carry its own positions, but the backbone must not be a bag of
  vectors when an encoder (e.g. a sentence encoder) gives none.
* A learned language embedding (ko / en) lets the shared layers condition on language.
* ``F.scaled_dot_product_attention`` with a boolean key mask: padded keys are never attended,
  so real tokens' outputs do not depend on how much padding a batch carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from redheart.config import Preset, get_preset
from redheart.layers import AttentionPooling, FeedForward, init_weights
from redheart.schema import LANGUAGES


class SelfAttention(nn.Module):
    """Multi-head self-attention over real tokens: (B, T, D), mask (B, T) → (B, T, D)."""

    def __init__(self, p: Preset):
        super().__init__()
        self.n_heads = p.n_heads
        self.qkv = nn.Linear(p.d_model, 3 * p.d_model)
        self.out_proj = nn.Linear(p.d_model, p.d_model)
        self.dropout = p.dropout

    def forward(self, x: Tensor, mask: Tensor) -> Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=-1)
        # (B, T, D) → (B, H, T, D/H)
        q, k, v = (z.view(b, t, self.n_heads, d // self.n_heads).transpose(1, 2) for z in (q, k, v))
        attn_mask = mask[:, None, None, :]  # (B, 1, 1, T): which keys each query may see
        y = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask, dropout_p=self.dropout if self.training else 0.0
        )
        y = y.transpose(1, 2).reshape(b, t, d)  # (B, H, T, D/H) → (B, T, D)
        return self.out_proj(y)


class Block(nn.Module):
    """Pre-LN transformer layer: x + attn(LN(x)), then x + MLP(LN(x))."""

    def __init__(self, p: Preset):
        super().__init__()
        self.ln_1 = nn.LayerNorm(p.d_model)
        self.attn = SelfAttention(p)
        self.ln_2 = nn.LayerNorm(p.d_model)
        self.mlp = FeedForward(p.d_model, p.d_ff, dropout=p.dropout)
        self.drop = nn.Dropout(p.dropout)

    def forward(self, x: Tensor, mask: Tensor) -> Tensor:
        x = x + self.drop(self.attn(self.ln_1(x), mask))
        return x + self.drop(self.mlp(self.ln_2(x)))


class TaskSlot(nn.Module):
    """One plugin's view of the shared tokens: (B, T, D), mask → features (B, D).

    ``pool`` picks the tokens that matter for the task, ``projection`` maps the pooled vector
    into the task's feature space, ``specialisation`` is a residual bottleneck adapter.
    """

    def __init__(self, p: Preset):
        super().__init__()
        self.pool = AttentionPooling(p.d_model, p.pool_hidden)
        self.projection = nn.Sequential(FeedForward(p.d_model, p.task_hidden), nn.LayerNorm(p.d_model))
        self.specialisation = FeedForward(p.d_model, p.special_hidden)
        self.ln = nn.LayerNorm(p.d_model)

    def forward(self, tokens: Tensor, mask: Tensor) -> Tensor:
        pooled, _ = self.pool(tokens, mask)
        h = self.projection(pooled)
        return self.ln(h + self.specialisation(h))


@dataclass
class BackboneOutput:
    """tokens (B, T, D), mask (B, T) bool, features: task name → (B, D)."""

    tokens: Tensor
    mask: Tensor
    features: dict[str, Tensor]


class Backbone(nn.Module):
    """Input projection, transformer layers and one :class:`TaskSlot` per task.

    Args:
        preset: shape (name or :class:`Preset`).
        d_encoder: width of the encoder's token states.
        tasks: names of the plugins that get a task slot (those with a head).
    """

    def __init__(self, preset: str | Preset, d_encoder: int, tasks: Sequence[str]):
        super().__init__()
        p = get_preset(preset)
        if d_encoder <= 0:
            raise ValueError(f"d_encoder must be positive, got {d_encoder}")
        self.preset, self.d_encoder, self.task_names = p, d_encoder, tuple(tasks)
        self.register_buffer("input_shift", torch.zeros(d_encoder))
        self.register_buffer("input_scale", torch.ones(d_encoder))
        self.input_proj = nn.Sequential(
            nn.LayerNorm(d_encoder), FeedForward(d_encoder, p.proj_hidden, p.d_model),
            nn.LayerNorm(p.d_model),
        )
        self.pos_emb = nn.Embedding(p.max_len, p.d_model)
        self.lang_emb = nn.Embedding(len(LANGUAGES), p.d_model)
        self.drop = nn.Dropout(p.dropout)
        self.layers = nn.ModuleList(Block(p) for _ in range(p.n_layers))
        self.ln_f = nn.LayerNorm(p.d_model)
        self.tasks = nn.ModuleDict({name: TaskSlot(p) for name in self.task_names})
        init_weights(self, p.n_layers)

    @torch.no_grad()
    def set_input_stats(self, states: Sequence[Tensor]) -> None:
        """Standardise encoder states with the mean and std of ``states`` ((T_i, d_enc) each),
        i.e. of every real token of the training corpus."""
        flat = torch.cat([s.reshape(-1, self.d_encoder) for s in states]).double()
        if flat.shape[0] < 2:
            raise ValueError("need at least 2 token states to estimate input statistics")
        self.input_shift.copy_(flat.mean(0).float())
        self.input_scale.copy_(flat.std(0).clamp_min(1e-6).float())

    def encode(self, states: Tensor, mask: Tensor, lang: Tensor) -> Tensor:
        """The shared trunk: states (B, T, d_enc), mask (B, T), lang (B,) → tokens (B, T, D)."""
        b, t, d_enc = states.shape
        if d_enc != self.d_encoder:
            raise ValueError(
                f"encoder states have width {d_enc}, this backbone expects {self.d_encoder}: "
                f"use the encoder the model was built (and trained) with"
            )
        if t > self.preset.max_len:
            raise ValueError(f"sequence of {t} exceeds max_len={self.preset.max_len}; "
                             f"truncate in the encoder (Encoder.max_len)")
        if mask.shape != (b, t) or mask.dtype != torch.bool:
            raise ValueError(f"mask must be bool of shape {(b, t)}, got {mask.dtype} {tuple(mask.shape)}")
        if not bool(mask.any(-1).all()):
            raise ValueError("every row needs at least one real token (mask row is all False)")
        pos = torch.arange(t, device=states.device)
        states = (states - self.input_shift) / self.input_scale
        x = self.input_proj(states) + self.pos_emb(pos)[None] + self.lang_emb(lang)[:, None]
        x = self.drop(x)
        for layer in self.layers:
            x = layer(x, mask)
        return self.ln_f(x)

    def forward(self, states: Tensor, mask: Tensor, lang: Tensor,
                tasks: Sequence[str] | None = None) -> BackboneOutput:
        """Trunk plus the task slots named in ``tasks`` (default: all)."""
        tokens = self.encode(states, mask, lang)
        names = self.task_names if tasks is None else tuple(tasks)
        unknown = [n for n in names if n not in self.tasks]
        if unknown:
            raise KeyError(f"backbone has no task slot for {unknown}; it has {list(self.task_names)}")
        return BackboneOutput(tokens, mask, {n: self.tasks[n](tokens, mask) for n in names})
