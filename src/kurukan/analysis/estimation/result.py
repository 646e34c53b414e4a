"""What every estimator returns, and the configuration of the larger ones."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass
class EstimateResult:
    """A population-size estimate: ``estimate`` is the total (observed + unobserved) cases.

    ``ci_low``/``ci_high`` bound the total at ``ci_level``; ``draws`` holds the bootstrap replicates or
    posterior draws of the total the interval came from (used to combine strata), ``None`` if none.
    """

    observed: int
    estimate: float
    ci_low: float
    ci_high: float
    ci_level: float
    method: str
    model: str
    diagnostics: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    draws: np.ndarray | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        def clean(value: object) -> object:
            if isinstance(value, float | np.floating):
                value = float(value)
                return None if math.isnan(value) or math.isinf(value) else value
            if isinstance(value, np.integer):
                return int(value)
            if isinstance(value, dict):
                return {str(k): clean(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [clean(v) for v in value]
            return value

        return {
            "observed": self.observed,
            "estimate": clean(self.estimate),
            "ci_low": clean(self.ci_low),
            "ci_high": clean(self.ci_high),
            "ci_level": self.ci_level,
            "method": self.method,
            "model": self.model,
            "diagnostics": clean(self.diagnostics),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class LoglinearConfig:
    """How the log-linear estimate is made.

    criterion: ``stepwise`` (Chan et al. 2021), ``bic`` or ``aic`` (Silverman et al. 2024), ``main``
    (independence), or ``fixed`` with ``model`` such as ``"A:B, B:C"``.
    bootstrap: number of multinomial bootstrap samples for the BCa interval (0: no interval).
    ntop: BIC/AIC only — the bootstrap re-selects among the ``ntop`` best models on the original data
    (``None``: all models for 3 lists, 20 for 4, 100 for 5-6, as in MultipleSystemsEstimation).
    rng: the random numbers of the bootstrap. ``"numpy"`` (default, fast); ``"r"`` draws the bootstrap
    tables exactly as the R packages SparseMSE / MultipleSystemsEstimation do after ``set.seed(seed)``
    (their default seed is 1234), so that an interval can be checked against theirs draw for draw.
    """

    criterion: str = "stepwise"
    bootstrap: int = 1000
    seed: int = 1234
    level: float = 0.95
    pthresh: float = 0.02
    maxorder: int | None = None
    ntop: int | None = None
    model: str | None = None
    rng: str = "numpy"


@dataclass(frozen=True)
class LcmcrConfig:
    """Gibbs sampler settings for LCMCR (Manrique-Vallier 2016). Defaults follow the LCMCR R package
    except the run length, chosen so that several chains give a stable median in seconds."""

    classes: int = 10
    a_alpha: float = 0.25
    b_alpha: float = 0.25
    burnin: int = 2000
    samples: int = 2000
    thin: int = 5
    chains: int = 4
    seed: int = 1234
    level: float = 0.95
