"""Causal networks and the result object's views and serialisation."""

from __future__ import annotations

import json

import numpy as np
import pytest

from redheart_surd import SurdResult, causal_network, surd


def _chain(n: int = 5000, seed: int = 0) -> np.ndarray:
    # x1 drives x2 drives x3, one step apart; x1 is white noise.
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((3, n))
    for t in range(1, n):
        x[1, t] = 0.9 * x[0, t - 1] + 0.3 * x[1, t]
        x[2, t] = 0.9 * x[1, t - 1] + 0.3 * x[2, t]
    return x


def test_network_recovers_a_chain_and_exports_json():
    net = causal_network(_chain(), 1, bins=5, names=["a", "b", "c"])
    u = net.unique_matrix()
    assert u.shape == (3, 3)
    assert u[0, 1] > 5 * max(u[1, 1], u[2, 1])  # a -> b
    assert u[1, 2] > 5 * max(u[0, 2], u[2, 2])  # b -> c
    nodes = {n["name"]: n for n in net.nodes()}
    assert nodes["a"]["leak"] > 0.95  # white noise: nothing explains it
    assert nodes["b"]["leak"] < nodes["a"]["leak"]
    data = json.loads(net.to_json())
    assert {e["kind"] for e in data["edges"]} <= {"unique", "redundant", "synergistic"}
    strongest = max(data["edges"], key=lambda e: e["value"])
    assert strongest["kind"] == "unique" and strongest["target"] in {"b", "c"}
    assert all(e["value"] > 0 for e in data["edges"])
    assert data["results"]["b"]["terms"] == pytest.approx(net.results["b"].terms())


def test_network_threshold_and_names():
    net = causal_network(_chain(2000), 1, bins=4, threshold=0.05)
    assert all(e.value > 0.05 for e in net.edges())
    with pytest.raises(ValueError, match="distinct names"):
        causal_network(_chain(100), 1, bins=3, names=["a", "a", "b"])


def test_result_views_and_round_trip(bits_pmf):
    r = surd(bits_pmf(lambda a, b: a & b), names=["rain", "sprinkler"])
    norm = r.normalized()
    assert sum(norm.values()) == pytest.approx(1.0, abs=1e-12)
    assert norm["S12"] == pytest.approx(0.5 / 0.8112781244591328, abs=1e-12)
    assert list(r.terms()) == ["R12", "U1", "U2", "S12"]
    data = json.loads(r.to_json())
    assert data["unit"] == "bits"
    assert data["mutual_information"]["I12"] == pytest.approx(0.8112781244591328)
    back = SurdResult.from_dict(data)
    assert back.terms() == pytest.approx(r.terms(), abs=0)
    assert back.mutual_information == r.mutual_information
    assert back.leak == r.leak and back.names == ["rain", "sprinkler"]
    assert "S12" in r.summary()


def test_labels_with_ten_sources():
    pmf = np.zeros((2,) * 11)
    pmf[(0,) * 11] = pmf[(1,) * 10 + (0,)] = 0.5  # T = A1 = ... = A9 ... copies, A10 constant
    r = surd(pmf, max_order=1)
    assert "R1.2.3.4.5.6.7.8.9" in r.terms()
    assert r.terms()["R1.2.3.4.5.6.7.8.9"] == pytest.approx(1.0)
    assert SurdResult.from_dict(r.to_dict()).terms() == pytest.approx(r.terms())


def test_normalized_view_needs_information():
    pmf = np.full((2, 2), 0.25)
    r = surd(pmf)
    assert r.total_information == pytest.approx(0.0, abs=1e-15)
    assert r.leak == pytest.approx(1.0)
    with pytest.raises(ValueError, match="undefined"):
        r.normalized()
    assert r.to_dict()["normalized_terms"] is None
