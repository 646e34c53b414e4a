"""Victims and children per violation, for the exports' count columns.

Interim: the statistics app (`kurukan.statistics`, branch `stats`) owns the counting rules and their per-
violation helpers; once it lands, this module calls them instead of counting here. Until then it applies the
rule of DESIGN.md: a victim is counted once per violation, group victims by their numbers, children being
individual victims under 18 at the time plus the girls and boys of groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet, Sum

from kurukan.incidents.models import GroupVictims, Victim


def victims_and_children(violation_ids: Iterable[int] | QuerySet) -> dict[int, tuple[int, int]]:
    """(victims, children) by violation id, for the violations that have any: others count (0, 0)."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    individual = (
        Victim.objects.filter(violation_id__in=violation_ids)
        .values("violation_id")
        .annotate(n=Count("id"), young=Count("id", filter=Q(age_at_time__lt=18)))
        .order_by()
    )
    for person_row in individual:
        counts[person_row["violation_id"]][0] += person_row["n"]
        counts[person_row["violation_id"]][1] += person_row["young"]
    groups = (
        GroupVictims.objects.filter(violation_id__in=violation_ids)
        .values("violation_id")
        .annotate(
            n=Sum(F("women") + F("men") + F("girls") + F("boys") + F("unknown")),
            young=Sum(F("girls") + F("boys")),
        )
        .order_by()
    )
    for group_row in groups:
        counts[group_row["violation_id"]][0] += group_row["n"] or 0
        counts[group_row["violation_id"]][1] += group_row["young"] or 0
    return defaultdict(lambda: (0, 0), {pk: (n, children) for pk, (n, children) in counts.items()})
