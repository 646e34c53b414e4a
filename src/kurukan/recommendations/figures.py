"""The follow-up figures, defined once: pages, the API, exports and reports read them from here.

A recommendation's status is its latest assessment's (by date, then entry order); one never assessed is
"none". Violation figures beside a recommendation come from the statistics app's counting rules."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import OuterRef, QuerySet, Subquery

from .models import Assessment, Indicator, Mechanism, Progress, Recommendation

NONE = "none"
STATUSES = [NONE, *Progress.values]


def with_status(qs: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    latest = Assessment.objects.filter(recommendation=OuterRef("pk")).order_by("-assessed_on", "-id")
    return qs.annotate(
        current_status=Subquery(latest.values("status")[:1]),
        status_since=Subquery(latest.values("assessed_on")[:1]),
    )


def filter_status(qs: QuerySet[Recommendation], status: str) -> QuerySet[Recommendation]:
    qs = with_status(qs)
    return qs.filter(current_status__isnull=True) if status == NONE else qs.filter(current_status=status)


def status_by(qs: QuerySet[Recommendation], by: str) -> list[dict]:
    """Rows {key, label, <status>: n…, total} for by ∈ mechanism, institution, theme, sdg, affected_group."""
    statuses = dict(with_status(qs).values_list("pk", "current_status"))
    groups: dict[str, set[int]] = defaultdict(set)
    labels: dict[str, str] = {}
    if by == "mechanism":
        for pk, mechanism in qs.values_list("pk", "document__mechanism"):
            groups[mechanism].add(pk)
        labels = dict(Mechanism.choices)
    elif by == "institution":
        for pk, code, name in qs.filter(institutions__isnull=False).values_list(
            "pk", "institutions__code", "institutions__name_fr"
        ):
            groups[code].add(pk)
            labels[code] = name
    else:
        kind = {"theme": "theme", "sdg": "sdg", "affected_group": "affected_group"}[by]
        for pk, code, fr in qs.filter(themes__kind=kind).values_list(
            "pk", "themes__code", "themes__label_fr"
        ):
            groups[code].add(pk)
            labels[code] = fr
    rows = []
    for key, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        counts = Counter(statuses.get(pk) or NONE for pk in members)
        rows.append(
            {
                "key": key,
                "label": str(labels.get(key, key)),
                **{s: counts.get(s, 0) for s in STATUSES},
                "total": len(members),
            }
        )
    return rows


def changes_since_previous(qs: QuerySet[Recommendation]) -> list[dict]:
    """Recommendations whose latest assessment differs from the one before: what changed, and when."""
    history: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    for rec, on, pk, status in Assessment.objects.filter(recommendation__in=qs).values_list(
        "recommendation", "assessed_on", "pk", "status"
    ):
        history[rec].append((on, pk, status))
    changes = []
    for rec, entries in history.items():
        entries.sort(reverse=True)
        if len(entries) > 1 and entries[0][2] != entries[1][2]:
            changes.append(
                {"recommendation": rec, "from": entries[1][2], "to": entries[0][2], "on": entries[0][0]}
            )
    return sorted(changes, key=lambda c: c["on"], reverse=True)


def indicator_scope(user):
    """Whose records a computed indicator counts for this reader, and the smallest count it may show.

    A reader who reads incidents counts what they may see, every value shown. A follow-up focal point reads
    no incident: their indicators count the records that may enter public figures (the public's scope),
    and a quarter with fewer violations than the public threshold is shown as "fewer than N", never as its
    value, as the public figures do; so the focal point sees the trend and no small, identifying count."""
    from kurukan.accounts.models import Role
    from kurukan.statistics.counting import Scope

    if user.role == Role.FOCAL_POINT:
        return Scope.public(), True
    return Scope.for_user(user), False


def _threshold(indicator: Indicator) -> int:
    from django.conf import settings

    from kurukan.public.figures import SENSITIVE_CATEGORIES

    term = indicator.computed_type
    while term is not None and term.parent_id is not None:
        term = term.parent
    sensitive = term is not None and term.code in SENSITIVE_CATEGORIES
    return settings.PUBLIC_THRESHOLD_SENSITIVE if sensitive else settings.PUBLIC_THRESHOLD


def indicator_series(indicator: Indicator, user) -> list[tuple[str, float | None]]:
    """(period, value) in time order. A computed indicator counts violations of its type per quarter in
    the recommendation's regions (every region when it names none), through the counting rules, over
    what the user may see (`indicator_scope`; None: fewer than the public threshold); a manual one is its
    dated values."""
    if not indicator.is_computed:
        return [(v.on.isoformat(), float(v.value)) for v in indicator.values.all()]
    from kurukan.statistics.counting import Filters, table

    scope, protected = indicator_scope(user)
    level = "verified" if indicator.computed_verified else "documented"
    counted = table(
        "violations",
        by=["quarter", "region"],
        filters=Filters(violation_type=indicator.computed_type, level=level),
        scope=scope,
    )
    regions = set(indicator.recommendation.regions.values_list("pcode", flat=True))
    series: dict[str, float] = defaultdict(float)
    for row in counted.rows:
        if row["quarter"] and (not regions or row["region"] in regions):
            series[row["quarter"]] += row["value"]
    if not protected:
        return sorted(series.items())
    threshold = _threshold(indicator)
    return [(period, value if value >= threshold else None) for period, value in sorted(series.items())]
