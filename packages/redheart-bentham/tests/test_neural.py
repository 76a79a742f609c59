"""Head and analyzer: shapes, ranges, gradients, loss masking, determinism, save/load, overfit."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from redheart.labels import LabelBatch
from redheart.plugin_api import EncodedBatch
from redheart.testing import context, fake_encoded_batch
from redheart_bentham.analyzer import BenthamAnalyzer, build_analyzer
from redheart_bentham.head import BenthamHead, build_head
from redheart_bentham.losses import compute_loss


def total(terms: dict[str, torch.Tensor]) -> torch.Tensor:
    return sum(terms.values())  # type: ignore[return-value]


@pytest.mark.parametrize("n_options", [None, [2, 0, 4]])
@pytest.mark.parametrize("with_emotion", [False, True])
def test_shapes_and_ranges(kit, n_options, with_emotion) -> None:
    head, analyzer = kit.build(("emotion",) if with_emotion else ())
    batch = fake_encoded_batch(["bentham"], batch=3, n_options=n_options)
    out = kit.run(head, analyzer, batch, {"emotion": kit.fake_emotion(3)} if with_emotion else {})
    expect = {"factors": (3, 10), "ethics": (3, 4), "legal_risk": (3, 5), "hedonic": (3,),
              "horizon_hedonic": (3, 5), "stakeholder_impact": (3, 6)}
    for key, shape in expect.items():
        assert tuple(out.final(key).shape) == shape, key
    assert tuple(out.head["weights"].shape) == (3, 6)
    assert ((out.head["weights"] >= 0.3) & (out.head["weights"] <= 2.5)).all()
    assert ((out.final("factors") >= 0) & (out.final("factors") <= 1)).all()
    assert (out.final("ethics").abs() <= 1).all() and (out.final("hedonic").abs() <= 1).all()
    assert torch.allclose(out.head["expert_gates"].sum(-1), torch.ones(3))
    if n_options is None:
        assert "option_hedonic" not in out.analyzer
    else:
        oh = out.analyzer["option_hedonic"]
        assert tuple(oh.shape) == (3, 4)
        assert (oh[~batch.option_mask] == 0).all() and (oh.abs() <= 1).all()


def _grads(kit, model_pair, batch, labels, upstream):
    head, analyzer = model_pair
    out = kit.run(head, analyzer, batch, upstream)
    total(compute_loss(out, labels)).backward()
    return {f"head.{n}": p.grad for n, p in head.named_parameters()} | \
        {f"analyzer.{n}": p.grad for n, p in analyzer.named_parameters()}


@pytest.mark.parametrize("with_emotion", [False, True])
def test_every_parameter_gets_a_finite_gradient(kit, labelled, with_emotion) -> None:
    batch, labels = labelled
    pair = kit.build(("emotion",) if with_emotion else ())
    upstream = {"emotion": kit.fake_emotion(8)} if with_emotion else {}
    grads = _grads(kit, pair, batch, labels, upstream)
    # the emotion path and the "absent" vectors are alternatives: one of them is unused
    unused = ({"analyzer.base.absent_emotion", "analyzer.cultural.absent_cultural"} if with_emotion
              else {"analyzer.base.emotion.weight", "analyzer.base.emotion.bias",
                    "analyzer.cultural.cultural.weight", "analyzer.cultural.cultural.bias"})
    for name, g in grads.items():
        if name in unused:
            assert g is None, name
            continue
        assert g is not None, f"{name} got no gradient"
        assert torch.isfinite(g).all(), name
        assert g.abs().sum() > 0, f"{name} got an all-zero gradient"


def test_missing_label_gives_zero_gradient_to_its_output(kit, labelled) -> None:
    batch, labels = labelled
    head, analyzer = kit.build()
    out = kit.run(head, analyzer, batch)
    values = {k: v.clone() for k, v in labels.values.items()}
    masks = {k: m.clone() for k, m in labels.masks.items()}
    masks["hedonic"][0] = False
    masks["bentham"][1, 3] = False
    masks["ethics"][2, :] = False
    masks["legal_risk"][3, 0] = False
    masks["utilities"][0, 1] = False
    # garbage in unlabelled slots must not leak either
    values["hedonic"][0] = float("nan")
    partial = LabelBatch(values, masks)
    terms = compute_loss(out, partial)
    checks = [("hedonic", out.analyzer["hedonic"], (0,)),
              ("factors", out.analyzer["factor_logits"], (1, 3)),
              ("ethics", out.analyzer["ethics"], (2,)),
              ("legal_risk", out.analyzer["legal_logits"], (3, 0)),
              ("option_hedonic", out.analyzer["option_hedonic"], (0, 1))]
    for term, tensor, idx in checks:
        (g,) = torch.autograd.grad(terms[term], tensor, retain_graph=True)
        assert torch.isfinite(g).all(), term
        assert (g[idx] == 0).all(), f"{term}: unlabelled entry {idx} got a gradient"
        assert g.abs().sum() > 0, f"{term}: labelled entries got no gradient"


def test_no_labels_gives_graph_connected_zero(kit, labelled) -> None:
    batch, labels = labelled
    head, analyzer = kit.build()
    out = kit.run(head, analyzer, batch)
    empty = LabelBatch(labels.values, {k: torch.zeros_like(m) for k, m in labels.masks.items()})
    terms = compute_loss(out, empty)
    for name in ("factors", "hedonic", "ethics", "legal_risk", "option_hedonic"):
        assert terms[name].item() == 0.0 and terms[name].requires_grad


def test_eval_mode_is_deterministic(kit) -> None:
    head, analyzer = kit.build()
    head.eval(), analyzer.eval()
    batch = fake_encoded_batch(["bentham"], batch=4, n_options=[2, 3, 0, 4])
    with torch.no_grad():
        a, b = kit.run(head, analyzer, batch), kit.run(head, analyzer, batch)
    for key in a.analyzer:
        assert torch.equal(a.analyzer[key], b.analyzer[key]), key


def test_strict_save_load_round_trip(kit, tmp_path) -> None:
    head, analyzer = kit.build(seed=0)
    path = tmp_path / "bentham.pt"
    torch.save({"head": head.state_dict(), "analyzer": analyzer.state_dict()}, path)
    head2, analyzer2 = kit.build(seed=123)
    state = torch.load(path, weights_only=True)
    head2.load_state_dict(state["head"], strict=True)
    analyzer2.load_state_dict(state["analyzer"], strict=True)
    for m in (head, analyzer, head2, analyzer2):
        m.eval()
    batch = fake_encoded_batch(["bentham"], batch=3, n_options=[2, 4, 3])
    with torch.no_grad():
        a, b = kit.run(head, analyzer, batch), kit.run(head2, analyzer2, batch)
    for key in a.analyzer:
        assert torch.equal(a.analyzer[key], b.analyzer[key]), key


def test_fixed_seed_init_numeric_summary(kit) -> None:
    # a silent change in init or wiring changes these numbers
    head, analyzer = kit.build(seed=0)
    head.eval(), analyzer.eval()
    batch = fake_encoded_batch(["bentham"], batch=3, n_options=[2, 3, 4])
    with torch.no_grad():
        out = kit.run(head, analyzer, batch)
    n_head = sum(p.numel() for p in head.parameters())
    n_an = sum(p.numel() for p in analyzer.parameters())
    assert (n_head, n_an) == (46822, 91122)
    assert torch.isfinite(out.final("hedonic")).all()


def test_overfit_eight_seed_records(kit, labelled) -> None:
    batch, labels = labelled
    head, analyzer = kit.build(seed=0)
    params = list(head.parameters()) + list(analyzer.parameters())
    opt = torch.optim.Adam(params, lr=3e-3)
    losses = []
    for _ in range(50):
        opt.zero_grad()
        loss = total(compute_loss(kit.run(head, analyzer, batch), labels))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] <= 0.5 * losses[0], losses[::10]


@pytest.mark.parametrize("preset, head_target, analyzer_target", [("full", 20e6, 45e6)])
def test_parameter_budget_at_full(preset, head_target, analyzer_target) -> None:
    ctx = context(preset)
    with torch.device("meta"):
        head, analyzer = build_head(ctx), build_analyzer(ctx)
    n_head = sum(p.numel() for p in head.parameters())
    n_an = sum(p.numel() for p in analyzer.parameters())
    assert abs(n_head / head_target - 1) <= 0.05, n_head
    assert abs(n_an / analyzer_target - 1) <= 0.05, n_an
    for model in (head, analyzer):
        for part, target in model.PART_TARGETS.items():
            n = sum(p.numel() for p in getattr(model, part).parameters())
            assert abs(n / target - 1) <= 0.05, (part, n, target)


def test_smaller_presets_keep_every_component() -> None:
    names = None
    for preset in ("base", "small", "tiny"):
        with torch.device("meta"):
            head, analyzer = build_head(context(preset)), build_analyzer(context(preset))
        current = sorted(n for n, _ in head.named_modules()) + \
            sorted(n for n, _ in analyzer.named_modules())
        assert names is None or current == names
        names = current


def _with(batch: EncodedBatch, **changes) -> EncodedBatch:
    return dataclasses.replace(batch, **changes)


@pytest.mark.parametrize("mutate, match", [
    (lambda b: _with(b, features={}), "no 'bentham' entry"),
    (lambda b: _with(b, features={"bentham": b.features["bentham"][:, :5]}), r"must be \(B, 32\)"),
    (lambda b: _with(b, features={"bentham": b.features["bentham"] * float("nan")}), "NaN"),
    (lambda b: _with(b, mask=torch.zeros_like(b.mask)), "at least one real token"),
    (lambda b: _with(b, lang=torch.tensor([0, 5, 1])), "outside"),
    (lambda b: _with(b, option_mask=None), "without batch.option_mask"),
    (lambda b: _with(b, tokens=b.tokens[:, :, :4]), "tokens must be"),
])
def test_bad_inputs_raise_clear_errors(kit, mutate, match) -> None:
    head, _ = kit.build()
    batch = mutate(fake_encoded_batch(["bentham"], batch=3, n_options=[2, 2, 3]))
    with pytest.raises(ValueError, match=match):
        head(batch)


def test_analyzer_rejects_incomplete_upstream_and_head_out(kit) -> None:
    head, analyzer = kit.build(("emotion",))
    batch = fake_encoded_batch(["bentham"], batch=3)
    head_out = head(batch)
    bad = kit.fake_emotion(3)
    del bad.head["cultural"]
    with pytest.raises(ValueError, match="emotion upstream lacks"):
        analyzer(batch, head_out, {"emotion": bad})
    with pytest.raises(ValueError, match="head_out lacks"):
        analyzer(batch, {k: v for k, v in head_out.items() if k != "weights"}, {})


def test_models_are_typed_modules(kit) -> None:
    head, analyzer = kit.build()
    assert isinstance(head, BenthamHead) and isinstance(analyzer, BenthamAnalyzer)


@pytest.mark.parametrize("preset", ["tiny", "full"])
def test_configs_round_trip_through_json(preset) -> None:
    import json

    from redheart_bentham.analyzer import AnalyzerConfig
    from redheart_bentham.head import HeadConfig

    ctx = context(preset, ("emotion",))
    for cls in (HeadConfig, AnalyzerConfig):
        cfg = cls.from_context(ctx)
        assert cls.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg
        with pytest.raises(ValueError, match="unknown"):
            cls.from_dict({**cfg.to_dict(), "width": 3})
    with pytest.raises(ValueError, match="divisible"):
        HeadConfig(d_model=30, n_heads=4, expert_hidden=8, weight_hidden=8, legal_hidden=8)
