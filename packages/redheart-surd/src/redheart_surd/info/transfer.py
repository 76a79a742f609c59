"""Transfer entropy TE_{X→Y} = I(Y_t ; X_{t−d}^{(l)} | Y_{t−1}^{(k)}).

Y_{t−1}^{(k)} = (Y_{t−1}, …, Y_{t−k}) is the target's own past, X_{t−d}^{(l)} = (X_{t−d}, …,
X_{t−d−l+1}) the source's past at delay d ≥ 1. Three estimators of the conditional MI:

* ``"plugin"``: discrete plug-in (data already discrete, or binned with ``bins``); bits by
  default; equals pyinform's ``transfer_entropy(x, y, k)`` for l = d = 1.

The source history length l is the ``source_history`` argument.
* ``"ksg"``: Frenzel–Pompe k-NN; nats by default.
* ``"gaussian"``: linear-Gaussian (Granger-type) conditional MI, ½ ln of the ratio of residual
  variances; nats by default.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_finite_1d, same_length
from .discrete import conditional_mutual_information
from .gaussian import gaussian_conditional_mutual_information
from .knn import ksg_conditional_mutual_information

_METHODS = ("plugin", "ksg", "gaussian")


def embed(source: np.ndarray, target: np.ndarray, k: int, source_history: int, delay: int
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Delay embedding for TE.

    Returns:
        (future (m, 1), source past (m, l), target past (m, k)) with l = ``source_history``
        and m = n − max(k, d + l − 1).
    """
    n = target.shape[0]
    start = max(k, delay + source_history - 1)
    if n - start < 3:
        raise ValueError(
            f"series of length {n} is too short for k={k}, source_history={source_history}, "
            f"delay={delay}; need at least "
            f"{start + 3} samples"
        )
    t = np.arange(start, n)
    future = target[t][:, None]
    target_past = np.stack([target[t - j] for j in range(1, k + 1)], axis=1)
    source_past = np.stack([source[t - delay - j] for j in range(source_history)], axis=1)
    return future, source_past, target_past


def transfer_entropy(
    source: object,
    target: object,
    *,
    k: int = 1,
    source_history: int = 1,
    delay: int = 1,
    method: str = "gaussian",
    bins: int | None = None,
    n_neighbors: int = 3,
    base: float | None = None,
    seed: int = 0,
) -> float:
    """Transfer entropy from ``source`` to ``target``.

    Args:
        source: (n,) series X.
        target: (n,) series Y.
        k: target history length (≥ 1).
        source_history: source history length l (≥ 1).
        delay: source-to-target delay d (≥ 1).
        method: ``"plugin"``, ``"ksg"`` or ``"gaussian"``.
        bins: for ``"plugin"`` on continuous data, equal-width bins per series (histogramdd
            semantics); ``None`` means the data are already discrete states.
        n_neighbors: k of the k-NN estimator.
        base: logarithm base; ``None`` = 2 (bits) for ``"plugin"``, e (nats) otherwise.
        seed: seed of the KSG tie-breaking jitter.
    """
    if method not in _METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {_METHODS}")
    for name, value in (("k", k), ("source_history", source_history), ("delay", delay)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    x = as_finite_1d(source, "source")
    y = as_finite_1d(target, "target")
    same_length(source=x, target=y)
    if method == "plugin":
        if bins is not None:
            from ..binning import discretize

            x = discretize(x, bins, "equal", "source").codes
            y = discretize(y, bins, "equal", "target").codes
        future, src, own = embed(x, y, k, source_history, delay)
        return conditional_mutual_information(future, src, own, base=2.0 if base is None else base)
    future, src, own = embed(x.astype(np.float64), y.astype(np.float64), k, source_history,
                             delay)
    base = math.e if base is None else base
    if method == "gaussian":
        return gaussian_conditional_mutual_information(future, src, own, base=base)
    return ksg_conditional_mutual_information(future, src, own, n_neighbors, base=base, seed=seed)
