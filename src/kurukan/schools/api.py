"""Schools over JSON: the register, a school with its history and linked violations, the public list.

Reads go through the access helpers and the same queries and presenters as the pages; writes go through the
same forms (same checks, same messages) and actions (same audit events). Codes in: school codes, P-codes,
vocabulary codes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kurukan.accounts import access
from kurukan.api.errors import InvalidInput, field_error, form_errors, responses
from kurukan.api.lookups import Lookup
from kurukan.api.types import Blank, Date, Offset, Text
from kurukan.incidents.models import DatePrecision
from kurukan.places.models import AdminUnit
from kurukan.statistics import schools as figures

from . import actions, presenters, queries
from .forms import SchoolForm, StatusChangeForm, StatusCorrectionForm

router = Router(tags=["schools"])
MAX_LIMIT = 100


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class RegisterQuery(Schema):
    q: str = Field("", max_length=200, description="Nom (accents indifférents) ou code exact de l'école.")
    place: str = Field("", description="P-code d'une région, d'un cercle ou d'une commune.")
    level: str = Field("", description="Code du vocabulaire school_level.")
    # "" is the page's "any state": documented as such, so that an empty field is not a schema violation.
    state: Literal["closed", "open", "unknown", ""] = ""
    on: Annotated[Date | None, Blank] = Field(None, description="Date de l'état (par défaut aujourd'hui).")
    limit: int = Field(settings.PAGE_SIZE, ge=1, le=MAX_LIMIT)
    offset: Offset = 0


class StateOut(Schema):
    status: Text
    closed: bool | None
    since: dt.date | None
    reason: Text


class SchoolRow(Schema):
    code: Text
    name: Text
    level: Text
    region: Text
    cercle: Text
    commune: Text
    state: StateOut


class SchoolPage(Schema):
    count: int
    on: dt.date
    items: list[SchoolRow]


class EntryOut(Schema):
    id: int
    starts_on: dt.date
    precision: Text
    status: Text
    status_code: Text
    closed: bool | None
    reason: Text
    occupier: Text
    pupils: int | None
    teachers: int | None
    organisation: Text
    source: Text = Field(description="Vide sauf pour l'organisation qui a saisi l'entrée.")


class LinkedViolationOut(Schema):
    public_id: Text
    date: Text
    type: Text
    verification: Text


class SchoolOut(Schema):
    code: Text
    name: Text
    level: Text
    management: Text
    region: Text
    cercle: Text
    commune: Text
    commune_pcode: Text
    latitude: float | None
    longitude: float | None
    pupils: int
    teachers: int
    state: Text
    days_closed: int
    history: list[EntryOut]
    violations: list[LinkedViolationOut]


class ClosedQuery(Schema):
    # A string, not a date: the public page's empty field ("today") is part of the documented contract.
    on: str = Field(
        "",
        description="YYYY-MM-DD ; vide : aujourd'hui.",
        json_schema_extra={"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "enum": [""]}]},
    )
    by: Literal["region", "cercle"] = "region"


class FigureRow(Schema):
    region: Text | None = None
    cercle: Text | None = None
    name: Text
    value: int = Field(description="Écoles fermées à la date.")
    pupils: int
    teachers: int


class PublicSchool(Schema):
    code: Text
    name: Text
    region: Text
    cercle: Text
    commune: Text
    commune_pcode: Text
    level: Text
    status: Text
    since: dt.date
    reason: Text
    pupils: int


class ClosedOut(Schema):
    on: dt.date
    by: Text
    rows: list[FigureRow]
    total: int
    pupils: int
    teachers: int
    schools: list[PublicSchool]


class SchoolIn(Input):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    level: str = Field(description="Code du vocabulaire school_level.")
    management: str = Field("", description="Code du vocabulaire school_management.")
    commune: str = Field(description="P-code de la commune (ex. ML050301).")
    settlement: str = Field("", description="P-code ou nom d'une localité de la commune.")
    latitude: float | None = None
    longitude: float | None = None
    pupils_girls: int = Field(0, ge=0)
    pupils_boys: int = Field(0, ge=0)
    teachers_women: int = Field(0, ge=0)
    teachers_men: int = Field(0, ge=0)


class StatusIn(Input):
    status: str = Field(description="Code du vocabulaire school_status.")
    starts_on: dt.date
    date_precision: DatePrecision = DatePrecision.DAY
    reason: str = Field("", description="Code du vocabulaire closure_reason ; requis pour une fermeture.")
    occupier_category: str = Field("", description="Code du vocabulaire perpetrator_category.")
    occupied_by: str = Field("", description="Code d'un acteur.")
    pupils_affected: int | None = Field(None, ge=0)
    teachers_affected: int | None = Field(None, ge=0)
    source: str = Field("", max_length=250)


def _merge(lookup: Lookup, errors: list[dict]) -> list[dict]:
    """Unknown codes first; the form's "required" on the same field would only repeat them."""
    taken = {e["field"] for e in lookup.errors}
    return lookup.errors + [e for e in errors if e["field"] not in taken]


