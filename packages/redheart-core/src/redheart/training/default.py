"""The shipped default model: its training recipe and the per-package export of its weights.

``redheart train --reproduce-default`` trains :data:`DEFAULT_RECIPE` on the seed corpus shipped
with redheart-core, then splits the best checkpoint into parts stored in fp16: the backbone goes
to ``redheart/weights/default.safetensors`` and each plugin's head and analyzer to
``<plugin module>/weights/default.safetensors``, so any installed subset of packages loads
strictly (see ``pipelines.shipped_weights``).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
from pathlib import Path

import torch

from redheart.checkpoint import merge_parts, save_checkpoint
from redheart.model import RedheartModel
from redheart.pipelines import DEFAULT_WEIGHTS, package_module, weights_file
from redheart.plugins import Registry, registry
from redheart.training.trainer import TrainConfig, Trainer

DEFAULT_PLUGINS = ["emotion", "bentham", "regret"]
# The recipe of the shipped weights. Sized for a 2-core CPU; one pilot run (3 epochs) checked
# that every task learns with these settings, nothing more was tuned. The validation loss is
# lowest at epoch 3 and rises after (1,261 training texts overfit fast), so training stops
# after 3 epochs without improvement; the schedule is still laid out for 12 epochs.
# Bit-exact reproduction needs --threads 1 (the shipped run's setting).
DEFAULT_RECIPE = TrainConfig(
    plugins=DEFAULT_PLUGINS, preset="small", epochs=12, batch_size=32, lr=5e-4,
    weight_decay=0.01, warmup=0.06, ema=0.0, seed=0, val_fraction=0.2, threads=1, patience=3,
)


def weights_dir(module: str) -> Path:
    """The ``weights`` folder inside an installed (or editable) package."""
    path = weights_file(module)
    if path is None:
        raise ValueError(f"cannot locate the installed package {module!r} to write weights into")
    return path.parent


def export_parts(checkpoint: Path, dest: Path | None, reg: Registry | None = None) -> list[Path]:
    """Split ``checkpoint`` into fp16 per-package parts.

    ``dest=None`` writes into each installed package's own ``weights`` folder (for editable
    installs that is the source tree, which is how the repository's weights are made);
    otherwise into ``dest/<module>/default.safetensors``.
    """
    reg = reg or registry()
    meta, tensors = merge_parts([checkpoint])
    specs = reg.resolve(sorted(meta.plugins))
    model = RedheartModel(specs, meta.preset, meta.encoder_dim)
    model.load_state_dict(tensors, strict=True)
    written = []
    owners = [("backbone", "redheart")] + [(s.name, package_module(s)) for s in specs if s.has_model]
    for part, module in owners:
        folder = weights_dir(module) if dest is None else dest / module
        path = save_checkpoint(model, folder / DEFAULT_WEIGHTS, meta, parts=[part],
                               dtype=torch.float16)
        written.append(path)
    return written


def reproduce_default(out: Path, args: argparse.Namespace | None = None) -> Path:
    """Train the default recipe into ``out`` and export its parts to ``out/weights``.

    With ``--install`` (``args.install``) the parts are also copied into the installed
    packages, replacing their shipped weights.
    """
    reg = registry()
    missing = [p for p in DEFAULT_PLUGINS if p not in reg.plugins]
    if missing:
        raise ValueError(f"the default model covers {DEFAULT_PLUGINS}; install "
                         f"{' '.join('redheart-' + m for m in missing)} first")
    from redheart.training.cli import shipped_corpus

    cfg = dataclasses.replace(DEFAULT_RECIPE, data=[str(shipped_corpus())], out=str(out),
                              cache_dir=str(out / "cache"))
    if args is not None and getattr(args, "threads", None):
        cfg.threads = args.threads
    trainer = Trainer(cfg, reg)
    trainer.fit(resume=not getattr(args, "no_resume", False))
    parts = export_parts(out / "best.safetensors", out / "weights", reg)
    if args is not None and getattr(args, "install", False):
        for p in parts:
            target = weights_dir(p.parent.name) / DEFAULT_WEIGHTS
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, target)
    return out
