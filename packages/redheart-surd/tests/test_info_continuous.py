"""KSG, Kozachenko–Leonenko, Gaussian and copula estimators; transfer entropy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import digamma

from redheart_surd.info import (
    copula_normalize,
    gaussian_conditional_entropy,
    gaussian_conditional_mutual_information,
    gaussian_copula_mutual_information,
    gaussian_entropy,
    gaussian_mutual_information,
    kl_entropy,
    knn_conditional_entropy,
    ksg_conditional_mutual_information,
    ksg_mutual_information,
    transfer_entropy,
)

TE_ANALYTIC = 0.134832  # nats, x' = .5x + e, y' = .5y + .5x + n (see the package README)


def _gaussian_pair(rho: float, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], n)


def _brute_force_ksg(x: np.ndarray, y: np.ndarray, k: int) -> float:
    """KSG algorithm 1 with explicit O(n^2) max-norm distance matrices (a reference)."""
    dx = np.abs(x[:, None] - x[None, :])
    dy = np.abs(y[:, None] - y[None, :])
    dz = np.maximum(dx, dy)
    np.fill_diagonal(dz, np.inf)
    eps = np.sort(dz, axis=1)[:, k - 1]
    np.fill_diagonal(dx, np.inf)
    np.fill_diagonal(dy, np.inf)
    nx = (dx < eps[:, None]).sum(axis=1)
    ny = (dy < eps[:, None]).sum(axis=1)
    n = x.size
    return float(digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1)))


def test_ksg_matches_brute_force_reference():
    z = _gaussian_pair(0.6, 400, 0)
    x, y = z[:, 0] / z[:, 0].std(), z[:, 1] / z[:, 1].std()
    for k in (1, 3, 5):
        assert ksg_mutual_information(x, y, k, jitter=0.0) == pytest.approx(
            _brute_force_ksg(x, y, k), abs=1e-12)


@pytest.mark.parametrize("rho", [0.5, 0.9])
def test_mi_of_correlated_gaussians(rho):
    z = _gaussian_pair(rho, 20000, 7)
    exact = -0.5 * math.log(1 - rho**2)
    assert ksg_mutual_information(z[:, 0], z[:, 1]) == pytest.approx(exact, abs=0.02)
    assert gaussian_mutual_information(z[:, 0], z[:, 1]) == pytest.approx(exact, abs=0.01)
    assert gaussian_copula_mutual_information(z[:, 0], z[:, 1]) == pytest.approx(exact, abs=0.01)


def test_gaussian_mi_is_the_sample_correlation_formula():
    z = _gaussian_pair(0.3, 500, 1)
    r = np.corrcoef(z.T)[0, 1]
    assert gaussian_mutual_information(z[:, 0], z[:, 1]) == pytest.approx(
        -0.5 * math.log(1 - r**2), abs=1e-12)
    assert gaussian_mutual_information(z[:, 0], z[:, 1], base=2) == pytest.approx(
        -0.5 * math.log2(1 - r**2), abs=1e-12)


def test_copula_is_invariant_to_monotone_transforms():
    z = _gaussian_pair(0.7, 3000, 2)
    a = gaussian_copula_mutual_information(z[:, 0], z[:, 1])
    b = gaussian_copula_mutual_information(np.exp(z[:, 0]), z[:, 1] ** 3)
    assert a == pytest.approx(b, abs=1e-12)
    scores = copula_normalize(np.array([3.0, 1.0, 2.0, 2.0]))
    assert scores[1, 0] < scores[2, 0] == scores[3, 0] < scores[0, 0]


def test_entropies_of_a_standard_normal():
    rng = np.random.default_rng(3)
    x = 2.0 * rng.standard_normal(20000)
    exact = 0.5 * math.log(2 * math.pi * math.e * 4.0)
    assert kl_entropy(x) == pytest.approx(exact, abs=0.03)
    assert gaussian_entropy(x) == pytest.approx(exact, abs=0.02)
    z = _gaussian_pair(0.8, 20000, 4)
    cond = 0.5 * math.log(2 * math.pi * math.e * (1 - 0.64))
    assert gaussian_conditional_entropy(z[:, 0], z[:, 1]) == pytest.approx(cond, abs=0.02)
    assert knn_conditional_entropy(z[:, 0], z[:, 1]) == pytest.approx(cond, abs=0.04)


def test_conditional_mi_of_a_chain_is_zero():
    # x -> y -> w: I(x; w | y) = 0.
    rng = np.random.default_rng(5)
    x = rng.standard_normal(5000)
    y = x + rng.standard_normal(5000)
    w = y + rng.standard_normal(5000)
    assert abs(gaussian_conditional_mutual_information(x, w, y)) < 0.003
    assert abs(ksg_conditional_mutual_information(x, w, y)) < 0.02
    assert gaussian_mutual_information(x, w) > 0.1


def _coupled_ar(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    e = rng.standard_normal((2, n + 500))
    x = np.zeros(n + 500)
    y = np.zeros(n + 500)
    for t in range(1, n + 500):
        x[t] = 0.5 * x[t - 1] + e[0, t]
        y[t] = 0.5 * y[t - 1] + 0.5 * x[t - 1] + e[1, t]
    return x[500:], y[500:]


def test_transfer_entropy_analytic_value():
    # Sigma = A Sigma A^T + I with A = [[.5, 0], [.5, .5]] gives TE = 0.134832 nats.
    a = np.array([[0.5, 0.0], [0.5, 0.5]])
    sigma = np.linalg.solve(np.eye(4) - np.kron(a, a), np.eye(2).ravel()).reshape(2, 2)
    te = 0.5 * math.log(1 + 0.25 * (sigma[0, 0] - sigma[0, 1] ** 2 / sigma[1, 1]))
    assert te == pytest.approx(TE_ANALYTIC, abs=1e-6)


def test_linear_gaussian_transfer_entropy():
    x, y = _coupled_ar(100_000, 0)
    assert transfer_entropy(x, y) == pytest.approx(TE_ANALYTIC, abs=0.004)
    assert abs(transfer_entropy(y, x)) < 0.001
    # x_{t-2} adds nothing once x_{t-1} and y_{t-1} are known.
    assert transfer_entropy(x, y, source_history=2) == pytest.approx(TE_ANALYTIC, abs=0.004)
    assert abs(transfer_entropy(x, y, delay=2, k=1)) > 0.01  # x_{t-2} still informs via y


def test_ksg_transfer_entropy():
    x, y = _coupled_ar(10_000, 1)
    assert transfer_entropy(x, y, method="ksg") == pytest.approx(TE_ANALYTIC, abs=0.02)
    assert abs(transfer_entropy(y, x, method="ksg")) < 0.01


def test_plugin_transfer_entropy_of_a_delayed_copy():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 2, 20000)
    y = np.r_[0, x[:-1]]  # y_t = x_{t-1}
    assert transfer_entropy(x, y, method="plugin") == pytest.approx(1.0, abs=0.002)
    assert abs(transfer_entropy(y, x, method="plugin")) < 0.002
    assert transfer_entropy(x, np.r_[0, 0, x[:-2]], method="plugin", delay=2) == pytest.approx(
        1.0, abs=0.002)


def test_errors():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(50)
    with pytest.raises(ValueError, match="constant"):
        ksg_mutual_information(x, np.ones(50))
    with pytest.raises(ValueError, match="k must"):
        ksg_mutual_information(x, x, k=0)
    with pytest.raises(ValueError, match="sample"):
        ksg_mutual_information(x[:3], x[:3], k=3)
    with pytest.raises(ValueError, match="singular"):
        gaussian_mutual_information(np.stack([x, x], axis=1), x)
    with pytest.raises(ValueError, match="method"):
        transfer_entropy(x, x, method="bayes")
    with pytest.raises(ValueError, match="too short"):
        transfer_entropy(x[:4], x[:4], k=3)
    with pytest.raises(ValueError, match="different numbers"):
        transfer_entropy(x, x[:40])


def test_ksg_is_deterministic_for_a_seed():
    z = _gaussian_pair(0.5, 2000, 9)
    z = np.round(z, 1)  # ties: the jitter decides, reproducibly
    a = ksg_mutual_information(z[:, 0], z[:, 1], seed=1)
    assert a == ksg_mutual_information(z[:, 0], z[:, 1], seed=1)
    assert a != ksg_mutual_information(z[:, 0], z[:, 1], seed=2)
