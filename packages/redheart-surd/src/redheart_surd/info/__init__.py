"""Information measures: plug-in, KSG k-NN, Gaussian, Gaussian copula, transfer entropy, I_min PID.

Units: every function takes ``base``. Discrete (plug-in) estimators and the PID default to bits
(base 2); continuous estimators (KSG, Gaussian, Gaussian copula) default to nats (base e), the
unit their formulas are written in. :func:`transfer_entropy` follows its method.
"""

from .discrete import (
    conditional_entropy,
    conditional_mutual_information,
    entropy,
    mutual_information,
)
from .gaussian import (
    copula_normalize,
    gaussian_conditional_entropy,
    gaussian_conditional_mutual_information,
    gaussian_copula_conditional_mutual_information,
    gaussian_copula_mutual_information,
    gaussian_entropy,
    gaussian_mutual_information,
)
from .knn import (
    kl_entropy,
    knn_conditional_entropy,
    ksg_conditional_mutual_information,
    ksg_mutual_information,
)
from .pid import PIDResult, williams_beer_pid
from .transfer import transfer_entropy

__all__ = [
    "PIDResult",
    "conditional_entropy",
    "conditional_mutual_information",
    "copula_normalize",
    "entropy",
    "gaussian_conditional_entropy",
    "gaussian_conditional_mutual_information",
    "gaussian_copula_conditional_mutual_information",
    "gaussian_copula_mutual_information",
    "gaussian_entropy",
    "gaussian_mutual_information",
    "kl_entropy",
    "knn_conditional_entropy",
    "ksg_conditional_mutual_information",
    "ksg_mutual_information",
    "mutual_information",
    "transfer_entropy",
    "williams_beer_pid",
]
