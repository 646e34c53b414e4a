"""Incidents over JSON: the list page's query and de-identification, the recording forms' rules, the actions.

Reads go through `queries` and `presenters` (so the page and the API cannot disagree) and the access helpers;
writes go through the recording forms (same checks, same messages) and `actions` (same audit events).
Codes in, primary keys out: clients send vocabulary codes, actor codes and P-codes (see kurukan.api.lookups).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kurukan.accounts import access
from kurukan.accounts.models import Confidentiality
from kurukan.api.errors import Conflict, InvalidInput, field_error, form_errors, responses
from kurukan.api.lookups import Lookup
from kurukan.api.types import Blank, Date, Offset, Text
from kurukan.people.models import Sex
from kurukan.places.models import AdminUnit, Level, Settlement
from kurukan.schools.models import School

from . import actions, queries
from .forms import (
    GroupVictimsForm,
    IncidentForm,
    PerpetratorForm,
    ReopenForm,
    VerificationForm,
    VictimForm,
    ViolationForm,
)
from .models import DatePrecision, GeoPrecision, Incident, IncidentStatus, VerificationStatus, Violation
from .presenters import incident_record, list_rows

router = Router(tags=["incidents"])

MAX_LIMIT = 100
MAX_PARTS = 500  # victims, groups or perpetrators in one request


# --- Schemas ------------------------------------------------------------------------------------------------


class IncidentFilterQuery(Schema):
    """The list page's filters, as codes: the incident list and the exports take the same."""

    q: str = Field("", max_length=200, description="Texte libre : titre, résumé public ou identifiant exact.")
    date_from: Annotated[Date | None, Blank] = None
    date_to: Annotated[Date | None, Blank] = None
    region: str = Field("", description="Région : P-code (ML05) ou identifiant.")
    place: str = Field("", description="Cercle ou commune : `unit:<id>` de /api/places/search, ou un P-code.")
    violation_type: str = Field(
        "", description="Code du vocabulaire violation_type ; un code parent inclut ses types."
    )
    perpetrator_category: str = Field("", description="Code du vocabulaire perpetrator_category.")
    verification_status: Annotated[VerificationStatus | None, Blank] = None
    status: Annotated[IncidentStatus | None, Blank] = None


class IncidentQuery(IncidentFilterQuery):
    limit: int = Field(settings.PAGE_SIZE, ge=1, le=MAX_LIMIT)
    offset: Offset = 0


class IncidentRow(Schema):
    public_id: Text
    title: Text
    date: Text = Field(description="La date à la précision connue, dans la langue de l'utilisateur.")
    start_date: dt.date
    date_precision: DatePrecision
    place: Text = Field(description="Commune, cercle, région : jamais la localité dans une liste.")
    types: list[Text]
    victims: int
    violations: int
    verified: int
    status: Text
    status_code: IncidentStatus
    organisation: Text


class IncidentPage(Schema):
    count: int = Field(description=f"Nombre d'incidents, plafonné à {queries.COUNT_CAP}.")
    count_is_capped: bool
    limit: int
    offset: int
    next_offset: int | None
    items: list[IncidentRow]


class UnitRef(Schema):
    pcode: Text
    name: Text


class VictimOut(Schema):
    id: int
    label: Text = Field(description="Le nom pour qui peut voir les identités, sinon « Victime n ».")
    named: bool
    person_id: Text | None = Field(None, description="Absent sans accès aux identités.")
    sex: Text
    age: Text
    child: bool
    status_after: Text
    categories: list[Text]


class GroupOut(Schema):
    id: int
    description: Text
    total: int
    women: int
    men: int
    girls: int
    boys: int
    unknown: int


class PerpetratorOut(Schema):
    id: int
    actor: Text
    category: Text
    state: bool
    involvement: Text


class ViolationOut(Schema):
    id: int
    type: Text
    type_code: Text
    group: Text
    kind: Text = Field(description="violation (acteur étatique), atteinte (acteur non étatique) ou vide.")
    counted_by: Text
    methods: list[Text]
    verification: Text
    verification_code: VerificationStatus
    standard: Text
    verified_by: Text
    verified_at: dt.datetime | None
    note: Text | None = Field(None, description="Note de vérification ; absente sans accès aux identités.")
    victims: list[VictimOut]
    groups: list[GroupOut]
    perpetrators: list[PerpetratorOut]
    victim_total: int


class SourceOut(Schema):
    id: int
    kind: Text
    reliability: Text
    language: Text
    reported_on: dt.date | None
    description: Text


