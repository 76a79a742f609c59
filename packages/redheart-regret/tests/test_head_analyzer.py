"""Shapes, ranges, gradients, masking, determinism and save/load of the head and analyzer."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch

from redheart.labels import LabelBatch
from redheart.plugin_api import PluginOutputs
from redheart_regret import theory
from redheart_regret.losses import compute_loss
from redheart_regret.scenarios import expected_utility_and_regret


def run(head, analyzer, b, upstream=None):
    h = head(b)
    return PluginOutputs(h, analyzer(b, h, upstream or {}))


def test_shapes_and_ranges(rh, tiny):
    head, analyzer = (m.eval() for m in tiny)
    out = run(head, analyzer, rh.batch(), rh.fake_upstream(4, 4))
    f = out.final
    assert f("anticipated").shape == (4,)
    assert f("regret_type_probs").shape == (4, 6)
    assert f("uncertainty").shape == (4,)
    for key in ("utilities", "p_good", "option_regret", "p_good_std"):
        assert f(key).shape == (4, 4)
    assert f("regret_trajectory").shape == (4, len(theory.HORIZONS_DAYS))
    assert torch.all((f("anticipated") >= 0) & (f("anticipated") <= 1))
    assert torch.allclose(f("regret_type_probs").sum(-1), torch.ones(4))
    assert torch.all(f("uncertainty") >= 0)
    assert torch.all(f("utilities").abs() <= 1) and torch.all(f("option_regret") >= 0)
    assert torch.all((f("p_good") >= 0) & (f("p_good") <= 1))
    # padded option slots are zero: row 1 has 2 options
    assert torch.all(f("utilities")[1, 2:] == 0) and torch.all(f("p_good")[1, 2:] == 0)


def test_no_options_batch_has_no_option_keys(rh, tiny):
    head, analyzer = (m.eval() for m in tiny)
    from redheart.testing import fake_encoded_batch

    b = fake_encoded_batch(["regret"], batch=3)
    out = run(head, analyzer, b)
    assert "utilities" not in out.head and "utilities" not in out.analyzer
    assert out.final("anticipated").shape == (3,)
    # the GRU still runs over the S imagined alternatives, which differ from one another
    states = out.head["slot_states"]
    assert not torch.allclose(states[:, 0], states[:, 1])


def _labels(b: int, k: int = 4, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    kmax = 4
    option_mask = torch.zeros(b, kmax, dtype=torch.bool)
    counts = [0, 2, 3, 4][:b]
    for i, c in enumerate(counts):
        option_mask[i, :c] = True
    values = {
        "regret_anticipated": torch.rand(b, generator=g),
        "regret_type": torch.randint(0, 6, (b,), generator=g),
        "utilities": (torch.rand(b, kmax, generator=g) * 2 - 1) * option_mask,
        "p_good": torch.rand(b, kmax, generator=g) * option_mask,
        "option_mask": option_mask,
    }
    masks = {"regret_anticipated": torch.ones(b, dtype=torch.bool),
             "regret_type": torch.ones(b, dtype=torch.bool),
             "utilities": option_mask.clone(), "p_good": option_mask.clone(),
             "option_mask": option_mask.any(-1)}
    return LabelBatch(values, masks)


def test_every_parameter_gets_a_finite_gradient(rh):
    head, analyzer = rh.build()
    head.train()
    analyzer.train()
    b = rh.batch()
    labels = _labels(4)
    total = sum(compute_loss(run(head, analyzer, b), labels).values())
    total = total + sum(compute_loss(run(head, analyzer, b, rh.fake_upstream(4, 4)), labels).values())
    total.backward()
    for name, p in list(head.named_parameters(prefix="head")) + list(
            analyzer.named_parameters(prefix="analyzer")):
        assert p.grad is not None, f"{name} got no gradient"
        assert torch.isfinite(p.grad).all(), f"{name} has a non-finite gradient"
        assert p.grad.abs().sum() > 0, f"{name} has an all-zero gradient"


def test_loss_terms_are_finite_scalars(rh, tiny):
    head, analyzer = tiny
    losses = compute_loss(run(head, analyzer, rh.batch()), _labels(4))
    assert {"anticipated", "regret_type", "utilities", "p_good", "ranking", "trajectory",
            "ensemble_anticipated", "p_good_beta_nll"} <= set(losses)
    for name, v in losses.items():
        assert v.dim() == 0 and torch.isfinite(v), name


@pytest.mark.parametrize("label, output", [
    ("regret_anticipated", "anticipated"),
    ("utilities", "utilities"),
    ("p_good", "p_good_logits"),
])
def test_missing_label_gives_zero_gradient(rh, tiny, label, output):
    head, analyzer = (m.eval() for m in tiny)
    out = run(head, analyzer, rh.batch())
    target = out.analyzer[output]
    target.retain_grad()
    labels = _labels(4)
    if labels.masks[label].dim() == 1:
        labels.masks[label][2] = False
        labels.values[label][2] = float("nan")  # garbage in an unlabelled slot must not leak
    else:
        labels.masks[label][2, :] = False
        labels.values[label][2, :] = float("nan")
    sum(compute_loss(out, labels).values()).backward()
    assert target.grad is not None
    assert torch.all(target.grad[2] == 0)
    assert torch.any(target.grad[3] != 0)


def test_eval_is_deterministic(rh, tiny):
    head, analyzer = (m.eval() for m in tiny)
    b = rh.batch()
    with torch.no_grad():
        a = run(head, analyzer, b)
        c = run(head, analyzer, b)
    for key in a.analyzer:
        assert torch.equal(a.analyzer[key], c.analyzer[key]), key
    assert torch.equal(a.head["uncertainty"], c.head["uncertainty"])


def test_strict_state_dict_round_trip(rh, tiny):
    head, analyzer = (m.eval() for m in tiny)
    b = rh.batch()
    buf = io.BytesIO()
    torch.save({"head": head.state_dict(), "analyzer": analyzer.state_dict()}, buf)
    buf.seek(0)
    state = torch.load(buf)
    head2, analyzer2 = rh.build(seed=123)
    head2.load_state_dict(state["head"], strict=True)
    analyzer2.load_state_dict(state["analyzer"], strict=True)
    head2.eval()
    analyzer2.eval()
    with torch.no_grad():
        a, c = run(head, analyzer, b), run(head2, analyzer2, b)
    for key in a.analyzer:
        assert torch.equal(a.analyzer[key], c.analyzer[key]), key


def test_upstream_changes_the_output(rh, tiny):
    head, analyzer = (m.eval() for m in tiny)
    b = rh.batch()
    with torch.no_grad():
        alone = run(head, analyzer, b).final("anticipated")
        fused = run(head, analyzer, b, rh.fake_upstream(4, 4)).final("anticipated")
    assert not torch.allclose(alone, fused)


def test_gru_ignores_padding_and_slot_order_of_padding(rh, tiny):
    head, _ = (m.eval() for m in tiny)
    b = rh.batch((2, 3))
    with torch.no_grad():
        ref = head(b)["utilities"]
        b.options[0, 2:] = 1e3  # garbage in padded slots
        again = head(b)["utilities"]
    assert torch.allclose(ref, again)


def test_expected_utility_and_regret_match_theory(rh):
    g = torch.Generator().manual_seed(0)
    u = torch.rand(2, 4, 3, generator=g, dtype=torch.float64) * 2 - 1
    p = torch.softmax(torch.randn(2, 3, generator=g, dtype=torch.float64), -1)
    mask = torch.tensor([[True, True, True, False], [True, True, True, True]])
    eu, er = expected_utility_and_regret(u, p, mask)
    for i in range(2):
        n = int(mask[i].sum())
        np.testing.assert_allclose(er[i, :n], theory.expected_regret(u[i, :n], p[i]), atol=1e-12)
        np.testing.assert_allclose(eu[i, :n], theory.expected_utility(u[i, :n], p[i]), atol=1e-12)
    assert er[0, 3] == 0 and eu[0, 3] == 0


def test_temporal_prior_matches_theory(rh):
    from redheart_regret.temporal_net import horizon_curves, theory_prior

    r0, pa, pi = torch.tensor([0.7]), torch.tensor([0.5]), torch.tensor([0.3])
    got = theory_prior(r0, pa, pi, horizon_curves())[0].double().numpy()
    np.testing.assert_allclose(got, theory.mixed_trajectory(0.7, 0.5, 0.3), rtol=1e-6)


def test_bad_inputs(rh, tiny):
    head, analyzer = tiny
    b = rh.batch()
    b.features["regret"][0, 0] = float("nan")
    with pytest.raises(ValueError, match="NaN"):
        head(b)
    b = rh.batch()
    b.features = {}
    with pytest.raises(KeyError, match="no 'regret' entry"):
        head(b)
    b = rh.batch()
    b.option_mask[1, 1] = False  # a decision with one option
    with pytest.raises(ValueError, match="at least 2 options"):
        head(b)
    b = rh.batch()
    b.mask[0] = False
    with pytest.raises(ValueError, match="at least one real token"):
        head(b)
    b = rh.batch()
    b.tokens = b.tokens[..., :5]
    with pytest.raises(ValueError, match="tokens must be"):
        head(b)
    b = rh.batch()
    with pytest.raises(KeyError, match="RegretHead outputs"):
        analyzer(b, {}, {})
    bad_up = {"bentham": PluginOutputs({}, {"factors": torch.rand(4, 10)})}
    with pytest.raises(KeyError, match="did not output 'hedonic'"):
        analyzer(b, head(b), bad_up)


def test_each_option_is_judged_against_the_others(rh, tiny):
    head, _ = (m.eval() for m in tiny)
    b = rh.batch((3, 3))
    with torch.no_grad():
        before = head(b)["slot_states"][:, 0].clone()
        b.options[:, 2] += 1.0  # change only the last option
        after = head(b)["slot_states"][:, 0]
    # the backward GRU direction carries option 3 into option 1's state
    assert not torch.allclose(before, after)


def test_a_row_does_not_depend_on_the_rest_of_the_batch(rh, tiny):
    from redheart.plugin_api import EncodedBatch

    head, analyzer = (m.eval() for m in tiny)
    b = rh.batch((0, 2, 3, 4))
    with torch.no_grad():
        full = run(head, analyzer, b)
        for i, k in ((1, 2), (2, 3)):
            t = int(b.mask[i].sum())
            single = EncodedBatch(b.tokens[i:i + 1, :t], b.mask[i:i + 1, :t],
                                  {"regret": b.features["regret"][i:i + 1]}, b.lang[i:i + 1],
                                  b.options[i:i + 1, :k], b.option_mask[i:i + 1, :k])
            one = run(head, analyzer, single)
            for key in ("anticipated", "utilities", "p_good", "option_regret", "uncertainty"):
                got, ref = one.final(key)[0], full.final(key)[i]
                if got.dim():
                    ref = ref[:k]
                assert torch.allclose(got, ref, atol=1e-5), (key, i)
