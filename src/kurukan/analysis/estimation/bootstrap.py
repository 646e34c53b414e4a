"""Bootstrap intervals that account for model selection.

Chan, Silverman & Vincent (2021, section 3.3) and Silverman, Chan & Vincent (2024): draw bootstrap tables
by multinomial resampling of the observed cases over their capture histories, repeat the *whole* model
choice on each, and turn the replicates into a BCa interval (Efron 1987; DiCiccio & Efron 1996). The
acceleration comes from a delete-one-case jackknife, where deleting any of the ``n_h`` cases of history
``h`` gives the same table, so only one refit per non-empty history is needed, weighted by ``n_h``.

Restricting the bootstrap re-selection to the ``ntop`` best models on the original data is the
approximation of Silverman et al. (2024, section 2.5); ``ntop = all`` is exact.

The bootstrap tables come from NumPy's generator by default, or, with ``rng = "r"``, from R's generator
exactly as the reference packages draw them (``rstream``): SparseMSE's ``estimatepopulation`` and
MultipleSystemsEstimation's ``estimate_population_stepwise`` resample the rows of the input table in
their given order, the BIC bootstrap (``bootstrapcal``) all histories in the packages' full-table order.
The published intervals of both papers are those draws at the default ``iseed = 1234``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from .loglinear import Model, fit_batch, select_downhill, select_stepwise
from .rstream import r_multinomial_samples, tidy_order

Procedure = Callable[[np.ndarray], np.ndarray]  # (samples × cells) counts → (samples,) totals, NaN if none


def bca_interval(draws: np.ndarray, estimate: float, ahat: float, level: float) -> tuple[float, float]:
    draws = draws[np.isfinite(draws)]
    if draws.size == 0 or not np.isfinite(ahat):
        return float("nan"), float("nan")
    # proportion below the estimate, kept off 0 and 1 so the bias correction stays finite
    below = np.clip(np.mean(draws < estimate), 0.5 / draws.size, 1 - 0.5 / draws.size)
    z0 = norm.ppf(below)
    alpha = np.array([(1 - level) / 2, (1 + level) / 2])
    za0 = z0 + norm.ppf(alpha)
    probs = norm.cdf(z0 + za0 / (1 - ahat * za0))
    # type 8 quantiles, as R's quantile(type = 8) used by the reference implementation
    low, high = np.quantile(draws, probs, method="median_unbiased")
    return float(low), float(high)


def jackknife_acceleration(jack: np.ndarray, weights: np.ndarray) -> float:
    if not np.all(np.isfinite(jack)):
        return float("nan")
    mean = np.sum(jack * weights) / np.sum(weights)
    d = mean - jack
    denom = np.sum(weights * d**2)
    if denom <= 0:
        return 0.0
    return float(np.sum(weights * d**3) / (6 * denom**1.5))


def multinomial_samples(cell_counts: np.ndarray, nboot: int, rng: np.random.Generator) -> np.ndarray:
    y = np.asarray(cell_counts, dtype=np.int64)
    return rng.multinomial(int(y.sum()), y / y.sum(), size=nboot)


def r_samples(n_lists: int, rows: Sequence[tuple[int, int]], nboot: int, seed: int) -> np.ndarray:
    """R's ``set.seed(seed)`` then ``rmultinom`` over ``rows`` ((mask, count) in the reference order),
    returned as counts over the cells ``1 … 2**t - 1`` like ``multinomial_samples``."""
    masks = np.array([m for m, _ in rows], dtype=np.int64)
    counts = np.array([c for _, c in rows], dtype=np.int64)
    draws = r_multinomial_samples(counts, nboot, seed)
    samples = np.zeros((nboot, 2**n_lists - 1), dtype=np.int64)
    for column, mask in enumerate(masks):
        samples[:, mask - 1] += draws[:, column]
    return samples


def reference_rows(
    n_lists: int, cell_counts: np.ndarray, as_given: Sequence[tuple[int, int]] | None, full_table: bool
) -> list[tuple[int, int]]:
    """The categories the reference packages resample, in their order: the input rows as given
    (stepwise, main, fixed) or every history in full-table order (BIC/AIC); without input rows, the
    full-table order of the observed histories."""
    if as_given is not None and not full_table:
        return list(as_given)
    y = np.asarray(cell_counts, dtype=np.int64)
    return [(int(m), int(y[m - 1])) for m in tidy_order(n_lists)]


def jackknife_samples(cell_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(cell_counts, dtype=np.int64)
    positive = np.flatnonzero(y > 0)
    samples = np.repeat(y[None, :], positive.size, axis=0)
    samples[np.arange(positive.size), positive] -= 1
    return samples, y[positive].astype(float)


@dataclass
class BootstrapOutcome:
    low: float
    high: float
    draws: np.ndarray
    ahat: float
    failed: int


def bootstrap(
    cell_counts: np.ndarray,
    estimate: float,
    procedure: Procedure,
    nboot: int,
    seed: int,
    level: float,
    samples: np.ndarray | None = None,
) -> BootstrapOutcome:
    """BCa interval from ``nboot`` multinomial samples (NumPy's generator), or from ``samples`` given."""
    if samples is None:
        samples = multinomial_samples(cell_counts, nboot, np.random.default_rng(seed))
    draws = procedure(samples)
    jack, weights = jackknife_samples(cell_counts)
    ahat = jackknife_acceleration(procedure(jack), weights)
    low, high = bca_interval(draws, estimate, ahat, level)
    return BootstrapOutcome(low, high, draws, ahat, int(np.sum(~np.isfinite(draws))))


# the model-choice procedures, each applied to a batch of tables ---------------------------------------


def fixed_procedure(n_lists: int, model: Model) -> Procedure:
    def run(samples: np.ndarray) -> np.ndarray:
        return fit_batch(n_lists, samples, model)[0]

    return run


def ranked_procedure(n_lists: int, models: Sequence[Model], criterion: str) -> Procedure:
    """Minimum-criterion model among ``models`` (the ntop best on the original data), per sample."""

    def run(samples: np.ndarray) -> np.ndarray:
        best_crit = np.full(samples.shape[0], np.inf)
        best = np.full(samples.shape[0], np.nan)
        for model in models:
            abundance, crit = fit_batch(n_lists, samples, model, criterion)
            better = np.isfinite(crit) & (crit < best_crit)
            best_crit[better] = crit[better]
            best[better] = abundance[better]
        return best

    return run


def stepwise_procedure(n_lists: int, pthresh: float) -> Procedure:
    def run(samples: np.ndarray) -> np.ndarray:
        out = np.full(samples.shape[0], np.nan)
        for i, y in enumerate(samples):
            sel = select_stepwise(n_lists, y, pthresh, exact=False)
            if sel is not None:
                out[i] = sel.fit.abundance
        return out

    return run


def downhill_procedure(n_lists: int, criterion: str, maxorder: int) -> Procedure:
    def run(samples: np.ndarray) -> np.ndarray:
        out = np.full(samples.shape[0], np.nan)
        for i, y in enumerate(samples):
            sel = select_downhill(n_lists, y, criterion, maxorder, exact=False)
            if sel is not None:
                out[i] = sel.fit.abundance
        return out

    return run
