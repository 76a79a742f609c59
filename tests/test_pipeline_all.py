"""The real plugins together: pipeline, checkpoints, shipped weights, gradient check."""

import json
import subprocess
import sys

import pytest
import torch

import redheart
from redheart.pipelines import shipped_weights
from redheart.plugin_api import TextInput
from redheart.plugins import registry

ANALYZERS = ["emotion", "bentham", "regret"]
TEXTS = [
    "I covered for my colleague's mistake and now my boss blames me.",
    "친구의 실수를 덮어줬는데 상사가 나를 탓한다.",
    TextInput("My friend asked me to lie for her at work.",
              options=["Lie for her", "Refuse and explain why", "Tell the manager"]),
    TextInput("이사를 갈지 말지 고민이다.", options=["이사 간다", "그대로 산다"]),
]


def _untrained():
    torch.manual_seed(0)
    return redheart.pipeline(*ANALYZERS, encoder="tiny-16", preset="tiny", allow_untrained=True)


def test_all_plugins_in_one_pipeline():
    pipe = _untrained()
    assert [s.name for s in pipe.specs] == ANALYZERS  # dependency order
    reports = pipe(TEXTS, batch_size=3)
    assert [r.lang for r in reports] == ["en", "ko", "en", "ko"]
    for r in reports:
        assert set(r.results) == set(ANALYZERS)
        json.loads(r.to_json())
    emo = reports[0].results["emotion"].to_dict()
    assert len(json.dumps(emo)) > 100
    again = [r.to_dict() for r in pipe(TEXTS[::-1], batch_size=1)][::-1]
    # batch composition changes float summation order only: equal to float32 precision
    first = _numbers([r.to_dict() for r in reports])
    assert first.keys() == _numbers(again).keys()
    assert first == pytest.approx(_numbers(again), abs=1e-5)


def _numbers(tree, path="") -> dict:
    """Flatten a report into {path: value} for the numbers and {path: str} for the rest."""
    if isinstance(tree, dict):
        return {k: v for key, sub in tree.items() for k, v in _numbers(sub, f"{path}.{key}").items()}
    if isinstance(tree, list):
        return {k: v for i, sub in enumerate(tree) for k, v in _numbers(sub, f"{path}[{i}]").items()}
    if isinstance(tree, bool) or not isinstance(tree, (int, float)):
        return {path: str(tree)}
    return {path: float(tree)}


def test_checkpoint_round_trip_and_subsets(tmp_path):
    pipe = _untrained()
    path = pipe.save(tmp_path / "all.safetensors")
    loaded = redheart.pipeline(*ANALYZERS, checkpoint=path)
    a = json.dumps([r.to_dict()["results"] for r in pipe(TEXTS)], sort_keys=True)
    b = json.dumps([r.to_dict()["results"] for r in loaded(TEXTS)], sort_keys=True)
    assert a == b  # same batches, same weights: identical to the bit
    for subset in (["emotion"], ["bentham"], ["regret"], ["emotion", "regret"]):
        redheart.pipeline(*subset, checkpoint=path)(TEXTS[2])


def _shipped():
    specs = registry().resolve(ANALYZERS)
    try:
        return shipped_weights(specs)
    except Exception as exc:  # noqa: BLE001 - reported as the skip reason
        pytest.skip(f"no shipped default weights: {exc}")


def test_shipped_default_loads_strictly_for_every_subset():
    _shipped()
    for subset in (["emotion"], ["emotion", "bentham"], ANALYZERS, ["regret"]):
        report = redheart.pipeline(*subset)(TEXTS[2])
        assert set(report.results) == set(subset) and not report.notes


def test_readme_main_command_runs():
    _shipped()
    out = subprocess.run([sys.executable, "-m", "redheart.cli", "analyze",
                          "I covered for my colleague's mistake and now my boss blames me"],
                         check=True, capture_output=True, text=True).stdout
    for name in ANALYZERS:
        assert f"{name}:" in out
    assert "valence" in out and "anticipated regret" in out  # human summaries, not raw JSON


def test_gradient_check_on_real_plugins(tmp_path, shared):
    from redheart.data import load_records
    from redheart.training.gradcheck import gradient_check
    from redheart.training.trainer import TrainConfig

    cfg = TrainConfig(data=[], preset="tiny", encoder="tiny-16", samples=3, out=str(tmp_path),
                      plugins=ANALYZERS)
    report = gradient_check(cfg, load_records(shared / "data" / "seed_corpus"))
    assert report.ok, report.format()
