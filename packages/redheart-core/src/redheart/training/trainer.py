"""The training loop: masked multi-task loss over the plugins' registered losses.

One loop serves ``train-local`` (one process) and ``train-cloud`` (``torchrun``: DDP with nccl on
GPUs, gloo on CPUs; rank 0 logs and checkpoints; each rank takes every world-th record of the
epoch's permutation).

Loss: ``Σ_plugin task_weight[plugin] · Σ_term loss_term`` where each plugin's ``loss`` returns
named, masked terms (a missing label contributes nothing). Task weights default to 1.0 and are
set with ``TrainConfig.task_weights``.

Schedule: AdamW (no weight decay on biases, norms and embeddings), linear warm-up over
``warmup`` of the optimizer steps then cosine decay to 10 % of ``lr``; gradient accumulation and
clipping; optional bf16 autocast and EMA of the weights.

Model selection: after every epoch the model (the EMA when enabled) is validated; the
**validation score is the mean validation loss** (the same masked multi-task loss, lower is
better) and the best epoch's weights are written to ``best.safetensors``.

Data order: epoch e visits the training records in ``randperm(n, seed + e)``; the state saved
every ``save_every`` optimizer steps records the epoch and the position in it, so a resumed run
continues with exactly the batches an uninterrupted run would have seen.
"""

from __future__ import annotations

import json
import logging
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from torch import Tensor, nn

from redheart.checkpoint import CheckpointMeta, save_checkpoint
from redheart.config import get_preset
from redheart.data import Record, load_records
from redheart.encoders import get_encoder
from redheart.labels import LabelBatch
from redheart.model import ModelInputs, RedheartModel
from redheart.plugin_api import PluginOutputs
from redheart.plugins import Registry, registry
from redheart.training.encoded import EncodedCorpus
from redheart.training.metrics import MetricCollector
from redheart.training.split import check_degenerate, format_report, label_report, split_records
from redheart.training.state import load_state, save_state

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


@dataclass
class TrainConfig:
    """Everything a run depends on (saved with its checkpoints and metrics).

    Attributes:
        data: JSONL files or folders (schema v1).
        val: explicit validation files; ``None`` = a ``val_fraction`` split by id hash.
        plugins: plugins to train; empty = every installed plugin with a model.
        preset, encoder: model shape and frozen encoder (``None`` = the default encoder).
        epochs, batch_size, grad_accum: per-process batch; the effective batch is
            ``batch_size × grad_accum × world size``.
        lr, weight_decay, warmup, min_lr_ratio, clip: optimiser and schedule (see module doc).
        bf16: autocast the forward pass to bfloat16 (CPUs with AVX512-BF16, or GPUs).
        ema: EMA decay of the weights (0 = off); validation and ``best`` use the EMA.
        task_weights: per-plugin loss weight (default 1.0).
        upstream_dropout: per batch, the probability of hiding each optional upstream plugin
            from its dependants, so their "upstream absent" path is trained too.
        seed: seeds initialisation and the data order.
        samples: use only the first N records (after sorting by id) — for smoke tests.
        save_every: save the resumable state every N optimizer steps (0 = at epoch ends only).
        patience: stop after this many epochs without a better validation score (0 = never).
        out: run folder (``state.safetensors``, ``best.safetensors``, ``last.safetensors``,
            ``metrics.jsonl``, ``config.json``).
        deterministic: ``torch.use_deterministic_algorithms`` (needed for exact resume).
        cache_dir: where to keep encoder states between runs (``None`` = recompute).
        threads: torch intra-op threads (0 = torch's default).
    """

    data: list[str] = field(default_factory=list)
    val: list[str] | None = None
    val_fraction: float = 0.2
    plugins: list[str] = field(default_factory=list)
    preset: str = "small"
    encoder: str | None = None
    epochs: int = 30
    batch_size: int = 16
    grad_accum: int = 1
    lr: float = 3e-4
    weight_decay: float = 0.01
    warmup: float = 0.06
    min_lr_ratio: float = 0.1
    clip: float = 1.0
    bf16: bool = False
    ema: float = 0.0
    task_weights: dict[str, float] = field(default_factory=dict)
    upstream_dropout: float = 0.15
    seed: int = 0
    samples: int = 0
    save_every: int = 0
    patience: int = 0
    out: str = "runs/redheart"
    deterministic: bool = True
    cache_dir: str | None = None
    threads: int = 0

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size", "grad_accum"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be ≥ 1, got {getattr(self, name)}")
        if self.lr <= 0:
            raise ValueError(f"lr must be positive, got {self.lr}")
        if not 0 <= self.ema < 1:
            raise ValueError(f"ema decay must be in [0, 1), got {self.ema}")
        if not 0 <= self.warmup < 1:
            raise ValueError(f"warmup is a fraction of the steps in [0, 1), got {self.warmup}")
        get_preset(self.preset)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DistInfo:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0


