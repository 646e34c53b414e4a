"""School figures (resolution 52/42, op. 3): the one definition of "schools closed on a date" and of the
pupils and teachers deprived of school, beside the counting rules of the violations.

Every page, the API, the public list, the CSV/XLSX downloads and `kurukan schools closed` count through
these functions. A school is closed on day D when its decisive entry in force on D closes it
(StatusChange.objects.in_force_on(D).closing()). Pupils deprived of school are the pupils the entry says were
affected, or else the school's enrolment; teachers likewise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from kurukan.places.models import AdminUnit
from kurukan.schools.models import StatusChange

from .counting import Table

BY = ("region", "cercle", "commune")


@dataclass(frozen=True)
class SchoolFilters:
    """Which schools a figure covers: a place (region, cercle or commune) and levels (codes)."""

    place: AdminUnit | None = None
    levels: tuple[str, ...] = ()
    places: tuple[AdminUnit, ...] = ()  # several places at once: a school in any of them

    def condition(self, prefix: str = "school__") -> Q:
        condition = Q()
        if self.place is not None and self.place.level:
            condition &= Q(**{f"{prefix}{BY[self.place.level - 1]}": self.place})
        if self.places:
            anywhere = Q()
            for place in self.places:
                anywhere |= Q(**{f"{prefix}{BY[place.level - 1]}": place})
            condition &= anywhere
        if self.levels:
            condition &= Q(**{f"{prefix}level__code__in": self.levels})
        return condition


@dataclass
class SchoolTable(Table):
    """A statistics Table (measure "closed_schools") with the pupils and teachers deprived beside the count."""

    pupils: int = 0
    teachers: int = 0


def _pupils():
    return Coalesce("pupils_affected", F("school__pupils_girls") + F("school__pupils_boys"))


def _teachers():
    return Coalesce("teachers_affected", F("school__teachers_women") + F("school__teachers_men"))


def grouped_in_force(day: dt.date, by: str, filters: SchoolFilters) -> QuerySet:
    """The closing entries in force on `day`, counted per region, cercle or commune id (`unit`)."""
    entries = StatusChange.objects.in_force_on(day).closing().filter(filters.condition())
    # Grouped on `unit + 0`, not the column: grouping on the column itself, SQLite walks every school in
    # its cercle-index order and probes its entries (195 ms at 20,000 schools); on the expression it reads
    # the entries in force from their covering index and looks each school up by key (40-90 ms).
    return (
        entries.annotate(unit=F(f"school__{by}_id") + 0)
        .values("unit")
        .annotate(value=Count("school_id"), pupils=Sum(_pupils()), teachers=Sum(_teachers()))
        .order_by()
    )


def closed_on(day: dt.date, by: str | None = "region", filters: SchoolFilters | None = None) -> SchoolTable:
    """Schools closed on `day`, with pupils and teachers deprived, by region, cercle or commune (P-codes).

    Rows are `{by: PCODE, "name": …, "value": schools, "pupils": N, "teachers": N}`, largest first."""
    filters = filters or SchoolFilters()
    entries = StatusChange.objects.in_force_on(day).closing().filter(filters.condition())
    table = SchoolTable(measure="closed_schools", by=[by] if by else [])
    if by is None:
        totals = entries.aggregate(value=Count("school_id"), pupils=Sum(_pupils()), teachers=Sum(_teachers()))
        table.total, table.pupils, table.teachers = (
            totals["value"],
            totals["pupils"] or 0,
            totals["teachers"] or 0,
        )
        return table
    if by not in BY:
        raise ValueError(f"by must be one of {BY}")
    grouped = grouped_in_force(day, by, filters)
    counts = {row["unit"]: row for row in grouped}
    units = AdminUnit.objects.filter(pk__in=counts).values_list("pk", "pcode", "name")
    for pk, pcode, name in units:
        row = counts[pk]
        table.rows.append(
            {
                by: pcode,
                "name": name,
                "value": row["value"],
                "pupils": row["pupils"] or 0,
                "teachers": row["teachers"] or 0,
            }
        )
    table.rows.sort(key=lambda r: (-r["value"], r[by]))
    table.total = sum(r["value"] for r in table.rows)
    table.pupils = sum(r["pupils"] for r in table.rows)
    table.teachers = sum(r["teachers"] for r in table.rows)
    return table


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        days.append(min(following - dt.timedelta(days=1), end))
        year, month = following.year, following.month
    return days


def monthly_closed(start: dt.date, end: dt.date, filters: SchoolFilters | None = None) -> list[dict]:
    """Schools closed at the end of each month (or on `end` for the last one): `{"month": "2024-01", …}`."""
    series = []
    for day in month_ends(start, end):
        table = closed_on(day, by=None, filters=filters)
        series.append(
            {
                "month": f"{day:%Y-%m}",
                "on": day,
                "value": table.total,
                "pupils": table.pupils,
                "teachers": table.teachers,
            }
        )
    return series


def openings_and_closings(start: dt.date, end: dt.date, filters: SchoolFilters | None = None) -> list[dict]:
    """Per month: closings (a running school stops) and openings (a closed school runs again).

    A change from one closed state to another (closed → occupied) is neither; a school's first entry
    closes it when it says closed, and opens nothing when it says open."""
    entries = (
        StatusChange.objects.decisive()
        .filter(filters.condition() if filters else Q(), starts_on__lte=end)
        .order_by("school_id", "starts_on", "id")
        .values_list("school_id", "starts_on", "closed")
    )
    months: dict[str, dict[str, int]] = defaultdict(lambda: {"closings": 0, "openings": 0})
    previous_school, previous_closed = None, False
    for school_id, starts_on, closed in entries.iterator(chunk_size=5000):
        if school_id != previous_school:
            previous_school, previous_closed = school_id, False
        if closed != previous_closed and starts_on >= start:
            months[f"{starts_on:%Y-%m}"]["closings" if closed else "openings"] += 1
        previous_closed = closed
    return [{"month": f"{day:%Y-%m}", **months[f"{day:%Y-%m}"]} for day in month_ends(start, end)]
