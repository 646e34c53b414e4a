"""Prepared data for the statistics pages: each breakdown as a chart, its table and its links; the headline.

Every number comes from `counting.table`; this module only lays figures out, names their codes and builds
the link from a bar or a cell to the incident list with the same filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import format_percent
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kurukan.incidents.models import VerificationStatus
from kurukan.places.models import AdminUnit
from kurukan.vocabularies.models import Term

from . import charts, labels
from .counting import Filters, Scope, Table, counted_violations, table
from .forms import previous_period


@dataclass(frozen=True)
class Breakdown:
    id: str
    measure: str
    by: tuple[str, ...]
    kind: str  # bar, stacked, line
    level: str = ""  # a level of its own (the children's view shows verified and reported apart)
    grave: bool = False  # children victims of the six grave violations, as the MRM counts them

    def applied(self, filters: Filters) -> Filters:
        changes: dict = {}
        if self.level:
            changes["level"] = self.level
        if self.grave:
            changes.update(children_only=True, grave_only=True)
        return replace(filters, **changes) if changes else filters

    def title(self) -> str:
        return {
            "trend": _("Évolution des violations et des victimes"),
            "type_region": _("Violations et atteintes par type et par région"),
            "perpetrator": _("Violations et atteintes par catégorie d'auteur présumé"),
            "violation_abuse": _("Violations (acteurs étatiques) et atteintes (acteurs non étatiques)"),
            "sex_age": _("Victimes par âge et par sexe"),
            "children": _("Enfants et adultes parmi les victimes"),
            "women": _("Victimes par type de violation et par sexe (femmes et filles)"),
            "victim_category": _("Victimes par catégorie"),
            "grave_verified": _("Violations graves vérifiées, par trimestre"),
            "grave_reported": _("Violations graves signalées (vérifiées ou non), par trimestre"),
            "grave_sex": _("Violations graves vérifiées : filles et garçons"),
            "grave_perpetrator": _("Violations graves vérifiées, par catégorie d'auteur présumé"),
        }[self.id]


BREAKDOWNS = {
    b.id: b
    for b in (
        Breakdown("type_region", "violations", ("region", "violation_category"), "stacked"),
        Breakdown("perpetrator", "violations", ("perpetrator_category",), "bar"),
        Breakdown("violation_abuse", "violations", ("violation_or_abuse",), "bar"),
        Breakdown("sex_age", "victims", ("age_group", "sex"), "stacked"),
        Breakdown("children", "victims", ("child",), "bar"),
        Breakdown("women", "victims", ("violation_category", "sex"), "stacked"),
        Breakdown("victim_category", "victims", ("victim_category",), "bar"),
    )
}


CHILDREN_BREAKDOWNS = {
    b.id: b
    for b in (
        Breakdown("grave_verified", "mrm", ("quarter", "grave_violation"), "stacked", "verified", True),
        Breakdown("grave_reported", "mrm", ("quarter", "grave_violation"), "stacked", "reported", True),
        Breakdown("grave_sex", "mrm", ("grave_violation", "sex"), "stacked", "verified", True),
        Breakdown(
            "grave_perpetrator",
            "mrm",
            ("grave_violation", "perpetrator_category"),
            "stacked",
            "verified",
            True,
        ),
    )
}


def trend_breakdown(grain: str) -> Breakdown:
    return Breakdown("trend", "victims", (grain,), "line")


def _locale() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def day(value: dt.date | None) -> str:
    return format_date(value, "long", locale=_locale()) if value else ""


# --- links to the incident list ----------------------------------------------------------------------------


class Links:
    """Builds `/incidents/?…` for a row: the dashboard's filters, plus what the row's codes say."""

    def __init__(self, filters: Filters, fields: tuple[str, ...], codes_seen: dict[str, set]) -> None:
        self.base: dict[str, str] = {}
        if filters.date_from:
            self.base["date_from"] = filters.date_from.isoformat()
        if filters.date_to:
            self.base["date_to"] = filters.date_to.isoformat()
        if filters.place is not None:
            self.base["place"] = f"unit:{filters.place.pk}"
        if filters.violation_type is not None:
            self.base["violation_type"] = str(filters.violation_type.pk)
        if filters.perpetrator_category is not None:
            self.base["perpetrator_category"] = str(filters.perpetrator_category.pk)
        if filters.level == "verified":
            self.base["verification_status"] = VerificationStatus.VERIFIED
        self.units: dict[str, int] = {}
        self.terms: dict[tuple[str, str], int] = {}
        places = {c for name in ("region", "cercle", "commune") for c in codes_seen.get(name, set()) if c}
        if places:
            self.units = dict(AdminUnit.objects.current().filter(pcode__in=places).values_list("pcode", "pk"))
        for name, vocabulary in (
            ("violation_category", "violation_type"),
            ("violation_type", "violation_type"),
            ("perpetrator_category", "perpetrator_category"),
        ):
            codes = {c for c in codes_seen.get(name, set()) if c}
            if name in fields and codes:
                for code, pk in Term.objects.filter(vocabulary=vocabulary, code__in=codes).values_list(
                    "code", "pk"
                ):
                    self.terms[(name, code)] = pk

    def href(self, row: dict) -> str:
        query = dict(self.base)
        for name, code in row.items():
            if code is None or name == "value":
                continue
            if name in {"region", "cercle", "commune"} and code in self.units:
                query["place"] = f"unit:{self.units[code]}"
            elif (name, code) in self.terms:
                key = "perpetrator_category" if name == "perpetrator_category" else "violation_type"
                query[key] = str(self.terms[(name, code)])
            elif name in {"month", "quarter", "year"}:
                query["date_from"], query["date_to"] = (d.isoformat() for d in period_bounds(name, code))
        return reverse("incidents:list") + "?" + urlencode(query)


def period_bounds(name: str, code) -> tuple[dt.date, dt.date]:
    if name == "year":
        return dt.date(int(code), 1, 1), dt.date(int(code), 12, 31)
    if name == "quarter":
        year, quarter = (int(x) for x in str(code).split("-Q"))
        first = dt.date(year, 3 * quarter - 2, 1)
    else:
        year, month = (int(x) for x in str(code).split("-"))
        first = dt.date(year, month, 1)
    months = 3 if name == "quarter" else 1
    following = dt.date(first.year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def period_codes(name: str, first, last) -> list:
    """Every period from the first to the last, so a line does not skip the empty ones."""
    if name == "year":
        return list(range(int(first), int(last) + 1))
    out, start = [], period_bounds(name, first)[0]
    end = period_bounds(name, last)[0]
    while start <= end:
        out.append(f"{start.year}-Q{(start.month - 1) // 3 + 1}" if name == "quarter" else f"{start:%Y-%m}")
        start = period_bounds(name, out[-1])[1] + dt.timedelta(days=1)
    return out


# --- a breakdown: chart + table + links --------------------------------------------------------------------


def _codes_seen(result: Table) -> dict[str, set]:
    return {name: {row[name] for row in result.rows} for name in result.by}


def present(breakdown: Breakdown, filters: Filters, scope: Scope, query_string: str) -> dict:
    filters = breakdown.applied(filters)
    result = table(breakdown.measure, by=breakdown.by, filters=filters, scope=scope)
    return lay_out(breakdown, result, filters, query_string)


def children_view(filters: Filters, scope: Scope, query_string: str) -> dict:
    return {
        "breakdowns": [present(b, filters, scope, query_string) for b in CHILDREN_BREAKDOWNS.values()],
        "query": query_string,
    }


def lay_out(breakdown: Breakdown, result: Table, filters: Filters, query_string: str) -> dict:
    seen = _codes_seen(result)
    names = {name: labels.labels_for(name, seen[name]) for name in result.by}
    links = Links(filters, tuple(result.by), seen)
    title = breakdown.title()
    if len(result.by) == 1:
        name = result.by[0]
        rows = result.rows
        if breakdown.kind == "line" and rows:
            known = [r[name] for r in rows if r[name] is not None]
            codes = period_codes(name, min(known), max(known)) if known else []
            by_code = {r[name]: r["value"] for r in rows}
            rows = [{name: c, "value": by_code.get(c, 0)} for c in codes] + [
                r for r in rows if r[name] is None
            ]
            names[name] = labels.labels_for(name, {r[name] for r in rows})
        table_rows = [
            {
                "label": names[name][r[name]],
                "cells": [{"text": charts.number(r["value"]), "href": links.href(r)}],
            }
            for r in rows
        ]
        headers = [labels.field_title(name), labels.measure_title(result.measure)]
        dated = [r for r in rows if r[name] is not None]
        if breakdown.kind == "line":
            series = [
                charts.Series(
                    labels.measure_title(result.measure),
                    [r["value"] for r in dated],
                    [links.href(r) for r in dated],
                )
            ]
            chart = charts.line_chart([names[name][r[name]] for r in dated], series, title, breakdown.id)
        else:
            bars = [
                charts.Bar(
                    names[name][r[name]],
                    r["value"],
                    note=f"{names[name][r[name]]} : {charts.number(r['value'])}",
                    href=links.href(r),
                )
                for r in rows
            ]
            chart = charts.bar_chart(bars, title, breakdown.id)
    else:
        outer, inner = result.by
        outer_codes = sorted(seen[outer], key=lambda c: (c is None, str(c)))
        inner_codes = sorted(seen[inner], key=lambda c: (c is None, str(c)))
        cell = {(r[outer], r[inner]): r for r in result.rows}
        table_rows = [
            {
                "label": names[outer][o],
                "cells": [
                    {"text": charts.number(cell[(o, i)]["value"]), "href": links.href(cell[(o, i)])}
                    if (o, i) in cell
                    else {"text": "0", "href": ""}
                    for i in inner_codes
                ],
            }
            for o in outer_codes
        ]
        headers = [labels.field_title(outer), *(names[inner][i] for i in inner_codes)]
        series = [
            charts.Series(
                names[inner][i],
                [cell[(o, i)]["value"] if (o, i) in cell else 0 for o in outer_codes],
                [links.href(cell[(o, i)]) if (o, i) in cell else "" for o in outer_codes],
            )
            for i in inner_codes
        ]
        chart = charts.stacked_chart([names[outer][o] for o in outer_codes], series, title, breakdown.id)
    return {
        "id": breakdown.id,
        "title": title,
        "measure": labels.measure_title(result.measure),
        "chart": chart,
        "headers": headers,
        "rows": table_rows,
        "total": charts.number(result.total),
        "empty": not result.rows,
        "csv": reverse("statistics:download", args=[breakdown.id, "csv"]) + "?" + query_string,
        "xlsx": reverse("statistics:download", args=[breakdown.id, "xlsx"]) + "?" + query_string,
    }


# --- the headline: totals and change ------------------------------------------------------------------------

HEADLINE = (
    ("incidents", False, _("Incidents")),
    ("violations", False, _("Violations et atteintes")),
    ("victims", False, _("Victimes")),
    ("victims", True, _("dont enfants")),
)


def _with_period(filters: Filters, start: dt.date, end: dt.date) -> Filters:
    return replace(filters, date_from=start, date_to=end)


def headline(filters: Filters, scope: Scope) -> dict:
    """Totals over the filters, and their change from the period of the same length just before (the
    12 months up to the latest incident when no period is chosen)."""
    if filters.date_from and filters.date_to:
        current = (filters.date_from, filters.date_to)
        chosen = True
    else:
        latest = counted_violations(filters, scope).aggregate(d=Max("incident__start_date"))["d"]
        current = (latest - dt.timedelta(days=364), latest) if latest else None
        chosen = False
    before = previous_period(*current) if current else None
    cards = []
    for measure, children, title in HEADLINE:
        f = replace(filters, children_only=children)
        total = table(measure, filters=f, scope=scope).total
        now = (
            table(measure, filters=_with_period(f, *current), scope=scope).total
            if current and not chosen
            else total
        )
        then = table(measure, filters=_with_period(f, *before), scope=scope).total if before else None
        cards.append({"title": str(title), "total": charts.number(total), "change": change_text(then, now)})
    return {
        "cards": cards,
        "period": _("du %(start)s au %(end)s") % {"start": day(current[0]), "end": day(current[1])}
        if current
        else "",
        "before": _("du %(start)s au %(end)s") % {"start": day(before[0]), "end": day(before[1])}
        if before
        else "",
        "chosen": chosen,
    }


def change_text(before: int | None, after: int) -> str:
    if before is None:
        return ""
    if before == 0:
        return _("%(before)s → %(after)s") % {"before": charts.number(before), "after": charts.number(after)}
    relative = (after - before) / before
    sign = "+" if relative > 0 else ""
    return _("%(before)s → %(after)s (%(change)s)") % {
        "before": charts.number(before),
        "after": charts.number(after),
        "change": sign + format_percent(relative, locale=_locale()),
    }
