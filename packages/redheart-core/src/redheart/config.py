"""Model presets: one dataclass for the backbone's shape, shared by every plugin.

``full`` is the design documents' shape (SPEC §5: 768 wide, 6 layers, 12 heads, FFN 3072) and
meets the parameter budget; ``base`` and ``small`` are for CPUs; ``tiny`` is for tests. Plugins
size their heads and analyzers from ``Preset.name`` (each keeps its own per-preset table) and
``Preset.scale`` (a width multiplier relative to ``full``), so every component exists at every
preset.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any


class DictConfig:
    """Dict and JSON round trips for config dataclasses, rejecting unknown keys by name.

    Mix into any ``@dataclass`` config: ``to_dict``/``from_dict``/``to_json``/``from_json``.
    """

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown {cls.__name__} fields {sorted(unknown)}; known: {sorted(known)}")
        return cls(**data)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Any:
        return cls.from_dict(json.loads(text))


@dataclass(frozen=True)
class Preset(DictConfig):
    """Backbone shape.

    Attributes:
        name: preset name.
        d_model: width D of token states and task features.
        n_layers: transformer layers.
        n_heads: attention heads (``d_model % n_heads == 0``).
        d_ff: feed-forward width (4 D in ``full``, as in BERT).
        max_len: longest token sequence; longer inputs are truncated by the encoder, never here.
        dropout: dropout during training (inference is deterministic: ``eval()`` disables it).
        scale: width multiplier for plugin heads and analyzers relative to ``full``.
        pool_hidden: hidden width of each task's attention-pooling scorer.
        task_hidden: hidden width of each task's projection MLP.
        special_hidden: bottleneck width of each task's specialisation adapter.
        proj_hidden: hidden width of the input projection's MLP.

    The ``full`` widths of the small parts are chosen so that, with four task slots, each part
    of the backbone lands near its share of the 50M budget in SPEC §5 (``redheart params``).
    """

    name: str
    d_model: int
    n_layers: int
    n_heads: int
    d_ff: int
    max_len: int = 512
    dropout: float = 0.1
    scale: float = 1.0
    pool_hidden: int = 320
    task_hidden: int = 520
    special_hidden: int = 320
    proj_hidden: int = 1024

    def __post_init__(self) -> None:
        for f in ("d_model", "n_layers", "n_heads", "d_ff", "max_len", "pool_hidden",
                  "task_hidden", "special_hidden", "proj_hidden"):
            if getattr(self, f) <= 0:
                raise ValueError(f"Preset.{f} must be positive, got {getattr(self, f)}")
        if self.d_model % self.n_heads:
            raise ValueError(
                f"d_model={self.d_model} is not divisible by n_heads={self.n_heads}; "
                f"choose n_heads dividing d_model"
            )
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.scale <= 0:
            raise ValueError(f"scale must be positive, got {self.scale}")


PRESETS: dict[str, Preset] = {
    "full": Preset("full", d_model=768, n_layers=6, n_heads=12, d_ff=3072, scale=1.0),
    "base": Preset("base", d_model=512, n_layers=6, n_heads=8, d_ff=2048, scale=0.5,
                   pool_hidden=192, task_hidden=344, special_hidden=224, proj_hidden=640),
    "small": Preset("small", d_model=256, n_layers=4, n_heads=4, d_ff=1024, scale=0.25,
                    pool_hidden=96, task_hidden=176, special_hidden=112, proj_hidden=320),
    "tiny": Preset("tiny", d_model=32, n_layers=2, n_heads=4, d_ff=64, max_len=128, scale=0.05,
                   dropout=0.0, pool_hidden=16, task_hidden=16, special_hidden=16,
                   proj_hidden=32),
}


def get_preset(name: str | Preset) -> Preset:
    """A preset by name (or the preset itself), with a clear error for an unknown name."""
    if isinstance(name, Preset):
        return name
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose one of {sorted(PRESETS)}") from None
