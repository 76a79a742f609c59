"""SURD from samples and time series: equality with the pmf path on the same histogram."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from redheart_surd import surd
from redheart_surd.binning import discretize
from redheart_surd.samples import SparseHistogramWarning, surd_from_samples, surd_from_series


def _series(n: int = 4000, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((3, n))
    for t in range(1, n):
        x[1, t] += 0.8 * x[0, t - 1]
        x[2, t] += 0.5 * x[1, t - 1] * x[0, t - 1]
    return x


def _same(a, b, tol=1e-12):
    assert a.terms() == pytest.approx(b.terms(), abs=tol)
    assert a.leak == pytest.approx(b.leak, abs=tol)
    assert a.mutual_information == pytest.approx(b.mutual_information, abs=tol)


def test_equal_width_codes_reproduce_histogramdd():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(1000)
    x[3] = x.max()  # values on the last edge land in the last bin
    codes = discretize(x, 7).codes
    hist, _ = np.histogram(x, 7)
    np.testing.assert_array_equal(np.bincount(codes, minlength=7), hist)


@pytest.mark.parametrize("budget", [2**30, 0])  # dense and sparse counting
def test_series_equals_pmf_of_reference_histogram(budget):
    x = _series()
    lag = 2
    stacked = np.vstack([x[1, lag:], x[:, :-lag]])
    hist, _ = np.histogramdd(stacked.T, 5)
    _same(surd_from_series(x, 1, lag, bins=5, memory_budget=budget), surd(hist))


def test_samples_equals_pmf_with_quantile_bins():
    x = _series(2000)
    t, s = x[2, 1:], x[:2, :-1]
    edges = [np.unique(np.quantile(v, np.linspace(0, 1, 5))) for v in (t, *s)]
    hist, _ = np.histogramdd(np.vstack([t, *s]).T, edges)
    _same(surd_from_samples(t, s, bins=4, binning="quantile"), surd(hist))
    _same(surd_from_samples(t, s, bins=list(edges)), surd(hist))


def test_several_lags_at_once():
    x = _series(3000)
    r = surd_from_series(x[:2], 1, lag=[1, 2], bins=4, names=["a", "b"])
    assert r.n_sources == 4
    assert r.names == ["a(t-1)", "b(t-1)", "a(t-2)", "b(t-2)"]
    # x1 is driven by x0 at lag 1: the strongest unique term is source 1 = a(t-1).
    assert max(r.unique, key=r.unique.get) == 1
    stacked = np.vstack([x[1, 2:], x[0, 1:-1], x[1, 1:-1], x[0, :-2], x[1, :-2]])
    hist, _ = np.histogramdd(stacked.T, 4)
    _same(r, surd(hist))


def test_driver_is_found_in_a_lagged_series():
    x = _series()
    r = surd_from_series(x, 1, 1, bins=6)
    u = r.unique
    assert u[1] > 10 * max(u[2], u[3])
    assert r.total_information > 0.3


def test_sparse_histogram_warning():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 200))
    with pytest.warns(SparseHistogramWarning, match="spurious synergy"):
        surd_from_samples(x[0], x[1:], bins=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        surd_from_samples(x[0], x[1:2], bins=3)


def test_max_order_on_samples_matches_pmf_path():
    x = _series(3000)
    stacked = np.vstack([x[2, 1:], x[:, :-1]])
    hist, _ = np.histogramdd(stacked.T, 4)
    _same(surd_from_series(x, 2, 1, bins=4, max_order=2), surd(hist, max_order=2))


def test_quantile_bins_are_equal_frequency_and_merge_ties():
    from redheart_surd.binning import per_variable

    x = np.arange(100.0)
    d = discretize(x, 4, "quantile")
    np.testing.assert_array_equal(np.bincount(d.codes), [25, 25, 25, 25])
    tied = np.r_[np.zeros(80), np.arange(1.0, 21.0)]
    assert discretize(tied, 4, "quantile").n_bins < 4
    assert per_variable(3, 2) == [3, 3]
    with pytest.raises(TypeError, match="bins must be"):
        per_variable("ten", 2)


def test_explicit_edges_per_variable():
    rng = np.random.default_rng(3)
    t, s = rng.random(500), rng.random(500)
    edges = np.linspace(0.0, 1.0, 5)
    hist, _ = np.histogramdd(np.vstack([t, s]).T, [edges, edges])
    _same(surd_from_samples(t, [s], bins=edges), surd(hist))
