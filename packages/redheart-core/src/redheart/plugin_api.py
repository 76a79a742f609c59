"""The contract between core and analyzer plugins (plugin API version 1).

Core runs, once per batch: encoder → backbone → for every plugin in dependency order:
``head(batch) -> dict`` → ``analyzer(batch, head_out, upstream) -> dict``, where ``upstream``
maps the names of the plugins already run (its ``requires`` and installed ``optional``) to their
:class:`PluginOutputs`. Training adds ``loss(outputs: PluginOutputs, targets: LabelBatch) ->
dict[str, Tensor]`` (named scalar terms, masked); reporting adds ``interpret(outputs:
PluginOutputs, index: int, item: TextInput) -> Result`` on detached CPU outputs, turning row
``index`` into the plugin's typed result.

Shapes (B = batch, T = tokens, D = backbone width, K = decision options ≤ 4):

* ``EncodedBatch.tokens``   (B, T, D) backbone token states; ``mask`` (B, T) bool, True = real.
* ``EncodedBatch.features`` plugin name → (B, D): that plugin's pooled, projected, specialised
  features from the backbone.
* ``EncodedBatch.options``  (B, K, D) pooled backbone states of each decision option's text, with
  ``option_mask`` (B, K) bool; ``None`` when no record of the batch has a decision.
* ``EncodedBatch.lang``     (B,) long index into ``redheart.schema.LANGUAGES``.
* ``EncodedBatch.extras``   key → list of B per-item values (``None`` where an item lacks the
  key), collated from ``TextInput.extras`` (e.g. biosignal feature sequences, timestamps);
  plugins document the keys they read, convert them to tensors, and must work when a key is
  absent or ``None`` for some rows.

Heads and analyzers return ``dict[str, Tensor]`` with batch-first tensors; a plugin documents its
keys. They create no parameters in ``forward`` and draw no random numbers at inference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor

from redheart.config import Preset


@dataclass
class TextInput:
    """One item to analyse: a text plus optional decision options and named extras.

    Attributes:
        text: the situation, non-empty.
        lang: ``"ko"`` or ``"en"``; detected from the script when ``None``.
        options: 2–4 decision options (texts) when the text describes a decision.
        extras: named side inputs for plugins (see ``EncodedBatch.extras``).
    """

    text: str
    lang: str | None = None
    options: list[str] | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PluginContext:
    """What a head or analyzer factory gets to size itself.

    Attributes:
        preset: the model preset (``"full"``, ``"base"``, ``"small"``, ``"tiny"``), which
            plugins map to their own widths so that ``full`` meets SPEC §5's budget.
        d_model: backbone width D (features and token states).
        available: names of the plugins in the same model (for optional upstream inputs).
    """

    preset: Preset
    available: tuple[str, ...] = ()

    @property
    def d_model(self) -> int:
        return self.preset.d_model


@dataclass
class EncodedBatch:
    """The backbone's output for a batch, as heads and analyzers see it (shapes above)."""

    tokens: Tensor
    mask: Tensor
    features: dict[str, Tensor]
    lang: Tensor
    options: Tensor | None = None
    option_mask: Tensor | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.tokens.shape[0]


@dataclass
class PluginOutputs:
    """One plugin's outputs for a batch: its head's and its analyzer's dictionaries."""

    head: dict[str, Tensor]
    analyzer: dict[str, Tensor]

    def final(self, key: str) -> Tensor:
        """The analyzer's value for ``key`` when it refines it, else the head's."""
        return self.analyzer[key] if key in self.analyzer else self.head[key]

    def detach(self) -> PluginOutputs:
        return PluginOutputs(
            {k: v.detach() for k, v in self.head.items()},
            {k: v.detach() for k, v in self.analyzer.items()},
        )


def zero_loss(reference: Tensor) -> Tensor:
    """A zero that stays in the graph (for a loss term with no labelled rows in the batch)."""
    return reference.sum() * 0.0


def device_of(module: torch.nn.Module) -> torch.device:
    return next(module.parameters()).device
