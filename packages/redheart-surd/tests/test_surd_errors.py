"""Bad inputs raise clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from redheart_surd import surd
from redheart_surd.samples import surd_from_samples, surd_from_series


def test_pmf_errors():
    with pytest.raises(ValueError, match="NaN"):
        surd(np.array([[0.5, np.nan], [0.25, 0.25]]))
    with pytest.raises(ValueError, match="inf"):
        surd(np.array([[0.5, np.inf], [0.25, 0.25]]))
    with pytest.raises(ValueError, match="negative"):
        surd(np.array([[0.5, -0.1], [0.3, 0.3]]))
    with pytest.raises(ValueError, match="all zeros"):
        surd(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="source axis"):
        surd(np.ones(3))
    with pytest.raises(ValueError, match="single state"):
        surd(np.ones((1, 3)))
    with pytest.raises(ValueError, match="empty"):
        surd(np.ones((0, 2)))
    with pytest.raises(ValueError, match="max_order"):
        surd(np.ones((2, 2)), max_order=0)
    with pytest.raises(ValueError, match="base"):
        surd(np.ones((2, 2)), base=1)


def test_sample_errors():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(100)
    with pytest.raises(ValueError, match="NaN"):
        surd_from_samples(np.r_[x[:-1], np.nan], [x])
    with pytest.raises(ValueError, match="constant"):
        surd_from_samples(x, [np.ones(100)])
    with pytest.raises(ValueError, match="at least 2"):
        surd_from_samples(x[:1], [x[:1]])
    with pytest.raises(ValueError, match=">= 2"):
        surd_from_samples(x, [x], bins=1)
    with pytest.raises(ValueError, match="align"):
        surd_from_samples(x, [x[:50]])
    with pytest.raises(ValueError, match="sources.T"):
        surd_from_samples(x, np.stack([x, x], axis=1))
    with pytest.raises(ValueError, match="bin specs"):
        surd_from_samples(x, [x], bins=[4, 4, 4])
    with pytest.raises(ValueError, match="quantile"):
        surd_from_samples(x, [x], binning="kmeans")
    with pytest.raises(ValueError, match="outside"):
        surd_from_samples(x, [x], bins=np.linspace(-1, 1, 5))


def test_series_errors():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 50))
    with pytest.raises(ValueError, match="out of range"):
        surd_from_series(x, 2)
    with pytest.raises(ValueError, match="too few"):
        surd_from_series(x, 0, lag=49)
    with pytest.raises(ValueError, match="lags"):
        surd_from_series(x, 0, lag=0)
    with pytest.raises(ValueError, match="n_vars, n_time"):
        surd_from_series(x[0], 0)
