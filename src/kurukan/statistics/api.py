"""Figures over JSON: the same `counting.table`, the same filters and the same access rules as the pages.

Codes in and out: P-codes, vocabulary codes, organisation codes; rows carry codes (and labels in the
reader's language), so a client can join them to its own tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kurukan.accounts.models import Organisation
from kurukan.api.errors import InvalidInput, field_error, form_errors, responses
from kurukan.api.lookups import Lookup
from kurukan.api.types import Blank
from kurukan.places.models import AdminUnit

from . import compare, labels
from .counting import FIELDS, MEASURES, CountingError, Scope, table
from .forms import CompareForm, StatisticsForm

router = Router(tags=["statistics"])


class FilterQuery(Schema):
    region: str = Field("", description="Région, cercle ou commune : P-code (ML05, ML0503, ML050301).")
    violation_type: str = Field(
        "", description="Code du vocabulaire violation_type ; un parent inclut ses types."
    )
    perpetrator_category: str = Field("", description="Code du vocabulaire perpetrator_category.")
    organisation: str = Field("", description="Code de l'organisation propriétaire des dossiers.")
    level: str = Field("documented", description="reported, documented ou verified.")


class TableQuery(FilterQuery):
    measure: str = Field("victims", description=f"{', '.join(MEASURES)}")
    by: str = Field("", description=f"Champs séparés par des virgules parmi : {', '.join(FIELDS)}.")
    date_from: Annotated[dt.date | None, Blank] = None
    date_to: Annotated[dt.date | None, Blank] = None
    children: bool = Field(False, description="Victimes : les enfants seulement.")


class CompareQuery(FilterQuery):
    measure: str = Field("violations", description="violations, victims ou incidents.")
    a_from: dt.date
    a_to: dt.date
    b_from: dt.date
    b_to: dt.date


class TableOut(Schema):
    measure: str
    by: list[str]
    level: str
    rows: list[dict[str, Any]] = Field(
        description="Chaque champ : son code ; `<champ>_label` : son libellé ; value."
    )
    total: int


class CompareRow(Schema):
    label: str
    a: str
    b: str
    difference: str
    change: str
    within_chance: bool
    sentence: str


class CompareSection(Schema):
    title: str
    rows: list[CompareRow]


class CompareOut(Schema):
    measure: str
    periods: list[str]
    a: str
    b: str
    difference: str
    change: str
    sentence: str
    p: float | None
    sections: list[CompareSection]


def _form_data(query: FilterQuery, lookup: Lookup) -> dict[str, Any]:
    data: dict[str, Any] = {"level": query.level}
    for name in ("violation_type", "perpetrator_category"):
        code = getattr(query, name)
        data[name] = lookup.term(name, code, name) if code else ""
    if query.region:
        unit = lookup.pcode(AdminUnit.objects.current(), query.region, "region")
        data["place"] = f"unit:{unit.pk}" if unit else ""
    if query.organisation:
        found = Organisation.objects.filter(code=query.organisation).first()
        if found is None:
            lookup.errors.append(
                field_error(
                    "organisation",
                    _("« %(code)s » n'est pas le code d'une organisation.") % {"code": query.organisation},
                )
            )
        data["organisation"] = found.pk if found else ""
    return data


def _valid(form_class, data: dict, lookup: Lookup):
    form = form_class({k: v for k, v in data.items() if v not in ("", None)})
    if lookup.errors or not form.is_valid():
        raise InvalidInput(lookup.errors + form_errors(form))
    return form


@router.get("/table", response={200: TableOut, **responses(401, 422)}, summary="Un tableau de chiffres")
def statistics_table(request: HttpRequest, query: Query[TableQuery]) -> dict:
    lookup = Lookup()
    data = _form_data(query, lookup)
    data.update(date_from=query.date_from, date_to=query.date_to)
    form = _valid(StatisticsForm, data, lookup)
    filters = form.filters()
    if query.children:
        filters = replace(filters, children_only=True)
    if query.measure not in MEASURES:
        message = _("Mesure inconnue : choisissez parmi %(choices)s.") % {"choices": ", ".join(MEASURES)}
        raise InvalidInput([field_error("measure", message)])
    by = [name.strip() for name in query.by.split(",") if name.strip()]
    try:
        result = table(query.measure, by=by, filters=filters, scope=Scope.for_user(request.user))
    except CountingError as error:
        raise InvalidInput([field_error("by", str(error))]) from error
    names = {n: labels.labels_for(n, {r[n] for r in result.rows}) for n in result.by}
    rows = [{**r, **{f"{n}_label": names[n][r[n]] for n in result.by}} for r in result.rows]
    return {**result.as_dict(), "rows": rows, "level": filters.level}


@router.get("/compare", response={200: CompareOut, **responses(401, 422)}, summary="Comparer deux périodes")
def statistics_compare(request: HttpRequest, query: Query[CompareQuery]) -> dict:
    lookup = Lookup()
    data = _form_data(query, lookup)
    data.update(
        measure=query.measure, a_from=query.a_from, a_to=query.a_to, b_from=query.b_from, b_to=query.b_to
    )
    form = _valid(CompareForm, data, lookup)
    return compare.compare_periods(form, Scope.for_user(request.user))
