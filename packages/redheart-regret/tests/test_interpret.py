"""RegretResult from model outputs, the plugin spec, configs and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from redheart.plugin_api import PluginOutputs, TextInput
from redheart.schema import REGRET_TYPES
from redheart_regret.cli import log_rows, register, theory_report
from redheart_regret.config import (
    RegretAnalyzerConfig,
    RegretHeadConfig,
    analyzer_config,
    head_config,
)
from redheart_regret.interpret import interpret
from redheart_regret.result import RegretResult
from redheart_regret.theory import analyze


@pytest.fixture
def outputs(rh):
    head, analyzer = (m.eval() for m in rh.build())
    b = rh.batch((0, 3))
    with torch.no_grad():
        h = head(b)
        return PluginOutputs(h, analyzer(b, h, {})).detach()


def test_result_with_options(outputs):
    item = TextInput("Should I take the job abroad?", "en", ["take it", "stay", "negotiate"])
    r = interpret(outputs, 1, item)
    assert isinstance(r, RegretResult)
    d = r.to_dict()
    json.dumps(d)
    assert set(d["type_probs"]) == set(REGRET_TYPES)
    assert sum(d["type_probs"].values()) == pytest.approx(1.0, abs=1e-5)
    assert len(r.options) == 3 and r.recommended in (0, 1, 2)
    # the recommendation is regret theory applied to the analyzer's tree
    values = outputs.final("tree_values")[1, :3].double().numpy()
    probs = outputs.final("state_probs")[1].double().numpy()
    a = analyze(values, probs / probs.sum())
    assert r.recommended == a.expected_regret_choice
    assert r.options[r.recommended].expected_regret == min(o.expected_regret for o in r.options)
    assert "lowest expected regret" in r.reason
    lo, hi = r.options[0].p_good_interval
    assert 0 <= lo <= r.options[0].p_good <= hi <= 1
    assert len(r.trajectory) == 6 and r.uncertainty >= 0


def test_result_without_options(outputs):
    r = interpret(outputs, 0, TextInput("I never called her back.", "en"))
    assert r.options == [] and r.recommended is None
    assert "no decision" in r.reason
    with pytest.raises(IndexError, match="out of range"):
        interpret(outputs, 5, TextInput("x", "en"))


def test_plugin_spec_imports_without_torch():
    code = ("import sys; from redheart_regret.plugin import SPEC; "
            "assert 'torch' not in sys.modules, 'torch imported'; print(SPEC.name)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "regret"


def test_spec_targets_load():
    from redheart_regret.plugin import SPEC

    for attr in ("head", "analyzer", "loss", "interpret", "cli"):
        assert callable(SPEC.load(attr))
    assert SPEC.optional == ("bentham", "emotion")


def test_configs_round_trip_and_validate():
    from redheart.config import get_preset

    for preset in ("tiny", "small", "base", "full"):
        h, a = head_config(get_preset(preset)), analyzer_config(get_preset(preset))
        assert RegretHeadConfig.from_json(h.to_json()) == h
        assert RegretAnalyzerConfig.from_dict(a.to_dict()) == a
    with pytest.raises(ValueError, match="at least 2 members"):
        RegretHeadConfig(32, 4, 16, 16, 16, n_members=1)
    with pytest.raises(ValueError, match="divisible"):
        RegretHeadConfig(30, 4, 16, 16, 16)
    with pytest.raises(ValueError, match="unknown RegretHeadConfig fields"):
        RegretHeadConfig.from_dict({"d_model": 32, "wat": 1})


def test_cli_theory_report_and_registration():
    rep = theory_report({"payoffs": [[0.8, 0.2, -0.4], [0.5, 0.4, 0.0], [0.1, 0.3, 0.3]],
                         "probs": [0.5, 0.3, 0.2], "options": ["A", "B", "C"],
                         "chosen": 1, "outcomes": [0.8, 0.5, 0.1]})
    assert rep["minimax_choice"] == "B" and rep["expected_regret_choice"] == "A"
    assert rep["experienced_regret"] == pytest.approx(0.3)
    assert rep["anticipated_regret"] == pytest.approx(0.21)
    with pytest.raises(ValueError, match="payoffs"):
        theory_report({})
    import argparse

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["regret-theory", "-", "--json"])
    assert callable(args.func)


def test_cli_logs_rows():
    from pathlib import Path

    folder = Path("/work/shared/data/decision_logs")
    if not folder.is_dir():
        pytest.skip(f"{folder} is not available here")
    rows = log_rows(folder)
    assert len(rows) == 21
    assert all(r["experienced"] >= 0 for r in rows)
