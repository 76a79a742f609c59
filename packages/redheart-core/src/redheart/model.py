"""The whole learned model: backbone + each plugin's head and analyzer, run in dependency order.

The encoder is not part of this module (it is frozen and identified by name and width in the
checkpoint); :class:`ModelInputs` carries its states.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor, nn

from redheart.backbone import Backbone
from redheart.config import Preset, get_preset
from redheart.layers import masked_mean
from redheart.plugin_api import EncodedBatch, PluginContext, PluginOutputs
from redheart.plugins import PluginSpec


@dataclass
class ModelInputs:
    """Encoder outputs for a batch (B texts, K ≤ 4 options of T_o tokens each).

    Attributes:
        states: (B, T, d_enc) encoder token states; ``mask`` (B, T) bool.
        lang: (B,) long language index (``schema.LANGUAGES``).
        option_states: (B, K, T_o, d_enc) encoder states of each option's text, or ``None``.
        option_token_mask: (B, K, T_o) bool; a slot with no real token is an absent option.
        extras: key → list of B per-item values (see ``plugin_api``).
    """

    states: Tensor
    mask: Tensor
    lang: Tensor
    option_states: Tensor | None = None
    option_token_mask: Tensor | None = None
    extras: dict[str, list[Any]] = field(default_factory=dict)

    def to(self, device: torch.device | str) -> ModelInputs:
        opt = None if self.option_states is None else self.option_states.to(device)
        opt_mask = None if self.option_token_mask is None else self.option_token_mask.to(device)
        return ModelInputs(self.states.to(device), self.mask.to(device), self.lang.to(device),
                           opt, opt_mask, self.extras)


def pad_sequences(seqs: Sequence[Tensor]) -> tuple[Tensor, Tensor]:
    """Right-pad (T_i, d) tensors into (N, T, d) with a (N, T) bool mask."""
    t = max(s.shape[0] for s in seqs)
    out = seqs[0].new_zeros(len(seqs), t, seqs[0].shape[-1])
    mask = torch.zeros(len(seqs), t, dtype=torch.bool, device=seqs[0].device)
    for i, s in enumerate(seqs):
        out[i, : s.shape[0]] = s
        mask[i, : s.shape[0]] = True
    return out, mask


def pad_options(options: Sequence[Sequence[Tensor]], d_encoder: int,
                device: torch.device | str = "cpu") -> tuple[Tensor | None, Tensor | None]:
    """Per item, a list of option states (T_o, d) → (B, K, T_o, d) and (B, K, T_o) mask.

    Returns ``(None, None)`` when no item has options.
    """
    flat = [o for item in options for o in item]
    if not flat:
        return None, None
    k = max(len(item) for item in options)
    t_o = max(o.shape[0] for o in flat)
    states = torch.zeros(len(options), k, t_o, d_encoder, device=device, dtype=flat[0].dtype)
    mask = torch.zeros(len(options), k, t_o, dtype=torch.bool, device=device)
    for b, item in enumerate(options):
        for j, o in enumerate(item):
            states[b, j, : o.shape[0]] = o
            mask[b, j, : o.shape[0]] = True
    return states, mask


def collate_inputs(states: Sequence[Tensor], langs: Sequence[int],
                   options: Sequence[Sequence[Tensor]] | None = None,
                   extras: dict[str, list[Any]] | None = None) -> ModelInputs:
    """Per-item encoder states (T_i, d_enc), language indices and option states → ModelInputs."""
    padded, mask = pad_sequences(states)
    opt_states, opt_mask = (None, None) if options is None else pad_options(
        options, padded.shape[-1], padded.device)
    lang = torch.tensor(list(langs), dtype=torch.long, device=padded.device)
    return ModelInputs(padded, mask, lang, opt_states, opt_mask, dict(extras or {}))


class RedheartModel(nn.Module):
    """Backbone plus, for every plugin with a model, ``heads[name]`` and ``analyzers[name]``.

    Args:
        specs: plugin specs in dependency order (``Registry.resolve``).
        preset: model shape.
        d_encoder: width of the encoder states the model reads.
    """

    def __init__(self, specs: Sequence[PluginSpec], preset: str | Preset, d_encoder: int):
        super().__init__()
        self.preset = get_preset(preset)
        self.specs = [s for s in specs if s.has_model]
        names = tuple(s.name for s in self.specs)
        ctx = PluginContext(self.preset, names)
        self.backbone = Backbone(self.preset, d_encoder, names)
        self.heads = nn.ModuleDict({s.name: s.load("head")(ctx) for s in self.specs})
        self.analyzers = nn.ModuleDict(
            {s.name: s.load("analyzer")(ctx) for s in self.specs if s.analyzer is not None}
        )

    @property
    def plugin_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.specs)

    @property
    def optional_upstreams(self) -> tuple[str, ...]:
        """Plugins in this model that some analyzer uses as an optional upstream."""
        names = set(self.plugin_names)
        return tuple(sorted({o for s in self.specs for o in s.optional if o in names}))

    def encode(self, inputs: ModelInputs) -> EncodedBatch:
        """Run the backbone once over the texts and once over all real options together."""
        out = self.backbone(inputs.states, inputs.mask, inputs.lang)
        options = option_mask = None
        if inputs.option_states is not None and inputs.option_token_mask is not None:
            b, k, t_o, d_enc = inputs.option_states.shape
            option_mask = inputs.option_token_mask.any(-1)  # (B, K)
            options = out.tokens.new_zeros(b, k, self.preset.d_model)
            if bool(option_mask.any()):
                # Only real options go through the trunk: no compute on empty slots.
                flat_states = inputs.option_states[option_mask]  # (N, T_o, d_enc)
                flat_mask = inputs.option_token_mask[option_mask]  # (N, T_o)
                flat_lang = inputs.lang[:, None].expand(b, k)[option_mask]
                hidden = self.backbone.encode(flat_states, flat_mask, flat_lang)
                options = options.index_put((option_mask,), masked_mean(hidden, flat_mask))
        return EncodedBatch(out.tokens, out.mask, out.features, inputs.lang, options,
                            option_mask, inputs.extras)

    def forward(self, inputs: ModelInputs, hide: Collection[str] = ()) -> dict[str, PluginOutputs]:
        """All plugins' outputs, keyed by plugin name, in dependency order.

        ``hide`` names plugins whose outputs are withheld from the analyzers that list them as
        *optional* upstream (they still run and are returned). Training uses it so the
        "upstream absent" path of every analyzer is learned too, since a user may install a
        plugin without its optional partners.
        """
        batch = self.encode(inputs)
        outputs: dict[str, PluginOutputs] = {}
        for spec in self.specs:
            head_out = self.heads[spec.name](batch)
            upstream = {n: outputs[n] for n in spec.requires if n in outputs}
            upstream.update({n: outputs[n] for n in spec.optional
                             if n in outputs and n not in hide})
            analyzer_out = (self.analyzers[spec.name](batch, head_out, upstream)
                            if spec.name in self.analyzers else {})
            outputs[spec.name] = PluginOutputs(head_out, analyzer_out)
        return outputs
