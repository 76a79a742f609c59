"""Result type, interpret, plugin declaration and the radar plot."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from redheart.plugin_api import TextInput
from redheart.plugins import API_VERSION, load_object
from redheart.schema import BENTHAM_FACTORS, ETHICS, LEGAL_DOMAINS
from redheart.testing import fake_encoded_batch
from redheart_bentham.calculus import (
    WEIGHT_LAYERS,
    Context,
    Factors,
    HedonicCalculator,
    LayerWeights,
)
from redheart_bentham.interpret import interpret
from redheart_bentham.plugin import SPEC
from redheart_bentham.result import BenthamResult


@pytest.fixture
def outputs(kit):
    head, analyzer = kit.build()
    head.eval(), analyzer.eval()
    batch = fake_encoded_batch(["bentham"], batch=2, n_options=[3, 0])
    with torch.no_grad():
        return kit.run(head, analyzer, batch).detach()


def test_interpret_names_every_schema_entry(outputs) -> None:
    item = TextInput("I lent my savings to my brother", options=["lend", "refuse", "lend half"])
    result = interpret(outputs, 0, item)
    assert isinstance(result, BenthamResult)
    assert list(result.factors) == list(BENTHAM_FACTORS)
    assert list(result.ethics) == list(ETHICS)
    assert list(result.legal_risk) == list(LEGAL_DOMAINS)
    assert list(result.weights) == list(WEIGHT_LAYERS)
    assert set(result.scenarios) == {"optimistic", "neutral", "pessimistic", "expected"}
    assert result.acceptability == pytest.approx(sum(result.ethics.values()) / 4)
    assert result.hedonic == pytest.approx(float(outputs.final("hedonic")[0]))
    # ranking follows the per-option values
    values = outputs.analyzer["option_hedonic"][0, :3].tolist()
    assert result.ranking == sorted(range(3), key=lambda i: -values[i])
    assert sorted(o.rank for o in result.options) == [1, 2, 3]
    # the scenario views are the calculus on the predicted factors and weights
    views = HedonicCalculator().scenarios(Factors(**result.factors), Context(effect=result.hedonic),
                                          LayerWeights(**result.weights))
    assert result.scenarios["expected"] == pytest.approx(views.expected)
    line = result.summary()
    assert "hedonic" in line and "best option" in line
    again = json.loads(result.to_json())
    assert again["factors"] == pytest.approx(result.factors)


def test_interpret_without_options_and_bad_rows(outputs) -> None:
    result = interpret(outputs, 1, TextInput("A quiet afternoon"))
    assert result.options is None and result.ranking is None
    with pytest.raises(IndexError):
        interpret(outputs, 5, TextInput("x"))
    with pytest.raises(ValueError, match="options given"):
        interpret(outputs, 1, TextInput("x", options=["a", "b"]))


def test_spec_points_at_real_objects() -> None:
    assert SPEC.api_version == API_VERSION and SPEC.name == "bentham"
    assert SPEC.optional == ("emotion",) and SPEC.requires == ()
    for attr in ("head", "analyzer", "loss", "interpret", "cli"):
        assert callable(load_object(getattr(SPEC, attr))), attr
    assert (SPEC.head_params, SPEC.analyzer_params) == (20_000_000, 45_000_000)


def test_listing_the_plugin_does_not_import_torch() -> None:
    code = ("import sys, redheart_bentham.plugin, redheart_bentham.calculus; "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_registry_discovers_bentham() -> None:
    from redheart.plugins import discover

    assert "bentham" in discover(strict=False).plugins


def test_radar_plot(outputs) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    result = interpret(outputs, 0, TextInput("x", options=["a", "b", "c"]))
    ax = result.plot()
    assert len(ax.lines) == 1 and len(ax.get_xticklabels()) == 10
    from redheart_bentham.plot import plot_factors

    with pytest.raises(ValueError, match="lack"):
        plot_factors({"intensity": 0.5})
