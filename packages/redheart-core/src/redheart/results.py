"""Typed, JSON-able results: the base every plugin's result type builds on."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np


def to_jsonable(value: Any) -> Any:
    """Convert dataclasses, numpy/torch scalars and arrays, tuples and dicts to plain JSON types.

    Non-finite floats raise: a result that contains NaN is a bug to surface, not to serialise.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # torch tensor, without importing torch
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"result contains a non-finite value ({value})")
    return value


@dataclasses.dataclass
class Result:
    """Base for plugin results: dataclass fields, ``to_dict()`` and ``to_json()``."""

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


@dataclasses.dataclass
class TextReport(Result):
    """Everything redheart says about one text: its plugin results by plugin name."""

    text: str
    lang: str
    results: dict[str, Any]
    encoder: str
    checkpoint: str | None
    notes: list[str] = dataclasses.field(default_factory=list)
