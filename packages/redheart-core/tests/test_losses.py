import pytest
import torch

from redheart import losses


@pytest.mark.parametrize("fn", [losses.mse, losses.huber, losses.binary_cross_entropy])
def test_unlabelled_garbage_gives_zero_gradient_and_no_nan(fn):
    pred = torch.zeros(4, requires_grad=True)
    target = torch.tensor([0.9, float("nan"), 0.2, float("inf")])
    mask = torch.tensor([True, False, True, False])
    loss = fn(pred, target, mask)
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(pred.grad).all()
    assert pred.grad[1] == 0 and pred.grad[3] == 0 and pred.grad[0] != 0


def test_distribution_losses_mask_rows_and_match_hand_values():
    logits = torch.zeros(2, 4, requires_grad=True)
    target = torch.tensor([[0.5, 0.5, 0.0, 0.0], [float("nan")] * 4])
    mask = torch.tensor([True, False])
    kl = losses.kl_divergence(logits, target, mask)
    # KL(p || uniform) with p = (½, ½, 0, 0) is ln 4 − ln 2 = ln 2
    assert kl.item() == pytest.approx(torch.log(torch.tensor(2.0)).item(), abs=1e-6)
    ce = losses.soft_cross_entropy(logits, target, mask)
    assert ce.item() == pytest.approx(torch.log(torch.tensor(4.0)).item(), abs=1e-6)
    (kl + ce).backward()
    assert torch.isfinite(logits.grad).all() and logits.grad[1].abs().sum() == 0


def test_cross_entropy_ignores_unlabelled_rows_and_empty_batch_is_graph_zero():
    logits = torch.tensor([[2.0, 0.0], [0.0, 9.0]], requires_grad=True)
    target = torch.tensor([0, 5])  # the second label is out of range but masked
    mask = torch.tensor([True, False])
    ce = losses.cross_entropy(logits, target, mask)
    assert ce.item() == pytest.approx(torch.log1p(torch.exp(torch.tensor(-2.0))).item(), abs=1e-6)
    none = losses.mse(logits[:, 0], torch.zeros(2), torch.zeros(2, dtype=torch.bool))
    none.backward()
    assert none.item() == 0.0 and logits.grad is not None
