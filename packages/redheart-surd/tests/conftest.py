"""Shared exact pmfs for the SURD tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest


def _bits_pmf(func: Callable[..., int], n_sources: int = 2,
             p_one: tuple[float, ...] | None = None, n_target: int | None = None) -> np.ndarray:
    """Exact pmf (target axis 0) of T = func(A1..AN) with independent bits P(A_i = 1) = p_one[i]."""
    p_one = p_one or (0.5,) * n_sources
    cells = {}
    for bits in itertools.product((0, 1), repeat=n_sources):
        prob = float(np.prod([p if b else 1 - p for b, p in zip(bits, p_one)]))
        key = (func(*bits), *bits)
        cells[key] = cells.get(key, 0.0) + prob
    nt = n_target or max(k[0] for k in cells) + 1
    pmf = np.zeros((nt,) + (2,) * n_sources)
    for key, prob in cells.items():
        pmf[key] += prob
    return pmf


@pytest.fixture
def bits_pmf() -> Callable[..., np.ndarray]:
    """The exact-pmf builder for boolean systems (see ``_bits_pmf``)."""
    return _bits_pmf
