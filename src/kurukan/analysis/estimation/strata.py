"""Estimate stratum by stratum (for example region × period) and add up.

The total is the sum of the stratum estimates; its interval comes from summing the strata's bootstrap
replicates or posterior draws draw by draw, which treats the strata as independent (they are disjoint
sets of cases, estimated from disjoint tables). A stratum with too little overlap for any estimate is
reported as not estimable, with the reason, and left out of the total, which says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .estimate import estimate_loglinear
from .identifiability import NotEstimableError
from .lcmcr import estimate_lcmcr
from .messages import message
from .result import EstimateResult
from .table import CaptureTable


@dataclass
class StratifiedResult:
    total: EstimateResult
    strata: dict[str, EstimateResult]
    not_estimable: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "total": self.total.to_dict(),
            "strata": {name: r.to_dict() for name, r in self.strata.items()},
            "not_estimable": dict(self.not_estimable),
        }


def estimate_stratified(
    tables: Mapping[str, CaptureTable],
    method: str = "loglinear",
    level: float = 0.95,
    estimator: Callable[[CaptureTable], EstimateResult] | None = None,
    **options: object,
) -> StratifiedResult:
    """Estimate each stratum with ``method`` (``loglinear`` or ``lcmcr``, ``options`` passed on) and combine.

    Every stratum needs replicate draws for the combined interval, so a log-linear estimate must use
    ``bootstrap > 0``. Pass ``estimator`` to use any other function of a table.
    """
    if method not in ("loglinear", "lcmcr") and estimator is None:
        raise ValueError(message("unknown_method", value=method))
    if method == "loglinear":
        options.setdefault("bootstrap", 1000)
    base_seed = int(options.pop("seed", 1234))  # type: ignore[call-overload]

    results: dict[str, EstimateResult] = {}
    skipped: dict[str, str] = {}
    warnings: list[str] = []
    for index, (name, table) in enumerate(tables.items()):
        # distinct seeds keep the strata's replicates independent of one another
        seed = base_seed + index
        try:
            if estimator is not None:
                results[name] = estimator(table)
            elif method == "loglinear":
                results[name] = estimate_loglinear(table, None, level=level, seed=seed, **options)
            else:
                results[name] = estimate_lcmcr(table, None, level=level, seed=seed, **options)
        except NotEstimableError as exc:
            skipped[name] = str(exc)
            warnings.append(message("stratum_not_estimable", stratum=name, reason=exc))
    if skipped:
        warnings.append(message("total_excludes", strata=", ".join(skipped)))
    return StratifiedResult(_combine(results, level, warnings, method), results, skipped)


def _combine(
    results: dict[str, EstimateResult], level: float, warnings: list[str], method: str
) -> EstimateResult:
    if not results:
        return EstimateResult(
            0, math.nan, math.nan, math.nan, level, f"stratified-{method}", "", {}, warnings
        )
    draws = [r.draws for r in results.values() if r.draws is not None]
    low = high = math.nan
    if len(draws) == len(results):
        finite = [d[np.isfinite(d)] for d in draws]
        kept = min(d.size for d in finite)
        if any(d.size != kept for d in finite):
            warnings.append(message("stratum_draws_unequal", kept=kept))
        summed = np.sum([d[:kept] for d in finite], axis=0)
        tail = (1 - level) / 2
        low, high = (float(v) for v in np.quantile(summed, [tail, 1 - tail]))
    else:
        summed = None
    return EstimateResult(
        observed=sum(r.observed for r in results.values()),
        estimate=float(sum(r.estimate for r in results.values())),
        ci_low=low,
        ci_high=high,
        ci_level=level,
        method=f"stratified-{method}",
        model="; ".join(f"{name}: {r.model}" for name, r in results.items()),
        diagnostics={
            "strata": list(results),
            "interval": "percentiles of the sum of the strata's replicates, draw by draw",
        },
        warnings=warnings,
        draws=summed,
    )
