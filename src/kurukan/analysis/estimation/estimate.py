"""The log-linear estimate end to end: check, choose a model, bootstrap an interval."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from scipy.stats import norm

from .bootstrap import (
    bootstrap,
    downhill_procedure,
    fixed_procedure,
    r_samples,
    ranked_procedure,
    reference_rows,
    stepwise_procedure,
)
from .identifiability import NotEstimableError
from .loglinear import (
    Model,
    Selection,
    default_maxorder,
    refuse_if_not_estimable,
    refuse_no_model,
    select_criterion,
    select_fixed,
    select_main,
    select_stepwise,
)
from .messages import message
from .result import EstimateResult, LoglinearConfig
from .table import CaptureTable

CRITERIA = ("stepwise", "bic", "aic", "main", "fixed")
RNGS = ("numpy", "r")


def default_ntop(n_lists: int) -> int | None:
    return {3: None, 4: 20, 5: 100, 6: 100}.get(n_lists, 100)


def estimate_loglinear(
    table: CaptureTable, config: LoglinearConfig | None = None, **overrides: object
) -> EstimateResult:
    """Multiple systems estimate from a hierarchical log-linear Poisson model with a BCa interval.

    Assumes a closed population and that the dependence between lists, and any heterogeneity of capture,
    is captured by the interactions in the chosen model (none for ``criterion="main"``: independent lists,
    homogeneous capture). Model choice and interval follow Chan, Silverman & Vincent (2021) for
    ``stepwise`` and Silverman, Chan & Vincent (2024) for ``bic``/``aic``; see ``loglinear`` and
    ``bootstrap``. Raises ``NotEstimableError`` with a plain message when no estimate exists.

    Keyword overrides are fields of ``LoglinearConfig``: ``estimate_loglinear(t, criterion="bic")``.
    """
    config = replace(config or LoglinearConfig(), **overrides)  # type: ignore[arg-type]
    if config.criterion not in CRITERIA:
        raise ValueError(message("unknown_criterion", value=config.criterion))
    if not 0 < config.level < 1:
        raise ValueError(message("bad_level", value=config.level))
    if config.rng not in RNGS:
        raise ValueError(message("unknown_rng", value=config.rng))
    k, y = table.n_lists, table.cell_counts
    if _no_overlap(table):
        raise NotEstimableError(message("no_overlap"))
    # independence must at least be estimable, or nothing built on it is
    refuse_if_not_estimable(k, y, Model(), table.lists)

    warnings: list[str] = []
    selection, procedure = _choose(table, config, warnings)
    fit = selection.fit
    diagnostics: dict = {
        "criterion": config.criterion,
        "search": selection.search,
        "model_terms": fit.model.term_names(table.lists),
        "parameters_at_minus_infinity": [
            ":".join(n for j, n in enumerate(table.lists) if t >> j & 1) for t in fit.neg_inf
        ],
        "dark_figure": fit.dark,
        "bic": fit.bic,
        "aic": fit.aic,
    }
    if config.criterion == "stepwise":
        diagnostics["pthresh"] = config.pthresh

    low = high = math.nan
    draws = None
    if config.bootstrap > 0:
        samples = None
        if config.rng == "r":
            rows = reference_rows(k, y, table.rows_as_given, full_table=config.criterion in ("bic", "aic"))
            samples = r_samples(k, rows, config.bootstrap, config.seed)
        out = bootstrap(y, fit.abundance, procedure, config.bootstrap, config.seed, config.level, samples)
        low, high, draws = out.low, out.high, out.draws
        diagnostics.update(
            interval="BCa bootstrap (multinomial resampling, model re-selected in each sample)",
            bootstrap_samples=config.bootstrap,
            bootstrap_failed=out.failed,
            acceleration=out.ahat,
            seed=config.seed,
            rng=config.rng,
        )
        if out.failed:
            warnings.append(message("bootstrap_failures", failed=out.failed, total=config.bootstrap))
    else:
        # Wald interval on the log dark figure for the chosen model, as SparseMSE's estimatepopulation.0
        z = norm.ppf((1 + config.level) / 2)
        low = table.observed + fit.dark * math.exp(-z * fit.dark_se_log)
        high = table.observed + fit.dark * math.exp(z * fit.dark_se_log)
        diagnostics["interval"] = "model-conditional Wald interval on log(dark figure); ignores model choice"

    return EstimateResult(
        observed=table.observed,
        estimate=fit.abundance,
        ci_low=low,
        ci_high=high,
        ci_level=config.level,
        method=f"loglinear-{config.criterion}",
        model=fit.model.describe(table.lists),
        diagnostics=diagnostics,
        warnings=warnings,
        draws=draws,
    )


def _no_overlap(table: CaptureTable) -> bool:
    masks = np.arange(1, 2**table.n_lists)
    multi = np.array([bin(m).count("1") >= 2 for m in masks])
    return table.cell_counts[multi].sum() == 0


def _choose(table: CaptureTable, config: LoglinearConfig, warnings: list[str]):
    k, y = table.n_lists, table.cell_counts
    selection: Selection | None
    if config.criterion == "main":
        selection = select_main(k, y)
        procedure = fixed_procedure(k, Model())
    elif config.criterion == "fixed":
        model = Model.parse(config.model or "main", table.lists)
        refuse_if_not_estimable(k, y, model, table.lists)
        selection = select_fixed(k, y, model)
        procedure = fixed_procedure(k, model)
    elif config.criterion == "stepwise":
        selection = select_stepwise(k, y, config.pthresh)
        procedure = stepwise_procedure(k, config.pthresh)
    else:
        maxorder = config.maxorder or default_maxorder(k)
        selection = select_criterion(k, y, config.criterion, maxorder)
        if selection is not None and selection.search == "downhill":
            warnings.append(message("downhill_search", lists=k))
            procedure = downhill_procedure(k, config.criterion, maxorder)
        elif selection is not None:
            ntop = config.ntop if config.ntop is not None else default_ntop(k)
            models = [m for m, _, _ in selection.ranked]
            if ntop is not None:
                models = models[:ntop]
            procedure = ranked_procedure(k, models, config.criterion)
    if selection is None:
        raise refuse_no_model()
    return selection, procedure
