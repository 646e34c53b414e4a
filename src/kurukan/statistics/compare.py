"""Two periods side by side: counts, absolute and relative change, by type and by region, and a sentence
that states only what the numbers show.

"Within chance": the exact conditional test for two Poisson counts. If the rate did not change, then given
the total n = a + b, the second period's count b follows Binomial(n, t_b / (t_a + t_b)), t being each
period's length in days (Przyborowski and Wilenski 1940; the "C-test" of Krishnamoorthy and Thomson 2004).
The two-sided p-value is scipy's `binomtest`; p ≥ 0.05 is said "within what chance alone gives". Victims
come in clusters (one massacre, many victims), more variable than Poisson: for them the test is too quick to
call a change real, which docs/statistics.md says; incidents and violations fit it better.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from django.utils.translation import gettext as _
from scipy.stats import binomtest

from . import charts, labels
from .counting import Filters, Scope, table
from .forms import CompareForm
from .presenters import _locale

SIGNIFICANCE = 0.05


def p_value(a: int, b: int, days_a: int, days_b: int) -> float | None:
    """Two-sided exact p-value of "same daily rate in both periods"; None when there is nothing to test."""
    if a + b == 0:
        return None
    return float(binomtest(b, a + b, days_b / (days_a + days_b)).pvalue)


def change(a: int, b: int) -> str:
    if a == 0:
        return f"+{charts.number(b)}" if b else "0"
    relative = (b - a) / a
    return ("+" if relative > 0 else "") + format_percent(relative, locale=_locale())


def _subject(measure: str, level: str) -> str:
    level_word = {"verified": _("vérifiées"), "documented": _("documentées"), "reported": _("signalées")}[
        level
    ]
    return {
        "violations": _("Les violations et atteintes %(level)s"),
        "victims": _("Les victimes de violations %(level)s"),
        "incidents": _("Les incidents aux violations %(level)s"),
    }[measure] % {"level": level_word}


def _where(filters: Filters, region_name: str = "") -> str:
    place = filters.place
    if region_name:
        return _(" dans la région de %(name)s") % {"name": region_name}
    if filters.places:  # several regions at once: "dans les régions de Mopti et Ségou"
        names = format_list([unit.name for unit in filters.places], locale=_locale())
        return _(" dans les régions de %(names)s") % {"names": names}
    if place is None or not place.level:
        return ""
    return {
        1: _(" dans la région de %(name)s"),
        2: _(" dans le cercle de %(name)s"),
        3: _(" dans la commune de %(name)s"),
    }[place.level] % {"name": place.name}


def sentence(measure: str, filters: Filters, a: int, b: int, p: float | None, *, what="", region="") -> str:
    parts = {
        "subject": _subject(measure, filters.level),
        "what": _(" de type « %(type)s »") % {"type": what} if what else "",
        "where": _where(filters, region),
        "a": charts.number(a),
        "b": charts.number(b),
        "change": change(a, b),
    }
    # French agrees the participle with the subject: incidents are masculine, violations and victims not.
    if a == b:
        text = (
            _("%(subject)s%(what)s%(where)s sont restés à %(a)s.")
            if measure == "incidents"
            else _("%(subject)s%(what)s%(where)s sont restées à %(a)s.")
        ) % parts
    else:
        text = (
            _("%(subject)s%(what)s%(where)s sont passés de %(a)s à %(b)s (%(change)s).")
            if measure == "incidents"
            else _("%(subject)s%(what)s%(where)s sont passées de %(a)s à %(b)s (%(change)s).")
        ) % parts
    text = text[0].upper() + text[1:]  # English puts the level first: "verified violations…"
    if p is None:
        return text
    shown = format_decimal(round(p, 3), locale=_locale())
    if p >= SIGNIFICANCE:
        return (
            text
            + " "
            + _(
                "Une variation de cette ampleur reste dans ce que le hasard seul produit (test exact de Poisson, p = %(p)s)."
            )
            % {"p": shown}
        )
    return (
        text
        + " "
        + _("Cette variation dépasse ce que le hasard seul explique (test exact de Poisson, p = %(p)s).")
        % {"p": shown}
    )


def _period(start: dt.date, end: dt.date) -> str:
    return f"{format_date(start, 'short', locale=_locale())} – {format_date(end, 'short', locale=_locale())}"


def _days(start: dt.date, end: dt.date) -> int:
    return (end - start).days + 1


def compare_periods(form: CompareForm, scope: Scope) -> dict:
    data = form.cleaned_data
    base = form.filters()
    measure = data.get("measure") or "violations"
    first = replace(base, date_from=data["a_from"], date_to=data["a_to"])
    second = replace(base, date_from=data["b_from"], date_to=data["b_to"])
    days_a, days_b = _days(data["a_from"], data["a_to"]), _days(data["b_from"], data["b_to"])
    a_total = table(measure, filters=first, scope=scope).total
    b_total = table(measure, filters=second, scope=scope).total
    p = p_value(a_total, b_total, days_a, days_b)
    sections = []
    for field in ("violation_category", "region"):
        before = {r[field]: r["value"] for r in table(measure, by=[field], filters=first, scope=scope).rows}
        after = {r[field]: r["value"] for r in table(measure, by=[field], filters=second, scope=scope).rows}
        codes = sorted(set(before) | set(after), key=lambda c: (c is None, str(c)))
        names = labels.labels_for(field, set(codes))
        rows = []
        for code in codes:
            a, b = before.get(code, 0), after.get(code, 0)
            row_p = p_value(a, b, days_a, days_b)
            kind = {"what": names[code]} if field == "violation_category" else {"region": names[code]}
            rows.append(
                {
                    "label": names[code],
                    "a": charts.number(a),
                    "b": charts.number(b),
                    "difference": ("+" if b > a else "") + charts.number(b - a),
                    "change": change(a, b),
                    "within_chance": row_p is None or row_p >= SIGNIFICANCE,
                    "sentence": sentence(measure, first, a, b, row_p, **kind),
                }
            )
        sections.append({"title": labels.field_title(field), "rows": rows})
    return {
        "measure": labels.measure_title(measure),
        "periods": (_period(data["a_from"], data["a_to"]), _period(data["b_from"], data["b_to"])),
        "a": charts.number(a_total),
        "b": charts.number(b_total),
        "difference": ("+" if b_total > a_total else "") + charts.number(b_total - a_total),
        "change": change(a_total, b_total),
        "sentence": sentence(measure, first, a_total, b_total, p),
        "p": p,
        "sections": sections,
    }
