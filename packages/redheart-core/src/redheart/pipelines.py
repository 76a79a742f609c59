"""Pipelines: texts in, typed reports out, with the encoder and backbone run once per batch.

    pipe = redheart.pipeline("emotion", "bentham")        # shipped default weights
    report = pipe("친구의 실수를 덮어줬는데 상사가 나를 탓한다")
    report.results["emotion"].dominant

Batching: all texts (and decision options) are tokenized once, sorted by length and cut into
batches, each trimmed to its longest member, so compute is not spent on padding; results come
back in input order.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, overload

import torch

from redheart import schema
from redheart.checkpoint import (
    CheckpointError,
    CheckpointMeta,
    check_compatible,
    load_state_strict,
    merge_parts,
    part_of,
    save_checkpoint,
)
from redheart.config import Preset, get_preset
from redheart.encoders import Encoder, Tokenized, check_texts, get_encoder
from redheart.model import ModelInputs, RedheartModel, pad_options
from redheart.plugin_api import PluginOutputs, TextInput
from redheart.plugins import PluginError, PluginSpec, Registry, registry
from redheart.results import TextReport

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

DEFAULT_WEIGHTS = "default.safetensors"


def detect_lang(text: str) -> str:
    """``"ko"`` when the text contains Hangul (syllables or jamo), else ``"en"``.

    redheart's schema covers Korean and English; any text without Hangul takes the English
    slot (the multilingual encoders still read it, but the models were trained on ko/en only).
    """
    for ch in text:
        o = ord(ch)
        if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            return "ko"
    return "en"


def as_inputs(items: str | TextInput | Sequence[str | TextInput]) -> list[TextInput]:
    """Validate and normalise user input into :class:`TextInput` items."""
    if isinstance(items, (str, TextInput)):
        items = [items]
    out: list[TextInput] = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            item = TextInput(item)
        if not isinstance(item, TextInput):
            raise TypeError(f"item {i} is a {type(item).__name__}; pass a str or a TextInput")
        check_texts([item.text])
        lang = item.lang or detect_lang(item.text)
        if lang not in schema.LANGUAGES:
            raise ValueError(f"item {i}: lang must be one of {schema.LANGUAGES}, got {lang!r}")
        options = item.options
        if options is not None:
            options = check_texts(options)
            if not schema.MIN_OPTIONS <= len(options) <= schema.MAX_OPTIONS:
                raise ValueError(f"item {i}: a decision needs {schema.MIN_OPTIONS}–"
                                 f"{schema.MAX_OPTIONS} options, got {len(options)}")
        out.append(TextInput(item.text, lang, options, dict(item.extras)))
    if not out:
        raise ValueError("no texts given; pass at least one non-empty string")
    return out


SEQUENCE_KEY = "sequence_id"


def plan_batches(items: Sequence[TextInput], lengths: Sequence[int], batch_size: int
                 ) -> list[list[int]]:
    """Batches of item indices: longest first, and never splitting a sequence.

    Items whose ``extras["sequence_id"]`` is equal form one sequence (turns of a conversation):
    a plugin's temporal model must see all of it, so a sequence always shares a batch (a
    sequence longer than ``batch_size`` gets a batch of its own). Everything else is sorted by
    length so each batch is trimmed to similar lengths and little compute goes to padding.
    """
    groups: dict[Any, list[int]] = {}
    for i, item in enumerate(items):
        key = item.extras.get(SEQUENCE_KEY)
        groups.setdefault(("seq", key) if key is not None else ("one", i), []).append(i)
    ordered = sorted(groups.values(), key=lambda g: -max(lengths[i] for i in g))
    batches: list[list[int]] = []
    current: list[int] = []
    for group in ordered:
        if current and len(current) + len(group) > batch_size:
            batches.append(current)
            current = []
        current = current + group
        if len(current) >= batch_size:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return batches


def package_module(spec: PluginSpec) -> str:
    """The top-level import name of the package that holds a plugin's code."""
    target = spec.head or spec.analyzer or ""
    return target.partition(":")[0].partition(".")[0] or spec.name


def weights_file(module: str) -> Path | None:
    """``<module>/weights/default.safetensors`` inside an installed package, if it can be located."""
    try:
        return Path(str(resources.files(module).joinpath("weights", DEFAULT_WEIGHTS)))
    except (ModuleNotFoundError, TypeError):  # not importable, or a plain module (no folder)
        return None