class IncidentOut(Schema):
    public_id: Text
    title: Text
    status: Text
    status_code: IncidentStatus
    confidentiality: Confidentiality
    organisation: Text
    start_date: dt.date
    end_date: dt.date | None
    date_precision: DatePrecision
    date_estimated: bool
    date_label: Text
    end_label: Text
    place: Text
    region: UnitRef | None
    cercle: UnitRef | None
    commune: UnitRef | None
    settlement: UnitRef | None = Field(None, description="Absent si le lieu exact est protégé pour vous.")
    latitude: float | None = Field(None, description="Absent si le lieu exact est protégé pour vous.")
    longitude: float | None = Field(None, description="Absent si le lieu exact est protégé pour vous.")
    geo_precision: GeoPrecision
    public_summary: Text
    narrative: Text | None = Field(None, description="Absent sans accès aux identités.")
    identities: bool = Field(description="Vrai si la réponse contient les noms, le récit et les sources.")
    withheld: int = Field(
        0, description="Personnes non nommées faute de consentement au partage avec votre organisation."
    )
    violations: list[ViolationOut]
    sources: list[SourceOut] | None = Field(None, description="Absent sans accès aux identités.")
    source_count: int
    can_edit: bool
    can_verify: bool
    submitted_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class Input(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently lost data


class IncidentIn(Input):
    title: str = Field(max_length=250)
    start_date: Date
    end_date: Date | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    date_estimated: bool = False
    region: str | None = Field(None, description="P-code de la région.")
    cercle: str | None = Field(None, description="P-code du cercle.")
    commune: str | None = Field(None, description="P-code de la commune.")
    settlement: str | None = Field(None, description="P-code de la localité (la commune en est déduite).")
    geo_precision: GeoPrecision = GeoPrecision.NEAR
    latitude: float | None = None
    longitude: float | None = None
    confidentiality: Confidentiality = Confidentiality.INTERNAL
    public_summary: str = Field("", description="Sans nom ni détail identifiant : il peut être publié.")
    narrative: str = Field("", description="Récit détaillé, chiffré et protégé.")


class VictimIn(Input):
    given_name: str = Field("", max_length=200)
    family_name: str = Field("", max_length=200)
    other_names: str = Field(
        "",
        max_length=300,
        description="Surnom ou signalement, si le nom est inconnu (l'un des trois est requis).",
    )
    sex: Sex = Sex.UNKNOWN
    age_at_time: int | None = None
    age_estimated: bool = False
    birth_year: int | None = None
    categories: list[str] = Field(default_factory=list, description="Codes du vocabulaire victim_category.")
    status_after: str | None = Field(None, description="Code du vocabulaire victim_status.")
    phone: str = Field("", max_length=40)


class GroupIn(Input):
    description: str = Field("", max_length=200)
    women: int = Field(0, ge=0)
    men: int = Field(0, ge=0)
    girls: int = Field(0, ge=0)
    boys: int = Field(0, ge=0)
    unknown: int = Field(0, ge=0)


class PerpetratorIn(Input):
    actor: str | None = Field(None, description="Code de l'acteur (la catégorie en est déduite).")
    category: str | None = Field(None, description="Code du vocabulaire perpetrator_category.")
    involvement: str | None = Field(None, description="Code du vocabulaire involvement.")


class ViolationIn(Input):
    type: str = Field(description="Code précis du vocabulaire violation_type (pas une catégorie).")
    methods: list[str] = Field(default_factory=list, description="Codes du vocabulaire method.")
    victims: list[VictimIn] = Field(default_factory=list, max_length=MAX_PARTS)
    groups: list[GroupIn] = Field(default_factory=list, max_length=MAX_PARTS)
    perpetrators: list[PerpetratorIn] = Field(default_factory=list, max_length=MAX_PARTS)
    school: str = Field(
        "",
        description="Code national d'une école de la commune de l'incident (attaque contre une école, "
        "utilisation militaire).",
    )


class VerificationIn(Input):
    status: VerificationStatus
    standard_of_proof: str | None = Field(
        None, description="Code du vocabulaire standard_of_proof ; requis si verified."
    )
    note: str = ""


# --- Presenting -------------------------------------------------------------------------------------------


def incident_payload(user, incident: Incident) -> dict[str, Any]:
    """The presenter's de-identified record, with what this user may do: nothing is stripped here."""
    return {
        **incident_record(user, incident),
        "can_edit": access.can_edit(user, incident),
        "can_verify": access.can_verify(user, incident) and incident.status != IncidentStatus.DRAFT,
    }


# --- Reading ------------------------------------------------------------------------------------------------


def filter_form(filters: IncidentFilterQuery) -> queries.IncidentFilterForm:
    lookup = Lookup()
    data: dict[str, Any] = {
        "q": filters.q,
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
        "verification_status": filters.verification_status or "",
        "status": filters.status or "",
        "region": filters.region,
        "place": filters.place,
    }
    for name in ("violation_type", "perpetrator_category"):
        code = getattr(filters, name)
        data[name] = code if code.isdigit() else lookup.term(name, code, name)
    if filters.region and not filters.region.isdigit():
        region = lookup.pcode(
            AdminUnit.objects.current().regions().defer("geometry"), filters.region, "region"
        )
        data["region"] = region.pk if region else ""
    if filters.place and ":" not in filters.place:
        unit = lookup.pcode(AdminUnit.objects.current().defer("geometry"), filters.place, "place")
        data["place"] = f"unit:{unit.pk}" if unit else ""
    form = queries.IncidentFilterForm({k: v for k, v in data.items() if v not in ("", None)})
    if lookup.errors or not form.is_valid():
        raise InvalidInput(_merge(lookup.errors, form_errors(form)))
    return form


@router.get(
    "",
    response={200: IncidentPage, **responses(401, 422)},
    summary="Lister les incidents (filtres de la page)",
)
def incident_list(request: HttpRequest, filters: Query[IncidentQuery]) -> dict:
    # A misspelt or unsupported filter would otherwise be ignored and the answer silently wider.
    unknown = sorted(set(request.GET) - set(IncidentQuery.model_fields))
    if unknown:
        known = ", ".join(IncidentQuery.model_fields)
        raise InvalidInput(
            [
                field_error(
                    name,
                    _("Filtre inconnu : « %(name)s ». Filtres acceptés : %(known)s.")
                    % {"name": name, "known": known},
                )
                for name in unknown
            ]
        )
    form = filter_form(filters)
    listing = queries.incident_listing(request.user, queries.IncidentFilters.from_form(form))
    incidents, total, capped = queries.read_page(
        listing, filters.offset, filters.limit + 1, queries.COUNT_CAP
    )
    page = incidents[: filters.limit]
    items = [
        {**row, "start_date": incident.start_date, "date_precision": incident.date_precision}
        for row, incident in zip(list_rows(request.user, page), page, strict=True)
    ]
    return {
        "count": total,
        "count_is_capped": capped,
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if len(incidents) > filters.limit else None,
        "items": items,
    }


@router.get(
    "/{public_id}",
    response={200: IncidentOut, **responses(401, 404)},
    exclude_unset=True,
    summary="Lire un incident",
)
def incident_detail(request: HttpRequest, public_id: str) -> dict:
    return incident_payload(request.user, access.get_incident_for_view(request.user, public_id))


# --- Recording ----------------------------------------------------------------------------------------------


def _merge(lookup_errors: list[dict], other: list[dict]) -> list[dict]:
    """Lookup errors first: a form's "required" or "invalid choice" on the same field would repeat them."""
    taken = {e["field"] for e in lookup_errors}
    return lookup_errors + [
        e for e in other if not any(f == e["field"] or f.startswith(e["field"] + ".") for f in taken)
    ]


def _place_data(payload: IncidentIn, lookup: Lookup) -> tuple[dict[str, Any], dict[str, str]]:
    """P-codes to the form's region and place fields; how to name the form's place errors."""
    current = AdminUnit.objects.current().defer("geometry")  # the boundary is for maps, not for a record
    region: AdminUnit | None = None
    cercle: AdminUnit | None = None
    commune: AdminUnit | None = None
    settlement: Settlement | None = None
    if payload.region:
        region = lookup.pcode(current.regions(), payload.region, "region")
    if payload.cercle:
        cercle = lookup.pcode(current.filter(level=Level.CERCLE), payload.cercle, "cercle")
    if payload.commune:
        commune = lookup.pcode(current.filter(level=Level.COMMUNE), payload.commune, "commune")
    if payload.settlement:
        settlements = Settlement.objects.filter(commune__boundary_set__is_current=True).select_related(
            "commune"
        )
        settlement = lookup.pcode(settlements, payload.settlement, "settlement")
    if settlement is not None and commune is not None and settlement.commune_id != commune.pk:
        lookup.errors.append(
            field_error(
                "settlement",
                _(
                    "La localité %(place)s n'est pas dans la commune %(commune)s : "
                    "corrigez l'un des deux P-codes."
                )
                % {"place": settlement.name, "commune": commune.name},
            )
        )
    if commune is not None and cercle is not None and commune.parent_id != cercle.pk:
        lookup.errors.append(
            field_error(
                "commune",
                _(
                    "La commune %(place)s n'est pas dans le cercle %(cercle)s : "
                    "corrigez l'un des deux P-codes."
                )
                % {"place": commune.name, "cercle": cercle.name},
            )
        )
    data: dict[str, Any] = {"region_choice": region.pk if region else "", "place": ""}
    place_field = "commune"
    if settlement is not None:
        data["place"], place_field = f"settlement:{settlement.pk}", "settlement"
    elif commune is not None:
        data["place"] = f"unit:{commune.pk}"
    elif cercle is not None:
        data["place"], place_field = f"unit:{cercle.pk}", "cercle"
    return data, {"place": place_field, "region_choice": "region"}


@router.post(
    "",
    response={201: IncidentOut, **responses(401, 403, 422)},
    exclude_unset=True,
    summary="Créer un incident (brouillon)",
)
def incident_create(request: HttpRequest, payload: IncidentIn) -> Status:
    if not access.can_create(request.user):
        raise PermissionDenied
    lookup = Lookup()
    place, rename = _place_data(payload, lookup)
    data = {
        **payload.model_dump(
            exclude={"region", "cercle", "commune", "settlement"}, exclude_none=True, mode="json"
        ),
        **place,
    }
    form = IncidentForm(data)
    if not form.is_valid() or lookup.errors:
        errors = form_errors(form, rename=rename)
        if lookup.errors:  # the place did not resolve: the form's "choose a place" would only repeat it
            errors = [e for e in errors if e["field"] not in set(rename.values())]
        raise InvalidInput(lookup.errors + errors)
    incident = actions.save_incident(form.save(commit=False), request.user, created=True)
    return Status(201, incident_payload(request.user, incident))


def _part_forms(payload: ViolationIn, incident: Incident, lookup: Lookup) -> dict[str, list]:
    victims = [
        VictimForm(
            {
                **victim.model_dump(exclude={"categories", "status_after"}, exclude_none=True, mode="json"),
                "categories": lookup.terms("victim_category", victim.categories, f"victims.{i}.categories"),
                "status_after": lookup.term("victim_status", victim.status_after, f"victims.{i}.status_after")
                or "",
            },
            incident=incident,
        )
        for i, victim in enumerate(payload.victims)
    ]
    groups = [GroupVictimsForm(group.model_dump()) for group in payload.groups]
    perpetrators = [
        PerpetratorForm(
            {
                "actor": lookup.actor(p.actor, f"perpetrators.{i}.actor") or "",
                "category": lookup.term("perpetrator_category", p.category, f"perpetrators.{i}.category")
                or "",
                "involvement": lookup.term("involvement", p.involvement, f"perpetrators.{i}.involvement")
                or "",
            }
        )
        for i, p in enumerate(payload.perpetrators)
    ]
    return {"victims": victims, "groups": groups, "perpetrators": perpetrators}


def _violation_of(incident: Incident, violation_id: int) -> Violation:
    violation = incident.violations.select_related("type", "incident").filter(pk=violation_id).first()
    if violation is None:
        raise Http404
    return violation


def _violation_payload(user, incident: Incident, violation_id: int) -> dict:
    incident.refresh_from_db()
    return next(v for v in incident_payload(user, incident)["violations"] if v["id"] == violation_id)


@router.post(
    "/{public_id}/violations",
    response={201: ViolationOut, **responses(401, 403, 404, 422)},
    exclude_unset=True,
    summary="Ajouter une violation ou atteinte, avec ses victimes et auteurs présumés",
)
def violation_add(request: HttpRequest, public_id: str, payload: ViolationIn) -> Status:
    incident = access.get_incident_for_edit(request.user, public_id)
    lookup = Lookup()
    violation_form = ViolationForm(
        {
            "type": lookup.term("violation_type", payload.type, "type", leaves_only=True) or "",
            "methods": lookup.terms("method", payload.methods, "methods"),
            "school": School.objects.filter(code=payload.school.strip().upper())
            .values_list("pk", flat=True)
            .first()
            or payload.school,
        },
        incident=incident,
    )
    parts = _part_forms(payload, incident, lookup)
    errors = form_errors(violation_form) if not violation_form.is_valid() else []
    for name, forms in parts.items():
        for i, form in enumerate(forms):
            if not form.is_valid():
                errors += form_errors(form, prefix=f"{name}.{i}")
    if lookup.errors or errors:
        raise InvalidInput(_merge(lookup.errors, errors))
    user = request.user
    with transaction.atomic():  # all of it or nothing: a half-recorded violation would be counted wrong
        violation = actions.add_violation(
            incident, user, violation_form.save(commit=False), violation_form.cleaned_data["methods"]
        )
        for form in parts["victims"]:
            person, victim, categories = form.build()
            actions.add_victim(violation, user, person, victim, categories)
        for form in parts["groups"]:
            actions.add_group(violation, user, form.save(commit=False))
        for form in parts["perpetrators"]:
            actions.add_perpetrator(violation, user, form.save(commit=False))
    return Status(201, _violation_payload(user, incident, violation.pk))


@router.post(
    "/{public_id}/submit",
    response={200: IncidentOut, **responses(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Soumettre un brouillon pour vérification",
)
def incident_submit(request: HttpRequest, public_id: str) -> dict:
    incident = access.get_incident_for_edit(request.user, public_id)
    if incident.status != IncidentStatus.DRAFT:
        raise Conflict(
            _("Cet incident a déjà été soumis (statut : %(status)s).")
            % {"status": incident.get_status_display()}
        )
    try:
        actions.submit_incident(incident, request.user)
    except ValidationError as exc:
        raise InvalidInput([field_error("violations", message) for message in exc.messages]) from exc
    return incident_payload(request.user, incident)


@router.post(
    "/{public_id}/violations/{violation_id}/verify",
    response={200: ViolationOut, **responses(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Vérifier une violation (statut, critère de preuve, note)",
)
def violation_verify(
    request: HttpRequest, public_id: str, violation_id: int, payload: VerificationIn
) -> dict:
    incident = access.get_incident_for_view(request.user, public_id)
    if not access.can_verify(request.user, incident):
        raise PermissionDenied
    if incident.status == IncidentStatus.DRAFT:
        raise Conflict(
            _("Cet incident est encore un brouillon : son auteur doit le soumettre avant la vérification.")
        )
    violation = _violation_of(incident, violation_id)
    lookup = Lookup()
    form = VerificationForm(
        {
            "verification_status": payload.status.value,
            "standard_of_proof": lookup.term(
                "standard_of_proof", payload.standard_of_proof, "standard_of_proof"
            )
            or "",
            "note": payload.note,
        }
    )
    rename = {"verification_status": "status"}
    if lookup.errors or not form.is_valid():
        raise InvalidInput(_merge(lookup.errors, form_errors(form, rename=rename)))
    data = form.cleaned_data
    try:
        actions.verify_violation(
            violation, request.user, data["verification_status"], data["standard_of_proof"], data["note"]
        )
    except ValidationError as exc:
        raise InvalidInput(
            [field_error(rename.get(f, f), m) for f, messages in exc.message_dict.items() for m in messages]
        ) from exc
    return _violation_payload(request.user, incident, violation.pk)


# --- Closing and reopening (issue #16, item 4): the page's actions, the same rules -------------------------


class ReopenIn(Input):
    reason: str = Field(
        "", description="Motif de la réouverture, gardé dans le journal d'audit (ni nom ni village)."
    )


def _closable(request: HttpRequest, public_id: str) -> Incident:
    """The record if the caller may verify it (coordinators, administrators); 404 if it is not theirs."""
    incident = access.get_incident_for_view(request.user, public_id)
    if not access.can_verify(request.user, incident):
        raise PermissionDenied
    return incident


@router.post(
    "/{public_id}/close",
    response={200: IncidentOut, **responses(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Clôturer un incident dont chaque violation a une vérification finale",
)
def incident_close(request: HttpRequest, public_id: str) -> dict:
    incident = _closable(request, public_id)
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict(_("Cet incident est déjà clôturé."))
    try:
        actions.close_incident(incident, request.user)
    except ValidationError as exc:
        raise InvalidInput([field_error("violations", message) for message in exc.messages]) from exc
    return incident_payload(request.user, incident)


@router.post(
    "/{public_id}/reopen",
    response={200: IncidentOut, **responses(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Rouvrir un incident clôturé, avec un motif (journal d'audit)",
)
def incident_reopen(request: HttpRequest, public_id: str, payload: ReopenIn) -> dict:
    incident = _closable(request, public_id)
    if incident.status != IncidentStatus.CLOSED:
        raise Conflict(_("Seul un incident clôturé peut être rouvert."))
    form = ReopenForm({"reason": payload.reason})
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    actions.reopen_incident(incident, request.user, form.cleaned_data["reason"])
    return incident_payload(request.user, incident)
