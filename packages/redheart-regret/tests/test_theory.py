"""Regret theory on hand-computed textbook examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from redheart_regret import theory as th

# Three options × three states; hand computation:
#   column maxima (0.8, 0.4, 0.3); regret A (0, .2, .7), B (.3, 0, .3), C (.7, .1, 0)
#   max regret A .7, B .3, C .7 → minimax B
#   with p = (.5, .3, .2): ER A .20, B .21, C .38; EU A .38, B .37, C .20
U = [[0.8, 0.2, -0.4], [0.5, 0.4, 0.0], [0.1, 0.3, 0.3]]
P = [0.5, 0.3, 0.2]


def test_regret_matrix_hand_computed():
    expected = [[0.0, 0.2, 0.7], [0.3, 0.0, 0.3], [0.7, 0.1, 0.0]]
    np.testing.assert_allclose(th.regret_matrix(U), expected, atol=1e-12)


def test_expected_and_minimax_regret_hand_computed():
    np.testing.assert_allclose(th.expected_regret(U, P), [0.20, 0.21, 0.38], atol=1e-12)
    np.testing.assert_allclose(th.expected_utility(U, P), [0.38, 0.37, 0.20], atol=1e-12)
    np.testing.assert_allclose(th.max_regret(U), [0.7, 0.3, 0.7], atol=1e-12)
    assert th.minimax_regret_choice(U) == 1
    a = th.analyze(U, P)
    assert a.minimax_choice == 1 and a.expected_regret_choice == 0


def test_expected_regret_equals_expected_best_minus_expected_utility():
    # Linearity: ER_i = E[max_j U_j] − EU_i, so the two criteria rank options alike.
    rng = np.random.default_rng(3)
    u = rng.uniform(-1, 1, size=(4, 5))
    p = rng.dirichlet(np.ones(5))
    np.testing.assert_allclose(th.expected_regret(u, p),
                               u.max(0) @ p - th.expected_utility(u, p), atol=1e-12)


def test_textbook_minimax_regret_in_money():
    # Taylor, Introduction to Management Science: apartment / office / warehouse under good and
    # poor economic conditions. Regrets: (50k, 0), (0, 70k), (70k, 20k) → apartment.
    money = [[50_000, 30_000], [100_000, -40_000], [30_000, 10_000]]
    np.testing.assert_allclose(th.max_regret(money, low=None, high=None), [50_000, 70_000, 70_000])
    assert th.minimax_regret_choice(money, low=None, high=None) == 0


def test_anticipated_vs_experienced():
    c = th.compare_regret(U, P, chosen=1, outcomes=[0.8, 0.5, 0.1])
    assert c.anticipated == pytest.approx(0.21)
    assert c.experienced == pytest.approx(0.3)
    assert c.surprise == pytest.approx(0.09)


@pytest.mark.parametrize("payoffs, probs, match", [
    ([[0.1, 0.2]], [0.5, 0.5], "at least 2 options"),
    ([[0.1, float("nan")], [0.2, 0.3]], [0.5, 0.5], "NaN"),
    ([[1.5, 0.2], [0.2, 0.3]], [0.5, 0.5], "≤ 1"),
    ([[0.1, 0.2], [0.2, 0.3]], [0.5, 0.6], "sum to 1"),
    ([[0.1, 0.2], [0.2, 0.3]], [0.5, 0.3, 0.2], "one probability per state"),
    ([], [1.0], "empty"),
])
def test_bad_inputs(payoffs, probs, match):
    with pytest.raises(ValueError, match=match):
        th.expected_regret(payoffs, probs)


def test_experienced_regret_bad_inputs():
    with pytest.raises(ValueError, match="one value per option"):
        th.experienced_regret([0.3], 0)
    with pytest.raises(ValueError, match="chosen must be in"):
        th.experienced_regret([0.3, 0.4], 2)


def test_backward_induction_two_stage_tree():
    # push: .5·.4 + .5·(−.6) = −.1 > withdraw −.2; launch: .6·.8 + .4·(−.1) = .44 > wait .3
    later = th.Choice((("push", th.Chance(((0.5, th.Outcome(0.4)), (0.5, th.Outcome(-0.6))))),
                       ("withdraw", th.Outcome(-0.2))), label="after failure")
    root = th.Choice((("launch", th.Chance(((0.6, th.Outcome(0.8)), (0.4, later)))),
                      ("wait", th.Outcome(0.3))), label="root")
    s = th.solve(root)
    assert s.value == pytest.approx(0.44)
    assert s.best == "launch"
    assert s.option_regrets == pytest.approx({"launch": 0.0, "wait": 0.14})
    assert s.policy() == ["launch", "push"]
    assert s.children[0].children[1].option_regrets == pytest.approx(
        {"push": 0.0, "withdraw": 0.1})


def test_tree_from_payoffs_matches_matrix():
    s = th.solve(th.from_payoffs(U, P, ["A", "B", "C"]))
    np.testing.assert_allclose(list(s.option_values.values()), th.expected_utility(U, P))
    assert s.best == "A"
    assert s.option_regrets["C"] == pytest.approx(0.18)


def test_tree_bad_inputs():
    with pytest.raises(ValueError, match="sum to 1"):
        th.Chance(((0.5, th.Outcome(1.0)), (0.4, th.Outcome(0.0))))
    with pytest.raises(ValueError, match="at least 2 options"):
        th.Choice((("only", th.Outcome(0.0)),))
    with pytest.raises(ValueError, match="non-finite"):
        th.Outcome(float("inf"))


def test_beta_bernoulli_closed_form():
    post = th.BetaBelief(2.0, 3.0).update(4, 1)
    assert (post.alpha, post.beta) == (6.0, 4.0)
    assert post.mean == pytest.approx(0.6)
    assert post.variance == pytest.approx(24 / (100 * 11))
    lo, hi = post.credible_interval(0.9)
    assert (lo, hi) == pytest.approx(tuple(stats.beta.ppf([0.05, 0.95], 6, 4)))


def test_beta_posterior_matches_numerical_bayes_rule():
    # Posterior mean by integrating prior × likelihood on [0, 1], no conjugacy assumed.
    a, b, s, f = 1.5, 2.5, 3, 7

    def unnorm(p):
        return stats.beta.pdf(p, a, b) * p**s * (1 - p) ** f

    z = integrate.quad(unnorm, 0, 1)[0]
    mean = integrate.quad(lambda p: p * unnorm(p), 0, 1)[0] / z
    assert th.BetaBelief(a, b).update(s, f).mean == pytest.approx(mean, rel=1e-8)


def test_update_options_and_thompson():
    priors = [th.BetaBelief.from_mean(0.5, 2.0), th.BetaBelief.from_mean(0.25, 4.0)]
    post = th.update_options(priors, [(0, True), (0, True), (1, False), (0, False)])
    assert (post[0].alpha, post[0].beta) == (3.0, 2.0)
    assert (post[1].alpha, post[1].beta) == (1.0, 4.0)
    assert th.thompson_choice(post, seed=0) == th.thompson_choice(post, seed=0)
    with pytest.raises(ValueError, match="option must be in"):
        th.update_options(priors, [(2, True)])
    with pytest.raises(ValueError, match=r"p must be in \(0, 1\)"):
        th.BetaBelief.from_mean(1.0)


def test_temporal_curves_hand_values():
    assert th.action_regret(0.5, 0.0) == pytest.approx(0.5)
    assert th.action_regret(1.0, 30.0) == pytest.approx(0.2 + 0.8 / math.e)
    assert th.inaction_regret(1.0, 0.0) == pytest.approx(0.3)
    assert th.inaction_regret(1.0, 365.0) == pytest.approx(0.3 + 0.7 * (1 - 1 / math.e))
    t = np.array(th.HORIZONS_DAYS)
    assert np.all(np.diff(th.action_regret(1.0, t)) < 0)
    assert np.all(np.diff(th.inaction_regret(1.0, t)) > 0)
    tc = th.crossing_time()
    assert tc == pytest.approx(44.65, abs=0.01)
    assert th.action_regret(1.0, tc) == pytest.approx(th.inaction_regret(1.0, tc), abs=1e-9)
    np.testing.assert_allclose(th.mixed_trajectory(0.6, 1.0, 0.0, t), th.action_regret(0.6, t))
    np.testing.assert_allclose(th.mixed_trajectory(0.6, 0.0, 0.0, t), 0.6)


def test_temporal_bad_inputs():
    with pytest.raises(ValueError, match="≥ 0"):
        th.action_regret(0.5, [-1.0])
    with pytest.raises(ValueError, match="r0 must be in"):
        th.inaction_regret(1.5, [1.0])
    with pytest.raises(ValueError, match="tau_action"):
        th.TemporalParams(tau_action=0.0)
    with pytest.raises(ValueError, match="sum ≤ 1"):
        th.mixed_trajectory(0.5, 0.7, 0.6)
