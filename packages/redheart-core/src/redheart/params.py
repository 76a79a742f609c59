"""Parameter budget report (``redheart params``): counts from the real modules vs SPEC §5.

The model is built on the ``meta`` device, so even ``full`` (≈ 330M parameters) is counted in
a second without allocating memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import torch
from torch import nn

from redheart.config import get_preset
from redheart.model import RedheartModel
from redheart.plugins import Registry, registry

TOLERANCE = 0.05
BACKBONE_TARGET = 50_000_000
# SPEC §5 backbone parts; the task parts are budgeted for 4 task slots.
BACKBONE_PARTS = {
    "input projection": 1_200_000,
    "encoder layers": 42_000_000,
    "task projections": 3_200_000,
    "task specialisation": 2_000_000,
    "attention pooling": 1_000_000,
    "other": 600_000,
}
_PER_TASK_PARTS = {"task projections", "task specialisation", "attention pooling"}
_SPEC_TASK_SLOTS = 4


@dataclass
class Row:
    """One line of the table; ``part`` rows are indented under their component."""

    name: str
    params: int
    target: int | None
    part: bool = False

    @property
    def deviation(self) -> float | None:
        return None if not self.target else self.params / self.target - 1.0

    @property
    def ok(self) -> bool:
        return self.deviation is None or abs(self.deviation) <= TOLERANCE


def count(modules: Iterable[nn.Module] | nn.Module) -> int:
    if isinstance(modules, nn.Module):
        modules = [modules]
    return sum(p.numel() for m in modules for p in m.parameters())


def _backbone_rows(model: RedheartModel) -> list[Row]:
    bb = model.backbone
    slots = list(bb.tasks.values())
    counts = {
        "input projection": count(bb.input_proj),
        "encoder layers": count(bb.layers),
        "task projections": count(s.projection for s in slots),
        "task specialisation": count([s.specialisation for s in slots] + [s.ln for s in slots]),
        "attention pooling": count(s.pool for s in slots),
        "other": count([bb.pos_emb, bb.lang_emb, bb.ln_f]),
    }
    assert sum(counts.values()) == count(bb), "a backbone module is missing from the table"
    rows = [Row("backbone", count(bb), BACKBONE_TARGET)]
    for name, target in BACKBONE_PARTS.items():
        if name in _PER_TASK_PARTS:
            target = target * len(slots) // _SPEC_TASK_SLOTS
        rows.append(Row(name, counts[name], target, part=True))
    return rows


def _module_rows(label: str, module: nn.Module, target: int) -> list[Row]:
    rows = [Row(label, count(module), target or None)]
    for child, part_target in getattr(type(module), "PART_TARGETS", {}).items():
        rows.append(Row(child, count(getattr(module, child)), part_target, part=True))
    return rows


def param_table(preset: str = "full", d_encoder: int = 384, reg: Registry | None = None) -> list[Row]:
    """Rows for the backbone, each installed plugin's head and analyzer, and the total."""
    reg = reg or registry()
    specs = reg.resolve(sorted(reg.plugins))
    with torch.device("meta"):
        model = RedheartModel(specs, get_preset(preset), d_encoder)
    rows = _backbone_rows(model)
    for spec in specs:
        if not spec.has_model:
            rows.append(Row(f"{spec.name} (algorithms, no learned weights)", 0, None))
            continue
        rows += _module_rows(f"{spec.name} head", model.heads[spec.name], spec.head_params)
        if spec.name in model.analyzers:
            rows += _module_rows(f"{spec.name} analyzer", model.analyzers[spec.name],
                                 spec.analyzer_params)
    rows.append(Row("total", count(model), None))
    return rows


def format_rows(rows: list[Row], preset: str) -> str:
    """The table; targets, deviations and status are shown for ``full`` only (SPEC §5)."""
    lines = [f"{'component':<40} {'params':>13} {'target':>13} {'deviation':>10}  status"]
    for r in rows:
        if preset != "full":
            r = Row(r.name, r.params, None, r.part)
        name = ("  " + r.name) if r.part else r.name
        target = f"{r.target:,}" if r.target else "-"
        dev = f"{r.deviation:+.1%}" if r.deviation is not None else "-"
        status = "" if r.target is None else ("ok" if r.ok else "OUT OF BUDGET")
        if r.part and r.target is not None:
            status = "(part)"
        lines.append(f"{name:<40} {r.params:>13,} {target:>13} {dev:>10}  {status}")
    if preset != "full":
        lines.append(f"(preset {preset!r}: targets apply to 'full' only)")
    return "\n".join(lines)
