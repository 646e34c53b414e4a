"""Reads shared by the register, the school page, the public list, its downloads and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from kurukan.accounts import access
from kurukan.places.models import AdminUnit
from kurukan.statistics.schools import SchoolFilters

from .forms import RegisterFilterForm
from .models import School, StatusChange

STATES = ("closed", "open", "unknown")


@dataclass
class RegisterFilters:
    q: str = ""
    place: AdminUnit | None = None
    state: str = ""
    levels: tuple[str, ...] = ()
    on: dt.date = field(default_factory=timezone.localdate)

    @classmethod
    def from_form(cls, form: RegisterFilterForm) -> RegisterFilters:
        if not form.is_valid():
            return cls()
        data = form.cleaned_data
        level = data.get("level")
        return cls(
            q=data.get("q") or "",
            place=data.get("commune") or data.get("cercle") or data.get("region"),
            state=data.get("state") or "",
            levels=(level.code,) if level else (),
            on=data.get("on") or timezone.localdate(),
        )

    @property
    def schools(self) -> SchoolFilters:
        return SchoolFilters(place=self.place, levels=self.levels)


def with_state_on(schools: QuerySet[School], day: dt.date) -> QuerySet[School]:
    """Each school with the decisive entry in force on `day` (its status, reason and start)."""
    in_force = StatusChange.objects.in_force_on(day).filter(school=OuterRef("pk")).order_by("-starts_on")
    return schools.annotate(
        state_id=Subquery(in_force.values("pk")[:1]),
        state_closed=Subquery(in_force.values("closed")[:1]),
        state_since=Subquery(in_force.values("starts_on")[:1]),
    )


def register(user, filters: RegisterFilters) -> QuerySet[School]:
    schools = access.visible_schools(user).filter(filters.schools.condition(prefix=""))
    if filters.q:
        schools = schools.search(filters.q)
    in_force = StatusChange.objects.in_force_on(filters.on)
    if filters.state == "closed":
        schools = schools.filter(pk__in=in_force.closing().values("school_id"))
    elif filters.state == "open":
        schools = schools.filter(pk__in=in_force.filter(closed=False).values("school_id"))
    elif filters.state == "unknown":
        schools = schools.exclude(pk__in=in_force.values("school_id"))
    return with_state_on(
        schools.select_related("region", "cercle", "commune", "level").order_by("name", "code"), filters.on
    )


def entries_by_id(ids: list[int]) -> dict[int, StatusChange]:
    changes = StatusChange.objects.filter(pk__in=[i for i in ids if i]).select_related("status", "reason")
    return {change.pk: change for change in changes}


def closed_schools(on: dt.date, filters: SchoolFilters | None = None) -> QuerySet[StatusChange]:
    """The public list: one row per school closed on `on`, with the entry that closed it."""
    filters = filters or SchoolFilters()
    return (
        StatusChange.objects.in_force_on(on)
        .closing()
        .filter(filters.condition())
        .select_related(
            "school__region", "school__cercle", "school__commune", "school__level", "status", "reason"
        )
        .order_by("school__region__name", "school__cercle__name", "school__commune__name", "school__name")
    )


def closed_since(on: dt.date, filters: SchoolFilters | None = None) -> dict[int, dt.date]:
    """Since when each school closed on `on` has been closed, read in one pass: a change from closed to
    occupied does not restart the count; the closure starts at the first closing entry after it last ran."""
    filters = filters or SchoolFilters()
    rows = (
        StatusChange.objects.decisive()
        .filter(filters.condition(), starts_on__lte=on)
        .order_by("school_id", "starts_on", "id")
        .values_list("school_id", "starts_on", "closed")
    )
    since: dict[int, dt.date] = {}
    for school_id, starts_on, closed in rows.iterator(chunk_size=5000):
        if not closed:
            since.pop(school_id, None)
        elif school_id not in since:
            since[school_id] = starts_on
    return since
