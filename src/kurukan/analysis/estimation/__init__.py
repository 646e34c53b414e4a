"""Multiple systems estimation: how many victims no list recorded.

Every list of victims is incomplete; comparing how lists overlap estimates the cases none of them saw.
Plain Python (NumPy/SciPy), no Django.

    from kurukan.analysis.estimation import CaptureTable, estimate_loglinear, estimate_lcmcr
    table = CaptureTable.from_csv("lists.csv")          # one 0/1 column per list + count
    result = estimate_loglinear(table, criterion="stepwise", bootstrap=1000, seed=1)
    result.estimate, result.ci_low, result.ci_high

Methods (each module's docstring states its assumptions and the paper it follows):

* ``estimate_loglinear`` — hierarchical log-linear Poisson models with an existence/identifiability
  check (Chan, Silverman & Vincent 2021) and BCa bootstrap intervals that repeat the model choice
  (Silverman, Chan & Vincent 2024). Criteria: ``stepwise``, ``bic``, ``aic``, ``main`` (independence).
* ``estimate_lcmcr`` — Bayesian latent-class model with a Dirichlet process mixture
  (Manrique-Vallier 2016), for heterogeneous capture.
* ``estimate_stratified`` — per stratum, summed.

All assume a closed population and that the lists record the same kind of case; none can see cases whose
chance of being listed is zero on every list.
"""

from .estimate import estimate_loglinear
from .identifiability import NotEstimableError
from .lcmcr import estimate_lcmcr
from .loglinear import Model
from .result import EstimateResult, LcmcrConfig, LoglinearConfig
from .strata import StratifiedResult, estimate_stratified
from .table import CaptureTable, InputError

__all__ = [
    "CaptureTable",
    "EstimateResult",
    "InputError",
    "LcmcrConfig",
    "LoglinearConfig",
    "Model",
    "NotEstimableError",
    "StratifiedResult",
    "estimate_lcmcr",
    "estimate_loglinear",
    "estimate_stratified",
]
