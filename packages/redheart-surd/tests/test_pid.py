"""Williams–Beer I_min PID."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from redheart_surd.info import williams_beer_pid
from redheart_surd.info.pid import redundancy_lattice


def test_lattice_sizes():
    assert [len(redundancy_lattice(n)) for n in (1, 2, 3, 4)] == [1, 4, 18, 166]
    with pytest.raises(ValueError, match="sources"):
        redundancy_lattice(5)


def test_and_gate(bits_pmf):
    pid = williams_beer_pid(bits_pmf(lambda a, b: a & b))
    assert pid.atoms[((1,), (2,))] == pytest.approx(0.3112781244591328, abs=1e-12)
    assert pid.atoms[((1, 2),)] == pytest.approx(0.5, abs=1e-12)
    assert pid.atoms[((1,),)] == pytest.approx(0.0, abs=1e-12)
    assert pid.to_dict()["atoms"]["{1}{2}"] == pytest.approx(0.3112781244591328)


def test_three_bit_parity_is_top_synergy(bits_pmf):
    pid = williams_beer_pid(bits_pmf(lambda a, b, c: a ^ b ^ c, 3))
    for alpha, value in pid.atoms.items():
        assert value == pytest.approx(1.0 if alpha == ((1, 2, 3),) else 0.0, abs=1e-12)


def test_atoms_sum_to_total_information():
    rng = np.random.default_rng(0)
    pmf = rng.random((3, 2, 2, 2))
    pid = williams_beer_pid(pmf)
    assert sum(pid.atoms.values()) == pytest.approx(pid.redundancy[((1, 2, 3),)], abs=1e-12)


def test_three_sources_against_dit():
    dit = pytest.importorskip("dit")
    from dit.pid import PID_WB

    rng = np.random.default_rng(9)
    pmf = rng.random((2, 2, 2, 2))
    pmf /= pmf.sum()
    outcomes = [(a, b, c, t) for t, a, b, c in itertools.product((0, 1), repeat=4)]
    probs = [pmf[t, a, b, c] for a, b, c, t in outcomes]
    ref = PID_WB(dit.Distribution(outcomes, probs), [[0], [1], [2]], [3])
    ours = williams_beer_pid(pmf)
    for alpha, value in ours.atoms.items():
        key = tuple(tuple(i - 1 for i in a) for a in alpha)
        assert value == pytest.approx(ref.get_pi(key), abs=1e-9), alpha
