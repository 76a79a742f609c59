"""Parameter budget at preset ``full`` (SPEC §5), built on the meta device."""

from __future__ import annotations

import pytest
import torch

from redheart.testing import context
from redheart_regret.analyzer import RegretAnalyzer, build_analyzer
from redheart_regret.head import RegretHead, build_head
from redheart_regret.plugin import SPEC


def count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@pytest.fixture(scope="module")
def full():
    with torch.device("meta"):
        ctx = context("full", available=("regret",))
        return build_head(ctx), build_analyzer(ctx)


def test_rows_within_5_percent(full):
    head, analyzer = full
    assert abs(count(head) / SPEC.head_params - 1) <= 0.05, count(head)
    assert abs(count(analyzer) / SPEC.analyzer_params - 1) <= 0.05, count(analyzer)


@pytest.mark.parametrize("cls, which", [(RegretHead, 0), (RegretAnalyzer, 1)])
def test_parts_within_10_percent(full, cls, which):
    module = full[which]
    for part, target in cls.PART_TARGETS.items():
        n = count(getattr(module, part))
        assert abs(n / target - 1) <= 0.10, f"{part}: {n:,} vs {target:,}"
    assert sum(cls.PART_TARGETS.values()) == (SPEC.head_params, SPEC.analyzer_params)[which]


@pytest.mark.parametrize("preset", ["tiny", "small", "base"])
def test_every_component_exists_at_smaller_presets(preset):
    with torch.device("meta"):
        ctx = context(preset)
        head, analyzer = build_head(ctx), build_analyzer(ctx)
    for module in (head, analyzer):
        for part in type(module).PART_TARGETS:
            assert count(getattr(module, part)) > 0
    assert len(head.ensemble.members) == 5
