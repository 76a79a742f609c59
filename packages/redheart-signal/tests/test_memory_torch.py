import numpy as np
import pytest

torch = pytest.importorskip("torch")

from redheart_signal.memory import EmotionalMemory  # noqa: E402
from redheart_signal.memory_torch import EmotionalMemoryModule  # noqa: E402


def _stream() -> torch.Tensor:
    g = torch.Generator().manual_seed(0)
    return torch.randn(3, 12, 8, generator=g, dtype=torch.float64)


def test_matches_numpy_and_has_at_most_32_parameters():
    mod = EmotionalMemoryModule().double()
    n_params = sum(p.numel() for p in mod.parameters())
    assert n_params == 4 and n_params <= 32
    x = _stream()
    with torch.no_grad():
        mod.gains.copy_(torch.tensor([0.5, 1.5, 0.8, 2.0]))
    ref = EmotionalMemory(gains=np.array([0.5, 1.5, 0.8, 2.0]))
    out = mod(x, dt=0.5)
    assert out.shape == (3, 12, 8)
    for b in range(3):
        np.testing.assert_allclose(out[b].detach().numpy(), ref(x[b].numpy(), dt=0.5),
                                   atol=1e-12)


def test_gradients_determinism_and_strict_round_trip():
    mod = EmotionalMemoryModule().double().eval()
    x = _stream()
    loss = mod(x).pow(2).mean()
    loss.backward()
    for p in mod.parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all() and p.grad.abs().sum() > 0
    assert torch.equal(mod(x), mod(x))
    clone = EmotionalMemoryModule().double()
    clone.load_state_dict(mod.state_dict(), strict=True)
    assert torch.equal(clone(x), mod(x))


def test_learning_the_gains_reduces_the_loss():
    mod = EmotionalMemoryModule().double()
    x = _stream()
    target = EmotionalMemoryModule().double()
    with torch.no_grad():
        target.gains.copy_(torch.tensor([0.2, 2.0, 1.0, 0.5]))
        y = target(x)
    opt = torch.optim.Adam(mod.parameters(), lr=0.05)
    losses = []
    for _ in range(30):
        opt.zero_grad()
        loss = (mod(x) - y).pow(2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0]


def test_bad_torch_inputs():
    mod = EmotionalMemoryModule()
    with pytest.raises(ValueError, match="B, T, D"):
        mod(torch.zeros(4, 8))
    with pytest.raises(ValueError, match="NaN"):
        mod(torch.full((1, 2, 8), float("nan")))
    with pytest.raises(ValueError, match="dt"):
        mod(torch.zeros(1, 2, 8), dt=-1.0)
