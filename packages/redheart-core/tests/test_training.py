import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from train_helpers import config, fake_registry, synthetic_records

from redheart.checkpoint import read_checkpoint
from redheart.data import parse_record
from redheart.training.metrics import MetricCollector, _option_metrics, macro_f1
from redheart.training.split import (
    LabelError,
    check_degenerate,
    is_validation,
    label_report,
    split_records,
)
from redheart.training.trainer import Trainer, lr_lambda

HERE = Path(__file__).parent


def test_split_is_deterministic_by_id():
    recs = synthetic_records(200)
    train, val = split_records(recs, 0.2)
    assert 20 <= len(val) <= 60 and len(train) + len(val) == 200
    assert split_records(list(reversed(recs)), 0.2)[1] == sorted(val, key=lambda r: -int(r.id[2:]))
    assert is_validation("abc", 0.5) == is_validation("abc", 0.5)
    with pytest.raises(ValueError, match="fraction"):
        is_validation("abc", 1.5)


def test_label_report_and_degenerate_labels():
    recs = synthetic_records(20)
    reports = {r.name: r for r in label_report(recs)}
    assert reports["valence"].labelled == 20 and reports["emotion (dominant)"].labelled == 0
    assert reports["valence"].missing_rate == 0 and reports["emotion (dominant)"].missing_rate == 1
    check_degenerate(label_report(recs))
    constant = [parse_record({"id": f"c{i}", "lang": "en", "text": "x", "valence": 0.3,
                              "regret": {"type": "action"}}) for i in range(5)]
    with pytest.raises(LabelError) as info:
        check_degenerate(label_report(constant))
    assert "valence: constant target 0.3" in str(info.value)
    assert "regret.type: every labelled record has the same class 'action'" in str(info.value)


def test_schedule_warms_up_then_decays():
    f = lr_lambda(100, 0.1, 0.1)
    assert f(0) == pytest.approx(0.1) and f(9) == pytest.approx(1.0)
    assert f(99) == pytest.approx(0.1, abs=1e-3) and f(50) < f(20)


def test_metrics_hand_computed():
    assert macro_f1(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1])) == pytest.approx((2 / 3 + 0.8) / 2)
    pred = np.array([[0.9, 0.1, 0.5, np.nan]])
    true = np.array([[0.8, -0.2, 0.1, 0.0]])
    mask = np.array([[True, True, True, False]])
    m = _option_metrics(pred, true, mask)
    assert m == {"option_pair_acc": 1.0, "option_best_acc": 1.0}
    m = _option_metrics(-pred, true, mask)
    assert m["option_pair_acc"] == 0.0 and m["option_best_acc"] == 0.0


def test_metric_collector_reads_plugin_outputs():
    from redheart.labels import collate_labels
    from redheart.plugin_api import PluginOutputs

    recs = [parse_record({"id": f"m{i}", "lang": "en", "text": "t", "valence": v, "arousal": 0.5})
            for i, v in enumerate([-0.5, 0.0, 0.5, 1.0])]
    pred = torch.tensor([-0.4, 0.1, 0.4, 0.8])
    out = {"emotion": PluginOutputs({"valence": pred, "arousal": torch.full((4,), 0.5)}, {})}
    c = MetricCollector()
    c.update(out, collate_labels(recs), torch.tensor([1, 1, 0, 0]))
    m = c.compute(by_language=True)
    assert m["valence_mae"] == pytest.approx((0.1 + 0.1 + 0.1 + 0.2) / 4)
    assert m["valence_r"] == pytest.approx(np.corrcoef(pred, [-0.5, 0, 0.5, 1])[0, 1], abs=1e-6)
    assert "arousal_r" not in m  # constant target: undefined, not reported as 0
    assert m["valence_mae/ko"] == pytest.approx(0.15)


def test_training_learns_and_writes_checkpoints(tmp_path):
    trainer = Trainer(config(str(tmp_path), epochs=6, save_every=0, lr=1e-3), reg=fake_registry(),
                      records=synthetic_records(80))
    before = trainer.validate()["val_loss"]
    out = trainer.fit()
    lines = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    assert len(lines) == 6 and lines[-1]["val_loss"] < before
    assert "valence_mae" not in lines[-1] or lines[-1]["valence_mae"] >= 0
    assert "val_mood.valence" in lines[-1] and "val_judge.hedonic" in lines[-1]
    meta, tensors = read_checkpoint(out / "best.safetensors")
    assert meta.encoder == "tiny-16" and set(meta.plugins) == {"mood", "judge"}
    from redheart.pipelines import Pipeline

    pipe = Pipeline(["mood"], checkpoint=out / "best.safetensors", reg=fake_registry())
    assert -1 <= pipe("a wonderful day").results["mood"].valence <= 1


def _weights(path: Path) -> dict:
    return read_checkpoint(path)[1]


def test_sigkill_mid_epoch_then_resume_gives_identical_weights(tmp_path):
    env = {**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1"}
    script = str(HERE / "train_helpers.py")
    full, killed = tmp_path / "full", tmp_path / "killed"
    subprocess.run([sys.executable, script, str(full), "2"], check=True, env=env)
    # 30 training records / batch 4 → 8 steps per epoch; die after step 11 (in epoch 2)
    proc = subprocess.run([sys.executable, script, str(killed), "2", "11"], env=env)
    assert proc.returncode == -9, "the run should have been SIGKILLed"
    assert not (killed / "last.safetensors").exists()
    subprocess.run([sys.executable, script, str(killed), "2"], check=True, env=env)
    a, b = _weights(full / "last.safetensors"), _weights(killed / "last.safetensors")
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), f"{k} differs after resume"


def test_gradient_check_passes_on_fake_plugins(tmp_path):
    from redheart.training.gradcheck import gradient_check

    cfg = config(str(tmp_path), samples=3)
    import redheart.plugins as plugins

    old = plugins._REGISTRY
    plugins._REGISTRY = fake_registry()
    try:
        report = gradient_check(cfg, synthetic_records())
    finally:
        plugins._REGISTRY = old
    assert report.ok, report.format()
    assert "RESULT: PASS" in report.format()


def test_label_check_covers_only_the_trained_fields():
    constant = [parse_record({"id": f"c{i}", "lang": "en", "text": "x", "valence": 0.1 * i,
                              "legal_risk": {"life": 0.0}}) for i in range(5)]
    reports = label_report(constant)
    check_degenerate(reports, {"valence"})  # legal_risk is constant but not trained
    with pytest.raises(LabelError, match="legal_risk.life"):
        check_degenerate(reports, {"valence", "legal_risk"})


def test_early_stopping_keeps_the_best_epoch(tmp_path):
    trainer = Trainer(config(str(tmp_path), epochs=30, save_every=0, lr=3e-3, patience=2),
                      reg=fake_registry(), records=synthetic_records())
    trainer.fit()
    lines = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    best = min(range(len(lines)), key=lambda i: lines[i]["val_loss"]) + 1
    assert trainer.progress["stopped"] and len(lines) == best + 2 < 30
    assert trainer.progress["best_epoch"] == best
