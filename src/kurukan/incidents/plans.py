"""How the incident list finds incidents by their violations: chosen from the data's shape, never its rows.

A filter on violations (type, verification, perpetrator) can be answered two ways, with the same incidents:
- **collect**: every matching violation, then their incidents (`id IN (SELECT incident_id …)`). It reads
  every match, whatever the page: cheap when matches are few, slow when they are many (at 73 k incidents,
  26 k JNIM perpetrators cost 48–72 ms of SQL to sort for a page of 25).
- **scan**: the incidents in date order, each tested by its facet bits (and, when the bits cannot say it
  alone, a subquery on its violations), stopping once the page or the count is full. It reads about
  `rows wanted ÷ share of incidents that match`: cheap when matches are common, slow when they are rare.

So the choice is a comparison of two estimates, made from three figures kept a few minutes per process:
the number of incidents and of violations (their largest ids), and the share of violations that meet the
conditions, measured on a sample of about 2,000 violations spread over the whole table. A stale or rough
estimate costs speed, never correctness: both plans give the same incidents in the same order.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .models import Incident, Perpetrator, Violation

SAMPLE = 2_000  # violations read to estimate a share: 8 ranges of ids, ≈ 1–3 ms
SAMPLE_RANGES = 8

# Rows read by the scan per row kept, relative to the bits alone: a subquery per candidate costs more.
SCAN_WEIGHT_BITS = 1.0
SCAN_WEIGHT_BITS_AND_SUBQUERY = 1.5
SCAN_WEIGHT_SUBQUERY = 4.0

# The figures only choose the plan and change slowly: remembered a few minutes per process, they spare
# each list with such a filter one or two queries. A stale figure costs speed, not correctness.
PROBE_SECONDS = 300
_probes: dict[tuple, tuple[float, object]] = {}


def _remembered(key: tuple, compute):
    now = time.monotonic()
    known = _probes.get(key)
    if known is None or now - known[0] > PROBE_SECONDS:
        if len(_probes) > 1000:
            _probes.clear()
        known = _probes[key] = (now, compute())
    return known[1]


@dataclass(frozen=True)
class Shape:
    """What the data looks like for one set of conditions on violations."""

    incidents: int  # rows in the incident table (its largest id)
    violations: int  # rows in the violation table (its largest id)
    matching: float  # violations meeting every condition (estimated)
    by_violation: float  # violations meeting the conditions on the violation itself (type, verification)
    by_perpetrator: float  # violations with a perpetrator of the category

    @property
    def share(self) -> float:
        """Share of incidents with a matching violation (at most one incident per matching violation)."""
        # Half a sampled row when the sample found none: rare, but maybe not absent.
        floor = self.violations / (2 * SAMPLE)
        return min(1.0, max(self.matching, floor, 0.5) / max(1, self.incidents))


@dataclass(frozen=True)
class Choice:
    """The plan for a page and, by the cap a count goes to, the plan for the count."""

    drive_by_perpetrator: bool  # collect from the perpetrator side (rarer than the violation conditions)
    scan_page: bool
    scan_counts_below: int  # a count capped below this reads fewer rows along the scan than by collecting


def sizes(db: str) -> tuple[int, int]:
    def compute() -> tuple[int, int]:
        # The largest ids, through the primary keys: the counts themselves would read every row.
        quote = connections[db].ops.quote_name
        with connections[db].cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT MAX({quote('id')}) FROM {quote(Incident._meta.db_table)}),"  # noqa: S608
                f" (SELECT MAX({quote('id')}) FROM {quote(Violation._meta.db_table)})"
            )
            incidents, violations = cursor.fetchone()
        return int(incidents or 0), int(violations or 0)

    return _remembered((db, "sizes"), compute)


def _sample_condition(violations: int) -> Q:
    """About SAMPLE violations in SAMPLE_RANGES ranges of ids spread from the first to the last."""
    if violations <= SAMPLE:
        return Q()
    width = SAMPLE // SAMPLE_RANGES
    step = violations // SAMPLE_RANGES
    condition = Q()
    for n in range(SAMPLE_RANGES):
        start = 1 + n * step + (step - width) // 2
        condition |= Q(pk__range=(start, start + width - 1))
    return condition


def shape(db: str, violation_q: Q, perpetrators: QuerySet[Perpetrator] | None) -> Shape:
    incidents, violations = sizes(db)
    has_perpetrator = (
        Q(Exists(perpetrators.filter(violation=OuterRef("pk")))) if perpetrators is not None else Q()
    )
    sample = Violation.objects.using(db).filter(_sample_condition(violations))
    counts = {"total": Count("pk")}
    if violation_q:
        counts["by_violation"] = Count("pk", filter=violation_q)
    if perpetrators is not None:
        counts["by_perpetrator"] = Count("pk", filter=has_perpetrator)
    if violation_q and perpetrators is not None:
        counts["matching"] = Count("pk", filter=violation_q & has_perpetrator)
    sql, params = sample.filter(violation_q & has_perpetrator).values("pk").query.sql_with_params()
    found = _remembered((db, "share", sql, tuple(params)), lambda: sample.aggregate(**counts))
    total = max(1, found["total"])
    by_violation = found.get("by_violation", total) * violations / total
    by_perpetrator = found.get("by_perpetrator", total) * violations / total
    matching = found.get("matching", found.get("by_violation", found.get("by_perpetrator", 0)))
    return Shape(incidents, violations, matching * violations / total, by_violation, by_perpetrator)


def choose(
    found: Shape, *, has_violation_q: bool, has_perpetrators: bool, weight: float, page: int
) -> Choice:
    """Collect or scan, for a page of `page` rows and for counts, from the estimated costs in rows read."""
    sides = []
    if has_violation_q:
        sides.append((found.by_violation, False))
    if has_perpetrators:
        sides.append((found.by_perpetrator, True))
    collect_cost, by_perpetrator = min(sides)
    collect_cost = max(collect_cost, 1.0)  # none in the sample: rare, so collecting them is cheap
    rows_per_kept = weight / found.share
    return Choice(
        drive_by_perpetrator=by_perpetrator,
        scan_page=page * rows_per_kept < collect_cost,
        scan_counts_below=math.floor(collect_cost / rows_per_kept),
    )