def init_distributed() -> DistInfo:
    """Join the process group when launched by ``torchrun`` (WORLD_SIZE > 1)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistInfo()
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    if not dist.is_initialized():
        dist.init_process_group(backend)
    info = DistInfo(dist.get_rank(), dist.get_world_size(), int(os.environ.get("LOCAL_RANK", "0")))
    if backend == "nccl":
        torch.cuda.set_device(info.local_rank)
    return info


def total_loss(outputs: dict[str, PluginOutputs], labels: LabelBatch, losses: dict[str, Any],
               weights: dict[str, float]) -> tuple[Tensor, dict[str, float]]:
    """Weighted sum of every plugin's masked loss terms, and each term's value for logging."""
    total: Tensor | None = None
    logged: dict[str, float] = {}
    for name, fn in losses.items():
        terms = fn(outputs[name], labels)
        w = weights.get(name, 1.0)
        for term, value in terms.items():
            if not torch.isfinite(value):
                raise FloatingPointError(f"loss term {name}.{term} is {value.item()}; check the "
                                         f"inputs and lower the learning rate")
            logged[f"{name}.{term}"] = float(value.detach())
            total = w * value if total is None else total + w * value
    if total is None:
        raise ValueError("no plugin returned a loss term; are any plugins with losses selected?")
    return total, logged


def _param_groups(model: nn.Module, weight_decay: float) -> list[dict[str, Any]]:
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        # Biases, norm gains and embeddings are not decayed (as in BERT/GPT-2 practice).
        (no_decay if p.ndim < 2 or "emb" in name or "norm" in name or ".ln" in name else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay},
            {"params": no_decay, "weight_decay": 0.0}]


def lr_lambda(total_steps: int, warmup: float, min_ratio: float):
    warm = max(1, int(round(total_steps * warmup)))

    def f(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        progress = min(1.0, (step - warm) / max(1, total_steps - warm))
        return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress))

    return f


class Trainer:
    """Build everything from a :class:`TrainConfig`; :meth:`fit` trains and returns the run folder."""

    def __init__(self, cfg: TrainConfig, reg: Registry | None = None,
                 records: list[Record] | None = None, check_labels: bool = True):
        self.cfg = cfg
        self.dist = init_distributed()
        if cfg.threads:
            torch.set_num_threads(cfg.threads)
        if cfg.deterministic:
            torch.use_deterministic_algorithms(True)
        torch.manual_seed(cfg.seed)
        self.registry = reg or registry()
        names = cfg.plugins or [n for n, s in self.registry.plugins.items() if s.has_model]
        self.specs = [s for s in self.registry.resolve(names) if s.has_model]
        if not self.specs:
            raise ValueError("no plugin with a model to train; install redheart-emotion, ...")
        self.device = torch.device(f"cuda:{self.dist.local_rank}" if torch.cuda.is_available() else "cpu")
        self.out = Path(cfg.out)

        records = records if records is not None else load_records(cfg.data)
        records = sorted(records, key=lambda r: r.id)
        if cfg.samples:
            records = records[: cfg.samples]
        if cfg.val:
            self.train_records, self.val_records = records, load_records(cfg.val)
        elif cfg.samples and len(records) < 10:
            self.train_records, self.val_records = records, records  # smoke test: no split
        else:
            self.train_records, self.val_records = split_records(records, cfg.val_fraction)
        self.reports = label_report(self.train_records)
        if check_labels:
            check_degenerate(self.reports, {f for s in self.specs for f in s.schema_fields})

        self.encoder = get_encoder(cfg.encoder) if cfg.encoder else get_encoder(_default_encoder())
        self.encoder.to(self.device)
        self.train_set = EncodedCorpus.build(self.train_records, self.encoder, cfg.cache_dir)
        self.val_set = EncodedCorpus.build(self.val_records, self.encoder, cfg.cache_dir)

        self.model = RedheartModel(self.specs, cfg.preset, self.encoder.dim)
        self.model.backbone.set_input_stats(self.train_set.states)
        self.model.to(self.device)
        self.losses = {s.name: s.load("loss") for s in self.specs if s.loss}
        self.ddp: nn.Module = self.model
        if self.dist.world > 1:
            self.ddp = nn.parallel.DistributedDataParallel(
                self.model, device_ids=[self.dist.local_rank] if self.device.type == "cuda" else None,
                find_unused_parameters=True)  # e.g. option scorers get no gradient without options
        self.optimizer = torch.optim.AdamW(_param_groups(self.model, cfg.weight_decay), lr=cfg.lr)
        self.steps_per_epoch = math.ceil(self._records_per_rank() / (cfg.batch_size * cfg.grad_accum))
        self.total_steps = self.steps_per_epoch * cfg.epochs
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lr_lambda(self.total_steps, cfg.warmup, cfg.min_lr_ratio))
        self.ema = None
        if cfg.ema:
            self.ema = torch.optim.swa_utils.AveragedModel(
                self.model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(cfg.ema),
                use_buffers=True)
        self.progress = {"epoch": 0, "batch": 0, "step": 0, "best": None, "best_epoch": None,
                         "stopped": False}

    # --- data ---------------------------------------------------------------------------

    def _records_per_rank(self) -> int:
        return len(self.train_set) // self.dist.world

    def epoch_batches(self, epoch: int) -> list[list[int]]:
        """This rank's micro-batches of epoch ``epoch`` (deterministic in seed and epoch)."""
        g = torch.Generator().manual_seed(self.cfg.seed * 1_000_003 + epoch)
        perm = torch.randperm(len(self.train_set), generator=g).tolist()
        mine = perm[self.dist.rank::self.dist.world][: self._records_per_rank()]
        b = self.cfg.batch_size
        return [mine[i:i + b] for i in range(0, len(mine), b)]

    # --- loop ---------------------------------------------------------------------------

    def meta(self) -> CheckpointMeta:
        return CheckpointMeta(self.encoder.name, self.encoder.dim, self.model.preset,
                              {s.name: self.registry.version(s.name) for s in self.specs})

    def _forward(self, inputs: ModelInputs) -> dict[str, PluginOutputs]:
        optional = self.model.optional_upstreams
        draws = torch.rand(len(optional)).tolist()  # torch RNG: saved and restored on resume
        hide = [n for n, u in zip(optional, draws) if u < self.cfg.upstream_dropout]
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.cfg.bf16):
            return self.ddp(inputs, hide)

    def fit(self, resume: bool = True) -> Path:
        cfg, main = self.cfg, self.dist.main
        state_path = self.out / "state.safetensors"
        if resume and state_path.is_file():
            restored = load_state(state_path, model=self.model, optimizer=self.optimizer,
                                  scheduler=self.scheduler, ema=self.ema)
            self.progress = restored["progress"]
            logger.info("resumed from %s at epoch %d batch %d", state_path,
                        self.progress["epoch"], self.progress["batch"])
        if main:
            self.out.mkdir(parents=True, exist_ok=True)
            (self.out / "config.json").write_text(json.dumps(cfg.to_dict(), indent=2))
            (self.out / "labels.txt").write_text(format_report(self.reports) + "\n")
        bar = self._progress_bar()
        while self.progress["epoch"] < cfg.epochs and not self.progress.get("stopped"):
            epoch = self.progress["epoch"]
            batches = self.epoch_batches(epoch)
            self.model.train()
            start, running = time.time(), []
            for bi in range(self.progress["batch"], len(batches)):
                inputs, labels = self.train_set.batch(batches[bi], self.device)
                loss, terms = total_loss(self._forward(inputs), labels, self.losses, cfg.task_weights)
                (loss / cfg.grad_accum).backward()
                running.append(float(loss.detach()))
                boundary = (bi + 1) % cfg.grad_accum == 0 or bi + 1 == len(batches)
                self.progress["batch"] = bi + 1
                if not boundary:
                    continue
                nn.utils.clip_grad_norm_(self.model.parameters(), cfg.clip)
                self.optimizer.step()
                self.scheduler.step()
                self.optimizer.zero_grad(set_to_none=True)
                if self.ema is not None:
                    self.ema.update_parameters(self.model)
                self.progress["step"] += 1
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(epoch=epoch, loss=f"{running[-1]:.4f}")
                if main and cfg.save_every and self.progress["step"] % cfg.save_every == 0:
                    self._save_state(state_path)
            self.progress["epoch"], self.progress["batch"] = epoch + 1, 0
            if main:
                record = {"epoch": epoch + 1, "step": self.progress["step"],
                          "train_loss": sum(running) / max(1, len(running)),
                          "lr": self.scheduler.get_last_lr()[0], "seconds": time.time() - start}
                record.update(self.validate())
                self._log(record)
                score = record["val_loss"]
                if self.progress["best"] is None or score < self.progress["best"]:
                    self.progress["best"], self.progress["best_epoch"] = score, epoch + 1
                    save_checkpoint(self.eval_model(), self.out / "best.safetensors", self.meta())
                if cfg.patience and epoch + 1 - self.progress["best_epoch"] >= cfg.patience:
                    self.progress["stopped"] = True
                    logger.info("early stop: no better validation loss in %d epochs", cfg.patience)
                self._save_state(state_path)
            if self.dist.world > 1:
                stop = torch.tensor([int(bool(self.progress.get("stopped")))])
                dist.broadcast(stop, 0)  # every rank stops with rank 0
                self.progress["stopped"] = bool(stop.item())
                dist.barrier()
        if bar is not None:
            bar.close()
        if main:
            save_checkpoint(self.eval_model(), self.out / "last.safetensors", self.meta())
        return self.out

    def eval_model(self) -> RedheartModel:
        """The weights to validate and ship: the EMA's when enabled."""
        return self.ema.module if self.ema is not None else self.model  # type: ignore[return-value]

    @torch.no_grad()
    def validate(self, corpus: EncodedCorpus | None = None, by_language: bool = False,
                 batch_size: int = 64) -> dict[str, float]:
        """Validation loss (masked, weighted, averaged over batches by rows) and metrics."""
        corpus = corpus or self.val_set
        model = self.eval_model()
        was_training = model.training
        model.eval()
        collector, loss_sum, terms_sum, n = MetricCollector(), 0.0, {}, 0
        for start in range(0, len(corpus), batch_size):
            idx = list(range(start, min(start + batch_size, len(corpus))))
            inputs, labels = corpus.batch(idx, self.device)
            with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.cfg.bf16):
                outputs = model(inputs)
            loss, terms = total_loss(outputs, labels, self.losses, self.cfg.task_weights)
            loss_sum += float(loss) * len(idx)
            for k, v in terms.items():
                terms_sum[k] = terms_sum.get(k, 0.0) + v * len(idx)
            n += len(idx)
            collector.update(outputs, labels, inputs.lang)
        model.train(was_training)
        out = {"val_loss": loss_sum / n}
        out.update({f"val_{k}": v / n for k, v in terms_sum.items()})
        out.update(collector.compute(by_language=by_language))
        return out

    def _save_state(self, path: Path) -> None:
        save_state(path, model=self.model, optimizer=self.optimizer, scheduler=self.scheduler,
                   ema=self.ema, progress=self.progress, config=self.cfg.to_dict())

    def _log(self, record: dict[str, Any]) -> None:
        with (self.out / "metrics.jsonl").open("a") as f:
            f.write(json.dumps(record) + "\n")
        logger.info("epoch %d: train %.4f val %.4f", record["epoch"], record["train_loss"],
                    record["val_loss"])

    def _progress_bar(self):
        if not self.dist.main or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=self.total_steps, initial=self.progress["step"], unit="step",
                    desc="train", dynamic_ncols=True)


def _default_encoder() -> str:
    from redheart.encoders import DEFAULT_ENCODER

    return DEFAULT_ENCODER
