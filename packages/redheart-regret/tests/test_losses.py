"""Loss terms against hand-computed values and a reference implementation."""

from __future__ import annotations

import pytest
import torch
from scipy import stats

from redheart_regret.losses import _ranking_term, _regret_term


def test_ranking_term_hand_computed():
    # labels u = (0.5, 0.0, 0.02): pairs with gap > 0.05 are (0 > 1) and (0 > 2);
    # predictions (0.3, 0.25, 0.5): hinge 0.1 − (0.3 − 0.25) = 0.05 and 0.1 − (0.3 − 0.5) = 0.3
    pred = torch.tensor([[0.3, 0.25, 0.5]])
    u = torch.tensor([[0.5, 0.0, 0.02]])
    mask = torch.ones(1, 3, dtype=torch.bool)
    assert float(_ranking_term(pred, u, mask)) == pytest.approx((0.05 + 0.3) / 2)
    mask[0, 0] = False  # without option 0 no pair differs by more than the gap
    assert float(_ranking_term(pred, u, mask)) == 0.0


def test_regret_term_hand_computed():
    # labelled regret = max_j u_j − u_k = (0, 0.5, 0.3); predictions (0.1, 0.5, 0.0)
    # MSE = (0.01 + 0 + 0.09) / 3; a row with an unlabelled real option is left out
    pred = torch.tensor([[0.1, 0.5, 0.0], [0.9, 0.9, 0.9]])
    u = torch.tensor([[0.5, 0.0, 0.2], [0.1, 0.0, 0.0]])
    u_mask = torch.tensor([[True, True, True], [True, True, False]])
    opt_mask = torch.ones(2, 3, dtype=torch.bool)
    assert float(_regret_term(pred, u, u_mask, opt_mask)) == pytest.approx(0.1 / 3)


def test_beta_nll_matches_scipy():
    a, b, x = torch.tensor([2.5]), torch.tensor([4.0]), torch.tensor([0.3])
    ours = -torch.distributions.Beta(a, b).log_prob(x)
    assert float(ours) == pytest.approx(-stats.beta.logpdf(0.3, 2.5, 4.0), rel=1e-5)
