"""SURD on the public test vectors (exact pmfs, values in bits)."""

from __future__ import annotations

import numpy as np
import pytest

from redheart_surd import surd

H_08 = 0.8112781244591328  # H(1/4) in bits: I(T;A) of AND


def _check(result, expected: dict[str, float], total: float, leak: float) -> None:
    terms = result.terms()
    for label, value in terms.items():
        assert value == pytest.approx(expected.get(label, 0.0), abs=1e-9), label
    assert result.total_information == pytest.approx(total, abs=1e-9)
    assert result.leak == pytest.approx(leak, abs=1e-9)


def test_xor_is_pure_synergy(bits_pmf):
    _check(surd(bits_pmf(lambda a, b: a ^ b)), {"S12": 1.0}, 1.0, 0.0)


def test_and(bits_pmf):
    _check(surd(bits_pmf(lambda a, b: a & b)), {"R12": H_08 - 0.5, "S12": 0.5}, H_08, 0.0)
    assert H_08 - 0.5 == pytest.approx(0.311278, abs=1e-6)


def test_copy_of_first_source_is_unique(bits_pmf):
    _check(surd(bits_pmf(lambda a, b: a)), {"U1": 1.0}, 1.0, 0.0)


def test_two_bit_copy(bits_pmf):
    _check(surd(bits_pmf(lambda a, b: 2 * a + b)), {"R12": 1.0, "S12": 1.0}, 2.0, 0.0)


def test_identical_sources_are_redundant(bits_pmf):
    pmf = np.zeros((2, 2, 2))
    pmf[0, 0, 0] = pmf[1, 1, 1] = 0.5
    _check(surd(pmf), {"R12": 1.0}, 1.0, 0.0)


def test_noisy_copy_leaks(bits_pmf):
    pmf = np.zeros((2, 2, 2))
    for a1 in (0, 1):
        for a2 in (0, 1):
            pmf[a1, a1, a2] += 0.25 * 0.9
            pmf[1 - a1, a1, a2] += 0.25 * 0.1
    h = -(0.9 * np.log2(0.9) + 0.1 * np.log2(0.1))
    _check(surd(pmf), {"U1": 1 - h}, 1 - h, h)
    assert 1 - h == pytest.approx(0.531004, abs=1e-6)


def test_biased_and_row_of_the_notes(bits_pmf):
    result = surd(bits_pmf(lambda a, b: a & b, p_one=(0.3, 0.6)))
    terms = result.terms()
    assert result.total_information == pytest.approx(0.680077, abs=1e-6)
    assert terms["R12"] == pytest.approx(0.151303, abs=1e-6)
    assert terms["U1"] == pytest.approx(0.237489, abs=1e-6)
    assert terms["U2"] == pytest.approx(0.0, abs=1e-12)
    assert terms["S12"] == pytest.approx(0.291285, abs=1e-6)
    assert result.leak == pytest.approx(0.0, abs=1e-12)


def test_three_bit_parity(bits_pmf):
    result = surd(bits_pmf(lambda a, b, c: a ^ b ^ c, 3))
    _check(result, {"S123": 1.0}, 1.0, 0.0)


def test_xor_pair_plus_copy_is_tie_sensitive(bits_pmf):
    # i_3 = i_12 = i_13 = i_23 = 1 bit for every τ: only singletons-first tie breaking gives U3.
    result = surd(bits_pmf(lambda a, b, c: 2 * (a ^ b) + c, 3))
    _check(result, {"U3": 1.0, "S123": 1.0}, 2.0, 0.0)


def test_counts_and_probabilities_agree_and_input_is_not_mutated(bits_pmf):
    pmf = bits_pmf(lambda a, b: a & b, p_one=(0.3, 0.6))
    counts = np.rint(pmf * 1000).astype(np.int64)
    before = counts.copy()
    a = surd(counts).terms()
    b = surd(counts / counts.sum()).terms()
    assert a == pytest.approx(b, abs=1e-12)
    np.testing.assert_array_equal(counts, before)


def test_any_numeric_dtype_gives_the_same_result(bits_pmf):
    counts = np.rint(bits_pmf(lambda a, b: a & b, p_one=(0.3, 0.6)) * 100)
    expected = surd(counts).terms()
    for dtype in (np.uint8, np.int16, np.float32):
        assert surd(counts.astype(dtype)).terms() == pytest.approx(expected, abs=1e-12)
    copy = np.zeros((2, 2, 2), dtype=bool)
    copy[0, 0, 0] = copy[1, 1, 1] = True
    assert surd(copy).terms() == pytest.approx({"R12": 1.0, "U1": 0.0, "U2": 0.0, "S12": 0.0})


def test_units_follow_base(bits_pmf):
    pmf = bits_pmf(lambda a, b: a & b)
    bits = surd(pmf)
    nats = surd(pmf, base=np.e)
    assert nats.terms()["S12"] == pytest.approx(0.5 * np.log(2), abs=1e-12)
    assert nats.leak == pytest.approx(bits.leak, abs=1e-12)
    assert nats.unit == "nats" and bits.unit == "bits"
