"""redheart-surd: SURD causal decomposition and information theory (numpy/scipy only).

Importing this package imports neither torch nor redheart-core.
"""

import logging

from .binning import Discretized, discretize
from .decomposition import surd
from .network import CausalEdge, CausalNetwork, causal_network
from .result import SurdResult
from .samples import SparseHistogramWarning, surd_from_samples, surd_from_series

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "CausalEdge",
    "CausalNetwork",
    "Discretized",
    "SparseHistogramWarning",
    "SurdResult",
    "causal_network",
    "discretize",
    "surd",
    "surd_from_samples",
    "surd_from_series",
]
