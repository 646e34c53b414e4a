"""What the public page and the public API show: protected figures, in the reader's language."""

from __future__ import annotations

from babel.numbers import format_decimal
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kurukan.analysis.disclosure import Figure, Status
from kurukan.places.models import AdminUnit, Level, Population
from kurukan.statistics import maps
from kurukan.vocabularies.models import Term

from .figures import UNKNOWN, PublicFigures


def _locale() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def number(value: float) -> str:
    return format_decimal(round(value, 1) if value % 1 else int(value), locale=_locale())


def text(figure: Figure) -> str:
    return number(figure.value) if figure.status == Status.SHOWN else figure.text


def cell(figure: Figure, rate_base: int | None = None) -> dict:
    shown = figure.status == Status.SHOWN
    rate = figure.value * 100_000 / rate_base if shown and rate_base else None
    return {
        "value": figure.value if shown else None,
        "text": text(figure),
        "hidden": not shown,
        "rate": round(rate, 1) if rate is not None else None,
        "rate_text": number(round(rate, 1)) if rate is not None else "",
    }


def _names(level: int) -> dict[str, str]:
    return dict(AdminUnit.objects.current().filter(level=level).values_list("pcode", "name"))


def _populations(level: int) -> dict[str, int]:
    """The latest population loaded for each unit of the level (`kurukan places population`)."""
    latest: dict[str, tuple[int, int]] = {}
    rows = Population.objects.filter(unit__boundary_set__is_current=True, unit__level=level).values_list(
        "unit__pcode", "year", "population"
    )
    for pcode, year, population in rows:
        if pcode not in latest or year > latest[pcode][0]:
            latest[pcode] = (year, population)
    return {pcode: population for pcode, (_year, population) in latest.items()}


def _category_labels() -> dict[str, str]:
    return {t.code: t.label for t in Term.objects.filter(vocabulary="violation_type", parent__isnull=True)}


def unknown_label(code: str) -> str:
    return _("lieu non précisé") if code in (UNKNOWN, "?") or code.endswith("?") else code


def rows_by_area(figures: PublicFigures, level: int) -> list[dict]:
    names, populations = _names(level), _populations(level)
    if level == Level.REGION:
        codes = [*sorted(names), *(c for c in figures.regions if c not in names)]
        key = "region"
    else:
        codes = [*sorted(names), *(c for cs in figures.cercles.values() for c in cs if c not in names)]
        key = "cercle"
    return [
        {
            "pcode": code,
            "name": names.get(code) or unknown_label(code),
            **cell(figures.get(key, code), populations.get(code)),
        }
        for code in codes
    ]


def the_map(figures: PublicFigures, level: int, rows: list[dict], url_for) -> maps.Map:
    use_rates = bool(rows) and all(
        r["rate"] is not None or r["hidden"] for r in rows if r["pcode"] in _names(level)
    )
    use_rates = use_rates and any(r["rate"] is not None for r in rows)
    shown = {
        r["pcode"]: maps.Figure(
            None if r["hidden"] else (r["rate"] if use_rates else r["value"]),
            r["rate_text"] if use_rates and not r["hidden"] else r["text"],
        )
        for r in rows
    }
    label = _("victimes pour 100 000 habitants") if use_rates else _("victimes")
    return maps.choropleth(level, shown, measure_label=label, url_for=url_for, number=number)


def crosstab(figures: PublicFigures) -> dict:
    labels, names = _category_labels(), _names(Level.REGION)
    columns = [{"code": c, "label": labels.get(c, c or _("type non précisé"))} for c in figures.categories]
    rows = [
        {
            "code": region,
            "label": names.get(region) or unknown_label(region),
            "cells": [cell(figures.get(("region", region, "category", c))) for c in figures.categories],
            "total": cell(figures.get("region", region)),
        }
        for region in figures.regions
    ]
    return {
        "columns": columns,
        "rows": rows,
        "totals": [cell(figures.get("category", c)) for c in figures.categories],
        "total": cell(figures.get("total")),
    }


def children(figures: PublicFigures) -> list[dict]:
    labels = {"child": _("enfants (moins de 18 ans)"), "adult": _("adultes"), "unknown": _("âge inconnu")}
    return [{"code": c, "label": labels[c], **cell(figures.get("child", c))} for c in figures.children]


def thresholds() -> dict:
    return {
        "general": settings.PUBLIC_THRESHOLD,
        "sexual_violence_and_children": settings.PUBLIC_THRESHOLD_SENSITIVE,
    }
