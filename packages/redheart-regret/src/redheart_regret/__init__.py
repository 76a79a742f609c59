"""redheart-regret: regret theory, counterfactuals and uncertainty over decisions.

``redheart_regret.theory`` works without any model (numpy/scipy). The head and analyzer are
loaded by redheart's plugin registry (entry point ``regret``); importing this package does not
import torch.
"""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"
