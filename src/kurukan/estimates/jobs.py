"""The estimate job: capture histories from the records the requester may see, then the estimation library.

Runs in a task worker (`tasks.estimate_victims`). Progress is written to the run as it goes (0–100) so the
page can poll it. On failure the run keeps the exception's type only, since a message may quote data
(`jobs.run_guarded`).

The stored result (counts only):

    {"lists": ["amdh", "cndh", "ohchr"], "strata": [{key, region, region_name, year, table, on_each_list,
     overlap, low_overlap, group_victims_excluded, observed, estimate, ci_low, ci_high, ci_level, method,
     model, diagnostics, warnings, not_estimable, reason_code}, …],
     "total": {documented, observed, estimate, ci_low, ci_high, ci_level, method, model, warnings,
     excluded_strata, group_victims_excluded},
     "group_victims_excluded": n, "victim_records": n, "people": n, "pairs_used": n,
     "merged_incident_records": n, "stratum_conflicts": n}
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from django.utils.translation import gettext as _

from kurukan import jobs
from kurukan.analysis.estimation import (
    CaptureTable,
    EstimateResult,
    NotEstimableError,
    estimate_lcmcr,
    estimate_loglinear,
    estimate_stratified,
)
from kurukan.analysis.estimation.messages import message

from . import messages
from .captures import Captures, Scope, Strata, build_captures
from .models import EstimateRun

LEVEL = 0.95
# Fewer victims than this on two lists or more and a stratum's estimate rests on very little: the page warns.
LOW_OVERLAP = 10


def run_estimate(run: EstimateRun) -> EstimateRun:
    """Do the whole estimate. Never raises: a failure is recorded on the run (`jobs.run_guarded`)."""
    return jobs.run_guarded(
        run,
        _estimate,
        failure=_("l'estimation a échoué (%(error)s) ; le détail est dans le journal du serveur."),
    )


def _estimate(run: EstimateRun) -> dict:
    if run.requested_by is None:
        raise jobs.Refused(_("le compte qui a demandé cette estimation n'existe plus."))
    captures = build_captures(run.requested_by, Scope.from_parameters(run.parameters))
    run.set_progress(20)
    result = estimate(
        captures, run.parameters, lambda done, total: run.set_progress(20 + 78 * done // max(total, 1))
    )
    return {"result": result}


def estimator(parameters: dict) -> Callable[[CaptureTable, int], EstimateResult]:
    """The library call the parameters ask for, as a function of a table and a seed."""
    method = parameters["method"]

    def one(table: CaptureTable, seed: int) -> EstimateResult:
        if table.observed == 0:
            raise NotEstimableError("no_cases")
        if not _overlaps(table).sum():
            raise NotEstimableError(message("no_overlap"))
        if method == "lcmcr":
            samples = int(parameters["samples"])
            return estimate_lcmcr(table, level=LEVEL, seed=seed, samples=samples, burnin=samples)
        return estimate_loglinear(
            table,
            level=LEVEL,
            seed=seed,
            criterion=parameters["criterion"],
            bootstrap=int(parameters["bootstrap"]),
        )

    return one


def estimate(
    captures: Captures, parameters: dict, progress: Callable[[int, int], None] | None = None
) -> dict:
    tables = captures.tables()
    one = estimator(parameters)
    seed = int(parameters["seed"])
    done = [0]

    def step(table: CaptureTable) -> EstimateResult:
        # the library's own seeding of strata: base seed + the stratum's position
        index = done[0]
        done[0] += 1
        try:
            return one(table, seed + index)
        finally:
            if progress:
                progress(done[0], len(tables))

    results: dict[str, EstimateResult] = {}
    reasons: dict[str, str] = {}
    if parameters.get("strata", Strata.NONE) == Strata.NONE:
        for key, table in tables.items():
            try:
                results[key] = step(table)
            except NotEstimableError as exc:
                reasons[key] = str(exc)
        total = next(iter(results.values()), None)
    else:
        stratified = estimate_stratified(
            tables, method=_library_method(parameters), level=LEVEL, estimator=step
        )
        results, reasons = stratified.strata, stratified.not_estimable
        total = stratified.total if results else None

    strata = [
        _stratum(s, tables[s.key], results.get(s.key), reasons.get(s.key), captures) for s in captures.strata
    ]
    documented = sum(s["observed"] for s in strata)
    total_out = _blank(documented) if total is None else _clean(total.to_dict())
    total_out.update(
        documented=documented,
        excluded_strata=[key for key in reasons if key in tables],
        group_victims_excluded=captures.group_victims_total,
    )
    return {
        "lists": list(captures.lists),
        "strata": strata,
        "total": total_out,
        "group_victims_excluded": captures.group_victims_total,
        "victim_records": captures.victim_records,
        "people": captures.people,
        "pairs_used": captures.pairs_used,
        "merged_incident_records": captures.merged_incident_records,
        "stratum_conflicts": captures.stratum_conflicts,
    }


def _library_method(parameters: dict) -> str:
    return "lcmcr" if parameters["method"] == "lcmcr" else "loglinear"


def _overlaps(table: CaptureTable) -> np.ndarray:
    masks = np.arange(1, 2**table.n_lists)
    multi = np.array([bin(m).count("1") >= 2 for m in masks])
    return table.cell_counts[multi]


def _clean(result: dict) -> dict:
    result["warnings"] = [w for w in result.get("warnings", []) if not messages.is_restated(w)]
    return result


def _blank(observed: int) -> dict:
    return {
        "observed": observed,
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
        "ci_level": LEVEL,
        "method": "",
        "model": "",
        "diagnostics": {},
        "warnings": [],
    }


def _stratum(
    stratum, table: CaptureTable, result: EstimateResult | None, reason: str | None, captures
) -> dict:
    overlap = int(_overlaps(table).sum())
    out = {
        "key": stratum.key,
        "region": stratum.region,
        "region_name": stratum.region_name,
        "year": stratum.year,
        "table": table.rows(),
        "on_each_list": {
            name: int(table.counts[[m for m in range(2**table.n_lists) if m >> j & 1]].sum())
            for j, name in enumerate(table.lists)
        },
        "overlap": overlap,
        "low_overlap": overlap < LOW_OVERLAP or result is None,
        "group_victims_excluded": captures.group_victims.get(stratum.key, 0),
    }
    if result is not None:
        out.update(_clean(result.to_dict()), not_estimable=None, reason_code="")
    else:
        reason = reason or "no_cases"
        code = "no_cases" if reason == "no_cases" else messages.reason_code(reason)
        out.update(_blank(table.observed), not_estimable=reason, reason_code=code)
    return out
