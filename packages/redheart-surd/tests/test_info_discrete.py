"""Plug-in entropies and (conditional) mutual informations against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from redheart_surd.info import (
    conditional_entropy,
    conditional_mutual_information,
    entropy,
    mutual_information,
)


def test_entropy_of_fair_bit_and_miller_madow():
    x = np.array([0, 0, 1, 1])
    assert entropy(x) == pytest.approx(1.0, abs=1e-15)
    # H_MM = H + (m - 1)/(2n) nats with m = 2 occupied states, n = 4.
    assert entropy(x, correction="miller-madow", base=math.e) == pytest.approx(
        math.log(2) + 1 / 8, abs=1e-15)
    assert entropy(np.array([0, 0, 0, 1])) == pytest.approx(0.8112781244591328, abs=1e-15)


def test_joint_rows_and_conditional_entropy():
    x = np.array([0, 0, 1, 1])
    y = np.array([0, 1, 0, 1])
    assert entropy(np.stack([x, y], axis=1)) == pytest.approx(2.0, abs=1e-15)
    assert conditional_entropy(x, y) == pytest.approx(1.0, abs=1e-15)
    assert conditional_entropy(x, x) == pytest.approx(0.0, abs=1e-15)


def test_xor_mutual_informations():
    x = np.array([0, 0, 1, 1] * 5)
    y = np.array([0, 1, 0, 1] * 5)
    z = x ^ y
    assert mutual_information(x, y) == pytest.approx(0.0, abs=1e-15)
    assert mutual_information(x, z) == pytest.approx(0.0, abs=1e-15)
    assert conditional_mutual_information(x, y, z) == pytest.approx(1.0, abs=1e-15)
    assert mutual_information(x, x) == pytest.approx(1.0, abs=1e-15)


def test_miller_madow_reduces_bias():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 8, size=(200, 30))
    plain = np.mean([entropy(c) for c in x.T])
    corrected = np.mean([entropy(c, correction="miller-madow") for c in x.T])
    assert abs(corrected - 3.0) < abs(plain - 3.0)


def test_binning_on_the_fly():
    rng = np.random.default_rng(1)
    u = rng.random(5000)
    assert entropy(u, bins=4) == pytest.approx(2.0, abs=0.01)


def test_errors():
    with pytest.raises(ValueError, match="correction"):
        entropy([0, 1], correction="jackknife")
    with pytest.raises(ValueError, match="different numbers"):
        mutual_information([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="NaN"):
        entropy([0.0, np.nan])
    with pytest.raises(ValueError, match="sample"):
        entropy(np.array([]))
