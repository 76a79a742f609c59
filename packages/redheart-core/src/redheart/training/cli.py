"""``redheart train MODE``: unified-test, train-local, train-cloud, and --reproduce-default.

    redheart train unified-test --samples 3 --debug --verbose
    redheart train train-local --preset small --epochs 30
    torchrun --nproc_per_node 2 -m redheart.cli train train-cloud --full-dataset
    redheart train --reproduce-default            # rebuilds the shipped default model

Without ``--data`` the seed corpus shipped with redheart-core is used.
"""

from __future__ import annotations

import argparse
import logging
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built on every `redheart` call: keep torch out of it
    from redheart.training.trainer import TrainConfig

logger = logging.getLogger(__name__)

MODES = ("unified-test", "train-local", "train-cloud")


def shipped_corpus() -> Path:
    """The seed corpus (schema v1, CC0) installed with redheart-core."""
    return Path(str(resources.files("redheart").joinpath("corpus")))


def add_parser(sub) -> None:
    p = sub.add_parser("train", help="train the installed plugins (see `redheart train -h`)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", nargs="?", choices=MODES, help="run mode")
    p.add_argument("--reproduce-default", action="store_true",
                   help="train the shipped default model and export its per-package weights")
    p.add_argument("--install", action="store_true",
                   help="with --reproduce-default: copy the weights into the installed packages")
    p.add_argument("--data", nargs="+", help="schema-v1 JSONL files or folders (default: shipped corpus)")
    p.add_argument("--val", nargs="+", help="explicit validation files (default: 20%% id-hash split)")
    p.add_argument("--plugins", help="comma-separated plugins (default: all installed)")
    p.add_argument("--preset", default=None, help="model preset (default: small)")
    p.add_argument("--encoder", help="frozen encoder (default: redheart's default)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--grad-accum", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--ema", type=float, help="EMA decay, e.g. 0.999 (default off)")
    p.add_argument("--bf16", action="store_true", help="bf16 autocast")
    p.add_argument("--seed", type=int)
    p.add_argument("--samples", type=int, default=0, help="use only N records")
    p.add_argument("--full-dataset", action="store_true", help="use every record (the default)")
    p.add_argument("--save-every", type=int, help="save resumable state every N steps")
    p.add_argument("--out", help="run folder (default: runs/<mode>)")
    p.add_argument("--cache-dir", help="keep encoder states here between runs")
    p.add_argument("--threads", type=int, help="torch threads")
    p.add_argument("--no-resume", action="store_true", help="ignore an existing state in --out")
    p.add_argument("--debug", action="store_true", help="autograd anomaly detection")
    p.add_argument("--verbose", action="store_true", help="log progress")
    p.set_defaults(func=run)


def _config(args: argparse.Namespace, base: TrainConfig | None = None) -> TrainConfig:
    from redheart.training.trainer import TrainConfig

    cfg = (base or TrainConfig()).to_dict()
    cfg["data"] = [str(p) for p in (args.data or [shipped_corpus()])]
    overrides = {"val": args.val, "preset": args.preset, "encoder": args.encoder,
                 "epochs": args.epochs, "batch_size": args.batch_size,
                 "grad_accum": args.grad_accum, "lr": args.lr, "ema": args.ema,
                 "seed": args.seed, "save_every": args.save_every, "out": args.out,
                 "cache_dir": args.cache_dir, "threads": args.threads}
    cfg.update({k: v for k, v in overrides.items() if v is not None})
    if args.plugins:
        cfg["plugins"] = [p for p in args.plugins.split(",") if p]
    if args.bf16:
        cfg["bf16"] = True
    if args.samples and not args.full_dataset:
        cfg["samples"] = args.samples
    return TrainConfig(**cfg)


def run(args: argparse.Namespace) -> int:
    if args.verbose:
        logging.getLogger("redheart").setLevel(logging.INFO)
    if args.debug:
        import torch

        torch.autograd.set_detect_anomaly(True)
    if args.reproduce_default:
        from redheart.training.default import reproduce_default

        out = reproduce_default(Path(args.out or "runs/default"), args)
        print(f"default model written under {out}")
        return 0
    if args.mode is None:
        raise ValueError("give a mode (unified-test, train-local, train-cloud) or --reproduce-default")
    if args.mode == "unified-test":
        from redheart.data import load_records
        from redheart.training.gradcheck import gradient_check

        args.out = args.out or "runs/unified-test"
        cfg = _config(args)
        cfg.samples = args.samples or 3
        report = gradient_check(cfg, load_records(cfg.data))
        print(report.format())
        return 0 if report.ok else 1
    from redheart.training.trainer import Trainer

    args.out = args.out or f"runs/{args.mode}"
    cfg = _config(args)
    trainer = Trainer(cfg)
    if trainer.dist.main:
        print(f"training {[s.name for s in trainer.specs]} on {len(trainer.train_set)} records "
              f"(validation {len(trainer.val_set)}), preset {cfg.preset}, encoder "
              f"{trainer.encoder.name}, world size {trainer.dist.world}")
    out = trainer.fit(resume=not args.no_resume)
    if trainer.dist.main:
        print(f"best validation loss {trainer.progress['best']:.4f} at epoch "
              f"{trainer.progress['best_epoch']}; checkpoints in {out}")
    return 0
