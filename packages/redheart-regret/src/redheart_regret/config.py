"""Sizes of the regret head and analyzer per preset (dataclass configs with validation).

The ``full`` rows meet SPEC §5's budget (head 22M, analyzer 50M at d_model 768); the smaller
presets shrink widths but keep every component. ``redheart params --preset full`` and
``tests/test_params.py`` check the counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from redheart.config import DictConfig, Preset
from redheart.schema import MAX_OPTIONS

N_SCENARIOS = 3  # optimistic, neutral, pessimistic
SCENARIOS: tuple[str, ...] = ("optimistic", "neutral", "pessimistic")


class _Config(DictConfig):
    """Dict/JSON round trips from core, plus a positive-int check shared by the two configs."""

    def _positive(self, *names: str) -> None:
        for name in names:
            v = getattr(self, name)
            if not isinstance(v, int) or v <= 0:
                raise ValueError(f"{type(self).__name__}.{name} must be a positive int, got {v!r}")


@dataclass(frozen=True)
class RegretHeadConfig(_Config):
    """Regret head shape.

    Attributes:
        d_model: backbone width D.
        n_heads: heads of the cross-attention from the text/alternative queries to the tokens.
        gru_hidden: per-direction width H of the bidirectional counterfactual GRU.
        scenario_hidden: hidden width of each of the 3 scenario views.
        member_hidden: hidden width of each ensemble member.
        n_members: ensemble size (5 in the design); its spread is the epistemic uncertainty.
        n_slots: option slots S; rows without options get S imagined alternatives instead.
        ensemble_seed: seeds each member's initialisation (member m uses seed + m) and the
            training-time bootstrap masks, so members differ deterministically.
        dropout: dropout inside the scenario views and members (training only).
    """

    d_model: int
    n_heads: int
    gru_hidden: int
    scenario_hidden: int
    member_hidden: int
    n_members: int = 5
    n_slots: int = MAX_OPTIONS
    ensemble_seed: int = 20_250_701
    dropout: float = 0.1

    def __post_init__(self) -> None:
        self._positive("d_model", "n_heads", "gru_hidden", "scenario_hidden", "member_hidden",
                       "n_members", "n_slots")
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model={self.d_model} must be divisible by n_heads={self.n_heads}")
        if self.n_members < 2:
            raise ValueError(f"an ensemble needs at least 2 members to have a spread, "
                             f"got n_members={self.n_members}")
        if self.n_slots < MAX_OPTIONS:
            raise ValueError(f"n_slots must be ≥ {MAX_OPTIONS} (the most options a decision has)")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")

    @property
    def state_dim(self) -> int:
        """Width of a slot's counterfactual state (bidirectional GRU: 2 H)."""
        return 2 * self.gru_hidden

    @property
    def summary_dim(self) -> int:
        """Width of ``[context, slot state]`` read by scenario views and members (D + 2 H)."""
        return self.d_model + self.state_dim


@dataclass(frozen=True)
class RegretAnalyzerConfig(_Config):
    """Regret analyzer shape.

    Attributes:
        d_model: backbone width D (also the analyzer's working width).
        state_dim: width of the head's slot states (2 H).
        summary_dim: width of the head's text state (D + 2 H).
        n_heads: attention heads in the simulator and the Bayesian option encoder.
        base_hidden: hidden width of the base refinement (fusion with upstream plugins).
        sim_layers, sim_ffn: decoder layers and feed-forward width of the counterfactual
            simulator over option × scenario nodes.
        temporal_hidden, temporal_layers: LSTM over the time horizons.
        temporal_out_hidden: hidden width of the per-horizon read-out.
        tree_hidden, tree_head_hidden: node network and value/probability read-outs of the
            decision tree.
        bayes_ffn, bayes_hidden: option encoder feed-forward width and Beta read-out width.
        dropout: training-only dropout.
    """

    d_model: int
    state_dim: int
    summary_dim: int
    n_heads: int
    base_hidden: int
    sim_layers: int
    sim_ffn: int
    temporal_hidden: int
    temporal_layers: int
    temporal_out_hidden: int
    tree_hidden: int
    tree_head_hidden: int
    bayes_ffn: int
    bayes_hidden: int
    dropout: float = 0.1

    def __post_init__(self) -> None:
        self._positive("d_model", "state_dim", "summary_dim", "n_heads", "base_hidden",
                       "sim_layers", "sim_ffn", "temporal_hidden", "temporal_layers",
                       "temporal_out_hidden", "tree_hidden", "tree_head_hidden", "bayes_ffn",
                       "bayes_hidden")
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model={self.d_model} must be divisible by n_heads={self.n_heads}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")


# (n_heads, gru_hidden, scenario_hidden, member_hidden) per preset.
_HEAD_TABLE: dict[str, tuple[int, int, int, int]] = {
    "full": (12, 512, 512, 1152),
    "base": (8, 320, 320, 768),
    "small": (4, 128, 128, 288),
    "tiny": (4, 16, 16, 24),
}
# (n_heads, base_hidden, sim_layers, sim_ffn, temporal_hidden, temporal_layers,
#  temporal_out_hidden, tree_hidden, tree_head_hidden, bayes_ffn, bayes_hidden) per preset.
_ANALYZER_TABLE: dict[str, tuple[int, ...]] = {
    "full": (12, 700, 2, 1536, 800, 2, 1024, 4800, 1536, 3584, 1536),
    "base": (8, 460, 2, 1024, 512, 2, 640, 3072, 1024, 2048, 1024),
    "small": (4, 240, 2, 512, 256, 2, 320, 1024, 384, 1024, 384),
    "tiny": (4, 32, 1, 64, 32, 2, 32, 64, 32, 64, 32),
}


def _table_row(table: dict[str, tuple[int, ...]], preset: Preset) -> tuple[int, ...]:
    if preset.name in table:
        return table[preset.name]
    raise ValueError(f"redheart-regret has no size table for preset {preset.name!r}; "
                     f"known presets: {sorted(table)}")


def head_config(preset: Preset) -> RegretHeadConfig:
    """The head's shape at ``preset`` (training dropout follows the preset's)."""
    n_heads, gru, scen, member = _table_row(_HEAD_TABLE, preset)
    return RegretHeadConfig(preset.d_model, n_heads, gru, scen, member, dropout=preset.dropout)


def analyzer_config(preset: Preset) -> RegretAnalyzerConfig:
    """The analyzer's shape at ``preset``, wired to the head's widths at the same preset."""
    head = head_config(preset)
    (n_heads, base, sim_layers, sim_ffn, t_hidden, t_layers, t_out, tree, tree_head, b_ffn,
     b_hidden) = _table_row(_ANALYZER_TABLE, preset)
    return RegretAnalyzerConfig(preset.d_model, head.state_dim, head.summary_dim, n_heads, base,
                                sim_layers, sim_ffn, t_hidden, t_layers, t_out, tree, tree_head,
                                b_ffn, b_hidden, dropout=preset.dropout)
