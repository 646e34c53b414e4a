"""Reads shared by the pages, the API, the reminder and the person's file: all through `access.visible`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from kurukan.accounts import access
from kurukan.incidents.models import Violation

from .models import Intervention, InterventionQuerySet, JudicialCase, Stage


@dataclass(frozen=True)
class CaseFilters:
    jurisdiction: str = ""  # a jurisdiction code
    stage: str = ""  # the latest stage reached
    q: str = ""  # the case's id, reference or title


def cases(user, filters: CaseFilters = CaseFilters()) -> QuerySet[JudicialCase]:
    qs = (
        access.visible(user, JudicialCase)
        .select_related("jurisdiction", "organisation")
        .order_by("-created_at", "-id")
        .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("on", "id")))
    )
    if filters.jurisdiction:
        qs = qs.filter(jurisdiction__code=filters.jurisdiction)
    if filters.q:
        qs = qs.filter(
            Q(public_id__iexact=filters.q) | Q(reference__icontains=filters.q) | Q(title__icontains=filters.q)
        )
    if filters.stage:
        latest = Stage.objects.filter(case=OuterRef("pk")).order_by("-on", "-id").values("kind")[:1]
        qs = qs.annotate(latest_kind=Subquery(latest)).filter(latest_kind=filters.stage)
    return qs


def cases_for_person(user, person) -> QuerySet[JudicialCase]:
    """The cases this user may see in which the person is a civil party, a defendant or a victim of a linked
    violation: for the person's file (built in kurukan.people), with `justice/_person_cases.html`."""
    return (
        access.visible(user, JudicialCase)
        .filter(
            Q(civil_parties__person=person)
            | Q(defendants__person=person)
            | Q(violations__victims__person=person)
        )
        .select_related("jurisdiction")
        .distinct()
    )


def case_violations(user, case: JudicialCase) -> QuerySet[Violation]:
    return (
        access.visible(user, Violation)
        .filter(judicial_cases=case)
        .select_related("type", "incident", "incident__region")
        .order_by("incident__start_date", "pk")
    )


def interventions(user, overdue_on: dt.date | None = None, status: str = "") -> QuerySet[Intervention]:
    qs = cast(InterventionQuerySet, access.visible(user, Intervention)).select_related("institution")
    if overdue_on is not None:
        qs = qs.overdue(overdue_on)
    if status:
        qs = qs.filter(status=status)
    return qs


def selectable_violations(user, ids: list[int]) -> list[Violation]:
    """The violations a form named, as far as the user sees them (others are silently unknown: 404-like)."""
    return list(access.visible(user, Violation).filter(pk__in=ids).select_related("incident", "type"))