def _place(pcode: str) -> AdminUnit | None:
    if not pcode:
        return None
    unit = AdminUnit.objects.current().filter(pcode=pcode.strip().upper(), level__gte=1).first()
    if unit is None:
        raise InvalidInput(
            [field_error("place", f"« {pcode} » : P-code inconnu (ex. ML05, ML0503, ML050301).")]
        )
    return unit


@router.get(
    "/", response={200: SchoolPage, **responses(401, 422)}, url_name="school_list", summary="Registre"
)
def school_list(request: HttpRequest, filters: Query[RegisterQuery]) -> dict:
    register = queries.RegisterFilters(
        q=filters.q,
        place=_place(filters.place),
        state=filters.state or "",
        levels=(filters.level,) if filters.level else (),
        on=filters.on or timezone.localdate(),
    )
    schools = queries.register(request.user, register)
    rows = presenters.register_rows(list(schools[filters.offset : filters.offset + filters.limit]))
    return {
        "count": schools.count(),
        "on": register.on,
        "items": [
            {
                **row,
                "state": {
                    "status": row["state"],
                    "closed": row["closed"],
                    "since": row["since"],
                    "reason": row["reason"],
                },
            }
            for row in rows
        ],
    }


@router.get(
    "/closed",
    auth=None,
    response={200: ClosedOut, **responses(422)},
    url_name="school_closed",
    summary="Liste publique : écoles fermées à une date, et leur nombre par région ou cercle",
)
def school_closed(request: HttpRequest, filters: Query[ClosedQuery]) -> dict:
    try:
        day = dt.date.fromisoformat(filters.on) if filters.on else timezone.localdate()
    except ValueError:
        raise InvalidInput([field_error("on", "Date impossible : écrivez-la AAAA-MM-JJ.")]) from None
    # A date to come reads the register as it stands today: the history holds nothing later.
    day = min(day, timezone.localdate())
    table = figures.closed_on(day, filters.by)
    return {
        "on": day,
        "by": filters.by,
        "rows": table.rows,
        "total": table.total,
        "pupils": table.pupils,
        "teachers": table.teachers,
        "schools": presenters.public_rows(day),
    }


def _school_out(user, school) -> dict:
    context = presenters.school_context(user, school)
    return {
        "code": school.code,
        "name": school.name,
        "level": school.level.label,
        "management": school.management.label if school.management else "",
        "region": school.region.name,
        "cercle": school.cercle.name,
        "commune": school.commune.name,
        "commune_pcode": school.commune.pcode,
        "latitude": school.latitude,
        "longitude": school.longitude,
        "pupils": school.pupils,
        "teachers": school.teachers,
        "state": context["state"],
        "days_closed": context["days_closed"],
        "history": context["timeline"],
        "violations": context["violations"],
    }


@router.get(
    "/{code}",
    response={200: SchoolOut, **responses(401, 404)},
    url_name="school_detail",
    summary="Une école, son historique et les violations liées que l'on peut voir",
)
def school_detail(request: HttpRequest, code: str) -> dict:
    return _school_out(request.user, access.get_school_for_view(request.user, code))


