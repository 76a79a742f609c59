"""Resumable training state in one safetensors file (tensors) with JSON metadata (no pickle).

Holds the model (and EMA) weights, the optimizer's per-parameter tensors and its param groups,
the scheduler state, the RNG states and the data position, so that a run killed at any save
point and resumed ends with exactly the weights of an uninterrupted run (on CPU, in
deterministic mode).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file
from torch import nn

from redheart.checkpoint import CheckpointError

STATE_FORMAT = "redheart-train-state/1"


def _optimizer_tensors(opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    sd = opt.state_dict()
    tensors = {}
    scalars: dict[str, dict[str, Any]] = {}
    for idx, st in sd["state"].items():
        for key, value in st.items():
            if torch.is_tensor(value):
                tensors[f"optim.{idx}.{key}"] = value.detach().cpu().contiguous()
            else:
                scalars.setdefault(str(idx), {})[key] = value
    return tensors, {"param_groups": sd["param_groups"], "scalars": scalars}


def _restore_optimizer(opt: torch.optim.Optimizer, tensors: dict[str, torch.Tensor],
                       info: dict[str, Any]) -> None:
    state: dict[int, dict[str, Any]] = {}
    for name, value in tensors.items():
        _, idx, key = name.split(".", 2)
        state.setdefault(int(idx), {})[key] = value
    for idx, extra in info["scalars"].items():
        state.setdefault(int(idx), {}).update(extra)
    groups = info["param_groups"]
    for g in groups:  # JSON turned tuples into lists; Adam's betas is read as a pair either way
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
    opt.load_state_dict({"state": state, "param_groups": groups})


def save_state(path: str | Path, *, model: nn.Module, optimizer: torch.optim.Optimizer,
               scheduler: torch.optim.lr_scheduler.LRScheduler, ema: nn.Module | None,
               progress: dict[str, Any], config: dict[str, Any]) -> Path:
    """Write the training state atomically to ``path``."""
    tensors = {f"model.{k}": v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    if ema is not None:
        tensors.update({f"ema.{k}": v.detach().cpu().contiguous()
                        for k, v in ema.state_dict().items()})
    opt_tensors, opt_info = _optimizer_tensors(optimizer)
    tensors.update(opt_tensors)
    tensors["rng.torch"] = torch.get_rng_state()
    np_state = np.random.get_state()
    meta = {
        "format": STATE_FORMAT,
        "optimizer": opt_info,
        "scheduler": scheduler.state_dict(),
        "rng": {"python": _jsonable(random.getstate()),
                "numpy": [np_state[0], np_state[1].tolist(), *np_state[2:]]},
        "progress": progress,
        "config": config,
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    save_file(tensors, str(tmp), metadata={"redheart.train_state": json.dumps(meta)})
    tmp.replace(path)  # a kill mid-write leaves the previous state intact
    return path


def load_state(path: str | Path, *, model: nn.Module, optimizer: torch.optim.Optimizer,
               scheduler: torch.optim.lr_scheduler.LRScheduler, ema: nn.Module | None
               ) -> dict[str, Any]:
    """Restore everything :func:`save_state` wrote; returns ``{"progress", "config"}``."""
    src = str(path)
    try:
        with safe_open(src, framework="pt") as f:
            meta = json.loads(f.metadata()["redheart.train_state"])
            tensors = {k: f.get_tensor(k) for k in f.keys()}
    except (SafetensorError, OSError, KeyError, ValueError, TypeError) as exc:
        raise CheckpointError(
            f"{src}: unreadable training state ({exc}); delete it to start over") from exc
    if meta.get("format") != STATE_FORMAT:
        raise CheckpointError(f"{src}: not a {STATE_FORMAT} file")
    model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")},
                          strict=True)
    if ema is not None:
        ema.load_state_dict({k[4:]: v for k, v in tensors.items() if k.startswith("ema.")},
                            strict=True)
    _restore_optimizer(optimizer, {k: v for k, v in tensors.items() if k.startswith("optim.")},
                       meta["optimizer"])
    scheduler.load_state_dict(meta["scheduler"])
    torch.set_rng_state(tensors["rng.torch"])
    random.setstate(_tuples(meta["rng"]["python"]))
    name, keys, *rest = meta["rng"]["numpy"]
    np.random.set_state((name, np.asarray(keys, dtype=np.uint32), *rest))
    return {"progress": meta["progress"], "config": meta["config"]}


def _jsonable(x: Any) -> Any:
    return [_jsonable(v) for v in x] if isinstance(x, (tuple, list)) else x


def _tuples(x: Any) -> Any:
    return tuple(_tuples(v) for v in x) if isinstance(x, list) else x