def shipped_weights(specs: Sequence[PluginSpec]) -> list[Path]:
    """Paths of the shipped default weights: core's backbone part and each plugin's part.

    Raises :class:`CheckpointError` naming what is missing (nothing trained is installed).
    """
    paths = []
    owners = [("redheart-core", "redheart")] + [
        (s.package, package_module(s)) for s in specs if s.has_model
    ]
    for package, module in owners:
        candidate = weights_file(module)
        if candidate is None or not candidate.is_file():
            raise CheckpointError(
                f"no trained checkpoint available: {package} ships no default weights "
                f"({candidate or module + '/weights/' + DEFAULT_WEIGHTS} is missing). Pass "
                f"checkpoint=PATH (CLI: --checkpoint PATH) from `redheart train`, or install a "
                f"release of {package} that ships weights.")
        paths.append(candidate)
    return paths


def _to_cpu(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Detached CPU copies; floating tensors in float32 (bf16 runs), others (masks) kept."""
    return {k: (t.detach().float() if t.is_floating_point() else t.detach()).cpu()
            for k, t in tensors.items()}


@dataclass
class _Prepared:
    items: list[TextInput]
    texts: Tokenized
    options: Tokenized | None
    option_rows: list[list[int]]  # per item, its rows in `options`


class Pipeline:
    """Encoder + model + interpreters for a set of plugins.

    Args:
        plugins: plugin names; empty = every installed plugin that has a text model.
        checkpoint: a path or list of part paths; ``None`` = the shipped default weights.
        encoder: encoder name; defaults to the checkpoint's (must match it).
        preset: model preset when no checkpoint fixes it (only with ``allow_untrained``).
        device: ``"cpu"``, ``"cuda"``, ...
        allow_untrained: build randomly initialised models when no checkpoint is given — for
            testing the plumbing only; every report then carries an ``UNTRAINED`` note.
        reg: plugin registry (tests pass fakes); default: the installed plugins.
    """

    def __init__(self, plugins: Sequence[str] = (), *, checkpoint: str | Path | Sequence[str | Path] | None = None,
                 encoder: str | Encoder | None = None, preset: str | Preset | None = None,
                 device: str | torch.device = "cpu", allow_untrained: bool = False,
                 reg: Registry | None = None):
        reg = reg or registry()
        names = list(plugins) or [n for n, s in reg.plugins.items() if s.has_model]
        if not names:
            raise PluginError("no analyzer plugins installed; `pip install redheart-emotion` "
                              "(and/or redheart-bentham, redheart-regret)")
        specs = reg.resolve(names)
        no_model = [s.name for s in specs if not s.has_model]
        if no_model:
            raise PluginError(f"plugins {no_model} have no text model to put in a pipeline "
                              f"(they provide libraries and CLI commands); leave them out")
        self.specs = specs
        self.registry = reg
        self.device = torch.device(device)
        self.untrained = False
        if checkpoint is None and allow_untrained:
            self.checkpoint_label = None
            self.untrained = True
            self.encoder = self._make_encoder(encoder)
            meta = None
        else:
            paths = shipped_weights(specs) if checkpoint is None else (
                [checkpoint] if isinstance(checkpoint, (str, Path)) else list(checkpoint))
            self.checkpoint_label = "default" if checkpoint is None else ", ".join(map(str, paths))
            meta, tensors = merge_parts(paths)
            self.encoder = self._make_encoder(encoder or meta.encoder)
        p = meta.preset if meta is not None else get_preset(preset or "small")
        if preset is not None and meta is not None and get_preset(preset) != meta.preset:
            raise CheckpointError(f"preset {get_preset(preset).name!r} was asked for, the "
                                  f"checkpoint is {meta.preset.name!r}; omit preset")
        self.model = RedheartModel(specs, p, self.encoder.dim)
        if meta is not None:
            self._load(meta, tensors)
        self.model.to(self.device).eval()
        self.encoder.to(self.device).eval()
        self.interpreters = {s.name: s.load("interpret") for s in specs}

    @staticmethod
    def _make_encoder(encoder: str | Encoder | None) -> Encoder:
        if isinstance(encoder, Encoder):
            return encoder.freeze()
        if encoder is None:
            from redheart.encoders import DEFAULT_ENCODER

            encoder = DEFAULT_ENCODER
        return get_encoder(encoder)

    def _load(self, meta: CheckpointMeta, tensors: dict[str, torch.Tensor]) -> None:
        label = self.checkpoint_label or "checkpoint"
        check_compatible(meta, encoder=self.encoder.name, encoder_dim=self.encoder.dim,
                         preset=self.model.preset, source=label)
        missing = [n for n in self.model.plugin_names if n not in meta.plugins]
        if missing:
            raise CheckpointError(f"{label}: has no weights for plugins {missing} (it holds "
                                  f"{sorted(meta.plugins)}); train a model that includes them")
        # A checkpoint of more plugins serves any subset: drop the other plugins' parts (and
        # their backbone task slots); everything this model needs must still match exactly.
        others = set(meta.plugins) - set(self.model.plugin_names)
        kept = {k: v for k, v in tensors.items()
                if part_of(k) not in others and not any(k.startswith(f"backbone.tasks.{o}.")
                                                        for o in others)}
        load_state_strict(self.model, kept, label)

    def save(self, path: str | Path, parts: Sequence[str] | None = None,
             dtype: torch.dtype | None = None) -> Path:
        """Save the model as a checkpoint that this pipeline (or a subset of it) can load."""
        meta = CheckpointMeta(self.encoder.name, self.encoder.dim, self.model.preset,
                              {n: self.registry.version(n) for n in self.model.plugin_names})
        return save_checkpoint(self.model, path, meta, parts=parts, dtype=dtype)

    # ---------------------------------------------------------------------------------------

    def _prepare(self, items: list[TextInput]) -> _Prepared:
        texts = self.encoder.tokenize([it.text for it in items])
        option_texts: list[str] = []
        option_rows: list[list[int]] = []
        for it in items:
            rows = []
            for o in it.options or []:
                rows.append(len(option_texts))
                option_texts.append(o)
            option_rows.append(rows)
        options = self.encoder.tokenize(option_texts) if option_texts else None
        return _Prepared(items, texts, options, option_rows)

    def _model_inputs(self, prep: _Prepared, idx: list[int]) -> ModelInputs:
        enc, dev = self.encoder, self.device
        tok = prep.texts.select(idx)
        states = enc(tok.ids.to(dev), tok.mask.to(dev))
        lang = torch.tensor([schema.LANGUAGES.index(prep.items[i].lang) for i in idx], device=dev)
        rows = [prep.option_rows[i] for i in idx]
        per_item: list[list[torch.Tensor]] = [[] for _ in idx]
        if prep.options is not None and any(rows):
            flat = [r for rs in rows for r in rs]
            otok = prep.options.select(flat)
            ostates = enc(otok.ids.to(dev), otok.mask.to(dev))  # (N, T_o, d_enc)
            lengths = otok.lengths.tolist()
            n = 0
            for b, rs in enumerate(rows):
                for _ in rs:
                    per_item[b].append(ostates[n, : lengths[n]])
                    n += 1
        option_states, option_token_mask = pad_options(per_item, enc.dim, dev)
        keys = sorted({k for i in idx for k in prep.items[i].extras})
        extras = {k: [prep.items[i].extras.get(k) for i in idx] for k in keys}
        return ModelInputs(states, tok.mask.to(dev), lang, option_states, option_token_mask, extras)

    @torch.inference_mode()
    def run(self, items: str | TextInput | Sequence[str | TextInput],
            batch_size: int = 32) -> list[tuple[TextInput, dict[str, PluginOutputs], int]]:
        """Raw outputs: per batch, (items, outputs on CPU, batch index) triples in input order.

        Returns one ``(item, outputs, row)`` per input, where ``outputs`` are the batch's
        detached CPU outputs and ``row`` is the item's row in them.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be ≥ 1, got {batch_size}")
        prepared = self._prepare(as_inputs(items))
        out: list[Any] = [None] * len(prepared.items)
        for idx in plan_batches(prepared.items, prepared.texts.lengths.tolist(), batch_size):
            outputs = self.model(self._model_inputs(prepared, idx))
            outputs = {k: PluginOutputs(_to_cpu(v.head), _to_cpu(v.analyzer))
                       for k, v in outputs.items()}
            for row, i in enumerate(idx):
                out[i] = (prepared.items[i], outputs, row)
        return out

    @overload
    def __call__(self, items: str | TextInput, batch_size: int = 32) -> TextReport: ...
    @overload
    def __call__(self, items: Sequence[str | TextInput], batch_size: int = 32) -> list[TextReport]: ...

    def __call__(self, items: Any, batch_size: int = 32) -> TextReport | list[TextReport]:
        """Analyse one text (→ a report) or a list of texts (→ reports in input order)."""
        single = isinstance(items, (str, TextInput))
        notes = ["UNTRAINED: randomly initialised model, outputs are meaningless"] if self.untrained else []
        reports = []
        for item, outputs, row in self.run(items, batch_size):
            results = {name: self.interpreters[name](outputs[name], row, item) for name in outputs}
            reports.append(TextReport(item.text, item.lang or "en", results, self.encoder.name,
                                      self.checkpoint_label, list(notes)))
        return reports[0] if single else reports


def pipeline(*plugins: str, **kwargs: Any) -> Pipeline:
    """``redheart.pipeline("emotion", "bentham", checkpoint=..., device=...)``: see :class:`Pipeline`."""
    return Pipeline(plugins, **kwargs)
