"""redheart-bentham: Bentham's hedonic calculus, 4 ethical frameworks and legal risk.

The deterministic calculus needs no model::

    from redheart_bentham.calculus import Factors, Context, HedonicCalculator
    HedonicCalculator().scenarios(Factors(0.6, 0.5, 0.8, 0.9, 0.4, 0.7, 0.2), Context(effect=1))

The neural head and analyzer are loaded by redheart's plugin registry (entry point
``bentham``); importing this package does not import torch.
"""

__version__ = "0.1.0"
