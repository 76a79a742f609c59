"""Scruples harness: known answers on a synthetic file, a fake scorer on the real dev file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from redheart_bentham.scruples import (
    ScruplesError,
    bt_cross_entropy,
    evaluate,
    fit_temperature,
    load_dilemmas,
)

DEV = Path("/work/shared/data/scruples/dev.scruples-dilemmas.jsonl")
BAD_WORDS = ("steal", "lie", "hit")


def keyword_scorer(texts):
    """Acceptability −1 when a text contains a 'bad' word, else +1 (a fake model)."""
    return np.array([-1.0 if any(w in t.lower() for w in BAD_WORDS) else 1.0 for t in texts])


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def dilemma(a0: str, a1: str, ann: list[int], controversial: bool, human: int | None = None):
    row = {"id": a0, "actions": [{"description": a0}, {"description": a1}],
           "gold_annotations": ann, "gold_label": int(ann[1] > ann[0]),
           "controversial": controversial}
    if human is not None:
        row["human_perf_label"] = human
    return row


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    return write(tmp_path / "toy.jsonl", [
        dilemma("steal a bike", "help a friend", [5, 0], False, 0),       # model right
        dilemma("water plants", "lie to my mum", [1, 4], False, 1),       # model right
        dilemma("hit the gym", "skip dinner", [0, 5], True, 0),           # model wrong
        dilemma("call my dad", "bake bread", [3, 2], True, 1),            # tie → predicts 0: right
    ])


def test_known_answers_on_synthetic_file(synthetic: Path) -> None:
    report = evaluate(load_dilemmas(synthetic), keyword_scorer, temperature=1.0)
    assert report.n == 4 and report.n_non_controversial == 2
    assert report.accuracy == pytest.approx(0.75)
    assert report.accuracy_non_controversial == pytest.approx(1.0)
    assert report.baseline_action0_accuracy == pytest.approx(0.5)
    assert report.human_accuracy == pytest.approx(0.5)
    # hand-computed CE at T = 1: s1 − s0 = 2, −2, 2, 0 with q0 = 1, 0.2, 0, 0.6
    def ce(z, q):
        p = 1 / (1 + math.exp(-z))
        return -(q * math.log(p) + (1 - q) * math.log(1 - p))
    expected = np.mean([ce(2, 1.0), ce(-2, 0.2), ce(2, 0.0), ce(0, 0.6)])
    assert report.cross_entropy == pytest.approx(expected)
    ent = np.mean([0.0, -(0.2 * math.log(0.2) + 0.8 * math.log(0.8)), 0.0,
                   -(0.6 * math.log(0.6) + 0.4 * math.log(0.4))])
    assert report.annotator_entropy == pytest.approx(ent)
    assert report.baseline_uniform_cross_entropy == pytest.approx(math.log(2))
    assert "accuracy" in report.format_table()


def test_fitted_temperature_minimises_cross_entropy() -> None:
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(200, 2))
    shares = 1 / (1 + np.exp(-(scores[:, 1] - scores[:, 0]) / 0.7))  # true T = 0.7
    t = fit_temperature(scores, shares)
    assert t == pytest.approx(0.7, rel=1e-3)
    best = bt_cross_entropy(scores, shares, t)
    for other in (0.5, 0.69, 0.71, 1.0):
        assert best <= bt_cross_entropy(scores, shares, other) + 1e-12


def test_all_ties_give_ln2(synthetic: Path) -> None:
    report = evaluate(load_dilemmas(synthetic), lambda texts: np.zeros(len(texts)))
    assert report.cross_entropy == pytest.approx(math.log(2))
    assert report.accuracy == pytest.approx(report.baseline_action0_accuracy)


@pytest.mark.parametrize("content, match", [
    ('{"actions": [{"description": "a"}], "gold_annotations": [1, 2], "gold_label": 1}',
     "exactly 2 actions"),
    ('{"actions": [{"description": "a"}, {"description": "b"}], "gold_label": 1}',
     "not a Scruples dilemma"),
    ('{"actions": [{"description": "a"}, {"description": " "}], "gold_annotations": [1, 2], "gold_label": 1}',
     "empty"),
    ("{not json", "invalid JSON"),
    ("", "no dilemmas"),
])
def test_bad_files_raise_clear_errors(tmp_path: Path, content: str, match: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ScruplesError, match=match):
        load_dilemmas(path)


def test_bad_scorer_and_arguments(synthetic: Path) -> None:
    dilemmas = load_dilemmas(synthetic)
    with pytest.raises(ScruplesError, match="one score per text"):
        evaluate(dilemmas, lambda texts: np.zeros(3))
    with pytest.raises(ScruplesError, match="NaN"):
        evaluate(dilemmas, lambda texts: np.full(len(texts), np.nan))
    with pytest.raises(ScruplesError, match="no such file"):
        load_dilemmas(synthetic.with_name("missing.jsonl"))
    with pytest.raises(ScruplesError, match="limit"):
        load_dilemmas(synthetic, limit=0)


@pytest.mark.skipif(not DEV.exists(), reason="Scruples dev file not available (/work/shared)")
def test_fake_scorer_on_real_dev_file() -> None:
    dilemmas = load_dilemmas(DEV)
    assert len(dilemmas) == 2340
    report = evaluate(dilemmas, keyword_scorer)
    assert report.n_non_controversial == 794
    assert report.baseline_action0_accuracy == pytest.approx(1211 / 2340)
    assert report.human_accuracy == pytest.approx(0.8068, abs=1e-4)
    # the fitted temperature can only improve on the uninformed ½ (p = ½ is T → ∞)
    assert report.cross_entropy <= math.log(2) + 1e-9
    assert report.annotator_entropy < report.cross_entropy
    assert len(load_dilemmas(DEV, limit=10)) == 10


def test_cli_registers_eval_scruples(synthetic: Path, monkeypatch, capsys) -> None:
    import argparse
    from types import SimpleNamespace

    from redheart_bentham import cli, scruples

    parser = argparse.ArgumentParser(prog="redheart")
    top = parser.add_subparsers(dest="command")
    evaluate_parser = top.add_parser("eval")
    cli.register(SimpleNamespace(top=top, eval=evaluate_parser.add_subparsers(dest="what")))
    args = parser.parse_args(["eval", "scruples", str(synthetic), "--limit", "3", "--json",
                              "--temperature", "1"])
    monkeypatch.setattr(scruples, "pipeline_scorer", lambda *a, **k: keyword_scorer)
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 3 and out["accuracy"] == pytest.approx(2 / 3)
    bad = parser.parse_args(["eval", "scruples", str(synthetic.with_name("nope.jsonl"))])
    assert bad.func(bad) == 2
    assert "no such file" in capsys.readouterr().err
