"""Checkpoints: safetensors files with metadata, loaded strictly. No pickle anywhere.

A checkpoint is one or more safetensors files ("parts") whose tensors together form the model's
state dict: key prefixes ``backbone.``, ``heads.<plugin>.``, ``analyzers.<plugin>.``. Shipped
weights are split so that every package carries its own part (core the backbone, each plugin its
head and analyzer); a training checkpoint is usually one file with every part.

Every file's metadata records:

* ``redheart.format``        ``"redheart-checkpoint/1"``
* ``redheart.schema``        label-schema version (``schema.SCHEMA_VERSION``)
* ``redheart.encoder``       encoder name, and ``redheart.encoder_dim`` its width
* ``redheart.preset``        the model preset as JSON
* ``redheart.plugins``       JSON ``{plugin: version}`` of the plugins the model was built with
* ``redheart.part``          which parts the file holds (``backbone``, a plugin name, or ``all``)
* ``redheart.sha256``        SHA-256 over the file's tensors (sorted keys, raw bytes), because
  safetensors checks the header but not the data: a flipped byte must not load silently.

Loading is strict: a missing or unexpected key, a shape mismatch, another encoder, schema or
preset, a truncated or corrupt file, or a checksum mismatch raises :class:`CheckpointError`
saying which and why. Nothing is loaded partially.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file
from torch import Tensor, nn

from redheart.config import Preset
from redheart.schema import SCHEMA_VERSION

FORMAT = "redheart-checkpoint/1"


class CheckpointError(RuntimeError):
    """A checkpoint cannot be loaded into this model; the message says why and what to do."""


@dataclass(frozen=True)
class CheckpointMeta:
    """What a checkpoint says about the model that produced it."""

    encoder: str
    encoder_dim: int
    preset: Preset
    plugins: dict[str, str]
    schema_version: int = SCHEMA_VERSION
    part: str = "all"

    def to_metadata(self, digest: str) -> dict[str, str]:
        return {
            "redheart.format": FORMAT,
            "redheart.schema": str(self.schema_version),
            "redheart.encoder": self.encoder,
            "redheart.encoder_dim": str(self.encoder_dim),
            "redheart.preset": self.preset.to_json(),
            "redheart.plugins": json.dumps(self.plugins, sort_keys=True),
            "redheart.part": self.part,
            "redheart.sha256": digest,
        }

    @classmethod
    def from_metadata(cls, meta: Mapping[str, str] | None, source: str) -> CheckpointMeta:
        if not meta or meta.get("redheart.format") != FORMAT:
            raise CheckpointError(f"{source}: not a redheart checkpoint (metadata lacks "
                                  f"redheart.format={FORMAT!r})")
        try:
            return cls(
                encoder=meta["redheart.encoder"],
                encoder_dim=int(meta["redheart.encoder_dim"]),
                preset=Preset.from_json(meta["redheart.preset"]),
                plugins=json.loads(meta["redheart.plugins"]),
                schema_version=int(meta["redheart.schema"]),
                part=meta["redheart.part"],
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise CheckpointError(f"{source}: corrupt checkpoint metadata ({exc})") from exc


def _digest(tensors: Mapping[str, Tensor]) -> str:
    h = hashlib.sha256()
    for key in sorted(tensors):
        t = tensors[key].detach().contiguous().cpu()
        h.update(key.encode())
        h.update(str(t.dtype).encode())
        h.update(str(tuple(t.shape)).encode())
        # reshape first: a 0-dim tensor cannot be viewed as bytes directly
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b"")
    return h.hexdigest()


def part_of(key: str) -> str:
    """``"backbone"`` or the plugin name a state-dict key belongs to."""
    head, _, rest = key.partition(".")
    if head == "backbone":
        return "backbone"
    if head in ("heads", "analyzers"):
        return rest.partition(".")[0]
    raise CheckpointError(f"state-dict key {key!r} belongs to no known part")


def save_checkpoint(model: nn.Module, path: str | Path, meta: CheckpointMeta,
                    parts: Iterable[str] | None = None, dtype: torch.dtype | None = None) -> Path:
    """Write the model's tensors (all, or only ``parts``) to ``path`` as safetensors.

    Args:
        parts: ``"backbone"`` and/or plugin names to include; ``None`` = everything.
        dtype: store floating tensors in this dtype (e.g. ``torch.float16`` for shipping).
    """
    state = model.state_dict()
    wanted = None if parts is None else set(parts)
    tensors = {}
    for key, t in state.items():
        if wanted is not None and part_of(key) not in wanted:
            continue
        t = t.detach().cpu().contiguous()
        if dtype is not None and t.is_floating_point():
            t = t.to(dtype)
        tensors[key] = t
    if not tensors:
        raise CheckpointError(f"nothing to save for parts {sorted(wanted or [])}")
    label = "all" if wanted is None else ",".join(sorted(wanted))
    meta = CheckpointMeta(meta.encoder, meta.encoder_dim, meta.preset, meta.plugins,
                          meta.schema_version, label)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    save_file(tensors, str(tmp), metadata=meta.to_metadata(_digest(tensors)))
    tmp.replace(path)  # atomic: a crash mid-write never leaves a half checkpoint under `path`
    return path


def read_checkpoint(path: str | Path) -> tuple[CheckpointMeta, dict[str, Tensor]]:
    """Read and verify one file: metadata, tensors, checksum."""
    path = Path(path)
    src = str(path)
    if not path.is_file():
        raise CheckpointError(f"{src}: no such checkpoint file")
    try:
        with safe_open(src, framework="pt") as f:
            raw_meta = f.metadata()
            tensors = {k: f.get_tensor(k) for k in f.keys()}
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise CheckpointError(f"{src}: truncated or corrupt safetensors file ({exc})") from exc
    meta = CheckpointMeta.from_metadata(raw_meta, src)
    if _digest(tensors) != raw_meta.get("redheart.sha256"):
        raise CheckpointError(f"{src}: tensor data does not match its SHA-256 (corrupted file); "
                              f"re-download or re-save it")
    return meta, tensors


def merge_parts(paths: Iterable[str | Path]) -> tuple[CheckpointMeta, dict[str, Tensor]]:
    """Read several part files and check they describe the same model."""
    paths = list(paths)
    if not paths:
        raise CheckpointError("no checkpoint files given")
    merged: dict[str, Tensor] = {}
    first: CheckpointMeta | None = None
    plugins: dict[str, str] = {}
    for p in paths:
        meta, tensors = read_checkpoint(p)
        if first is None:
            first = meta
        else:
            for attr in ("encoder", "encoder_dim", "preset", "schema_version"):
                if getattr(meta, attr) != getattr(first, attr):
                    raise CheckpointError(
                        f"{p}: {attr} {getattr(meta, attr)!r} differs from {paths[0]}'s "
                        f"{getattr(first, attr)!r}; all parts must come from one model")
        plugins.update(meta.plugins)
        dup = set(tensors) & set(merged)
        if dup:
            raise CheckpointError(f"{p}: keys also present in another part: {sorted(dup)[:5]}")
        merged.update(tensors)
    assert first is not None
    return CheckpointMeta(first.encoder, first.encoder_dim, first.preset, plugins,
                          first.schema_version, "all"), merged


def check_compatible(meta: CheckpointMeta, *, encoder: str, encoder_dim: int, preset: Preset,
                     source: str) -> None:
    """Raise unless the checkpoint was made for this encoder, schema and preset."""
    if meta.schema_version != SCHEMA_VERSION:
        raise CheckpointError(f"{source}: label schema v{meta.schema_version}, this redheart uses "
                              f"v{SCHEMA_VERSION}; retrain or convert the checkpoint")
    if (meta.encoder, meta.encoder_dim) != (encoder, encoder_dim):
        raise CheckpointError(
            f"{source}: trained with encoder {meta.encoder!r} (dim {meta.encoder_dim}), but the "
            f"model uses {encoder!r} (dim {encoder_dim}); serve with the training encoder "
            f"(encoder={meta.encoder!r})")
    if meta.preset != preset:
        raise CheckpointError(f"{source}: preset {meta.preset.name!r} differs from the model's "
                              f"{preset.name!r}; build the model with the checkpoint's preset")


def load_state_strict(model: nn.Module, tensors: Mapping[str, Tensor], source: str) -> None:
    """Copy ``tensors`` into ``model`` only if keys and shapes match exactly."""
    state = model.state_dict()
    missing = sorted(set(state) - set(tensors))
    unexpected = sorted(set(tensors) - set(state))
    if missing or unexpected:
        parts_missing = sorted({part_of(k) for k in missing})
        raise CheckpointError(
            f"{source}: keys do not match the model. Missing {len(missing)} "
            f"(parts {parts_missing}; e.g. {missing[:3]}), unexpected {len(unexpected)} "
            f"(e.g. {unexpected[:3]}). The checkpoint was made for other plugins or versions; "
            f"load it with the plugins it lists, or retrain.")
    bad = [(k, tuple(tensors[k].shape), tuple(state[k].shape)) for k in state
           if tensors[k].shape != state[k].shape]
    if bad:
        raise CheckpointError(f"{source}: shape mismatch for {len(bad)} tensors, e.g. "
                              f"{bad[:3]} (checkpoint, model)")
    converted = {k: tensors[k].to(dtype=state[k].dtype) for k in state}
    model.load_state_dict(converted, strict=True)
