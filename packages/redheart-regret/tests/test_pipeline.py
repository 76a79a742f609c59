"""The plugin inside core's pipeline (untrained tiny model: plumbing only, not quality)."""

from __future__ import annotations

import pytest

from redheart.plugin_api import TextInput
from redheart_regret.result import RegretResult


def _pipeline(*plugins: str):
    pipeline_mod = pytest.importorskip("redheart.pipelines")
    return pipeline_mod.pipeline(*plugins, preset="tiny", encoder="tiny-16", allow_untrained=True)


def test_regret_alone_in_a_pipeline():
    pipe = _pipeline("regret")
    reports = pipe([TextInput("I never called her back.", "en"),
                    TextInput("이직을 할까, 남을까?", "ko", options=["이직한다", "남는다"])])
    first, second = (r.results["regret"] for r in reports)
    assert isinstance(first, RegretResult) and first.recommended is None
    assert len(second.options) == 2 and second.recommended in (0, 1)
    second.to_json()


def test_regret_with_upstream_plugins_when_installed():
    from redheart.plugins import registry

    have = set(registry().plugins)
    if not {"bentham", "emotion"} <= have:
        pytest.skip("redheart-bentham and redheart-emotion are not both installed")
    pipe = _pipeline("emotion", "bentham", "regret")
    report = pipe(TextInput("Should I move for the job?", "en", options=["move", "stay", "wait"]))
    assert len(report.results["regret"].options) == 3