@router.post(
    "/",
    response={201: SchoolOut, **responses(401, 403, 422)},
    url_name="school_create",
    summary="Ajouter une école au registre",
)
def school_create(request: HttpRequest, payload: SchoolIn) -> Status:
    if not access.can_record_schools(request.user):
        raise PermissionDenied
    lookup = Lookup()
    data = payload.dict()
    data.update(
        level=lookup.term("school_level", payload.level, "level") or "",
        management=lookup.term("school_management", payload.management, "management") or "",
        commune_name=payload.commune,
        settlement_name=payload.settlement,
    )
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = SchoolForm(data)
    if lookup.errors or not form.is_valid():
        rename = {"commune_name": "commune", "settlement_name": "settlement"}
        raise InvalidInput(_merge(lookup, form_errors(form, rename=rename)))
    school = actions.add_school(form.save(commit=False), request.user)
    return Status(201, _school_out(request.user, school))


@router.post(
    "/{code}/status",
    response={201: SchoolOut, **responses(401, 403, 404, 422)},
    url_name="school_status_add",
    summary="Enregistrer un changement d'état (refusé s'il contredit l'historique)",
)
def school_status_add(request: HttpRequest, code: str, payload: StatusIn) -> Status:
    school = access.get_school_for_view(request.user, code)
    if not access.can_record_schools(request.user):
        raise PermissionDenied
    lookup = Lookup()
    data = payload.dict()
    data.update(
        status=lookup.term("school_status", payload.status, "status") or "",
        reason=lookup.term("closure_reason", payload.reason, "reason") or "",
        occupier_category=lookup.term("perpetrator_category", payload.occupier_category, "occupier_category")
        or "",
        occupied_by=lookup.actor(payload.occupied_by, "occupied_by") or "",
    )
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = StatusChangeForm(data, school=school)
    if lookup.errors or not form.is_valid():
        raise InvalidInput(_merge(lookup, form_errors(form)))
    try:
        actions.record_status_change(form.save(commit=False), request.user)
    except ValidationError as exc:
        raise InvalidInput(
            [
                field_error(field, message)
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc
    return Status(201, _school_out(request.user, school))


class StatusCorrectionIn(StatusIn):
    correction_reason: str = Field(
        max_length=100, description="Pourquoi l'entrée est corrigée (gardé avec sa version précédente)."
    )


@router.put(
    "/{code}/status/{int:change_id}",
    response={200: SchoolOut, **responses(401, 403, 404, 422)},
    url_name="school_status_correct",
    summary="Corriger une entrée de l'historique (version précédente gardée ; refusé si l'historique se contredit)",
)
def school_status_correct(
    request: HttpRequest, code: str, change_id: int, payload: StatusCorrectionIn
) -> dict:
    """The page's correction over the API: the recorders of the entry's organisation (and administrators)."""
    school = access.get_school_for_view(request.user, code)
    change = school.status_changes.filter(pk=change_id).first()
    if change is None:
        from django.http import Http404

        raise Http404
    if not actions.may_correct(request.user, change):
        raise PermissionDenied
    lookup = Lookup()
    data = payload.dict()
    data.update(
        status=lookup.term("school_status", payload.status, "status") or "",
        reason=lookup.term("closure_reason", payload.reason, "reason") or "",
        occupier_category=lookup.term("perpetrator_category", payload.occupier_category, "occupier_category")
        or "",
        occupied_by=lookup.actor(payload.occupied_by, "occupied_by") or "",
    )
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = StatusCorrectionForm(data, instance=change, school=school)
    if lookup.errors or not form.is_valid():
        raise InvalidInput(_merge(lookup, form_errors(form)))
    try:
        actions.correct_status_change(
            form.save(commit=False), request.user, form.cleaned_data["correction_reason"]
        )
    except ValidationError as exc:
        raise InvalidInput(
            [
                field_error(field, message)
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc
    school.refresh_from_db()
    return _school_out(request.user, school)
