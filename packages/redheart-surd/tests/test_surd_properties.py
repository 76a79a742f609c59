"""Properties of SURD on random distributions; equality with Williams–Beer I_min for N = 2."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from redheart_surd import surd
from redheart_surd.decomposition import decompose_table
from redheart_surd.info import williams_beer_pid
from redheart_surd.joint import JointTable, Marginal


def _random_pmf(rng: np.random.Generator, shape: tuple[int, ...], zeros: float = 0.3) -> np.ndarray:
    p = rng.random(shape)
    p[rng.random(shape) < zeros] = 0.0
    p.flat[0] += 0.1  # never all zero
    return p / p.sum()


@pytest.mark.parametrize("shape", [(3, 2, 4), (2, 3, 3, 2), (4, 2, 2, 2, 3)])
def test_terms_sum_to_mi_leak_and_nonnegative(shape):
    rng = np.random.default_rng(sum(shape))
    for _ in range(5):
        pmf = _random_pmf(rng, shape)
        r = surd(pmf)
        total = sum(r.redundant.values()) + sum(r.synergistic.values())
        assert total == pytest.approx(r.total_information, abs=1e-12)
        # Leak = H(T|A)/H(T), with H(T|A) computed directly from the pmf.
        p_a = pmf.sum(axis=0, keepdims=True)
        nz = pmf > 0
        h_cond = -(pmf[nz] * np.log2((pmf / np.where(p_a > 0, p_a, 1.0))[nz])).sum()
        p_t = pmf.sum(axis=tuple(range(1, pmf.ndim)))
        h_t = -(p_t[p_t > 0] * np.log2(p_t[p_t > 0])).sum()
        assert r.entropy == pytest.approx(h_t, abs=1e-12)
        assert r.leak == pytest.approx(h_cond / h_t, abs=1e-12)
        assert r.leak == pytest.approx(1 - r.total_information / r.entropy, abs=1e-12)
        assert min(r.terms().values()) >= -1e-12
        assert abs(r.residual) < 1e-12


def test_mutual_information_matches_direct_formula():
    rng = np.random.default_rng(5)
    pmf = _random_pmf(rng, (3, 2, 3))
    r = surd(pmf)
    p_t = pmf.sum(axis=(1, 2))
    p_a = pmf.sum(axis=0)
    nz = pmf > 0
    direct = (pmf[nz] * np.log2(pmf[nz] / (p_t[:, None, None] * p_a[None])[nz])).sum()
    assert r.total_information == pytest.approx(direct, abs=1e-12)
    p_t1 = pmf.sum(axis=2)
    p_1 = pmf.sum(axis=(0, 2))
    nz1 = p_t1 > 0
    direct1 = (p_t1[nz1] * np.log2(p_t1[nz1] / np.outer(p_t, p_1)[nz1])).sum()
    assert r.mutual_information[(1,)] == pytest.approx(direct1, abs=1e-12)


def test_two_sources_equal_williams_beer_own_lattice():
    rng = np.random.default_rng(11)
    for _ in range(10):
        pmf = _random_pmf(rng, (3, 3, 2))
        r = surd(pmf).terms()
        atoms = williams_beer_pid(pmf).atoms
        assert r["R12"] == pytest.approx(atoms[((1,), (2,))], abs=1e-12)
        assert r["U1"] == pytest.approx(atoms[((1,),)], abs=1e-12)
        assert r["U2"] == pytest.approx(atoms[((2,),)], abs=1e-12)
        assert r["S12"] == pytest.approx(atoms[((1, 2),)], abs=1e-12)


def test_two_sources_equal_dit_williams_beer():
    dit = pytest.importorskip("dit")
    from dit.pid import PID_WB

    rng = np.random.default_rng(3)
    for _ in range(5):
        pmf = _random_pmf(rng, (2, 3, 2), zeros=0.2)
        outcomes, probs = [], []
        for idx in itertools.product(*(range(s) for s in pmf.shape)):
            if pmf[idx] > 0:
                outcomes.append((idx[1], idx[2], idx[0]))
                probs.append(pmf[idx])
        d = dit.Distribution(outcomes, probs)
        pid = PID_WB(d, [[0], [1]], [2])
        r = surd(pmf).terms()
        assert r["R12"] == pytest.approx(pid.get_pi(((0,), (1,))), abs=1e-9)
        assert r["U1"] == pytest.approx(pid.get_pi(((0,),)), abs=1e-9)
        assert r["U2"] == pytest.approx(pid.get_pi(((1,),)), abs=1e-9)
        assert r["S12"] == pytest.approx(pid.get_pi(((0, 1),)), abs=1e-9)


def test_full_redundancy_equals_imin_bottom_for_three_sources():
    rng = np.random.default_rng(8)
    pmf = _random_pmf(rng, (3, 2, 2, 3))
    r = surd(pmf)
    pid = williams_beer_pid(pmf)
    assert r.redundant[(1, 2, 3)] == pytest.approx(pid.atoms[((1,), (2,), (3,))], abs=1e-12)


def test_relabelling_sources_permutes_keys():
    rng = np.random.default_rng(21)
    pmf = _random_pmf(rng, (3, 2, 3, 4))
    r = surd(pmf)
    perm = (2, 0, 1)  # new source j is old source perm[j] (0-based)
    r2 = surd(np.transpose(pmf, (0, *(1 + p for p in perm))))

    def old(subset):
        return tuple(sorted(perm[j - 1] + 1 for j in subset))

    for s, v in r2.redundant.items():
        assert v == pytest.approx(r.redundant[old(s)], abs=1e-12)
    for s, v in r2.synergistic.items():
        assert v == pytest.approx(r.synergistic[old(s)], abs=1e-12)
    assert r2.leak == pytest.approx(r.leak, abs=1e-12)


def test_sparse_and_dense_tables_agree():
    rng = np.random.default_rng(2)
    pmf = _random_pmf(rng, (3, 4, 4, 4), zeros=0.9)  # mostly empty -> analysed sparsely
    assert JointTable.from_dense(pmf).full.dense is None
    sparse = surd(pmf)
    forced_dense = decompose_table(
        JointTable(pmf.shape[0], pmf.shape[1:], Marginal((1, 2, 3), dense=pmf))
    )
    assert forced_dense.terms() == pytest.approx(sparse.terms(), abs=1e-12)
    assert forced_dense.mutual_information == pytest.approx(sparse.mutual_information, abs=1e-12)
    assert forced_dense.leak == pytest.approx(sparse.leak, abs=1e-12)


def test_max_order_caps_synergy():
    rng = np.random.default_rng(4)
    pmf = _random_pmf(rng, (2, 2, 2, 2))
    r = surd(pmf, max_order=2)
    assert all(len(s) <= 2 for s in r.synergistic)
    assert r.residual >= -1e-12
    assert sum(r.redundant.values()) + sum(r.synergistic.values()) + r.residual == pytest.approx(
        r.total_information, abs=1e-12)
    parity = surd(np.stack([np.indices((2, 2, 2)).sum(0) % 2 == t for t in (0, 1)]).astype(float),
                  max_order=2)
    assert parity.residual == pytest.approx(1.0, abs=1e-12)


def test_reference_epsilon_convention_differs_negligibly():
    # The reference adds 1e-14 to every cell (8 cells here: ~1e-12 bits of difference).
    pmf = np.zeros((2, 2, 2))
    pmf[0, 0, 0] = pmf[1, 1, 1] = 0.5
    exact = surd(pmf).terms()
    fudged = surd(pmf + 1e-14).terms()
    assert exact == pytest.approx(fudged, abs=1e-11)
    assert exact["R12"] == 1.0
